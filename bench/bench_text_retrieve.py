"""Benchmark: "which measures involve X" for X written as adjacent entity names that are no entity
(天津市 + 雄安新区), answered by the units whose text contains X (``search.retrieval.text_retrieve``).

Usage::

    python bench/bench_text_retrieve.py --open DATA     # a data folder made by `policykg ingest`

It times ``text_retrieve`` (the view's bigram index, ``graph.text_find``, plus a scan of the units that
are no measure) against a regular-expression scan of every unit (how it was answered before; the
baseline) in the same run, checks both give the same answer, and times the whole search for the
question. Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: pairs of names each an entity, written together as one name no entity has (and words of the corpus)
NAMES = ("天津市雄安新区", "北京市雄安新区", "河北省教育厅", "人工智能", "知识产权保护", "乡村振兴战略")


def scan(index, name: str) -> tuple[dict, dict]:
    """The baseline: a regular expression over every unit's text."""
    chars = [c for c in name if not c.isspace()]
    rx = re.compile(r"\s*".join(map(re.escape, chars)), re.IGNORECASE)
    scores, info = {}, {}
    for u in index.units:
        spans = [{"text": m.group(0), "start": u.start + m.start(), "end": u.start + m.end()} for m in rx.finditer(u.text)]
        if spans:
            scores[u.id] = 1.0 + 0.01 * len(spans)
            info[u.id] = {"entities": [], "path": [f"text contains {name}"], "evidence": spans, "roles": []}
    return scores, info


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--open", metavar="DATA", required=True, help="an ingested data folder")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from policykg.service import PolicyKG
    from policykg.settings import Settings
    from search.retrieval import text_retrieve

    kg = PolicyKG.open(Settings(data=args.open, encoder="none"))
    searcher = kg.state.searcher
    index, view = searcher.index, searcher.view
    t0 = time.perf_counter()
    text_retrieve(index, view, "预热")
    print(f"{args.open}: {len(index.units):,} units; bigram index + units outside the view's measures on first "
          f"use: {time.perf_counter() - t0:.2f} s; load average {os.getloadavg()[0]:.2f}")
    print(f"{'name':<12}{'units':>7}{'bigram p50':>12}{'regex scan p50':>16}{'search p50':>12}  (ms)")
    for name in NAMES:
        new = text_retrieve(index, view, name)
        old = scan(index, name)
        assert list(new[0]) == list(old[0]) and new == old, name
        t_new = timed(lambda: text_retrieve(index, view, name), args.repeat)
        t_old = timed(lambda: scan(index, name), max(2, args.repeat // 2))
        t_search = timed(lambda: searcher.search(f"哪些措施涉及{name}", k=10), args.repeat)
        print(f"{name:<12}{len(new[0]):>7}{statistics.median(t_new):>12.2f}{statistics.median(t_old):>16.1f}"
              f"{statistics.median(t_search):>12.2f}")
    kg.close()


if __name__ == "__main__":
    main()
