"""The graph retriever's hits for the entities linked in a query, explained lazily.

An entity such as 国务院 involves thousands of measures (8,920 on the full reference corpus).
Ranking them needs only each measure's score (1 per linked entity, plus 0.01 per evidence span),
which :meth:`graph.view.GraphView.involving_counts` gives from the view's arrays; building every
involvement with its evidence took ~700 ms there. :class:`GraphInfo` builds the explanation
(entities, path, evidence, roles) of a measure only when a result for it is built, so a search
costs the sort of the scores plus its page.
"""

from __future__ import annotations

from collections.abc import Iterable


def _blank() -> dict:
    return {"entities": [], "path": [], "evidence": [], "roles": []}


class GraphInfo:
    """Explanations of the graph's hits, built on first access, keyed by measure IRI.

    Behaves as the read side of a dict (``get``, ``in``, ``setdefault``) so callers can add
    paths of their own (related measures) next to the built ones.
    """

    def __init__(self, view, entities: Iterable[tuple[str, str]], hits: set[str]) -> None:
        self.view = view
        self.entities = list(entities)  # (entity IRI, label), in the query's order
        self.hits = hits  # measures involving at least one of the entities
        self._built: dict[str, dict] = {}

    def _build(self, iri: str) -> dict:
        d = _blank()
        for eiri, label in self.entities:
            inv = self.view.involvement(iri, eiri)
            if inv is None:
                continue
            d["entities"].append({"label": label, "iri": eiri})
            d["path"].append(f"{label} —involves→ measure")
            d["evidence"].extend({"text": ev.text, "start": ev.start, "end": ev.end} for ev in inv.evidence)
            d["roles"].extend(inv.roles)
        return d

    def get(self, iri: str, default: dict | None = None) -> dict | None:
        d = self._built.get(iri)
        if d is None and iri in self.hits:
            d = self._built[iri] = self._build(iri)
        return default if d is None else d

    def setdefault(self, iri: str, default: dict) -> dict:
        d = self.get(iri)
        if d is None:
            d = self._built[iri] = default
        return d

    def __contains__(self, iri: str) -> bool:
        return iri in self._built or iri in self.hits


def graph_hits(view, linked: Iterable[tuple[str, str]]) -> tuple[dict[str, float], GraphInfo]:
    """Scores of the measures involving the ``linked`` entities (``(IRI, label)`` pairs) and their
    lazy explanations: each entity adds 1 + 0.01 per evidence span to each measure it involves.

    Measures come in the order of the first entity's :meth:`~graph.view.GraphView.measures_involving`
    (document key, ordinal), then the next entity's new ones.
    """
    linked = list(linked)
    scores: dict[str, float] = {}
    for eiri, _ in linked:
        iris, counts = view.involving_counts(eiri)
        for m, n in zip(iris, counts):
            scores[m] = scores.get(m, 0.0) + 1.0 + 0.01 * n
    return scores, GraphInfo(view, linked, set(scores))
