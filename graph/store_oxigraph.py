"""Embedded, persistent Oxigraph store (``pyoxigraph.Store`` on disk): the default backend.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> s = OxigraphStore()
>>> g = "https://w3id.org/policykg/id/doc/A"
>>> s.replace_graph(g, [Quad(NamedNode(g), NamedNode("http://x/p"), Literal("1"), NamedNode(g))])
>>> s.query("SELECT ?o WHERE { ?s <http://x/p> ?o }")
[{'o': '1'}]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, Store

from graph.store import GraphStore, QueryResult, convert_results
from core.errors import BadInputError, IndexCorruptError


def insert_data_update(graph: str, quads: Iterable[Quad]) -> str:
    """A SPARQL update dropping ``graph`` and inserting ``quads`` into it (one request)."""
    body = " .\n".join(str(q.triple) for q in quads)
    drop = f"DROP SILENT GRAPH <{graph}>"
    if not body:
        return drop
    return f"{drop} ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body} .\n}} }}"


class OxigraphStore(GraphStore):
    """Oxigraph on disk at ``path`` (in memory when ``path`` is None)."""

    name = "oxigraph"
    per_generation = True

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store = Store()
            elif read_only:
                if not self.path.exists():
                    raise BadInputError(
                        f"No graph store at {self.path}. Run `policykg ingest PATH` first to build it."
                    )
                self._store = Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = Store(str(self.path))
        except OSError as e:
            raise IndexCorruptError(
                f"Cannot open the graph store at {self.path}: {e}. If it is damaged, delete that folder "
                "and run `policykg ingest` again to rebuild it."
            ) from e

    @property
    def store(self) -> Store:
        """The underlying ``pyoxigraph.Store``."""
        return self._store

    def _writable(self) -> None:
        if self.read_only:
            raise BadInputError(f"The graph store at {self.path} is open read-only; open it read-write to change it.")

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        self._writable()
        # One SPARQL update = one transaction: readers see the old graph or the new one.
        self._store.update(insert_data_update(graph, quads))

    def patch_graph(self, graph: str, old: Iterable[Quad], new: Iterable[Quad]) -> None:
        """Make the named graph ``graph``, which holds exactly ``old``, hold ``new``: one update that
        deletes and inserts only the quads that differ (readers see the old graph or the new one)."""
        self._writable()
        old, new = dict.fromkeys(old), dict.fromkeys(new)
        gone = [q for q in old if q not in new]
        added = [q for q in new if q not in old]
        parts = []
        if gone:
            parts.append("DELETE DATA { GRAPH <%s> {\n%s .\n} }" % (graph, " .\n".join(str(q.triple) for q in gone)))
        if added:
            parts.append("INSERT DATA { GRAPH <%s> {\n%s .\n} }" % (graph, " .\n".join(str(q.triple) for q in added)))
        if parts:
            self._store.update(" ;\n".join(parts))

    def load_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        """Replace the named graph ``graph`` by ``quads`` with the bulk loader: about a third of the time of
        :meth:`replace_graph`, but not atomic, so only for a store no reader has open (a generation
        being built)."""
        self._writable()
        g = NamedNode(graph)
        if self._store.contains_named_graph(g):
            self._store.remove_graph(g)
        self._store.bulk_extend(Quad(q.subject, q.predicate, q.object, g) for q in quads)
        self._store.flush()

    def delete_graph(self, graph: str) -> None:
        self._writable()
        self._store.update(f"DROP SILENT GRAPH <{graph}>")

    def bulk_replace(self, docs: Mapping[str, Iterable[Quad]]) -> None:
        """Fast path: drop the documents' graphs, then bulk-load all quads at once (not atomic)."""
        from graph.iri import document_iri

        self._writable()
        existing = {g.value for g in self._store.named_graphs() if isinstance(g, NamedNode)}
        todo = []
        for key, quads in docs.items():
            g = document_iri(key)
            if g in existing:
                self._store.remove_graph(NamedNode(g))
            todo.append(quads)
        self._store.bulk_extend(q for quads in todo for q in quads)
        self._store.flush()

    def drop_documents(self, keys: Iterable[str]) -> None:
        """Remove the named graphs of the documents ``keys`` (absent ones are skipped)."""
        from graph.iri import document_iri

        self._writable()
        existing = {g.value for g in self._store.named_graphs() if isinstance(g, NamedNode)}
        for key in keys:
            g = document_iri(key)
            if g in existing:
                self._store.remove_graph(NamedNode(g))

    def load_nquads(self, source: bytes | str | Path) -> None:
        """Bulk-load N-Quads (bytes, or the path of a file): the fastest way in, not atomic.

        Pair with :meth:`drop_documents` to replace documents; quads already present stay once.
        """
        from pyoxigraph import RdfFormat

        self._writable()
        if isinstance(source, (str, Path)):
            self._store.bulk_load(path=str(source), format=RdfFormat.N_QUADS)
        elif source:
            self._store.bulk_load(source, format=RdfFormat.N_QUADS)

    def load_documents(self, nquads_files: Iterable[Path], drop: Iterable[str] = (), on_file=None) -> None:
        """Drop the graphs of ``drop`` (replaced and deleted documents), then bulk-load the files."""
        self.drop_documents(sorted(drop))
        for path in nquads_files:
            self.load_nquads(path)
            if on_file is not None:
                on_file(path)

    def query(self, sparql: str, *, union: bool = True) -> QueryResult:
        try:
            result: Any = self._store.query(sparql, use_default_graph_as_union=union)
        except SyntaxError as e:
            raise BadInputError(f"SPARQL syntax error: {e}. Check the query text.") from e
        return convert_results(result)

    def raw_query(self, sparql: str, *, union: bool = True) -> Any:
        """pyoxigraph's own result objects (terms, not strings)."""
        return self._store.query(sparql, use_default_graph_as_union=union)

    def quads(self) -> Iterable[Quad]:
        return self._store.quads_for_pattern(None, None, None, None)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def triple_count(self) -> int:
        return len(self._store)

    def dump(self, fmt: str = "turtle") -> bytes:
        return super().dump(fmt)

    def close(self) -> None:
        if not self.read_only and self.path is not None:
            try:
                self._store.flush()
            except OSError:
                pass
        self._store = Store()  # release the on-disk lock; further use sees an empty store
