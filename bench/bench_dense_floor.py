"""Best dense score per query: questions against nonsense, the figure the no-match floor reads.

``search.threshold.DENSE_FLOOR`` rejects a Chinese query whose best dense score (best chunk +
best clause, ``search.index.SearchIndex.dense_scores``) is below it. A change to how chunks or
clauses are embedded moves these scores; this prints their distribution on an index, so the
floor can be checked (and re-chosen on dev by its owner).

Usage::

    python bench/bench_dense_floor.py --data DIR [--split dev]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_LATIN = re.compile(r"[A-Za-z]")


def load(path: Path, field: str, split: str) -> list[str]:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [r[field] for r in rows if split == "all" or r.get("split") == split]


def chinese(q: str) -> bool:
    return len(_LATIN.findall(q)) * 2 < len(q)


def best_scores(kg, queries: list[str]) -> np.ndarray:
    """Each query's best dense score, BM25's 100 best joining the clause pool as search does."""
    index, enc = kg.state.index, kg.encoder
    out = []
    for q in queries:
        bm = index.bm25_scores(index.query_tokens(q))
        pool = np.argsort(-bm)[:100][bm[np.argsort(-bm)[:100]] > 0]
        out.append(float(index.dense_scores(enc.encode_queries([q])[0], pool).max(initial=0.0)))
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", default="dev", choices=("dev", "test", "all"))
    args = ap.parse_args()
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    kg = PolicyKG.open(Settings(data=args.data))
    sets = {"questions": load(ROOT / "tests/data/questions.jsonl", "question", args.split),
            "nonsense": load(ROOT / "tests/data/nonsense.jsonl", "query", args.split)}
    print(f"{'set':<10} {'lang':<3} {'n':>4} {'min':>7} {'p10':>7} {'median':>7} {'p90':>7} {'max':>7}")
    for name, qs in sets.items():
        for lang, sel in (("zh", [q for q in qs if chinese(q)]), ("en", [q for q in qs if not chinese(q)])):
            s = best_scores(kg, sel)
            if len(s):
                print(f"{name:<10} {lang:<3} {len(s):>4} {s.min():>7.3f} {np.percentile(s, 10):>7.3f} "
                      f"{np.median(s):>7.3f} {np.percentile(s, 90):>7.3f} {s.max():>7.3f}")
    kg.close()


if __name__ == "__main__":
    main()
