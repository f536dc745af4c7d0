"""An attachment's title and number, and the parent document it is annexed to.

The title comes from the first heading of the file (``附件3``, ``附件 3：保定市建设任务清单``,
or ``附件3`` on one line and the title on the next), else the sheet name, else the file name.

>>> parse_title(["附件 3：保定市建设任务清单"])
('保定市建设任务清单', 3)
>>> parse_title(["附件3", "保定市建设任务清单"])
('保定市建设任务清单', 3)
>>> parse_title([], names=["Sheet1", "sample-附件2-河北省支持政策与措施清单-illustrative"])
('河北省支持政策与措施清单', 2)
>>> normalise_title("《保定市 建设任务清单》")
'保定市建设任务清单'
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from ingest.attachments.refs import cn_number
from ingest.model import Document

_ANNEX = re.compile(r"^\s*附\s*件\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})?\s*[：:.．、\-—–\s]*(.*)$")
_NOTE = re.compile(r"示例数据|illustrative|非官方", re.I)
_DEFAULT_SHEET = re.compile(r"^(?:sheet\s*\d*|工作表\s*\d*|表\s*\d*)$", re.I)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_ASCII_TOKEN = re.compile(r"^[A-Za-z0-9.]+$")

#: Two titles whose normalised forms are at least this similar name the same attachment.
TITLE_MATCH_RATIO = 0.85


def is_note(line: str) -> bool:
    """A line that marks the file as an illustrative sample, not part of the title."""
    return bool(_NOTE.search(line))


def normalise_title(title: str) -> str:
    """Title without punctuation, whitespace, brackets or a leading 附件N."""
    t = unicodedata.normalize("NFKC", title)
    m = _ANNEX.match(t)
    if m and m.group(1):
        t = m.group(2)
    return _PUNCT.sub("", t)


def _from_lines(lines: list[str]) -> tuple[str | None, int | None]:
    lines = [ln.strip() for ln in lines if ln and ln.strip() and not is_note(ln)]
    for i, line in enumerate(lines):
        m = _ANNEX.match(line)
        if m and (m.group(1) or m.group(2) == ""):
            number = cn_number(m.group(1)) if m.group(1) else None
            rest = m.group(2).strip()
            if not rest and i + 1 < len(lines) and not _ANNEX.match(lines[i + 1]):
                rest = lines[i + 1]
            return (rest or None), number
    if lines and len(lines[0]) <= 60:
        return lines[0], None
    return None, None


def _from_name(name: str) -> tuple[str | None, int | None]:
    stem = unicodedata.normalize("NFKC", name)
    tokens = [t for t in re.split(r"[-_\s]+", stem) if t]
    number = None
    kept: list[str] = []
    for t in tokens:
        m = _ANNEX.match(t)
        if m and m.group(1):
            number = cn_number(m.group(1))
            if m.group(2):
                kept.append(m.group(2))
        elif not _ASCII_TOKEN.match(t):
            kept.append(t)
    return ("".join(kept) or None), number


def parse_title(lines: list[str], names: list[str] | None = None) -> tuple[str | None, int | None]:
    """``(title, annex number)`` from the lines above a table, then sheet or file names."""
    title, number = _from_lines(lines)
    for name in names or []:
        if title and number is not None:
            break
        if not name or _DEFAULT_SHEET.match(name.strip()):
            continue
        t, n = _from_name(name)
        title = title or t
        number = number if number is not None else n
    return title, number


def title_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two attachment titles after normalisation."""
    na, nb = normalise_title(a), normalise_title(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    return SequenceMatcher(None, na, nb).ratio()


def match_parent(attachment: Document, parents: list[Document]) -> tuple[str, int] | None:
    """The parent whose attachment list names this attachment: ``(parent key, annex number)``.

    A candidate must list a title at least :data:`TITLE_MATCH_RATIO` similar to the
    attachment's title; when the attachment states its number, the listed entry must
    carry the same number. Ties between different parents give ``None`` (ambiguous).

    >>> from ingest.model import AttachmentRef
    >>> parent = Document(key="冀政字〔2021〕61号", title="p", text="",
    ...     attachments=[AttachmentRef(1, "教育部支持政策清单"), AttachmentRef(3, "保定市建设任务清单")])
    >>> att = Document(key="sha1:1", title="保定市建设任务清单", text="", kind="attachment", annex_number=3)
    >>> match_parent(att, [parent])
    ('冀政字〔2021〕61号', 3)
    >>> match_parent(Document(key="sha1:2", title="石家庄市建设任务清单", text=""), [parent]) is None
    True
    """
    best: list[tuple[float, str, int]] = []
    for parent in parents:
        if parent.key == attachment.key:
            continue
        for ref in parent.attachments:
            score = title_similarity(attachment.title, ref.title)
            if score < TITLE_MATCH_RATIO:
                continue
            if attachment.annex_number is not None and attachment.annex_number != ref.number:
                continue
            best.append((score, parent.key, ref.number))
    if not best:
        return None
    best.sort(key=lambda t: -t[0])
    top = best[0]
    if any(s == top[0] and k != top[1] for s, k, _ in best[1:]):
        return None
    return top[1], top[2]


def attach_to_parent(attachment: Document, parents: list[Document]) -> bool:
    """Set ``attachment.parent`` and ``.annex_number`` from :func:`match_parent`; True if found."""
    found = match_parent(attachment, parents)
    if found is None:
        return False
    attachment.parent, attachment.annex_number = found
    return True
