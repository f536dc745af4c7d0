"""The whole product against real SPARQL 1.1 servers (``oxigraph serve`` and Debian's Virtuoso), compared
with the embedded store.

Every test runs once per server (the ``kind`` fixture); each server is started here on free loopback
ports (``tests/servers.py``); the embedded store of the same files is the reference answer.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.servers import SPARQL_SERVERS, SparqlServer, free_port

from core.errors import NotFoundError, PolicyKGError, QueryTimeoutError
from policykg.service import PolicyKG
from policykg.settings import Settings

pytestmark = [pytest.mark.server, pytest.mark.corpus]

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
SEED = ROOT / "corpus" / "baoding-vocational-2021.txt"
GUOFA = CORPUS / "gov-policy" / "国发〔2019〕4号_国务院关于印发国家职业教育改革实施方案的通知.txt"
OTHER = CORPUS / "gov-policy" / "国发〔2019〕5号_国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见.txt"
SEED_KEY, GUOFA_KEY = "冀政字〔2021〕61号", "国发〔2019〕4号"
COLLEGE = "河北软件职业技术学院"
#: /sparql time limit per server: Virtuoso takes over a second to send every quad (its own system
#: graphs included) on a loaded machine; both stay below the servers' own 5 s limit
ENDPOINT_TIMEOUT = {"oxigraph": 1.0, "virtuoso": 3.0}




def sparql_settings(data: Path, srv: SparqlServer, **kw) -> Settings:
    return Settings(data=data, encoder="none", store="sparql", sparql_query_url=srv.query,
                    sparql_update_url=srv.update, sparql_gsp_url=srv.gsp, **kw)


def graph_nt(srv: SparqlServer, key: str) -> set[str]:
    """One document's named graph on the server, as canonical N-Triples lines (Graph Store Protocol GET)."""
    from pyoxigraph import RdfFormat, parse

    from graph.iri import document_iri

    resp = httpx.get(srv.gsp, params={"graph": document_iri(key)}, headers={"Accept": "application/n-triples"})
    if resp.status_code == 404:
        return set()
    resp.raise_for_status()
    return {str(t) for t in parse(resp.content, format=RdfFormat.N_TRIPLES)}  # servers escape differently


def doc_graphs(srv: SparqlServer) -> set[str]:
    from graph.iri import DOC_BASE, key_from_document_iri

    rows = httpx.post(srv.query, data={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60).json()["results"]["bindings"]
    return {key_from_document_iri(r["g"]["value"]) for r in rows if r["g"]["value"].startswith(DOC_BASE)}


@pytest.fixture(scope="module", params=sorted(SPARQL_SERVERS))
def kind(request) -> str:
    """The SPARQL server the tests of this module run against: each test runs once per server."""
    return request.param


@pytest.fixture(scope="module")
def server(kind, tmp_path_factory):
    with SPARQL_SERVERS[kind](tmp_path_factory.mktemp(kind)) as srv:
        yield srv


@pytest.fixture(scope="module")
def pair(kind, server, tmp_path_factory):
    """(external, embedded) facades over the same two documents."""
    if not SEED.exists() or not GUOFA.exists():
        pytest.fail(f"corpus not found: expected {SEED} and {GUOFA}")
    ext = PolicyKG.open(sparql_settings(tmp_path_factory.mktemp("ext"), server, endpoint_timeout=ENDPOINT_TIMEOUT[kind],
                                        endpoint_limit=500))
    report = ext.ingest([SEED, GUOFA])
    assert report.added and not report.failed, report.as_dict()
    emb = PolicyKG.open(Settings(data=tmp_path_factory.mktemp("emb"), encoder="none"))
    emb.ingest([SEED, GUOFA])
    yield ext, emb
    ext.close()
    emb.close()


def test_measures_involving_exact_and_same_as_embedded(pair):
    ext, emb = pair
    got = [(r["document_key"], r["measure"]) for r in ext.measures_involving(COLLEGE)["results"]]
    expected = [(SEED_KEY, 6), (SEED_KEY, 7), (SEED_KEY, 15)]
    assert got == expected, f"expected {expected}, got {got}"
    for name in (COLLEGE, "Hebei Software Vocational College", "河北软件职院", "保定市人民政府"):
        with contextlib.suppress(NotFoundError):
            assert ext.measures_involving(name) == emb.measures_involving(name), name


@pytest.mark.parametrize("query", ["职业教育 校企合作", "Hebei Software Vocational College", "1+X证书制度试点"])
def test_search_same_as_embedded(pair, query):
    ext, emb = pair
    a, b = ext.search(query, k=8), emb.search(query, k=8)
    assert a["results"], f"no results for {query!r}"
    key = lambda r: (r["document_key"], r["measure"], round(r["score"], 6))  # noqa: E731
    assert [key(r) for r in a["results"]] == [key(r) for r in b["results"]]


def test_pages_same_as_embedded(pair):
    ext, emb = pair
    assert ext.documents() == emb.documents()
    for key in (SEED_KEY, GUOFA_KEY):
        assert ext.document(key) == emb.document(key) | {"source": ext.document(key)["source"]}
    assert ext.measure(SEED_KEY, 6) == emb.measure(SEED_KEY, 6)
    assert ext.entity(COLLEGE) == emb.entity(COLLEGE)
    assert ext.neighbourhood(COLLEGE, depth=2) == emb.neighbourhood(COLLEGE, depth=2)
    assert GUOFA_KEY in ext.document(SEED_KEY)["cites"]
    sa, sb = ext.stats(), emb.stats()
    for k in ("documents", "measures", "entities", "triples"):
        assert sa[k] == sb[k], f"stats[{k}]: external {sa[k]} vs embedded {sb[k]}"


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _canonical(quad) -> str:
    """A quad as text, with xsd:boolean literals in one lexical form: Virtuoso answers the value
    true as "1", the embedded store as "true" (the same value)."""
    text = str(quad)
    return text.replace(f'"1"^^<{_XSD_BOOLEAN}>', f'"true"^^<{_XSD_BOOLEAN}>').replace(
        f'"0"^^<{_XSD_BOOLEAN}>', f'"false"^^<{_XSD_BOOLEAN}>')


@pytest.mark.parametrize("fmt", ["nt", "turtle", "trig"])
def test_export_same_as_embedded(pair, fmt):
    from pyoxigraph import RdfFormat, parse

    ext, emb = pair
    rdf = {"nt": RdfFormat.N_TRIPLES, "turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG}[fmt]
    a = {_canonical(q) for q in parse(ext.export(fmt), format=rdf)}
    b = {_canonical(q) for q in parse(emb.export(fmt), format=rdf)}
    assert a == b and len(a) > 1000, f"{fmt}: {len(a - b)} only external, {len(b - a)} only embedded"


QUERIES = [
    # no GRAPH: the server runs with --union-default-graph, like the embedded /sparql
    "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m pkg:involves ?e }",
    "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d ?t WHERE { GRAPH ?g { ?d eli:id_local ?t } } ORDER BY ?d",
]


@pytest.mark.parametrize("query", QUERIES)
def test_sparql_endpoint_forwards_same_answers(pair, query):
    ext, emb = pair
    (a, ma), (b, mb) = ext.sparql(query, "application/sparql-results+json"), emb.sparql(query, "json")
    rows = lambda body: [{k: v["value"] for k, v in r.items()} for r in json.loads(body)["results"]["bindings"]]  # noqa: E731
    assert rows(a) == rows(b) and rows(a), f"external {rows(a)[:3]} vs embedded {rows(b)[:3]}"
    assert ma.startswith("application/sparql-results+json"), ma


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_sparql_endpoint_row_limit_applies_when_forwarding(pair, accept):
    ext, _ = pair
    # the same folder and server with a time limit that a loaded machine cannot reach: this test is about
    # rows (every quad is asked for; test_sparql_endpoint_time_limit is about the time limit)
    ext = PolicyKG.open(ext.settings.model_copy(update={"endpoint_timeout": 60.0}))
    try:
        limit = ext.settings.endpoint_limit
        body, media = ext.sparql("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", accept)
        n = (len(json.loads(body)["results"]["bindings"]) if "json" in media
             else len(list(csv.reader(io.StringIO(body.decode())))) - 1)
        assert n == limit, f"expected the row limit {limit}, got {n} rows"
        triples, media = ext.sparql("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "application/n-triples")
        assert len(triples.decode().strip().splitlines()) == limit, media
    finally:
        ext.close()


def test_sparql_endpoint_time_limit(pair):
    ext, _ = pair
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?x ?y ?z } GRAPH ?c { ?u ?v ?w } }"
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        ext.sparql(heavy)
    limit = ext.settings.endpoint_timeout
    assert time.monotonic() - started < limit + 3, f"the {limit:g} s limit should stop the wait before the server's 5 s"


def test_reingest_unchanged_does_no_work(pair):
    ext, _ = pair
    gen = ext.stats()["generation"]
    report = ext.ingest([SEED, GUOFA])
    assert report.unchanged == 2 and report.parsed == 0 and not report.changed, report.as_dict()
    assert ext.stats()["generation"] == gen


def test_replace_and_delete_touch_only_their_graph(kind, tmp_path):
    text = GUOFA.read_text(encoding="utf-8")
    marker = "支持河北软件职业技术学院建设示范性实训基地"
    changed = text.replace("（一）健全国家职业教育制度框架。", f"（一）健全国家职业教育制度框架。{marker}。", 1)
    assert changed != text, "the edit must change 国发〔2019〕4号"
    new = tmp_path / "new" / GUOFA.name
    new.parent.mkdir()
    new.write_text(changed, encoding="utf-8")
    with SPARQL_SERVERS[kind](tmp_path / "srv") as base:
        kg = PolicyKG.open(sparql_settings(tmp_path / "data", base))
        kg.ingest([SEED, GUOFA, OTHER])
        seed_before, other_before = graph_nt(base, SEED_KEY), graph_nt(base, "国发〔2019〕5号")
        assert seed_before and other_before
        report = kg.ingest([new])
        assert report.replaced == [GUOFA_KEY] and not report.added, report.as_dict()
        assert graph_nt(base, SEED_KEY) == seed_before and graph_nt(base, "国发〔2019〕5号") == other_before
        assert any(marker in line for line in graph_nt(base, GUOFA_KEY)), "the new text is not on the server"
        hits = [(r["document_key"], r["measure"]) for r in kg.measures_involving(COLLEGE)["results"]]
        assert (GUOFA_KEY, 1) in hits and (SEED_KEY, 6) in hits, hits
        kg.delete(GUOFA_KEY)
        assert doc_graphs(base) == {SEED_KEY, "国发〔2019〕5号"}, doc_graphs(base)
        assert graph_nt(base, SEED_KEY) == seed_before and graph_nt(base, "国发〔2019〕5号") == other_before
        assert kg.document(SEED_KEY)["cites"] == [], "links must follow the deleted document"
        with pytest.raises(NotFoundError):
            kg.document(GUOFA_KEY)
        kg.close()


KILL_BEFORE_COMMIT = """
import os, signal, sys
from policykg.datadir import DataDir
from policykg.service import PolicyKG
from policykg.settings import Settings
DataDir.commit = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
query, update, gsp, data, *paths = sys.argv[1:]
s = Settings(data=data, encoder="none", store="sparql", sparql_query_url=query, sparql_update_url=update,
             sparql_gsp_url=gsp)
PolicyKG.open(s).ingest(paths)
"""


def test_killed_ingest_is_reconciled_by_the_next(kind, tmp_path):
    text = GUOFA.read_text(encoding="utf-8").replace("（一）健全国家职业教育制度框架。", "（一）改过的文字。", 1)
    new = tmp_path / "new" / GUOFA.name
    new.parent.mkdir()
    new.write_text(text, encoding="utf-8")
    with SPARQL_SERVERS[kind](tmp_path / "srv") as base:
        settings = sparql_settings(tmp_path / "data", base)
        kg = PolicyKG.open(settings)
        kg.ingest([SEED, GUOFA])
        before = kg.export("nt")
        hits_before = kg.measures_involving(COLLEGE)
        proc = subprocess.run([sys.executable, "-c", KILL_BEFORE_COMMIT, base.query, base.update, base.gsp,
                               str(settings.data), str(new), str(OTHER)],
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
        assert proc.returncode == -9, f"the ingest should be killed: {proc.returncode} {proc.stderr[-500:]!r}"
        # the server is ahead: the replaced and the added document are there, the index is not
        assert "国发〔2019〕5号" in doc_graphs(base)
        assert kg.measures_involving(COLLEGE) == hits_before, "searches keep answering from the live generation"
        assert kg.stats()["documents"] == 2
        # the next ingest (nothing new to read) reconciles the server with the live generation
        report = kg.ingest([SEED])
        assert report.unchanged == 1 and not report.changed, report.as_dict()
        assert doc_graphs(base) == {SEED_KEY, GUOFA_KEY}
        assert set(kg.export("nt").splitlines()) == set(before.splitlines()), "the server must match the index again"
        assert not (settings.data / "external-pending.json").exists()
        # and an ingest of the new files completes
        report = kg.ingest([new, OTHER])
        assert report.replaced == [GUOFA_KEY] and report.added == ["国发〔2019〕5号"], report.as_dict()
        assert doc_graphs(base) == {SEED_KEY, GUOFA_KEY, "国发〔2019〕5号"}
        kg.close()


def test_rebuild_drops_documents_not_given(kind, tmp_path):
    with SPARQL_SERVERS[kind](tmp_path / "srv") as base:
        kg = PolicyKG.open(sparql_settings(tmp_path / "data", base))
        kg.ingest([SEED, GUOFA])
        kg.ingest([SEED], rebuild=True)
        assert doc_graphs(base) == {SEED_KEY}, doc_graphs(base)
        assert [d["key"] for d in kg.documents()] == [SEED_KEY]
        kg.close()


def test_unreachable_server_is_one_clear_error(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PolicyKGError) as err:
        PolicyKG.open(sparql_settings(tmp_path / "data", SparqlServer("none", f"{url}/query", f"{url}/update",
                                                                       f"{url}/store")))
    message = str(err.value)
    assert f"{url}/query" in message and "Cannot reach the SPARQL server" in message, message
    assert err.value.status == 503
    from click.testing import CliRunner

    from api.cli import main

    env = {"POLICYKG_STORE": "sparql", "POLICYKG_SPARQL_QUERY_URL": f"{url}/query",
           "POLICYKG_SPARQL_UPDATE_URL": f"{url}/update", "POLICYKG_ENCODER": "none"}
    result = CliRunner().invoke(main, ["ingest", str(SEED), "--data", str(tmp_path / "d2")], env=env)
    assert result.exit_code == 1 and f"{url}/" in result.output and "Traceback" not in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
