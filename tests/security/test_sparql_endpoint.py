"""The SPARQL endpoint under hostile queries, over real HTTP against ``policykg serve``.

SERVICE in every disguise is refused and a loopback listener receives no connection; huge,
deep and slow queries are refused or stopped while /health keeps answering; bodies over the
limit are refused before they are read; past a bounded wait a query answers 503 with Retry-After; a worker that
dies answers 503; a cut result says so.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx
import pytest
from tests.security.conftest import health_latencies

pytestmark = pytest.mark.server

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"


def service_queries(url: str) -> list[str]:
    host = url.split("//")[1].split("/")[0]
    return [
        # the probe's trick: a quote inside what a regular expression takes for an IRI
        f"SELECT ?x WHERE {{ FILTER('a'<'x>') SERVICE <{url}> {{ ?x ?p ?o }} FILTER('y'!='z') }}",
        f'SELECT ?x WHERE {{ FILTER("a"<"x>") SERVICE <{url}> {{ ?x ?p ?o }} FILTER("y"!="z") }}',
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",  # a codepoint escape of the keyword
        f"SELECT * WHERE {{ SERVICE#comment\n<{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <http://{host}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?q ?r }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p 'a>' . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ]


def test_service_in_every_disguise_is_refused_and_nothing_connects_out(serve, listener):
    for q in service_queries(listener.url):
        for send in (lambda: httpx.get(serve.url + "/sparql", params={"query": q}, timeout=30),
                     lambda: httpx.post(serve.url + "/sparql", content=q.encode(), timeout=30,
                                        headers={"Content-Type": "application/sparql-query"})):
            r = send()
            assert r.status_code == 400, f"{r.status_code} for {q!r}: {r.text[:300]}"
            err = r.json()["error"]
            assert err["type"] in ("QueryRefusedError", "BadInputError"), err
            assert listener.url not in err["message"] or "SERVICE" in err["message"], err
    time.sleep(0.3)
    assert listener.accepted == 0, f"the listener on loopback received {listener.accepted} connections"


def test_the_query_process_cannot_reach_the_network_even_if_a_service_got_through(listener):
    """Below the check: Oxigraph itself, in a process isolated as the query workers are, reaches nothing.

    The same query from a process that is not isolated does reach the listener, so the test can fail.
    """
    code = ("import sys, pyoxigraph\n"
            "from graph.endpoint import isolate_network\n"
            "if sys.argv[2] == 'isolate': assert isolate_network(), 'no network namespace'\n"
            "try:\n"
            "    print(len(list(pyoxigraph.Store().query(sys.argv[1]))))\n"
            "except Exception as exc:\n"
            "    print(type(exc).__name__, exc)\n")
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    isolated = subprocess.run([sys.executable, "-c", code, query, "isolate"], capture_output=True, text=True,
                              timeout=60)
    assert isolated.returncode == 0, isolated.stderr
    time.sleep(0.3)
    assert listener.accepted == 0, f"an isolated query process connected out: {isolated.stdout}"
    free = subprocess.run([sys.executable, "-c", code, query, "no"], capture_output=True, text=True, timeout=60)
    assert free.returncode == 0, free.stderr
    time.sleep(0.3)
    assert listener.accepted >= 1, f"baseline: without isolation Oxigraph should connect ({free.stdout})"


def _health_while(serve, fn):
    stop, lat = threading.Event(), []
    th = threading.Thread(target=health_latencies, args=(serve.url, stop, lat))
    th.start()
    try:
        time.sleep(0.1)
        out = fn()
        time.sleep(0.1)
    finally:
        stop.set()
        th.join()
    return out, lat


def _assert_fast(lat: list[float]) -> None:
    """/health far below the 3-second endpoint limit a held-up answer would wait for: 95th percentile under
    300 ms, the slowest under 2 s (a held-up answer waits 3 s; a machine running the suite beside other heavy
    work once took 1.01 s for one answer)."""
    assert lat, "no /health answer was measured"
    p95 = sorted(lat)[int(len(lat) * 0.95) - 1 if len(lat) >= 20 else -1]
    assert p95 < 0.3, f"/health was held up: 95th percentile {p95 * 1000:.0f} ms"
    assert max(lat) < 2.0, f"/health was held up: max {max(lat) * 1000:.0f} ms"


@pytest.mark.parametrize("closed", [False, True])
def test_80kb_string_query_is_refused_while_health_answers(serve, closed):
    query = 'SELECT * WHERE { ?s ?p """' + '\\"' * 40_000 + ('""" }' if closed else "")
    assert len(query) > 80_000

    def run():
        t0 = time.perf_counter()
        r = httpx.post(serve.url + "/sparql", content=query.encode(), timeout=30,
                       headers={"Content-Type": "application/sparql-query"})
        return r, time.perf_counter() - t0

    (r, seconds), lat = _health_while(serve, run)
    print(f"\n80 KB query ({'closed' if closed else 'unterminated'}): {r.status_code} in {seconds:.2f} s; "
          f"/health max {max(lat) * 1000:.0f} ms over {len(lat)} requests")
    assert r.status_code in (200, 400), r.text[:300]  # a closed string is a valid query (no rows)
    assert not closed or r.status_code == 200, r.text[:300]
    assert closed or r.json()["error"]["type"] == "BadInputError", r.text[:300]
    assert seconds < 3, f"the check took {seconds:.1f} s"
    _assert_fast(lat)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
    "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + ") }",  # unbalanced
    "SELECT * WHERE { ?s ?p " + "[ ?a " * 3000 + "1" + " ]" * 3000 + " }",
    "ASK { " + "OPTIONAL { " * 2000 + "?s ?p ?o" + " }" * 2000 + " }",
])
def test_deep_nesting_is_400(serve, query):
    r = httpx.get(serve.url + "/sparql", params={"query": query}, timeout=30)
    assert r.status_code == 400 and "nested" in r.json()["error"]["message"], r.text[:300]
    assert httpx.get(serve.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30).status_code == 200


def test_nesting_within_the_limit_still_runs(serve):
    q = "SELECT ?s WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40 + " LIMIT 1"
    r = httpx.get(serve.url + "/sparql", params={"query": q}, timeout=30)
    assert r.status_code == 200, r.text[:300]
    assert len(r.json()["results"]["bindings"]) == 1


def test_big_declared_body_is_refused_before_it_is_read(serve):
    """Content-Length of 200 MB: 413 arrives although only the head and 1 KB were sent."""
    with socket.create_connection(("127.0.0.1", serve.port), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Content-Length: 200000000\r\n\r\n" + b"x" * 1024)
        head = b""
        while chunk := s.recv(65536):  # the server closes after its answer
            head += chunk
        head = head.decode(errors="replace")
    assert head.startswith("HTTP/1.1 413"), head[:300]
    assert "PayloadTooLarge" in head


def test_big_chunked_body_is_cut_while_streaming(serve):
    """No Content-Length: 413 once 1 MB has arrived; the server does not grow by the body's size."""
    before = serve.rss_mb()
    sent = 0

    def chunks():
        nonlocal sent
        for _ in range(200):  # up to 200 MB
            sent += 1 << 20
            yield b"#" * (1 << 20)

    try:
        r = httpx.post(serve.url + "/sparql", content=chunks(), timeout=30,
                       headers={"Content-Type": "application/sparql-query"})
        status = r.status_code
    except httpx.HTTPError:  # the server closed while we were still sending
        status = 413
    grown = serve.rss_mb() - before
    print(f"\nchunked 200 MB body: answered {status} after {sent >> 20} MB sent; server RSS grew {grown:.0f} MB")
    assert status == 413
    assert sent < 200 << 20, "the whole body was accepted"
    assert grown < 100, f"server grew by {grown:.0f} MB"


def test_many_slow_queries_get_503_with_retry_after_while_health_is_fast(serve):
    """60 concurrent slow queries: a few run, the rest wait in the SPARQL lane until its deadline and then get
    503 + Retry-After (``api.lanes``); /health, on the event loop, stays fast throughout."""
    async def one(client):
        r = await client.get(serve.url + "/sparql", params={"query": EXPENSIVE})
        return r.status_code, r.headers.get("retry-after"), r.json()["error"]["type"] if r.status_code >= 400 else ""

    async def all_at_once():
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            return await asyncio.gather(*(one(client) for _ in range(60)))

    def storm():
        return asyncio.run(all_at_once())

    results, lat = _health_while(serve, storm)
    codes = [c for c, _, _ in results]
    print(f"\n60 slow queries: {codes.count(503)} × 503, {codes.count(200)} × 200; /health p50 "
          f"{statistics.median(lat) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms over {len(lat)}")
    assert set(codes) <= {200, 503}, codes
    assert codes.count(503) >= 40, codes
    assert all(ra and int(ra) >= 1 for c, ra, _ in results if c == 503), results
    assert {t for c, _, t in results if c == 503} <= {"ServerBusyError", "QueryTimeoutError"}, results
    assert any(t == "ServerBusyError" for _, _, t in results), results
    _assert_fast(lat)


def test_a_worker_that_dies_answers_503_and_is_replaced(serve):
    outcome = {}

    def slow():
        outcome["r"] = httpx.get(serve.url + "/sparql", params={"query": EXPENSIVE}, timeout=60)

    th = threading.Thread(target=slow)
    th.start()
    time.sleep(0.8)
    busy = [pid for pid in serve.children() if _cpu_ticks(pid) > 0]
    for pid in serve.children():
        os.kill(pid, signal.SIGKILL)  # every query process: the running one dies mid-query
    th.join()
    r = outcome["r"]
    assert busy
    assert r.status_code == 503, r.text[:300]
    assert r.json()["error"]["type"] in ("QueryWorkerError", "QueryTimeoutError"), r.text[:300]
    ok = httpx.get(serve.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def _cpu_ticks(pid: int) -> int:
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def test_a_query_past_the_memory_cap_fails_alone(sec_data):
    """A worker capped at 400 MB: an ORDER BY over a cross product answers 503, the next query runs."""
    from tests.security.conftest import Serve

    q = ("SELECT ?a ?b ?c ?d WHERE { ?a ?p1 ?x . ?b ?p2 ?y . ?c ?p3 ?z . ?d ?p4 ?w } "
         "ORDER BY ?x ?y ?z ?w LIMIT 1")
    with Serve(sec_data, POLICYKG_ENDPOINT_TIMEOUT="60", POLICYKG_ENDPOINT_MEMORY_MB="400") as srv:
        peak = [0.0]
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                for pid in srv.children():
                    try:
                        peak[0] = max(peak[0], srv.rss_mb(pid))
                    except OSError:
                        pass
                time.sleep(0.05)

        w = threading.Thread(target=watch)
        w.start()
        t0 = time.perf_counter()
        r = httpx.get(srv.url + "/sparql", params={"query": q}, timeout=120)
        seconds = time.perf_counter() - t0
        stop.set()
        w.join()
        print(f"\nmemory-capped worker (400 MB): {r.status_code} after {seconds:.1f} s, peak worker RSS {peak[0]:.0f} MB")
        assert r.status_code == 503, r.text[:300]
        assert r.json()["error"]["type"] == "QueryWorkerError" and "memory" in r.json()["error"]["message"]
        assert peak[0] < 600
        ok = httpx.get(srv.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert ok.status_code == 200


def test_a_cut_result_says_so(serve):
    r = httpx.get(serve.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200
    assert r.headers["x-result-truncated"] == "true" and r.json()["truncated"] is True
    assert len(r.json()["results"]["bindings"]) == 1000
    r = httpx.get(serve.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}, timeout=30)
    assert r.headers["x-result-truncated"] == "false" and r.json()["truncated"] is False
    r = httpx.get(serve.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"}, timeout=30)
    assert r.headers["x-result-truncated"] == "true" and len(r.text.splitlines()) == 1000
    r = httpx.get(serve.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"}, timeout=30)
    assert r.headers["x-result-truncated"] == "true"
