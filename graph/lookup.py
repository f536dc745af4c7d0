"""Finding things in the graph view by what a user types: a document by key, 发文字号, title or IRI;
an entity by key, IRI or name; entities by part of a name; a hint for a name that finds nothing."""

from __future__ import annotations

import shlex
import unicodedata
from dataclasses import asdict

from core.errors import NotFoundError


def document_key(view, key: str) -> str:
    """The key of the document ``key`` names (its key, NFKC form, 发文字号, title or IRI)."""
    if view.document(key) is not None:
        return key
    folded = unicodedata.normalize("NFKC", key)  # keys are NFKC (full-width digits)
    if view.document(folded) is not None:
        return folded
    for d in view.documents():
        if key in (d.docno, d.title, d.iri):
            return d.key
    raise NotFoundError(f"No document {key!r}. `policykg documents` (or GET /documents) lists them.")


def find_entity(view, ref: str):
    """The ``EntityInfo`` that ``ref`` names: its IRI, key, or a name (first match)."""
    ent = view.entity(ref)
    if ent is None:
        ent = next((cand for cand in view.entities() if cand.key == ref), None)
    if ent is None:
        found = view.resolve(ref)
        ent = found[0] if found else None
    if ent is None:
        raise NotFoundError(f"No entity {ref!r}. Search by name with /entities?q=… or `policykg entities`.")
    return ent


def matching_entities(view, q: str | None = None, type: str | None = None, allowed: set[str] | None = None) -> list[dict]:
    """Entities whose labels contain ``q`` (any language, case ignored), of ``type``, with IRIs in
    ``allowed``; as dicts with their measure count, most involved first."""
    needle = (q or "").strip().lower()
    out = []
    for ent in view.entities():
        if type and ent.type != type or allowed is not None and ent.iri not in allowed:
            continue
        if needle and not any(needle in lab.lower() for lab in (ent.label_zh, ent.label_en or "", *ent.aliases)):
            continue
        item = asdict(ent)
        item["measures"] = view.measure_count(ent.iri)
        out.append(item)
    out.sort(key=lambda e: (-e["measures"], e["label_zh"]))
    return out


def entities_in_documents(view, keys) -> set[str]:
    """IRIs of the entities the measures of these documents name."""
    return {e.iri for k in keys for m in view.document(k).measures for e, _ in view.entities_of(m)}


def name_hint(view, name: str) -> str:
    """A ``policykg entities`` command that lists names close to ``name``, and does list some.

    The longest part of ``name`` (2 characters or more) that some entity label contains, else the
    plain command (every entity, most involved first).
    """
    labels = [lab.lower() for e in view.entities() for lab in (e.label_zh, e.label_en or "", *e.aliases)]
    text = " ".join(name.split())
    for n in range(min(len(text), 12), 1, -1):
        for i in range(len(text) - n + 1):
            part = text[i:i + n].strip()
            if len(part) >= 2 and any(part.lower() in lab for lab in labels):
                return f"policykg entities --q {shlex.quote(part)}"
    return "policykg entities"
