"""Result objects shared by the facade's answers (search, "which measures involve X", pages)."""

from __future__ import annotations


def result_of(info, score: float) -> dict:
    """The result object of DESIGN.md (plus keys the web page uses) for a ``graph.view.MeasureInfo``."""
    return {
        "document": info.docno or info.doc_title,
        "measure": info.number if info.label else None,
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
        "iri": info.iri,
        "start": info.start,
        "end": info.end,
    }


def evidence_of(result: dict, evidence, width: int = 24) -> list[dict]:
    """Evidence spans with the words around them, quoted from the measure's text."""
    out = []
    for ev in evidence:
        a, b = ev.start - result["start"], ev.end - result["start"]
        text = result["text"]
        context = text[max(0, a - width):b + width] if 0 <= a < b <= len(text) else ev.text
        out.append({"text": ev.text, "start": ev.start, "end": ev.end, "context": " ".join(context.split())})
    return out
