"""Measure-to-measure alignment between a local document and the national one it implements.

For every pair (local measure, national measure) a score combines

- ``words``: TF-IDF cosine over jieba words (the domain dictionary included), IDF taken over
  the measures of both documents, so words every measure uses weigh little;
- ``entities``: Jaccard overlap of the entities both measures mention (gazetteer and pattern
  mentions: programmes, institutions, bodies, industries);
- ``heading``: TF-IDF cosine of the two measures' headings (their opening words);

``score = WEIGHTS · (words, entities, heading)``. A local measure corresponds to every national
measure whose score is at least ``min_score`` and at least ``RELATIVE`` × its best score. The
evidence is the shared entities and the shared wording (common character runs of 4 or more).

The plain text-similarity baseline (:func:`baseline_scores`: character-bigram Dice of the two
texts) is what the evaluation compares against, with its own threshold chosen on the same
development half (see ``tests/graph/test_align.py`` and ``policykg align --gold``).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter

import numpy as np

#: Weights of (words, entities, heading), chosen on the development half of the seed alignment.
WEIGHTS = (0.4, 0.1, 0.1)
MIN_SCORE = 0.05
RELATIVE = 0.5
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9+]+|\d+\+[A-Za-z]")
_STOP = {"推进", "加强", "支持", "建立", "完善", "推动", "开展", "建设", "实施", "提高", "提升", "职业", "教育",
         "职业教育", "发展", "加快", "积极", "进一步", "深化", "健全", "鼓励", "促进", "强化", "坚持", "全面",
         "重点", "有关", "相关", "一批", "以上", "各地", "各级", "方面", "工作", "机制", "体系", "制度"}


def _words(text: str) -> list[str]:
    from ingest.segment import tokenize

    return [w for w in tokenize(text) if _WORD.fullmatch(w) and w not in _STOP]


def _tfidf(docs: list[list[str]]) -> list[dict[str, float]]:
    df = Counter(w for d in docs for w in set(d))
    n = len(docs)
    out = []
    for d in docs:
        tf = Counter(d)
        vec = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _entities(m) -> set[str]:
    return {x.entity for x in m.mentions if getattr(x.type, "value", x.type) != "place"}


def shared_wording(a: str, b: str, min_len: int = 4, limit: int = 6) -> list[str]:
    """Common character runs of ``min_len`` or more, longest first.

    >>> shared_wording("建设高水平专业化产教融合实训基地", "若干高水平专业化产教融合实训基地")
    ['高水平专业化产教融合实训基地']
    """
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs = {a[i:i + n] for i, _, n in sm.get_matching_blocks() if n >= min_len}
    runs = {r for r in runs if re.search(r"[\u4e00-\u9fff]{%d}" % min_len, r)}
    return sorted(runs, key=lambda r: (-len(r), r))[:limit]


def component_scores(local, national) -> np.ndarray:
    """Array (3, n_local, n_national) of the words, entities and heading similarities."""
    lm, nm = list(local.measures), list(national.measures)
    texts = _tfidf([_words(m.text) for m in lm + nm])
    heads = _tfidf([_words(m.heading) for m in lm + nm])
    out = np.zeros((3, len(lm), len(nm)), dtype=np.float64)
    ents_l, ents_n = [_entities(m) for m in lm], [_entities(m) for m in nm]
    for i in range(len(lm)):
        for j in range(len(nm)):
            out[0, i, j] = _cos(texts[i], texts[len(lm) + j])
            union = ents_l[i] | ents_n[j]
            out[1, i, j] = len(ents_l[i] & ents_n[j]) / len(union) if union else 0.0
            out[2, i, j] = _cos(heads[i], heads[len(lm) + j])
    return out


def baseline_scores(local, national) -> np.ndarray:
    """Plain text similarity: character-bigram Dice of every pair of measure texts."""
    from graph.diff import similarity_matrix

    return similarity_matrix([m.text for m in local.measures], [m.text for m in national.measures]).astype(np.float64)


def select(scores: np.ndarray, min_score: float, relative: float = RELATIVE) -> set[tuple[int, int]]:
    """Pairs (local index, national index) kept: ≥ min_score and ≥ relative × the row's best."""
    out = set()
    for i in range(scores.shape[0]):
        best = scores[i].max() if scores.shape[1] else 0.0
        for j in range(scores.shape[1]):
            if scores[i, j] >= min_score and scores[i, j] >= relative * best:
                out.add((i, j))
    return out


def align_documents(local, national, *, min_score: float | None = None, weights=WEIGHTS) -> dict:
    """Correspondences from each measure of ``local`` to measures of ``national``, with evidence."""
    min_score = MIN_SCORE if min_score is None else min_score
    comp = component_scores(local, national)
    scores = np.tensordot(np.asarray(weights), comp, axes=1)
    lm, nm = list(local.measures), list(national.measures)
    rows = []
    for i, j in sorted(select(scores, min_score)):
        a, b = lm[i], nm[j]
        shared = sorted({x.label for x in a.mentions if x.entity in (_entities(a) & _entities(b))})
        rows.append({
            "local": {"ordinal": a.ordinal, "label": a.label, "heading": a.heading},
            "national": {"ordinal": b.ordinal, "label": b.label, "heading": b.heading},
            "score": round(float(scores[i, j]), 4),
            "components": {"words": round(float(comp[0, i, j]), 4), "entities": round(float(comp[1, i, j]), 4),
                           "heading": round(float(comp[2, i, j]), 4)},
            "shared_entities": shared, "shared_wording": shared_wording(a.text, b.text),
        })
    rows.sort(key=lambda r: (r["local"]["ordinal"], -r["score"]))
    return {"local": {"key": local.key, "title": local.title, "docno": local.docno},
            "national": {"key": national.key, "title": national.title, "docno": national.docno},
            "min_score": min_score, "alignments": rows}


def evaluate(pred: set[tuple[int, int]], gold: set[tuple[int, int]], rows: set[int]) -> dict:
    """Precision, recall and F1 of predicted (local ordinal, national ordinal) pairs on ``rows``."""
    p = {x for x in pred if x[0] in rows}
    g = {x for x in gold if x[0] in rows}
    tp = len(p & g)
    prec = tp / len(p) if p else 0.0
    rec = tp / len(g) if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "predicted": len(p),
            "gold": len(g), "correct": tp}


def evaluate_alignment(local, national, gold: dict) -> dict:
    """P / R / F1 of this method and of the text-similarity baseline on the dev and test halves.

    ``gold``: ``{"gold": {local ordinal: [national ordinals]}, "dev": [...], "test": [...]}``.
    The method runs with its fixed weights and thresholds (chosen on dev); the baseline's
    threshold and relative cut are chosen on dev here, in the same run, then applied to test.
    """
    pairs = {(int(k), int(v)) for k, vs in gold["gold"].items() for v in vs}
    lo = [m.ordinal for m in local.measures]
    no = [m.ordinal for m in national.measures]

    def ords(sel: set[tuple[int, int]]) -> set[tuple[int, int]]:
        return {(lo[i], no[j]) for i, j in sel}

    dev, test = set(gold["dev"]), set(gold["test"])
    scores = np.tensordot(np.asarray(WEIGHTS), component_scores(local, national), axes=1)
    method = ords(select(scores, MIN_SCORE, RELATIVE))
    base = baseline_scores(local, national)
    best = None
    for th in np.arange(0.05, 0.6, 0.01):
        for rel in (0.5, 0.6, 0.7, 0.8, 1.0):
            e = evaluate(ords(select(base, float(th), rel)), pairs, dev)
            if best is None or e["f1"] > best[0]["f1"]:
                best = (e, float(th), rel)
    baseline = ords(select(base, best[1], best[2]))
    return {
        "dev": {"method": evaluate(method, pairs, dev), "baseline": evaluate(baseline, pairs, dev)},
        "test": {"method": evaluate(method, pairs, test), "baseline": evaluate(baseline, pairs, test)},
        "baseline_threshold": round(best[1], 2), "baseline_relative": best[2],
        "method_weights": list(WEIGHTS), "method_threshold": MIN_SCORE, "method_relative": RELATIVE,
    }
