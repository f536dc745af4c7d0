"""The embedded Oxigraph store vs an external SPARQL 1.1 server (``oxigraph serve``) on the same data.

    python bench/bench_stores.py               # seed + 60 gov-policy documents (61), 5 repeats
    python bench/bench_stores.py --repeat 9 --json

Ingests the corpus twice with ``PolicyKG.ingest`` (no embeddings; each in a fresh data folder,
so both parse every file): once into the embedded store, once into a server started here on a
loopback port. Then runs the same queries through the ``graph.store`` interface on both and
prints the median of ``--repeat`` runs: measures involving X, a SELECT with a join, a
CONSTRUCT, the triple count, a full Turtle export, and ``GraphView.load`` (what a reader does
when it opens a generation).
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
ENTITY = "https://w3id.org/policykg/id/entity/hebei-software-vocational-college"

QUERIES = {
    "measures involving X": f"""PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT DISTINCT ?m WHERE {{ GRAPH ?g {{ ?m pkg:involves <{ENTITY}> }} }} ORDER BY ?m""",
    "SELECT with a join": """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?title (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?e) AS ?entities) WHERE { GRAPH ?g {
  ?m a pkg:Measure ; eli:is_part_of ?d ; pkg:involves ?e . ?d dct:title ?title } }
GROUP BY ?title ORDER BY DESC(?measures)""",
    "CONSTRUCT": """PREFIX pkg: <https://w3id.org/policykg/ontology#>
CONSTRUCT { ?m ?p ?o } WHERE { GRAPH ?g { ?m a pkg:Measure ; ?p ?o } }""",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    exe = Path(sys.executable).with_name("oxigraph")
    exe_s = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not exe_s:
        sys.exit("The `oxigraph` command is not installed: pip install oxigraph")
    port = free_port()
    proc = subprocess.Popen([exe_s, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("oxigraph serve did not start")


def median_ms(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


def size(result) -> int:
    return result if isinstance(result, int) else len(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()

    from graph.store import get_backend
    from graph.view import GraphView
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    paths = [CORPUS / "seed", CORPUS / "gov-policy"]
    work = Path(tempfile.mkdtemp(prefix="bench-stores-"))
    proc, base = start_server(work / "server")
    figures: dict = {"documents": None, "repeat": args.repeat, "ingest_s": {}, "queries_ms": {}}
    try:
        settings = {
            "embedded": Settings(data=work / "emb", encoder="none"),
            "server": Settings(data=work / "ext", encoder="none", store="sparql", sparql_query_url=f"{base}/query",
                               sparql_update_url=f"{base}/update", sparql_gsp_url=f"{base}/store"),
        }
        for name, st in settings.items():
            kg = PolicyKG.open(st, encoder=False)
            t = time.perf_counter()
            report = kg.ingest(paths, embed=False)
            figures["ingest_s"][name] = round(time.perf_counter() - t, 2)
            figures["documents"] = report.documents
            kg.close()
        gen = next((work / "emb" / "generations").iterdir())
        stores = {
            "embedded": get_backend("oxigraph")(gen / "store", read_only=True),
            "server": get_backend("sparql")(query_url=f"{base}/query", gsp_url=f"{base}/store", read_only=True),
        }
        cases = {**{k: (lambda s, q=q: s.query(q)) for k, q in QUERIES.items()},
                 "triple count": lambda s: s.triple_count(),
                 "export turtle": lambda s: s.dump("turtle"),
                 "GraphView.load": lambda s: GraphView.load(s).stats()["measures"]}
        for case, fn in cases.items():
            row = {}
            for name, store in stores.items():
                ms, out = median_ms(lambda: fn(store), args.repeat)
                row[name] = round(ms, 2)
                row[f"{name}_size"] = size(out)
            if row["embedded_size"] != row["server_size"]:
                print(f"warning: {case}: embedded {row['embedded_size']} vs server {row['server_size']}", file=sys.stderr)
            figures["queries_ms"][case] = row
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        print_figures(figures, args.repeat)


def print_figures(figures: dict, repeat: int) -> None:
    """The figures as a table: ingest seconds, then each query's median per store."""
    print(f"{figures['documents']} documents, medians of {repeat} runs")
    print(f"ingest (no embeddings): embedded {figures['ingest_s']['embedded']} s, "
          f"server {figures['ingest_s']['server']} s")
    print(f"{'query':24} {'embedded ms':>12} {'server ms':>10} {'ratio':>6}  size")
    for case, row in figures["queries_ms"].items():
        ratio = row["server"] / row["embedded"] if row["embedded"] else float("nan")
        print(f"{case:24} {row['embedded']:12.2f} {row['server']:10.2f} {ratio:6.1f}  {row['embedded_size']}")


if __name__ == "__main__":
    main()
