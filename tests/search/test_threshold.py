"""The no-close-match floors: words of the query found together in one unit."""

from __future__ import annotations

import numpy as np

from search.threshold import close_match, words_together


def test_words_together_counts_the_query_words_one_unit_holds(bm25_index):
    idx = bm25_index
    tok = idx.tokenizer
    both = next(u for u in idx.units if "双师型" in u.text and "教师" in u.text)
    words = [[t for t in tok("双师型") if t in idx.bm25.vocab_dict], [t for t in tok("教师") if t in idx.bm25.vocab_dict]]
    assert all(words), words
    scores = idx.bm25_scores([t for w in words for t in w])
    n, units = words_together(idx.bm25, scores, words)
    assert n == 2 and len(units), (n, units)
    # one word twice counts twice (a repeated word weighs more); an unknown word never counts
    assert words_together(idx.bm25, scores, words + [words[1], []])[0] == 3
    only = np.zeros(len(idx.units), dtype=np.float32)
    only[idx.position[both.id]] = 1.0
    assert words_together(idx.bm25, only, words)[0] == 2
    assert words_together(idx.bm25, only, words)[1].tolist() == [idx.position[both.id]]
    assert words_together(idx.bm25, np.zeros(len(idx.units), dtype=np.float32), words)[0] == 0


def test_scattered_words_are_no_lexical_evidence(bm25_index):
    """Coverage alone (each word somewhere in the corpus) is not enough: the words must meet in one unit."""
    from search.query import analyse

    qa = analyse("anything")
    comp = {"bm25": np.array([5.0, 0.0])}
    kw = dict(english=True, coverage=1.0, encoder_name=None)
    assert close_match(qa, comp, together=2, **kw)
    assert not close_match(qa, comp, together=1, **kw)
    # exactly two words together count when the dense retriever agrees (ranks a unit holding them high)
    assert close_match(qa, comp, together=2, agree_rank=0, **kw)
    assert not close_match(qa, comp, together=2, agree_rank=40, **kw)
    assert close_match(qa, comp, together=3, agree_rank=40, **kw)
    assert close_match(qa, {**comp, "target": np.ones(2)}, together=0, **kw), "a deadline question always has a match"
