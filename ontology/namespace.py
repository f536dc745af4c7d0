"""Closed namespaces for the project's vocabulary, in rdflib's ``DefinedNamespace`` style.

A typo raises instead of minting a new IRI:

>>> PKG.Measure
rdflib.term.URIRef('https://w3id.org/policykg/ontology#Measure')
>>> PKG.Mesure
Traceback (most recent call last):
...
AttributeError: term 'Mesure' not in namespace 'https://w3id.org/policykg/ontology#'
>>> str(ELI.is_part_of), str(OA.start)
('http://data.europa.eu/eli/ontology#is_part_of', 'http://www.w3.org/ns/oa#start')

``PKG`` lists every term of ``ontology/policykg.ttl`` and none other (a test checks both ways).
``ORG``, ``SKOS``, ``PROV``, ``DCTERMS``, ``FOAF`` are rdflib's own; ``ELI`` and ``OA`` list the
terms policykg uses.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from ontology.iris import ID_BASE, ONTOLOGY_NS
from ontology.iris import ONTOLOGY_IRI as _ONTOLOGY_IRI
from ontology.types import ENTITY_TYPES

__all__ = [
    "PKG", "ELI", "OA", "ORG", "SKOS", "PROV", "DCTERMS", "FOAF", "RDF", "RDFS", "OWL", "XSD",
    "ID_BASE", "ID", "ONTOLOGY_IRI", "ONTOLOGY_PATH", "SHAPES_PATH", "PREFIXES",
]

#: Base of every instance IRI (documents, measures, entities …).
ID = Namespace(ID_BASE)
ONTOLOGY_IRI = URIRef(_ONTOLOGY_IRI)
ONTOLOGY_PATH = Path(__file__).resolve().parent / "policykg.ttl"
SHAPES_PATH = Path(__file__).resolve().parent / "shapes.ttl"


class PKG(DefinedNamespace):
    """policykg ontology terms (``https://w3id.org/policykg/ontology#``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_NS)
    # The entity types' classes (VocationalCollege, Industry …) are added below from ontology.types.

    Involvement: URIRef  # class: Involvement
    Measure: URIRef  # class: Measure
    Mention: URIRef  # class: Mention
    Section: URIRef  # class: Section
    Target: URIRef  # class: Target
    Task: URIRef  # class: Task
    Work: URIRef  # class: a law or regulation as one work (its editions realize it)
    Citation: URIRef  # class: one citation in a document's text
    ValidityStatus: URIRef  # class: validity status
    ValidityInForce: URIRef  # individual: 有效
    ValidityAmended: URIRef  # individual: 已修改
    ValidityNotYetInForce: URIRef  # individual: 尚未生效
    ValidityExpired: URIRef  # individual: 失效
    ValidityPartlyExpired: URIRef  # individual: 部分失效
    ValidityRepealed: URIRef  # individual: 已废止
    ValiditySuperseded: URIRef  # individual: superseded by a newer edition
    validity: URIRef  # object property: validity computed over the corpus
    pageValidity: URIRef  # object property: validity stated on the page
    workTitle: URIRef  # datatype property: the title every edition shares
    implementsDocument: URIRef  # object property: carries out another document
    citationKind: URIRef  # datatype property: cites | based_on | repeals | implements
    citedTitle: URIRef  # datatype property: the title as cited
    citedArticle: URIRef  # datatype property: the article cited
    shortName: URIRef  # datatype property: a short law name without 《》
    unresolved: URIRef  # datatype property: nothing in the index matches
    citesVersion: URIRef  # object property: the edition a citation means
    citesWork: URIRef  # object property: the work a citation means
    citesMeasure: URIRef  # object property: the article a citation means
    correspondsTo: URIRef  # object property: local measure → national measure
    Alignment: URIRef  # class: one measure-to-measure correspondence with score and evidence
    localMeasure: URIRef  # object property: alignment → the local measure
    nationalMeasure: URIRef  # object property: alignment → the national measure
    alignmentScore: URIRef  # datatype property: the correspondence's score
    sharedEntity: URIRef  # object property: an entity both measures mention
    sharedWording: URIRef  # datatype property: wording both measures contain
    addressee: URIRef  # datatype property: addressee
    agent: URIRef  # object property: agent
    attachmentTitle: URIRef  # datatype property: attachment title
    citesDocno: URIRef  # datatype property: cites document number
    citesTitle: URIRef  # datatype property: cites title
    comparator: URIRef  # datatype property: comparator
    confidence: URIRef  # datatype property: confidence
    deadline: URIRef  # datatype property: deadline
    deadlineYear: URIRef  # datatype property: deadline year
    evidence: URIRef  # object property: evidence
    evidenceKind: URIRef  # datatype property: evidence kind
    hasTarget: URIRef  # object property: has target
    heading: URIRef  # datatype property: heading
    implements: URIRef  # object property: implements
    industries: URIRef  # individual: Industries
    involves: URIRef  # object property: involves
    kind: URIRef  # datatype property: kind
    leadBy: URIRef  # object property: led by
    mentions: URIRef  # object property: mentions
    number: URIRef  # datatype property: number
    numberLabel: URIRef  # datatype property: number as printed
    ordinal: URIRef  # datatype property: ordinal
    participant: URIRef  # object property: participant
    places: URIRef  # individual: Places
    programmes: URIRef  # individual: Programmes
    quantity: URIRef  # datatype property: quantity
    roles: URIRef  # individual: Generic roles
    quantityMax: URIRef  # datatype property: maximum quantity
    responsible: URIRef  # object property: responsible party
    role: URIRef  # datatype property: role
    supports: URIRef  # object property: supports
    text: URIRef  # datatype property: text
    unit: URIRef  # datatype property: unit


# one class per entity type, from the entity-type table (ontology/types.py)
PKG.__annotations__.update({spec.rdf_class: URIRef for spec in ENTITY_TYPES.values()})


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology: the terms policykg uses."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef  # a document
    LegalResourceSubdivision: URIRef  # a section or measure
    id_local: URIRef  # 发文字号
    date_document: URIRef  # date of issue
    passed_by: URIRef  # issuing body
    has_annex: URIRef  # attachment
    is_annex_of: URIRef  # inverse of has_annex
    cites: URIRef  # cited document
    based_on: URIRef  # document it implements
    is_part_of: URIRef  # subdivision → document
    has_part: URIRef  # document → subdivision
    number: URIRef  # number of a subdivision, as a string
    title: URIRef  # title (dct:title is used for documents)
    LegalExpression: URIRef  # an edition of a work
    realizes: URIRef  # edition → work
    is_realized_by: URIRef  # work → edition
    version_date: URIRef  # date of the edition
    first_date_entry_in_force: URIRef  # entry into force
    date_no_longer_in_force: URIRef  # end of validity
    in_force: URIRef  # eli:InForce-inForce / eli:InForce-notInForce
    repeals: URIRef  # repealed document
    repealed_by: URIRef  # inverse of repeals
    changes: URIRef  # amended document
    _extras = ["InForce-inForce", "InForce-notInForce"]


class OA(DefinedNamespace):
    """Web Annotation vocabulary: the terms policykg uses for evidence spans."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    TextPositionSelector: URIRef  # a character span
    TextQuoteSelector: URIRef  # a quoted text
    start: URIRef  # first character offset
    end: URIRef  # offset after the last character
    exact: URIRef  # the text of the span
    hasSelector: URIRef  # annotation target → selector
    hasSource: URIRef  # annotation target → source resource


#: Prefixes for serialisers and SPARQL queries.
PREFIXES: dict[str, str] = {
    "pkg": str(PKG._NS),
    "eli": str(ELI._NS),
    "oa": str(OA._NS),
    "org": str(ORG._NS),
    "skos": str(SKOS._NS),
    "prov": str(PROV._NS),
    "dct": str(DCTERMS._NS),
    "foaf": str(FOAF._NS),
    "xsd": str(XSD._NS),
    "id": ID_BASE,
}
