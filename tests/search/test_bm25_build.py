"""The BM25 index built on whole arrays equals bm25s's own, on the units of real documents."""

from __future__ import annotations

import random
from pathlib import Path

import bm25s
import numpy as np
import pytest

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.fixture(scope="module")
def corpus_tokens():
    from ingest.document import parse_file
    from policykg.worker import units_and_tokens

    paths = sorted((CORPUS / "gov-policy").glob("*.txt")) + sorted((CORPUS / "laws" / "行政法").glob("*.txt"))[:10]
    tokens: list[list[str]] = []
    for path in paths:
        tokens += units_and_tokens(parse_file(path, annotate=False))[1]
    return [t or [""] for t in tokens] + [[""]]


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire", "bm25+"])
def test_scores_equal_bm25s_own_index(corpus_tokens, method):
    from search.bm25_build import BM25

    ours, theirs = BM25(method=method), bm25s.BM25(method=method)
    ours.index(corpus_tokens, show_progress=False)
    theirs.index(corpus_tokens, show_progress=False)
    assert len(corpus_tokens) > 1000 and set(ours.vocab_dict) == set(theirs.vocab_dict)
    vocab = sorted(theirs.vocab_dict)
    rng = random.Random(5)
    for _ in range(200):
        query = rng.sample(vocab, rng.randint(1, 6))
        a, b = ours.get_scores(query), theirs.get_scores(query)
        assert a.dtype == b.dtype and np.allclose(a, b, rtol=1e-6, atol=1e-7), query
    top = ours.get_scores(["警察"]).argsort()[::-1][:10]
    assert (top == theirs.get_scores(["警察"]).argsort()[::-1][:10]).all()
