"""A document's own quads about time and citations (its edition, validity, the citations it makes).

These go in the document's named graph with the rest of it (:func:`graph.build.document_lines`
calls :func:`temporal_lines`); what needs the whole corpus (works, which edition was in force
when, resolved citations) is in :mod:`graph.relations`.

Per document::

    {doc} eli:version_date "2022-04-20"^^xsd:date ; eli:first_date_entry_in_force "2022-05-01"^^xsd:date ;
          pkg:workTitle "中华人民共和国职业教育法" ; pkg:pageValidity pkg:ValidityInForce .
    {doc}/citation/{n} a pkg:Citation ; pkg:citationKind "based_on" ; pkg:citedTitle "中华人民共和国教育法" ;
          pkg:citedArticle "第十二条" ; pkg:shortName true ; prov:wasDerivedFrom {measure or doc} ;
          oa:hasSelector {doc}/citation/{n}/span .   # oa:start, oa:end, oa:exact into the cleaned text

>>> from ingest.model import Document
>>> qs = temporal_quads(Document(key="K", title="某法", kind="law", date="2020-01-02", text="根据《甲法》，制定本法。"))
>>> sorted({q.predicate.value.rsplit("#", 1)[1] for q in qs})[:4]
['citationKind', 'citedTitle', 'end', 'exact']
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad

from graph import iri
from graph import vocab as V
from graph.ntext import T, integer, lit, node, quad, term, to_quads, typed

ELI_LEGAL_EXPRESSION = V._ns(V.ELI_NS, "LegalExpression")
ELI_VERSION_DATE = V._ns(V.ELI_NS, "version_date")
ELI_FIRST_IN_FORCE = V._ns(V.ELI_NS, "first_date_entry_in_force")
ELI_NO_LONGER_IN_FORCE = V._ns(V.ELI_NS, "date_no_longer_in_force")
ELI_IN_FORCE = V._ns(V.ELI_NS, "in_force")
ELI_IN_FORCE_YES = V._ns(V.ELI_NS, "InForce-inForce")
ELI_IN_FORCE_NO = V._ns(V.ELI_NS, "InForce-notInForce")
ELI_REALIZES = V._ns(V.ELI_NS, "realizes")
ELI_IS_REALIZED_BY = V._ns(V.ELI_NS, "is_realized_by")
ELI_BASED_ON = V._ns(V.ELI_NS, "based_on")
ELI_REPEALS = V._ns(V.ELI_NS, "repeals")
ELI_REPEALED_BY = V._ns(V.ELI_NS, "repealed_by")
ELI_CHANGES = V._ns(V.ELI_NS, "changes")
ELI_CHANGED_BY = V._ns(V.ELI_NS, "changed_by")
ELI_CITES = V.ELI_CITES
PROV_WAS_DERIVED_FROM = V._ns(V.PROV_NS, "wasDerivedFrom")
OA_HAS_SELECTOR = V._ns(V.OA_NS, "hasSelector")
OA_SELECTOR = V._ns(V.OA_NS, "TextPositionSelector")
OA_START = V._ns(V.OA_NS, "start")
OA_END = V._ns(V.OA_NS, "end")
OA_EXACT = V._ns(V.OA_NS, "exact")
XSD_BOOLEAN = V._ns(V.XSD_NS, "boolean")

PKG_WORK = V.pkg("Work")
PKG_CITATION = V.pkg("Citation")
PKG_WORK_TITLE = V.pkg("workTitle")
PKG_PAGE_VALIDITY = V.pkg("pageValidity")
PKG_VALIDITY = V.pkg("validity")
PKG_CITATION_KIND = V.pkg("citationKind")
PKG_CITED_TITLE = V.pkg("citedTitle")
PKG_CITED_ARTICLE = V.pkg("citedArticle")
PKG_SHORT_NAME = V.pkg("shortName")
PKG_CITES_VERSION = V.pkg("citesVersion")
PKG_CITES_WORK = V.pkg("citesWork")
PKG_CITES_MEASURE = V.pkg("citesMeasure")
PKG_IMPLEMENTS_DOCUMENT = V.pkg("implementsDocument")
PKG_UNRESOLVED = V.pkg("unresolved")
PKG_CORRESPONDS_TO = V.pkg("correspondsTo")

#: Validity status (ingest.versions.VALIDITY values and ``superseded``) -> ontology individual.
STATUS_NODE: dict[str, NamedNode] = {
    "in_force": V.pkg("ValidityInForce"),
    "amended": V.pkg("ValidityAmended"),
    "not_yet_in_force": V.pkg("ValidityNotYetInForce"),
    "expired": V.pkg("ValidityExpired"),
    "partly_expired": V.pkg("ValidityPartlyExpired"),
    "repealed": V.pkg("ValidityRepealed"),
    "superseded": V.pkg("ValiditySuperseded"),
}
NODE_STATUS = {n.value: s for s, n in STATUS_NODE.items()}
#: Citation kind -> the document-to-document property of a resolved citation.
KIND_PROPERTY: dict[str, NamedNode] = {
    "cites": ELI_CITES,
    "based_on": ELI_BASED_ON,
    "repeals": ELI_REPEALS,
    "implements": PKG_IMPLEMENTS_DOCUMENT,
    "changes": ELI_CHANGES,
}


def citation_iri(key: str, n: int) -> str:
    return f"{iri.document_iri(key)}/citation/{int(n)}"


def temporal_lines(doc) -> list[str]:
    """The edition and citation quads of one document, in its named graph, as N-Quads lines (:mod:`graph.ntext`)."""
    from ingest.citations import extract_citations
    from ingest.versions import edition_of

    d = node(iri.document_iri(doc.key))
    g = d
    ed = edition_of(doc)
    out: list[str] = []
    if ed.version_date:
        out.append(quad(d, term(ELI_VERSION_DATE), typed(ed.version_date, T.XSD_DATE), g))
    if ed.entry_into_force:
        out.append(quad(d, term(ELI_FIRST_IN_FORCE), typed(ed.entry_into_force, T.XSD_DATE), g))
    if ed.work_title:
        out.append(quad(d, term(PKG_WORK_TITLE), lit(ed.work_title), g))
    if ed.validity:
        out.append(quad(d, term(PKG_PAGE_VALIDITY), term(STATUS_NODE[ed.validity]), g))
    for n, c in enumerate(extract_citations(doc), start=1):
        c_iri = citation_iri(doc.key, n)
        cn = node(c_iri)
        owner = node(iri.measure_iri(doc.key, c.measure)) if c.measure else d
        out += [
            quad(cn, T.RDF_TYPE, term(PKG_CITATION), g),
            quad(cn, term(PKG_CITATION_KIND), lit(c.kind), g),
            quad(cn, term(PKG_CITED_TITLE), lit(c.title), g),
            quad(cn, T.PROV_WAS_DERIVED_FROM, owner, g),
        ]
        if c.short:
            out.append(quad(cn, term(PKG_SHORT_NAME), typed("true", term(XSD_BOOLEAN)), g))
        if c.article:
            out.append(quad(cn, term(PKG_CITED_ARTICLE), lit(c.article), g))
        if c.start >= 0:
            span = node(c_iri + "/span")
            out += [
                quad(cn, T.OA_HAS_SELECTOR, span, g),
                quad(span, T.RDF_TYPE, T.OA_SELECTOR, g),
                quad(span, T.OA_START, integer(c.start), g),
                quad(span, T.OA_END, integer(c.end), g),
                quad(span, T.OA_EXACT, lit(doc.text[c.start:c.end]), g),
            ]
    return out


def temporal_quads(doc) -> list[Quad]:
    """:func:`temporal_lines` as ``pyoxigraph.Quad`` objects."""
    return to_quads(temporal_lines(doc))
