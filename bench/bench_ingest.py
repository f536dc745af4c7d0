"""Ingest throughput and memory, against jieba alone on the same text as a baseline.

    python bench/bench_ingest.py                     # seed + 60 gov-policy documents, no embeddings
    python bench/bench_ingest.py --embed             # the same, with embeddings (cache cleared each run)
    python bench/bench_ingest.py --corpus full       # all of ../shared/corpus (2,148 documents)

Each run ingests into a fresh data folder in a child process (so peak memory is that process's
own), prints characters/s, wall time, peak resident memory and index size; medians over --repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()


def corpus_paths(which: str) -> list[Path]:
    if which == "seed":
        return [ROOT / "corpus"]
    if which == "gov":
        return [ROOT / "corpus", CORPUS / "gov-policy"]
    return [ROOT / "corpus", CORPUS / "gov-policy", CORPUS / "laws", CORPUS / "reports"]


def count_chars(paths: list[Path]) -> tuple[int, list[str]]:
    texts = []
    for p in paths:
        files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.suffix in (".txt", ".md"))
        texts += [f.read_text("utf-8", errors="replace") for f in files]
    return sum(map(len, texts)), texts


def jieba_baseline(texts: list[str]) -> float:
    """Characters/s of plain jieba.lcut on one core."""
    import jieba

    jieba.initialize()
    sample = texts if sum(map(len, texts)) < 3_000_000 else texts[: max(1, len(texts) // 5)]
    t = time.perf_counter()
    for text in sample:
        jieba.lcut(text)
    return sum(map(len, sample)) / (time.perf_counter() - t)


def run_ingest(paths: list[Path], embed: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "api.cli", "ingest", *map(str, paths), "--data", tmp, "--json", "--quiet"]
        if not embed:
            cmd.append("--no-embed")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ})
        wall = time.perf_counter() - t
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if out.returncode != 0:
            raise SystemExit(f"ingest failed: {out.stderr.strip()[-2000:]}")
        report = json.loads(out.stdout)
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
    return {"wall": wall, "report": report, "peak_mb": max(peak_kb, before) / 1024, "disk_mb": size / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["seed", "gov", "full"], default="gov")
    ap.add_argument("--embed", action="store_true", help="compute embeddings too")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    paths = corpus_paths(args.corpus)
    chars, texts = count_chars(paths)
    print(f"corpus {args.corpus}: {len(texts)} files, {chars:,} characters; {os.cpu_count()} cores")
    base = jieba_baseline(texts)
    print(f"baseline jieba.lcut, one core: {base:,.0f} characters/s")
    runs = []
    for i in range(args.repeat):
        r = run_ingest(paths, args.embed)
        runs.append(r)
        rep = r["report"]
        print(f"run {i + 1}: {r['wall']:.1f} s wall, {chars / r['wall']:,.0f} characters/s, "
              f"{rep['documents']} documents, {rep['measures']} measures, {len(rep['failed'])} failed, "
              f"peak {r['peak_mb']:.0f} MB, index {r['disk_mb']:.0f} MB")
    wall = statistics.median(r["wall"] for r in runs)
    print(f"median: {wall:.1f} s, {chars / wall:,.0f} characters/s "
          f"({chars / wall / base:.2f}x jieba alone on one core), embeddings={'on' if args.embed else 'off'}, "
          f"peak {statistics.median(r['peak_mb'] for r in runs):.0f} MB")


if __name__ == "__main__":
    main()
