"""Graph stores: one named graph per document, behind one small interface.

Backends are registered by name and imported on first use (rdflib's ``plugin.register``
style), so ``import graph.store`` never imports httpx or rdflib:

- ``oxigraph``: embedded, persistent ``pyoxigraph.Store`` on disk (the default);
- ``sparql``: any SPARQL 1.1 server (query + update, Graph Store Protocol if given);
- ``memory``: an rdflib ``Dataset`` (for comparison and tests).

>>> store = get_backend("oxigraph")()          # in-memory Oxigraph when no path is given
>>> store.triple_count()
0
>>> get_backend("nope")
Traceback (most recent call last):
...
core.errors.BadInputError: Unknown graph store 'nope'. Choose from 'memory', 'oxigraph', 'sparql'.
"""

from __future__ import annotations

import importlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import BadInputError
from graph.rdf_formats import RDF_FORMATS

if TYPE_CHECKING:
    from pyoxigraph import Quad

    from core.options import StoreOptions

#: Export formats and their pyoxigraph names (``graph.rdf_formats``).
FORMATS = {name: f.oxigraph for name, f in RDF_FORMATS.items()}
#: Formats that keep named graphs (the others are written from the union of all graphs).
DATASET_FORMATS = {name for name, f in RDF_FORMATS.items() if f.dataset}

_BACKENDS: dict[str, tuple[str, str]] = {
    "oxigraph": ("graph.store_oxigraph", "OxigraphStore"),
    "sparql": ("graph.store_sparql", "SparqlStore"),
    "memory": ("graph.store_memory", "MemoryStore"),
}

QueryResult = list[dict[str, str]] | bool | list[tuple[str, str, str]]


def register(name: str, module: str, cls: str) -> None:
    """Register a store backend by name (imported lazily on first use)."""
    _BACKENDS[name] = (module, cls)


def backends() -> list[str]:
    """Names of the registered backends."""
    return sorted(_BACKENDS)


def get_backend(name: str) -> type[GraphStore]:
    """The store class registered under ``name``."""
    if name not in _BACKENDS:
        choices = ", ".join(repr(n) for n in backends())
        raise BadInputError(f"Unknown graph store {name!r}. Choose from {choices}.")
    module, cls = _BACKENDS[name]
    return getattr(importlib.import_module(module), cls)


def check_format(fmt: str) -> str:
    """Validate an export format name.

    >>> check_format("ttl")
    Traceback (most recent call last):
    ...
    core.errors.BadInputError: Unknown export format 'ttl'. Choose from turtle, trig, jsonld, nt, nquads.
    """
    if fmt not in FORMATS:
        raise BadInputError(f"Unknown export format {fmt!r}. Choose from {', '.join(FORMATS)}.")
    return fmt


_PROLOGUE = re.compile(r"^(?:\s+|#[^\n]*\n|(?:PREFIX|BASE)\s[^<]*<[^>]*>)*", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """The query form: SELECT, ASK, CONSTRUCT or DESCRIBE (else the first word, upper-cased).

    >>> query_form("PREFIX a: <http://x#>\\n# hi\\nselect * { ?s ?p ?o }")
    'SELECT'
    """
    rest = sparql[_PROLOGUE.match(sparql).end() :]
    word = re.match(r"[A-Za-z]+", rest)
    return word.group(0).upper() if word else ""


def convert_results(result: Any) -> QueryResult:
    """pyoxigraph query results -> rows of ``{var: str}`` / bool / ``(s, p, o)`` strings."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        rows = []
        for sol in result:
            row = {}
            for n in names:
                t = sol[n]
                if t is not None:
                    row[n] = t.value
            rows.append(row)
        return rows
    return [(t.subject.value, t.predicate.value, t.object.value) for t in result]


class GraphStore(ABC):
    """A quad store holding one named graph per document (plus gazetteer, ontology, links)."""

    name = "base"
    #: The store lives in the data folder, one copy per generation (so the graph view can be saved
    #: beside it); False for a server, read live by SPARQL.
    per_generation = False

    # --- writing -------------------------------------------------------------------
    @abstractmethod
    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        """Drop the named graph ``graph`` and insert ``quads`` in one transaction where possible."""

    @abstractmethod
    def delete_graph(self, graph: str) -> None:
        """Drop the named graph ``graph`` (no error if absent)."""

    def replace_document(self, key: str, quads: Iterable[Quad]) -> None:
        """Replace a document's named graph: a crash leaves the old or the new graph, never half."""
        from graph.iri import document_iri

        self.replace_graph(document_iri(key), quads)

    def delete_document(self, key: str) -> None:
        """Remove a document's named graph; other graphs are untouched."""
        from graph.iri import document_iri

        self.delete_graph(document_iri(key))

    def bulk_replace(self, docs: Mapping[str, Iterable[Quad]]) -> None:
        """Replace many documents (key -> quads); backends override with a faster path."""
        for key, quads in docs.items():
            self.replace_document(key, quads)

    def load_documents(self, nquads_files: Iterable[Path], drop: Iterable[str] = (), on_file=None) -> None:
        """Load document graphs from N-Quads files (one named graph per document) and remove the
        graphs of the documents ``drop`` names that the files do not hold (deleted documents).

        Each document's graph is replaced whole (:meth:`bulk_replace`); ``on_file(path)`` is called
        after each file (progress). Backends with a bulk loader override this.
        """
        from pyoxigraph import RdfFormat, parse

        from graph.iri import key_from_document_iri

        loaded: set[str] = set()
        for path in nquads_files:
            by_graph: dict[str, list] = {}
            for q in parse(path=str(path), format=RdfFormat.N_QUADS):
                by_graph.setdefault(q.graph_name.value, []).append(q)
            docs = {key_from_document_iri(g): qs for g, qs in by_graph.items()}
            self.bulk_replace(docs)
            loaded.update(docs)
            if on_file is not None:
                on_file(path)
        for key in sorted(set(drop) - loaded):
            self.delete_document(key)

    def scan(self) -> int:
        """Read every quad (every block of an on-disk store); the number read."""
        return sum(1 for _ in self.quads())

    # --- reading -------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query: SELECT -> list of ``{var: str}``, ASK -> bool, CONSTRUCT -> triples.

        The default graph is the union of all named graphs where the backend supports it;
        portable queries use ``GRAPH ?g { … }``.
        """

    @abstractmethod
    def quads(self) -> Iterable[Quad]:
        """Every quad in the store (as pyoxigraph quads)."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def triple_count(self) -> int:
        """Number of statements (quads) in the store, all named graphs together."""

    def dump(self, fmt: str = "turtle") -> bytes:
        """Serialise the store: turtle/nt from the union of graphs, trig/jsonld/nquads keep graphs."""
        from pyoxigraph import RdfFormat, Triple, serialize

        from graph.vocab import PREFIXES

        check_format(fmt)
        rdf_format = getattr(RdfFormat, FORMATS[fmt])
        quads = list(self.quads())
        if fmt in DATASET_FORMATS:
            quads.sort(key=lambda q: (q.graph_name.value, q.subject.value))
            items: Iterable[Any] = quads
        else:
            seen = {Triple(q.subject, q.predicate, q.object) for q in quads}
            items = sorted(seen, key=lambda t: t.subject.value)
        prefixes = None if fmt in {"nt", "nquads"} else PREFIXES
        kwargs = {"prefixes": prefixes} if prefixes else {}
        return serialize(items, format=rdf_format, **kwargs)

    def close(self) -> None:
        """Release the store (flush to disk, close connections)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(settings: StoreOptions, *, read_only: bool = False, backend: str | None = None) -> GraphStore:
    """Open the store the options name: ``oxigraph`` in ``DATA/store`` or a ``sparql`` server.

    ``settings``: a :class:`core.options.StoreOptions` (``policykg.settings.Settings.store_options()``).
    """
    name = backend or settings.store
    cls = get_backend(name)
    if name == "oxigraph":
        return cls(settings.data / "store", read_only=read_only)
    if name == "sparql":
        return cls(
            query_url=settings.sparql_query_url,
            update_url=settings.sparql_update_url,
            gsp_url=settings.sparql_gsp_url,
            read_only=read_only,
        )
    return cls()
