"""Word boundaries and parts of speech from jieba's general dictionary, for the entity rules.

The gazetteer words are left out on purpose: a boundary here is where ordinary Chinese text puts
one, so 和政 (和政县) is no word in 贸易和政策 and 新平 none in 创新平台.

>>> on_word_boundaries("贸易和政策", 2, 4)
False
"""

from __future__ import annotations

import re
from functools import lru_cache
from math import log

CJK = re.compile(r"[\u4e00-\u9fff]")
#: words ending the left context of a bare level word (市教育行政主管部门): the level word is deictic
LEFT_OK = re.compile(r"(?:^|[^\u4e00-\u9fff]|由|和|与|及|或者|或|会同|经|向|对|的|并|应当|负责|报|请|协助|配合|在|按照|依照)$")


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()  # jieba's general dictionary, without the gazetteer words
    tok.initialize()
    return tok


def load() -> None:
    """Load jieba's general dictionary and its parts of speech now (an ingest does it before it
    forks its workers, which then share them instead of loading them each)."""
    _jieba()
    pos_table()


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends where jieba's general segmentation puts a boundary."""
    if (start == 0 or not CJK.match(text[start - 1])) and (end >= len(text) or not CJK.match(text[end])):
        return True  # delimited by punctuation on both sides
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    bounds = {lo + b for b in word_bounds(text[lo:hi])}
    return start in bounds and end in bounds


@lru_cache(maxsize=8192)
def word_bounds(window: str) -> frozenset[int]:
    """Offsets of the word boundaries of ``window``: jieba's best route through its dictionary DAG
    (without the HMM), computed in one backward pass (the same route as ``get_DAG`` + ``calc``)."""
    tok = _jieba()
    freq, n = tok.FREQ, len(window)
    logtotal = log(tok.total)
    score = [0.0] * (n + 1)
    nxt = [0] * (n + 1)
    for idx in range(n - 1, -1, -1):
        best, best_x = None, idx
        i, frag = idx, window[idx]
        while i < n and frag in freq:
            f = freq[frag]
            if f:
                cand = (log(f) - logtotal + score[i + 1], i)
                if best is None or cand > best:
                    best = cand
            i += 1
            frag = window[idx : i + 1]
        if best is None:  # no dictionary word starts here: the character alone
            best = (-logtotal + score[idx + 1], idx)
        score[idx], best_x = best
        nxt[idx] = best_x + 1
    out, x = {0, n}, 0
    while x < n:
        x = nxt[x]
        out.add(x)
    return frozenset(out)


@lru_cache(maxsize=1)
def pos_table() -> dict[str, str]:
    """Part of speech of every word of jieba's general dictionary."""
    from pathlib import Path

    import jieba

    out = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = parts[2]
    return out
