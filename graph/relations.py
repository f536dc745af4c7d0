"""Documents in time and in relation, computed over the whole corpus after every ingest.

Read from the store (the per-document facts of :mod:`graph.temporal`), written back into the
named graph ``…/graph/relations`` and kept as a plain table (``relations.json`` in the generation)
that the service reads:

- **works and versions**: the editions of a law or regulation (same title, kind ``law``) are one
  work (``pkg:Work``, an ``eli:LegalResource``; ``eli:is_realized_by`` each edition, which
  ``eli:realizes`` it and is an ``eli:LegalExpression``), in order of ``eli:version_date``; every
  edition but the newest ends (``eli:date_no_longer_in_force``) when the next enters into force;
- **validity**: ``pkg:validity`` ``in_force`` / ``superseded`` / ``repealed`` (a resolved repeal
  clause) / the page's 有效性 (``expired``, ``amended`` …) and ``eli:in_force``;
- **citations**: every ``pkg:Citation`` resolved to a document of the index by title (exact, or
  中华人民共和国 + a short name, or the inner title of a 关于印发X的通知), choosing the edition
  whose version date is the latest not after the citing document's date; ``eli:cites`` /
  ``eli:based_on`` / ``eli:repeals`` / ``eli:changes`` / ``pkg:implementsDocument`` by kind, ``pkg:citesVersion``,
  ``pkg:citesWork`` and ``pkg:citesMeasure`` (article targets) on the citation node; a 《…》
  citation that matches nothing keeps its title and ``pkg:unresolved true``. A short name without
  《》 that matches nothing is dropped (nothing tells it apart from ordinary words).

>>> r = Relations.from_rows(
...     [{"d": I.document_iri("a"), "title": "甲法", "kind": "law", "vdate": "1996-05-15", "force": "1996-09-01"},
...      {"d": I.document_iri("b"), "title": "甲法", "kind": "law", "vdate": "2022-04-20", "force": "2022-05-01"}], [])
>>> [v.status for v in r.versions_of("a")], r.in_force_on("a", "2020-01-01"), r.in_force_on("b", "2020-01-01")
(['superseded', 'in_force'], True, False)
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graph import iri as I
from graph import vocab as V
from graph.relations_resolve import (  # noqa: F401  (re-exported: the table's records and title functions)
    WORK_BASE, Link, Version, Work, article_number, group_works, norm_title, resolve, title_index, work_iri)

RELATIONS_GRAPH = I.GRAPH_BASE + "relations"
FORMAT = 1

Q_DOCS = """SELECT ?d ?title ?kind ?docno ?date ?vdate ?force ?validity WHERE { GRAPH ?d {
  ?d a eli:LegalResource ; dct:title ?title .
  OPTIONAL { ?d pkg:kind ?kind } OPTIONAL { ?d eli:id_local ?docno } OPTIONAL { ?d eli:date_document ?date }
  OPTIONAL { ?d eli:version_date ?vdate } OPTIONAL { ?d eli:first_date_entry_in_force ?force }
  OPTIONAL { ?d pkg:pageValidity ?validity } } }"""
# Citations are read in four plain queries joined here: one query with three OPTIONALs takes
# about six times as long on the full corpus (4.4 s against 0.7 s).
Q_CITES = """SELECT ?d ?c ?kind ?title ?owner WHERE { GRAPH ?d {
  ?c pkg:citationKind ?kind ; pkg:citedTitle ?title ; prov:wasDerivedFrom ?owner } }"""
Q_CITE_PARTS = {
    "article": "SELECT ?c ?article WHERE { GRAPH ?d { ?c pkg:citedArticle ?article } }",
    "short": "SELECT ?c ?short WHERE { GRAPH ?d { ?c pkg:shortName ?short } }",
    "span": "SELECT ?c ?start ?end WHERE { GRAPH ?d { ?c pkg:citedTitle ?t ; oa:hasSelector ?s . "
            "?s oa:start ?start ; oa:end ?end } }",
}
Q_ARTICLES = """SELECT ?g ?m ?label WHERE { GRAPH ?g { ?m a pkg:Measure ; pkg:numberLabel ?label } VALUES ?g { %s } }"""


class Relations:
    """Works, versions, validity and resolved citations of one generation."""

    def __init__(self, versions: dict[str, Version], works: dict[str, Work], links: list[Link]):
        self.versions = versions
        self.works = works
        self.links = links
        self.rows: dict[str, dict] = {}  # what compute read of each graph (saved as ROWS_FILE)
        self._out: dict[str, list[Link]] = defaultdict(list)
        self._in: dict[str, list[Link]] = defaultdict(list)
        for link in links:
            self._out[link.source].append(link)
            if link.target:
                self._in[link.target].append(link)
            if link.work:
                self._in[link.work].append(link)
        self.by_key = {v.key: v for v in versions.values()}

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def compute(cls, store: Any, known: dict[str, dict] | None = None) -> Relations:
        """Read the per-document facts from ``store`` and resolve them.

        ``known``: the rows (``rel.rows``: ``{graph: {"docs": [row], "cites": [row]}}``) of graphs that
        are as they were, from an earlier generation's :data:`ROWS_FILE`; only the other graphs are
        queried. Without ``known``, or with more than :data:`_FEW_GRAPHS` others, the whole store is.
        """
        rows = dict(known or {})
        graphs = None
        if rows:
            graphs = sorted(set(store.graphs()).difference(rows))  # every other graph, as the whole read would
            if len(graphs) > _FEW_GRAPHS:
                rows, graphs = {}, None
        if graphs is None or graphs:
            rows.update(_read_rows(store, graphs))
        docs = [r for g in sorted(rows) for r in rows[g]["docs"]]
        cites = [r for g in sorted(rows) for r in rows[g]["cites"]]
        rel = cls.from_rows(docs, cites)
        rel.rows = rows
        wanted = sorted({link.target for link in rel.links if link.target and link.article})
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        for i in range(0, len(wanted), 200):
            values = " ".join(f"<{t}>" for t in wanted[i:i + 200])
            for r in store.query(V.SPARQL_PROLOGUE + Q_ARTICLES % values):
                labels[r["g"]].setdefault(article_number(r["label"]), r["m"])
        for link in rel.links:
            if link.target and link.article:
                link.target_measure = labels.get(link.target, {}).get(article_number(link.article))
        return rel

    @classmethod
    def from_rows(cls, docs: list[dict], cites: list[dict]) -> Relations:
        versions: dict[str, Version] = {}
        for r in docs:
            if r["d"] in versions:
                continue
            validity = r.get("validity")
            if validity:
                from graph.temporal import NODE_STATUS

                validity = NODE_STATUS.get(validity, validity)
            versions[r["d"]] = Version(
                r["d"], I.key_from_document_iri(r["d"]), r["title"], r.get("kind") or "text", r.get("docno"),
                r.get("date"), r.get("vdate"), r.get("force"), validity)
        works = group_works(versions)
        index = title_index(versions, works)
        links = []
        for r in cites:
            src = versions.get(r["d"])
            if src is None:
                continue
            link = Link(r["c"], r["d"], r["owner"], r["kind"], r["title"], r.get("article"),
                        r.get("short") in ("true", "1"), _int(r.get("start")), _int(r.get("end")))
            resolve(link, src, index, versions, works)
            if link.short and link.work is None and link.target is None:
                continue  # an unmatched short name: not told apart from ordinary words
            links.append(link)
        links.sort(key=lambda x: (x.source, x.start if x.start is not None else -1, x.citation))
        rel = cls(versions, works, links)
        rel._validity()
        return rel

    def _validity(self) -> None:
        for link in self.links:
            if link.kind == "repeals":
                for t in self._repeal_targets(link):
                    self.versions[t].repealed_by.append(link.source)
        for w in self.works.values():
            # editions of one date are one edition (parts such as 民法典's 编, or copies from two sources)
            groups: list[list[Version]] = []
            for v in (self.versions[k] for k in w.versions):
                if groups and (groups[-1][0].version_date or "") == (v.version_date or ""):
                    groups[-1].append(v)
                else:
                    groups.append([v])
            for older, newer in zip(groups, groups[1:]):
                for a in older:
                    a.status = "superseded"
                    a.end = newer[0].start
        for v in self.versions.values():
            if v.status == "superseded":
                continue
            if v.repealed_by:
                v.status = "repealed"
                v.end = min((self.versions[s].start or "9999") for s in v.repealed_by)
                if v.end == "9999":
                    v.end = None
            elif v.page_validity in ("expired", "repealed"):
                v.status = v.page_validity
            elif v.page_validity:
                v.status = v.page_validity

    def _repeal_targets(self, link: Link) -> list[str]:
        if link.work:  # the whole work ends: its newest edition is the one repealed
            return [self.works[link.work].versions[-1]]
        return [link.target] if link.target else []

    # -- reading -------------------------------------------------------------------------------

    def version(self, ref: str) -> Version | None:
        return self.versions.get(ref) or self.by_key.get(ref)

    def versions_of(self, ref: str) -> list[Version]:
        """Every edition of the work ``ref`` (a document IRI or key) belongs to, in date order."""
        v = self.version(ref)
        if v is None:
            return []
        if v.work is None:
            return [v]
        return [self.versions[k] for k in self.works[v.work].versions]

    def in_force_on(self, ref: str, day: str) -> bool:
        """Whether the document was in force on ``day`` (ISO date).

        In force from its entry into force (else version date, else date of issue) until
        ``eli:date_no_longer_in_force``; a document the page marks 失效 / 已废止 without a date
        counts as not in force on any day; a document without any date counts as in force.
        """
        v = self.version(ref)
        if v is None:
            return True
        if v.start and day < v.start:
            return False
        if v.end and day >= v.end:
            return False
        if v.end is None and v.status in ("expired", "repealed"):
            return False
        return True

    def outgoing(self, ref: str, kind: str | None = None) -> list[Link]:
        v = self.version(ref)
        return [x for x in self._out.get(v.iri if v else ref, []) if kind is None or x.kind == kind]

    def incoming(self, ref: str, kind: str | None = None) -> list[Link]:
        """Citations of the document ``ref`` (as the resolved edition, or of its work)."""
        v = self.version(ref)
        if v is None:
            return []
        seen: dict[str, Link] = {}
        for x in self._in.get(v.iri, []):
            seen[x.citation] = x
        if v.work:
            for x in self._in.get(v.work, []):
                if x.target in (None, v.iri):
                    seen[x.citation] = x
        return [x for x in seen.values() if kind is None or x.kind == kind]

    # -- persistence and RDF -------------------------------------------------------------------

    def save(self, path: Path) -> None:
        body = {"format": FORMAT, "versions": [asdict(v) for v in self.versions.values()],
                "works": [asdict(w) for w in self.works.values()], "links": [asdict(x) for x in self.links]}
        tmp = Path(path).with_suffix(".tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Relations | None:
        """The table saved at ``path``, or None when missing or of another format."""
        try:
            body = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if body.get("format") != FORMAT:
            return None
        versions = {v["iri"]: Version(**v) for v in body["versions"]}
        works = {w["iri"]: Work(**w) for w in body["works"]}
        return cls(versions, works, [Link(**x) for x in body["links"]])

    def quads(self) -> list:
        from graph.relations_rdf import relations_quads

        return relations_quads(self, RELATIONS_GRAPH)


def _int(s: str | None) -> int | None:
    return int(s) if s not in (None, "") else None


#: At most this many graphs besides the known rows are read in queries restricted to them (``VALUES``);
#: past it the whole store is read, which then costs about as much.
_FEW_GRAPHS = 400


def _restricted(query: str, graphs: list[str] | None) -> str:
    """``query`` (whose graph variable is ``?d``) over ``graphs`` only (all when None)."""
    if graphs is None:
        return V.SPARQL_PROLOGUE + query
    values = "VALUES ?d { " + " ".join(f"<{g}>" for g in graphs) + " } "
    at = query.index("WHERE {") + len("WHERE {")
    return V.SPARQL_PROLOGUE + query[:at] + " " + values + query[at:]


def _read_rows(store: Any, graphs: list[str] | None) -> dict[str, dict]:
    """The rows (see :meth:`Relations.compute`) of the graphs ``graphs`` (all when None), read by SPARQL."""
    out: dict[str, dict] = {}
    for r in store.query(_restricted(Q_DOCS, graphs)):
        out.setdefault(r["d"], {"docs": [], "cites": []})["docs"].append(r)
    cites = store.query(_restricted(Q_CITES, graphs))
    extra: dict[str, dict] = defaultdict(dict)
    for q in Q_CITE_PARTS.values():
        for r in store.query(_restricted(q, graphs)):
            extra[r["c"]].update((k, v) for k, v in r.items() if k != "c")
    for r in cites:
        r.update(extra.get(r["c"], ()))
        out.setdefault(r["d"], {"docs": [], "cites": []})["cites"].append(r)
    for rows in out.values():  # an order of their own, not the store's
        rows["docs"].sort(key=lambda r: sorted(r.items()))
        rows["cites"].sort(key=lambda r: (r["c"], sorted(r.items())))
    return out


def save_rows(rows: dict[str, dict], path: Path) -> None:
    from core.files import write_atomic

    body = json.dumps({"format": FORMAT, "graphs": rows}, ensure_ascii=False, separators=(",", ":"))
    write_atomic(Path(path), body.encode("utf-8"), durable=False)


def load_rows(path: Path) -> dict[str, dict] | None:
    """The rows :func:`save_rows` wrote, or None (missing, damaged, another format)."""
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    graphs = body.get("graphs") if isinstance(body, dict) and body.get("format") == FORMAT else None
    return graphs if isinstance(graphs, dict) else None


#: Files beside ``relations.json`` that the next ingest reads to do less: the relations graph's
#: quads as N-Quads, the alignment quads of every implements pair, and the facts read of each document graph.
GRAPH_FILE, PAIRS_FILE, ROWS_FILE = "relations.nq", "alignments.json", "relations-rows.json"


def refresh_relations(store: Any, folder: Path | None = None, previous: Path | None = None,
                      unchanged: frozenset[str] = frozenset()) -> Relations:
    """Recompute the relations graph in ``store`` (one update); save the table in ``folder``.

    Args:
        folder: where to save the table (and, for the next ingest, the graph's quads and alignments); an
            embedded store given with a folder is a generation being built, which no reader has open.
        previous: the folder of the store's earlier state (the live generation), whose graphs of the
            documents ``unchanged`` (their IRIs) are the same: their implements pairs keep their
            alignments, and on an embedded store only the quads that differ from the previous
            relations graph are deleted and inserted (the whole graph, ~70,000 quads on the full
            corpus, took ~7 s to replace).
    """
    from pyoxigraph import RdfFormat, parse, serialize

    from graph.align_rdf import alignment_pairs, load_pairs, save_pairs

    known = None
    if previous is not None and unchanged:
        known = load_rows(Path(previous) / ROWS_FILE)
        known = {g: r for g, r in known.items() if g in unchanged} if known else None
    rel = Relations.compute(store, known)
    reuse = load_pairs(Path(previous) / PAIRS_FILE) if previous is not None else None
    pairs = alignment_pairs(store, rel, RELATIONS_GRAPH, reuse, unchanged)
    quads = rel.quads() + [q for part in pairs.values() for q in part]
    old = None
    if previous is not None and getattr(store, "per_generation", False):
        try:
            old = list(parse(path=str(Path(previous) / GRAPH_FILE), format=RdfFormat.N_QUADS))
        except (OSError, SyntaxError, ValueError):
            old = None  # no earlier graph file: replace the whole graph
    if old is not None:
        store.patch_graph(RELATIONS_GRAPH, old, quads)
    elif folder is not None and getattr(store, "per_generation", False):
        store.load_graph(RELATIONS_GRAPH, quads)  # a generation being built: no reader sees it yet
    else:
        store.replace_graph(RELATIONS_GRAPH, quads)
    if folder is not None:
        from core.files import write_atomic

        Path(folder).mkdir(parents=True, exist_ok=True)
        rel.save(Path(folder) / "relations.json")
        write_atomic(Path(folder) / GRAPH_FILE, serialize(quads, format=RdfFormat.N_QUADS) or b"", durable=False)
        save_pairs(pairs, Path(folder) / PAIRS_FILE)
        save_rows(rel.rows, Path(folder) / ROWS_FILE)
    return rel
