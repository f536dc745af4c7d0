"""The text around a policy's body: title, 发文字号, addressees, signature and date blocks, attachment
lists, the table of contents, the preamble and the documents it cites.

Zones (signature blocks, attachment lists, a table of contents) never become measures and end the
measure before them.

>>> ls = lines_of("关于某事的通知\\n\\n各市人民政府：\\n\\n一、总则\\n\\n附件：1. 任务清单\\n\\n某市人民政府\\n\\n2021年1月2日")
>>> z = find_zones(ls)
>>> [(a.number, a.title) for a in z.attachments], [(s[2], s[3]) for s in z.sign]
([(1, '任务清单')], [(['某市人民政府'], '2021年1月2日')])
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.model import AttachmentRef
from ingest.numbering import N_CHARS as _N
from ingest.numbering import cn_to_int, toc_zone

_LINE_RE = re.compile(r"[^\n]+")
_DATE_LINE_RE = re.compile(rf"(?:\d{{4}}|[{_N}]{{4}})年[\d{_N}]{{1,3}}月[\d{_N}]{{1,3}}日")
_PAREN_NOTE_RE = re.compile(r"[（(][^（）()\n]{1,30}[）)]")
_SIGN_PUNCT_RE = re.compile(r"[。，；：:！？,;、“”《》]|^\d|^[一二三四五六七八九十]+、|^[（(]")
_ATTACH_ITEM_RE = re.compile(r"(\d{1,2})[.．、]\s*(\S.*)")
_DOCNO_TAIL_RE = re.compile(r"[〔\[［【][12]\d{3}[〕\]］】][ \t]*\d{1,4}[ \t]*号")
_DOCNO_HEAD_RE = re.compile(r"[^\s\d的和与及或在据照于对为是将把按以由《》“”、，。：；（）()\[\]〔〕]{1,8}$")
_DOCNO_LINE_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,10}[〔\[［【][12]\d{3}[〕\]］】]\s*\d{1,4}\s*号|[\u4e00-\u9fff]{1,6}第\d{1,5}号)")
_TITLE_CITE_RE = re.compile(r"《([^《》\n]{1,120})》")
_REPORT_ADDRESSEES = {"各位代表", "同志们", "代表们", "各位代表、同志们"}
_ADDRESSEE_END_RE = re.compile(r"(?:们|代表|同志|人|族|员|部委|政府|机构|部门|单位|组织|企业|学校|院校|机关|部|委|厅|局|办|署|院|府|会|司|室|处|所|校|队|中心|集团|公司)$")
_ORG_SUFFIX_RE = re.compile(r"(?:部|委|厅|局|办|署|院|府|会|司|室|处|所|校|队|部门|单位|机构|中心|政府|集团|公司|委员会|管委会)$")


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str


def date_iso(text: str) -> str | None:
    """ISO date of a closing date line, in Arabic or Chinese numerals.

    >>> date_iso("二〇〇四年四月二十七日"), date_iso("2021年11月4日")
    ('2004-04-27', '2021-11-04')
    """
    m = re.search(rf"([\d{_N}]{{4}})年([\d{_N}]{{1,3}})月([\d{_N}]{{1,3}})日", text)
    if not m:
        return None
    try:
        y, mo, d = (cn_to_int(g) for g in m.groups())
    except ValueError:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None


def lines_of(text: str) -> list[Line]:
    out = []
    for m in _LINE_RE.finditer(text):
        line = m.group(0)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(Line(m.start() + lead, m.start() + lead + len(stripped), stripped))
    return out


def split_addressees(line: str) -> list[str]:
    """Split an addressee line on ， and, where each part is an organisation, on 、.

    >>> split_addressees("教育部各司局、各有关直属单位，河北省保定市人民政府")
    ['教育部各司局', '教育部各有关直属单位', '河北省保定市人民政府']
    >>> split_addressees("各省、自治区、直辖市人民政府，国务院各部委、各直属机构")
    ['各省、自治区、直辖市人民政府', '国务院各部委', '国务院各直属机构']
    """
    out: list[str] = []
    for chunk in re.split(r"[，,；;]", line.rstrip("：:")):
        chunk = chunk.strip()
        if not chunk:
            continue
        parts = [p.strip() for p in chunk.split("、") if p.strip()]
        if len(parts) > 1 and all(_ORG_SUFFIX_RE.search(p) for p in parts):
            prefix = parts[0].split("各", 1)[0] if "各" in parts[0][1:] else ""
            out.append(parts[0])
            out.extend(prefix + p if p.startswith("各") and prefix else p for p in parts[1:])
        else:
            out.append(chunk)
    return out


@dataclass(slots=True)
class Zones:
    """Signature/date blocks, attachment lists and the table of contents: never measures."""

    sign: list[tuple[int, int, list[str], str]]  # (start, end, signatories, date line)
    spans: list[tuple[int, int]]
    starts: list[int]
    attachments: list[AttachmentRef]

    def contains(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]


def _attachment_list(lines: list[Line], i: int) -> tuple[tuple[int, int], list[AttachmentRef]] | None:
    """The attachment list opening at line ``i`` (附件：1. … / 附件1：… / 附件), as (zone, entries)."""
    ln = lines[i]
    t = ln.text
    if not (t.startswith("附件") and len(t) <= 80 and "。" not in t):
        return None
    rest = t[2:].strip()
    if not (rest[:1] in ("", "：", ":") or rest[:1].isdigit()):
        return None
    items: list[AttachmentRef] = []
    rest = rest.lstrip("：: ")
    m = re.fullmatch(r"(\d{1,2})\s*[：:]\s*(\S.*)", rest)  # 附件1：标题
    if m:
        rest = f"{m.group(1)}. {m.group(2)}"
    end = ln.end
    if rest:
        im = _ATTACH_ITEM_RE.fullmatch(rest)
        items.append(AttachmentRef(int(im.group(1)), im.group(2).strip()) if im else AttachmentRef(1, rest))
    j = i + 1
    while j < len(lines) and len(lines[j].text) <= 80 and "。" not in lines[j].text:
        im = _ATTACH_ITEM_RE.fullmatch(lines[j].text)
        if not im or int(im.group(1)) != (items[-1].number + 1 if items else 1):
            break
        items.append(AttachmentRef(int(im.group(1)), im.group(2).strip()))
        end = lines[j].end
        j += 1
    return (ln.start, end), items


def _signature_block(lines: list[Line], i: int) -> tuple[int, int, list[str], str] | None:
    """The signature block closed by the date line ``i``: (start, end, signatories, date line)."""
    t = lines[i].text
    if not (len(t) <= 20 and _DATE_LINE_RE.fullmatch(t)):
        return None
    signers: list[str] = []
    start = lines[i].start
    j = i - 1
    while j >= 0 and len(signers) < 4 and len(lines[j].text) <= 30 and not _SIGN_PUNCT_RE.search(lines[j].text):
        if _DATE_LINE_RE.search(lines[j].text) or lines[j].text.startswith(("#", "附件")):
            break
        parts = lines[j].text.split()
        if len(parts) > 1 and all(_ORG_SUFFIX_RE.search(p) for p in parts):
            signers[:0] = parts  # 国务院办公厅　中央军委办公厅
        else:
            signers.insert(0, lines[j].text)
        start = lines[j].start
        j -= 1
    end = lines[i].end
    if i + 1 < len(lines) and _PAREN_NOTE_RE.fullmatch(lines[i + 1].text):
        end = lines[i + 1].end
    return (start, end, signers, t)


def find_zones(lines: list[Line]) -> Zones:
    """Signature/date blocks, attachment lists (the first one gives the attachments) and the table of contents."""
    sign: list[tuple[int, int, list[str], str]] = []
    spans: list[tuple[int, int]] = []
    attachments: list[AttachmentRef] = []
    for i in range(len(lines)):
        att = _attachment_list(lines, i)
        if att:
            spans.append(att[0])
            attachments = attachments or att[1]
            continue
        block = _signature_block(lines, i)
        if block:
            sign.append(block)
    toc = toc_zone(lines)
    spans = sorted([(s, e) for s, e, _, _ in sign] + spans + ([toc] if toc else []))
    return Zones(sign, spans, [s for s, _ in spans], attachments)


@dataclass(slots=True)
class Front:
    title: str
    docno: str | None
    addr_line: Line | None
    addressees: list[str]
    report: bool
    lines: list[Line]  # the lines before the first unit


def front_matter(lines: list[Line], first_unit: int, metadata: dict[str, str], source: str | None) -> Front:
    """Title, 发文字号 and addressees from the lines before the first section or measure."""
    front = [ln for ln in lines if ln.start < first_unit]
    title = metadata.get("title", "").strip()
    if not title:
        parts = []
        for ln in front[:3]:
            if len(ln.text) > 60 or re.search(r"[。，：:；]", ln.text) or _DOCNO_LINE_RE.fullmatch(ln.text) or _DATE_LINE_RE.search(ln.text):
                break
            parts.append(ln.text)
        title = "".join(parts) or (Path(source).stem if source else (lines[0].text[:40] if lines else ""))
    docno = metadata.get("docno") or next(
        (re.sub(r"[\[［【]", "〔", re.sub(r"[\]］】]", "〕", ln.text)) for ln in front[:8] if _DOCNO_LINE_RE.fullmatch(ln.text)), None
    )
    addr_line = next(
        (ln for ln in front if ln.text[-1] in "：:" and len(ln.text) <= 150 and "。" not in ln.text and not ln.text.startswith("附件")), None
    )
    addressees = split_addressees(addr_line.text) if addr_line else []
    if not all(_ADDRESSEE_END_RE.search(a) for a in addressees):
        addr_line, addressees = None, []  # a sentence ending in ：, not an addressee line
    report = bool(addressees and addressees[0] in _REPORT_ADDRESSEES) or bool(re.search(r"报告(?:（[^）]*）)?$|大\)$|大）$", title))
    return Front(title, docno, addr_line, addressees, report, front)


def closing(zones: Zones, last_unit: int, metadata: dict[str, str]) -> tuple[list[str], str | None, list[str]]:
    """Signatories, date and issuers from the first signature zone after the last unit (else the last one)."""
    closing = next((z for z in zones.sign if z[0] > last_unit), zones.sign[-1] if zones.sign else None)
    signatories = list(closing[2]) if closing else []
    date = metadata.get("date")
    if not date and closing:
        date = date_iso(closing[3])
    issuer_meta = [p for p in re.split(r"[、\s]+", metadata.get("issuer", "")) if p]
    return signatories, date, list(signatories) or issuer_meta


def preamble(text: str, front: Front, zones: Zones, first_unit: int) -> tuple[int, int] | None:
    """After the addressee line (or the cover letter's closing block), before the first unit."""
    pre_start = front.addr_line.end if front.addr_line else (front.lines[0].start if front.lines else 0)
    for s, e, _, _ in zones.sign:
        if pre_start <= s and e < first_unit:
            pre_start = e
            nxt = [ln for ln in front.lines if ln.start >= e]
            if nxt and len(nxt[0].text) <= 40 and not re.search(r"[。，：:；]", nxt[0].text):
                pre_start = nxt[0].end  # the title of the enclosed document
    pre_end = min([first_unit] + [z for z in zones.starts if z >= pre_start])
    seg = text[pre_start:pre_end]
    if not seg.strip():
        return None
    s = pre_start + len(seg) - len(seg.lstrip())
    return (s, s + len(seg.strip()))


def cites(text: str, docno: str | None) -> list[str]:
    """Titles in 《》 and 发文字号 cited in the text, in order of first appearance, the document's own excluded."""
    cites: list[str] = []
    seen = {docno} if docno else set()
    found = [(m.start(), m.group(1)) for m in _TITLE_CITE_RE.finditer(text)]
    for m in _DOCNO_TAIL_RE.finditer(text):
        head = _DOCNO_HEAD_RE.search(text, max(0, m.start() - 8), m.start())
        if head:
            found.append((head.start(), head.group(0) + re.sub(r"\s+", "", m.group(0))))
    for _, c in sorted(found):
        c = re.sub(r"[\[［【]", "〔", re.sub(r"[\]］】]", "〕", c)) if c.endswith("号") else c
        if c not in seen:
            seen.add(c)
            cites.append(c)
    return cites
