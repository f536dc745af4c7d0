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
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest import numbering as nb
from ingest.model import AttachmentRef, Document, Item, Measure, Section, Sentence
from ingest.numbering import N_CHARS as _N
from ingest.numbering import Unit as _Unit
from ingest.numbering import cn_to_int

_LINE_RE = re.compile(r"[^\n]+")
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




def normalise_ref(ref: str) -> str:
    """A measure reference as compared when looking one up: NFKC, no spaces, no trailing ``.`` / ``、``.

    >>> normalise_ref(" 三（二） "), normalise_ref("6．"), normalise_ref("第六条")
    ('三(二)', '6', '第六条')
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", ref)).rstrip(".、")


# --- phase 1: zones and candidates ----------------------------------------------------------


@dataclass(slots=True)
class _Zones:
    """Signature/date blocks, attachment lists and the table of contents: never measures."""

    sign: list[tuple[int, int, list[str], str]]  # (start, end, signatories, date line)
    spans: list[tuple[int, int]]
    starts: list[int]
    attachments: list[AttachmentRef]

    def contains(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]


def _find_zones(lines: list[_Line]) -> _Zones:
    sign, attach, attachments = _zones(lines)
    toc = nb.toc_zone(lines)
    spans = sorted([(s, e) for s, e, _, _ in sign] + attach + ([toc] if toc else []))
    return _Zones(sign, spans, [s for s, _ in spans], attachments)


def _candidates(lines: list[_Line], zones: _Zones, text_len: int) -> nb.Candidates:
    """Numbered lines outside the zones, up to the end of the body.

    The body ends at the first closing block (signature + date) after the first numbered line:
    what follows (appended attachments, forwarded documents) is not part of the measures.
    """
    cands = nb.Candidates()
    for ln in lines:
        if not zones.contains(ln.start):
            nb.scan_line(cands, ln.start, ln.text)
    first = cands.first_start(text_len)
    body_end = next((z[0] for z in zones.sign if z[0] > first), text_len)
    if body_end < text_len:
        cands.before(body_end)
    return cands


# --- phase 2: the hierarchy -----------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    """Which numbered lines are sections (with their level) and which are measures."""

    sections: list[tuple[_Unit, int]]
    measures: list[_Unit]
    extra_bounds: list[int]  # heading lines that end a measure without being a section (第一编)
    decimal_items: list[_Unit]  # 1.2.1 lines: items of their 1.2 measure
    law: bool


def _with_jie(chapters: list[_Unit], jie: list[_Unit]) -> list[tuple[_Unit, int]]:
    """Chapters (level 1) and the 第N节 inside them (level 2; numbering restarts in each chapter)."""
    if not chapters:
        return [(u, 1) for u in nb.accept(jie, [])]
    starts = [u.start for u in chapters]
    inner = [u for u in nb.accept(jie, starts) if u.start > chapters[0].start]
    return sorted([(u, 1) for u in chapters] + [(u, 2) for u in inner], key=lambda x: x[0].start)


def _plan(cands: nb.Candidates, metadata: dict[str, str]) -> _Plan:
    """Laws: 第N条 under 第N章 / 第N节. Otherwise the highest level present (第一章 > 一、 > （一） > 1.)
    gives the sections and the level below it that appears first the measures, unless decimal
    numbering (1 / 1.1 / 1.1.1) comes first."""
    law = "promulgation" in metadata or len(cands.article) >= 2
    articles = nb.accept(cands.article, cands.heading_starts, law=True) if law else []
    if articles:
        heads = cands.chapter or cands.md
        # chapter numbering restarts in every 编 (part): accept any increasing run, or 1 again
        heads = [u for k, u in enumerate(heads) if k == 0 or u.number in (1, heads[k - 1].number + 1) or not u.label]
        return _Plan(_with_jie(heads, cands.jie) if cands.chapter else [(u, 1) for u in heads], articles,
                     cands.heading_starts, [], True)
    chapter_run = nb.accept(cands.chapter, [])
    if len(chapter_run) >= 2:
        sections = _with_jie(chapter_run, cands.jie)
        starts = [u.start for u, _ in sections]
        schemes = [nb.accept(c, starts) for c in (cands.sec_cn, cands.paren, cands.arabic)]
    else:
        sections = [(u, 1) for u in nb.accept(cands.sec_cn, [])]
        starts = [u.start for u, _ in sections]
        schemes = [nb.accept(c, starts) for c in (cands.paren, cands.arabic)]
    runs = [r for r in schemes if len(r) >= 2]
    measures = min(runs, key=lambda r: r[0].start) if runs else []
    dec = nb.accept_decimal(cands.decimal)
    dotted = [u for u in dec if len(u.parts) == 2]
    first_other = min([u.start for u, _ in sections[:1]] + [u.start for u in measures[:1]], default=None)
    if len(dotted) >= 2 and len(chapter_run) < 2 and (first_other is None or dotted[0].start < first_other):
        return _Plan([(u, 1) for u in dec if len(u.parts) == 1], dotted, [], [u for u in dec if len(u.parts) == 3], law)
    return _Plan(sections, measures, [], [], law)


# --- phase 3: front matter ------------------------------------------------------------------


@dataclass(slots=True)
class _Front:
    title: str
    docno: str | None
    addr_line: _Line | None
    addressees: list[str]
    report: bool
    lines: list[_Line]  # the lines before the first unit


def _front(lines: list[_Line], first_unit: int, metadata: dict[str, str], source: str | None) -> _Front:
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
    addressees = _split_addressees(addr_line.text) if addr_line else []
    if not all(_ADDRESSEE_END_RE.search(a) for a in addressees):
        addr_line, addressees = None, []  # a sentence ending in ：, not an addressee line
    report = bool(addressees and addressees[0] in _REPORT_ADDRESSEES) or bool(re.search(r"报告(?:（[^）]*）)?$|大\)$|大）$", title))
    return _Front(title, docno, addr_line, addressees, report, front)


# --- phase 4: sections, measures, items, leads, refs ----------------------------------------


def _build_sections(text: str, plan: _Plan, zone_starts: list[int]) -> list[Section]:
    """Sections with their span (to the next section of the same or a higher level), level and parent."""
    units = plan.sections
    out: list[Section] = []
    for k, (u, level) in enumerate(units, 1):
        nxt = next((v.start for v, lv in units[k:] if lv <= level), None)
        end = _unit_end(text, u.start, sorted(zone_starts + ([nxt] if nxt is not None else [])))
        parent = next((j for j in range(k - 1, 0, -1) if units[j - 1][1] < level), None)
        out.append(Section(u.label, u.number, k, _heading(text, u.label_end, -1), u.start, end, level=level, parent=parent))
    by_ord = {s.ordinal: s for s in out}
    for s in out:
        own = s.label if s.label.startswith("第") else (s.label.rstrip("、.． ") or s.title[:20] or str(s.ordinal))
        s.ref = (by_ord[s.parent].ref if s.parent else "") + own
    _dedupe(out)
    return out


def _build_measures(text: str, plan: _Plan, sections: list[Section], zone_starts: list[int]) -> list[Measure]:
    bounds = sorted({u.start for u, _ in plan.sections} | {u.start for u in plan.measures} | set(zone_starts) | set(plan.extra_bounds))
    sec_starts = [s.start for s in sections]
    out: list[Measure] = []
    for k, u in enumerate(plan.measures, 1):
        end = _unit_end(text, u.start, bounds)
        si = bisect.bisect_right(sec_starts, u.start)  # the innermost section: the last one starting before
        out.append(Measure(label=u.label, number=u.number, ordinal=k, heading=_heading(text, u.label_end, end),
                           text=text[u.start : end], start=u.start, end=end, section=si if si else None,
                           sentences=_sentences(text[u.start : end], u.start)))
    return out


def _join(section_ref: str, label: str) -> str:
    """``三`` + ``（二）`` → ``三（二）``; ``二`` + ``1.`` → ``二、1.`` (a numeral next to a digit would misread)."""
    return f"{section_ref}、{label}" if label[:1].isdigit() and section_ref[-1:] in "一二三四五六七八九十" else section_ref + label


def _dedupe(units: list) -> None:
    """Make every ``ref`` unique (compared by :func:`normalise_ref`): a repeat gets ``-2``, ``-3`` …"""
    seen: dict[str, int] = {}
    for u in units:
        key = normalise_ref(u.ref)
        if key in seen:
            seen[key] += 1
            u.ref = f"{u.ref}-{seen[key]}"
        else:
            seen[key] = 1


def _measure_refs(measures: list[Measure], sections: list[Section], decimal: bool) -> None:
    """Each measure's ref: its label, or, where labels repeat (numbering restarts per section), the
    section's ref and the label (``三（二）``); and its section's ref as ``section_number``."""
    by_ord = {s.ordinal: s for s in sections}
    keys = [normalise_ref(m.label) for m in measures]
    restart = not decimal and len(set(keys)) < len(keys)
    for m in measures:
        sec = by_ord.get(m.section)
        m.section_number = sec.ref if sec else None
        m.ref = _join(sec.ref, m.label) if restart and sec else m.label
    _dedupe(measures)


def _add_items(text: str, measures: list[Measure], plan: _Plan, cands: nb.Candidates) -> None:
    specs = [(m.start, m.end, u.scheme) for m, u in zip(measures, plan.measures)]
    for m, run in zip(measures, nb.items_of(specs, cands, plan.decimal_items)):
        for j, it in enumerate(run):
            end = run[j + 1].start if j + 1 < len(run) else m.end
            while end > it.start and text[end - 1].isspace():
                end -= 1
            ref = it.label if it.scheme == "decimal" else m.ref + it.label
            m.items.append(Item(it.label, it.number, ref, text[it.start : end], it.start, end))


def _add_leads(text: str, sections: list[Section], measures: list[Measure]) -> None:
    """A section's lead: its text before its first measure or subsection, when there is more than the heading."""
    m_starts = [m.start for m in measures]
    s_starts = [s.start for s in sections]
    for s in sections:
        stop = s.end
        i = bisect.bisect_right(m_starts, s.start)
        if i < len(m_starts):
            stop = min(stop, m_starts[i])
        j = bisect.bisect_right(s_starts, s.start)
        if j < len(s_starts):
            stop = min(stop, s_starts[j])
        line_end = text.find("\n", s.start, stop)
        line_end = stop if line_end < 0 else line_end
        first = text[s.start : line_end]
        dot = first.find("。")
        if ((first[dot + 1 :] if dot >= 0 else "") + text[line_end:stop]).strip():
            s.lead = (s.start, s.start + len(text[s.start : stop].rstrip()))


# --- phase 5: closing block, preamble, citations --------------------------------------------


def _closing(zones: _Zones, last_unit: int, metadata: dict[str, str]) -> tuple[list[str], str | None, list[str]]:
    """Signatories, date and issuers from the first signature zone after the last unit (else the last one)."""
    closing = next((z for z in zones.sign if z[0] > last_unit), zones.sign[-1] if zones.sign else None)
    signatories = list(closing[2]) if closing else []
    date = metadata.get("date")
    if not date and closing:
        date = _date_iso(closing[3])
    issuer_meta = [p for p in re.split(r"[、\s]+", metadata.get("issuer", "")) if p]
    return signatories, date, list(signatories) or issuer_meta


def _preamble(text: str, front: _Front, zones: _Zones, first_unit: int) -> tuple[int, int] | None:
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


def _cites(text: str, docno: str | None) -> list[str]:
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


def _whole_text(text: str) -> list[Measure]:
    """The one measure of a text with no structure (label ``""``, number 0)."""
    stripped = text.strip()
    if not stripped:
        return []
    s = text.index(stripped)
    return [Measure("", 0, 1, _heading(text, s, s + len(stripped)), stripped, s, s + len(stripped), None, _sentences(stripped, s))]


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
    zones = _find_zones(lines)
    cands = _candidates(lines, zones, len(text))
    plan = _plan(cands, metadata)
    first_unit = min([u.start for u, _ in plan.sections[:1]] + [u.start for u in plan.measures[:1]], default=len(text))
    front = _front(lines, first_unit, metadata, source)
    if not front.report and not plan.measures and len(plan.sections) >= 2 and all(lv == 1 for _, lv in plan.sections):
        plan.measures, plan.sections = [u for u, _ in plan.sections], []

    sections = _build_sections(text, plan, zones.starts)
    measures = _build_measures(text, plan, sections, zones.starts)
    _measure_refs(measures, sections, decimal=bool(plan.measures) and plan.measures[0].scheme == "decimal")
    _add_items(text, measures, plan, cands)
    _add_leads(text, sections, measures)

    structured = bool(measures or sections)
    kind = ("law" if plan.law else "report" if front.report else "policy") if structured else "text"
    if not structured:
        measures = _whole_text(text)
    last_unit = max([u.start for u in plan.measures[-1:]] + [u.start for u, _ in plan.sections[-1:]], default=-1)
    signatories, date, issuers = _closing(zones, last_unit, metadata)
    subjects = [s for s in re.split(r"[、，,;；\s]+", metadata.get("subjects", "")) if s]
    return Document(
        key=front.docno or "sha1:" + sha1[:16],
        title=front.title,
        text=text,
        kind=kind,
        docno=front.docno,
        date=date,
        issuers=issuers,
        addressees=front.addressees,
        signatories=signatories,
        subjects=subjects,
        attachments=zones.attachments,
        cites=_cites(text, front.docno),
        preamble=_preamble(text, front, zones, first_unit) if structured else None,
        sections=sections,
        measures=measures,
        source=source,
        sha1=sha1,
        metadata=dict(metadata),
    )


def find_unit(doc: Document, ref: str | int) -> tuple[Measure | None, Item | None, Section | None]:
    """The measure (and item) or section lead a reference names, as ``(measure, item, section)``.

    ``ref`` is, in this order: a measure's ref (``三（二）``, ``6.``, ``第十条``, ``1.2``; compared by
    :func:`normalise_ref`, so ``三(二)`` and ``6`` work), an item's ref (``四（一）3.``, ``1.2.1``), a
    section's ref for its lead paragraph (``三``), a printed label that only one measure (or item)
    has, or the measure's ordinal (a bare integer).

    Raises:
        BadInputError: an empty reference, or a printed label that several measures share.
        NotFoundError: nothing in the document has that reference.
    """
    from policykg.errors import BadInputError, NotFoundError

    key = normalise_ref(str(ref))
    if not key:
        raise BadInputError(f"Empty measure reference {ref!r}: give its label (e.g. 三（二）, 6., 第十条) or its ordinal.")
    items = [(m, it) for m in doc.measures for it in m.items]
    for m in doc.measures:
        if normalise_ref(m.ref or m.label) == key:
            return m, None, None
    for m, it in items:
        if normalise_ref(it.ref) == key:
            return m, it, None
    for s in doc.sections:
        if s.lead and normalise_ref(s.ref) == key:
            return None, None, s
    printed = [m for m in doc.measures if normalise_ref(m.label) == key]
    printed_items = [(m, it) for m, it in items if normalise_ref(it.label) == key]
    if len(printed) > 1 or (not printed and len(printed_items) > 1):
        refs = "、".join((m.ref for m in printed) if printed else (it.ref for _, it in printed_items[:8]))
        raise BadInputError(f"Several measures of {doc.key} are numbered {ref!r}: name one of {refs}.")
    if printed:
        return printed[0], None, None
    if printed_items:
        return printed_items[0][0], printed_items[0][1], None
    if key.isdigit() and 1 <= int(key) <= len(doc.measures):
        return doc.measures[int(key) - 1], None, None
    some = "、".join(m.ref or m.label or str(m.ordinal) for m in doc.measures[:6])
    raise NotFoundError(f"Document {doc.key} has no measure {ref!r}; its measures are {some}… "
                        f"(GET /documents/{doc.key} lists them all).")
