"""An in-memory projection of the graph: compact tables, with a networkx graph built on demand.

Search and the service read the graph only through :class:`GraphView`. It is loaded
from any :class:`graph.store.GraphStore` by a few portable SPARQL SELECTs (every pattern
inside ``GRAPH ?g``), so it works the same on the embedded store and a SPARQL server.
Those SELECTs cost about a second per 1,000 measures, so an ingest into the embedded store
also saves the projection beside the generation (:mod:`graph.view_files`), and start-up
reads that instead (:meth:`GraphView.open`).

The projection is held as columns (lists of strings, numpy integer arrays: the typed record
:class:`graph.view_records.ViewTables`) rather than one object per fact: the info objects (:class:`MeasureInfo`, :class:`Involvement`, ...) are made
when asked for, and the networkx graph only when a neighbourhood is first asked for.

>>> from ingest.model import Document, Measure, Mention, EntityType
>>> from graph.store_oxigraph import OxigraphStore
>>> from graph.build import document_quads
>>> text = "1. 支持河北软件职业技术学院发展。"
>>> m = Measure(label="1.", number=1, ordinal=1, heading="支持河北软件职业技术学院发展", text=text, start=0, end=len(text),
...     mentions=[Mention("河北软件职业技术学院", 5, 15, "hebei-software-vocational-college", EntityType.VOCATIONAL_COLLEGE,
...                       "河北软件职业技术学院")])
>>> store = OxigraphStore()
>>> store.replace_document("D1", document_quads(Document(key="D1", title="T", text=text, measures=[m])))
>>> view = GraphView.load(store)
>>> [e.key for e in view.resolve("hebei software vocational college")]
['hebei-software-vocational-college']
>>> [(i.doc_key, i.number, i.evidence[0].text) for i in view.measures_involving(view.resolve("河北软件职院")[0].iri)]
[('D1', 1, '河北软件职业技术学院')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from graph.view_files import load_tables, save_tables
from graph.view_records import (
    DocumentInfo,
    EntityInfo,
    Evidence,
    Involvement,
    MeasureInfo,
    ViewTables,
    normalize_label,
)
from graph.view_tables import collect_tables
from graph.view_walk import GraphWalk

__all__ = ["DocumentInfo", "EntityInfo", "Evidence", "GraphView", "Involvement", "MeasureInfo", "normalize_label"]


class GraphView(GraphWalk):
    """Read-only projection of documents, measures, entities and involvements.

    Build one with :meth:`load` (SPARQL, any store), :meth:`open` (a saved projection, else
    SPARQL) or from :class:`~graph.view_records.ViewTables` (:func:`graph.view_files.load_tables`);
    the neighbourhood walk is :class:`graph.view_walk.GraphWalk`'s.
    """

    def __init__(self, tables: ViewTables) -> None:
        t = tables
        self._tables = t
        self._doc_rows: list[list] = t.docs  # [iri, key, docno, title, date, kind], by IRI
        self._doc_pos = {row[1]: i for i, row in enumerate(self._doc_rows)}
        self._doc_moff = t.doc_moff  # document i owns measures doc_moff[i]:doc_moff[i+1]
        self._m_iri: list[str] = t.m_iri
        self._m_label, self._m_heading, self._m_text = t.m_label, t.m_heading, t.m_text
        self._m_section: list[str | None] = t.m_section
        self._m_ref: list[str] = t.m_ref  # unique in its document (eli:id_local)
        self._m_secnum: list[str | None] = t.m_secnum
        self._m_int = t.m_int  # columns: document row, ordinal, number, start, end
        self._m_pos = {iri: i for i, iri in enumerate(self._m_iri)}
        self._e_rows: list[list] = t.entities  # [iri, key, type, zh, en, [aliases]]
        self._e_pos = {row[0]: i for i, row in enumerate(self._e_rows)}
        self._e_info: list[EntityInfo] | None = None
        self._labels: dict[str, list[int]] = t.labels
        # involvements: one row ("pair") per (agent, measure), grouped by agent; agent a owns pairs a_off[a]:a_off[a+1]
        self._agents: list[str] = t.agents
        self._a_pos = {iri: i for i, iri in enumerate(self._agents)}
        self._a_off, self._p_meas, self._p_agent, self._p_roles = t.a_off, t.p_meas, t.p_agent, t.p_roles
        self._roles: list[str] = t.roles  # sorted; p_roles is a bit mask over them
        self._ev_off, self._ev_pos, self._ev_txt, self._ev_text = t.ev_off, t.ev_pos, t.ev_txt, t.ev_text
        # the same pairs by measure: measure m owns bm_order[m_poff[m]:m_poff[m+1]]
        self._bm_order, self._m_poff = t.bm_order, t.m_poff
        self._cites: dict[str, list[str]] = {a: list(bs) for a, bs in t.cites}
        self._cited_by: dict[str, list[str]] = defaultdict(list)
        for a, bs in t.cites:
            for b in bs:
                self._cited_by[b].append(a)
        self._annexes: list[tuple[str, str]] = [(a, b) for a, b in t.annexes]
        self._nx: Any = None
        self._doc_iris: dict[str, int] | None = None
        self._m_rank: Any = None
        self._m_iri_rank: Any = None

    # --- loading -------------------------------------------------------------------
    @classmethod
    def load(cls, store: Any) -> GraphView:
        """Load the projection from a store (a few SELECTs)."""
        return cls(collect_tables(store))

    @classmethod
    def open(cls, folder: str | Path | None, store: Any) -> GraphView:
        """The projection saved in ``folder`` if there is one, else :meth:`load` from ``store``.

        Raises:
            IndexCorruptError: ``folder`` holds a damaged projection (the message says how to rebuild).
        """
        tables = load_tables(folder) if folder is not None and Path(folder).is_dir() else None
        return cls(tables) if tables is not None else cls.load(store)

    def save(self, folder: str | Path) -> None:
        """Write the projection to ``folder`` (see :mod:`graph.view_files`)."""
        save_tables(self._tables, folder)

    # --- entities ------------------------------------------------------------------
    def _entity_infos(self) -> list[EntityInfo]:
        if self._e_info is None:
            self._e_info = [EntityInfo(r[0], r[1], r[2], r[3], r[4], tuple(r[5])) for r in self._e_rows]
        return self._e_info

    def resolve(self, name: str) -> list[EntityInfo]:
        """Every entity whose zh label, alias or English label equals ``name`` (case/space-insensitive)."""
        infos = self._entity_infos()
        return [infos[i] for i in self._labels.get(normalize_label(name), [])]

    def label_index(self) -> dict[str, list[str]]:
        """Normalised label (zh, alias, en) -> entity IRIs."""
        return {k: [self._e_rows[i][0] for i in v] for k, v in self._labels.items()}

    def entity(self, iri: str) -> EntityInfo | None:
        i = self._e_pos.get(iri)
        return None if i is None else self._entity_infos()[i]

    def entities(self) -> list[EntityInfo]:
        return sorted(self._entity_infos(), key=lambda e: e.iri)

    # --- measures ------------------------------------------------------------------
    def _roles_of(self, mask: int) -> tuple[str, ...]:
        return tuple(r for b, r in enumerate(self._roles) if mask >> b & 1)

    def _evidence(self, pair: int) -> tuple[Evidence, ...]:
        lo, hi = int(self._ev_off[pair]), int(self._ev_off[pair + 1])
        return tuple(Evidence(self._ev_text[t], s, e)
                     for (s, e), t in zip(self._ev_pos[lo:hi].tolist(), self._ev_txt[lo:hi].tolist()))

    def _involvement(self, p: int) -> Involvement:
        m = int(self._p_meas[p])
        doc, ordinal, number = self._m_int[m, :3].tolist()
        return Involvement(self._m_iri[m], self._doc_rows[doc][1], ordinal, number,
                           self._roles_of(int(self._p_roles[p])), self._evidence(p))

    def _iri_rank(self) -> Any:
        """Each measure's position in IRI order, as a numpy array (computed once)."""
        rank = self._m_iri_rank
        if rank is None:
            rank = np.empty(len(self._m_iri), dtype=np.int64)
            rank[sorted(range(len(self._m_iri)), key=self._m_iri.__getitem__)] = np.arange(len(self._m_iri))
            self._m_iri_rank = rank  # computing it twice under concurrent first calls is harmless
        return rank

    def _measure_rank(self) -> Any:
        """Each measure's position in (document key, ordinal) order, as a numpy array (computed once)."""
        rank = self._m_rank
        if rank is None:
            keys = [row[1] for row in self._doc_rows]
            doc_rank = np.empty(len(keys), dtype=np.int64)
            doc_rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
            m_int = np.asarray(self._m_int, dtype=np.int64).reshape(-1, 5)
            order = np.lexsort((m_int[:, 1], doc_rank[m_int[:, 0]])) if len(m_int) else np.zeros(0, dtype=np.int64)
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            self._m_rank = rank  # computing it twice under concurrent first calls is harmless
        return rank

    def involving_page(self, iris: Sequence[str], offset: int = 0, limit: int | None = None,
                       documents: Collection[str] | None = None) -> tuple[int, list[list[tuple[str, Involvement]]]]:
        """One page of the measures that involve any of ``iris``, and how many there are in all.

        The measures are sorted by document key and ordinal; only those of the page are built
        (roles, evidence), so the cost is that of a numpy sort of the entities' measure ids plus
        the page, however many measures there are.

        Returns:
            ``(total, page)``: the number of distinct measures, and for each measure of
            ``[offset, offset + limit)`` the ``(entity iri, Involvement)`` of each of ``iris``
            that involves it, in the order of ``iris``. ``documents`` (keys), when given, keeps only
            the measures of those documents, before counting and paging.
        """
        agents = [(iri, self._a_pos[iri]) for iri in dict.fromkeys(iris) if iri in self._a_pos]
        if not agents:
            return 0, []
        rank = self._measure_rank()
        pairs = np.concatenate([np.arange(int(self._a_off[a]), int(self._a_off[a + 1])) for _, a in agents])
        owner = np.repeat(np.arange(len(agents)), [int(self._a_off[a + 1]) - int(self._a_off[a]) for _, a in agents])
        if documents is not None:
            allowed = np.fromiter((row[1] in documents for row in self._doc_rows), dtype=bool, count=len(self._doc_rows))
            m_doc = np.asarray(self._m_int, dtype=np.int64).reshape(-1, 5)[:, 0]
            sel = allowed[m_doc[np.asarray(self._p_meas, dtype=np.int64)[pairs]]]
            pairs, owner = pairs[sel], owner[sel]
        ranks = rank[np.asarray(self._p_meas, dtype=np.int64)[pairs]]
        ordered = np.sort(ranks)  # np.unique hashes (numpy 2.x): 30x slower here than a sort and a diff
        distinct = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered
        stop = len(distinct) if limit is None else offset + max(0, limit)
        chosen = distinct[max(0, offset):stop]
        if not len(chosen):
            return len(distinct), []
        keep = np.flatnonzero(np.isin(ranks, chosen))
        keep = keep[np.lexsort((owner[keep], ranks[keep]))]  # by measure, then by the order of iris
        page: list[list[tuple[str, Involvement]]] = []
        last = None
        for k in keep.tolist():
            if ranks[k] != last:
                page.append([])
                last = ranks[k]
            page[-1].append((agents[int(owner[k])][0], self._involvement(int(pairs[k]))))
        return len(distinct), page

    def measures_involving(self, iri: str, offset: int = 0, limit: int | None = None) -> list[Involvement]:
        """Every measure with a mention of the entity, sorted by document key and ordinal (or one page of them)."""
        return [invs[0][1] for invs in self.involving_page([iri], offset, limit)[1]]

    def measure_count(self, iri: str) -> int:
        """How many measures involve the entity: ``len(measures_involving(iri))`` without building them."""
        a = self._a_pos.get(iri)
        return 0 if a is None else int(self._a_off[a + 1]) - int(self._a_off[a])

    def involving_counts(self, iri: str) -> tuple[list[str], list[int]]:
        """The measures involving the entity (IRIs, in :meth:`measures_involving` order) and the number
        of evidence spans of each, without building the involvements (ranking a large answer)."""
        import numpy as np

        a = self._a_pos.get(iri)
        if a is None:
            return [], []
        pairs = np.arange(int(self._a_off[a]), int(self._a_off[a + 1]))
        meas = np.asarray(self._p_meas, dtype=np.int64)[pairs]
        order = np.argsort(self._measure_rank()[meas], kind="stable")
        ev_off = np.asarray(self._ev_off, dtype=np.int64)
        counts = (ev_off[pairs + 1] - ev_off[pairs])[order]
        return [self._m_iri[m] for m in meas[order].tolist()], counts.tolist()

    def involvement(self, measure_iri: str, iri: str) -> Involvement | None:
        """How the entity ``iri`` is involved in one measure (roles, evidence), or None."""
        m, a = self._m_pos.get(measure_iri), self._a_pos.get(iri)
        if m is None or a is None:
            return None
        return next((self._involvement(p) for p in self._pairs_of_measure(m) if int(self._p_agent[p]) == a), None)

    def _pairs_of_measure(self, m: int) -> list[int]:
        return self._pairs_of_measure_array(m).tolist()

    def _pairs_of_measure_array(self, m: int):
        return self._bm_order[int(self._m_poff[m]) : int(self._m_poff[m + 1])]

    def entities_of(self, measure_iri: str) -> list[tuple[EntityInfo, tuple[str, ...]]]:
        """Entities a measure mentions, with their roles."""
        m = self._m_pos.get(measure_iri)
        if m is None:
            return []
        got = {self._agents[int(self._p_agent[p])]: int(self._p_roles[p]) for p in self._pairs_of_measure(m)}
        return [(self.entity(e), self._roles_of(mask)) for e, mask in sorted(got.items()) if e in self._e_pos]

    def related_measures(self, measure_iri: str, limit: int = 10) -> list[tuple[str, float, tuple[str, ...]]]:
        """Measures sharing entities with this one, weighted by how specific each shared entity is.

        Each shared entity adds ``log(1 + measures / measures mentioning it)``; the sums are
        accumulated with numpy, so an entity mentioned in thousands of measures costs one array op.
        """
        m = self._m_pos.get(measure_iri)
        if m is None:
            return []
        agents = np.unique(np.asarray(self._p_agent[self._pairs_of_measure_array(m)], dtype=np.int64))
        if not len(agents):
            return []
        lo = np.asarray(self._a_off[agents], dtype=np.int64)
        hi = np.asarray(self._a_off[agents + 1], dtype=np.int64)
        counts = hi - lo
        weights = np.log1p(max(len(self._m_iri), 1) / counts)
        owner = np.repeat(np.arange(len(agents)), counts)  # which shared entity each position belongs to
        positions = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(lo, counts)
        others = np.asarray(self._p_meas[positions], dtype=np.int64)
        total = np.bincount(others, weights=np.repeat(weights, counts), minlength=len(self._m_iri))
        seen = np.zeros(len(self._m_iri), dtype=bool)
        seen[others] = True
        seen[m] = False
        cand = np.flatnonzero(seen)  # the measures sharing an entity (no sort of the positions)
        scores = np.round(total[cand], 6)
        keep = np.flatnonzero(scores)
        if len(keep) > limit:  # the limit-th best score; of those tied with it, the smallest IRIs (ties are
            # common: every measure sharing only 国务院 scores the same), picked without sorting them all
            sc = scores[keep]
            floor = np.partition(sc, len(sc) - limit)[len(sc) - limit]
            above, tied = keep[sc > floor], keep[sc == floor]
            need = limit - len(above)
            if len(tied) > need:
                tied = tied[np.argpartition(self._iri_rank()[cand[tied]], need - 1)[:need]]
            keep = np.concatenate([above, tied])
        keep = keep[np.lexsort((self._iri_rank()[cand[keep]], -scores[keep]))]
        chosen = cand[keep]
        hit = np.flatnonzero(np.isin(others, chosen))
        shared: dict[int, list[str]] = {}
        for o, a in zip(others[hit].tolist(), agents[owner[hit]].tolist()):
            shared.setdefault(o, []).append(self._agents[a])
        return [(self._m_iri[o], float(scores[i]), tuple(sorted(shared[o])))
                for o, i in zip(chosen.tolist(), keep.tolist())]

    def _measure_info(self, m: int) -> MeasureInfo:
        doc, ordinal, number, start, end = self._m_int[m].tolist()
        row = self._doc_rows[doc]
        return MeasureInfo(iri=self._m_iri[m], doc_key=row[1], docno=row[2], doc_title=row[3], ordinal=ordinal,
                           number=number, label=self._m_label[m], heading=self._m_heading[m], text=self._m_text[m],
                           start=start, end=end, section=self._m_section[m], ref=self._m_ref[m],
                           section_number=self._m_secnum[m])

    def measure(self, iri: str) -> MeasureInfo | None:
        m = self._m_pos.get(iri)
        return None if m is None else self._measure_info(m)

    def measures(self) -> list[MeasureInfo]:
        return sorted((self._measure_info(m) for m in range(len(self._m_iri))), key=lambda m: (m.doc_key, m.ordinal))

    # --- documents -----------------------------------------------------------------
    def document(self, key: str) -> DocumentInfo | None:
        i = self._doc_pos.get(key)
        if i is None:
            return None
        iri, key, docno, title, date, kind = self._doc_rows[i]
        lo, hi = int(self._doc_moff[i]), int(self._doc_moff[i + 1])
        return DocumentInfo(iri=iri, key=key, docno=docno, title=title, date=date, kind=kind,
                            measures=tuple(self._m_iri[lo:hi]))

    def documents(self) -> list[DocumentInfo]:
        return [self.document(k) for k in sorted(self._doc_pos)]

    def cites(self, doc_key: str) -> list[str]:
        return sorted(self._cites.get(doc_key, []))

    def cited_by(self, doc_key: str) -> list[str]:
        return sorted(self._cited_by.get(doc_key, []))

    def annexes(self, doc_key: str) -> list[str]:
        """Keys of the attachment documents of a document."""
        return sorted(b for a, b in self._annexes if a == doc_key)

    def stats(self) -> dict:
        """Documents, measures, entities by type (those the documents mention or name), triples."""
        by_type: dict[str, int] = defaultdict(int)
        for i in self._tables.used:
            by_type[self._e_rows[i][2]] += 1
        return {
            "documents": len(self._doc_rows),
            "measures": len(self._m_iri),
            "entities": dict(sorted(by_type.items())),
            "gazetteer_entities": len(self._e_rows),
            "triples": self._tables.triples,
        }
