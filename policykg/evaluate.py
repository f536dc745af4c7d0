"""End-to-end evaluation of "which measures involve X" on the hand-annotated gold documents.

It ingests the gold documents into a scratch index and answers every involving question with
the facade (``policykg.service.PolicyKG``), so it lives in the orchestration layer; the gold
files and the expected sets come from ``ingest.evaluate_gold``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from core.errors import NotFoundError
from ontology.names import without_article
from ingest.evaluate_gold import expected_sets, load_gold_dir
from policykg.service import PolicyKG
from policykg.settings import get_settings


def evaluate_involving(corpus: Path, gold_dir: Path, questions: Path, split: str | None,
                       data: Path | None = None) -> dict:
    """Answer every involving question of ``split`` with the service over an index of the gold documents."""
    gold = {h["doc"]: (h, ms) for h, ms in load_gold_dir(gold_dir, split)}
    qs = [json.loads(x) for x in Path(questions).read_text(encoding="utf-8").splitlines() if x.strip()]
    qs = [q for q in qs if (split is None or q["split"] == split) and q["doc"] in gold]
    with tempfile.TemporaryDirectory(prefix="policykg-eval-") as tmp:
        kg = PolicyKG.open(get_settings(data=str(data or tmp)), encoder=False)
        try:
            kg.ingest([str(Path(corpus) / d) for d in gold], embed=False)
            rows = []
            expected_of = {}
            for doc_path in gold:
                expected_of[doc_path] = expected_sets(Path(corpus) / doc_path, gold[doc_path][1])
            for q in qs:
                key = _doc_key(kg, Path(corpus) / q["doc"])
                expected = expected_of[q["doc"]].get(q["entity"], set())
                try:  # the X of "哪些措施涉及X" / "measures involving X", as search reads it
                    res = kg.measures_involving(_subject(q["query"]))
                    got = {r["ordinal"] for r in res["results"] if r["document_key"] == key}
                    how = sorted({(r.get("why") or {}).get("match", "entity") for r in res["results"]})
                except NotFoundError:
                    got, how = set(), ["none"]
                rows.append({"id": q["id"], "query": q["query"], "entity": q["entity"], "exact": got == expected,
                             "expected": sorted(expected), "got": sorted(got), "match": how})
        finally:
            kg.close()
    exact = sum(r["exact"] for r in rows)
    return {"questions": len(rows), "exact": exact, "share": round(exact / len(rows), 4) if rows else 1.0,
            "rows": rows}


def _subject(query: str) -> str:
    """The X of the question as a user would type it to ``measures --involving``: an English article
    before it is no part of a name (search's query analysis reads "the" as a connector too)."""
    from search.query import analyse

    qa = analyse(query)
    return without_article(qa.subject or query)


def _doc_key(kg, path: Path) -> str:
    from ingest.document import parse_file

    return parse_file(path, annotate=False).key
