"""Comparison of two documents article by article (条文对比), e.g. two editions of a law.

Articles (measures) are matched across renumbering by text similarity (character-bigram Dice
over the article's text without its number, plus :data:`HEAD_WEIGHT` × the Dice of their opening
clauses, which keeps an article with its successor when a revision splits it in two), with an
optimal one-to-one assignment (``scipy.optimize.linear_sum_assignment``, maximising the total);
a pair whose text Dice is below :data:`MATCH_MIN` is no match. Each article is then:

- ``unchanged``: same text (``renumbered`` when its number changed);
- ``changed``: matched, different text, with a character-level diff (``difflib``);
- ``removed``: only in the older document; ``added``: only in the newer one.

>>> from ingest.model import Document, Measure
>>> def law(*arts):
...     ms = [Measure(f"第{i}条", i, i, "", f"第{i}条 {t}", 0, 0) for i, t in enumerate(arts, 1)]
...     return Document(key="k", title="法", text="", measures=ms)
>>> d = diff_documents(law("国家发展职业教育。", "本法自公布之日起施行。"),
...                    law("国家大力发展职业教育。", "职业学校应当加强管理。", "本法自公布之日起施行。"))
>>> [(a["status"], a["renumbered"]) for a in d["articles"]]
[('changed', False), ('added', False), ('unchanged', True)]
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

import numpy as np

#: Least text similarity (bigram Dice) for two articles to count as the same article.
MATCH_MIN = 0.2
#: Weight of the opening clauses' similarity in the assignment.
HEAD_WEIGHT = 0.3
_LABEL = re.compile(r"^\s*第[一二三四五六七八九十百千零〇\d]+条(?:之[一二三四五六七八九十\d]+)?\s*")


def body(text: str, label: str = "") -> str:
    """An article's text without its printed number.

    >>> body("第十二条 国家鼓励企业举办职业教育。")
    '国家鼓励企业举办职业教育。'
    """
    t = text.strip()
    if label and t.startswith(label):
        return t[len(label):].strip()
    return _LABEL.sub("", t, count=1)


def _bigrams(s: str) -> Counter:
    s = re.sub(r"\s+", "", s)
    return Counter(s[i:i + 2] for i in range(len(s) - 1)) if len(s) > 1 else Counter([s])


def similarity_matrix(a: list[str], b: list[str]) -> np.ndarray:
    """Bigram Dice similarity of every pair of texts."""
    ga, gb = [_bigrams(x) for x in a], [_bigrams(x) for x in b]
    na, nb = [sum(g.values()) for g in ga], [sum(g.values()) for g in gb]
    out = np.zeros((len(a), len(b)), dtype=np.float32)
    for i, x in enumerate(ga):
        for j, y in enumerate(gb):
            if na[i] + nb[j]:
                common = sum((x & y).values())
                out[i, j] = 2 * common / (na[i] + nb[j])
    return out


def assign(sim: np.ndarray, minimum: float = MATCH_MIN, objective: np.ndarray | None = None) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j) maximising the total ``objective`` (default ``sim``), each with ``sim`` ≥ ``minimum``."""
    if sim.size == 0:
        return []
    obj = sim if objective is None else objective
    try:
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(-obj)
        pairs = list(zip(rows.tolist(), cols.tolist()))
    except ImportError:  # greedy best match
        pairs, used_i, used_j = [], set(), set()
        for flat in np.argsort(-obj, axis=None):
            i, j = divmod(int(flat), sim.shape[1])
            if i not in used_i and j not in used_j:
                pairs.append((i, j))
                used_i.add(i)
                used_j.add(j)
    return sorted((i, j) for i, j in pairs if sim[i, j] >= minimum)


def char_diff(a: str, b: str) -> list[list[str]]:
    """Character-level edit script: [op, old text, new text] with op equal / delete / insert / replace.

    >>> char_diff("发展职业教育", "大力发展职业教育")
    [['insert', '', '大力'], ['equal', '发展职业教育', '发展职业教育']]
    """
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [[op, a[i1:i2], b[j1:j2]] for op, i1, i2, j1, j2 in sm.get_opcodes()]


def opening(text: str) -> str:
    """The opening clause of an article (up to the first 。 or ：, at most 40 characters).

    >>> opening("职业学校的设立，应当符合下列基本条件：（一）有章程")
    '职业学校的设立，应当符合下列基本条件'
    """
    return re.split(r"[。：:]", text, maxsplit=1)[0][:40]


def _art(m) -> dict:
    return {"ordinal": m.ordinal, "number": m.number, "label": m.label, "text": body(m.text, m.label)}


def diff_documents(a, b, *, minimum: float = MATCH_MIN) -> dict:
    """Compare document ``a`` (older) with ``b`` (newer); see the module doc for the statuses."""
    ma, mb = list(a.measures), list(b.measures)
    ta, tb = [body(m.text, m.label) for m in ma], [body(m.text, m.label) for m in mb]
    sim = similarity_matrix(ta, tb)
    heads = similarity_matrix([opening(t) for t in ta], [opening(t) for t in tb])
    pairs = assign(sim, minimum, sim + HEAD_WEIGHT * heads)
    of_b = {j: i for i, j in pairs}
    matched_a = {i for i, _ in pairs}
    rows: list[dict] = []
    removed_after: dict[int, list[int]] = {}  # removed articles placed after the last matched one before them
    last = -1
    for i in range(len(ma)):
        if i in matched_a:
            last = next(j for ii, j in pairs if ii == i)
        else:
            removed_after.setdefault(last, []).append(i)
    for i in removed_after.get(-1, []):
        rows.append({"status": "removed", "renumbered": False, "a": _art(ma[i]), "b": None, "similarity": 0.0})
    for j in range(len(mb)):
        if j in of_b:
            i = of_b[j]
            same = ta[i] == tb[j]
            row = {"status": "unchanged" if same else "changed", "renumbered": ma[i].number != mb[j].number
                   or ma[i].label != mb[j].label, "a": _art(ma[i]), "b": _art(mb[j]),
                   "similarity": round(float(sim[i, j]), 4)}
            if not same:
                row["ops"] = char_diff(ta[i], tb[j])
            rows.append(row)
            for k in removed_after.get(j, []):
                rows.append({"status": "removed", "renumbered": False, "a": _art(ma[k]), "b": None,
                             "similarity": 0.0})
        else:
            rows.append({"status": "added", "renumbered": False, "a": None, "b": _art(mb[j]), "similarity": 0.0})
    counts = Counter(r["status"] for r in rows)
    summary = {s: counts.get(s, 0) for s in ("unchanged", "changed", "added", "removed")}
    summary["renumbered"] = sum(1 for r in rows if r["renumbered"])

    def meta(d) -> dict:
        return {"key": d.key, "title": d.title, "docno": d.docno, "date": d.date, "articles": len(d.measures)}

    return {"a": meta(a), "b": meta(b), "summary": summary, "articles": rows}
