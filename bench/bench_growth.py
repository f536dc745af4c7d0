"""Cost as the work grows: ingest 1x, 2x, 4x a corpus (copies under distinct keys, no embeddings) and print,
per size, ingest time, index size, open time, warm p50/p95 per query kind and serving memory, with the
fitted exponent of each curve (value ~ size^k: k = 1 is linear, k near 0 is flat).

    python bench/bench_growth.py --sizes 1,2,4                       # the whole reference corpus
    python bench/bench_growth.py --sizes 1,2,4 --base-data FULL      # reuse a built 1x (copied first)
    python bench/bench_growth.py --sizes 1,2 --corpus laws --fraction 0.1   # a quick check

Copy k > 1 of every text file has each number before 号 prefixed with ``k`` and a line naming the copy
added, so every document gets a new key (发文字号 or content hash) and citations between documents stay
inside their copy; other files (binary attachments, tables) are copied as they are (reported as
duplicates). By default the sizes grow one data folder: size 2 is size 1 plus an ingest of copy 2, size
4 adds copies 3 and 4, so each size reuses the one built before it ("step" is the ingest that grew it,
"total" the sum up to it); ``--fresh`` ingests every size from nothing instead. ``--base-data`` starts
from a copy of a data folder already built from the same corpus (its ingest time is then not measured).
Each ingest and each measurement runs in its own process; the working folder is removed at the end
unless ``--keep``. Figures on a shared machine are pessimistic: the load average is printed per size.
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
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".csv")

MEASURE = r"""
import json, os, sys, time
t0 = time.perf_counter()
from policykg.service import PolicyKG
from policykg.settings import Settings
t1 = time.perf_counter()
kg = PolicyKG.open(Settings(data=sys.argv[1], encoder="none"), encoder=False)
opened = time.perf_counter() - t1
kinds, repeat = json.loads(sys.argv[2]), int(sys.argv[3])
modes = ("graph", "bm25", "hybrid")
for q in kinds:
    for m in modes:
        kg.search(q, k=10, mode=m)
times = {}
def timed(key, fn):
    t = time.perf_counter()
    fn()
    times.setdefault(key, []).append((time.perf_counter() - t) * 1000)
for _ in range(repeat):
    for q, kind in kinds.items():
        for m in modes:
            timed(f"{m}:{kind}", lambda: kg.search(q, k=10, mode=m))
view = kg.state.view
top = max(view.entities(), key=lambda e: view.measure_count(e.iri))
kg.measures_involving(top.label_zh, limit=10)
for i in range(10 * repeat):
    timed("exact-page:largest", lambda: kg.measures_involving(top.label_zh, offset=10 * i, limit=10))
for q in ("职业", "教育部", "国务院"):
    kg.entities(q=q, limit=None)
    for _ in range(repeat):
        timed("entities:list", lambda: kg.entities(q=q, limit=None))
rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
print(json.dumps({"import": t1 - t0, "open": opened, "times": times, "rss_mb": rss,
                  "largest": [top.label_zh, view.measure_count(top.iri)], "measures": len(view.measures())}))
"""


# -- the corpus and its copies --------------------------------------------------------------------

def base_paths(which: str) -> list[Path]:
    """What copy 1 is: the whole reference corpus (as ``policykg ingest CORPUS`` takes it), or one folder."""
    return {"full": [CORPUS], "gov": [CORPUS / "seed", CORPUS / "gov-policy"], "laws": [CORPUS / "laws"]}[which]


def files_under(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(file, path relative to its root, under the root's name) for every file under ``paths``."""
    out = []
    for src in paths:
        found = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        out += [(f, Path(src.name) / f.relative_to(src) if src.is_dir() else Path(f.name)) for f in found]
    return out


def pick_fraction(files: list[tuple[Path, Path]], fraction: float) -> list[tuple[Path, Path]]:
    """Every n-th file (n = 1 / fraction), so a fraction spreads over every folder."""
    if fraction >= 1:
        return files
    step = max(1, round(1 / fraction))
    return files[::step]


def write_copy(files: list[tuple[Path, Path]], k: int, dest: Path) -> tuple[Path, int]:
    """Copy ``k`` of ``files`` under ``dest/copyK`` (k = 1: unchanged); returns the folder and its characters."""
    target, chars = dest / f"copy{k}", 0
    for f, rel in files:
        to = target / rel
        to.parent.mkdir(parents=True, exist_ok=True)
        if f.suffix.lower() in TEXT_SUFFIXES:
            text = f.read_text(encoding="utf-8", errors="replace")
            if k > 1:
                text = _NUMBER.sub(lambda m: f"{k}{m.group(1)}{m.group(2)}", text) + f"\n（第{k}份副本）\n"
            to.write_text(text, encoding="utf-8")
            chars += len(text)
        else:
            shutil.copyfile(f, to)
    return target, chars


def count_chars(files: list[tuple[Path, Path]]) -> int:
    return sum(len(f.read_text(encoding="utf-8", errors="replace")) for f, _ in files
               if f.suffix.lower() in TEXT_SUFFIXES)


# -- one ingest, one measurement (each in its own process) ----------------------------------------

def ingest(paths: list[Path], data: Path, code: Path = ROOT) -> dict:
    """One ``policykg ingest --no-embed`` by the checkout ``code`` in a child process: wall and CPU seconds
    (the child and its workers), peak resident MB and its JSON report."""
    cmd = [sys.executable, "-m", "api.cli", "ingest", *map(str, paths), "--data", str(data), "--no-embed", "--json",
           "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=code, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(code)})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"ingest failed ({code}): {out.stderr[-2000:]}")
    return {"wall": wall, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_mb": after.ru_maxrss / 1024, "report": json.loads(out.stdout)}


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def sizes_of(data: Path) -> dict:
    """The live generation (store, view, search index) and the whole data folder (with parsed documents), MB."""
    gen = data / "generations" / (data / "CURRENT").read_text().strip()
    return {"index_mb": folder_mb(gen), "data_mb": folder_mb(data)}


def measure(data: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(data), json.dumps(QUERY_KINDS, ensure_ascii=False),
                          str(repeat)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode != 0:
        raise SystemExit(f"measuring failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the table ------------------------------------------------------------------------------------

def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def exponent(sizes: list[float], values: list[float | None]) -> float:
    """Least-squares slope of log(value) on log(size) (sizes without a value are left out)."""
    pts = [(math.log(s), math.log(v)) for s, v in zip(sizes, values) if s > 0 and v is not None and v > 0]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else float("nan")


def print_row(row: dict) -> None:
    ing, got = row.get("ingest"), row["got"]
    step = (f"ingest step {ing['wall']:.0f} s ({row['step_chars'] / ing['wall']:,.0f} chars/s, {ing['cpu']:.0f} CPU s, "
            f"peak {ing['peak_mb']:.0f} MB)" + (f", total {row['total_wall']:.0f} s" if row["total_wall"] is not None
                                               else "") if ing else "ingest reused")
    print(f"{row['size']}x: {got['measures']:,} measures, {row['chars']:,} characters; {step}; index "
          f"{row['index_mb']:.0f} MB (data folder {row['data_mb']:.0f} MB); open {got['open']:.2f} s; serving RSS "
          f"{got['rss_mb']:.0f} MB; largest answer {got['largest'][0]} ({got['largest'][1]:,}); load average "
          f"{row['load']:.1f}", flush=True)


def print_table(rows: list[dict]) -> None:
    sizes = [r["chars"] for r in rows]
    print("\ngrowth table (warm latencies in ms, p50/p95); last column: fitted exponent k of value ~ size^k")
    print(f"{'':34}" + "".join(f"{str(r['size']) + 'x':>16}" for r in rows) + f"{'k':>8}")

    def line(name: str, values: list, cells: list[str], fit: bool = True) -> None:
        k = f"{exponent(sizes, values):>8.2f}" if fit else f"{'-':>8}"
        print(f"{name:34}" + "".join(f"{c:>16}" for c in cells) + k)

    def col(key: str, fmt: str = ".0f", sub: str | None = None) -> tuple[list, list[str]]:
        vals = [(r.get(sub) or {}).get(key) if sub else r.get(key) for r in rows]
        return vals, [format(v, fmt) if v is not None else "-" for v in vals]

    line("characters", sizes, [f"{s:,}" for s in sizes])
    grown = not rows[0].get("fresh")
    for name, key, sub in (("ingest total wall s", "total_wall", None), ("ingest total CPU s", "total_cpu", None),
                           ("ingest step wall s", "wall", "ingest"), ("ingest step CPU s", "cpu", "ingest"),
                           ("ingest step peak RSS MB", "peak_mb", "ingest"),
                           ("index size MB", "index_mb", None), ("data folder MB", "data_mb", None)):
        line(name, *col(key, sub=sub), fit=not (grown and name.startswith("ingest step") and "RSS" not in name))
    line("open s", *col("open", ".2f", "got"))
    line("serving RSS MB", *col("rss_mb", sub="got"))
    for key in rows[0]["got"]["times"]:
        p50 = [pct(r["got"]["times"][key], 0.5) for r in rows]
        p95 = [pct(r["got"]["times"][key], 0.95) for r in rows]
        line(f"{key} p50/p95", p50, [f"{a:.1f}/{b:.1f}" for a, b in zip(p50, p95)])
    print("(k of a latency row is fitted on its p50: a p95 of a few runs on a shared machine is mostly the "
          "machine; k of a growing folder's ingest step is left out: the steps add different amounts, read the total)")


# -- the run --------------------------------------------------------------------------------------

def grow(args, work: Path) -> list[dict]:
    """Build each size (growing one folder, or fresh) and measure it; one row per size."""
    files = pick_fraction(files_under(base_paths(args.corpus)), args.fraction)
    copies: list[Path] = []
    chars = made = 0
    data = work / "data"
    rows, total_wall, total_cpu = [], 0.0, 0.0
    for size in sorted(set(args.sizes)):
        new = []
        while made < size:
            made += 1
            folder, n = write_copy(files, made, work / "corpus")
            copies.append(folder)
            new.append(folder)
            chars += n
        if args.fresh:
            data = work / f"data-{size}x"
            ing = ingest(copies, data)
        elif made == len(new) and args.base_data:  # the first size: a copy of a folder built from copy 1
            shutil.copytree(args.base_data, data, symlinks=True)
            ing = ingest(new[1:], data) if len(new) > 1 else None
        else:
            ing = ingest(new, data)
        if ing:
            total_wall = ing["wall"] if args.fresh else total_wall + ing["wall"]
            total_cpu = ing["cpu"] if args.fresh else total_cpu + ing["cpu"]
        step_chars = chars if args.fresh or not rows else chars - rows[-1]["chars"]
        known = not args.base_data  # a reused copy 1 was not timed: no total
        row = {"size": size, "fresh": args.fresh, "chars": chars, "step_chars": step_chars, "ingest": ing,
               "total_wall": total_wall if known else None, "total_cpu": total_cpu if known else None,
               **sizes_of(data), "got": measure(data, args.repeat), "load": os.getloadavg()[0]}
        rows.append(row)
        print_row(row)
        if args.fresh and not args.keep:
            shutil.rmtree(data, ignore_errors=True)
    return rows


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.replace(" ", "").split(",") if s]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers separated by commas, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers >= 1, got {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=parse_sizes, default=[1, 2, 4], help="multiples of the corpus, e.g. 1,2,4")
    ap.add_argument("--corpus", choices=["gov", "laws", "full"], default="full",
                    help="copy 1: the seed and gov-policy, the laws, or the whole reference corpus")
    ap.add_argument("--fraction", type=float, default=1.0, help="take every n-th file (n = 1/fraction)")
    ap.add_argument("--base-data", type=Path, help="a data folder built from copy 1 with the same --corpus and "
                    "--fraction (copied, never written)")
    ap.add_argument("--fresh", action="store_true", help="ingest every size from nothing (default: grow one folder)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    ap.add_argument("--work", default=None, help="working folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the copies and data folders")
    args = ap.parse_args(argv)
    if args.base_data and not (args.base_data / "CURRENT").is_file():
        ap.error(f"--base-data {args.base_data} is not an ingested data folder (no CURRENT)")
    if args.base_data and args.fresh:
        ap.error("--base-data starts a folder that grows: it does not go with --fresh")
    work = Path(args.work or tempfile.mkdtemp(prefix="policykg-growth-"))
    print(f"load average {os.getloadavg()[0]:.2f}; working folder {work}", flush=True)
    try:
        rows = grow(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if rows:
        print_table(rows)


if __name__ == "__main__":
    main()
