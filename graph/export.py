"""Export the graph as Turtle, TriG, JSON-LD, N-Triples or N-Quads.

Turtle and N-Triples hold the union of all named graphs (one copy of each triple);
TriG, JSON-LD and N-Quads keep the named graphs (one per document, plus gazetteer,
ontology and links).

>>> import io
>>> from graph.store_oxigraph import OxigraphStore
>>> buf = io.BytesIO()
>>> export(OxigraphStore(), "nt", buf)
0
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from core.files import write_atomic
from graph.rdf_formats import RDF_FORMATS
from graph.store import FORMATS, check_format

#: File extension per export format.
EXTENSIONS = {name: "." + f.extension for name, f in RDF_FORMATS.items()}


def export(store: Any, fmt: str, out: str | Path | IO[bytes] | None = None) -> int:
    """Write the store in ``fmt`` to ``out`` (a path, a binary file, or stdout when None).

    Returns the number of bytes written. A path is written atomically (temporary file,
    then rename), so an interrupted export never leaves half a file.
    """
    import sys

    check_format(fmt)
    data = store.dump(fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    elif isinstance(out, (str, Path)):
        write_atomic(out, data)
    else:
        out.write(data)
    return len(data)


def graph_quads(store: Any, graph: str) -> list:
    """The quads of one named graph: a pattern lookup on an embedded Oxigraph store, else a scan."""
    from pyoxigraph import NamedNode, Store

    inner = getattr(store, "store", None)
    if isinstance(inner, Store):
        return list(inner.quads_for_pattern(None, None, None, NamedNode(graph)))
    return [q for q in store.quads() if getattr(q.graph_name, "value", None) == graph]


def dump_graph(store: Any, graph: str, fmt: str) -> bytes:
    """One named graph in ``fmt``: Turtle and N-Triples as its triples, TriG/JSON-LD/N-Quads keep the graph name.

    >>> from pyoxigraph import Literal, NamedNode, Quad
    >>> from graph.store_oxigraph import OxigraphStore
    >>> s = OxigraphStore()
    >>> g1, g2, p = NamedNode("http://x/g1"), NamedNode("http://x/g2"), NamedNode("http://x/p")
    >>> s.replace_graph(g1.value, [Quad(g1, p, Literal("一"), g1)])
    >>> s.replace_graph(g2.value, [Quad(g2, p, Literal("二"), g2)])
    >>> b"g2" in dump_graph(s, g1.value, "nt"), "一" in dump_graph(s, g1.value, "turtle").decode()
    (False, True)
    """
    from pyoxigraph import RdfFormat, Triple, serialize

    from graph.store import DATASET_FORMATS
    from graph.vocab import PREFIXES

    check_format(fmt)
    quads = sorted(graph_quads(store, graph), key=lambda q: (q.subject.value, q.predicate.value))
    items = quads if fmt in DATASET_FORMATS else [Triple(q.subject, q.predicate, q.object) for q in quads]
    kwargs = {} if fmt in {"nt", "nquads"} else {"prefixes": PREFIXES}
    return serialize(items, format=getattr(RdfFormat, FORMATS[fmt]), **kwargs) or b""


__all__ = ["EXTENSIONS", "FORMATS", "dump_graph", "export", "graph_quads"]
