"""Turn an ingested :class:`ingest.model.Document` into RDF quads (N-Quads text, no rdflib).

One named graph per document (the document's IRI). Every extracted fact points to its
measure and character span: an ``pkg:Involvement`` node per (measure, entity, role)
with ``prov:wasDerivedFrom`` the measure and ``pkg:evidence`` one ``pkg:Mention``
text-position selector (``oa:start``, ``oa:end``, ``oa:exact``) per mention. There are
no blank nodes, so re-building the same document yields the same quads.

The builders write N-Quads lines (:mod:`graph.ntext`): :func:`document_lines` is what an ingest
worker sends to the store's bulk loader, :func:`document_quads` the same as ``pyoxigraph.Quad``
objects.

>>> from ingest.model import Document
>>> quads = document_quads(Document(key="X1", title="测试", text="正文"))
>>> len(quads) > 0 and all(q.graph_name.value == iri.document_iri("X1") for q in quads)
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode, Quad

from graph import iri
from graph import vocab as V
from graph.entity_quads import entity_node_lines, gazetteer_quads, ontology_quads, org_key, type_value
from graph.entity_types import ORG_TYPES
from graph.ntext import T, decimal, integer, lit, node, quad, to_quads, typed, zh
from graph.temporal import temporal_lines
from ontology.types import ROLES

if TYPE_CHECKING:
    from ingest.model import Document, Measure, Mention, Section, Target, Task

__all__ = ["ROLE_PROPERTY", "document_lines", "document_quads", "gazetteer_quads", "ontology_quads",
           "task_link_quads"]  # the entity and reference graphs are built in graph.entity_quads

#: Role value -> ontology property (``ontology.types.ROLES``).
ROLE_PROPERTY: dict[str, NamedNode] = {r.value: V.pkg(spec.property) for r, spec in ROLES.items()}
_ROLE_TERM: dict[str, str] = {role: f"<{p.value}>" for role, p in ROLE_PROPERTY.items()}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _role_value(r: Any) -> str:
    return getattr(r, "value", r) or "involved"


EVIDENCE_KINDS = {"gazetteer", "pattern", "table"}


def _selector(sel: str, start: int, end: int, exact: str, g: str) -> list[str]:
    """A mention's text-position selector. Its measure (or task) is the one the involvement or target
    pointing at it is derived from, and prefixes its IRI: no ``prov:wasDerivedFrom`` of its own (one
    quad in seven of a selector, ~4 % of a document's quads)."""
    return [
        quad(sel, T.RDF_TYPE, T.PKG_MENTION, g),
        quad(sel, T.RDF_TYPE, T.OA_SELECTOR, g),
        quad(sel, T.OA_START, integer(start), g),
        quad(sel, T.OA_END, integer(end), g),
        quad(sel, T.OA_EXACT, lit(exact), g),
    ]


def _mention_lines(owner_iri: str, mentions: Iterable[Mention], g: str, seen: set[str]) -> list[str]:
    """Involvement + mention-selector nodes for an owner (measure or task), role links, entity nodes."""
    out: list[str] = []
    owner = node(owner_iri)
    involves = T.PKG_INVOLVES
    for m in mentions:
        etype = type_value(m.type)
        role = _role_value(m.role)
        ent_iri = iri.entity_iri(m.entity)
        ent = node(ent_iri)
        if etype in ORG_TYPES:
            out.append(quad(owner, involves, ent, g))
            prop = _ROLE_TERM.get(role, involves)
            if prop != involves:
                out.append(quad(owner, prop, ent, g))
        else:
            out.append(quad(owner, T.PKG_MENTIONS, ent, g))
        inv = node(iri.involvement_iri(owner_iri, m.entity, role))
        sel_iri = iri.mention_iri(owner_iri, m.start, m.end)
        sel = node(sel_iri)
        out += [
            quad(inv, T.RDF_TYPE, T.PKG_INVOLVEMENT, g),
            quad(inv, T.PROV_WAS_DERIVED_FROM, owner, g),
            quad(inv, T.PKG_AGENT, ent, g),
            quad(inv, T.PKG_ROLE, lit(role), g),
            quad(inv, T.PKG_EVIDENCE, sel, g),
        ]
        if sel_iri not in seen:
            seen.add(sel_iri)
            out += _selector(sel, m.start, m.end, m.text, g)
            if m.source in EVIDENCE_KINDS:
                out.append(quad(sel, T.PKG_EVIDENCE_KIND, lit(m.source), g))
        if ent_iri not in seen:
            seen.add(ent_iri)
            out += entity_node_lines(m.entity, etype, m.label, g, m.aliases or ())
    return out


def _span_lines(unit_iri: str, start: int, end: int, g: str) -> list[str]:
    """A text-position selector ``<unit>/span`` giving a unit's span in the document's text (its unit is the
    one that has it as ``oa:hasSelector``: no ``prov:wasDerivedFrom`` back)."""
    span = node(iri.measure_span_iri(unit_iri))
    return [
        quad(node(unit_iri), T.OA_HAS_SELECTOR, span, g),
        quad(span, T.RDF_TYPE, T.OA_SELECTOR, g),
        quad(span, T.OA_START, integer(start), g),
        quad(span, T.OA_END, integer(end), g),
    ]


def _item_lines(measure_iri: str, measure: str, k: int, it: Any, g: str) -> list[str]:
    """A numbered item inside a measure: a subdivision of it with its number and ref. Four quads (laws
    hold about 54,000 items); its text and span are the document's (``GET /documents/{key}/measures/{ref}``)."""
    n = node(iri.item_iri(measure_iri, k))
    return [
        quad(n, T.RDF_TYPE, T.ELI_SUBDIVISION, g),
        quad(n, T.ELI_IS_PART_OF, measure, g),
        quad(n, T.ELI_NUMBER, lit(it.label), g),
        quad(n, T.ELI_ID_LOCAL, lit(it.ref), g),
    ]


def _subdivision_lines(n: str, cls: str, label: str, ordinal: int, g: str) -> list[str]:
    """What a measure and a section both say of themselves: an ``eli:LegalResourceSubdivision`` of class ``cls``
    in the document (the graph ``g``), with its number label and ordinal."""
    return [
        quad(n, T.RDF_TYPE, T.ELI_SUBDIVISION, g),
        quad(n, T.RDF_TYPE, cls, g),
        quad(n, T.ELI_IS_PART_OF, g, g),
        quad(n, T.ELI_NUMBER, lit(label), g),
        quad(n, T.PKG_NUMBER_LABEL, lit(label), g),
        quad(n, T.PKG_ORDINAL, integer(ordinal), g),
    ]


def _measure_lines(doc: Document, m: Measure, g: str, seen: set[str]) -> list[str]:
    m_iri = iri.measure_iri(doc.key, m.ordinal)
    n = node(m_iri)
    out = _subdivision_lines(n, T.PKG_MEASURE, m.label, m.ordinal, g) + [
        quad(n, T.PKG_NUMBER, integer(m.number), g),
        quad(n, T.PKG_HEADING, zh(m.heading), g),
        quad(n, T.PKG_TEXT, zh(m.text), g),
    ]
    out += _span_lines(m_iri, m.start, m.end, g)
    if m.ref:
        out.append(quad(n, T.ELI_ID_LOCAL, lit(m.ref), g))
    if m.section is not None:
        out.append(quad(n, T.ELI_IS_PART_OF, node(iri.section_iri(doc.key, m.section)), g))
    for k, it in enumerate(m.items, 1):
        out += _item_lines(m_iri, n, k, it, g)
    out += _mention_lines(m_iri, m.mentions, g, seen)
    for t in m.targets:
        out += _target_lines(m_iri, n, t, g)
    return out


def _target_lines(m_iri: str, measure: str, t: Target, g: str) -> list[str]:
    """A quantified or dated target of a measure, with its evidence span; none for a target with neither."""
    if t.quantity is None and t.year is None:
        return []  # nothing quantified or dated: not a target (the shapes require one of the two)
    t_iri = iri.target_iri(m_iri, t.start, t.end)
    tn = node(t_iri)
    sel = node(iri.target_span_iri(t_iri))
    out = [
        quad(measure, T.PKG_HAS_TARGET, tn, g),
        quad(tn, T.RDF_TYPE, T.PKG_TARGET, g),
        quad(tn, T.PROV_WAS_DERIVED_FROM, measure, g),
        quad(tn, T.PKG_TEXT, lit(t.text), g),
        quad(tn, T.PKG_EVIDENCE, sel, g),
    ]
    out += _selector(sel, t.start, t.end, t.text, g)
    if t.quantity is not None:
        out.append(quad(tn, T.PKG_QUANTITY, decimal(t.quantity), g))
    if t.quantity_max is not None:
        out.append(quad(tn, T.PKG_QUANTITY_MAX, decimal(t.quantity_max), g))
    if t.unit:
        out.append(quad(tn, T.PKG_UNIT, lit(t.unit), g))
    if t.comparator:
        out.append(quad(tn, T.PKG_COMPARATOR, lit(t.comparator), g))
    if t.year is not None:
        out.append(quad(tn, T.PKG_DEADLINE_YEAR, integer(t.year), g))
    return out


def _org_lines(subject: str, props: tuple[str, ...], name: str, g: str, seen: set[str]) -> list[str]:
    """``subject`` linked by each of ``props`` to the organisation ``name`` (metadata, task tables), and the
    organisation's node the first time the document names it."""
    key, etype, label = org_key(name)
    ent_iri = iri.entity_iri(key)
    ent = node(ent_iri)
    out = [quad(subject, p, ent, g) for p in props]
    if ent_iri not in seen:
        seen.add(ent_iri)
        out += entity_node_lines(key, etype, label, g)
    return out


def _task_lines(doc: Document, task: Task, g: str, seen: set[str]) -> list[str]:
    t_iri = iri.task_iri(doc.key, task.row)
    n = node(t_iri)
    out = [
        quad(n, T.RDF_TYPE, T.PKG_TASK, g),
        quad(n, T.ELI_IS_PART_OF, g, g),
        quad(n, T.PKG_ORDINAL, integer(task.row), g),
        quad(n, T.PKG_TEXT, zh(task.text), g),
    ]
    for names, prop in ((task.lead, T.PKG_LEAD_BY), (task.responsible, T.PKG_RESPONSIBLE),
                        (task.support, T.PKG_PARTICIPANT)):
        for name in names:
            if name.strip():
                out += _org_lines(n, (T.PKG_INVOLVES, prop), name, g, seen)
    if task.deadline and _DATE.match(task.deadline):
        out.append(quad(n, T.PKG_DEADLINE, typed(task.deadline, T.XSD_DATE), g))
        out.append(quad(n, T.PKG_DEADLINE_YEAR, integer(int(task.deadline[:4])), g))
    if task.deadline_text:
        out.append(quad(n, T.RDFS_LABEL, lit(task.deadline_text), g))
    out += _mention_lines(t_iri, task.mentions, g, seen)
    return out


def document_lines(doc: Document) -> list[str]:
    """All quads of one document, in the named graph ``document_iri(doc.key)``, as unique N-Quads lines in
    a stable order."""
    g = node(iri.document_iri(doc.key))
    seen: set[str] = set()
    out = _document_head_lines(doc, g, seen)
    for s in doc.sections:
        out += _section_lines(doc, s, g)
    for m in doc.measures:
        out += _measure_lines(doc, m, g, seen)
    for t in doc.tasks:
        out += _task_lines(doc, t, g, seen)
    out += temporal_lines(doc)  # edition, validity and citations (graph.temporal)
    return list(dict.fromkeys(out))


def document_quads(doc: Document) -> list[Quad]:
    """:func:`document_lines` as ``pyoxigraph.Quad`` objects."""
    return to_quads(document_lines(doc))


def _document_head_lines(doc: Document, g: str, seen: set[str]) -> list[str]:
    """The document node (its graph's IRI): title, kind, 发文字号, date, issuers, addressees, citations, annexes."""
    d = g
    out = [
        quad(d, T.RDF_TYPE, T.ELI_LEGAL_RESOURCE, g),
        quad(d, T.DCT_TITLE, zh(doc.title or doc.key), g),
        quad(d, T.PKG_KIND, lit(doc.kind or "text"), g),
    ]
    if doc.docno:
        out += [quad(d, T.DCT_IDENTIFIER, lit(doc.docno), g), quad(d, T.ELI_ID_LOCAL, lit(doc.docno), g)]
    if doc.date and _DATE.match(doc.date):
        out.append(quad(d, T.ELI_DATE_DOCUMENT, typed(doc.date, T.XSD_DATE), g))
    for name in doc.issuers:
        if name.strip():
            out += _org_lines(d, (T.ELI_PASSED_BY,), name, g, seen)
    out += [quad(d, T.PKG_ADDRESSEE, lit(name.strip()), g) for name in doc.addressees if name.strip()]
    out += [quad(d, T.DCT_SUBJECT, lit(subject.strip()), g) for subject in doc.subjects if subject.strip()]
    for cited in doc.cites:
        cited = cited.strip()
        if cited:
            prop = T.PKG_CITES_DOCNO if _looks_like_docno(cited) else T.PKG_CITES_TITLE
            out.append(quad(d, prop, lit(cited.strip("《》")), g))
    out += [quad(d, T.PKG_ATTACHMENT_TITLE, lit(att.title), g) for att in doc.attachments]
    if doc.parent:
        parent = node(iri.document_iri(doc.parent))
        out += [quad(parent, T.ELI_HAS_ANNEX, d, g), quad(d, T.ELI_IS_ANNEX_OF, parent, g)]
    return out


def _section_lines(doc: Document, s: Section, g: str) -> list[str]:
    """A section (一、, 第二章 …): number, ordinal, heading, ref, and its lead paragraph's text and span."""
    s_iri = iri.section_iri(doc.key, s.ordinal)
    sn = node(s_iri)
    out = _subdivision_lines(sn, T.PKG_SECTION, s.label, s.ordinal, g) + [quad(sn, T.PKG_HEADING, zh(s.title), g)]
    if s.ref:
        out.append(quad(sn, T.ELI_ID_LOCAL, lit(s.ref), g))
    if s.lead:
        out.append(quad(sn, T.PKG_TEXT, zh(doc.text[s.lead[0]:s.lead[1]]), g))
        out += _span_lines(s_iri, s.lead[0], s.lead[1], g)
    return out


_DOCNO = re.compile(r"〔\d{4}〕\d+号$|\[\d{4}\]\d+号$|\d{4}年第?\d+号$")


def _looks_like_docno(s: str) -> bool:
    return bool(_DOCNO.search(s.strip()))


def task_link_quads(task_iri: str, measure_iri: str, confidence: float, evidence_kind: str, graph: str) -> list[Quad]:
    """Quads linking a task row to a measure it implements, with the link's confidence and kind.

    ``task pkg:implements measure`` plus a link node ``<task>/implements/<n>`` carrying
    ``pkg:confidence`` and ``pkg:evidenceKind`` (e.g. "explicit", "lexical", "semantic").

    >>> qs = task_link_quads("https://x/t/1", "https://x/m/3", 0.9, "explicit", "https://x/g")
    >>> sorted(q.predicate.value.rsplit("#", 1)[1] for q in qs)
    ['confidence', 'evidenceKind', 'implements', 'implements', 'wasDerivedFrom']
    """
    g, task, measure = node(graph), node(task_iri), node(measure_iri)
    link = node(f"{task_iri}/implements/{iri.encode(measure_iri.removeprefix(iri.ID_BASE))}")
    return to_quads([
        quad(task, T.PKG_IMPLEMENTS, measure, g),
        quad(link, T.PROV_WAS_DERIVED_FROM, task, g),
        quad(link, T.PKG_IMPLEMENTS, measure, g),
        quad(link, T.PKG_CONFIDENCE, decimal(confidence), g),
        quad(link, T.PKG_EVIDENCE_KIND, lit(evidence_kind), g),
    ])
