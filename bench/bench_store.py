"""Graph store comparison: rdflib in memory, rdflib over Oxigraph (oxrdflib), pyoxigraph.

    python bench/bench_store.py                  # seed + 60 gov-policy documents, 5 repeats
    python bench/bench_store.py --corpus full    # all of ../shared/corpus (build + bulk load only)

For each backend, in a fresh child process: load the documents + gazetteer, run the
"measures involving X" query, export Turtle; prints the median of ``--repeat`` runs and
the resident-memory growth of the load, then the choice. Documents are parsed once
(outside the timings); quads are built with pyoxigraph (timed separately, as quads/s).
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
BACKENDS = ["rdflib-memory", "rdflib-oxrdflib", "pyoxigraph-memory", "pyoxigraph-disk"]
ENTITY = "https://w3id.org/policykg/id/entity/hebei-software-vocational-college"
QUERY = f"""PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT DISTINCT ?m WHERE {{ GRAPH ?g {{ ?m pkg:involves <{ENTITY}> }} }} ORDER BY ?m"""


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def files(which: str) -> list[Path]:
    seed = sorted((CORPUS / "seed").glob("*.txt"))
    gov = sorted((CORPUS / "gov-policy").glob("*.txt"))
    if which == "gov":
        return seed + gov
    rest = sorted(p for d in ("laws", "reports") for p in (CORPUS / d).rglob("*") if p.suffix in (".txt", ".md"))
    return seed + gov + rest


def parse_all(paths: list[Path]) -> list:
    from ingest.document import parse_file
    from core.errors import PolicyKGError

    docs = []
    for p in paths:
        try:
            docs.append(parse_file(p))
        except PolicyKGError:
            pass
    return docs


def quads_of(docs: list) -> tuple[dict, list, float]:
    from graph.build import document_quads, gazetteer_quads

    t = time.perf_counter()
    per_doc = {}
    for d in docs:
        per_doc[d.key] = document_quads(d)
    gaz = gazetteer_quads()
    return per_doc, gaz, time.perf_counter() - t


def open_backend(name: str, tmp: str):
    from graph import iri
    from graph.store import get_backend

    if name == "rdflib-memory":
        return get_backend("memory")()
    if name == "rdflib-oxrdflib":
        return get_backend("memory")(store="Oxigraph")
    if name == "pyoxigraph-memory":
        return get_backend("oxigraph")()
    return get_backend("oxigraph")(Path(tmp) / "store")
    del iri


def child(name: str, docs_file: str, repeat: int) -> dict:
    from graph import iri

    docs = pickle.loads(Path(docs_file).read_bytes())
    per_doc, gaz, _ = quads_of(docs)
    loads, queries, exports, mem = [], [], [], []
    answer = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            before = rss_mb()
            t = time.perf_counter()
            store = open_backend(name, tmp)
            if name.startswith("pyoxigraph"):
                store.bulk_replace(per_doc)
            else:
                for key, quads in per_doc.items():
                    store.replace_document(key, quads)
            store.replace_graph(iri.GAZETTEER_GRAPH, gaz)
            loads.append(time.perf_counter() - t)
            mem.append(rss_mb() - before)
            qt = []
            for _ in range(20):
                t = time.perf_counter()
                answer = store.query(QUERY)
                qt.append(time.perf_counter() - t)
            queries.append(statistics.median(qt))
            t = time.perf_counter()
            ttl = store.dump("turtle")
            exports.append(time.perf_counter() - t)
            n = store.triple_count()
            store.close()
            del store
    return {
        "backend": name,
        "quads": n,
        "load_s": statistics.median(loads),
        "query_ms": statistics.median(queries) * 1000,
        "turtle_s": statistics.median(exports),
        "turtle_bytes": len(ttl),
        "rss_growth_mb": statistics.median(mem),
        "answer": len(answer or []),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["gov", "full"], default="gov")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--docs", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.docs, args.repeat)))
        return
    t = time.perf_counter()
    docs = parse_all(files(args.corpus))
    parse_s = time.perf_counter() - t
    chars = sum(len(d.text) for d in docs)
    builds = []
    for _ in range(args.repeat):
        per_doc, gaz, dt = quads_of(docs)
        builds.append(dt)
    nquads = sum(map(len, per_doc.values())) + len(gaz)
    build_s = statistics.median(builds)
    print(f"{len(docs)} documents, {chars:,} characters parsed in {parse_s:.1f} s")
    print(f"build: {nquads:,} quads in {build_s:.2f} s = {nquads / build_s:,.0f} quads/s (median of {args.repeat})")
    if args.corpus == "full":
        from graph.store_oxigraph import OxigraphStore

        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            per_doc, gaz, _ = quads_of(docs)
            store = OxigraphStore(Path(tmp) / "store")
            store.bulk_replace(per_doc)
            dt = time.perf_counter() - t
            print(f"full corpus build + bulk load into pyoxigraph on disk: {dt:.1f} s, {store.triple_count():,} quads")
            store.close()
        return
    with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as f:
        f.write(pickle.dumps(docs))
    results = []
    for name in BACKENDS:
        out = subprocess.run(
            [sys.executable, __file__, "--child", name, "--docs", f.name, "--repeat", str(args.repeat)],
            capture_output=True, text=True, check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    Path(f.name).unlink()
    print(f"{'backend':20} {'quads':>8} {'load s':>8} {'query ms':>9} {'turtle s':>9} {'RSS +MB':>8} answer")
    for r in results:
        print(f"{r['backend']:20} {r['quads']:>8,} {r['load_s']:>8.3f} {r['query_ms']:>9.2f} "
              f"{r['turtle_s']:>9.3f} {r['rss_growth_mb']:>8.1f} {r['answer']}")
    best = min(results, key=lambda r: r["load_s"] + r["turtle_s"] + r["query_ms"] / 1000 * 100)
    print(f"choice: {best['backend']} (fastest load + export + 100 queries); the default store is "
          "the embedded pyoxigraph store on disk (persistent).")


if __name__ == "__main__":
    main()
