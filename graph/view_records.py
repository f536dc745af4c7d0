"""The records of the graph view: what :class:`graph.view.GraphView` answers with, and the tables it holds.

:class:`ViewTables` is the view's whole state: columns of strings and numpy integer arrays,
computed by :func:`graph.view_tables.collect_tables`, saved and loaded by :mod:`graph.view_files`.
The info records (:class:`EntityInfo`, :class:`MeasureInfo`, ...) are made from it on request.

>>> col = TextColumn.from_strings(["一二", "", "abc"])
>>> [col[0], col[1], col[2], len(col)]
['一二', '', 'abc', 3]
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ontology.names import fold_name

#: Fold a label for matching (NFKC, no whitespace, case-folded): the one name normaliser.
normalize_label = fold_name


@dataclass(frozen=True)
class EntityInfo:
    iri: str
    key: str
    type: str
    label_zh: str
    label_en: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int  # offsets into the document's cleaned text
    end: int


@dataclass(frozen=True)
class Involvement:
    measure_iri: str
    doc_key: str
    ordinal: int
    number: int
    roles: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class MeasureInfo:
    iri: str
    doc_key: str
    docno: str | None
    doc_title: str
    ordinal: int
    number: int
    label: str
    heading: str
    text: str
    start: int
    end: int
    section: str | None
    ref: str = ""  # unique in the document: the label, or 三（二） where numbering restarts per section
    section_number: str | None = None  # the section's ref: 三, 第二章, 1


@dataclass(frozen=True)
class DocumentInfo:
    iri: str
    key: str
    docno: str | None
    title: str
    date: str | None
    kind: str
    measures: tuple[str, ...]


class TextColumn:
    """Many strings kept as one UTF-8 buffer and offsets, decoded one at a time when asked for.

    Loads with one read (no JSON to parse) and holds a corpus's measure texts in about the
    size of the file, instead of one Python object per text.
    """

    def __init__(self, blob: bytes, offsets: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets

    @classmethod
    def from_strings(cls, strings: list[str]) -> TextColumn:
        parts = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(p) for p in parts])
        return cls(b"".join(parts), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.blob[int(self.offsets[i]) : int(self.offsets[i + 1])].decode("utf-8")


@dataclass
class ViewTables:
    """The graph view's tables: documents, measures, entities, involvements, links, as columns.

    Rows are numbered: a document ``d``, a measure ``m``, an entity row ``e``, an agent ``a`` (an
    entity that some measure involves), a pair ``p`` (one agent in one measure) and an evidence
    span ``ev``. Offsets arrays ``x_off`` hold ``n + 1`` bounds: row ``i`` owns ``x_off[i]:x_off[i+1]``.
    The integer arrays (:data:`ARRAYS`) are saved as ``.npy``, :attr:`m_text` as one UTF-8 file,
    everything else in one JSON object (:data:`STRING_FIELDS`, in this order).
    """

    #: documents sorted by IRI: ``[iri, key, docno or None, title, date or None, kind]``
    docs: list[list]
    #: int64 ``(documents + 1,)``: document ``d`` owns measures ``doc_moff[d]:doc_moff[d+1]``
    doc_moff: np.ndarray
    #: measures by document, then ordinal: IRI, printed label (``1.``, ``（一）``), heading
    m_iri: list[str]
    m_label: list[str]
    m_heading: list[str]
    #: the measure's section as ``label + title`` (``三、深化产教融合``), None outside sections
    m_section: list[str | None]
    #: unique in its document (``eli:id_local``: the label, or ``三（二）`` where numbering restarts)
    m_ref: list[str]
    #: the section's ref (``三``, ``第二章``, ``1``), None outside sections
    m_secnum: list[str | None]
    #: the measures' texts
    m_text: TextColumn
    #: int64 ``(measures, 5)``: document row, ordinal, number, start, end (offsets in the document's text)
    m_int: np.ndarray
    #: entities sorted by IRI: ``[iri, key, type, label_zh, label_en or None, [aliases]]``
    entities: list[list]
    #: normalised label (:func:`normalize_label` of zh, en, alias, key) -> entity rows
    labels: dict[str, list[int]]
    #: entity rows typed in some document's graph (not only in the gazetteer's)
    used: list[int]
    #: agents: entity IRIs that some measure involves, sorted
    agents: list[str]
    #: role names, sorted; ``p_roles`` is a bit mask over them
    roles: list[str]
    #: int64 ``(agents + 1,)``: agent ``a`` owns pairs ``a_off[a]:a_off[a+1]`` (its measures in table order)
    a_off: np.ndarray
    #: int32 ``(pairs,)``: each pair's measure row and agent row; int64 its roles' bit mask
    p_meas: np.ndarray
    p_agent: np.ndarray
    p_roles: np.ndarray
    #: int64 ``(pairs + 1,)``: pair ``p`` owns evidence spans ``ev_off[p]:ev_off[p+1]``
    ev_off: np.ndarray
    #: int64 ``(spans, 2)``: start, end of each evidence span; int32 ``(spans,)``: its text's row in ``ev_text``
    ev_pos: np.ndarray
    ev_txt: np.ndarray
    #: the distinct evidence texts
    ev_text: list[str]
    #: int32 ``(pairs,)``: the pairs again, by measure: measure ``m`` owns ``bm_order[m_poff[m]:m_poff[m+1]]``
    bm_order: np.ndarray
    m_poff: np.ndarray
    #: ``[document key, [cited document keys]]``, sorted
    cites: list[list]
    #: ``[document key, attachment document key]``, sorted
    annexes: list[list]
    #: triples in the store when the tables were made
    triples: int

    def check_shapes(self) -> None:
        """Raise ValueError if the arrays do not fit the lists (e.g. files from different saves)."""
        docs, measures, agents = len(self.docs), len(self.m_iri), len(self.agents)
        pairs, evidence = len(self.p_meas), len(self.ev_txt)
        expected = {"doc_moff": (docs + 1,), "m_int": (measures, 5), "a_off": (agents + 1,), "p_agent": (pairs,),
                    "p_roles": (pairs,), "ev_off": (pairs + 1,), "ev_pos": (evidence, 2), "bm_order": (pairs,),
                    "m_poff": (measures + 1,)}
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name} has shape {getattr(self, name).shape}, expected {shape}")
        if self.m_text.offsets.shape != (measures + 1,) or self.m_text.offsets[-1] != len(self.m_text.blob):
            raise ValueError("text offsets do not match the texts")
        if self.doc_moff[-1] != measures or self.a_off[-1] != pairs or self.ev_off[-1] != evidence:
            raise ValueError("offsets do not match the tables")


#: The integer arrays of :class:`ViewTables` (saved as ``.npy``, in this order).
ARRAYS = ("doc_moff", "m_int", "a_off", "p_meas", "p_agent", "p_roles", "ev_off", "ev_pos", "ev_txt",
          "bm_order", "m_poff")
#: The fields of :class:`ViewTables` saved in ``strings.json``, in order.
STRING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ViewTables) if f.name not in ARRAYS
                                       and f.name != "m_text")


def tables_from(values: dict[str, Any]) -> ViewTables:
    """:class:`ViewTables` from a mapping with exactly its fields; ValueError naming the missing or extra ones."""
    names = {f.name for f in fields(ViewTables)}
    missing, extra = sorted(names - set(values)), sorted(set(values) - names)
    if missing or extra:
        raise ValueError(f"graph view tables: missing {missing or 'none'}, unexpected {extra or 'none'}")
    return ViewTables(**values)
