"""One entry point for attachment files: pick the reader by extension, build the Document.

The readers are the table formats of ``ingest.formats``:

>>> sorted(table_extensions())
['.csv', '.docx', '.md', '.pdf', '.tsv', '.txt', '.xlsm', '.xlsx']
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest.model import Document
from core.errors import BadInputError, NotFoundError
from ingest.formats import format_of, load_reader, table_extensions

def read_attachment(path: str | Path) -> Document:
    """Read a task-list attachment into ``Document(kind="attachment", tasks=[...])``.

    Raises :class:`~core.errors.BadInputError` naming the file and the problem (corrupt
    file, no header row, missing task column, PDF without a table, unsupported format).
    """
    from ingest.attachments.table import table_to_document

    p = Path(path)
    if not p.is_file():
        raise NotFoundError(f"Cannot read {path}: no such file. Check the path.")
    ext = p.suffix.lower()
    fmt = format_of(ext)
    if fmt is None or fmt.table is None:
        raise BadInputError(
            f"Cannot read {path}: unsupported attachment format {ext or '(none)'!r}. "
            f"Choose from {', '.join(sorted(table_extensions()))}."
        )
    table = load_reader(fmt.table)(p)
    sha1 = hashlib.sha1(p.read_bytes()).hexdigest()
    from ingest.read import display_path

    return table_to_document(table, display_path(path), sha1=sha1)  # a non-UTF-8 name stays printable


_ANNEX_HEAD = re.compile(r"^\s*附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[：:．.、\s]")


def looks_like_attachment(path: str | Path) -> bool:
    """True for spreadsheets, for files whose name says 附件 / 清单 / 任务表, and for files that open with 附件N.

    >>> looks_like_attachment("tasks.csv"), looks_like_attachment("附件3-保定市建设任务清单.pdf")
    (True, True)
    """
    p = Path(path)
    fmt = format_of(p.suffix)
    if fmt is not None and fmt.always_table:
        return True
    if any(word in p.stem for word in ("附件", "清单", "任务表", "任务分工")):
        return True
    return bool(_ANNEX_HEAD.match(_opening_text(p)))


def _opening_text(p: Path, limit: int = 200) -> str:
    """The first characters of a file's text, cheaply; empty when it cannot be read."""
    try:
        ext = p.suffix.lower()
        if ext == ".pdf":
            import pdfplumber

            with pdfplumber.open(p) as pdf:
                return (pdf.pages[0].extract_text() or "")[:limit] if pdf.pages else ""
        if ext == ".docx":
            import docx

            from ingest.read import check_zip

            check_zip(p)  # a zip bomb is refused, not unpacked, even for a peek
            for para in docx.Document(str(p)).paragraphs:
                if para.text.strip():
                    return para.text[:limit]
            return ""
        with open(p, "rb") as fh:
            head = fh.read(limit * 4)
        for enc in ("utf-8-sig", "gb18030"):  # strict: lenient UTF-8 would turn GB18030 into garbage
            try:
                return head.decode(enc)[:limit]
            except UnicodeDecodeError as e:
                if e.start >= len(head) - 4:  # only a character cut by the read limit
                    try:
                        return head[: e.start].decode(enc)[:limit]
                    except UnicodeDecodeError:
                        pass
    except Exception:  # unreadable here: the real reader reports the problem
        return ""
    return ""
