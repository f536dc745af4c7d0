"""Bounded load test of the HTTP API on loopback: mixed /search, /entities, /measures (paged), /sparql requests.

Starts ``policykg serve`` (uvicorn) on a free loopback port unless ``--url`` is given, runs a
single-client baseline, then N concurrent clients for a fixed duration, and prints throughput,
error count and latency p50/p95/p99 per endpoint and overall.

    python bench/bench_http.py --data .policykg --clients 32 --duration 60
    python bench/bench_http.py --url http://127.0.0.1:8000 --clients 32 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

QUERIES = ["河北软件职业技术学院", "产教融合", "双师型教师", "哪些措施涉及保定电力职业技术学院", "职业教育国际合作",
           "Hebei Software Institute", "中医药产业人才培养", "1+X证书制度", "校企合作实训基地", "新能源汽车"]
ENTITIES = ["河北软件职业技术学院", "保定电力职业技术学院", "教育部", "职业", "学院"]
SPARQL = [
    # lookups of the kind tools send; whole-store aggregates are what the time limit is for (tests cover it)
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX pkg: <https://w3id.org/policykg/ontology#> "
    "SELECT ?m WHERE { ?e skos:prefLabel \"河北软件职业技术学院\"@zh . ?m pkg:involves ?e }",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?e ?l WHERE { ?e skos:prefLabel ?l } LIMIT 20",
    "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d ?t WHERE { ?d a eli:LegalResource ; ?p ?t } LIMIT 50",
]


#: exact answers asked of /measures, a page at a time as the web page asks; 国务院 is the largest in the corpus
MEASURES = ["河北软件职业技术学院", "教育部", "国务院"]


def request_mix(rng: random.Random) -> tuple[str, str, dict]:
    """(kind, path, params) drawn with weights search 50%, entities 15%, measures 15%, sparql 20%."""
    r = rng.random()
    if r < 0.5:
        return "search", "/search", {"q": rng.choice(QUERIES), "k": 10}
    if r < 0.65:
        return "entities", "/entities", {"q": rng.choice(ENTITIES)}
    if r < 0.8:
        return "measures", "/measures", {"involving": rng.choice(MEASURES), "offset": 20 * rng.randrange(5),
                                         "limit": 20}
    return "sparql", "/sparql", {"query": rng.choice(SPARQL)}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))]


async def run(url: str, clients: int, duration: float, seed: int = 0) -> dict:
    """``clients`` closed-loop clients (no pause between requests) for ``duration`` seconds.

    The clients share one aiohttp session (keep-alive, one connection each). The load generator
    runs on the same two cores as the server, so what it spends per request is taken from the
    server: httpx's client spent 5.5 ms of CPU per request under 32 clients here, more than the
    server's own 6.4 ms, and its event loop, a core busy, delayed the responses it timed;
    aiohttp's spends about a fifth of that (``cpu_line`` prints both sides).
    """
    import aiohttp

    lat: dict[str, list[float]] = {"search": [], "entities": [], "measures": [], "sparql": []}
    errors: dict[str, int] = {}
    failed: list[str] = []  # how each transport error happened (after how long)
    stop = time.monotonic() + duration
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base_url=url, connector=connector, timeout=timeout) as http:

        async def one(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            while time.monotonic() < stop:
                kind, path, params = request_mix(rng)
                t0 = time.perf_counter()
                try:
                    async with http.get(path, params=params) as resp:
                        await resp.read()
                        ok = resp.status == 200
                        key = None if ok else f"{kind} {resp.status}"
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    key = f"{kind} {type(exc).__name__}"
                    failed.append(f"{key} after {(time.perf_counter() - t0) * 1000:.0f} ms: {exc!r}"[:200])
                if key:
                    errors[key] = errors.get(key, 0) + 1
                else:
                    lat[kind].append((time.perf_counter() - t0) * 1000)

        t0 = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(clients)))
        elapsed = time.monotonic() - t0
    done = sum(len(v) for v in lat.values())
    return {"clients": clients, "seconds": elapsed, "ok": done, "errors": errors, "failed": failed,
            "throughput": done / elapsed, "latency": lat}


def report(name: str, res: dict) -> None:
    allv = [x for v in res["latency"].values() for x in v]
    nerr = sum(res["errors"].values())
    print(f"\n== {name}: {res['clients']} client(s), {res['seconds']:.1f} s, {res['ok']} ok, {nerr} errors, "
          f"{res['throughput']:.1f} req/s")
    if res["errors"]:
        print("   errors:", res["errors"])
        for line in res.get("failed", [])[:5]:
            print("     ", line)
    print(f"   {'endpoint':9s} {'n':>6s} {'mean ms':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}")
    for kind, v in [*res["latency"].items(), ("all", allv)]:
        mean = sum(v) / len(v) if v else float("nan")
        print(f"   {kind:9s} {len(v):6d} {mean:8.1f} {percentile(v, 50):8.1f} {percentile(v, 95):8.1f} "
              f"{percentile(v, 99):8.1f}")


def mean_ms(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def littles_law(base: dict, load: dict) -> None:
    """N = X · R for the closed loop, and what it says about the latency any server could reach.

    With N clients that never pause, the mean response time is R = N / X, whatever the server does:
    only a higher throughput X lowers it. The single client measures the service time of each kind
    (D, with one request in the system); X can at most reach (cores the server can use) / D.
    """
    allv = [x for v in load["latency"].values() for x in v]
    x, r = load["throughput"], mean_ms(allv) / 1000
    d = {k: mean_ms(v) for k, v in base["latency"].items()}
    mix = {k: len(v) / max(1, len(allv)) for k, v in load["latency"].items()}
    demand = sum(mix[k] * d[k] for k in d if d[k] == d[k]) / 1000
    print(f"\nLittle's law: X = {x:.1f} req/s, mean R = {r * 1000:.0f} ms, X·R = {x * r:.1f} "
          f"(clients {load['clients']}); one-client service time per kind: "
          + ", ".join(f"{k} {v:.1f} ms" for k, v in d.items())
          + f"; mean demand of the mix {demand * 1000:.1f} ms → at most {1 / demand:.0f} req/s per core busy "
          f"with it, so with {load['clients']} clients the mean response cannot be below "
          f"{load['clients'] * demand * 1000 / 2:.0f} ms on 2 fully used cores ({load['clients'] * demand * 1000:.0f} ms on one)")


def lane_stats(url: str) -> str:
    """The server's admission lanes after the run (running, waiting, refused, recent service time)."""
    try:
        lanes = httpx.get(url + "/health", timeout=10).json().get("lanes") or {}
    except httpx.HTTPError as exc:
        return f"(no /health: {type(exc).__name__})"
    return "; ".join(f"{n}: limit {s['limit']:.0f}, refused {s['refused']:.0f}, service {s['service_ms']:.1f} ms"
                     for n, s in lanes.items()) or "(none reported)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: str, workers: int = 1, code: Path | None = None) -> tuple[subprocess.Popen, str]:
    """``policykg serve`` on a free loopback port, with the project's code from the checkout ``code``
    (default: this one)."""
    port = free_port()
    cmd = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--data", data,
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    root = str(code.resolve() if code else Path(__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=root)
    proc = subprocess.Popen(cmd, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with code {proc.returncode}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer /health within 120 s")


def family(pid: int) -> list[int]:
    """The process and its descendants (children of any of its threads: the query workers are started
    from worker threads)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by ``pids`` (those still running)."""
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def server_rss(pid: int) -> str:
    """VmRSS / VmHWM of the server process and its children (uvicorn workers, query workers), in MB, and
    their proportional set size summed: the memory they hold together, each shared page (the
    memory-mapped vectors and index files, which every worker maps) counted once."""
    out, pss = [], 0
    for p in family(pid):
        fields = {}
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith(("VmRSS", "VmHWM")):
                fields[line.split(":")[0]] = int(line.split()[1]) // 1024
        try:
            pss += sum(int(line.split()[1]) for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()
                       if line.startswith("Pss:"))
        except OSError:
            pass
        out.append(f"pid {p}: {fields.get('VmRSS')} MB (peak {fields.get('VmHWM')} MB)")
    return "; ".join(out) + f"; together (proportional set size) {pss // 1024} MB"


def timed_run(url: str, clients: int, duration: float, seed: int, server: int | None) -> dict:
    """:func:`run`, with the CPU time the server (and its query processes) and this client used meanwhile."""
    pids = family(server) if server else []
    s0, c0 = cpu_seconds(pids), time.process_time()
    res = asyncio.run(run(url, clients, duration, seed=seed))
    res["server_cpu"] = cpu_seconds(pids) - s0 if server else None
    res["client_cpu"] = time.process_time() - c0
    return res


def cpu_line(name: str, res: dict) -> str:
    n = max(1, res["ok"] + sum(res["errors"].values()))
    server = (f"server {res['server_cpu']:.1f} CPU s = {res['server_cpu'] * 1000 / n:.2f} ms per request, "
              if res["server_cpu"] is not None else "")
    return (f"{name}: {server}client {res['client_cpu']:.1f} CPU s = {res['client_cpu'] * 1000 / n:.2f} ms per request "
            f"(over {res['seconds']:.0f} s: {(res['server_cpu'] or 0) / res['seconds']:.2f} server cores busy)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a running server; default: start one on --data")
    ap.add_argument("--data", default=os.environ.get("POLICYKG_DATA", ".policykg"), help="data folder to serve")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--duration", type=float, default=30.0, help="seconds of the concurrent run")
    ap.add_argument("--baseline", type=float, default=10.0, help="seconds of the single-client baseline")
    ap.add_argument("--workers", type=int, default=1, help="server processes (policykg serve --workers)")
    ap.add_argument("--code", type=Path, help="serve with another checkout's code (e.g. the main branch), "
                    "to compare in the same session")
    args = ap.parse_args(argv)
    proc = None
    url = args.url
    if not url:
        proc, url = start_server(args.data, args.workers, args.code)
    try:
        asyncio.run(run(url, 4, 2.0, seed=99))  # warm-up
        server = proc.pid if proc is not None else None
        base = timed_run(url, 1, args.baseline, 1, server)
        report("baseline", base)
        load = timed_run(url, args.clients, args.duration, 2, server)
        report("load", load)
        speedup = load["throughput"] / base["throughput"] if base["throughput"] else float("nan")
        p50b, p50l = (percentile(r["latency"]["search"], 50) for r in (base, load))
        print(f"\nthroughput x{speedup:.2f} over one client; /search p50 {p50b:.1f} ms -> {p50l:.1f} ms "
              f"under {args.clients} clients; errors {sum(load['errors'].values())}; "
              f"load average {os.getloadavg()[0]:.2f}")
        littles_law(base, load)
        print("CPU time (less sensitive to the machine's load than wall time, not immune: a crowded machine "
              "inflates it too): " + cpu_line("one client", base) + "; "
              + cpu_line(f"{args.clients} clients", load))
        print(f"admission lanes: {lane_stats(url)}")
        if proc is not None:
            print(f"server resident memory after the load: {server_rss(proc.pid)}")
        return 1 if load["errors"] else 0
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)


if __name__ == "__main__":
    raise SystemExit(main())
