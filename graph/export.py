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

from graph.store import FORMATS, check_format

#: File extension per export format.
EXTENSIONS = {"turtle": ".ttl", "trig": ".trig", "jsonld": ".jsonld", "nt": ".nt", "nquads": ".nq"}


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
        path = Path(out)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    else:
        out.write(data)
    return len(data)


__all__ = ["EXTENSIONS", "FORMATS", "export"]
