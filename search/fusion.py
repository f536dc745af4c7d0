"""Fusion: each retriever's scores made comparable, then summed with per-query weights.

Each retriever's top :data:`DEPTH` units are normalised to [0, 1] (BM25 and the graph min-max,
dense by its distance above the query's background) and summed with per-query weights.

How the fusion was chosen (dev half of ``tests/data/questions.jsonl``, on the 61-document index;
the test half only checked afterwards): min-max normalisation stretched dense near-ties (a spread
of ~0.02 over the top 10 for English queries) over [0, 1], so with weight 4 they outweighed a
linked entity or a strong keyword match. Dense scores now count by their distance above the
DEPTH-th best unit's score, in units of :data:`DENSE_SPREAD` (0.1), capped at 1. Spread
0.05/0.1/0.2/0.4 with dense weight 2 or 4: weight/spread = 40 was best (dev MRR 0.940; 0.15/6 and
0.2/8 tie), 4/0.1 kept. Re-measured on the 61-document index after the dev questions over other
documents were added (dev MRR / hit@3, all kinds): 4/0.1 0.930/0.971, and every weight from 4.5 to
6 at spread 0.09-0.11 0.938/0.986 (paraphrases 0.830/0.913 -> 0.855/0.957, as dense alone);
3/0.1 and 4/0.12 0.922/0.971: weight 5 at spread 0.1, the middle of that plateau, was used.
Those vectors were bf16 (a CPU with AVX-512-BF16 or AMX); a CPU without it (AVX2 only) encodes
in float32, whose vectors differ from them in the third decimal of a score, and there the dev
plateau is narrower: weight/spread 41-45 gives dev MRR / hit@3 0.942-0.943 / 0.971 (paraphrases
0.884 / 0.957), 47.5-50 gives 0.935 / 0.971 (0.862), 40 0.942 / 0.957, cap 1 against none the same.
Weight 4.3 at spread 0.1 (43, inside both precisions' plateaus) is used. BM25 over the glossary terms of an English query weighs
:data:`GLOSSARY_WEIGHT` (3) times their coverage of the query's words: 1, 2, 3, 5 gave English dev
MRR 0.938, 0.944, 0.952, 0.929. Scaling the graph's weight by the linked entities' IDF changed
nothing on dev earlier, so it was left out.

BM25's weight is scaled by its *coverage*: the share of the query's word characters that fall in
tokens BM25 knows. A query in the corpus's own words (a term, a name) keeps BM25's full weight; a
paraphrase or an English question, of which BM25 matches only a few common words, leans on dense
retrieval instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from search.query import LinkedEntity, QueryAnalysis

#: How deep each retriever's ranking is taken into the fusion.
DEPTH = 100
#: Weights of the retrievers in the fusion (see the module docstring for how they were chosen).
#: Earlier, with rank fusion and chunk-only dense scores, a lower graph weight (0.5, 0.25) cost
#: English questions naming a programme (MRR 0.73 -> 0.56).
WEIGHTS = {"bm25": 1.0, "dense": 4.3, "graph": 1.0, "related": 0.1, "target": 0.5}
#: Dense scores count by how far they stand above the DEPTH-th best unit's (the query's
#: background), in units of this spread, capped at 1: a near-tie stays a near-tie instead of
#: being stretched over the whole [0, 1] range as min-max normalisation did.
DENSE_SPREAD = 0.1
#: BM25 over glossary terms of an English query counts this much of BM25 over the query's own words.
GLOSSARY_WEIGHT = 3.0
_WORD = re.compile(r"\w")


def top(arr: np.ndarray, depth: int = DEPTH) -> np.ndarray:
    """Positions of the ``depth`` best units with a positive score.

    >>> sorted(top(np.array([0.0, 3.0, 1.0, 2.0]), depth=2).tolist())
    [1, 3]
    """
    idx = np.flatnonzero(arr > 0)  # most retrievers score a few hundred of ~10^5 units: select among those
    return idx[np.argpartition(-arr[idx], depth - 1)[:depth]] if len(idx) > depth else idx


def fuse(comp: dict[str, np.ndarray], weights: dict[str, float] | None = None) -> np.ndarray:
    """One score per unit from the retrievers' score arrays ``comp`` (name -> scores).

    One retriever alone keeps its own order; several are normalised over their top DEPTH units
    (dense spread-aware, the others min-max) and summed with ``weights`` (over :data:`WEIGHTS`).

    >>> fuse({"bm25": np.array([0.0, 2.0, 1.0]), "graph": np.array([1.0, 0.0, 0.0])}).round(3).tolist()
    [1.0, 1.0, 0.0]
    """
    weights = {**WEIGHTS, **(weights or {})}
    n = len(next(iter(comp.values()))) if comp else 0
    fused = np.zeros(n, dtype=np.float64)
    if len(comp) == 1:  # one retriever: keep its own order
        (arr,) = comp.values()
        return np.where(arr > 0, arr, 0.0) if arr.min() >= 0 else arr - arr.min() + 1e-9
    for name, arr in comp.items():
        idx = top(arr)
        if not len(idx):
            continue
        high, low = float(arr[idx].max()), float(arr[idx].min())
        if name == "dense":  # spread-aware: how far above the background, not min-max
            norm = np.minimum(1.0, (arr[idx] - low) / DENSE_SPREAD)
        else:
            norm = (arr[idx] - low) / (high - low) if high > low else np.ones(len(idx))
        fused[idx] += weights.get(name, 1.0) * (norm + 1e-6)
    return fused


def fusion_weights(qa: QueryAnalysis, comp: dict[str, np.ndarray], coverage: float,
                   weight: Callable[[list[str]], float]) -> dict[str, float]:
    """Per-query weights: BM25 by its coverage; the graph the more, the more of the query the
    linked names make up (each mention by ``weight`` of its entity: 0 for a generic role)."""
    weights = {"bm25": WEIGHTS["bm25"] * coverage}
    if "graph" in comp:  # the graph outweighs the retrievers that run (an index without embeddings: BM25 only)
        named = named_share(qa, weight)
        weights["graph"] = WEIGHTS["graph"] + named * (WEIGHTS["dense"] * ("dense" in comp) + weights["bm25"])
    return weights


def named_share(qa: QueryAnalysis, weight: Callable[[list[str]], float] = lambda iris: 1.0) -> float:
    """Share of the query's word characters inside linked entity mentions (0-1), each mention
    counted by ``weight`` of its entity.

    >>> qa = QueryAnalysis(raw="", text="Ministry of Civil Affairs", entities=[LinkedEntity("Ministry of Civil Affairs", 0, 25, ["e"])])
    >>> named_share(qa)
    1.0
    """
    total = len(_WORD.findall(qa.text))
    if not total or not qa.entities:
        return 0.0
    by_char: dict[int, float] = {}
    for e in qa.entities:
        w = weight(e.iris)
        for i in range(e.start, e.end):
            if _WORD.match(qa.text[i]):
                by_char[i] = max(by_char.get(i, 0.0), w)
    return min(1.0, sum(by_char.values()) / total)
