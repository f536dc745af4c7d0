"""An in-memory projection of the graph: plain dicts plus a networkx graph.

Search and the service read the graph only through :class:`GraphView`. It is loaded
from any :class:`graph.store.GraphStore` by a few portable SPARQL SELECTs (every pattern
inside ``GRAPH ?g``), so it works the same on the embedded store and a SPARQL server.

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

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph import iri as I
from graph.vocab import SPARQL_PROLOGUE

_SPACE = re.compile(r"\s+")


def normalize_label(name: str) -> str:
    """Fold a label for matching: NFKC, lower case, no whitespace.

    >>> normalize_label(" Hebei  Software ")
    'hebeisoftware'
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).lower()


@dataclass(frozen=True)
class EntityInfo:
    iri: str
    key: str
    type: str
    label_zh: str
    label_en: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int  # offsets into the document's cleaned text
    end: int


@dataclass(frozen=True)
class Involvement:
    measure_iri: str
    doc_key: str
    ordinal: int
    number: int
    roles: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class MeasureInfo:
    iri: str
    doc_key: str
    docno: str | None
    doc_title: str
    ordinal: int
    number: int
    label: str
    heading: str
    text: str
    start: int
    end: int
    section: str | None


@dataclass(frozen=True)
class DocumentInfo:
    iri: str
    key: str
    docno: str | None
    title: str
    date: str | None
    kind: str
    measures: tuple[str, ...]


_CLASS_TYPE = {
    "VocationalCollege": "vocational_college",
    "University": "university",
    "School": "school",
    "GovernmentBody": "government_body",
    "Enterprise": "enterprise",
    "Park": "park",
    "Alliance": "alliance",
    "Industry": "industry",
    "Place": "place",
    "Programme": "programme",
}

Q_DOCS = """SELECT ?d ?title ?docno ?date ?kind WHERE { GRAPH ?d {
  ?d a eli:LegalResource ; dct:title ?title .
  OPTIONAL { ?d eli:id_local ?docno } OPTIONAL { ?d eli:date_document ?date } OPTIONAL { ?d pkg:kind ?kind } } }"""
Q_SECTIONS = """SELECT ?s ?label ?title WHERE { GRAPH ?g {
  ?s a pkg:Section ; pkg:numberLabel ?label ; pkg:heading ?title } }"""
Q_MEASURES = """SELECT ?m ?g ?ordinal ?number ?label ?heading ?text ?start ?end WHERE { GRAPH ?g {
  ?m a pkg:Measure ; eli:is_part_of ?g ; pkg:ordinal ?ordinal ; pkg:number ?number ; pkg:numberLabel ?label ;
     pkg:heading ?heading ; pkg:text ?text ; oa:hasSelector ?sp . ?sp oa:start ?start ; oa:end ?end } }"""
Q_MEASURE_SECTION = """SELECT ?m ?s WHERE { GRAPH ?g { ?m a pkg:Measure ; eli:is_part_of ?s . ?s a pkg:Section } }"""
Q_TYPES = """SELECT DISTINCT ?e ?t ?g WHERE { GRAPH ?g { ?e a ?t . FILTER(STRSTARTS(STR(?e), "%s")) } }"""
Q_LABELS = """SELECT DISTINCT ?e ?p ?l ?lang ?g WHERE { GRAPH ?g { ?e ?p ?l .
  VALUES ?p { skos:prefLabel skos:altLabel } FILTER(STRSTARTS(STR(?e), "%s")) } BIND(LANG(?l) AS ?lang) }"""
Q_INVOLVEMENTS = """SELECT ?owner ?e ?role ?start ?end ?exact WHERE { GRAPH ?g {
  ?inv a pkg:Involvement ; prov:wasDerivedFrom ?owner ; pkg:agent ?e ; pkg:role ?role ; pkg:evidence ?sel .
  ?sel oa:start ?start ; oa:end ?end ; oa:exact ?exact } }"""
Q_DOC_LINKS = """SELECT DISTINCT ?a ?p ?b WHERE { GRAPH ?g { ?a ?p ?b . VALUES ?p { eli:cites eli:has_annex } } }"""


def _rows(store: Any, q: str) -> list[dict[str, str]]:
    return store.query(SPARQL_PROLOGUE + q)


class GraphView:
    """Read-only projection of documents, measures, entities and involvements."""

    def __init__(self) -> None:
        self._docs: dict[str, DocumentInfo] = {}
        self._measures: dict[str, MeasureInfo] = {}
        self._entities: dict[str, EntityInfo] = {}
        self._labels: dict[str, list[str]] = {}
        # entity iri -> measure iri -> (roles set, evidence set)
        self._by_entity: dict[str, dict[str, tuple[set[str], set[Evidence]]]] = {}
        self._by_measure: dict[str, dict[str, set[str]]] = {}
        self._cites: dict[str, list[str]] = defaultdict(list)
        self._cited_by: dict[str, list[str]] = defaultdict(list)
        self._annexes: list[tuple[str, str]] = []
        self._used_entities: set[str] = set()
        self._triples = 0
        self._nx: Any = None

    # --- loading -------------------------------------------------------------------
    @classmethod
    def load(cls, store: Any) -> GraphView:
        """Load the projection from a store (a few SELECTs)."""
        v = cls()
        v._load_documents(store)
        v._load_entities(store)
        v._load_involvements(store)
        for r in _rows(store, Q_DOC_LINKS):
            if not (r["a"].startswith(I.DOC_BASE) and r["b"].startswith(I.DOC_BASE)):
                continue
            a, b = I.key_from_document_iri(r["a"]), I.key_from_document_iri(r["b"])
            if r["p"].endswith("cites"):
                if b not in v._cites[a]:
                    v._cites[a].append(b)
                    v._cited_by[b].append(a)
            elif (a, b) not in v._annexes:
                v._annexes.append((a, b))
        v._triples = store.triple_count()
        return v

    def _load_documents(self, store: Any) -> None:
        docs: dict[str, dict[str, Any]] = {}
        for r in _rows(store, Q_DOCS):
            docs.setdefault(r["d"], r)
        sections = {r["s"]: f"{r['label']}{r['title']}" for r in _rows(store, Q_SECTIONS)}
        section_of = {r["m"]: sections.get(r["s"]) for r in _rows(store, Q_MEASURE_SECTION)}
        per_doc: dict[str, list[MeasureInfo]] = defaultdict(list)
        for r in _rows(store, Q_MEASURES):
            d = docs.get(r["g"])
            if d is None:
                continue
            key = I.key_from_document_iri(r["g"])
            m = MeasureInfo(
                iri=r["m"], doc_key=key, docno=d.get("docno"), doc_title=d["title"], ordinal=int(r["ordinal"]),
                number=int(r["number"]), label=r["label"], heading=r["heading"], text=r["text"],
                start=int(r["start"]), end=int(r["end"]), section=section_of.get(r["m"]),
            )
            per_doc[r["g"]].append(m)
        for d_iri, r in sorted(docs.items()):
            ms = sorted(per_doc.get(d_iri, []), key=lambda m: m.ordinal)
            for m in ms:
                self._measures[m.iri] = m
            key = I.key_from_document_iri(d_iri)
            self._docs[key] = DocumentInfo(
                iri=d_iri, key=key, docno=r.get("docno"), title=r["title"], date=r.get("date"),
                kind=r.get("kind", "text"), measures=tuple(m.iri for m in ms),
            )

    def _load_entities(self, store: Any) -> None:
        types: dict[str, tuple[int, str]] = {}
        for r in _rows(store, Q_TYPES % I.ENTITY_BASE):
            local = r["t"].rsplit("#", 1)[-1]
            if local not in _CLASS_TYPE:
                continue
            rank = 0 if r["g"] == I.GAZETTEER_GRAPH else 1
            cand = (rank, _CLASS_TYPE[local])
            if r["e"] not in types or cand < types[r["e"]]:
                types[r["e"]] = cand
            if rank:
                self._used_entities.add(r["e"])
        zh: dict[str, tuple[int, str]] = {}
        en: dict[str, tuple[int, str]] = {}
        aliases: dict[str, set[str]] = defaultdict(set)
        for r in _rows(store, Q_LABELS % I.ENTITY_BASE):
            e, label, rank = r["e"], r["l"], 0 if r["g"] == I.GAZETTEER_GRAPH else 1
            if r["p"].endswith("prefLabel"):
                table = en if r.get("lang", "").startswith("en") else zh
                if e not in table or (rank, label) < table[e]:
                    table[e] = (rank, label)
            else:
                aliases[e].add(label)
        for e, (_, etype) in types.items():
            label_zh = zh.get(e, (0, I.key_from_entity_iri(e)))[1]
            label_en = en[e][1] if e in en else None
            als = tuple(sorted(aliases.get(e, set()) - {label_zh, label_en}))
            info = EntityInfo(e, I.key_from_entity_iri(e), etype, label_zh, label_en, als)
            self._entities[e] = info
            for name in {label_zh, label_en, *als, info.key} - {None}:
                norm = normalize_label(name)
                if norm:
                    bucket = self._labels.setdefault(norm, [])
                    if e not in bucket:
                        bucket.append(e)

    def _load_involvements(self, store: Any) -> None:
        for r in _rows(store, Q_INVOLVEMENTS):
            owner, e = r["owner"], r["e"]
            if owner not in self._measures:
                continue
            roles, ev = self._by_entity.setdefault(e, {}).setdefault(owner, (set(), set()))
            roles.add(r["role"])
            ev.add(Evidence(r["exact"], int(r["start"]), int(r["end"])))
            self._by_measure.setdefault(owner, {}).setdefault(e, set()).add(r["role"])

    # --- entities ------------------------------------------------------------------
    def resolve(self, name: str) -> list[EntityInfo]:
        """Every entity whose zh label, alias or English label equals ``name`` (case/space-insensitive)."""
        return [self._entities[e] for e in self._labels.get(normalize_label(name), [])]

    def label_index(self) -> dict[str, list[str]]:
        """Normalised label (zh, alias, en) -> entity IRIs."""
        return {k: list(v) for k, v in self._labels.items()}

    def entity(self, iri: str) -> EntityInfo | None:
        return self._entities.get(iri)

    def entities(self) -> list[EntityInfo]:
        return sorted(self._entities.values(), key=lambda e: e.iri)

    # --- measures ------------------------------------------------------------------
    def measures_involving(self, iri: str) -> list[Involvement]:
        """Every measure with a mention of the entity, sorted by document key and ordinal."""
        out = []
        for m_iri, (roles, ev) in self._by_entity.get(iri, {}).items():
            m = self._measures[m_iri]
            out.append(
                Involvement(m_iri, m.doc_key, m.ordinal, m.number, tuple(sorted(roles)),
                            tuple(sorted(ev, key=lambda x: (x.start, x.end))))
            )
        out.sort(key=lambda i: (i.doc_key, i.ordinal))
        return out

    def entities_of(self, measure_iri: str) -> list[tuple[EntityInfo, tuple[str, ...]]]:
        """Entities a measure mentions, with their roles."""
        got = self._by_measure.get(measure_iri, {})
        return [(self._entities[e], tuple(sorted(r))) for e, r in sorted(got.items()) if e in self._entities]

    def related_measures(self, measure_iri: str, limit: int = 10) -> list[tuple[str, float, tuple[str, ...]]]:
        """Measures sharing entities with this one, weighted by how specific each shared entity is."""
        scores: dict[str, float] = defaultdict(float)
        shared: dict[str, list[str]] = defaultdict(list)
        total = max(len(self._measures), 1)
        for e in self._by_measure.get(measure_iri, {}):
            ms = self._by_entity.get(e, {})
            w = math.log(1 + total / len(ms))
            for other in ms:
                if other != measure_iri:
                    scores[other] += w
                    shared[other].append(e)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(m, round(s, 6), tuple(sorted(shared[m]))) for m, s in ranked]

    def measure(self, iri: str) -> MeasureInfo | None:
        return self._measures.get(iri)

    def measures(self) -> list[MeasureInfo]:
        return sorted(self._measures.values(), key=lambda m: (m.doc_key, m.ordinal))

    # --- documents -----------------------------------------------------------------
    def document(self, key: str) -> DocumentInfo | None:
        return self._docs.get(key)

    def documents(self) -> list[DocumentInfo]:
        return [self._docs[k] for k in sorted(self._docs)]

    def cites(self, doc_key: str) -> list[str]:
        return sorted(self._cites.get(doc_key, []))

    def cited_by(self, doc_key: str) -> list[str]:
        return sorted(self._cited_by.get(doc_key, []))

    def annexes(self, doc_key: str) -> list[str]:
        """Keys of the attachment documents of a document."""
        return sorted(b for a, b in self._annexes if a == doc_key)

    # --- graph ---------------------------------------------------------------------
    @property
    def nx(self) -> Any:
        """A networkx ``MultiDiGraph`` of documents, measures and entities (built on first use)."""
        if self._nx is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            for d in self._docs.values():
                g.add_node(d.iri, label=d.docno or d.title, type="document")
            for m in self._measures.values():
                g.add_node(m.iri, label=f"{m.doc_key} {m.label} {m.heading}", type="measure")
                g.add_edge(m.iri, self._docs[m.doc_key].iri, label="is_part_of")
            for e, ms in self._by_entity.items():
                info = self._entities.get(e)
                g.add_node(e, label=info.label_zh if info else e, type=info.type if info else "entity")
                for m_iri, (roles, _) in ms.items():
                    for role in sorted(roles):
                        g.add_edge(m_iri, e, label=role)
            for a, bs in self._cites.items():
                for b in bs:
                    if a in self._docs and b in self._docs:
                        g.add_edge(self._docs[a].iri, self._docs[b].iri, label="cites")
            for a, b in self._annexes:
                if a in self._docs and b in self._docs:
                    g.add_edge(self._docs[a].iri, self._docs[b].iri, label="has_annex")
            self._nx = g
        return self._nx

    def neighbourhood(self, iri: str, depth: int = 1, limit: int = 60) -> dict:
        """Nodes within ``depth`` hops of ``iri`` (either direction), at most ``limit`` nodes."""
        g = self.nx
        if iri not in g:
            return {"nodes": [], "edges": []}
        seen = [iri]
        frontier = [iri]
        for _ in range(max(depth, 0)):
            nxt = []
            for n in frontier:
                for other in sorted(set(g.successors(n)) | set(g.predecessors(n))):
                    if other not in seen and len(seen) < limit:
                        seen.append(other)
                        nxt.append(other)
            frontier = nxt
        keep = set(seen)
        nodes = [{"id": n, "label": g.nodes[n].get("label", n), "type": g.nodes[n].get("type", "")} for n in seen]
        edges = [
            {"source": a, "target": b, "label": data.get("label", "")}
            for a, b, data in g.edges(seen, data=True)
            if a in keep and b in keep
        ]
        return {"nodes": nodes, "edges": edges}

    def stats(self) -> dict:
        """Documents, measures, entities by type (those the documents mention or name), triples."""
        by_type: dict[str, int] = defaultdict(int)
        for e in self._used_entities:
            if e in self._entities:
                by_type[self._entities[e].type] += 1
        return {
            "documents": len(self._docs),
            "measures": len(self._measures),
            "entities": dict(sorted(by_type.items())),
            "gazetteer_entities": len(self._entities),
            "triples": self._triples,
        }
