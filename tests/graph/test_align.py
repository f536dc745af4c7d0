"""Measure alignment of the seed with 国发〔2019〕4号 against the hand-made alignment (held-out half)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.align import align_documents, evaluate_alignment
from ingest.document import parse_file

pytestmark = pytest.mark.corpus
GOLD = Path(__file__).resolve().parents[1] / "data" / "alignment_seed_gf2019_4.json"


@pytest.fixture(scope="module")
def docs(seed_path, guofa4_path):
    return parse_file(seed_path), parse_file(guofa4_path)


def test_beats_text_similarity_on_the_test_half(docs):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert not set(gold["dev"]) & set(gold["test"])
    ev = evaluate_alignment(*docs, gold)
    m, b = ev["test"]["method"], ev["test"]["baseline"]
    print("test half: method", m, "baseline", b)
    assert m["f1"] > b["f1"], ev["test"]
    assert m["precision"] >= 0.7 and m["recall"] >= 0.5, m


def test_alignments_carry_evidence(docs):
    out = align_documents(*docs)
    funding = [r for r in out["alignments"] if r["local"]["ordinal"] == 17 and r["national"]["ordinal"] == 16]
    assert funding, "健全经费投入机制 ↔ （十六）健全经费投入机制 not aligned"
    assert funding[0]["shared_wording"] and funding[0]["score"] > 0
