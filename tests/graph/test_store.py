"""The same replace/delete/query/dump behaviour on every backend, embedded and external."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox
import pytest
import rdflib

from graph import iri
from graph.build import document_quads
from graph.store import backends, get_backend, open_store
from core.errors import BadInputError
from policykg.settings import Settings

SEED_KEY = "冀政字〔2021〕61号"
GF4_KEY = "国发〔2019〕4号"
KINDS = [
    "oxigraph",
    "memory",
    pytest.param("sparql", marks=pytest.mark.server),
    pytest.param("sparql-gsp", marks=pytest.mark.server),
]
Q_INVOLVING = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT DISTINCT ?m WHERE { GRAPH ?g { ?m pkg:involves <%s> } } ORDER BY ?m"""
HSVC = iri.entity_iri("hebei-software-vocational-college")


def graph_triples(store, graph: str) -> set:
    return {(q.subject, q.predicate, q.object) for q in store.quads() if q.graph_name.value == graph}


@pytest.mark.parametrize("kind", KINDS)
def test_replace_delete_leave_other_documents_untouched(kind, store_factory, two_docs):
    store = store_factory(kind)
    seed, gf4 = two_docs
    store.replace_document(seed.key, document_quads(seed))
    store.replace_document(gf4.key, document_quads(gf4))
    g_seed, g_gf4 = iri.document_iri(SEED_KEY), iri.document_iri(GF4_KEY)
    assert store.graphs() == sorted([g_seed, g_gf4])
    before_gf4 = graph_triples(store, g_gf4)
    expected_seed = {(q.subject, q.predicate, q.object) for q in document_quads(seed)}
    assert graph_triples(store, g_seed) == expected_seed

    # replacing with the same document gives the same triples
    store.replace_document(seed.key, document_quads(seed))
    assert graph_triples(store, g_seed) == expected_seed
    # replacing with a shorter version drops the old triples
    store.replace_document(seed.key, document_quads(dataclasses.replace(seed, measures=seed.measures[:3])))
    rows = store.query(Q_INVOLVING % HSVC)
    assert rows == [], f"expected no measure involving the college after replace, got {rows}"
    assert graph_triples(store, g_gf4) == before_gf4, "replacing one document changed another"

    store.delete_document(seed.key)
    assert store.graphs() == [g_gf4]
    assert graph_triples(store, g_gf4) == before_gf4, "deleting one document changed another"
    assert store.triple_count() == len(before_gf4)
    store.delete_document("no such key")  # silent
    store.close()


@pytest.mark.parametrize("kind", KINDS)
def test_query_forms_and_dump(kind, store_factory, two_docs):
    store = store_factory(kind)
    store.bulk_replace({d.key: document_quads(d) for d in two_docs})
    rows = store.query(Q_INVOLVING % HSVC)
    got = [r["m"].rsplit("/", 1)[1] for r in rows]
    assert got == ["15", "6", "7"], f"expected measures 15, 6, 7 (IRI order), got {got}"
    assert store.query(f"ASK {{ GRAPH ?g {{ ?m ?p <{HSVC}> }} }}") is True
    triples = store.query(f"CONSTRUCT {{ <{HSVC}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{HSVC}> ?p ?o }} }}")
    assert ("http://www.w3.org/2004/02/skos/core#prefLabel" in {p for _, p, _ in triples}), triples
    total = sum(len(document_quads(d)) for d in two_docs)
    assert store.triple_count() == total, f"expected {total} quads, got {store.triple_count()}"
    union = {(q.subject, q.predicate, q.object) for d in two_docs for q in document_quads(d)}
    ttl = store.dump("turtle")
    assert len(list(ox.parse(ttl, format=ox.RdfFormat.TURTLE))) == len(union)
    trig = store.dump("trig")
    assert len(list(ox.parse(trig, format=ox.RdfFormat.TRIG))) == total
    nt = store.dump("nt")
    assert len(rdflib.Graph().parse(data=nt, format="nt")) == len(union)
    store.close()


@pytest.mark.server
def test_embedded_and_external_answer_the_same(store_factory, two_docs):
    answers = []
    for kind in ("oxigraph", "sparql"):
        store = store_factory(kind)
        store.bulk_replace({d.key: document_quads(d) for d in two_docs})
        answers.append((store.query(Q_INVOLVING % HSVC), store.triple_count(), store.graphs(), store.dump("nt")))
        store.close()
    emb, ext = answers
    assert emb[:3] == ext[:3]
    assert set(emb[3].splitlines()) == set(ext[3].splitlines())


def test_embedded_store_persists_and_opens_read_only(tmp_path, seed_doc):
    settings = Settings(data=tmp_path)
    store = open_store(settings)
    store.replace_document(seed_doc.key, document_quads(seed_doc))
    n = store.triple_count()
    store.close()
    ro = open_store(settings, read_only=True)
    assert ro.triple_count() == n, f"expected {n} quads after reopening, got {ro.triple_count()}"
    with pytest.raises(BadInputError, match="read-only"):
        ro.delete_document(seed_doc.key)
    ro.close()


def test_registry_and_errors(tmp_path):
    assert {"oxigraph", "sparql", "memory"} <= set(backends())
    with pytest.raises(BadInputError, match="Choose from 'memory', 'oxigraph', 'sparql'"):
        get_backend("fuseki")
    with pytest.raises(BadInputError, match="POLICYKG_SPARQL_QUERY_URL"):
        open_store(Settings(data=tmp_path, store="sparql"))
    with pytest.raises(BadInputError, match="No graph store"):
        open_store(Settings(data=tmp_path / "none"), read_only=True)
    with pytest.raises(BadInputError, match="Unknown export format"):
        get_backend("oxigraph")().dump("rdfxml")
