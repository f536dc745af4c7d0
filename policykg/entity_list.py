"""The entity list a generation answers ``/entities`` from, built once per generation.

``graph.lookup.matching_entities`` walks every entity for every request: it sorts them, lowercases every
label and builds a dict per match (on the full corpus, the most expensive of the cheap requests and a
quarter of the server's interpreter time under load). The list here does that work once: the entities in
answer order (most involved first, then by Chinese label), each with its labels lowercased into one
string, all of them joined into one text with the position where each entity starts, and its answer
dict. A request is then a few ``str.find`` over that text (in C: one jump per matching entity) and a copy
of the dicts it returns. The answers are those of ``matching_entities`` (``tests/policykg/test_entity_list.py``
compares them).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict

#: Joins an entity's lowercased labels, and the entities' label strings; a query containing either is
#: checked label by label.
_SEP, _ROW = "\x00", "\x01"


class EntityList:
    """Entities of one graph view in answer order, with their labels folded for substring search."""

    def __init__(self, view) -> None:
        rows = []
        for ent in view.entities():
            item = asdict(ent)
            item["measures"] = view.measure_count(ent.iri)
            labels = tuple(lab.lower() for lab in (ent.label_zh, ent.label_en or "", *ent.aliases))
            rows.append((item, ent.type, ent.iri, _SEP.join(labels), labels))
        rows.sort(key=lambda r: (-r[0]["measures"], r[0]["label_zh"]))
        self._rows = rows
        self._starts, at = [], 0
        for row in rows:
            self._starts.append(at)
            at += len(row[3]) + 1
        self._text = _ROW.join(row[3] for row in rows)

    def __len__(self) -> int:
        return len(self._rows)

    def matching(self, q: str | None = None, type: str | None = None, allowed: set[str] | None = None,
                 offset: int = 0, limit: int | None = None) -> tuple[int, list[dict]]:
        """(how many match, the dicts of ``[offset, offset + limit)`` of them): entities whose labels
        contain ``q`` (case ignored), of ``type``, with IRIs in ``allowed``; most involved first."""
        needle = (q or "").strip().lower()
        found = []
        for i in self._positions(needle):
            item, etype, iri, _, _ = self._rows[i]
            if type and etype != type or allowed is not None and iri not in allowed:
                continue
            found.append(item)
        page = found[offset:] if limit is None else found[offset:offset + limit]
        return len(found), [{**item, "aliases": _copy(item["aliases"])} for item in page]


    def _positions(self, needle: str):
        """Row numbers, in order, of the entities with a label containing ``needle``."""
        if not needle:
            return range(len(self._rows))
        if _SEP in needle or _ROW in needle:  # never inside one label
            return [i for i, row in enumerate(self._rows) if any(needle in lab for lab in row[4])]
        out, text, starts, n = [], self._text, self._starts, len(self._rows)
        pos = text.find(needle)
        while pos >= 0:
            i = bisect_right(starts, pos) - 1
            out.append(i)
            pos = text.find(needle, starts[i + 1]) if i + 1 < n else -1
        return out


def _copy(aliases):
    """A list is copied (a caller may change its answer); a tuple is kept."""
    return list(aliases) if isinstance(aliases, list) else aliases
