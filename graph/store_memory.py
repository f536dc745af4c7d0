"""rdflib in-memory ``Dataset`` backend, for comparison and tests.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> s = MemoryStore()
>>> g = "https://w3id.org/policykg/id/doc/A"
>>> s.replace_graph(g, [Quad(NamedNode(g), NamedNode("http://x/p"), Literal("1"), NamedNode(g))])
>>> s.query("SELECT ?o WHERE { GRAPH ?g { ?s <http://x/p> ?o } }")
[{'o': '1'}]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyoxigraph import Quad

from graph.store import GraphStore, QueryResult


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as an rdflib term."""
    import rdflib
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"Unsupported term {term!r}")


def from_rdflib(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term."""
    import rdflib
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        dt = term.datatype or rdflib.XSD.string
        return Literal(str(term), datatype=NamedNode(str(dt)))
    raise TypeError(f"Unsupported term {term!r}")


class MemoryStore(GraphStore):
    """An rdflib ``Dataset`` whose default graph is the union of the named graphs."""

    name = "memory"

    def __init__(self, store: str = "default") -> None:
        import rdflib

        self._ds = rdflib.Dataset(store=store, default_union=True)

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        import rdflib

        gid = rdflib.URIRef(graph)
        self._ds.remove_graph(gid)
        g = self._ds.graph(gid)
        g.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), g) for q in quads)

    def delete_graph(self, graph: str) -> None:
        import rdflib

        self._ds.remove_graph(rdflib.URIRef(graph))

    def query(self, sparql: str) -> QueryResult:
        res = self._ds.query(sparql)
        if res.type == "ASK":
            return bool(res.askAnswer)
        if res.type == "SELECT":
            names = [str(v) for v in res.vars]
            return [{n: str(row[i]) for i, n in enumerate(names) if row[i] is not None} for row in res]
        return [(str(s), str(p), str(o)) for s, p, o in res]

    def quads(self) -> Iterable[Quad]:
        import rdflib

        for s, p, o, g in self._ds.quads((None, None, None, None)):
            if g is None or isinstance(g, rdflib.graph.Graph) and g.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID:
                continue
            gid = g.identifier if isinstance(g, rdflib.graph.Graph) else g
            yield Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), from_rdflib(gid))

    def graphs(self) -> list[str]:
        import rdflib

        return sorted(
            str(g.identifier)
            for g in self._ds.graphs()
            if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g)
        )

    def triple_count(self) -> int:
        return sum(1 for _ in self.quads())
