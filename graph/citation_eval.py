"""Precision and recall of citation resolution against a sample judged by reading the text.

The sample (``tests/data/citations_sample.json``, drawn by ``scripts/draw_citation_sample.py``)
holds random occurrences of the corpus text, drawn without looking at what the extractor found:
《…》 occurrences (``frame: title``) and 根据 / 依照 / 依据 clauses (``frame: clause``), each with
its document, span, split (dev / test) and the citations a reader finds in it::

    {"source": key, "start": 120, "end": 141, "split": "dev", "frame": "clause",
     "citations": [{"title": "教育法", "start": 122, "end": 125,
                    "expected_work": "中华人民共和国教育法",   # title in the corpus, null when not in it
                    "expected_key": "sha1:…"}]}             # the edition meant, null when none in the corpus

A citation is resolved correctly when the extractor has a citation overlapping its span whose
resolution is the expected work (by title) and the expected edition (by document key).
Recall = correct / citations whose work is in the corpus; precision = correct / citations the
system resolved inside the sampled spans (so a resolved non-citation counts against it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _resolution(rel, link) -> tuple[str | None, str | None]:
    """(work or document title, document key) a system citation resolved to."""
    from graph.relations import norm_title

    if link.work:
        title = rel.works[link.work].title
    elif link.target:
        title = rel.versions[link.target].title
    else:
        return None, None
    return norm_title(title), (rel.versions[link.target].key if link.target else None)


def _links_by_source(rel) -> dict[str, list]:
    out = defaultdict(list)
    for x in rel.links:
        if x.source in rel.versions and x.start is not None and x.start >= 0:
            out[rel.versions[x.source].key].append(x)
    return out


def _score(rel, items: list[dict], links: dict[str, list]) -> dict:
    from graph.relations import norm_title

    gold: dict[tuple[str, int], dict] = {}
    regions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for it in items:
        regions[it["source"]].append((it["start"], it["end"]))
        for c in it["citations"] or ():
            gold.setdefault((it["source"], c["start"]), {**c, "source": it["source"], "n": it["n"]})
    expected = [g for g in gold.values() if g["expected_work"]]
    correct, errors, unresolved = 0, [], []
    sys_resolved: dict[str, object] = {}
    for src, spans in regions.items():
        for x in links.get(src, ()):
            if any(_overlap(x.start, x.end, a, b) for a, b in spans) and (x.target or x.work):
                sys_resolved[x.citation] = x
    hits = set()
    for g in gold.values():
        cands = [x for x in links.get(g["source"], ()) if _overlap(x.start, x.end, g["start"], g["end"])]
        got = next(((t, k) for t, k in map(lambda x: _resolution(rel, x), cands) if t), (None, None))
        want = (norm_title(g["expected_work"]) if g["expected_work"] else None, g.get("expected_key"))
        if not g["expected_work"]:
            unresolved.append({"source": g["source"], "title": g["title"], "start": g["start"]})
        if got == want and want[0]:
            correct += 1
            hits.update(x.citation for x in cands)
        elif got != want:
            errors.append({**g, "got": {"work": got[0], "key": got[1]} if got[0] else None})
    wrong_resolved = [x for c, x in sys_resolved.items() if c not in hits]
    resolved = correct + len(wrong_resolved)
    return {"items": len(items), "citations": len(gold), "expected": len(expected), "resolved": resolved,
            "correct": correct, "precision": round(correct / resolved, 4) if resolved else 0.0,
            "recall": round(correct / len(expected), 4) if expected else 0.0,
            "not_in_corpus": len(unresolved), "unresolved": unresolved, "errors": errors}


def evaluate_sample(rel, sample: dict | str | Path) -> dict:
    """Score ``rel`` (:class:`graph.relations.Relations`) on a judged sample (dict or JSON path), per split."""
    if not isinstance(sample, dict):
        sample = json.loads(Path(sample).read_text(encoding="utf-8"))
    items = sample["items"]
    links = _links_by_source(rel)
    out = _score(rel, items, links)
    out["sample"] = len(items)
    out["splits"] = {s: {k: v for k, v in _score(rel, [i for i in items if i["split"] == s], links).items()
                         if k not in ("errors", "unresolved")} for s in ("dev", "test")}
    return out
