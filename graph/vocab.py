"""Vocabulary terms as ``pyoxigraph.NamedNode`` constants, for building quads fast.

The project's own terms come from the ontology (``ontology/policykg.ttl``, closed
namespace ``ontology.namespace.PKG``); ``tests/graph/test_vocab.py`` checks that every
``pkg:`` term used here is declared there.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from ontology.iris import ID_BASE, ONTOLOGY_NS

PKG_NS = ONTOLOGY_NS
ELI_NS = "http://data.europa.eu/eli/ontology#"
DCT_NS = "http://purl.org/dc/terms/"
ORG_NS = "http://www.w3.org/ns/org#"
OA_NS = "http://www.w3.org/ns/oa#"
PROV_NS = "http://www.w3.org/ns/prov#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

#: Prefixes for serialisations and SPARQL.
PREFIXES: dict[str, str] = {
    "pkg": PKG_NS,
    "eli": ELI_NS,
    "dct": DCT_NS,
    "org": ORG_NS,
    "oa": OA_NS,
    "prov": PROV_NS,
    "skos": SKOS_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "pkgid": ID_BASE,
}

#: The same prefixes as a SPARQL prologue.
SPARQL_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

#: Every ``pkg:`` local name this package uses (checked against the ontology by a test).
PKG_TERMS: set[str] = set()


def pkg(name: str) -> NamedNode:
    PKG_TERMS.add(name)
    return NamedNode(PKG_NS + name)


def _ns(base: str, name: str) -> NamedNode:
    return NamedNode(base + name)


RDF_TYPE = _ns(RDF_NS, "type")
RDFS_LABEL = _ns(RDFS_NS, "label")
XSD_DATE = _ns(XSD_NS, "date")
XSD_INTEGER = _ns(XSD_NS, "integer")
XSD_DECIMAL = _ns(XSD_NS, "decimal")

# ELI
ELI_LEGAL_RESOURCE = _ns(ELI_NS, "LegalResource")
ELI_SUBDIVISION = _ns(ELI_NS, "LegalResourceSubdivision")
ELI_ID_LOCAL = _ns(ELI_NS, "id_local")
ELI_TITLE = _ns(ELI_NS, "title")
ELI_DATE_DOCUMENT = _ns(ELI_NS, "date_document")
ELI_PASSED_BY = _ns(ELI_NS, "passed_by")
ELI_HAS_ANNEX = _ns(ELI_NS, "has_annex")
ELI_IS_ANNEX_OF = _ns(ELI_NS, "is_annex_of")
ELI_CITES = _ns(ELI_NS, "cites")
ELI_IS_PART_OF = _ns(ELI_NS, "is_part_of")
ELI_HAS_PART = _ns(ELI_NS, "has_part")
ELI_NUMBER = _ns(ELI_NS, "number")
ELI_IS_ABOUT = _ns(ELI_NS, "is_about")

# Dublin Core
DCT_IDENTIFIER = _ns(DCT_NS, "identifier")
DCT_TITLE = _ns(DCT_NS, "title")
DCT_SUBJECT = _ns(DCT_NS, "subject")
DCT_SOURCE = _ns(DCT_NS, "source")
DCT_IS_REPLACED_BY = _ns(DCT_NS, "isReplacedBy")
DCT_TEMPORAL = _ns(DCT_NS, "temporal")

# ORG, SKOS, PROV, OA
ORG_ORGANIZATION = _ns(ORG_NS, "Organization")
ORG_SUB_ORGANIZATION_OF = _ns(ORG_NS, "subOrganizationOf")
SKOS_CONCEPT = _ns(SKOS_NS, "Concept")
SKOS_CONCEPT_SCHEME = _ns(SKOS_NS, "ConceptScheme")
SKOS_IN_SCHEME = _ns(SKOS_NS, "inScheme")
SKOS_PREF_LABEL = _ns(SKOS_NS, "prefLabel")
SKOS_ALT_LABEL = _ns(SKOS_NS, "altLabel")
SKOS_BROADER = _ns(SKOS_NS, "broader")
SKOS_NOTATION = _ns(SKOS_NS, "notation")
PROV_WAS_DERIVED_FROM = _ns(PROV_NS, "wasDerivedFrom")
OA_SELECTOR = _ns(OA_NS, "TextPositionSelector")
OA_HAS_SELECTOR = _ns(OA_NS, "hasSelector")
OA_START = _ns(OA_NS, "start")
OA_END = _ns(OA_NS, "end")
OA_EXACT = _ns(OA_NS, "exact")

# policykg classes
PKG_MEASURE = pkg("Measure")
PKG_SECTION = pkg("Section")
PKG_TARGET = pkg("Target")
PKG_TASK = pkg("Task")
PKG_INVOLVEMENT = pkg("Involvement")
PKG_MENTION = pkg("Mention")
PKG_PROGRAMME = pkg("Programme")

# policykg properties
PKG_INVOLVES = pkg("involves")
PKG_LEAD_BY = pkg("leadBy")
PKG_SUPPORTS = pkg("supports")
PKG_RESPONSIBLE = pkg("responsible")
PKG_PARTICIPANT = pkg("participant")
PKG_MENTIONS = pkg("mentions")
PKG_HAS_TARGET = pkg("hasTarget")
PKG_QUANTITY = pkg("quantity")
PKG_QUANTITY_MAX = pkg("quantityMax")
PKG_UNIT = pkg("unit")
PKG_COMPARATOR = pkg("comparator")
PKG_DEADLINE_YEAR = pkg("deadlineYear")
PKG_NUMBER_LABEL = pkg("numberLabel")
PKG_ORDINAL = pkg("ordinal")
PKG_IMPLEMENTS = pkg("implements")
PKG_DEADLINE = pkg("deadline")
PKG_CONFIDENCE = pkg("confidence")
PKG_EVIDENCE_KIND = pkg("evidenceKind")
PKG_ROLE = pkg("role")
PKG_AGENT = pkg("agent")
PKG_EVIDENCE = pkg("evidence")
PKG_HEADING = pkg("heading")
PKG_TEXT = pkg("text")
PKG_KIND = pkg("kind")
PKG_CITES_TITLE = pkg("citesTitle")
PKG_CITES_DOCNO = pkg("citesDocno")
PKG_NUMBER = pkg("number")
PKG_ADDRESSEE = pkg("addressee")
PKG_ATTACHMENT_TITLE = pkg("attachmentTitle")
