"""Evaluation harness: MRR, hit@3 and recall@5 per question kind, for several search modes in one run.

A question file is JSON Lines, one question per line::

    {"id": "q01", "kind": "entity", "split": "dev", "question": "哪些措施涉及河北软件职业技术学院",
     "expected": [{"doc": "冀政字〔2021〕61号", "measure": 6}, ...]}

``kind`` is one of ``entity``, ``alias``, ``paraphrase``, ``english``, ``cross_document``. A line
with ``query`` instead (``tests/data/nonsense.jsonl``: ``{"id", "split", "query"}``, optionally a
``set``) is a query that should have no close match: kind ``nonsense`` (``nonsense_<set>``), run in
hybrid mode only. Every row reports ``no_match``, the share of its queries answered "no close match"
(questions: should be 0; nonsense: should be 1).
``split`` is ``dev`` (weights, thresholds and chunking are chosen on it) or ``test`` (held out:
the figures quoted in the README). In ``tests/data/questions.jsonl`` the first 67 questions
(q01-q67, over the seed and 国发〔2019〕4号) are dev when their number is odd; the questions written
afterwards over the other documents (q68 on) are dev when their number is a multiple of 3, so
two thirds of them are held out.

>>> rows = [{"mode": "bm25", "kind": "entity", "n": 1, "mrr": 1.0, "hit@3": 1.0, "recall@5": 0.5, "exact": 0.0}]
>>> print(format_table(rows))
kind              mode       n    MRR  hit@3  recall@5  exact
entity            bm25       1  1.000  1.000     0.500  0.000
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from core.errors import BadInputError

KINDS = ("entity", "alias", "paraphrase", "english", "cross_document")
NONSENSE = "nonsense"
SPLITS = ("dev", "test")
DEFAULT_MODES = ("hybrid", "bm25", "dense")


def load_questions(path: str | Path) -> list[dict]:
    """Read and check a question file.

    Raises:
        BadInputError: unreadable file, bad JSON, or a question without its fields.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise BadInputError(f"Cannot read question file {path}: {e}. Give a UTF-8 JSON Lines file.") from e
    questions = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except ValueError as e:
            raise BadInputError(f"{path}:{n}: not valid JSON ({e}).") from e
        if "query" in q and "question" not in q:  # a nonsense query: no answer expected
            q = {**q, "question": q["query"], "expected": [],
                 "kind": NONSENSE + (f"_{q['set']}" if q.get("set") else "")}
        missing = [f for f in ("question", "kind", "expected") if f not in q]
        if missing:
            raise BadInputError(f"{path}:{n}: missing field(s) {', '.join(missing)}; each line needs question, kind, expected.")
        if q["kind"] not in KINDS and not q["kind"].startswith(NONSENSE):
            raise BadInputError(f"{path}:{n}: unknown kind {q['kind']!r}. Choose from {', '.join(KINDS)}.")
        if q.get("split") is not None and q["split"] not in SPLITS:
            raise BadInputError(f"{path}:{n}: unknown split {q['split']!r}. Choose from {', '.join(SPLITS)}.")
        q.setdefault("id", f"line{n}")
        questions.append(q)
    return questions


def split_questions(questions: list[dict]) -> tuple[list[dict], list[dict]]:
    """The dev and test halves: by each question's ``split`` field; a question without one is dev
    when its id ends in an odd number, else test.

    Tune weights and options on dev only; report the test half.

    >>> dev, test = split_questions([{"id": "q01"}, {"id": "q02"}, {"id": "q3", "split": "test"}, {"id": "x"}])
    >>> [q["id"] for q in dev], [q["id"] for q in test]
    (['q01'], ['q02', 'q3', 'x'])
    """
    dev, test = [], []
    for q in questions:
        split = q.get("split")
        if split is None:
            digits = "".join(c for c in str(q.get("id", "")) if c.isdigit())
            split = "dev" if digits and int(digits) % 2 == 1 else "test"
        (dev if split == "dev" else test).append(q)
    return dev, test


def select_split(questions: list[dict], split: str | None) -> list[dict]:
    """``questions`` of one split (``dev``/``test``), or all of them for None/``all``.

    Raises:
        BadInputError: an unknown split name.
    """
    if split in (None, "all"):
        return questions
    if split not in SPLITS:
        raise BadInputError(f"Unknown split {split!r}. Choose from dev, test, all.")
    dev, test = split_questions(questions)
    return dev if split == "dev" else test


def _measure(expected: dict) -> int | None:
    """An expected answer's measure number; null for a document without measures."""
    return None if expected.get("measure") is None else int(expected["measure"])


def _hits(results: list[dict], expected: list[dict]) -> list[bool]:
    want = {(e["doc"], _measure(e)) for e in expected}
    return [(r.get("document"), r.get("measure")) in want for r in results]


def score_question(results: list[dict], expected: list[dict]) -> dict:
    """MRR, hit@3, recall@5 and exactness of one ranked result list.

    >>> exp = [{"doc": "A", "measure": 1}, {"doc": "A", "measure": 2}]
    >>> score_question([{"document": "A", "measure": 3}, {"document": "A", "measure": 1}], exp)
    {'mrr': 0.5, 'hit@3': 1.0, 'recall@5': 0.5, 'exact': 0.0}
    """
    hits = _hits(results, expected)
    first = next((i for i, h in enumerate(hits) if h), None)
    want = {(e["doc"], _measure(e)) for e in expected}
    got5 = {(r.get("document"), r.get("measure")) for r in results[:5]}
    got_all = {(r.get("document"), r.get("measure")) for r in results}
    return {
        "mrr": 0.0 if first is None else 1.0 / (first + 1),
        "hit@3": 1.0 if any(hits[:3]) else 0.0,
        "recall@5": len(want & got5) / len(want) if want else 0.0,
        "exact": 1.0 if got_all == want else 0.0,
    }


def run_evaluation(questions: list[dict], searcher, modes: tuple[str, ...] = DEFAULT_MODES, k: int = 10,
                   details: list | None = None) -> list[dict]:
    """Run every question in every mode; one row per (kind, mode) plus ``all`` rows.

    Args:
        questions: from :func:`load_questions`.
        searcher: a ``search.hybrid.Searcher``.
        modes: search modes compared in the same run.
        k: results per question.
        details: if given, per-question scores are appended to it.
    """
    acc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for q in questions:
        nonsense = q["kind"].startswith(NONSENSE)
        for mode in ("hybrid",) if nonsense else modes:
            resp = searcher.search(q["question"], k=k, mode=mode, whole=True)  # exact: the whole set
            results = resp.results
            s = {**score_question(results, q["expected"]), "no_match": float(resp.why == "no_close_match")}
            acc[(q["kind"], mode)].append(s)
            if not nonsense:
                acc[("all", mode)].append(s)
            if details is not None:
                details.append({"id": q["id"], "kind": q["kind"], "mode": mode, **s,
                                "got": [(r["document"], r["measure"]) for r in results[:5]]})
    rows = []
    others = sorted({kind for kind, _ in acc} - {*KINDS, "all"})
    for kind in (*KINDS, "all", *others):
        for mode in modes:
            scores = acc.get((kind, mode))
            if not scores:
                continue
            n = len(scores)
            rows.append({"kind": kind, "mode": mode, "n": n,
                         **{m: sum(s[m] for s in scores) / n for m in ("mrr", "hit@3", "recall@5", "exact", "no_match")}})
    return rows


def format_table(rows: list[dict]) -> str:
    """The rows of :func:`run_evaluation` as a fixed-width text table."""
    lines = [f"{'kind':<17} {'mode':<7} {'n':>4} {'MRR':>6} {'hit@3':>6} {'recall@5':>9} {'exact':>6}"
             + (f" {'no match':>8}" if any("no_match" in r for r in rows) else "")]
    for r in rows:
        lines.append(f"{r['kind']:<17} {r['mode']:<7} {r['n']:>4} {r['mrr']:>6.3f} {r['hit@3']:>6.3f} "
                     f"{r['recall@5']:>9.3f} {r['exact']:>6.3f}" + (f" {r['no_match']:>8.3f}" if "no_match" in r else ""))
    return "\n".join(lines)
