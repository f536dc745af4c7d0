"""The relations graph as quads: works and editions (ELI), validity, resolved citations and changes.

Written into the named graph ``…/graph/relations`` by :func:`graph.relations.refresh_relations`::

    {work} a pkg:Work, eli:LegalResource ; dct:title "…"@zh ; eli:is_realized_by {edition} .
    {edition} a eli:LegalExpression ; eli:realizes {work} ; pkg:validity pkg:ValiditySuperseded ;
          eli:in_force eli:InForce-notInForce ; eli:date_no_longer_in_force "2022-05-01"^^xsd:date ;
          dct:isReplacedBy {next edition} ; eli:repealed_by {doc} ; eli:changed_by {doc} .
    {citation} pkg:citesVersion {edition} ; pkg:citesWork {work} ; pkg:citesMeasure {article} .
    {doc} eli:cites / eli:based_on / eli:repeals / eli:changes / pkg:implementsDocument {edition or work} .

A citation node keeps its provenance in the document's own graph (``prov:wasDerivedFrom`` the
measure it is in, an ``oa:TextPositionSelector`` on its span; :mod:`graph.temporal`); an
unresolved one gets ``pkg:unresolved true`` here. Measure alignments are added by
:mod:`graph.align_rdf`.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from graph import temporal as T
from graph import vocab as V

LIVE = ("in_force", "amended", "partly_expired")


def _work_quads(rel, g: NamedNode) -> list[Quad]:
    out = []
    for w in rel.works.values():
        wn = NamedNode(w.iri)
        out += [Quad(wn, V.RDF_TYPE, V.ELI_LEGAL_RESOURCE, g), Quad(wn, V.RDF_TYPE, T.PKG_WORK, g),
                Quad(wn, V.DCT_TITLE, Literal(w.title, language="zh"), g)]
        for k in w.versions:
            out += [Quad(wn, T.ELI_IS_REALIZED_BY, NamedNode(k), g), Quad(NamedNode(k), T.ELI_REALIZES, wn, g),
                    Quad(NamedNode(k), V.RDF_TYPE, T.ELI_LEGAL_EXPRESSION, g)]
        for older, newer in zip(w.versions, w.versions[1:]):
            if rel.versions[older].version_date != rel.versions[newer].version_date:
                out.append(Quad(NamedNode(older), V.DCT_IS_REPLACED_BY, NamedNode(newer), g))
    return out


def _version_quads(rel, g: NamedNode) -> list[Quad]:
    out = []
    for v in rel.versions.values():
        d = NamedNode(v.iri)
        if v.status in T.STATUS_NODE:
            out.append(Quad(d, T.PKG_VALIDITY, T.STATUS_NODE[v.status], g))
        out.append(Quad(d, T.ELI_IN_FORCE, T.ELI_IN_FORCE_YES if v.status in LIVE else T.ELI_IN_FORCE_NO, g))
        if v.end:
            out.append(Quad(d, T.ELI_NO_LONGER_IN_FORCE, Literal(v.end, datatype=V.XSD_DATE), g))
        for s in v.repealed_by:
            out.append(Quad(d, T.ELI_REPEALED_BY, NamedNode(s), g))
    return out


def _link_quads(rel, g: NamedNode) -> list[Quad]:
    out, seen = [], set()

    def add(s: str, p: NamedNode, o: str) -> None:
        if (s, p.value, o) not in seen:
            seen.add((s, p.value, o))
            out.append(Quad(NamedNode(s), p, NamedNode(o), g))

    for x in rel.links:
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
        add(x.source, T.ELI_CITES, tgt)
        if x.kind == "amended_by":  # 根据《…关于修改…的决定》修正: the cited decision changes the citing document
            add(x.source, T.ELI_CHANGED_BY, tgt)
            add(tgt, T.ELI_CHANGES, x.source)
        elif x.kind in T.KIND_PROPERTY:
            add(x.source, T.KIND_PROPERTY[x.kind], tgt)
            if x.kind == "changes":
                add(tgt, T.ELI_CHANGED_BY, x.source)
    return out


def relations_quads(rel, graph: str) -> list[Quad]:
    """Every quad of the relations table ``rel`` (:class:`graph.relations.Relations`) in ``graph``."""
    g = NamedNode(graph)
    return _work_quads(rel, g) + _version_quads(rel, g) + _link_quads(rel, g)
