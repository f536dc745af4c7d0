"""Admission lanes over real HTTP: heavy requests wait their turn in a bounded line with a deadline (503 +
Retry-After past it), cheap ones are answered on the event loop with the same answers as in a thread."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from tests.api.conftest import COLLEGE, Server

#: A query that runs until the endpoint's time limit (2 s in these tests' settings).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
QUICK = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?e ?l WHERE { ?e skos:prefLabel ?l } LIMIT 5"


def _all_at_once(url: str, requests: list[tuple[str, dict]]) -> list[httpx.Response]:
    async def go():
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=100)) as c:
            return await asyncio.gather(*(c.get(path, params=params) for path, params in requests))

    return asyncio.run(go())


@pytest.fixture(scope="module")
def narrow(kg_settings):
    """The API with one search and one SPARQL query at a time, a line of 8 waiting at most 30 s."""
    from api.main import create_app

    app = create_app(kg_settings, lanes={"search": (1, 8, 30.0), "sparql": (1, 8, 30.0)})
    with Server(kg_settings, app=app) as srv:
        yield srv


@pytest.fixture(scope="module")
def tiny(kg_settings):
    """The API whose SPARQL lane holds one running query and one waiting at most 0.5 s."""
    from api.main import create_app

    app = create_app(kg_settings, lanes={"search": (1, 1, 0.5), "sparql": (1, 1, 0.5)})
    with Server(kg_settings, app=app) as srv:
        yield srv


def test_a_burst_past_the_running_limit_waits_its_turn_and_every_request_is_answered(narrow):
    burst = [("/sparql", {"query": QUICK})] * 6 + [("/search", {"q": "产教融合", "k": 5})] * 6
    answers = _all_at_once(narrow.url, burst)
    assert [r.status_code for r in answers] == [200] * 12, [r.text[:200] for r in answers if r.status_code != 200]
    lanes = httpx.get(narrow.url + "/health", timeout=10).json()["lanes"]
    assert lanes["sparql"]["refused"] == 0 and lanes["search"]["refused"] == 0, lanes
    assert lanes["sparql"]["limit"] == 1 and lanes["sparql"]["running"] == 0 and lanes["sparql"]["waiting"] == 0
    assert lanes["search"]["service_ms"] > 0


def test_a_full_line_and_a_passed_deadline_answer_503_with_retry_after(tiny):
    answers = _all_at_once(tiny.url, [("/sparql", {"query": SLOW})] * 5)
    errors = [r.json()["error"] for r in answers]
    kinds = sorted(e["type"] for e in errors)
    assert all(r.status_code == 503 for r in answers), [r.text[:200] for r in answers]
    assert all(int(r.headers["retry-after"]) >= 1 for r in answers)
    # one ran into the time limit, one waited past its 0.5 s deadline, the others found the line full
    assert kinds.count("QueryTimeoutError") == 1, kinds
    busy = [e["message"] for e in errors if e["type"] == "ServerBusyError"]
    assert len(busy) == 4, kinds
    assert sum("waited" in m for m in busy) == 1 and sum("already waiting" in m for m in busy) == 3, busy
    assert all(e["message_zh"] == "服务器繁忙，请稍后重试。" for e in errors if e["type"] == "ServerBusyError")
    assert httpx.get(tiny.url + "/health", timeout=10).json()["lanes"]["sparql"]["refused"] == 4
    # the line drains: the next query is answered
    assert httpx.get(tiny.url + "/sparql", params={"query": QUICK}, timeout=30).status_code == 200


def test_a_line_whose_work_ahead_exceeds_the_deadline_refuses_at_once(tiny):
    """Once the lane has seen the time limit's worth of service time, a query that would wait longer than
    the deadline behind the running one is refused on arrival, not after waiting."""
    alone = httpx.get(tiny.url + "/sparql", params={"query": SLOW}, timeout=60)  # teaches the lane its service time
    assert alone.json()["error"]["type"] == "QueryTimeoutError"
    answers = _all_at_once(tiny.url, [("/sparql", {"query": SLOW})] * 2)
    assert sorted(r.json()["error"]["type"] for r in answers) == ["QueryTimeoutError", "ServerBusyError"]
    refused = next(r.json()["error"]["message"] for r in answers if r.json()["error"]["type"] == "ServerBusyError")
    assert "already waiting" in refused and "s of work" in refused, refused


def test_a_page_of_measures_answered_on_the_loop_equals_the_same_page_of_a_threaded_answer(client):
    inline = client.get("/measures", params={"involving": COLLEGE, "limit": 2, "offset": 1})
    threaded = client.get("/measures", params={"involving": COLLEGE, "limit": 500})  # over 100: in a thread
    assert inline.status_code == threaded.status_code == 200
    a, b = inline.json(), threaded.json()
    assert a["total"] == b["total"] == len(b["results"]) >= 3
    assert a["results"] == b["results"][1:3] and a["offset"] == 1
    assert a["entities"] == b["entities"]


def test_the_entity_list_answers_as_the_scan_of_every_entity(client, kg_settings):
    from graph.lookup import matching_entities
    from policykg.service import PolicyKG

    kg = PolicyKG.open(kg_settings, encoder=False)
    try:
        view = kg.state.view
        for q in ("学院", "职业", "Hebei", "省", None):
            expected = matching_entities(view, q)
            for _ in range(2):  # the first builds the list (in a thread), the second reads it (on the loop)
                resp = client.get("/entities", params={"limit": 7, "offset": 2, **({"q": q} if q else {})})
                assert resp.status_code == 200, resp.text[:300]
                assert int(resp.headers["x-total-count"]) == len(expected)
                assert [e["iri"] for e in resp.json()] == [e["iri"] for e in expected[2:9]]
                assert [e["measures"] for e in resp.json()] == [e["measures"] for e in expected[2:9]]
    finally:
        kg.close()


def test_the_server_builds_the_entity_list_and_the_tokenizer_by_itself_after_start(kg_settings):
    import time

    from api.main import create_app
    from ingest import segment

    with Server(kg_settings, app=create_app(kg_settings)) as srv:
        state = srv.app.state.service._state
        deadline = time.monotonic() + 60
        while getattr(state, "entity_list", None) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state.entity_list is not None and len(state.entity_list) > 0
        assert segment._tokenizer is not None
        assert srv.app.state.service.cheap_entities(None)
