"""Citation resolution over the whole reference corpus against a sample judged by reading the text (220 random
occurrences: 《…》 titles, 根据/依照/依据 clauses, clauses naming a law without 《》; 139 citations)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.citation_eval import evaluate_sample

pytestmark = [pytest.mark.corpus, pytest.mark.slow]
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "citations_sample.json"


@pytest.fixture(scope="module")
def relations(tmp_path_factory, corpus_dir):
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    settings = Settings(data=tmp_path_factory.mktemp("citations"), encoder="none")
    kg = PolicyKG.open(settings, encoder=False)
    kg.ingest([corpus_dir / "gov-policy", corpus_dir / "laws", corpus_dir / "reports"], embed=False)
    kg.close()
    kg = PolicyKG.open(settings, encoder=False)
    yield kg.relations_table()
    kg.close()


def test_precision_and_recall_on_the_judged_sample(relations):
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert sum(len(it["citations"]) for it in sample["items"]) >= 100
    got = evaluate_sample(relations, sample)
    print({k: v for k, v in got.items() if k not in ("errors", "unresolved")})
    for split in ("dev", "test"):
        s = got["splits"][split]
        assert s["precision"] >= 0.95 and s["recall"] >= 0.90, (split, s, got["errors"])
    assert got["not_in_corpus"] == len(got["unresolved"]) > 0


def test_unresolved_citations_keep_their_titles(relations):
    unresolved = [x for x in relations.links if not (x.target or x.work)]
    assert unresolved and all(x.title and not x.short for x in unresolved)
