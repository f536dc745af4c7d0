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
  ``eli:based_on`` / ``eli:repeals`` / ``pkg:implementsDocument`` by kind, ``pkg:citesVersion``,
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

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graph import iri as I
from graph import vocab as V

RELATIONS_GRAPH = I.GRAPH_BASE + "relations"
WORK_BASE = I.ID_BASE + "work/"
FORMAT = 1
_BRACKETS = re.compile(r"[\s《》〈〉<>“”\"'‘’]")
_WRAPPER = re.compile(r"(?:关于)?(?:印发|转发|发布|颁布)(.+?)的(?:通知|决定|公告|令)$")
_PRC = "中华人民共和国"
_CN = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}

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


def norm_title(title: str) -> str:
    """NFKC, no spaces, brackets or quotes.

    >>> norm_title("《广东省实施〈中华人民共和国 土地管理法〉办法》")
    '广东省实施中华人民共和国土地管理法办法'
    """
    return _BRACKETS.sub("", unicodedata.normalize("NFKC", title or ""))


def work_iri(title: str) -> str:
    return WORK_BASE + hashlib.sha1(norm_title(title).encode("utf-8")).hexdigest()[:16]


def article_number(label: str) -> str:
    """Fold an article label to a comparable form (第十二条 and 第12条 alike).

    >>> article_number("第一百零二条") == article_number("第102条"), article_number("第十条之一")
    (True, '10之1')
    """
    s = unicodedata.normalize("NFKC", label).strip()
    m = re.match(r"第([^条]+)条(?:之(.+))?", s)
    if not m:
        return s
    def num(t: str) -> str:
        if t.isdigit():
            return str(int(t))
        total, cur = 0, 0
        for ch in t:
            if ch in _CN:
                cur = _CN[ch]
            elif ch in "十百千":
                total += (cur or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
                cur = 0
            else:
                return t
        return str(total + cur)
    return num(m.group(1)) + (f"之{num(m.group(2))}" if m.group(2) else "")


@dataclass(slots=True)
class Version:
    iri: str
    key: str
    title: str
    kind: str
    docno: str | None
    date: str | None  # date of issue (eli:date_document)
    version_date: str | None
    entry_into_force: str | None
    page_validity: str | None
    work: str | None = None  # work IRI (laws only)
    end: str | None = None  # eli:date_no_longer_in_force
    status: str = "in_force"
    repealed_by: list[str] = field(default_factory=list)  # document IRIs

    @property
    def start(self) -> str | None:
        return self.entry_into_force or self.version_date or self.date

    @property
    def ref_date(self) -> str | None:
        """The date a citation of this document speaks from."""
        return self.version_date or self.date


@dataclass(slots=True)
class Work:
    iri: str
    title: str
    versions: list[str]  # document IRIs in date order


@dataclass(slots=True)
class Link:
    citation: str  # citation node IRI
    source: str  # citing document IRI
    owner: str  # measure (or document) IRI the citation is in
    kind: str
    title: str
    article: str | None
    short: bool
    start: int | None
    end: int | None
    target: str | None = None  # cited document (edition) IRI
    work: str | None = None  # cited work IRI
    target_measure: str | None = None  # the cited article, when named and found
    how: str | None = None  # how the title matched: exact | prc | wrapper


class Relations:
    """Works, versions, validity and resolved citations of one generation."""

    def __init__(self, versions: dict[str, Version], works: dict[str, Work], links: list[Link]):
        self.versions = versions
        self.works = works
        self.links = links
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
    def compute(cls, store: Any) -> Relations:
        """Read the per-document facts from ``store`` and resolve them."""
        docs = store.query(V.SPARQL_PROLOGUE + Q_DOCS)
        cites = store.query(V.SPARQL_PROLOGUE + Q_CITES)
        extra: dict[str, dict] = defaultdict(dict)
        for q in Q_CITE_PARTS.values():
            for r in store.query(V.SPARQL_PROLOGUE + q):
                extra[r["c"]].update((k, v) for k, v in r.items() if k != "c")
        for r in cites:
            r.update(extra.get(r["c"], ()))
        rel = cls.from_rows(docs, cites)
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
        works = _group_works(versions)
        index = _title_index(versions, works)
        links = []
        for r in cites:
            src = versions.get(r["d"])
            if src is None:
                continue
            link = Link(r["c"], r["d"], r["owner"], r["kind"], r["title"], r.get("article"),
                        r.get("short") in ("true", "1"), _int(r.get("start")), _int(r.get("end")))
            _resolve(link, src, index, versions, works)
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
        from pyoxigraph import Literal, NamedNode, Quad

        from graph import temporal as T

        g = NamedNode(RELATIONS_GRAPH)
        out = []
        for w in self.works.values():
            wn = NamedNode(w.iri)
            out += [Quad(wn, V.RDF_TYPE, V.ELI_LEGAL_RESOURCE, g), Quad(wn, V.RDF_TYPE, T.PKG_WORK, g),
                    Quad(wn, V.DCT_TITLE, Literal(w.title, language="zh"), g)]
            for k in w.versions:
                out += [Quad(wn, T.ELI_IS_REALIZED_BY, NamedNode(k), g), Quad(NamedNode(k), T.ELI_REALIZES, wn, g),
                        Quad(NamedNode(k), V.RDF_TYPE, T.ELI_LEGAL_EXPRESSION, g)]
        for v in self.versions.values():
            d = NamedNode(v.iri)
            if v.status in T.STATUS_NODE:
                out.append(Quad(d, T.PKG_VALIDITY, T.STATUS_NODE[v.status], g))
            live = v.status in ("in_force", "amended", "partly_expired")
            out.append(Quad(d, T.ELI_IN_FORCE, T.ELI_IN_FORCE_YES if live else T.ELI_IN_FORCE_NO, g))
            if v.end:
                out.append(Quad(d, T.ELI_NO_LONGER_IN_FORCE, Literal(v.end, datatype=V.XSD_DATE), g))
            for s in v.repealed_by:
                out.append(Quad(d, T.ELI_REPEALED_BY, NamedNode(s), g))
        seen = set()
        for x in self.links:
            c = NamedNode(x.citation)
            tgt = x.target or x.work
            if tgt is None:
                out.append(Quad(c, T.PKG_UNRESOLVED, Literal("true", datatype=T.XSD_BOOLEAN), g))
                continue
            if x.target:
                out.append(Quad(c, T.PKG_CITES_VERSION, NamedNode(x.target), g))
            if x.work:
                out.append(Quad(c, T.PKG_CITES_WORK, NamedNode(x.work), g))
            if x.target_measure:
                out.append(Quad(c, T.PKG_CITES_MEASURE, NamedNode(x.target_measure), g))
            for prop in {T.KIND_PROPERTY[x.kind], T.ELI_CITES}:
                if (x.source, prop.value, tgt) not in seen:
                    seen.add((x.source, prop.value, tgt))
                    out.append(Quad(NamedNode(x.source), prop, NamedNode(tgt), g))
        return out


def _int(s: str | None) -> int | None:
    return int(s) if s not in (None, "") else None


def _group_works(versions: dict[str, Version]) -> dict[str, Work]:
    groups: dict[str, list[Version]] = defaultdict(list)
    for v in versions.values():
        if v.kind == "law":
            groups[norm_title(v.title)].append(v)
    works = {}
    for title, vs in groups.items():
        vs.sort(key=lambda v: (v.version_date or v.date or "", v.start or "", v.key))
        w = Work(work_iri(title), vs[0].title, [v.iri for v in vs])
        for v in vs:
            v.work = w.iri
        works[w.iri] = w
    return works


def _title_index(versions: dict[str, Version], works: dict[str, Work]) -> dict[str, dict[str, set[str]]]:
    """Normalised title form -> how it matches (exact | prc | wrapper) -> work or document IRIs."""
    index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for v in versions.values():
        if v.kind == "attachment":
            continue
        ref = v.work or v.iri
        t = norm_title(v.title)
        index[t]["exact"].add(ref)
        if t.startswith(_PRC) and len(t) > len(_PRC) + 1:
            index[t[len(_PRC):]]["prc"].add(ref)
        m = _WRAPPER.search(t)
        if m and len(m.group(1)) >= 4:
            index[m.group(1)]["wrapper"].add(ref)
        if v.docno:
            index[norm_title(v.docno)]["exact"].add(ref)
    return index


def _resolve(link: Link, src: Version, index, versions: dict[str, Version], works: dict[str, Work]) -> None:
    t = norm_title(link.title)
    forms = index.get(t) or {}
    if not forms and not t.startswith(_PRC):
        forms = {("prc" if h == "exact" else h): r for h, r in (index.get(_PRC + t) or {}).items() if h == "exact"}
    order = ("exact", "prc") if link.short else ("exact", "prc", "wrapper")
    own = {src.iri, src.work}
    for how in order:
        refs = set(forms.get(how, ())) - own
        if not refs:
            continue
        if len(refs) > 1:  # ambiguous: prefer laws (national) over other kinds
            laws = {r for r in refs if r in works}
            refs = laws if len(laws) == 1 else refs
        if len(refs) != 1:
            return
        (ref,) = refs
        link.how = how
        if ref in works:
            link.work = ref
            link.target = _edition_at(works[ref], versions, src.ref_date)
        else:
            link.target = ref
        return


def _edition_at(work: Work, versions: dict[str, Version], day: str | None) -> str | None:
    """The edition of ``work`` a document of ``day`` cites: the latest not dated after it."""
    vs = [versions[k] for k in work.versions]
    if not day:
        return vs[-1].iri
    ok = [v for v in vs if (v.version_date or v.date or "") <= day]
    return ok[-1].iri if ok else None


def refresh_relations(store: Any, folder: Path | None = None) -> Relations:
    """Recompute the relations graph in ``store`` (one replace); save the table in ``folder``."""
    rel = Relations.compute(store)
    store.replace_graph(RELATIONS_GRAPH, rel.quads())
    if folder is not None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        rel.save(Path(folder) / "relations.json")
    return rel
