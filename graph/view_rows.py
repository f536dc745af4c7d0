"""The graph view's rows of one document, made from the parsed document instead of queried from the store.

:func:`document_rows` gives, for one :class:`ingest.model.Document`, exactly the rows the view's
measure and involvement SELECTs (:mod:`graph.view_tables`) would return from the document's named
graph as :func:`graph.build.document_quads` writes it. An ingest worker makes them beside the
N-Quads, so the main process packs the view from rows it already holds and queries the store only
for what spans documents (entities, labels, links). :func:`graph.view_tables.collect_tables` takes
them through its ``given`` argument; a test checks that the tables are the same as those queried.

>>> from ingest.model import Document, Measure
>>> rows = document_rows(Document(key="X1", title="t", text="正文", measures=[
...     Measure(label="1.", number=1, ordinal=1, heading="正文", text="正文", start=0, end=2)]))
>>> rows.measures[0][1:9]
(1, 1, '1.', '正文', '正文', 0, 2, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph import iri
from graph import vocab as V

if TYPE_CHECKING:
    from ingest.model import Document


@dataclass(frozen=True)
class DocumentRows:
    """One document's view rows, as plain tuples (small to pickle from a worker).

    ``measures``: ``(measure iri, ordinal, number, label, heading, text, start, end, ref or None,
    section label + title or None, section ref or None)``; ``involvements``: ``(measure iri,
    entity iri, role, start, end, exact)``, one per evidence span of an involvement; ``types`` and
    ``labels``: the entity rows of the document's graph (:func:`entity_rows`).
    """

    measures: tuple[tuple, ...]
    involvements: tuple[tuple, ...]
    types: tuple[tuple[str, str], ...] | None = None  # None: not made (no quads were given)
    labels: tuple[tuple[str, str, str, str], ...] | None = None


_RDF_TYPE = V.RDF_TYPE.value
_LABELS = frozenset((V.SKOS_PREF_LABEL.value, V.SKOS_ALT_LABEL.value))


def entity_rows(quads) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str, str, str], ...]]:
    """The rows the view's entity SELECTs (``Q_TYPES``, ``Q_LABELS`` of :mod:`graph.view_tables`) give
    for a graph holding ``quads``: ``(entity iri, class iri)`` and ``(entity iri, label property iri,
    label, language or "")``, distinct, for subjects under :data:`graph.iri.ENTITY_BASE`."""
    from pyoxigraph import Literal, NamedNode

    types: dict[tuple[str, str], None] = {}
    labels: dict[tuple[str, str, str, str], None] = {}
    base = iri.ENTITY_BASE
    for q in quads:
        s = q.subject
        if type(s) is not NamedNode or not s.value.startswith(base):
            continue
        p = q.predicate.value
        if p == _RDF_TYPE:
            types[(s.value, q.object.value)] = None
        elif p in _LABELS and type(q.object) is Literal:
            labels[(s.value, p, q.object.value, q.object.language or "")] = None
    return tuple(types), tuple(labels)


def _section_labels(doc: Document) -> dict[int, tuple[str, str | None]]:
    """Section ordinal -> (label + title, ref) as the view's section SELECT makes them."""
    out: dict[int, tuple[str, str | None]] = {}
    for s in doc.sections:
        out[s.ordinal] = (f"{s.label}{s.title}", s.ref or s.label.rstrip("、.． ") or None)
    return out


def _role(r: Any) -> str:
    return getattr(r, "value", r) or "involved"


def document_rows(doc: Document, quads=None) -> DocumentRows:
    """The view's measure and involvement rows of ``doc`` (see :class:`DocumentRows`); with ``quads``
    (``graph.build.document_quads(doc)``, or only those of them about entities), its entity rows too."""
    sections = _section_labels(doc)
    measures: list[tuple] = []
    involvements: list[tuple] = []
    for m in doc.measures:
        owner = iri.measure_iri(doc.key, m.ordinal)
        sec = sections.get(m.section) if m.section is not None else None
        measures.append((owner, int(m.ordinal), int(m.number), m.label, m.heading, m.text, int(m.start), int(m.end),
                         m.ref or None, sec[0] if sec else None, sec[1] if sec else None))
        exact: dict[tuple[int, int], str] = {}  # a span's text is its first mention's (one selector per span)
        for men in m.mentions:
            span = (int(men.start), int(men.end))
            text = exact.setdefault(span, men.text)
            involvements.append((owner, iri.entity_iri(men.entity), _role(men.role), span[0], span[1], text))
    types, labels = entity_rows(quads) if quads is not None else (None, None)
    return DocumentRows(tuple(measures), tuple(dict.fromkeys(involvements)), types, labels)


def measure_row(r: tuple, graph: str) -> dict[str, Any]:
    """A ``DocumentRows.measures`` tuple as the measure SELECT's row for the named graph ``graph``."""
    return {"m": r[0], "g": graph, "ordinal": r[1], "number": r[2], "label": r[3], "heading": r[4], "text": r[5],
            "start": r[6], "end": r[7], "ref": r[8]}


def involvement_row(r: tuple) -> dict[str, Any]:
    """A ``DocumentRows.involvements`` tuple as the involvement SELECT's row."""
    return {"owner": r[0], "e": r[1], "role": r[2], "start": r[3], "end": r[4], "exact": r[5]}
