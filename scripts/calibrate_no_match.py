"""Print the figures the "no close match" floors (``search.threshold``) are chosen from.

Usage::

    python scripts/calibrate_no_match.py --data D            # D: an ingested data folder
    python scripts/calibrate_no_match.py --data D --split test --list

For each query of ``tests/data/questions.jsonl`` and ``tests/data/nonsense.jsonl`` (one split, dev by
default) it computes what ``search.threshold.close_match`` weighs: lexical evidence (coverage x
ln(1 + best BM25 score)), coverage, the words found together in one unit, the best dense score. It
prints, per group (questions / nonsense, Chinese / English) and only for the queries no entity or
deadline already accepts, the range of each figure, how many queries each floor passes, and how many
are refused ("no close match") by the floors in force. ``--list`` prints every query's figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def figures(searcher, text: str) -> dict:
    """The evidence ``close_match`` weighs for one query (hybrid mode), and its verdict."""
    from search.query import analyse
    from search.retrieval import graph_retrieve
    from search.threshold import close_match

    qa = analyse(text, searcher._labels)
    terms = searcher._terms.terms(qa, "hybrid")
    graph_scores, ginfo = graph_retrieve(searcher.view, qa, generic=False)
    comp = searcher._retrieve(qa, "hybrid", terms, graph_scores, ginfo)
    ev = searcher.match_evidence(qa, terms, comp)
    best = float(comp["bm25"].max(initial=0.0)) if "bm25" in comp else 0.0
    return {"other": bool(qa.entities) or "target" in comp, "english": ev["english"], "coverage": ev["coverage"],
            "lexical": ev["coverage"] * float(np.log1p(best)), "best_bm25": best, "together": ev["together"],
            "agree": ev["agree_rank"],
            "dense": float(comp["dense"].max()) if "dense" in comp else None,
            "close": close_match(qa, comp, **ev)}


def report(rows: list[dict]) -> None:
    from search.threshold import AGREE_RANK, DENSE_FLOOR, MIN_COVERAGE, MIN_LEXICAL, MIN_TOGETHER

    print(f"floors: lexical >= {MIN_LEXICAL} or coverage >= {MIN_COVERAGE} (with a BM25 match), and words "
          f"together > {MIN_TOGETHER}, or = {MIN_TOGETHER} in a unit of dense rank < {AGREE_RANK}; Chinese dense >= {DENSE_FLOOR}")
    print(f"{'group':<22}{'n':>4}{'lexical':>14}{'coverage':>12}{'together':>10}{'dense':>14}"
          f"{'lex ok':>8}{'tog ok':>8}{'rank@2':>10}{'dense ok':>9}{'refused':>9}")
    from search.threshold import DENSE_FLOOR as floors

    floor = next(iter(floors.values()))
    for nonsense in (False, True):
        for english in (False, True):
            g = [r for r in rows if r["nonsense"] == nonsense and r["english"] == english and not r["other"]]
            if not g:
                continue
            lex_ok = [r for r in g if (r["coverage"] >= MIN_COVERAGE and r["best_bm25"] > 0) or r["lexical"] >= MIN_LEXICAL]
            dense = [r["dense"] for r in g if r["dense"] is not None]
            name = f"{'nonsense' if nonsense else 'questions'} {'English' if english else 'Chinese'}"
            print(f"{name:<22}{len(g):>4}{_span([r['lexical'] for r in g]):>14}{_span([r['coverage'] for r in g]):>12}"
                  f"{_span([r['together'] for r in lex_ok], 0):>10}{_span(dense, 3):>14}{len(lex_ok):>8}"
                  f"{sum(r['together'] >= MIN_TOGETHER for r in lex_ok):>8}"
                  f"{_span([r['agree'] for r in lex_ok if r['together'] == MIN_TOGETHER and r['agree'] is not None], 0):>10}"
                  f"{sum(d >= floor for d in dense) if not english else '-':>9}{sum(not r['close'] for r in g):>9}")
    for nonsense in (False, True):
        g = [r for r in rows if r["nonsense"] == nonsense]
        print(f"{'nonsense' if nonsense else 'questions'}: {sum(not r['close'] for r in g)} of {len(g)} refused "
              f"(entities/deadlines: {sum(r['other'] for r in g)} accepted on those grounds)")


def _span(xs: list[float], digits: int = 2) -> str:
    return f"{min(xs):.{digits}f}-{max(xs):.{digits}f}" if xs else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="an ingested data folder")
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    ap.add_argument("--encoder", default=None, help="query encoder (default: the data folder's; none: BM25 + graph)")
    ap.add_argument("--list", action="store_true", help="every query's figures")
    args = ap.parse_args()
    from policykg.service import PolicyKG
    from policykg.settings import Settings
    from search.evaluate import NONSENSE, load_questions, select_split

    kg = PolicyKG.open(Settings(data=args.data, **({"encoder": args.encoder} if args.encoder else {})))
    searcher = kg.state.searcher
    queries = [q for f in ("questions.jsonl", "nonsense.jsonl")
               for q in select_split(load_questions(ROOT / "tests" / "data" / f), args.split)]
    rows = [{"id": q["id"], "text": q["question"], "nonsense": q["kind"].startswith(NONSENSE),
             **figures(searcher, q["question"])} for q in queries]
    print(f"{args.data}: {len(searcher.index.units):,} units; split {args.split}")
    report(rows)
    if args.list:
        for r in sorted(rows, key=lambda r: (r["nonsense"], r["english"], r["together"])):
            d = "-" if r["dense"] is None else f"{r['dense']:.3f}"
            print(f"{r['id']:<6}{'N' if r['nonsense'] else 'Q'} {'en' if r['english'] else 'zh'} other={int(r['other'])} "
                  f"lex={r['lexical']:.2f} cov={r['coverage']:.2f} together={r['together']} dense={d} "
                  f"agree={r['agree']} close={int(r['close'])}  {r['text']}")
    kg.close()


if __name__ == "__main__":
    main()
