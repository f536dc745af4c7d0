"""Structure in the graph and the view: measures' refs (eli:id_local), items as subdivisions of their
measure, section leads, on real documents with restarting numbering and numbered items."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import iri
from graph.view import GraphView
from graph.vocab import SPARQL_PROLOGUE

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
HOSPITAL = "国办发〔2019〕4号"
FTZ3 = "国发〔2019〕3号"


@pytest.fixture(scope="module")
def docs():
    from ingest.document import parse_file

    return [parse_file(next((CORPUS / "gov-policy").glob(f"{k}_*"))) for k in (HOSPITAL, FTZ3)]


@pytest.fixture(scope="module")
def store(docs):
    from graph.store_oxigraph import OxigraphStore
    from tests.graph.helpers import fill

    s = OxigraphStore()
    fill(s, docs)
    return s


def _select(store, q):
    return store.query(SPARQL_PROLOGUE + q)


def test_measure_refs_and_items_in_the_graph(store, docs):
    m9 = iri.measure_iri(HOSPITAL, 9)
    rows = _select(store, f"SELECT ?ref ?n WHERE {{ GRAPH ?g {{ <{m9}> eli:id_local ?ref ; eli:number ?n }} }}")
    assert [(r["ref"], r["n"]) for r in rows] == [("三（二）", "（二）")]
    m5 = iri.measure_iri(FTZ3, 5)
    rows = _select(store, f"""SELECT ?it ?ref ?n WHERE {{ GRAPH ?g {{ ?it a eli:LegalResourceSubdivision ;
        eli:is_part_of <{m5}> ; eli:id_local ?ref ; eli:number ?n }} }}""")
    got = sorted((r["it"], r["ref"], r["n"]) for r in rows)
    ftz = docs[1]
    want = sorted((iri.item_iri(m5, k), it.ref, it.label) for k, it in enumerate(ftz.measures[4].items, 1))
    assert got == want and [it.ref for it in ftz.measures[4].items] == [f"四（一）{n}." for n in range(1, 6)]
    rows = _select(store, """SELECT (COUNT(?it) AS ?n) WHERE { GRAPH ?g { ?it eli:is_part_of ?m . ?m a pkg:Measure } }""")
    assert int(rows[0]["n"]) == 21, "21 numbered items in 国发〔2019〕3号, none in 国办发〔2019〕4号"


def test_section_refs_and_leads_in_the_graph(store, docs):
    s3 = iri.section_iri(FTZ3, 3)
    rows = _select(store, f"SELECT ?ref ?t WHERE {{ GRAPH ?g {{ <{s3}> eli:id_local ?ref ; pkg:text ?t }} }}")
    assert len(rows) == 1 and rows[0]["ref"] == "三" and rows[0]["t"].startswith("三、发展目标")
    s2 = iri.section_iri(FTZ3, 2)
    assert _select(store, f"SELECT ?t WHERE {{ GRAPH ?g {{ <{s2}> pkg:text ?t }} }}") == [], "二 has no lead"


def test_view_gives_ref_and_section_number(store, tmp_path):
    from graph.results import result_of

    view = GraphView.load(store)
    info = view.measure(iri.measure_iri(HOSPITAL, 9))
    assert (info.label, info.ref, info.section_number, info.ordinal, info.number) == ("（二）", "三（二）", "三", 9, 2)
    r = result_of(info, 1.0)
    assert (r["measure"], r["measure_label"], r["printed_label"], r["section_number"], r["ordinal"]) == (2, "三（二）", "（二）", "三", 9)
    labels = [view.measure(m).ref for m in view.document(HOSPITAL).measures]
    assert len(labels) == 19 and len(set(labels)) == 19
    view.save(tmp_path / "view")
    again = GraphView.open(tmp_path / "view", store)
    assert again.measure(info.iri) == info, "the saved projection keeps refs and section numbers"


def test_incremental_view_keeps_refs(store, docs):
    from graph.view_tables import collect_tables

    full = collect_tables(store)
    part = collect_tables(store, previous=full, changed={iri.document_iri(FTZ3)})
    assert part.m_ref == full.m_ref and part.m_secnum == full.m_secnum
    assert "四（五）" in full.m_ref and "三（二）" in full.m_ref


def test_structure_quads_are_deterministic_and_conform(store, docs):
    import pyshacl
    import rdflib

    from graph.build import document_quads
    from ontology.namespace import SHAPES_PATH

    assert document_quads(docs[1]) == document_quads(docs[1])
    data = rdflib.Graph().parse(data=store.dump("turtle"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(SHAPES_PATH), inference="none",
                                         allow_warnings=True)
    assert conforms, text[:2000]
