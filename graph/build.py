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
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, Quad

from graph import iri
from graph import vocab as V
from graph.temporal import temporal_quads
from ontology.types import ENTITY_TYPES, ORG_TYPE_VALUES, ROLES

if TYPE_CHECKING:
    from ingest.model import Document, Measure, Mention, Task

ROLE_PROPERTY: dict[str, NamedNode] = {r.value: V.pkg(spec.property) for r, spec in ROLES.items()}

#: Entity type value -> ontology class (local name), organisation types, concept schemes: ``ontology.types``.
TYPE_CLASS: dict[str, str] = {t.value: spec.rdf_class for t, spec in ENTITY_TYPES.items()}
ORG_TYPES = ORG_TYPE_VALUES
CLASS_NODE: dict[str, NamedNode] = {t: V.pkg(c) for t, c in TYPE_CLASS.items()}
#: Concept type -> concept scheme name.
SCHEME_OF = {t.value: spec.scheme for t, spec in ENTITY_TYPES.items() if spec.scheme}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _type_value(t: Any) -> str:
    return getattr(t, "value", t) or ""


def _role_value(r: Any) -> str:
    return getattr(r, "value", r) or "involved"


@lru_cache(maxsize=1 << 16)
def _int(n: int) -> Literal:
    return Literal(str(int(n)), datatype=V.XSD_INTEGER)


def _dec(x: float) -> Literal:
    s = repr(float(x))
    if s.endswith(".0"):
        s = s[:-2]
    return Literal(s, datatype=V.XSD_DECIMAL)


def _zh(s: str) -> Literal:
    return Literal(s, language="zh")


_CJK = re.compile(r"[\u3400-\u9fff]")


def _label(s: str) -> Literal:
    """A label tagged ``zh`` when it contains Chinese characters, else ``en``."""
    return Literal(s, language="zh" if _CJK.search(s) else "en")


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    """The default gazetteer (a broken table raises: the graph is never built without it)."""
    from ontology.gazetteer import Gazetteer

    return Gazetteer.default()


@lru_cache(maxsize=1)
def _gazetteer_by_id() -> dict[str, Any]:
    return {e.id: e for e in _gazetteer().entries}


def _lookup(name: str) -> Any | None:
    return _gazetteer().lookup(name)


def entity_node_quads(key: str, etype: str, label: str, g: NamedNode, aliases: Iterable[str] = ()) -> list[Quad]:
    """Type and labels of an entity node (labels from the gazetteer when ``key`` is an id, else ``aliases``)."""
    node = NamedNode(iri.entity_iri(key))
    out = [Quad(node, V.RDF_TYPE, CLASS_NODE[etype], g)] if etype in CLASS_NODE else []
    out.append(Quad(node, V.RDF_TYPE, V.ORG_ORGANIZATION if etype in ORG_TYPES else V.SKOS_CONCEPT, g))
    entry = _gazetteer_by_id().get(key)
    out.append(Quad(node, V.SKOS_PREF_LABEL, _zh(entry.zh if entry else label), g))
    if etype not in ORG_TYPES:
        name = (getattr(entry, "scheme", None) if entry else None) or SCHEME_OF.get(etype, "concepts")
        scheme = NamedNode(iri.scheme_iri(name))
        out += [Quad(node, V.SKOS_IN_SCHEME, scheme, g), Quad(scheme, V.RDF_TYPE, V.SKOS_CONCEPT_SCHEME, g)]
    if entry is not None:
        if entry.en:
            out.append(Quad(node, V.SKOS_PREF_LABEL, Literal(entry.en, language="en"), g))
        for alias in entry.aliases:
            out.append(Quad(node, V.SKOS_ALT_LABEL, _label(alias), g))
    else:
        out += [Quad(node, V.SKOS_ALT_LABEL, _label(a), g) for a in dict.fromkeys(aliases) if a and a != label]
    return out


def _org_key(name: str) -> tuple[str, str, str]:
    """(entity key, type, label) for an organisation named in metadata or a task table."""
    entry = _lookup(name)
    if entry is not None:
        return entry.id, _type_value(entry.type), entry.zh
    return iri.normalise_key(name), "government_body", name.strip()


EVIDENCE_KINDS = {"gazetteer", "pattern", "table"}


def _selector(node: NamedNode, start: int, end: int, exact: str, g: NamedNode, owner: NamedNode) -> list[Quad]:
    return [
        Quad(node, V.RDF_TYPE, V.PKG_MENTION, g),
        Quad(node, V.RDF_TYPE, V.OA_SELECTOR, g),
        Quad(node, V.OA_START, _int(start), g),
        Quad(node, V.OA_END, _int(end), g),
        Quad(node, V.OA_EXACT, Literal(exact), g),
        Quad(node, V.PROV_WAS_DERIVED_FROM, owner, g),
    ]


def _mention_quads(owner: NamedNode, mentions: Iterable[Mention], g: NamedNode, seen: set[str]) -> list[Quad]:
    """Involvement + mention-selector nodes for an owner (measure or task), role links, entity nodes."""
    out: list[Quad] = []
    owner_iri = owner.value
    for m in mentions:
        etype = _type_value(m.type)
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
            out += _selector(sel, m.start, m.end, m.text, g, owner)
            if m.source in EVIDENCE_KINDS:
                out.append(Quad(sel, V.PKG_EVIDENCE_KIND, Literal(m.source), g))
        if ent.value not in seen:
            seen.add(ent.value)
            out += entity_node_quads(m.entity, etype, m.label, g, getattr(m, "aliases", ()) or ())
    return out


def _span_quads(node: NamedNode, start: int, end: int, g: NamedNode) -> list[Quad]:
    """A text-position selector ``<node>/span`` giving a unit's span in the document's text."""
    span = NamedNode(iri.measure_span_iri(node.value))
    return [
        Quad(node, V.OA_HAS_SELECTOR, span, g),
        Quad(span, V.RDF_TYPE, V.OA_SELECTOR, g),
        Quad(span, V.OA_START, _int(start), g),
        Quad(span, V.OA_END, _int(end), g),
        Quad(span, V.PROV_WAS_DERIVED_FROM, node, g),
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
        Quad(node, V.PKG_ORDINAL, _int(m.ordinal), g),
        Quad(node, V.PKG_NUMBER, _int(m.number), g),
        Quad(node, V.PKG_HEADING, _zh(m.heading), g),
        Quad(node, V.PKG_TEXT, _zh(m.text), g),
        Quad(node, V.OA_HAS_SELECTOR, span, g),
        Quad(span, V.RDF_TYPE, V.OA_SELECTOR, g),
        Quad(span, V.OA_START, _int(m.start), g),
        Quad(span, V.OA_END, _int(m.end), g),
        Quad(span, V.PROV_WAS_DERIVED_FROM, node, g),
    ]
    if m.ref:
        out.append(Quad(node, V.ELI_ID_LOCAL, Literal(m.ref), g))
    if m.section is not None:
        out.append(Quad(node, V.ELI_IS_PART_OF, NamedNode(iri.section_iri(doc.key, m.section)), g))
    for k, it in enumerate(m.items, 1):
        out += _item_quads(node, k, it, g)
    out += _mention_quads(node, m.mentions, g, seen)
    for t in m.targets:
        if t.quantity is None and t.year is None:
            continue  # nothing quantified or dated: not a target (the shapes require one of the two)
        tn = NamedNode(iri.target_iri(node.value, t.start, t.end))
        sel = NamedNode(iri.target_span_iri(tn.value))
        out += [
            Quad(node, V.PKG_HAS_TARGET, tn, g),
            Quad(tn, V.RDF_TYPE, V.PKG_TARGET, g),
            Quad(tn, V.PROV_WAS_DERIVED_FROM, node, g),
            Quad(tn, V.PKG_TEXT, Literal(t.text), g),
            Quad(tn, V.PKG_EVIDENCE, sel, g),
        ]
        out += _selector(sel, t.start, t.end, t.text, g, node)
        if t.quantity is not None:
            out.append(Quad(tn, V.PKG_QUANTITY, _dec(t.quantity), g))
        if t.quantity_max is not None:
            out.append(Quad(tn, V.PKG_QUANTITY_MAX, _dec(t.quantity_max), g))
        if t.unit:
            out.append(Quad(tn, V.PKG_UNIT, Literal(t.unit), g))
        if t.comparator:
            out.append(Quad(tn, V.PKG_COMPARATOR, Literal(t.comparator), g))
        if t.year is not None:
            out.append(Quad(tn, V.PKG_DEADLINE_YEAR, _int(t.year), g))
    return out


def _task_quads(doc: Document, task: Task, doc_node: NamedNode, g: NamedNode, seen: set[str]) -> list[Quad]:
    node = NamedNode(iri.task_iri(doc.key, task.row))
    out = [
        Quad(node, V.RDF_TYPE, V.PKG_TASK, g),
        Quad(node, V.ELI_IS_PART_OF, doc_node, g),
        Quad(node, V.PKG_ORDINAL, _int(task.row), g),
        Quad(node, V.PKG_TEXT, _zh(task.text), g),
    ]
    for names, prop in ((task.lead, V.PKG_LEAD_BY), (task.responsible, V.PKG_RESPONSIBLE), (task.support, V.PKG_PARTICIPANT)):
        for name in names:
            if not name.strip():
                continue
            key, etype, label = _org_key(name)
            ent = NamedNode(iri.entity_iri(key))
            out += [Quad(node, V.PKG_INVOLVES, ent, g), Quad(node, prop, ent, g)]
            if ent.value not in seen:
                seen.add(ent.value)
                out += entity_node_quads(key, etype, label, g)
    if task.deadline and _DATE.match(task.deadline):
        out.append(Quad(node, V.PKG_DEADLINE, Literal(task.deadline, datatype=V.XSD_DATE), g))
        out.append(Quad(node, V.PKG_DEADLINE_YEAR, _int(int(task.deadline[:4])), g))
    if task.deadline_text:
        out.append(Quad(node, V.RDFS_LABEL, Literal(task.deadline_text), g))
    out += _mention_quads(node, task.mentions, g, seen)
    return out


def document_quads(doc: Document) -> list[Quad]:
    """All quads of one document, in the named graph ``document_iri(doc.key)``."""
    g = NamedNode(iri.document_iri(doc.key))
    d = g
    seen: set[str] = set()
    out = [
        Quad(d, V.RDF_TYPE, V.ELI_LEGAL_RESOURCE, g),
        Quad(d, V.DCT_TITLE, _zh(doc.title or doc.key), g),
        Quad(d, V.PKG_KIND, Literal(doc.kind or "text"), g),
    ]
    if doc.docno:
        out += [Quad(d, V.DCT_IDENTIFIER, Literal(doc.docno), g), Quad(d, V.ELI_ID_LOCAL, Literal(doc.docno), g)]
    if doc.date and _DATE.match(doc.date):
        out.append(Quad(d, V.ELI_DATE_DOCUMENT, Literal(doc.date, datatype=V.XSD_DATE), g))
    for name in doc.issuers:
        if name.strip():
            key, etype, label = _org_key(name)
            ent = NamedNode(iri.entity_iri(key))
            out.append(Quad(d, V.ELI_PASSED_BY, ent, g))
            if ent.value not in seen:
                seen.add(ent.value)
                out += entity_node_quads(key, etype, label, g)
    for name in doc.addressees:
        if name.strip():
            out.append(Quad(d, V.PKG_ADDRESSEE, Literal(name.strip()), g))
    for subject in doc.subjects:
        if subject.strip():
            out.append(Quad(d, V.DCT_SUBJECT, Literal(subject.strip()), g))
    for cited in doc.cites:
        cited = cited.strip()
        if cited:
            prop = V.PKG_CITES_DOCNO if _looks_like_docno(cited) else V.PKG_CITES_TITLE
            out.append(Quad(d, prop, Literal(cited.strip("《》")), g))
    for att in doc.attachments:
        out.append(Quad(d, V.PKG_ATTACHMENT_TITLE, Literal(att.title), g))
    if doc.parent:
        parent = NamedNode(iri.document_iri(doc.parent))
        out += [Quad(parent, V.ELI_HAS_ANNEX, d, g), Quad(d, V.ELI_IS_ANNEX_OF, parent, g)]
    for s in doc.sections:
        sn = NamedNode(iri.section_iri(doc.key, s.ordinal))
        out += [
            Quad(sn, V.RDF_TYPE, V.ELI_SUBDIVISION, g),
            Quad(sn, V.RDF_TYPE, V.PKG_SECTION, g),
            Quad(sn, V.ELI_IS_PART_OF, d, g),
            Quad(sn, V.ELI_NUMBER, Literal(s.label), g),
            Quad(sn, V.PKG_NUMBER_LABEL, Literal(s.label), g),
            Quad(sn, V.PKG_ORDINAL, _int(s.ordinal), g),
            Quad(sn, V.PKG_HEADING, _zh(s.title), g),
        ]
        if s.ref:
            out.append(Quad(sn, V.ELI_ID_LOCAL, Literal(s.ref), g))
        if s.lead:
            out.append(Quad(sn, V.PKG_TEXT, _zh(doc.text[s.lead[0]:s.lead[1]]), g))
            out += _span_quads(sn, s.lead[0], s.lead[1], g)
    for m in doc.measures:
        out += _measure_quads(doc, m, d, g, seen)
    for t in doc.tasks:
        out += _task_quads(doc, t, d, g, seen)
    out += temporal_quads(doc)  # edition, validity and citations (graph.temporal)
    return list(dict.fromkeys(out))  # unique, in a stable order


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
        Quad(link, V.PKG_CONFIDENCE, _dec(confidence), g),
        Quad(link, V.PKG_EVIDENCE_KIND, Literal(evidence_kind), g),
    ]


def gazetteer_quads() -> list[Quad]:
    """Every gazetteer entry (types, zh/en labels, aliases, hierarchy, concept schemes).

    Places hang on their parent division by ``skos:broader`` (涿州市 → 保定市 → 河北省), bodies on
    theirs by ``org:subOrganizationOf``; a division carries its code as ``skos:notation``, a former body
    its successor (``dct:isReplacedBy``) and the years it existed (``dct:temporal``, "1985-1998").

    In the named graph ``iri.GAZETTEER_GRAPH``; empty while the ontology has no gazetteer.
    """
    gaz = _gazetteer()
    if gaz is None:
        return []
    g = NamedNode(iri.GAZETTEER_GRAPH)
    out: list[Quad] = []
    for e in gaz.entries:
        etype = _type_value(e.type)
        node = NamedNode(iri.entity_iri(e.id))
        out += entity_node_quads(e.id, etype, e.zh, g)
        if e.parent:
            parent = NamedNode(iri.entity_iri(e.parent))
            out.append(Quad(node, V.ORG_SUB_ORGANIZATION_OF if etype in ORG_TYPES else V.SKOS_BROADER, parent, g))
        if getattr(e, "code", None):
            out.append(Quad(node, V.SKOS_NOTATION, Literal(e.code), g))
        if getattr(e, "successor", None):
            out.append(Quad(node, V.DCT_IS_REPLACED_BY, NamedNode(iri.entity_iri(e.successor)), g))
        if getattr(e, "years", None):
            out.append(Quad(node, V.DCT_TEMPORAL, Literal(e.years), g))
    return out


def ontology_quads() -> list[Quad]:
    """The ontology (``ontology/policykg.ttl``) in the named graph ``iri.ONTOLOGY_GRAPH``."""
    from pathlib import Path

    from pyoxigraph import RdfFormat, parse

    path = Path(__file__).resolve().parents[1] / "ontology" / "policykg.ttl"
    if not path.exists():
        return []
    g = NamedNode(iri.ONTOLOGY_GRAPH)
    return [Quad(t.subject, t.predicate, t.object, g) for t in parse(path=str(path), format=RdfFormat.TURTLE)]
