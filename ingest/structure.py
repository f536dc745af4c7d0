"""Parse cleaned policy text into a :class:`~ingest.model.Document`: metadata, sections, measures, sentences.

Numbering schemes, recognised at the start of a line:

- sections: ``一、`` (policies, reports), ``第一章`` / ``第一编`` / Markdown ``##`` headings (laws);
- measures: ``1.`` (the Baoding policy), ``（一）`` (State Council documents, reports), ``第一条`` and
  ``第一百二十条之一`` (laws).

Numbering must be monotonic within its scheme (``n`` follows ``n-1``; ``1`` may restart after a new
section), which rejects false starts. The attachment list (``附件：1. … 2. …``), the signature lines
and the closing date are zones that never become measures and end the measure before them.

A text with no recognisable structure becomes ``kind="text"`` with one measure (label ``""``,
number 0) covering the whole text, so that it is still searchable.

>>> doc = parse_structure("标题\\n\\n一、总则\\n\\n1. 做好工作。要求明确。\\n\\n2. 落实责任。", {})
>>> [(m.label, m.heading, m.section) for m in doc.measures]
[('1.', '做好工作', 1), ('2.', '落实责任', 1)]
>>> [s.text for s in doc.measures[0].sentences]
['1. 做好工作。', '要求明确。']
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.model import AttachmentRef, Document, Measure, Section, Sentence

_N = "零〇○一二两三四五六七八九十百千"
_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


@functools.lru_cache(maxsize=4096)
def cn_to_int(text: str) -> int:
    """Value of a Chinese (or Arabic) numeral; raises ValueError on anything else.

    >>> cn_to_int("一百零一"), cn_to_int("二十"), cn_to_int("十一"), cn_to_int("二〇二一"), cn_to_int("12")
    (101, 20, 11, 2021, 12)
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(c in _UNITS for c in text):  # digit by digit: 二〇二一
        return int("".join(str(_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + (digit or 0)


_LINE_RE = re.compile(r"[^\n]+")
_SEC_CN_RE = re.compile(r"([一二三四五六七八九十]{1,3})、")
_CHAPTER_RE = re.compile(rf"(#{{1,6}}[ \t]*)?第([{_N}\d]{{1,5}})(编|章|节)(?:[ \t\u3000]+|$)?")
_MD_HEADING_RE = re.compile(r"(#{1,6})[ \t]+\S")
_ARTICLE_RE = re.compile(rf"第([{_N}\d]{{1,6}})条(之[一二三四五六七八九十]{{1,3}})?(?:[ \t\u3000]+|$)")
_PAREN_RE = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")
_ARABIC_RE = re.compile(r"(\d{1,3})[.．、](?![\d%])[ \t\u3000]*")
_DATE_LINE_RE = re.compile(rf"(?:\d{{4}}|[{_N}]{{4}})年[\d{_N}]{{1,3}}月[\d{_N}]{{1,3}}日")
_PAREN_NOTE_RE = re.compile(r"[（(][^（）()\n]{1,30}[）)]")
_SIGN_PUNCT_RE = re.compile(r"[。，；：:！？,;、“”《》]|^\d|^[一二三四五六七八九十]+、|^[（(]")
_ATTACH_ITEM_RE = re.compile(r"(\d{1,2})[.．、]\s*(\S.*)")
_DOCNO_TAIL_RE = re.compile(r"[〔\[［【][12]\d{3}[〕\]］】][ \t]*\d{1,4}[ \t]*号")
_DOCNO_HEAD_RE = re.compile(r"[^\s\d的和与及或在据照于对为是将把按以由《》“”、，。：；（）()\[\]〔〕]{1,8}$")
_DOCNO_LINE_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,10}[〔\[［【][12]\d{3}[〕\]］】]\s*\d{1,4}\s*号|[\u4e00-\u9fff]{1,6}第\d{1,5}号)")
_TITLE_CITE_RE = re.compile(r"《([^《》\n]{1,120})》")
_SENT_RE = re.compile(r"[^\s。！？；][^。！？；\n]*(?:[。！？；]+[”’」』）)]*)?")
_REPORT_ADDRESSEES = {"各位代表", "同志们", "代表们", "各位代表、同志们"}
_ADDRESSEE_END_RE = re.compile(r"(?:们|代表|同志|人|族|员|部委|政府|机构|部门|单位|组织|企业|学校|院校|机关|部|委|厅|局|办|署|院|府|会|司|室|处|所|校|队|中心|集团|公司)$")
_ORG_SUFFIX_RE = re.compile(r"(?:部|委|厅|局|办|署|院|府|会|司|室|处|所|校|队|部门|单位|机构|中心|政府|集团|公司|委员会|管委会)$")


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class _Unit:
    start: int
    label: str
    number: int
    label_end: int
    sub: bool = False  # 之一 variant of a law article


def _date_iso(text: str) -> str | None:
    """ISO date of a closing date line, in Arabic or Chinese numerals.

    >>> _date_iso("二〇〇四年四月二十七日"), _date_iso("2021年11月4日")
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


def _lines(text: str) -> list[_Line]:
    out = []
    for m in _LINE_RE.finditer(text):
        line = m.group(0)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append(_Line(m.start() + lead, m.start() + lead + len(stripped), stripped))
    return out


def _zones(lines: list[_Line]) -> tuple[list[tuple[int, int, list[str], str]], list[tuple[int, int]], list[AttachmentRef]]:
    """Find signature/date blocks and attachment lists.

    Returns (signature zones as (start, end, signatories, date_text), attachment zones, attachments).
    """
    sign_zones: list[tuple[int, int, list[str], str]] = []
    attach_zones: list[tuple[int, int]] = []
    attachments: list[AttachmentRef] = []
    n = len(lines)
    for i, ln in enumerate(lines):
        t = ln.text
        if t.startswith("附件") and len(t) <= 80 and "。" not in t:
            rest = t[2:].strip()
            if not (rest[:1] in ("", "：", ":") or rest[:1].isdigit()):
                continue
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
            while j < n and len(lines[j].text) <= 80 and "。" not in lines[j].text:
                im = _ATTACH_ITEM_RE.fullmatch(lines[j].text)
                if not im or int(im.group(1)) != (items[-1].number + 1 if items else 1):
                    break
                items.append(AttachmentRef(int(im.group(1)), im.group(2).strip()))
                end = lines[j].end
                j += 1
            attach_zones.append((ln.start, end))
            if items and not attachments:
                attachments = items
        elif len(t) <= 20 and _DATE_LINE_RE.fullmatch(t):
            signers: list[str] = []
            start = ln.start
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
            end = ln.end
            if i + 1 < n and _PAREN_NOTE_RE.fullmatch(lines[i + 1].text):
                end = lines[i + 1].end
            sign_zones.append((start, end, signers, t))
    return sign_zones, attach_zones, attachments


def _accept(cands: list[_Unit], section_starts: list[int], *, law: bool = False) -> list[_Unit]:
    """Keep the candidates that continue the numbering (n after n-1; 1 again after a new section)."""
    out: list[_Unit] = []
    for c in cands:
        if not out:
            ok = law or c.number == 1
        else:
            last = out[-1].number
            new_section = bisect.bisect_right(section_starts, c.start) > bisect.bisect_right(section_starts, out[-1].start)
            if law:  # articles: increasing; a gap (an excerpt) only at a new chapter; 之一 repeats the number
                ok = (last < c.number <= last + 10) or (new_section and c.number > last) or (c.sub and c.number == last)
            else:
                ok = c.number == last + 1 or (c.number == 1 and new_section)
        if ok:
            out.append(c)
    return out


def _sentences(text: str, base: int) -> list[Sentence]:
    out = []
    for m in _SENT_RE.finditer(text):
        s = m.group(0).rstrip()
        if s:
            out.append(Sentence(s, base + m.start(), base + m.start() + len(s)))
    return out


def _split_addressees(line: str) -> list[str]:
    """Split an addressee line on ， and, where each part is an organisation, on 、.

    >>> _split_addressees("教育部各司局、各有关直属单位，河北省保定市人民政府")
    ['教育部各司局', '教育部各有关直属单位', '河北省保定市人民政府']
    >>> _split_addressees("各省、自治区、直辖市人民政府，国务院各部委、各直属机构")
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


def _unit_end(text: str, start: int, bounds: list[int]) -> int:
    """End of a unit starting at ``start``: the next boundary after it, trailing space trimmed."""
    i = bisect.bisect_right(bounds, start)
    end = bounds[i] if i < len(bounds) else len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


_HEADING_STOP_RE = re.compile(r"[。\n]")
_CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")


def _heading(text: str, start: int, end: int) -> str:
    """Opening words of a unit: from ``start`` to the first 。 or line end (spaces inside CJK removed)."""
    stop = len(text) if end < 0 else end
    m = _HEADING_STOP_RE.search(text, start, stop)
    return _CJK_GAP_RE.sub("", text[start : m.start() if m else stop].strip())


def parse_structure(text: str, metadata: dict[str, str], *, source: str | None = None, sha1: str = "") -> Document:
    """Parse cleaned text (see :func:`ingest.clean.clean_page`) and its metadata into a Document.

    Args:
        text: the cleaned text; every span of the result points into it.
        metadata: normalised metadata (``title, docno, issuer, date, subjects, ...``).
        source: the path the text came from, kept as ``Document.source``.
        sha1: hash of the raw file bytes; a hash of ``text`` is used when empty.
    """
    sha1 = sha1 or hashlib.sha1(text.encode("utf-8")).hexdigest()
    lines = _lines(text)
    sign_zones, attach_zones, attachments = _zones(lines)
    zones = sorted([(s, e) for s, e, _, _ in sign_zones] + attach_zones)
    zone_starts = [s for s, _ in zones]

    def in_zone(pos: int) -> bool:
        i = bisect.bisect_right(zone_starts, pos) - 1
        return i >= 0 and zones[i][0] <= pos < zones[i][1]

    # Candidates, scheme by scheme.
    sec_cn: list[_Unit] = []
    chapters: list[_Unit] = []
    md_heads: list[_Unit] = []
    articles: list[_Unit] = []
    paren: list[_Unit] = []
    arabic: list[_Unit] = []
    heading_starts: list[int] = []
    for ln in lines:
        t = ln.text
        c0 = t[0]
        if in_zone(ln.start):
            continue
        if c0 == "#" or c0 == "第":
            m = _CHAPTER_RE.match(t)
            if m and (m.group(1) or (len(t) <= 40 and "。" not in t)):
                heading_starts.append(ln.start)
                if m.group(3) == "章":
                    chapters.append(_Unit(ln.start, f"第{m.group(2)}章", cn_to_int(m.group(2)), ln.start + m.end()))
                continue
            if c0 == "#" and _MD_HEADING_RE.match(t):
                heading_starts.append(ln.start)
                if t.startswith("## "):
                    md_heads.append(_Unit(ln.start, "", len(md_heads) + 1, ln.start + 3))
                continue
            m = _ARTICLE_RE.match(t)
            if m:
                sub = m.group(2) or ""
                articles.append(_Unit(ln.start, f"第{m.group(1)}条{sub}", cn_to_int(m.group(1)), ln.start + m.end(), bool(sub)))
        elif c0 in "一二三四五六七八九十":
            m = _SEC_CN_RE.match(t)
            if m:
                sec_cn.append(_Unit(ln.start, m.group(0), cn_to_int(m.group(1)), ln.start + m.end()))
        elif c0 in "（(":
            m = _PAREN_RE.match(t)
            if m:
                paren.append(_Unit(ln.start, m.group(0), cn_to_int(m.group(1)), ln.start + m.end()))
        elif c0.isdigit():
            m = _ARABIC_RE.match(t)
            if m and not _DATE_LINE_RE.match(t):
                arabic.append(_Unit(ln.start, m.group(0).rstrip(), int(m.group(1)), ln.start + m.end()))

    # The body ends at the first closing block (signature + date) after the first numbered line:
    # what follows (appended attachments, forwarded documents) is not part of the measures.
    first_cand = min((c[0].start for c in (sec_cn, chapters, articles, paren, arabic) if c), default=len(text))
    body_end = next((z[0] for z in sign_zones if z[0] > first_cand), len(text))
    if body_end < len(text):
        sec_cn, chapters, md_heads, articles, paren, arabic = (
            [u for u in c if u.start < body_end] for c in (sec_cn, chapters, md_heads, articles, paren, arabic)
        )
    law = "promulgation" in metadata or len(articles) >= 2
    article_run = _accept(articles, heading_starts, law=True) if law else []
    measures_u: list[_Unit]
    if article_run:
        sections_u = chapters or md_heads
        # chapter numbering restarts in every 编 (part): accept any increasing run, or 1 again
        sections_u = [u for k, u in enumerate(sections_u) if k == 0 or u.number in (1, sections_u[k - 1].number + 1) or not u.label]
        measures_u = article_run
        extra_bounds = heading_starts
    else:
        # hierarchy 第一章 > 一、 > （一） > 1.: sections are the highest level present, measures the
        # level below it that appears first
        chapter_run = _accept(chapters, [])
        if len(chapter_run) >= 2:
            sections_u = chapter_run
            starts = [u.start for u in sections_u]
            schemes = (_accept(sec_cn, starts), _accept(paren, starts), _accept(arabic, starts))
        else:
            sections_u = _accept(sec_cn, [])
            starts = [u.start for u in sections_u]
            schemes = (_accept(paren, starts), _accept(arabic, starts))
        runs = [r for r in schemes if len(r) >= 2]
        measures_u = min(runs, key=lambda r: r[0].start) if runs else []
        extra_bounds = []

    # Title, docno, addressees, kind.
    first_unit = min([u.start for u in sections_u[:1] + measures_u[:1]], default=len(text))
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
    addressees = _split_addressees(addr_line.text) if addr_line else []
    if not all(_ADDRESSEE_END_RE.search(a) for a in addressees):
        addr_line, addressees = None, []  # a sentence ending in ：, not an addressee line
    report = bool(addressees and addressees[0] in _REPORT_ADDRESSEES) or bool(re.search(r"报告(?:（[^）]*）)?$|大\)$|大）$", title))
    if not report and not measures_u and len(sections_u) >= 2:
        measures_u, sections_u = sections_u, []

    bounds = sorted({u.start for u in sections_u} | {u.start for u in measures_u} | set(zone_starts) | set(extra_bounds))
    sec_bounds = sorted({u.start for u in sections_u} | set(zone_starts))
    sections = [
        Section(u.label, u.number, k, _heading(text, u.label_end, -1), u.start, _unit_end(text, u.start, sec_bounds))
        for k, u in enumerate(sections_u, 1)
    ]
    sec_starts = [s.start for s in sections]
    measures: list[Measure] = []
    for k, u in enumerate(measures_u, 1):
        end = _unit_end(text, u.start, bounds)
        si = bisect.bisect_right(sec_starts, u.start)
        measures.append(
            Measure(
                label=u.label,
                number=u.number,
                ordinal=k,
                heading=_heading(text, u.label_end, end),
                text=text[u.start : end],
                start=u.start,
                end=end,
                section=si if si else None,
                sentences=_sentences(text[u.start : end], u.start),
            )
        )

    if law and (measures or sections):
        kind = "law"
    elif (measures or sections) and not report:
        kind = "policy"
    elif measures or sections:
        kind = "report"
    else:
        kind = "text"
        stripped = text.strip()
        if stripped:
            s = text.index(stripped)
            measures.append(Measure("", 0, 1, _heading(text, s, s + len(stripped)), stripped, s, s + len(stripped), None, _sentences(stripped, s)))

    # Closing block: the first signature zone after the last measure, else the last one.
    last_unit = max([u.start for u in measures_u[-1:] + sections_u[-1:]], default=-1)
    closing = next((z for z in sign_zones if z[0] > last_unit), sign_zones[-1] if sign_zones else None)
    signatories = closing[2] if closing else []
    date = metadata.get("date")
    if not date and closing:
        date = _date_iso(closing[3])
    issuer_meta = [p for p in re.split(r"[、\s]+", metadata.get("issuer", "")) if p]
    issuers = list(signatories) or issuer_meta

    # Preamble: after the addressee line (or the cover letter's closing block), before the first unit.
    pre_start = addr_line.end if addr_line else (front[0].start if front else 0)
    for s, e, _, _ in sign_zones:
        if pre_start <= s and e < first_unit:
            pre_start = e
            nxt = [ln for ln in front if ln.start >= e]
            if nxt and len(nxt[0].text) <= 40 and not re.search(r"[。，：:；]", nxt[0].text):
                pre_start = nxt[0].end  # the title of the enclosed document
    pre_end = min([first_unit] + [z for z in zone_starts if z >= pre_start])
    preamble = None
    if measures_u or sections_u:
        seg = text[pre_start:pre_end]
        if seg.strip():
            s = pre_start + len(seg) - len(seg.lstrip())
            preamble = (s, s + len(seg.strip()))

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

    subjects = [s for s in re.split(r"[、，,;；\s]+", metadata.get("subjects", "")) if s]
    return Document(
        key=docno or "sha1:" + sha1[:16],
        title=title,
        text=text,
        kind=kind,
        docno=docno,
        date=date,
        issuers=issuers,
        addressees=addressees,
        signatories=list(signatories),
        subjects=subjects,
        attachments=attachments,
        cites=cites,
        preamble=preamble,
        sections=sections,
        measures=measures,
        source=source,
        sha1=sha1,
        metadata=dict(metadata),
    )
