from __future__ import annotations

from pyoxigraph import BlankNode, NamedNode

from graph import iri
from graph import vocab as V
from graph.build import document_quads, gazetteer_quads, task_link_quads
from ingest.model import Document, EntityType, Mention, Role, Task

SEED_KEY = "冀政字〔2021〕61号"


def test_same_document_twice_gives_identical_quads(seed_doc):
    a, b = set(document_quads(seed_doc)), set(document_quads(seed_doc))
    assert a == b, f"re-building differs by {len(a ^ b)} quads"


def test_no_blank_nodes_and_one_named_graph(seed_doc):
    quads = document_quads(seed_doc)
    g = iri.document_iri(SEED_KEY)
    assert {q.graph_name.value for q in quads} == {g}
    blanks = [q for q in quads if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)]
    assert not blanks, f"expected no blank nodes, got {blanks[:3]}"


def test_measures_sections_and_evidence(seed_doc):
    quads = document_quads(seed_doc)
    measures = {q.subject for q in quads if q.predicate == V.RDF_TYPE and q.object == V.PKG_MEASURE}
    sections = {q.subject for q in quads if q.predicate == V.RDF_TYPE and q.object == V.PKG_SECTION}
    assert (len(measures), len(sections)) == (18, 6), f"expected 18 measures in 6 sections, got {len(measures)}, {len(sections)}"
    starts = {q.subject: int(q.object.value) for q in quads if q.predicate == V.OA_START}
    ends = {q.subject: int(q.object.value) for q in quads if q.predicate == V.OA_END}
    exact = {q.subject: q.object.value for q in quads if q.predicate == V.OA_EXACT}
    assert exact, "expected mention selectors with oa:exact"
    for sel, text in exact.items():
        got = seed_doc.text[starts[sel] : ends[sel]]
        assert got == text, f"span of {sel.value} quotes {got!r}, expected {text!r}"


def test_involvement_per_measure_entity_role(seed_doc):
    quads = document_quads(seed_doc)
    ent = NamedNode(iri.entity_iri("hebei-software-vocational-college"))
    measures = sorted(int(q.subject.value.rsplit("/", 1)[1]) for q in quads if q.predicate == V.PKG_INVOLVES and q.object == ent)
    assert measures == [6, 7, 15], f"expected measures 6, 7, 15, got {measures}"
    leads = [q.subject.value for q in quads if q.predicate == V.PKG_LEAD_BY and q.object == ent]
    assert leads == [iri.measure_iri(SEED_KEY, 7)], leads
    labels = {q.object.value for q in quads if q.subject == ent and q.predicate == V.SKOS_PREF_LABEL}
    assert labels == {"河北软件职业技术学院", "Hebei Software Vocational College"}, labels


def test_document_metadata(seed_doc):
    quads = document_quads(seed_doc)
    d = NamedNode(iri.document_iri(SEED_KEY))
    props = {(q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], q.object.value) for q in quads if q.subject == d}
    assert ("id_local", SEED_KEY) in props and ("identifier", SEED_KEY) in props
    assert ("date_document", "2021-11-04") in props
    assert ("citesTitle", "国家职业教育改革实施方案") in props, sorted(props)
    assert any(p == "passed_by" for p, _ in props)


def test_tasks_and_task_links():
    text = "建设职教园区"
    doc = Document(
        key="附件3", title="保定市建设任务清单", text="", kind="attachment", parent=SEED_KEY,
        tasks=[Task(row=1, text=text, lead=["保定市人民政府"], responsible=["市教育局"], deadline="2022-12-31",
                    deadline_text="2022年底",
                    mentions=[Mention("职教园区", 2, 6, "职教园区", EntityType.PARK, "职教园区", Role.INVOLVED, "pattern")])],
    )
    quads = document_quads(doc)
    t = NamedNode(iri.task_iri("附件3", 1))
    preds = {q.predicate for q in quads if q.subject == t}
    assert {V.PKG_LEAD_BY, V.PKG_RESPONSIBLE, V.PKG_DEADLINE, V.PKG_TEXT} <= preds, preds
    annex = [q for q in quads if q.predicate == V.ELI_HAS_ANNEX]
    assert annex and annex[0].subject.value == iri.document_iri(SEED_KEY)
    links = task_link_quads(t.value, iri.measure_iri(SEED_KEY, 5), 0.8, "lexical", iri.document_iri("附件3"))
    assert any(q.predicate == V.PKG_IMPLEMENTS and q.subject == t for q in links)
    assert task_link_quads(t.value, iri.measure_iri(SEED_KEY, 5), 0.8, "lexical", iri.document_iri("附件3")) == links


def test_gazetteer_quads_have_labels_and_hierarchy():
    quads = gazetteer_quads()
    assert {q.graph_name.value for q in quads} == {iri.GAZETTEER_GRAPH}
    en = [q for q in quads if q.predicate == V.SKOS_PREF_LABEL and q.object.language == "en"]
    assert len(en) > 50, f"expected English labels for the gazetteer, got {len(en)}"
    assert any(q.predicate in (V.SKOS_BROADER, V.ORG_SUB_ORGANIZATION_OF) for q in quads)


def test_every_mention_selector_reaches_its_measure_through_what_it_evidences(seed_doc):
    """A selector carries no ``prov:wasDerivedFrom`` of its own; the involvement or target whose
    evidence it is derives from exactly the measure its IRI starts with, so no span loses its measure."""
    quads = document_quads(seed_doc)
    selectors = {q.subject.value for q in quads if q.predicate == V.RDF_TYPE and q.object == V.PKG_MENTION}
    derived = {q.subject.value: q.object.value for q in quads if q.predicate == V.PROV_WAS_DERIVED_FROM}
    owner_of: dict[str, set[str]] = {}
    for q in quads:
        if q.predicate == V.PKG_EVIDENCE:
            owner_of.setdefault(q.object.value, set()).add(derived[q.subject.value])
    assert len(selectors) > 50 and set(owner_of) == selectors, "every selector is the evidence of something"
    for sel in selectors:
        (owner,) = owner_of[sel]
        assert sel.startswith(owner + "/"), f"{sel} is evidence for {owner}, not the measure in its IRI"
        assert sel not in derived, f"{sel} repeats its measure"
    spans = [q for q in quads if q.subject.value in selectors and q.predicate in (V.OA_START, V.OA_END)]
    assert len(spans) == 2 * len(selectors), "each selector keeps its start and end"


def test_every_unit_span_is_reached_from_its_unit(seed_doc):
    """A measure's or section lead's span is its ``oa:hasSelector``, with start and end, and no derivation back."""
    quads = document_quads(seed_doc)
    spans = {q.subject.value for q in quads if q.predicate == V.RDF_TYPE and q.object == V.OA_SELECTOR} - {
        q.subject.value for q in quads if q.predicate == V.RDF_TYPE and q.object == V.PKG_MENTION}
    has = {q.object.value: q.subject.value for q in quads if q.predicate == V.OA_HAS_SELECTOR}
    derived = {q.subject.value for q in quads if q.predicate == V.PROV_WAS_DERIVED_FROM}
    measures = {q.subject.value for q in quads if q.predicate == V.RDF_TYPE and q.object == V.PKG_MEASURE}
    assert len(spans) >= len(measures) == len(seed_doc.measures)
    for span in spans:
        assert has.get(span) and span == has[span] + "/span" and span not in derived, span
        ends = {q.predicate for q in quads if q.subject.value == span}
        assert {V.OA_START, V.OA_END} <= ends, span
