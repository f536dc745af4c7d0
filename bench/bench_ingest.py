"""Ingest throughput and memory, against jieba alone on the same text as a baseline.

    python bench/bench_ingest.py                     # seed + 60 gov-policy documents, no embeddings
    python bench/bench_ingest.py --embed             # the same, with embeddings (cache cleared each run)
    python bench/bench_ingest.py --corpus full       # all of ../shared/corpus (2,148 documents)
    python bench/bench_ingest.py --corpus full --relations both   # documents in time off, then on, same run
    python bench/bench_ingest.py --corpus full --baseline OTHER_CHECKOUT  # this code and another, alternately
    python bench/bench_ingest.py --corpus full --embed --keep DIR   # build the embedded full corpus once, keep it
    python bench/bench_ingest.py --corpus full --embed --every 8 --repeat 1   # every 8th file: 1/8 of the work

Each run ingests into a fresh data folder in a child process (so peak memory is that process's
own), prints characters/s, wall time, CPU time (the child and its workers), the ingest's own
per-stage timings, peak resident memory, index size on disk and the time ``PolicyKG.open`` takes
to load the result in a fresh process; medians over --repeat. On a machine shared with other work
the wall time varies; CPU seconds / cores gives the figure an idle machine would show.
"""

from __future__ import annotations

import argparse
import contextlib
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


def _sample(paths: list[Path], every: int, into: Path) -> Path:
    """A folder of links to every ``every``-th text file under ``paths`` (sorted by path)."""
    files = sorted(f.resolve() for p in paths for f in ([p] if p.is_file() else p.rglob("*"))
                   if f.suffix in (".txt", ".md"))
    for i, f in enumerate(files[::every]):
        (into / f"{i:05d}-{f.name}").symlink_to(f)
    return into


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


#: ``--relations off``: the ingest without documents in time (no per-document edition and citation quads,
#: no relations stage), the baseline the relations stage is measured against.
WITHOUT_RELATIONS = """
import sys
import graph.build, graph.relations
graph.build.temporal_quads = lambda doc: []
graph.relations.refresh_relations = lambda *args, **kwargs: None
from api.cli import main
main(sys.argv[1:], prog_name="policykg")
"""


def run_ingest(paths: list[Path], embed: bool, relations: bool = True, code: Path = ROOT,
               keep: Path | None = None) -> dict:
    """One ingest into a fresh data folder by the code checked out in ``code`` (its own import path).

    With ``keep``, the data folder is that (new) folder and stays for other benchmarks to open.
    """
    env = {**os.environ, "PYTHONPATH": str(code)}
    with (contextlib.nullcontext(str(keep)) if keep else tempfile.TemporaryDirectory()) as tmp:
        head = [sys.executable, "-m", "api.cli"] if relations else [sys.executable, "-c", WITHOUT_RELATIONS]
        cmd = [*head, "ingest", *map(str, paths), "--data", tmp, "--json", "--quiet"]
        if not embed:
            cmd.append("--no-embed")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = subprocess.run(cmd, cwd=code, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if out.returncode != 0:
            raise SystemExit(f"ingest failed: {out.stderr.strip()[-2000:]}")
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        report = json.loads(out.stdout)
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
        gen = Path(tmp) / "generations" / (Path(tmp) / "CURRENT").read_text().strip()
        index_mb = sum(f.stat().st_size for f in gen.rglob("*") if f.is_file()) / 1e6
        opened = subprocess.run([sys.executable, "-c", OPEN_SNIPPET, tmp], cwd=code, capture_output=True, text=True,
                                env=env)
        open_s = float(opened.stdout.strip() or "nan")
    return {"wall": wall, "cpu": cpu, "report": report, "peak_mb": max(after.ru_maxrss, before.ru_maxrss) / 1024,
            "disk_mb": size / 1e6, "index_mb": index_mb, "open_s": open_s}


OPEN_SNIPPET = """
import sys, time
t = time.perf_counter()
from policykg.service import PolicyKG
from policykg.settings import Settings
kg = PolicyKG.open(Settings(data=sys.argv[1], encoder="none"), encoder=False)
print(time.perf_counter() - t)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["seed", "gov", "full"], default="gov")
    ap.add_argument("--embed", action="store_true", help="compute embeddings too")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--relations", choices=["on", "off", "both"], default="on",
                    help="documents in time (edition/citation quads + relations stage): on, off, or both alternately")
    ap.add_argument("--baseline", type=Path, help="a checkout of other code (e.g. the main branch) ingested "
                    "alternately with this one, in the same run, with the same settings")
    ap.add_argument("--every", type=int, default=1, help="ingest every N-th file of the corpus (sorted by path): a "
                    "sample of the same mix, e.g. to time embedding the full corpus's kinds of text in 1/N of the time")
    ap.add_argument("--keep", type=Path, help="ingest into this new folder and leave it there (one run, no "
                    "baseline), e.g. to build the embedded full-corpus index the search and HTTP benchmarks open")
    args = ap.parse_args()
    if args.keep:
        if args.baseline or args.relations == "both":
            ap.error("--keep takes one run of this code: no --baseline, no --relations both")
        if args.keep.exists() and any(args.keep.iterdir()):
            ap.error(f"--keep {args.keep}: the folder exists and is not empty")
        args.repeat = 1
    if args.every < 1:
        ap.error(f"--every {args.every}: give a whole number of at least 1")
    with tempfile.TemporaryDirectory(prefix="bench-sample-") as sample:
        paths = corpus_paths(args.corpus)
        if args.every > 1:
            paths = [_sample(paths, args.every, Path(sample))]
        _run(args, paths)


def _run(args: argparse.Namespace, paths: list[Path]) -> None:
    chars, texts = count_chars(paths)
    cores = os.cpu_count() or 1
    print(f"corpus {args.corpus}: {len(texts)} files, {chars:,} characters; {cores} cores")
    base = jieba_baseline(texts)
    print(f"baseline jieba.lcut, one core: {base:,.0f} characters/s")
    modes = {"on": [True], "off": [False], "both": [False, True]}[args.relations]
    codes = [("this", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    runs = []
    for i in range(args.repeat):
        for on in modes:
            for label, code in codes:  # alternately, so both see the same load on a shared machine
                r = run_ingest(paths, args.embed, relations=on, code=code, keep=args.keep)
                r["relations"], r["code"] = on, label
                runs.append(r)
                _print_run(len(runs), r, chars, cores)
    for label, _ in codes:
        _print_summary(label, [r for r in runs if r["code"] == label], chars, cores, base, args)


def _print_run(n: int, r: dict, chars: int, cores: int) -> None:
    rep = r["report"]
    print(f"run {n} ({r['code']}, relations {'on' if r['relations'] else 'off'}, load {os.getloadavg()[0]:.1f}): "
          f"{r['wall']:.1f} s wall, {chars / r['wall']:,.0f} characters/s, "
          f"{r['cpu']:.1f} CPU s ({chars / (r['cpu'] / cores):,.0f} characters/s at full use of {cores} cores), "
          f"{rep['documents']} documents, {rep['measures']} measures, {len(rep['failed'])} failed, "
          f"{len(rep.get('duplicates', []))} duplicates, {len(rep.get('renamed', []))} renamed, "
          f"peak {r['peak_mb']:.0f} MB, data folder {r['disk_mb']:.0f} MB (generation {r['index_mb']:.0f} MB), "
          f"open {r['open_s']:.2f} s")
    print(f"  stages: {rep.get('stages')}")


def _print_summary(label: str, runs: list[dict], chars: int, cores: int, base: float, args) -> None:
    wall = statistics.median(r["wall"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    print(f"median ({label}): {wall:.1f} s, {chars / wall:,.0f} characters/s "
          f"({chars / wall / base:.2f}x jieba alone on one core); {cpu:.1f} CPU s = "
          f"{chars / (cpu / cores):,.0f} characters/s at full use of {cores} cores; "
          f"embeddings={'on' if args.embed else 'off'}, peak {statistics.median(r['peak_mb'] for r in runs):.0f} MB, "
          f"open {statistics.median(r['open_s'] for r in runs):.2f} s")
    stages = sorted({name for r in runs for name in r["report"].get("stages", {})})
    print("  CPU s by stage (median): " + ", ".join(
        f"{name} {statistics.median(r['report']['stages'].get(name, {}).get('cpu', 0) for r in runs):.1f}"
        for name in stages))
    if args.relations == "both":
        on = [r for r in runs if r["relations"]]
        off = [r for r in runs if not r["relations"]]
        for what in ("wall", "cpu"):
            a, b = statistics.median(r[what] for r in off), statistics.median(r[what] for r in on)
            print(f"relations off → on, {what}: {a:.1f} s → {b:.1f} s ({100 * (b - a) / a:+.1f} %)")

if __name__ == "__main__":
    main()
