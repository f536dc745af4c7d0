"""Parse cleaned policy text into a :class:`~ingest.model.Document`: metadata, sections, measures,
items, section leads, sentences.

``parse_structure`` runs in phases: the zones and front matter (:mod:`ingest.frontmatter`), the
numbered lines of every scheme (:mod:`ingest.numbering`), the hierarchy they form, then the units:

- sections: ``第一章`` with its ``第一节`` (laws and long policies), ``一、`` (policies, reports), ``1``
  of decimal numbering, Markdown ``##`` headings (laws);
- measures: ``第一条`` / ``第一百二十条之一`` (laws), ``（一）`` (State Council documents, reports), ``1.``
  (the Baoding policy), ``1.1`` (decimal numbering, e.g. contingency plans);
- items inside a measure: the next scheme down (``（一）`` in an article, ``1.`` in a （一） measure,
  ``（1）`` / ``①``, ``1.1.1`` in a decimal measure), kept addressable with their spans;
- a section's lead: its own text before its first measure, a unit of its own.

Numbering must be monotonic within its scheme (``n`` follows ``n-1``; ``1`` may restart after a new
section), which rejects false starts. Every measure, item and section gets a ref unique in its
document (:mod:`ingest.refs`): ``三（二）`` where numbering restarts per section.

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
from dataclasses import dataclass

from ingest import frontmatter as fm
from ingest import numbering as nb
from ingest import refs
from ingest.model import Document, Item, Measure, Section, Sentence
from ingest.numbering import Unit as _Unit

_SENT_RE = re.compile(r"[^\s。！？；][^。！？；\n]*(?:[。！？；]+[”’」』）)]*)?")


def _sentences(text: str, base: int) -> list[Sentence]:
    out = []
    for m in _SENT_RE.finditer(text):
        s = m.group(0).rstrip()
        if s:
            out.append(Sentence(s, base + m.start(), base + m.start() + len(s)))
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


# --- phase 1: candidates ----------------------------------------------------------


def _candidates(lines: list[fm.Line], zones: fm.Zones, text_len: int) -> nb.Candidates:
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
    if not sections and not measures and len(cands.md) >= 2:  # unnumbered ## headings: sections with leads
        sections = [(u, 1) for u in cands.md]
    return _Plan(sections, measures, [], [], law)


# --- phase 3: sections, measures, items, leads, refs ----------------------------------------


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
    refs.dedupe(out)
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
    lines = fm.lines_of(text)
    zones = fm.find_zones(lines)
    cands = _candidates(lines, zones, len(text))
    plan = _plan(cands, metadata)
    first_unit = min([u.start for u, _ in plan.sections[:1]] + [u.start for u in plan.measures[:1]], default=len(text))
    front = fm.front_matter(lines, first_unit, metadata, source)
    if (not front.report and not plan.measures and len(plan.sections) >= 2 and all(lv == 1 for _, lv in plan.sections)
            and plan.sections[0][0].scheme != "md"):
        plan.measures, plan.sections = [u for u, _ in plan.sections], []

    sections = _build_sections(text, plan, zones.starts)
    measures = _build_measures(text, plan, sections, zones.starts)
    refs.measure_refs(measures, sections, decimal=bool(plan.measures) and plan.measures[0].scheme == "decimal")
    _add_items(text, measures, plan, cands)
    _add_leads(text, sections, measures)

    structured = bool(measures or sections)
    kind = ("law" if plan.law else "report" if front.report else "policy") if structured else "text"
    if not structured:
        measures = _whole_text(text)
    last_unit = max([u.start for u in plan.measures[-1:]] + [u.start for u, _ in plan.sections[-1:]], default=-1)
    signatories, date, issuers = fm.closing(zones, last_unit, metadata)
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
        cites=fm.cites(text, front.docno),
        preamble=fm.preamble(text, front, zones, first_unit) if structured else None,
        sections=sections,
        measures=measures,
        source=source,
        sha1=sha1,
        metadata=dict(metadata),
    )

