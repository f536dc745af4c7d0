"""RDF serialisation formats: one table, from which the store, the exports, the CLI choices and the
API's ``Literal`` parameters are derived.

>>> EXPORT_FORMATS
('turtle', 'trig', 'jsonld', 'nt')
>>> RDF_FORMATS["trig"].media_type, RDF_FORMATS["trig"].extension, RDF_FORMATS["trig"].dataset
('application/trig; charset=utf-8', 'trig', True)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RdfFormat:
    name: str  # what users type: --format NAME, ?format=NAME
    oxigraph: str  # pyoxigraph.RdfFormat member
    extension: str  # file extension, without the dot
    media_type: str
    dataset: bool  # keeps named graphs (else written from the union of graphs)
    offered: bool = True  # offered as an export format (N-Quads is the bulk-load format only)


RDF_FORMATS: dict[str, RdfFormat] = {f.name: f for f in (
    RdfFormat("turtle", "TURTLE", "ttl", "text/turtle; charset=utf-8", False),
    RdfFormat("trig", "TRIG", "trig", "application/trig; charset=utf-8", True),
    RdfFormat("jsonld", "JSON_LD", "jsonld", "application/ld+json", True),
    RdfFormat("nt", "N_TRIPLES", "nt", "application/n-triples; charset=utf-8", False),
    RdfFormat("nquads", "N_QUADS", "nq", "application/n-quads", True, offered=False),
)}

#: The formats users may export the graph (or one document's graph) in.
EXPORT_FORMATS: tuple[str, ...] = tuple(n for n, f in RDF_FORMATS.items() if f.offered)
