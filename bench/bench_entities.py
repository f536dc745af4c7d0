"""Time entity recognition: this checkout against a baseline checkout, same files, same run.

    python bench/bench_entities.py [--baseline DIR] [FILES_OR_DIRS...]

Parses every file in a fresh interpreter per checkout (so each loads its own gazetteer), then
times entity recognition alone (``ingest.entities.annotate`` over every document), alternating the
checkouts ``--repeat`` times and keeping each one's fastest run; prints seconds and characters per
second for both. The default files are the
State Council policies (``../shared/corpus/gov-policy``). Figures on a shared machine are
pessimistic; compare the two lines of one run only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CHILD = r"""
import json, sys, time
from pathlib import Path
from ingest.document import parse_file
from ingest.entities import annotate
paths = [Path(p) for p in json.loads(sys.argv[1])]
docs = [parse_file(p, annotate=False) for p in paths]  # read, clean, structure: not timed
annotate(docs[0])  # load the gazetteer, the matcher and jieba once
chars = sum(len(d.text) for d in docs)
t = time.perf_counter()
for d in docs:
    annotate(d)
print(json.dumps({"seconds": time.perf_counter() - t, "chars": chars, "files": len(paths)}))
"""


def _files(args: list[str]) -> list[str]:
    out = []
    for a in args or [str(ROOT / ".." / "shared" / "corpus" / "gov-policy")]:
        p = Path(a)
        out += sorted(str(x) for x in p.rglob("*.txt")) if p.is_dir() else [str(p)]
    return out


def run(checkout: Path, files: list[str]) -> dict:
    env = {"PYTHONPATH": str(checkout), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(files)], capture_output=True, text=True,
                         cwd=checkout, env=env, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="checkout to compare with (e.g. a worktree of the main branch)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per checkout, alternating (default 5)")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    files = _files(args.paths)
    rows = [("this checkout", ROOT)] + ([("baseline", Path(args.baseline))] if args.baseline else [])
    best: dict[str, dict] = {}
    for _ in range(args.repeat):  # alternate the checkouts; keep each one's fastest run
        for name, checkout in rows:
            r = run(checkout, files)
            if name not in best or r["seconds"] < best[name]["seconds"]:
                best[name] = r
    for name, _ in rows:
        r = best[name]
        print(f"{name:<14} {r['files']} files  {r['seconds']:.2f} s  {r['chars'] / r['seconds']:,.0f} chars/s "
              f"(entity recognition only, best of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
