from __future__ import annotations

from pathlib import Path

from search.evaluate import format_table, load_questions, run_evaluation, select_split

DATA = Path(__file__).resolve().parents[1] / "data"


def test_nonsense_file_loads_as_queries_without_answers():
    rows = load_questions(DATA / "nonsense.jsonl")
    kinds = {q["kind"] for q in rows}
    assert kinds == {"nonsense", "nonsense_everyday", "nonsense_offcorpus"}, kinds
    assert all(q["expected"] == [] and q["question"] for q in rows)
    test = select_split(rows, "test")
    assert sum(q["kind"] == "nonsense" for q in test) == 20 and sum(q["kind"] == "nonsense_everyday" for q in test) == 20
    assert sum(q["kind"] == "nonsense_offcorpus" for q in test) == 15


def test_no_match_share_is_reported_per_kind(bm25_index, view):
    from search.hybrid import Searcher

    questions = [{"id": "a", "kind": "paraphrase", "question": "双师型教师队伍建设",
                  "expected": [{"doc": "冀政字〔2021〕61号", "measure": 9}]},
                 *(q for q in load_questions(DATA / "nonsense.jsonl") if q["id"] in ("n06", "n10"))]
    rows = {(r["kind"], r["mode"]): r for r in run_evaluation(questions, Searcher(bm25_index, view, None))}
    assert rows[("nonsense", "hybrid")]["no_match"] == 1.0, rows
    assert ("nonsense", "bm25") not in rows, "nonsense queries run in hybrid mode only"
    assert rows[("paraphrase", "hybrid")]["no_match"] == 0.0 and rows[("all", "hybrid")]["n"] == 1, rows
    assert "no match" in format_table(list(rows.values()))
