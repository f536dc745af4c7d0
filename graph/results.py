"""Result objects: the one builder every answer uses (search hits, "which measures involve X",
a document's measures, a measure's page), and the shaping of evidence and involvements.

A result is the object of ``docs/architecture.md`` ("Result objects"): ``document``, ``measure``,
``title``, ``text``, ``score``, ``why`` and the keys naming the measure unambiguously. It is built
from anything with a measure's fields (``graph.view.MeasureInfo``, ``search.index.Unit``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.text_find import finder_for
from graph.view import Evidence


def result_of(info, score: float, *, iri: str | None = None, printed_only: bool = True, span: bool = True) -> dict:
    """The result object for a measure-like record (``MeasureInfo``; a ``Unit`` with ``iri=unit.id``).

    ``measure`` is the printed number, None for a unit without a printed label (``printed_only``;
    search hits give the number as stored); ``span`` adds ``start``/``end`` (offsets into the
    document's text), which the pages and the exact answers carry.
    """
    out = {
        "document": info.docno or info.doc_title,
        "measure": info.number if info.label or not printed_only else None,
        "title": info.heading or info.doc_title,
        "text": info.text,
        "score": float(score),
        "why": {},
        "document_key": info.doc_key,
        "document_title": info.doc_title,
        "measure_label": info.ref or info.label,  # unique in the document (三（二） where numbering restarts)
        "printed_label": info.label,
        "section_number": info.section_number,
        "ordinal": info.ordinal,
        "section": info.section,
        "iri": info.iri if iri is None else iri,
    }
    if span:
        out["start"], out["end"] = info.start, info.end
    return out


def evidence_of(result: dict, evidence: Iterable, width: int = 24) -> list[dict]:
    """Evidence spans with the words around them, quoted from the measure's text."""
    out = []
    for ev in evidence:
        a, b = ev.start - result["start"], ev.end - result["start"]
        text = result["text"]
        context = text[max(0, a - width):b + width] if 0 <= a < b <= len(text) else ev.text
        out.append({"text": ev.text, "start": ev.start, "end": ev.end, "context": " ".join(context.split())})
    return out


def involvement_result(view, involvements) -> dict:
    """The result for one measure from ``(EntityInfo, Involvement)`` pairs of that measure: roles and
    evidence of every entity merged, each entity named in ``why``."""
    res = result_of(view.measure(involvements[0][1].measure_iri), score=1.0)
    roles: set[str] = set()
    evidence = []
    for _, inv in involvements:
        roles.update(inv.roles)
        evidence += inv.evidence
    res["roles"] = sorted(roles)
    res["evidence"] = evidence_of(res, evidence)
    res["why"] = {"entities": [{"label": e.label_zh, "iri": e.iri} for e, _ in involvements],
                  "graph_path": [f"{e.label_zh} —involves→ measure" for e, _ in involvements][:1],
                  "intent": "involving"}
    return res


def measures_containing(view, name: str, keep: set[str] | None = None) -> list[tuple]:
    """Every measure whose text contains ``name`` (spaces and case ignored), as ``(MeasureInfo, [Evidence])``
    sorted by document and ordinal; ``keep``: only these documents. A bigram index
    (:mod:`graph.text_find`) reads only the measures that can hold the name."""
    finder = finder_for(view)
    matched = []
    for m, spans in finder.find(name, keep):
        info = view.measure(finder.iris[m])
        matched.append((info, [Evidence(info.text[a:b], info.start + a, info.start + b) for a, b in spans]))
    return matched


def text_match_result(info, hits, name: str) -> dict:
    """The result for a measure that contains a name no entity has (``why.match == "text"``)."""
    res = result_of(info, score=1.0)
    res["roles"] = []
    res["evidence"] = evidence_of(res, hits)
    res["why"] = {"entities": [], "match": "text", "matched_text": name, "intent": "involving", "graph_path": []}
    return res


def lead_result(doc, s) -> dict:
    """A section's lead paragraph as a result object (no measure number; its ref is the section's)."""
    from graph.iri import section_iri

    return {"document": doc.docno or doc.title, "measure": None, "title": s.title,
            "text": doc.text[s.lead[0]:s.lead[1]], "score": 1.0, "why": {}, "document_key": doc.key,
            "document_title": doc.title, "measure_label": s.ref, "printed_label": s.label,
            "section_number": s.ref, "ordinal": None, "section": f"{s.label}{s.title}",
            "iri": section_iri(doc.key, s.ordinal), "start": s.lead[0], "end": s.lead[1],
            "mentions": [], "targets": [], "items": [], "item": None, "tasks": [], "related": []}
