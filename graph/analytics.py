"""Network analytics over the citation and involvement graphs (networkx projections).

- the **citation graph**: a directed graph whose nodes are works (the editions of a law collapsed
  into one) and documents without a work, with an edge from the citing to the cited node;
- **most cited documents**: the most citing documents (distinct) per node;
- **most cited articles**: article-level targets (依照《…》第X条) counted per (work, article);
- **leading bodies**: organisations most often in a lead or responsible role (牵头 / 负责);
- **reachable**: the documents that cite a given law directly or through others (ancestors);
- **communities**: Louvain communities (fixed seed) of the undirected citation graph, 3 nodes or more.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx


def node_of(rel, iri: str) -> str:
    """The citation-graph node of a document or work IRI (a document's work when it has one)."""
    v = rel.versions.get(iri)
    return v.work if v is not None and v.work else iri


def citation_graph(rel) -> nx.DiGraph:
    g = nx.DiGraph()
    for link in rel.links:
        tgt = link.work or link.target
        if tgt is None:
            continue
        s, t = node_of(rel, link.source), node_of(rel, tgt)
        if s == t:
            continue
        if g.has_edge(s, t):
            g[s][t]["weight"] += 1
            g[s][t]["kinds"].add(link.kind)
        else:
            g.add_edge(s, t, weight=1, kinds={link.kind})
    return g


def _title(rel, node: str) -> str:
    if node in rel.works:
        return rel.works[node].title
    v = rel.versions.get(node)
    return v.title if v else node


def _key(rel, node: str) -> str:
    if node in rel.works:
        return rel.versions[rel.works[node].versions[-1]].key
    v = rel.versions.get(node)
    return v.key if v else node


def leading_bodies(view, top: int) -> list[dict]:
    """Organisations by the number of measures that name them as lead or responsible."""
    counts: Counter = Counter()
    labels = {}
    for ent in view.entities():
        if ent.type in ("industry", "place", "programme"):
            continue
        n = sum(1 for inv in view.measures_involving(ent.iri) if {"lead", "responsible"} & set(inv.roles))
        if n:
            counts[ent.iri] = n
            labels[ent.iri] = ent.label_zh
    return [{"iri": i, "label": labels[i], "count": n} for i, n in counts.most_common(top)]


def analytics(rel, view=None, *, top: int = 10, reachable_from: str | None = None) -> dict:
    """The figures listed in the module doc; ``reachable_from`` is a document key."""
    g = citation_graph(rel)
    cited = Counter({n: g.in_degree(n) for n in g.nodes})
    most_cited = [{"key": _key(rel, n), "title": _title(rel, n), "count": c, "work": n in rel.works}
                  for n, c in cited.most_common(top) if c]
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for link in rel.links:
        if link.article and (link.work or link.target):
            articles[(node_of(rel, link.work or link.target), link.article)].add(link.source)
    top_articles = sorted(articles.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    out = {
        "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
        "most_cited_documents": most_cited,
        "most_cited_articles": [{"title": _title(rel, n), "article": a, "count": len(s)} for (n, a), s in top_articles],
        "leading_bodies": leading_bodies(view, top) if view is not None else [],
    }
    if reachable_from is not None:
        v = rel.version(reachable_from)
        node = node_of(rel, v.iri) if v else reachable_from
        anc = nx.ancestors(g, node) if node in g else set()
        out["reachable"] = {"key": reachable_from, "title": _title(rel, node), "count": len(anc),
                            "documents": sorted((_title(rel, n) for n in anc))[:200]}
    ug = g.to_undirected()
    comms = [c for c in nx.community.louvain_communities(ug, seed=14) if len(c) >= 3] if ug.number_of_edges() else []
    comms.sort(key=lambda c: (-len(c), sorted(c)[0]))
    out["communities"] = [
        {"size": len(c), "hubs": [_title(rel, n) for n in sorted(c, key=lambda n: (-ug.degree(n), n))[:5]]}
        for c in comms[:top]]
    return out


def _prepared(rel) -> tuple[nx.DiGraph, dict[str, int], list[set[str]]]:
    """The citation graph, each node's community index and the communities, computed once per table."""
    cached = getattr(rel, "_analytics_cache", None)
    if cached is None:
        g = citation_graph(rel)
        ug = g.to_undirected()
        comms = nx.community.louvain_communities(ug, seed=14) if ug.number_of_edges() else []
        comms = sorted((set(c) for c in comms), key=lambda c: (-len(c), sorted(c)[0]))
        member = {n: i for i, c in enumerate(comms) for n in c}
        cached = (g, member, comms)
        rel._analytics_cache = cached
    return cached


def _is_law(rel, node: str) -> bool:
    if node in rel.works:
        return True
    v = rel.versions.get(node)
    return bool(v and v.kind == "law")


def _community(rel, g, comms, idx: int | None, top: int) -> dict | None:
    if idx is None or len(comms[idx]) < 3:
        return None
    c = comms[idx]
    hubs = sorted(c, key=lambda n: (-g.in_degree(n), n))[:top]
    return {"index": idx, "size": len(c), "hubs": [{"key": _key(rel, n), "title": _title(rel, n)} for n in hubs]}


def document_figures(rel, key: str, *, top: int = 10) -> dict:
    """One document in the citation network: the laws it rests on directly or through others
    (``reachable_laws``), the documents that reach it (``reached_by``), its rank by citing
    documents and its community."""
    v = rel.version(key)
    if v is None:
        return {"key": key, "in_graph": False}
    g, member, comms = _prepared(rel)
    node = node_of(rel, v.iri)
    if node not in g:
        return {"key": key, "in_graph": False, "cited_by": 0, "reachable_laws": {"count": 0, "laws": []},
                "reached_by": {"count": 0, "documents": []}, "community": None}
    down = nx.descendants(g, node)
    laws = sorted((n for n in down if _is_law(rel, n)), key=lambda n: (-g.in_degree(n), _title(rel, n)))
    up = sorted(nx.ancestors(g, node), key=lambda n: (-g.in_degree(n), _title(rel, n)))
    cited = g.in_degree(node)
    rank = 1 + sum(1 for n in g.nodes if g.in_degree(n) > cited)
    return {"key": key, "in_graph": True, "cited_by": cited, "rank": rank, "nodes": g.number_of_nodes(),
            "reachable_laws": {"count": len(laws), "laws": [{"key": _key(rel, n), "title": _title(rel, n)} for n in laws[:top]]},
            "reached_by": {"count": len(up), "documents": [{"key": _key(rel, n), "title": _title(rel, n)} for n in up[:top]]},
            "community": _community(rel, g, comms, member.get(node), top)}


def entity_figures(rel, view, iri: str, *, top: int = 10) -> dict:
    """An entity in the networks: its measures by role, the documents that involve it, the laws those
    documents rest on (by how many of them reach each law) and the communities they fall in."""
    from collections import Counter

    g, member, comms = _prepared(rel)
    invs = view.measures_involving(iri)
    roles = Counter(r for inv in invs for r in inv.roles)
    docs = sorted({inv.doc_key for inv in invs})
    laws: Counter = Counter()
    in_comm: Counter = Counter()
    for k in docs:
        v = rel.version(k)
        node = node_of(rel, v.iri) if v else None
        if node is None or node not in g:
            continue
        laws.update(n for n in nx.descendants(g, node) if _is_law(rel, n))
        if member.get(node) is not None:
            in_comm[member[node]] += 1
    return {"iri": iri, "measures": len(invs), "documents": len(docs),
            "roles": dict(roles.most_common()),
            "laws": [{"key": _key(rel, n), "title": _title(rel, n), "documents": c} for n, c in laws.most_common(top)],
            "communities": [{**_community(rel, g, comms, i, 5), "documents": c}
                            for i, c in in_comm.most_common(top) if _community(rel, g, comms, i, 5)]}
