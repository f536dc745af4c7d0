"""Cross-document links, recomputed after every ingest into the named graph ``…/graph/links``.

- ``eli:cites`` from a citing document to every stored document whose 发文字号 or title
  matches a citation (``pkg:citesTitle`` / ``pkg:citesDocno``); titles match with or
  without 《》 and through "关于印发X的通知" / "转发X的通知" wrappers, so the Baoding policy's
  《国家职业教育改革实施方案》 links to 国发〔2019〕4号 "国务院关于印发国家职业教育改革实施方案的通知".
- ``eli:has_annex`` / ``eli:is_annex_of`` between a parent and an attachment document whose
  title is in the parent's attachment list (links from ``Document.parent`` live in the
  attachment's own graph already).

>>> sorted(title_forms("国务院关于印发国家职业教育改革实施方案的通知"))
['国务院关于印发国家职业教育改革实施方案的通知', '国家职业教育改革实施方案']
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

from pyoxigraph import NamedNode, Quad

from graph import iri as I
from graph import vocab as V

_SPACE = re.compile(r"\s+")
_WRAPPERS = [
    re.compile(r"关于(?:印发|转发|发布|颁布)(.+?)的(?:通知|决定|公告|令)$"),
    re.compile(r"^(?:.*?)(?:印发|转发)(.+?)的(?:通知|决定)$"),
]
_BRACKETS = re.compile(r"[《》〈〉<>“”\"]")


def norm_title(title: str) -> str:
    """NFKC, no spaces, no 《》 or quotes.

    >>> norm_title(" 《国家职业教育改革 实施方案》")
    '国家职业教育改革实施方案'
    """
    return _BRACKETS.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", title)))


def norm_docno(docno: str) -> str:
    """Fold bracket variants of a 发文字号: 〔〕, [], 【】, （） all become 〔〕.

    >>> norm_docno("国发[2019]4号") == norm_docno("国发〔2019〕4号")
    True
    """
    s = unicodedata.normalize("NFKC", docno)
    s = re.sub(r"[\[【（(]", "〔", s)
    s = re.sub(r"[\]】）)]", "〕", s)
    return _SPACE.sub("", s)


def title_forms(title: str) -> set[str]:
    """The title and the inner titles a citation may use for it."""
    t = norm_title(title)
    forms = {t} if t else set()
    for pat in _WRAPPERS:
        m = pat.search(t)
        if m:
            inner = m.group(1)
            forms.add(inner)
    return {f for f in forms if len(f) >= 4}


def _rows(store: Any, q: str) -> list[dict[str, str]]:
    return store.query(V.SPARQL_PROLOGUE + q)


def compute_links(store: Any) -> list[Quad]:
    """The quads of the links graph for the documents currently in ``store``."""
    g = NamedNode(I.LINKS_GRAPH)
    docs = _rows(store, "SELECT ?d ?title ?kind WHERE { GRAPH ?d { ?d a eli:LegalResource ; dct:title ?title . "
                        "OPTIONAL { ?d pkg:kind ?kind } } }")
    docnos = _rows(store, "SELECT ?d ?n WHERE { GRAPH ?d { ?d eli:id_local ?n } }")
    by_title: dict[str, set[str]] = defaultdict(set)
    by_docno: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for r in docs:
        kinds[r["d"]] = r.get("kind", "")
        for form in title_forms(r["title"]):
            by_title[form].add(r["d"])
    for r in docnos:
        by_docno[norm_docno(r["n"])].add(r["d"])
    out: set[tuple[str, str, str]] = set()
    cites = _rows(store, "SELECT ?d ?p ?v WHERE { GRAPH ?d { ?d ?p ?v . VALUES ?p { pkg:citesTitle pkg:citesDocno } } }")
    for r in cites:
        targets = by_docno.get(norm_docno(r["v"]), set()) if r["p"].endswith("citesDocno") else set()
        targets = targets or by_title.get(norm_title(r["v"]), set()) or by_docno.get(norm_docno(r["v"]), set())
        for t in targets:
            if t != r["d"]:
                out.add((r["d"], V.ELI_CITES.value, t))
    annex_titles = _rows(store, "SELECT ?d ?t WHERE { GRAPH ?d { ?d pkg:attachmentTitle ?t } }")
    parents_of: dict[str, set[str]] = defaultdict(set)
    for r in annex_titles:
        parents_of[norm_title(r["t"])].add(r["d"])
    for r in docs:
        if kinds.get(r["d"]) != "attachment":
            continue
        parents = parents_of.get(norm_title(r["title"]), set()) - {r["d"]}
        if len(parents) == 1:
            (p,) = parents
            out.add((p, V.ELI_HAS_ANNEX.value, r["d"]))
            out.add((r["d"], V.ELI_IS_ANNEX_OF.value, p))
    return [Quad(NamedNode(s), NamedNode(p), NamedNode(o), g) for s, p, o in sorted(out)]


def refresh_links(store: Any) -> int:
    """Recompute the links graph in ``store`` (one replace); returns the number of links."""
    quads = compute_links(store)
    store.replace_graph(I.LINKS_GRAPH, quads)
    return len(quads)
