"""Measure alignments of every resolved "implements" pair, as RDF in the relations graph.

For each document that implements another one in the index (a resolved citation of kind
``implements``), :func:`alignment_quads` reads both documents' measures and the entities they
involve or mention from the store, aligns them with :func:`graph.align.align_documents`, and
writes each correspondence as a small node::

    {alignment} a pkg:Alignment ; pkg:localMeasure {m} ; pkg:nationalMeasure {n} ;
        pkg:alignmentScore 0.412 ; pkg:sharedEntity {entity} ; pkg:sharedWording "产教融合实训基地" ;
        prov:wasDerivedFrom {m}, {n} .
    {m} pkg:correspondsTo {n} .

Pairs where either document has more than ``MAX_MEASURES`` measures are left out (a code of law
implements nothing measure by measure; the cost grows with the product of the two sizes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from pyoxigraph import Literal, NamedNode, Quad

from graph import iri as I
from graph import temporal as T
from graph import vocab as V

MAX_MEASURES = 200
ALIGNMENT_BASE = I.ID_BASE + "alignment/"
PKG_ALIGNMENT = V.pkg("Alignment")
PKG_LOCAL_MEASURE = V.pkg("localMeasure")
PKG_NATIONAL_MEASURE = V.pkg("nationalMeasure")
PKG_ALIGNMENT_SCORE = V.pkg("alignmentScore")
PKG_SHARED_ENTITY = V.pkg("sharedEntity")
PKG_SHARED_WORDING = V.pkg("sharedWording")

Q_MEASURES = """SELECT ?m ?o ?label ?h ?t WHERE { GRAPH <%s> { ?m a pkg:Measure ; pkg:ordinal ?o ;
  pkg:numberLabel ?label ; pkg:text ?t . OPTIONAL { ?m pkg:heading ?h } } }"""
Q_ENTITIES = """SELECT ?m ?e ?label ?scheme WHERE { GRAPH <%s> { ?m a pkg:Measure .
  { ?m pkg:involves ?e } UNION { ?m pkg:mentions ?e }
  OPTIONAL { ?e skos:prefLabel ?label FILTER(lang(?label) = "zh") } OPTIONAL { ?e skos:inScheme ?scheme } } }"""


@dataclass
class _Doc:
    key: str
    title: str
    docno: str | None
    measures: list = field(default_factory=list)


def read_document(store, version) -> _Doc:
    """The measures of one document (a :class:`graph.relations_resolve.Version`) as align needs them."""
    g = I.document_iri(version.key)
    places = I.scheme_iri("places")
    mentions: dict[str, dict[str, SimpleNamespace]] = {}
    for r in store.query(V.SPARQL_PROLOGUE + Q_ENTITIES % g):
        etype = "place" if r.get("scheme") == places else "entity"
        mentions.setdefault(r["m"], {})[r["e"]] = SimpleNamespace(entity=r["e"], type=etype, label=r.get("label") or r["e"])
    doc = _Doc(version.key, version.title, version.docno)
    rows = sorted(store.query(V.SPARQL_PROLOGUE + Q_MEASURES % g), key=lambda r: int(r["o"]))
    for r in rows:
        doc.measures.append(SimpleNamespace(iri=r["m"], ordinal=int(r["o"]), label=r["label"], heading=r.get("h") or "",
                                            text=r["t"], mentions=list(mentions.get(r["m"], {}).values())))
    return doc


def implements_pairs(rel) -> list[tuple[str, str]]:
    """(local document IRI, national document IRI) of every resolved implements citation, once each."""
    pairs = {(x.source, x.target) for x in rel.links if x.kind == "implements" and x.target and x.target != x.source}
    return sorted(pairs)


def _alignment_iri(local: str, national: str) -> str:
    return ALIGNMENT_BASE + hashlib.sha1(f"{local} {national}".encode()).hexdigest()[:16]


def _row_quads(row: dict, local: _Doc, national: _Doc, g: NamedNode) -> list[Quad]:
    by_ord_l = {m.ordinal: m for m in local.measures}
    by_ord_n = {m.ordinal: m for m in national.measures}
    a, b = by_ord_l[row["local"]["ordinal"]], by_ord_n[row["national"]["ordinal"]]
    node, ma, mb = NamedNode(_alignment_iri(a.iri, b.iri)), NamedNode(a.iri), NamedNode(b.iri)
    out = [Quad(node, V.RDF_TYPE, PKG_ALIGNMENT, g), Quad(node, PKG_LOCAL_MEASURE, ma, g),
           Quad(node, PKG_NATIONAL_MEASURE, mb, g), Quad(ma, T.PKG_CORRESPONDS_TO, mb, g),
           Quad(node, PKG_ALIGNMENT_SCORE, Literal(f"{row['score']:.4f}", datatype=V.XSD_DECIMAL), g),
           Quad(node, T.PROV_WAS_DERIVED_FROM, ma, g), Quad(node, T.PROV_WAS_DERIVED_FROM, mb, g)]
    labels = set(row["shared_entities"])
    shared = {x.entity for x in a.mentions if x.label in labels} & {x.entity for x in b.mentions}
    out += [Quad(node, PKG_SHARED_ENTITY, NamedNode(e), g) for e in sorted(shared)]
    out += [Quad(node, PKG_SHARED_WORDING, Literal(w, language="zh"), g) for w in row["shared_wording"]]
    return out


def alignment_quads(store, rel, graph: str) -> list[Quad]:
    """Alignment nodes of every implements pair of ``rel`` (a :class:`graph.relations.Relations`)."""
    return [q for quads in alignment_pairs(store, rel, graph).values() for q in quads]


def alignment_pairs(store, rel, graph: str, reuse: dict[tuple[str, str], list[Quad]] | None = None,
                    unchanged: frozenset[str] = frozenset()) -> dict[tuple[str, str], list[Quad]]:
    """(local, national) document IRIs -> the alignment quads of that implements pair of ``rel``.

    Args:
        reuse: the pairs' quads of an earlier state of the store (:func:`load_pairs`).
        unchanged: IRIs of the documents whose graphs are as they were then: a pair of two of them
            takes its quads from ``reuse`` instead of reading and aligning both documents again.
    """
    from graph.align import align_documents

    g = NamedNode(graph)
    out: dict[tuple[str, str], list[Quad]] = {}
    cache: dict[str, _Doc] = {}
    for local, national in implements_pairs(rel):
        if reuse is not None and (local, national) in reuse and local in unchanged and national in unchanged:
            out[(local, national)] = reuse[(local, national)]
            continue
        quads: list[Quad] = []
        docs = []
        for d in (local, national):
            if d not in cache:
                cache[d] = read_document(store, rel.versions[d])
            docs.append(cache[d])
        if all(0 < len(d.measures) <= MAX_MEASURES for d in docs):
            for row in align_documents(*docs)["alignments"]:
                quads += _row_quads(row, docs[0], docs[1], g)
        out[(local, national)] = quads
    return out


_PAIRS_FORMAT = 1


def save_pairs(pairs: dict[tuple[str, str], list[Quad]], path) -> None:
    """Write :func:`alignment_pairs`' result (N-Quads per pair) to ``path``, atomically."""
    import orjson
    from pyoxigraph import RdfFormat, serialize

    from core.files import write_atomic

    body = {"format": _PAIRS_FORMAT,
            "pairs": [[a, b, (serialize(quads, format=RdfFormat.N_QUADS) or b"").decode("utf-8")]
                      for (a, b), quads in pairs.items()]}
    write_atomic(path, orjson.dumps(body), durable=False)


def load_pairs(path) -> dict[tuple[str, str], list[Quad]] | None:
    """The pairs :func:`save_pairs` wrote, or None (missing, another format, unreadable: align again)."""
    import orjson
    from pyoxigraph import RdfFormat, parse

    try:
        body = orjson.loads(Path(path).read_bytes())
        if body.get("format") != _PAIRS_FORMAT:
            return None
        return {(a, b): list(parse(nq.encode("utf-8"), format=RdfFormat.N_QUADS)) for a, b, nq in body["pairs"]}
    except (OSError, ValueError, TypeError, SyntaxError):
        return None
