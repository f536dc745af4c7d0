"""The read-only SPARQL execution: refusals, content negotiation, limits, time limit in worker processes."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from graph.endpoint import SparqlEndpoint, check_query, evaluate, negotiate
from core.errors import BadInputError, NotFoundError, QueryRefusedError, QueryTimeoutError
from policykg.settings import Settings

EX = "http://example.org/"
EXPENSIVE = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }")


@pytest.mark.parametrize("query,word", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "INSERT"),
    ("PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("DROP ALL", "DROP"), ("CLEAR DEFAULT", "CLEAR"), ("LOAD <http://example.org/x.ttl>", "LOAD"),
    ("CREATE GRAPH <http://g>", "CREATE"), ("# comment\nwith <http://g> delete { ?s ?p ?o } where { ?s ?p ?o }", "WITH"),
])
def test_updates_are_refused(query, word):
    with pytest.raises(QueryRefusedError) as err:
        check_query(query)
    assert word in str(err.value) and "read-only" in str(err.value), f"expected a read-only message naming {word}, got {err.value}"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?q ?r } }",
])
def test_service_is_refused(query):
    with pytest.raises(QueryRefusedError, match="SERVICE is not allowed"):
        check_query(query)


@pytest.mark.parametrize("query,form", [
    ("SELECT ?service WHERE { ?service <http://x/insert> 'DROP SERVICE' }", "SELECT"),
    ('PREFIX service: <http://x/> ASK { ?s service:delete """INSERT\nDATA""" } # SERVICE', "ASK"),
    ("CONSTRUCT WHERE { ?s <http://x/service> ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x/load>", "DESCRIBE"),
])
def test_keywords_in_strings_iris_names_and_comments_are_not_refused(query, form):
    assert check_query(query) == form


def test_empty_and_non_queries_are_bad_input():
    for q in ("", "   ", "hello world"):
        with pytest.raises(BadInputError):
            check_query(q)


@pytest.mark.parametrize("accept,form,expected", [
    (None, "SELECT", "json"), ("*/*", "SELECT", "json"), ("application/sparql-results+xml", "SELECT", "xml"),
    ("text/csv;q=0.5, text/tab-separated-values", "SELECT", "tsv"), ("csv", "ASK", "csv"),
    ("text/turtle", "SELECT", "json"), (None, "DESCRIBE", "turtle"), ("application/n-triples", "CONSTRUCT", "nt"),
    ("application/sparql-results+json,application/json;q=0.9", "SELECT", "json"),
])
def test_negotiate(accept, form, expected):
    assert negotiate(accept, form)[0] == expected


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("ep") / "store"
    st = ox.Store(str(path))
    g = ox.NamedNode(EX + "g")
    for i in range(40):
        st.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "label"), ox.Literal(f"措施{i}", language="zh"), g))
        st.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "n"), ox.Literal(str(i), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), g))
    st.flush()
    del st  # release the lock: the endpoint opens it read-only
    return path


def test_evaluate_formats_and_row_limit(store_path):
    st = ox.Store.read_only(str(store_path))
    q = f"SELECT ?s ?l WHERE {{ ?s <{EX}label> ?l }} ORDER BY ?s"
    body, media = evaluate(st, q, None, 5)
    doc = json.loads(body)
    assert media == "application/sparql-results+json" and doc["head"]["vars"] == ["s", "l"]
    assert len(doc["results"]["bindings"]) == 5, f"row limit 5, got {len(doc['results']['bindings'])}"
    assert doc["results"]["bindings"][0]["l"] == {"type": "literal", "value": "措施0", "xml:lang": "zh"}
    rows = list(csv.reader(io.StringIO(evaluate(st, q, "text/csv", 3)[0].decode())))
    assert rows[0] == ["s", "l"] and rows[1] == [f"{EX}s0", "措施0"] and len(rows) == 4
    tsv = evaluate(st, q, "text/tab-separated-values", 1)[0].decode().splitlines()
    assert tsv == ["?s\t?l", f'<{EX}s0>\t"措施0"@zh'], tsv
    root = ET.fromstring(evaluate(st, q, "application/sparql-results+xml", 2)[0])
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(root.findall(f"{ns}results/{ns}result")) == 2
    assert json.loads(evaluate(st, "ASK { ?s ?p ?o }", None, 5)[0]) == {"head": {}, "boolean": True}
    ttl, media = evaluate(st, f"CONSTRUCT {{ ?s <{EX}label> ?l }} WHERE {{ ?s <{EX}label> ?l }}", None, 7)
    g = ox.Store()
    g.load(ttl, format=ox.RdfFormat.TURTLE)
    assert media == "text/turtle" and len(g) == 7, f"expected 7 triples (limit), got {len(g)}"


def test_endpoint_syntax_error_has_parser_message(store_path):
    ep = SparqlEndpoint(Settings(data=store_path.parent, endpoint_timeout=5))
    try:
        with pytest.raises(BadInputError, match=r"SPARQL syntax error: error at 1:\d+"):
            ep.query(store_path, "SELECT * WHERE { ?s }")
        with pytest.raises(NotFoundError):
            ep.query(store_path.parent / "missing", "ASK {}")
    finally:
        ep.close()


@pytest.mark.server
def test_expensive_query_is_stopped_while_others_are_served(store_path):
    ep = SparqlEndpoint(Settings(data=store_path.parent, endpoint_timeout=3.0), workers=2)
    outcome: dict = {}

    def slow():
        t0 = time.monotonic()
        try:
            ep.query(store_path, EXPENSIVE)
            outcome["error"] = None
        except QueryTimeoutError as exc:
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - t0

    try:
        warm = [threading.Thread(target=ep.query, args=(store_path, "ASK { ?s ?p ?o }")) for _ in range(2)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()  # both workers up and answering
        th = threading.Thread(target=slow)
        th.start()
        time.sleep(0.2)
        body, _ = ep.query(store_path, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}n> ?o }}")
        assert th.is_alive(), "the simple query was only answered after the expensive one ended"
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "40"
        th.join(10)
        assert isinstance(outcome.get("error"), QueryTimeoutError), f"expected a timeout, got {outcome}"
        assert "time limit of 3 s" in str(outcome["error"])
        assert outcome["seconds"] < 3 + 2, f"timeout took {outcome['seconds']:.1f} s"
        # the killed worker was replaced: the endpoint keeps answering
        assert json.loads(ep.query(store_path, "ASK { ?s ?p ?o }")[0])["boolean"] is True
    finally:
        ep.close()
