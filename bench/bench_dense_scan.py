"""The first dense stage: every chunk vector against a query, exact float32 (numpy, the baseline)
against the 8-bit scan on onnxruntime (``search/chunk_scan.py``) with its exact rescoring.

Usage::

    python bench/bench_dense_scan.py                    # synthetic vectors of the full corpus's shape
    python bench/bench_dense_scan.py --rows 114648 --queries 200
    python bench/bench_dense_scan.py --open DIR         # an index's chunk vectors, the evaluation questions

Prints p50/p95 ms per query on one thread for both, the overlap of the best 10 / 200 / 1000
chunks with the exact scan's, the largest score difference over those best 200, the memory the
8-bit session holds (RSS growth) and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmRSS")) / 1024


def synthetic(rows: int, n_queries: int, dim: int = 384) -> tuple[np.ndarray, np.ndarray]:
    """Clustered unit vectors (rows near 2,000 topics, as real chunks are), queries near random rows."""
    rng = np.random.default_rng(0)
    topics = rng.standard_normal((2000, dim)).astype(np.float32)
    vecs = topics[rng.integers(0, 2000, rows)] + 0.8 * rng.standard_normal((rows, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    qs = vecs[rng.integers(0, rows, n_queries)] + 0.6 * rng.standard_normal((n_queries, dim)).astype(np.float32)
    return vecs, qs / np.linalg.norm(qs, axis=1, keepdims=True)


def from_index(folder: str) -> tuple[np.ndarray, np.ndarray]:
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    kg = PolicyKG.open(Settings(data=folder))
    index = kg.state.index
    qs = [json.loads(x)["question"] for x in (ROOT / "tests/data/questions.jsonl").read_text(encoding="utf-8").splitlines()
          if x.strip()]
    return index.chunk_embeddings, kg.encoder.encode_queries(qs)


def timed(fn, qs: np.ndarray) -> tuple[list[float], list[np.ndarray]]:
    fn(qs[0])
    ms, outs = [], []
    for q in qs:
        t0 = time.perf_counter()
        outs.append(fn(q))
        ms.append((time.perf_counter() - t0) * 1000)
    return ms, outs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=114_648, help="synthetic chunk vectors (the full corpus has 114,648)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--open", help="a data folder: its index's chunk vectors and the evaluation questions")
    args = ap.parse_args()
    from threadpoolctl import threadpool_limits

    from search.chunk_scan import ChunkScan

    vecs, qs = from_index(args.open) if args.open else synthetic(args.rows, args.queries)
    print(f"{len(vecs):,} chunk vectors x {vecs.shape[1]}, {len(qs)} queries; load average {os.getloadavg()}")
    with threadpool_limits(1):
        exact_ms, exact = timed(lambda q: np.asarray(vecs @ q), qs)
        before = rss_mb()
        scan = ChunkScan(vecs, threads=1)
        t0 = time.perf_counter()
        scan.scores(qs[0])
        build_s = time.perf_counter() - t0
        held = rss_mb() - before
        scan_ms, got = timed(scan.scores, qs)
    pct = lambda xs, p: float(np.percentile(xs, p))  # noqa: E731
    print(f"exact float32 (numpy, 1 thread)   p50 {pct(exact_ms, 50):6.2f} ms  p95 {pct(exact_ms, 95):6.2f} ms")
    print(f"8-bit scan + exact top (1 thread) p50 {pct(scan_ms, 50):6.2f} ms  p95 {pct(scan_ms, 95):6.2f} ms"
          f"  (first query builds the session: {build_s:.2f} s, RSS +{held:.0f} MB)")
    for k in (10, 200, 1000):
        overlap = [len(set(np.argsort(-e)[:k]) & set(np.argsort(-g)[:k])) / k for e, g in zip(exact, got)]
        print(f"best {k:>4} chunks: overlap with the exact scan mean {np.mean(overlap):.4f}, min {min(overlap):.3f}")
    diff = max(float(np.abs(e[np.argsort(-e)[:200]] - g[np.argsort(-e)[:200]]).max()) for e, g in zip(exact, got))
    print(f"largest score difference over the exact best 200: {diff:.2e}; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
