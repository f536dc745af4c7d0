"""The cost of an update: edited documents ingested into an index of the whole corpus, against a baseline.

    python bench/bench_update.py                                 # this code: 1 and 10 edited documents
    python bench/bench_update.py --baseline OTHER_CHECKOUT       # and another checkout, alternately
    python bench/bench_update.py --sizes 1 100 --repeat 5

What a user pays to add or correct a policy once the corpus is in. Each checkout first ingests the
full corpus (``../shared/corpus``, no embeddings) into a data folder of its own; then, ``--repeat``
times and alternately, it ingests N State Council policies, each with one sentence added at its
end (so each is an edited version of a stored document and replaces it), by the real command line
in a child process. Printed per run: wall and CPU seconds (the child and its workers) and the
ingest's own stages; then medians per checkout and size. Only the update is timed, not the build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.bench_growth import ingest  # noqa: E402  (one ingest in a child process, by a given checkout)
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
FULL = [ROOT / "corpus", CORPUS / "gov-policy", CORPUS / "laws", CORPUS / "reports"]


def edited(n: int, run: int, into: Path) -> list[Path]:
    """``n`` State Council policies, each with a sentence of its own added at the end (run ``run``)."""
    into.mkdir(parents=True, exist_ok=True)
    out = []
    for i, src in enumerate(sorted((CORPUS / "gov-policy").glob("*.txt"))[:n]):
        path = into / src.name
        path.write_text(src.read_text(encoding="utf-8") + f"\n本文件第{run}次更新的附加说明（{i}）。\n", encoding="utf-8")
        out.append(path)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", type=Path, help="a checkout of other code, timed alternately with this one")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10], help="edited documents per update")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    codes = [("this", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-update-") as tmp:
        for label, code in codes:
            t = time.perf_counter()
            built = ingest(FULL, Path(tmp) / label, code)
            print(f"{label}: full corpus built in {time.perf_counter() - t:.0f} s "
                  f"({built['report']['documents']} documents)", flush=True)
        n = 0
        for r in range(args.repeat):
            for size in args.sizes:
                for label, code in codes:  # alternately, so both see the same load
                    n += 1
                    files = edited(size, n, Path(tmp) / "edits" / f"{n}")
                    res = ingest(files, Path(tmp) / label, code)
                    rep = res["report"]
                    if len(rep.get("replaced", [])) != size:
                        raise SystemExit(f"expected {size} replaced documents, the report says {rep.get('replaced')}")
                    res.update(code=label, size=size)
                    runs.append(res)
                    print(f"run {n} ({label}, {size} edited, load {os.getloadavg()[0]:.1f}): {res['wall']:.1f} s wall, "
                          f"{res['cpu']:.1f} CPU s; stages {rep.get('stages')}", flush=True)
    for size in args.sizes:
        for label, _ in codes:
            mine = [r for r in runs if r["code"] == label and r["size"] == size]
            stages = sorted({s for r in mine for s in r["report"].get("stages", {})})
            print(f"median ({label}, {size} edited): {statistics.median(r['wall'] for r in mine):.1f} s wall, "
                  f"{statistics.median(r['cpu'] for r in mine):.1f} CPU s; CPU s by stage: " + ", ".join(
                      f"{s} {statistics.median(r['report']['stages'].get(s, {}).get('cpu', 0) for r in mine):.1f}"
                      for s in stages))


if __name__ == "__main__":
    main()
