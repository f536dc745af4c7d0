"""Turn an ingested :class:`ingest.model.Document` into RDF quads (pyoxigraph, no rdflib).

One named graph per document (the document's IRI). Every extracted fact points to its
measure and character span: an ``pkg:Involvement`` node per (measure, entity, role)
with ``prov:wasDerivedFrom`` the measure and ``pkg:evidence`` one ``pkg:Mention``
text-position selector (``oa:start``, ``oa:end``, ``oa:exact``) per mention. There are
no blank nodes, so re-building the same document yields the same quads.

>>> from ingest.model import Document
>>> quads = document_quads(Document(key="X1", title="测试", text="正文"))
>>> len(quads) > 0 and all(q.graph_name.value == iri.document_iri("X1") for q in quads)
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Quad

from graph import iri
from graph import vocab as V
from graph.entity_quads import entity_node_quads, gazetteer_quads, ontology_quads, org_key, type_value
from graph.entity_types import ORG_TYPES
from graph.literals import decimal_literal, int_literal, zh_literal
from graph.temporal import temporal_quads
from ontology.types import ROLES

if TYPE_CHECKING:
    from ingest.model import Document, Measure, Mention, Section, Target, Task

__all__ = ["ROLE_PROPERTY", "document_quads", "entity_node_quads", "gazetteer_quads", "ontology_quads",
           "task_link_quads"]  # the entity and reference graphs are built in graph.entity_quads

#: Role value -> ontology property (``ontology.types.ROLES``).
ROLE_PROPERTY: dict[str, NamedNode] = {r.value: V.pkg(spec.property) for r, spec in ROLES.items()}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _role_value(r: Any) -> str:
    return getattr(r, "value", r) or "involved"


EVIDENCE_KINDS = {"gazetteer", "pattern", "table"}


def _selector(node: NamedNode, start: int, end: int, exact: str, g: NamedNode) -> list[Quad]:
    """A mention's text-position selector. Its measure (or task) is the one the involvement or target
    pointing at it is derived from, and prefixes its IRI: no ``prov:wasDerivedFrom`` of its own (one
    quad in seven of a selector, ~4 % of a document's quads)."""
    return [
        Quad(node, V.RDF_TYPE, V.PKG_MENTION, g),
        Quad(node, V.RDF_TYPE, V.OA_SELECTOR, g),
        Quad(node, V.OA_START, int_literal(start), g),
        Quad(node, V.OA_END, int_literal(end), g),
        Quad(node, V.OA_EXACT, Literal(exact), g),
    ]


def _mention_quads(owner: NamedNode, mentions: Iterable[Mention], g: NamedNode, seen: set[str]) -> list[Quad]:
    """Involvement + mention-selector nodes for an owner (measure or task), role links, entity nodes."""
    out: list[Quad] = []
    owner_iri = owner.value
    for m in mentions:
        etype = type_value(m.type)
        role = _role_value(m.role)
        ent = NamedNode(iri.entity_iri(m.entity))
        if etype in ORG_TYPES:
            out.append(Quad(owner, V.PKG_INVOLVES, ent, g))
            prop = ROLE_PROPERTY.get(role, V.PKG_INVOLVES)
            if prop is not V.PKG_INVOLVES:
                out.append(Quad(owner, prop, ent, g))
        else:
            out.append(Quad(owner, V.PKG_MENTIONS, ent, g))
        inv = NamedNode(iri.involvement_iri(owner_iri, m.entity, role))
        sel = NamedNode(iri.mention_iri(owner_iri, m.start, m.end))
        out += [
            Quad(inv, V.RDF_TYPE, V.PKG_INVOLVEMENT, g),
            Quad(inv, V.PROV_WAS_DERIVED_FROM, owner, g),
            Quad(inv, V.PKG_AGENT, ent, g),
            Quad(inv, V.PKG_ROLE, Literal(role), g),
            Quad(inv, V.PKG_EVIDENCE, sel, g),
        ]
        if sel.value not in seen:
            seen.add(sel.value)
            out += _selector(sel, m.start, m.end, m.text, g)
            if m.source in EVIDENCE_KINDS:
                out.append(Quad(sel, V.PKG_EVIDENCE_KIND, Literal(m.source), g))
        if ent.value not in seen:
            seen.add(ent.value)
            out += entity_node_quads(m.entity, etype, m.label, g, m.aliases or ())
    return out


def _span_quads(node: NamedNode, start: int, end: int, g: NamedNode) -> list[Quad]:
    """A text-position selector ``<node>/span`` giving a unit's span in the document's text (its unit is the
    one that has it as ``oa:hasSelector``: no ``prov:wasDerivedFrom`` back)."""
    span = NamedNode(iri.measure_span_iri(node.value))
    return [
        Quad(node, V.OA_HAS_SELECTOR, span, g),
        Quad(span, V.RDF_TYPE, V.OA_SELECTOR, g),
        Quad(span, V.OA_START, int_literal(start), g),
        Quad(span, V.OA_END, int_literal(end), g),
    ]


def _item_quads(measure: NamedNode, k: int, it: Any, g: NamedNode) -> list[Quad]:
    """A numbered item inside a measure: a subdivision of it with its number and ref. Four quads (laws
    hold about 54,000 items); its text and span are the document's (``GET /documents/{key}/measures/{ref}``)."""
    node = NamedNode(iri.item_iri(measure.value, k))
    return [
        Quad(node, V.RDF_TYPE, V.ELI_SUBDIVISION, g),
        Quad(node, V.ELI_IS_PART_OF, measure, g),
        Quad(node, V.ELI_NUMBER, Literal(it.label), g),
        Quad(node, V.ELI_ID_LOCAL, Literal(it.ref), g),
    ]


def _measure_quads(doc: Document, m: Measure, doc_node: NamedNode, g: NamedNode, seen: set[str]) -> list[Quad]:
    node = NamedNode(iri.measure_iri(doc.key, m.ordinal))
    span = NamedNode(iri.measure_span_iri(node.value))
    out = [
        Quad(node, V.RDF_TYPE, V.ELI_SUBDIVISION, g),
        Quad(node, V.RDF_TYPE, V.PKG_MEASURE, g),
        Quad(node, V.ELI_IS_PART_OF, doc_node, g),
        Quad(node, V.ELI_NUMBER, Literal(m.label), g),
        Quad(node, V.PKG_NUMBER_LABEL, Literal(m.label), g),
        Quad(node, V.PKG_ORDINAL, int_literal(m.ordinal), g),
        Quad(node, V.PKG_NUMBER, int_literal(m.number), g),
        Quad(node, V.PKG_HEADING, zh_literal(m.heading), g),
        Quad(node, V.PKG_TEXT, zh_literal(m.text), g),
        Quad(node, V.OA_HAS_SELECTOR, span, g),
        Quad(span, V.RDF_TYPE, V.OA_SELECTOR, g),
        Quad(span, V.OA_START, int_literal(m.start), g),
        Quad(span, V.OA_END, int_literal(m.end), g),
    ]
    if m.ref:
        out.append(Quad(node, V.ELI_ID_LOCAL, Literal(m.ref), g))
    if m.section is not None:
        out.append(Quad(node, V.ELI_IS_PART_OF, NamedNode(iri.section_iri(doc.key, m.section)), g))
    for k, it in enumerate(m.items, 1):
        out += _item_quads(node, k, it, g)
    out += _mention_quads(node, m.mentions, g, seen)
    for t in m.targets:
        out += _target_quads(node, t, g)
    return out


def _target_quads(node: NamedNode, t: Target, g: NamedNode) -> list[Quad]:
    """A quantified or dated target of a measure, with its evidence span; none for a target with neither."""
    if t.quantity is None and t.year is None:
        return []  # nothing quantified or dated: not a target (the shapes require one of the two)
    tn = NamedNode(iri.target_iri(node.value, t.start, t.end))
    sel = NamedNode(iri.target_span_iri(tn.value))
    out = [
        Quad(node, V.PKG_HAS_TARGET, tn, g),
        Quad(tn, V.RDF_TYPE, V.PKG_TARGET, g),
        Quad(tn, V.PROV_WAS_DERIVED_FROM, node, g),
        Quad(tn, V.PKG_TEXT, Literal(t.text), g),
        Quad(tn, V.PKG_EVIDENCE, sel, g),
    ]
    out += _selector(sel, t.start, t.end, t.text, g)
    if t.quantity is not None:
        out.append(Quad(tn, V.PKG_QUANTITY, decimal_literal(t.quantity), g))
    if t.quantity_max is not None:
        out.append(Quad(tn, V.PKG_QUANTITY_MAX, decimal_literal(t.quantity_max), g))
    if t.unit:
        out.append(Quad(tn, V.PKG_UNIT, Literal(t.unit), g))
    if t.comparator:
        out.append(Quad(tn, V.PKG_COMPARATOR, Literal(t.comparator), g))
    if t.year is not None:
        out.append(Quad(tn, V.PKG_DEADLINE_YEAR, int_literal(t.year), g))
    return out


def _task_quads(doc: Document, task: Task, doc_node: NamedNode, g: NamedNode, seen: set[str]) -> list[Quad]:
    node = NamedNode(iri.task_iri(doc.key, task.row))
    out = [
        Quad(node, V.RDF_TYPE, V.PKG_TASK, g),
        Quad(node, V.ELI_IS_PART_OF, doc_node, g),
        Quad(node, V.PKG_ORDINAL, int_literal(task.row), g),
        Quad(node, V.PKG_TEXT, zh_literal(task.text), g),
    ]
    for names, prop in ((task.lead, V.PKG_LEAD_BY), (task.responsible, V.PKG_RESPONSIBLE), (task.support, V.PKG_PARTICIPANT)):
        for name in names:
            if not name.strip():
                continue
            key, etype, label = org_key(name)
            ent = NamedNode(iri.entity_iri(key))
            out += [Quad(node, V.PKG_INVOLVES, ent, g), Quad(node, prop, ent, g)]
            if ent.value not in seen:
                seen.add(ent.value)
                out += entity_node_quads(key, etype, label, g)
    if task.deadline and _DATE.match(task.deadline):
        out.append(Quad(node, V.PKG_DEADLINE, Literal(task.deadline, datatype=V.XSD_DATE), g))
        out.append(Quad(node, V.PKG_DEADLINE_YEAR, int_literal(int(task.deadline[:4])), g))
    if task.deadline_text:
        out.append(Quad(node, V.RDFS_LABEL, Literal(task.deadline_text), g))
    out += _mention_quads(node, task.mentions, g, seen)
    return out


def document_quads(doc: Document) -> list[Quad]:
    """All quads of one document, in the named graph ``document_iri(doc.key)``."""
    g = NamedNode(iri.document_iri(doc.key))
    seen: set[str] = set()
    out = _document_head_quads(doc, g, seen)
    for s in doc.sections:
        out += _section_quads(doc, s, g)
    for m in doc.measures:
        out += _measure_quads(doc, m, g, g, seen)
    for t in doc.tasks:
        out += _task_quads(doc, t, g, g, seen)
    out += temporal_quads(doc)  # edition, validity and citations (graph.temporal)
    return list(dict.fromkeys(out))  # unique, in a stable order


def _document_head_quads(doc: Document, g: NamedNode, seen: set[str]) -> list[Quad]:
    """The document node (its graph's IRI): title, kind, 发文字号, date, issuers, addressees, citations, annexes."""
    d = g
    out = [
        Quad(d, V.RDF_TYPE, V.ELI_LEGAL_RESOURCE, g),
        Quad(d, V.DCT_TITLE, zh_literal(doc.title or doc.key), g),
        Quad(d, V.PKG_KIND, Literal(doc.kind or "text"), g),
    ]
    if doc.docno:
        out += [Quad(d, V.DCT_IDENTIFIER, Literal(doc.docno), g), Quad(d, V.ELI_ID_LOCAL, Literal(doc.docno), g)]
    if doc.date and _DATE.match(doc.date):
        out.append(Quad(d, V.ELI_DATE_DOCUMENT, Literal(doc.date, datatype=V.XSD_DATE), g))
    for name in doc.issuers:
        if name.strip():
            key, etype, label = org_key(name)
            ent = NamedNode(iri.entity_iri(key))
            out.append(Quad(d, V.ELI_PASSED_BY, ent, g))
            if ent.value not in seen:
                seen.add(ent.value)
                out += entity_node_quads(key, etype, label, g)
    out += [Quad(d, V.PKG_ADDRESSEE, Literal(name.strip()), g) for name in doc.addressees if name.strip()]
    out += [Quad(d, V.DCT_SUBJECT, Literal(subject.strip()), g) for subject in doc.subjects if subject.strip()]
    for cited in doc.cites:
        cited = cited.strip()
        if cited:
            prop = V.PKG_CITES_DOCNO if _looks_like_docno(cited) else V.PKG_CITES_TITLE
            out.append(Quad(d, prop, Literal(cited.strip("《》")), g))
    out += [Quad(d, V.PKG_ATTACHMENT_TITLE, Literal(att.title), g) for att in doc.attachments]
    if doc.parent:
        parent = NamedNode(iri.document_iri(doc.parent))
        out += [Quad(parent, V.ELI_HAS_ANNEX, d, g), Quad(d, V.ELI_IS_ANNEX_OF, parent, g)]
    return out


def _section_quads(doc: Document, s: Section, g: NamedNode) -> list[Quad]:
    """A section (一、, 第二章 …): number, ordinal, heading, ref, and its lead paragraph's text and span."""
    sn = NamedNode(iri.section_iri(doc.key, s.ordinal))
    out = [
        Quad(sn, V.RDF_TYPE, V.ELI_SUBDIVISION, g),
        Quad(sn, V.RDF_TYPE, V.PKG_SECTION, g),
        Quad(sn, V.ELI_IS_PART_OF, g, g),
        Quad(sn, V.ELI_NUMBER, Literal(s.label), g),
        Quad(sn, V.PKG_NUMBER_LABEL, Literal(s.label), g),
        Quad(sn, V.PKG_ORDINAL, int_literal(s.ordinal), g),
        Quad(sn, V.PKG_HEADING, zh_literal(s.title), g),
    ]
    if s.ref:
        out.append(Quad(sn, V.ELI_ID_LOCAL, Literal(s.ref), g))
    if s.lead:
        out.append(Quad(sn, V.PKG_TEXT, zh_literal(doc.text[s.lead[0]:s.lead[1]]), g))
        out += _span_quads(sn, s.lead[0], s.lead[1], g)
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
    g = NamedNode(graph)
    task, measure = NamedNode(task_iri), NamedNode(measure_iri)
    link = NamedNode(f"{task_iri}/implements/{iri.encode(measure_iri.removeprefix(iri.ID_BASE))}")
    return [
        Quad(task, V.PKG_IMPLEMENTS, measure, g),
        Quad(link, V.PROV_WAS_DERIVED_FROM, task, g),
        Quad(link, V.PKG_IMPLEMENTS, measure, g),
        Quad(link, V.PKG_CONFIDENCE, decimal_literal(confidence), g),
        Quad(link, V.PKG_EVIDENCE_KIND, Literal(evidence_kind), g),
    ]
