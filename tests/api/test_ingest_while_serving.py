"""The API keeps answering while `policykg ingest` runs in another process, then serves the new generation.

Also: a reader still using an old generation keeps it, however many ingests commit meanwhile.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import COLLEGE, CORPUS, SEED, Server

pytestmark = [pytest.mark.server, pytest.mark.corpus, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
GOV = CORPUS / "gov-policy"
COUNT_DOCS = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
              "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?d { ?d a eli:LegalResource } }")


def policykg_command() -> list[str]:
    exe = Path(sys.executable).with_name("policykg")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from api.cli import main; main()"]


def sparql_count(client: httpx.Client) -> int:
    resp = client.get("/sparql", params={"query": COUNT_DOCS}, headers={"Accept": "application/sparql-results+json"})
    resp.raise_for_status()
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


class Hammer:
    """Client threads sending /search, /measures?involving= and /sparql in a loop, recording every failure."""

    def __init__(self, url: str, threads: int = 6) -> None:
        self.url = url
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.counts: dict[str, int] = {"search": 0, "measures": 0, "sparql": 0}
        self.seen_docs: set[int] = set()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def _run(self, i: int) -> None:
        kinds = ["search", "measures", "sparql"]
        with httpx.Client(base_url=self.url, timeout=30) as client:
            n = i
            while not self.stop.is_set():
                kind = kinds[n % 3]
                n += 1
                try:
                    if kind == "search":
                        resp = client.get("/search", params={"q": "职业教育 校企合作", "k": 5})
                        ok = resp.status_code == 200 and resp.json()["results"]
                    elif kind == "measures":
                        resp = client.get("/measures", params={"involving": COLLEGE})
                        ok = resp.status_code == 200 and len(resp.json()["results"]) >= 3
                    else:
                        docs = sparql_count(client)
                        self.seen_docs.add(docs)
                        ok = docs >= 1
                        resp = None
                    if not ok:
                        self.errors.append(f"{kind}: {resp.status_code if resp else ''} {resp.text[:200] if resp else ''}")
                    self.counts[kind] += 1
                except Exception as exc:  # noqa: BLE001 - every failure is what this test counts
                    self.errors.append(f"{kind}: {type(exc).__name__}: {exc}")

    def __enter__(self) -> Hammer:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def test_reads_during_ingest_then_new_generation(tmp_path):
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    settings = Settings(data=tmp_path / "data", encoder="none", endpoint_timeout=10.0)
    kg = PolicyKG.open(settings)
    kg.ingest([SEED])
    kg.close()
    with Server(settings) as srv, httpx.Client(base_url=srv.url, timeout=30) as client:
        assert client.get("/stats").json()["generation"] == 1
        assert sparql_count(client) == 1
        env = {**os.environ, "PYTHONPATH": str(ROOT), "POLICYKG_ENCODER": "none"}
        with Hammer(srv.url) as hammer:
            time.sleep(0.5)
            proc = subprocess.Popen([*policykg_command(), "ingest", str(GOV), "--data", str(settings.data),
                                     "--no-embed", "--quiet", "--json"], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err.decode()[-1000:]
            report = json.loads(out)
            time.sleep(1.0)  # keep hammering on the new generation
        print(f"requests during and after the ingest: {hammer.counts}, errors: {len(hammer.errors)}")
        assert not hammer.errors, f"{len(hammer.errors)} errors, first: {hammer.errors[:3]}"
        assert min(hammer.counts.values()) > 5, f"too few requests ran during the ingest: {hammer.counts}"
        assert report["generation"] == 2 and len(report["added"]) == 60, report
        # no restart: the facade and the SPARQL workers switched on CURRENT
        stats = client.get("/stats").json()
        assert stats["generation"] == 2 and stats["documents"] == 61, stats
        assert sparql_count(client) == 61
        assert 1 in hammer.seen_docs and 61 in hammer.seen_docs, f"documents seen by /sparql: {hammer.seen_docs}"
        hits = client.get("/search", params={"q": "政府性融资担保基金 小微企业", "k": 3}).json()["results"]
        assert any(h["document_key"] == "国办发〔2019〕6号" for h in hits), [h["document_key"] for h in hits]


def test_old_generation_kept_while_a_reader_holds_it(tmp_path):
    from policykg.pipeline import Pipeline
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    settings = Settings(data=tmp_path / "data", encoder="none")
    files = sorted(GOV.glob("*.txt"))[:4]
    writer = Pipeline(settings)
    writer.ingest([SEED, *files], embed=False)
    reader = PolicyKG.open(settings)
    held = reader.state  # what a request still running on generation 1 holds
    assert held.gen.number == 1
    for key in [Path(f).name.split("_")[0] for f in files[:3]]:
        writer.delete(key, embed=False)  # commits generations 2, 3, 4 (keep=2)
    gens = sorted(int(p.name) for p in (settings.data / "generations").iterdir())
    assert 1 in gens and 2 not in gens, f"held generation 1 must stay, unheld 2 go: {gens}"
    # the held generation still answers fully: store, view, SPARQL workers
    assert held.store.triple_count() > 0
    assert held.view.document(Path(files[0]).name.split("_")[0]) is not None
    from graph.endpoint import run_query

    body, _ = run_query(settings, held.gen.store, COUNT_DOCS, "json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"
    # the reader switches on its next request; once nothing holds generation 1 the next commit drops it
    assert reader.stats()["generation"] == 4 and reader.stats()["documents"] == 2
    body, _ = reader.sparql(COUNT_DOCS, "json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2", "SPARQL workers must switch too"
    del held
    gc.collect()
    writer.ingest([files[0]], embed=False)
    gens = sorted(int(p.name) for p in (settings.data / "generations").iterdir())
    assert gens == [4, 5], gens
    reader.close()
