"""Walking the graph view as a graph: the networkx projection and neighbourhoods read from the tables.

:class:`GraphWalk` is the part of :class:`graph.view.GraphView` that treats documents, measures
and entities as nodes: a measure ``is_part_of`` its document and has an edge per role to each
entity it involves; a document ``cites`` another and ``has_annex`` its attachments. It reads the
indexes a :class:`~graph.view.GraphView` builds in its constructor (``_doc_rows``, ``_m_iri``,
``_a_off`` ...: see there).
"""

from __future__ import annotations

from typing import Any


class GraphWalk:
    """Nodes, edges and neighbourhoods over a :class:`graph.view.GraphView`'s tables (a mixin)."""

    _nx: Any = None
    _doc_iris: dict[str, int] | None = None

    @property
    def nx(self) -> Any:
        """A networkx ``MultiDiGraph`` of documents, measures and entities (built on first use)."""
        if self._nx is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            for iri, _key, docno, title, _date, _kind in self._doc_rows:
                g.add_node(iri, label=docno or title, type="document")
            for m, iri in enumerate(self._m_iri):
                row = self._doc_rows[int(self._m_int[m, 0])]
                g.add_node(iri, label=f"{row[1]} {self._m_label[m]} {self._m_heading[m]}", type="measure")
                g.add_edge(iri, row[0], label="is_part_of")
            for a, e in enumerate(self._agents):
                info = self.entity(e)
                g.add_node(e, label=info.label_zh if info else e, type=info.type if info else "entity")
                for p in range(int(self._a_off[a]), int(self._a_off[a + 1])):
                    for role in self._roles_of(int(self._p_roles[p])):
                        g.add_edge(self._m_iri[int(self._p_meas[p])], e, label=role)
            docs = {row[1]: row[0] for row in self._doc_rows}
            for a, bs in self._cites.items():
                for b in bs:
                    if a in docs and b in docs:
                        g.add_edge(docs[a], docs[b], label="cites")
            for a, b in self._annexes:
                if a in docs and b in docs:
                    g.add_edge(docs[a], docs[b], label="has_annex")
            self._nx = g
        return self._nx

    def _node(self, iri: str) -> tuple[str, str] | None:
        """(label, type) of a node of :attr:`nx`, or None."""
        if iri in self._a_pos:
            info = self.entity(iri)
            return (info.label_zh, info.type) if info else (iri, "entity")
        m = self._m_pos.get(iri)
        if m is not None:
            key = self._doc_rows[int(self._m_int[m, 0])][1]
            return f"{key} {self._m_label[m]} {self._m_heading[m]}", "measure"
        d = self._doc_iri_pos().get(iri)
        if d is not None:
            row = self._doc_rows[d]
            return row[2] or row[3], "document"
        return None

    def _doc_iri_pos(self) -> dict[str, int]:
        if self._doc_iris is None:
            self._doc_iris = {row[0]: i for i, row in enumerate(self._doc_rows)}
        return self._doc_iris

    def _out_edges(self, iri: str) -> list[tuple[str, str]]:
        """(target, label) of the edges leaving ``iri``, in the order :attr:`nx` lists them."""
        m = self._m_pos.get(iri)
        if m is not None:
            out = [(self._doc_rows[int(self._m_int[m, 0])][0], "is_part_of")]
            for p in sorted(self._pairs_of_measure(m), key=lambda p: int(self._p_agent[p])):
                agent = self._agents[int(self._p_agent[p])]
                out += [(agent, role) for role in self._roles_of(int(self._p_roles[p]))]
            return out
        d = self._doc_iri_pos().get(iri)
        if d is None:
            return []
        key, docs = self._doc_rows[d][1], self._doc_pos
        grouped: dict[str, list[str]] = {}
        for b in self._cites.get(key, []):
            if b in docs:
                grouped.setdefault(self._doc_rows[docs[b]][0], []).append("cites")
        for a, b in self._annexes:
            if a == key and b in docs:
                grouped.setdefault(self._doc_rows[docs[b]][0], []).append("has_annex")
        return [(target, label) for target, labels in grouped.items() for label in labels]

    def _in_nodes(self, iri: str) -> set[str]:
        """Nodes with an edge to ``iri``."""
        a = self._a_pos.get(iri)
        if a is not None:
            return {self._m_iri[m] for m in self._p_meas[int(self._a_off[a]) : int(self._a_off[a + 1])].tolist()}
        d = self._doc_iri_pos().get(iri)
        if d is None:
            return set()
        key, docs = self._doc_rows[d][1], self._doc_pos
        out = set(self._m_iri[int(self._doc_moff[d]) : int(self._doc_moff[d + 1])])
        out |= {self._doc_rows[docs[b]][0] for b in self._cited_by.get(key, []) if b in docs}
        out |= {self._doc_rows[docs[b]][0] for b, c in self._annexes if c == key and b in docs}
        return out

    def neighbourhood(self, iri: str, depth: int = 1, limit: int = 60) -> dict:
        """Nodes within ``depth`` hops of ``iri`` (either direction), at most ``limit`` nodes.

        Walks the tables directly (same answer as walking :attr:`nx`, without building it).
        """
        if self._node(iri) is None:
            return {"nodes": [], "edges": []}
        seen = [iri]
        frontier = [iri]
        for _ in range(max(depth, 0)):
            nxt = []
            for n in frontier:
                for other in sorted({t for t, _ in self._out_edges(n)} | self._in_nodes(n)):
                    if other not in seen and len(seen) < limit:
                        seen.append(other)
                        nxt.append(other)
            frontier = nxt
        keep = set(seen)
        nodes = [{"id": n, "label": label, "type": typ} for n in seen for label, typ in [self._node(n)]]
        edges = [{"source": n, "target": t, "label": label}
                 for n in seen for t, label in self._out_edges(n) if t in keep]
        return {"nodes": nodes, "edges": edges}

