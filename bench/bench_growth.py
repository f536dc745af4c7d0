"""Cost as the work grows: ingest 1x, 2x, 4x the reference corpus (copies under distinct keys, no embeddings)
and print, per size, ingest time, index size, open time, warm p50/p95 per query kind and serving memory,
with the fitted exponent of each curve (value ~ size^k: k = 1 is linear, k near 0 is flat).

    python bench/bench_growth.py                      # 1x 2x 4x of ../shared/corpus, no embeddings
    python bench/bench_growth.py --factors 1 2        # a shorter run
    python bench/bench_growth.py --corpus gov         # the 61 documents instead (quick check)

Copy k > 1 of every text file has each number before 号 prefixed with ``k`` and a line naming the
copy added, so every document gets a new key (发文字号 or content hash) and citations between
documents stay inside their copy; binary attachments are copied as they are (reported as
duplicates). Each ingest and each measurement runs in its own process; the working folder is
removed at the end unless ``--keep``. Figures on a shared machine are pessimistic: the load
average is printed with each row.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
sys.path.insert(0, str(ROOT))
from bench.bench_search import QUERY_KINDS  # noqa: E402  (the same queries as bench_search)

_NUMBER = re.compile(r"(\d+)(\s*号)")

MEASURE = r"""
import json, os, statistics, sys, time
t0 = time.perf_counter()
from policykg.service import PolicyKG
from policykg.settings import Settings
kg = PolicyKG.open(Settings(data=sys.argv[1], encoder="none"), encoder=False)
opened = time.perf_counter() - t0
kinds = json.loads(sys.argv[2])
modes = ("graph", "bm25", "hybrid")
for q in kinds:
    for m in modes:
        kg.search(q, k=10, mode=m)
times = {}
for _ in range(int(sys.argv[3])):
    for q, kind in kinds.items():
        for m in modes:
            t = time.perf_counter()
            kg.search(q, k=10, mode=m)
            times.setdefault(f"{m}:{kind}", []).append((time.perf_counter() - t) * 1000)
view = kg.state.view
top = max(view.entities(), key=lambda e: view.measure_count(e.iri))
kg.measures_involving(top.label_zh, limit=10)
for i in range(20):
    t = time.perf_counter()
    kg.measures_involving(top.label_zh, offset=10 * i, limit=10)
    times.setdefault("exact-page:largest", []).append((time.perf_counter() - t) * 1000)
rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
print(json.dumps({"open": opened, "times": times, "rss_mb": rss, "largest": [top.label_zh, view.measure_count(top.iri)],
                  "measures": len(view.measures())}))
"""


def corpus_paths(which: str) -> list[Path]:
    if which == "gov":
        return [ROOT / "corpus", CORPUS / "gov-policy"]
    return [ROOT / "corpus", *(CORPUS / d for d in ("gov-policy", "laws", "reports"))]


def make_copy(paths: list[Path], k: int, dest: Path) -> tuple[list[Path], int]:
    """Copy ``k`` of every file under ``paths`` into ``dest``; returns the folders and the characters."""
    out, chars = [], 0
    for i, src in enumerate(paths):
        target = dest / f"copy{k}" / f"{i}-{src.name}"
        files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        for f in files:
            rel = f.name if src.is_file() else f.relative_to(src)
            to = target / rel
            to.parent.mkdir(parents=True, exist_ok=True)
            if f.suffix.lower() in (".txt", ".md", ".html", ".htm", ".csv"):
                text = f.read_text(encoding="utf-8", errors="replace")
                text = _NUMBER.sub(lambda m: f"{k}{m.group(1)}{m.group(2)}", text) + f"\n（第{k}份副本）\n"
                to.write_text(text, encoding="utf-8")
                chars += len(text)
            else:
                shutil.copyfile(f, to)
        out.append(target)
    return out, chars


def count_chars(paths: list[Path]) -> int:
    n = 0
    for p in paths:
        for f in [p] if p.is_file() else p.rglob("*"):
            if f.is_file() and f.suffix.lower() in (".txt", ".md", ".html", ".htm", ".csv"):
                n += len(f.read_text(encoding="utf-8", errors="replace"))
    return n


def ingest(paths: list[Path], data: Path) -> dict:
    cmd = [sys.executable, "-m", "api.cli", "ingest", *map(str, paths), "--data", str(data), "--no-embed", "--json",
           "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"ingest failed: {out.stderr[-2000:]}")
    report = json.loads(out.stdout)
    gen = data / "generations" / (data / "CURRENT").read_text().strip()
    size = sum(f.stat().st_size for f in gen.rglob("*") if f.is_file()) / 2**20
    return {"wall": wall, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_mb": after.ru_maxrss / 1024, "index_mb": size, "report": report}


def measure(data: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(data), json.dumps(QUERY_KINDS, ensure_ascii=False),
                          str(repeat)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode != 0:
        raise SystemExit(f"measuring failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def exponent(sizes: list[float], values: list[float]) -> float:
    """Least-squares slope of log(value) on log(size)."""
    pts = [(math.log(s), math.log(v)) for s, v in zip(sizes, values) if s > 0 and v > 0]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--factors", nargs="+", type=int, default=[1, 2, 4])
    ap.add_argument("--corpus", choices=["gov", "full"], default="full")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each query")
    ap.add_argument("--work", default=None, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the copies and data folders")
    args = ap.parse_args()
    base = corpus_paths(args.corpus)
    work = Path(args.work or tempfile.mkdtemp(prefix="policykg-growth-"))
    rows = []
    try:
        copies: list[Path] = list(base)
        chars = count_chars(base)
        made = 1
        for factor in sorted(args.factors):
            while made < factor:
                made += 1
                extra, n = make_copy(base, made, work / "corpus")
                copies += extra
                chars += n
            data = work / f"data-{factor}x"
            shutil.rmtree(data, ignore_errors=True)
            ing = ingest(copies, data)
            got = measure(data, args.repeat)
            rep = ing["report"]
            rows.append({"factor": factor, "chars": chars, **ing, **got, "load": os.getloadavg()[0]})
            print(f"{factor}x: {rep['documents']:,} documents, {rep['measures']:,} measures, {chars:,} characters; "
                  f"ingest {ing['wall']:.0f} s ({chars / ing['wall']:,.0f} chars/s, {ing['cpu']:.0f} CPU s, "
                  f"peak {ing['peak_mb']:.0f} MB), {len(rep['duplicates'])} duplicates, {len(rep['renamed'])} renamed; "
                  f"index {ing['index_mb']:.0f} MB; open {got['open']:.2f} s; serving RSS {got['rss_mb']:.0f} MB; "
                  f"largest answer {got['largest'][0]} ({got['largest'][1]:,}); load average {rows[-1]['load']:.1f}",
                  flush=True)
            if not args.keep:
                shutil.rmtree(data, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if not rows:
        return
    sizes = [r["chars"] for r in rows]
    print("\ngrowth table (warm latencies in ms, p50/p95); last column: fitted exponent k of value ~ size^k")
    header = f"{'':34}" + "".join(f"{str(r['factor']) + 'x':>16}" for r in rows) + f"{'k':>8}"
    print(header)

    def line(name: str, values: list[float], cells: list[str]) -> None:
        print(f"{name:34}" + "".join(f"{c:>16}" for c in cells) + f"{exponent(sizes, values):>8.2f}")

    line("characters", sizes, [f"{s:,}" for s in sizes])
    line("ingest wall s", [r["wall"] for r in rows], [f"{r['wall']:.0f}" for r in rows])
    line("ingest CPU s", [r["cpu"] for r in rows], [f"{r['cpu']:.0f}" for r in rows])
    line("ingest peak RSS MB", [r["peak_mb"] for r in rows], [f"{r['peak_mb']:.0f}" for r in rows])
    line("index size MB", [r["index_mb"] for r in rows], [f"{r['index_mb']:.0f}" for r in rows])
    line("open s", [r["open"] for r in rows], [f"{r['open']:.2f}" for r in rows])
    line("serving RSS MB", [r["rss_mb"] for r in rows], [f"{r['rss_mb']:.0f}" for r in rows])
    for key in rows[0]["times"]:
        p50 = [pct(r["times"][key], 0.5) for r in rows]
        p95 = [pct(r["times"][key], 0.95) for r in rows]
        line(f"{key} p50/p95", p95, [f"{a:.1f}/{b:.1f}" for a, b in zip(p50, p95)])
    print("(k of a latency row is fitted on its p95)")


if __name__ == "__main__":
    main()
