"""The SPARQL 1.1 Protocol endpoint, driven by a standard client (SPARQLWrapper) and raw HTTP."""

from __future__ import annotations

import csv
import io
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

pytestmark = pytest.mark.server

COUNT_DOCS = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a eli:LegalResource }"""
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"


def client(base_url: str, query: str, fmt=JSON, method=None) -> SPARQLWrapper:
    sw = SPARQLWrapper(f"{base_url}/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    sw.setTimeout(30)
    return sw


@pytest.mark.parametrize("method", [None, POST])
def test_select_with_sparqlwrapper(base_url, method):
    res = client(base_url, COUNT_DOCS, method=method).query().convert()
    n = int(res["results"]["bindings"][0]["n"]["value"])
    assert n >= 2, f"expected at least the two ingested documents, got {n}"


def test_select_xml_csv_and_construct_turtle(base_url):
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"
    doc = client(base_url, q, XML).query().convert()
    assert len(doc.getElementsByTagName("result")) == 3
    rows = list(csv.reader(io.StringIO(client(base_url, q, CSV).query().convert().decode())))
    assert rows[0] == ["s", "p", "o"] and len(rows) == 4, rows
    ttl = client(base_url, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5", TURTLE).query().convert()
    import pyoxigraph as ox

    g = ox.Store()
    g.load(ttl, format=ox.RdfFormat.TURTLE)
    assert len(g) == 5


def test_insert_is_refused_with_4xx(base_url):
    sw = client(base_url, "INSERT DATA { <http://a> <http://b> <http://c> }", method=POST)
    with pytest.raises(SPARQLWrapperException) as err:
        sw.query()
    assert "read-only" in str(err.value), str(err.value)
    raw = httpx.post(f"{base_url}/sparql", content="DELETE WHERE { ?s ?p ?o }",
                     headers={"Content-Type": "application/sparql-update"})
    assert raw.status_code == 400 and raw.json()["error"]["type"] == "QueryRefusedError", raw.text
    raw = httpx.post(f"{base_url}/sparql", data={"update": "DROP ALL"})
    assert raw.status_code == 400 and "read-only" in raw.json()["error"]["message"]
    # nothing changed
    res = client(base_url, COUNT_DOCS).query().convert()
    assert int(res["results"]["bindings"][0]["n"]["value"]) >= 2


def test_service_is_refused_with_4xx(base_url):
    with pytest.raises(QueryBadFormed) as err:
        client(base_url, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").query()
    assert "SERVICE is not allowed" in str(err.value)


def test_parse_error_and_media_types(base_url):
    resp = httpx.get(f"{base_url}/sparql", params={"query": "SELECT * WHERE { ?s }"})
    assert resp.status_code == 400 and "error at" in resp.json()["error"]["message"], resp.text
    resp = httpx.post(f"{base_url}/sparql", content="ASK { ?s ?p ?o }",
                      headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
    assert resp.headers["content-type"].startswith("application/sparql-results+xml")
    assert ET.fromstring(resp.content).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    resp = httpx.get(f"{base_url}/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", "format": "tsv"})
    assert resp.headers["content-type"].startswith("text/tab-separated-values") and resp.text.startswith("?s\n")
    resp = httpx.post(f"{base_url}/sparql", content="x", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415


def test_expensive_query_times_out_while_server_keeps_serving(base_url):
    """Time limit 2 s (fixture settings): the cross join is stopped, /health and a SELECT keep answering."""
    outcome: dict = {}

    def expensive():
        t0 = time.monotonic()
        outcome["resp"] = httpx.get(f"{base_url}/sparql", params={"query": EXPENSIVE}, timeout=30)
        outcome["seconds"] = time.monotonic() - t0

    th = threading.Thread(target=expensive)
    th.start()
    time.sleep(0.3)
    latencies = []
    while th.is_alive():
        t0 = time.monotonic()
        assert httpx.get(f"{base_url}/health", timeout=5).status_code == 200
        res = client(base_url, COUNT_DOCS).query().convert()
        assert int(res["results"]["bindings"][0]["n"]["value"]) >= 2
        latencies.append(time.monotonic() - t0)
        time.sleep(0.1)
    th.join()
    resp = outcome["resp"]
    assert resp.status_code == 503, f"expected 503 for the expensive query, got {resp.status_code}: {resp.text[:200]}"
    assert resp.json()["error"]["type"] == "QueryTimeoutError" and "time limit" in resp.json()["error"]["message"]
    assert outcome["seconds"] < 2 + 2, f"timeout answered after {outcome['seconds']:.1f} s"
    assert latencies and max(latencies) < 1.5, f"other requests were held up: {latencies}"
