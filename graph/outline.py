"""A document's outline and a measure's page, assembled from its parsed ``ingest.model.Document``
and the graph view (what ``policykg.service.PolicyKG.document`` / ``.measure`` / ``.document_text``
answer)."""

from __future__ import annotations

from dataclasses import asdict

from graph.iri import entity_iri, item_iri, measure_iri
from graph.results import result_of


def sections_outline(doc) -> list[dict]:
    """The document's sections in order, each with its measures (a first entry without label holds
    measures outside any section)."""
    by_section: dict[int | None, list] = {}
    for m in doc.measures:
        by_section.setdefault(m.section, []).append(
            {"ordinal": m.ordinal, "number": m.number, "label": m.label, "heading": m.heading,
             "iri": measure_iri(doc.key, m.ordinal), "measure_label": m.ref or m.label,
             "section_number": m.section_number, "items": [{"label": i.label, "ref": i.ref} for i in m.items]}
        )
    sections: list[dict] = []
    if None in by_section:
        sections.append({"label": "", "title": "", "measures": by_section[None]})
    for s in doc.sections:
        sections.append({"label": s.label, "title": s.title, "measures": by_section.get(s.ordinal, []),
                         "ref": s.ref, "level": s.level, "parent": s.parent,
                         "lead": doc.text[s.lead[0]:s.lead[1]] if s.lead else None})
    return sections


def document_outline(doc, key: str, info, view, *, source: str | None, parent: str | None,
                     annexes: list[str]) -> dict:
    """A document's metadata, sections with their measures, attachments and citations.

    ``info``: its ``DocumentInfo``; ``source``, ``parent``: as the index records them (the parse
    cache predates attachment linking); ``annexes``: keys of its attachments.
    """
    return {
        "key": key, "iri": info.iri, "docno": doc.docno, "title": doc.title, "date": doc.date, "kind": doc.kind,
        "issuers": doc.issuers, "addressees": doc.addressees, "subjects": doc.subjects,
        "attachments": [asdict(a) for a in doc.attachments],
        "cites": view.cites(key), "cited_by": view.cited_by(key), "cites_titles": doc.cites,
        "parent": doc.parent or parent,
        "annexes": annexes,
        "source": source, "sections": sections_outline(doc), "measures": len(doc.measures),
        "tasks": len(doc.tasks),
        "preamble": doc.text[doc.preamble[0]:doc.preamble[1]] if doc.preamble else None,
    }


def measure_page(view, info, m, item) -> dict:
    """One measure's result object with its items (``item``: the one a ref named), mentions, targets
    and related measures; the caller adds ``tasks`` and ``document_title``."""
    out = result_of(info, score=1.0)
    out["items"] = [{"label": i.label, "ref": i.ref, "text": i.text, "start": i.start, "end": i.end,
                     "iri": item_iri(info.iri, k)} for k, i in enumerate(m.items, 1)]
    out["item"] = next((x for x in out["items"] if x["ref"] == item.ref), None) if item else None
    out["mentions"] = [
        {"text": x.text, "start": x.start, "end": x.end, "entity": x.entity, "iri": entity_iri(x.entity),
         "type": x.type.value, "role": x.role.value, "label": x.label}
        for x in m.mentions
    ]
    out["targets"] = [asdict(t) for t in m.targets]
    out["tasks"] = []
    out["related"] = related_results(view, info.iri)
    return out


def related_results(view, measure: str, limit: int = 8) -> list[dict]:
    """Measures sharing entities with ``measure``, as results with the shared entities' names."""
    out = []
    for iri, weight, shared in view.related_measures(measure, limit=limit):
        rel = view.measure(iri)
        if rel is None:
            continue
        item = result_of(rel, score=weight)
        item["shared"] = [view.entity(s).label_zh for s in shared if view.entity(s)]
        out.append(item)
    return out


def document_text(doc, key: str) -> dict:
    """A document's cleaned text with the spans of its measures (offsets into that text)."""
    return {"key": key, "docno": doc.docno, "title": doc.title, "kind": doc.kind, "text": doc.text,
            "measures": [{"ordinal": m.ordinal, "label": m.label, "measure_label": m.ref or m.label,
                          "heading": m.heading, "start": m.start, "end": m.end} for m in doc.measures]}
