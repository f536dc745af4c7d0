"""Ingest resource bounds: wall time and peak memory of ``policykg ingest --no-embed`` on large inputs.

Usage::

    python bench/bench_bounds.py                    # structured law text of 0.25, 0.5 and 1 M characters
    python bench/bench_bounds.py --sizes 250000 2000000 --hostile

Each input is ingested alone into a fresh data folder by the real command line, in its own
process; the peak resident memory (the process and its parse workers) and the wall time are
printed. The baseline is the seed policy ingested the same way in the same run. Inputs:

- ``law-N``: articles (第N条) of a real law from the reference corpus, repeated and renumbered
  up to N characters: the shape of the largest real documents;
- ``--hostile``: one character repeated 1 M times; 1 M random numerals and units (一…千所个).

The figures set ``ingest.read.MAX_DOCUMENT_CHARS``; on a shared machine they are pessimistic.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
SEED = CORPUS / "seed"


def law_text(chars: int) -> str:
    """Articles of the longest vocational-education law in the corpus, renumbered, up to ``chars`` characters."""
    laws = sorted((CORPUS / "laws").rglob("*职业教育法*"), key=lambda p: -p.stat().st_size)
    src = laws[0].read_text(encoding="utf-8")
    articles = re.findall(r"第[一二三四五六七八九十百零]+条\s*(.+)", src)
    head = "中华人民共和国测试法\n\n第一章 总则\n\n"
    out, n = [head], 0
    total = len(head)
    while total < chars:
        n += 1
        line = f"第{n}条 {articles[n % len(articles)]}\n\n"
        out.append(line)
        total += len(line)
    return "".join(out)


def ingest(path: Path) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB of the ingest process tree, last stderr line) for one input."""
    data = Path(tempfile.mkdtemp(prefix="bench-bounds-"))
    env = {**os.environ, "POLICYKG_ENCODER": "none", "PYTHONPATH": str(ROOT)}
    code = ("import resource, sys\nfrom api.cli import main\n"
            "try:\n    main()\nfinally:\n"
            "    r = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "    print(f'PEAK {r}', file=sys.stderr)\n")
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "ingest", str(path), "--data", str(data), "--quiet"],
                          capture_output=True, text=True, env=env, timeout=3600)
    wall = time.perf_counter() - t0
    peak = max((int(m) for m in re.findall(r"PEAK (\d+)", done.stderr)), default=0) / 1024
    lines = [x for x in (done.stdout + done.stderr).splitlines() if x and not x.startswith("PEAK")]
    return wall, peak, (lines[-1] if lines else "")[:120]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    ap.add_argument("--hostile", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-bounds-in-"))
    cases = [("seed (baseline)", SEED)]
    for n in args.sizes:
        p = tmp / f"law-{n}.txt"
        p.write_text(law_text(n), encoding="utf-8")
        cases.append((f"law {n:,} chars", p))
    if args.hostile:
        p = tmp / "repeat.txt"
        p.write_text("关于印发的通知\n" + "一" * 1_000_000, encoding="utf-8")
        cases.append(("one char × 1M", p))
        p = tmp / "numerals.txt"
        rnd = random.Random(0)
        p.write_text("关于印发的通知\n" + "".join(rnd.choice("一二三四五六七八九十百千所个") for _ in range(1_000_000)),
                     encoding="utf-8")
        cases.append(("numerals × 1M", p))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'input':<22} {'MB on disk':>10} {'wall s':>8} {'peak MB':>8}  result")
    for name, path in cases:
        size = sum(f.stat().st_size for f in ([path] if path.is_file() else path.rglob("*") if path.is_dir() else []))
        wall, peak, last = ingest(path)
        print(f"{name:<22} {size / 1048576:>10.2f} {wall:>8.1f} {peak:>8.0f}  {last}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
