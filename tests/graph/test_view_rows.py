"""The graph view's rows made from parsed documents equal the rows the store answers for their graphs."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest

from graph import iri
from graph.view_records import ViewTables


def _same_tables(a: ViewTables, b: ViewTables) -> list[str]:
    """Names of the fields in which ``a`` and ``b`` differ."""
    bad = []
    for f in fields(ViewTables):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "m_text":
            same = x.blob == y.blob and np.array_equal(x.offsets, y.offsets)
        elif isinstance(x, np.ndarray):
            same = x.dtype == y.dtype and np.array_equal(x, y)
        else:
            same = x == y
        if not same:
            bad.append(f.name)
    return bad


def _with_shared_span(doc):
    """``doc`` with a second entity on the span of a mention of its sixth measure, and a measure whose
    section is not among the document's sections (both cases the rows must treat as the store does)."""
    m = doc.measures[5]
    first = m.mentions[0]
    other = replace(first, entity="another-entity-on-the-same-span", text=first.text + "x", label="另一个")
    measures = list(doc.measures)
    measures[5] = replace(m, mentions=[*m.mentions, other])
    measures[6] = replace(measures[6], section=999)
    return replace(doc, measures=measures)


@pytest.fixture(scope="module")
def docs(two_docs):
    return [_with_shared_span(two_docs[0]), two_docs[1]]


def test_given_rows_make_the_tables_the_store_gives(docs, monkeypatch):
    from graph.store_oxigraph import OxigraphStore
    from graph.view_rows import document_rows
    from graph.view_tables import collect_tables
    from tests.graph.helpers import fill

    store = OxigraphStore()
    fill(store, docs)
    queried = collect_tables(store)
    asked: list[str] = []
    query = store.query
    monkeypatch.setattr(store, "query", lambda q: asked.append(q) or query(q))
    given = {iri.document_iri(d.key): document_rows(d) for d in docs}
    from_rows = collect_tables(store, given=given)
    assert not [q for q in asked if "pkg:text ?text" in q or "pkg:Involvement" in q], \
        "measures and involvements of the given documents must not be queried"
    assert _same_tables(queried, from_rows) == [], "tables from the given rows differ from the queried ones"
    assert len(queried.m_iri) == 38 and len(queried.p_meas) > 100
    assert iri.entity_iri("another-entity-on-the-same-span") in queried.agents  # the cases are covered
    assert queried.m_section[6] is None and queried.m_section[5] is not None


def test_given_rows_with_earlier_tables_and_a_document_left_to_query(docs, monkeypatch):
    """Earlier tables for one document, rows for none: the other document's graph is queried, alone."""
    from graph.store_oxigraph import OxigraphStore
    from graph.view_rows import document_rows
    from graph import view_tables
    from tests.graph.helpers import fill

    monkeypatch.setattr(view_tables, "INCREMENTAL_SHARE", 1.0)
    store = OxigraphStore()
    fill(store, docs)
    whole = view_tables.collect_tables(store)
    seed, gf4 = (iri.document_iri(d.key) for d in docs)
    mixed = view_tables.collect_tables(store, whole, {gf4}, given={gf4: document_rows(docs[1])})
    assert _same_tables(whole, mixed) == []
    asked: list[str] = []
    query = store.query
    monkeypatch.setattr(store, "query", lambda q: asked.append(q) or query(q))
    queried = view_tables.collect_tables(store, whole, {gf4}, given={})
    assert _same_tables(whole, queried) == []
    restricted = [q for q in asked if "pkg:text ?text" in q]
    assert restricted and all(gf4 in q and seed not in q for q in restricted)


def test_ingest_packs_the_view_without_querying_measures(tmp_path, monkeypatch):
    """A fresh ingest takes measures and involvements from its workers' rows; the saved view answers
    exactly as the view the store's SELECTs give."""
    from graph import view_tables
    from graph.store_oxigraph import OxigraphStore
    from graph.view import GraphView
    from policykg.service import PolicyKG
    from policykg.settings import Settings
    from tests.graph.conftest import SEED, _gf4_path

    asked: list[str] = []
    rows = view_tables._rows
    monkeypatch.setattr(view_tables, "_rows", lambda store, q: asked.append(q) or rows(store, q))
    settings = Settings(data=tmp_path / "data", encoder="none", workers=1)
    report = PolicyKG(settings, encoder=False).ingest([SEED, _gf4_path()], embed=False)
    assert report.documents == 2 and "view" in report.stages
    assert asked and not [q for q in asked if "pkg:text ?text" in q or "pkg:Involvement" in q]
    gen = tmp_path / "data" / "generations" / (tmp_path / "data" / "CURRENT").read_text().strip()
    store = OxigraphStore(gen / "store", read_only=True)
    try:
        saved = GraphView.open(gen / "view", store)._tables
        assert _same_tables(view_tables.collect_tables(store), saved) == []
    finally:
        store.close()


def test_entity_rows_from_quads_are_the_rows_the_store_gives(docs, monkeypatch):
    """Each document's entity rows made from its quads equal its graph's answers to the entity SELECTs,
    and tables packed from them equal the queried tables without an entity SELECT on a document graph."""
    from graph.build import document_quads
    from graph.store_oxigraph import OxigraphStore
    from graph.view_rows import document_rows, entity_rows
    from graph import view_tables
    from tests.graph.helpers import fill

    store = OxigraphStore()
    fill(store, docs)
    queried = view_tables.graph_entity_rows(store, {})
    for d in docs:
        types, labels = entity_rows(document_quads(d))
        got = queried[iri.document_iri(d.key)]
        assert set(types) == set(got[0]) and len(types) > 20, d.key
        assert set(labels) == set(got[1]) and any(lang == "en" for *_, lang in labels), d.key
    whole = view_tables.collect_tables(store)
    given = {iri.document_iri(d.key): document_rows(d, document_quads(d)) for d in docs}
    asked: list[str] = []
    query = store.query
    monkeypatch.setattr(store, "query", lambda q: asked.append(q) or query(q))
    monkeypatch.setattr(view_tables, "INCREMENTAL_SHARE", 1.0)
    entities = view_tables.graph_entity_rows(store, {g: (r.types, r.labels) for g, r in given.items()})
    packed = view_tables.collect_tables(store, given=given, entities=entities)
    assert _same_tables(whole, packed) == []
    entity_queries = [q for q in asked if "skos:prefLabel" in q or "?e a ?t" in q]
    assert entity_queries and all("VALUES ?g" in q for q in entity_queries)
    assert not [q for q in entity_queries if any(g in q for g in given)], "a given document's graph was queried"


def test_a_second_ingest_queries_entities_of_the_changed_document_only(tmp_path, monkeypatch):
    """The live generation keeps each document's entity rows: re-ingesting one edited document asks the
    entity SELECTs of no other document graph, and the view still equals the one queried whole."""
    from graph import view_tables
    from graph.store_oxigraph import OxigraphStore
    from graph.view import GraphView
    from policykg.service import PolicyKG
    from policykg.settings import Settings
    from tests.graph.conftest import SEED, _gf4_path

    monkeypatch.setattr(view_tables, "INCREMENTAL_SHARE", 1.0)
    settings = Settings(data=tmp_path / "data", encoder="none", workers=1)
    PolicyKG(settings, encoder=False).ingest([SEED, _gf4_path()], embed=False)
    edited = tmp_path / "gf4.txt"
    edited.write_text(_gf4_path().read_text(encoding="utf-8") + "\n支持北京大学建设人工智能学院。\n", encoding="utf-8")
    asked: list[str] = []
    rows = view_tables._rows
    monkeypatch.setattr(view_tables, "_rows", lambda store, q: asked.append(q) or rows(store, q))
    report = PolicyKG(settings, encoder=False).ingest([edited], embed=False)
    assert report.replaced, "the edited document replaces the stored one"
    entity_queries = [q for q in asked if "skos:prefLabel" in q or "?e a ?t" in q]
    assert all("VALUES ?g" in q and iri.DOC_BASE not in q for q in entity_queries), \
        "only graphs other than documents' may be queried for entities"
    gen = tmp_path / "data" / "generations" / (tmp_path / "data" / "CURRENT").read_text().strip()
    store = OxigraphStore(gen / "store", read_only=True)
    try:
        saved = GraphView.open(gen / "view", store)._tables
        assert _same_tables(view_tables.collect_tables(store), saved) == []
        assert any(row[3] == "北京大学" for row in saved.entities)
    finally:
        store.close()
