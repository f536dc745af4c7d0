"""Precision and recall of citation resolution against a hand-checked sample (``tests/data/citations_sample.json``).

Each sample item names a citation by its citing document's key, its start offset and its title,
and gives the work it cites (``expected_work``, null when the cited document is not in the corpus)
and the edition (``expected_version_date``, null when only the work is in the index). A resolution
is correct when both match; precision = correct / resolved, recall = correct / items whose work
is in the index.
"""

from __future__ import annotations

import json
from pathlib import Path


def evaluate_sample(rel, sample: dict | str | Path) -> dict:
    """Score ``rel`` (:class:`graph.relations.Relations`) on a judged sample (dict or JSON path)."""
    if not isinstance(sample, dict):
        sample = json.loads(Path(sample).read_text(encoding="utf-8"))
    by_place = {(rel.versions[x.source].key, x.start, x.title): x for x in rel.links if x.source in rel.versions}
    resolved = correct = expected = missing = 0
    errors = []
    for item in sample["items"]:
        link = by_place.get((item["source"], item["start"], item["title"]))
        if item["expected_work"]:
            expected += 1
        if link is None:
            missing += 1
            if item["expected_work"]:
                errors.append({**item, "got": "citation not found"})
            continue
        work = rel.works[link.work].title if link.work else (rel.versions[link.target].title if link.target else None)
        version = rel.versions[link.target].version_date if link.target else None
        if work is None:
            if item["expected_work"]:
                errors.append({**item, "got": None})
            continue
        resolved += 1
        if work == item["expected_work"] and version == item["expected_version_date"]:
            correct += 1
        else:
            errors.append({**item, "got": {"work": work, "version_date": version}})
    return {"sample": len(sample["items"]), "resolved": resolved, "correct": correct, "expected": expected,
            "not_found": missing, "precision": round(correct / resolved, 4) if resolved else 0.0,
            "recall": round(correct / expected, 4) if expected else 0.0, "errors": errors}
