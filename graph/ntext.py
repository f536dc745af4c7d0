"""Quads as N-Quads text, built from strings instead of ``pyoxigraph`` objects (the ingest workers' hot path).

A term is its N-Quads form, ``<iri>`` or a literal (``"text"@zh``, ``"3"^^<…#integer>``), and a quad
is one line ``s p o g .``. A worker builds a document's lines and hands the bytes to the store's
bulk loader, which parses them in Rust. Building a ``Quad`` per statement and serialising it made
a worker's graph output 2.2 times as slow (every term crossed into Rust and back). :func:`to_quads` gives the
``pyoxigraph.Quad`` objects when a caller wants them.

IRIs come from :mod:`graph.iri` and :mod:`graph.vocab`, percent-encoded or fixed ASCII, so they are
written as they are; literal text is escaped here (``\\``, ``"``, line feed, carriage return: what
N-Quads forbids raw inside a string).

>>> line = quad(node("https://x/a"), T.PKG_TEXT, zh('说"好"'), node("https://x/g"))
>>> print(line, end="")
<https://x/a> <https://w3id.org/policykg/ontology#text> "说\\"好\\""@zh <https://x/g> .
>>> to_quads([line])[0].object.value
'说"好"'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from graph import vocab as V

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_CJK = re.compile(r"[\u3400-\u9fff]")


def node(iri: str) -> str:
    """An IRI term (``iri`` must need no escaping: minted by :mod:`graph.iri`)."""
    return f"<{iri}>"


def term(n: NamedNode) -> str:
    """A vocabulary ``NamedNode`` as its term."""
    return f"<{n.value}>"


class _Terms:
    """:mod:`graph.vocab`'s constants as terms: ``T.RDF_TYPE`` is ``"<…#type>"`` (made on first use)."""

    def __getattr__(self, name: str) -> str:
        value = term(getattr(V, name))
        setattr(self, name, value)
        return value


T = _Terms()


def _escape(s: str) -> str:
    if "\\" in s or '"' in s or "\n" in s or "\r" in s:
        return s.translate(_ESCAPES)
    return s


def lit(s: str) -> str:
    """A plain (``xsd:string``) literal."""
    return f'"{_escape(s)}"'


def zh(s: str) -> str:
    """A literal tagged ``zh``."""
    return f'"{_escape(s)}"@zh'


def lang(s: str, tag: str) -> str:
    """A literal with language tag ``tag``."""
    return f'"{_escape(s)}"@{tag}'


def label(s: str) -> str:
    """A label tagged ``zh`` when it contains Chinese characters, else ``en``."""
    return f'"{_escape(s)}"@{"zh" if _CJK.search(s) else "en"}'


def typed(s: str, datatype: str) -> str:
    """A literal of ``datatype`` (a term, e.g. ``T.XSD_DATE``)."""
    return f'"{_escape(s)}"^^{datatype}'


@lru_cache(maxsize=1 << 16)
def integer(n: int) -> str:
    """An ``xsd:integer`` literal."""
    return f'"{int(n)}"^^{T.XSD_INTEGER}'


def decimal(x: float) -> str:
    """An ``xsd:decimal`` literal: the shortest decimal that reads back as ``x`` (``2.0`` → ``2``)."""
    s = repr(float(x))
    if s.endswith(".0"):
        s = s[:-2]
    return f'"{s}"^^{T.XSD_DECIMAL}'


def quad(s: str, p: str, o: str, g: str) -> str:
    """One N-Quads line."""
    return f"{s} {p} {o} {g} .\n"


def to_bytes(lines: Iterable[str]) -> bytes:
    """Lines as the UTF-8 N-Quads document the bulk loader reads."""
    return "".join(lines).encode("utf-8")


def to_quads(lines: Iterable[str]) -> list[Quad]:
    """Lines as ``pyoxigraph.Quad`` objects, in order."""
    return list(parse(to_bytes(lines), format=RdfFormat.N_QUADS))
