"""Entity types in the graph: each type's ontology class, whether it is an organisation, its concept scheme.

The one place graph code maps an entity type (an ``ingest.model.EntityType`` value) to RDF and
back: :mod:`graph.entity_quads` types entity nodes with :data:`TYPE_CLASS`, :data:`ORG_TYPES`
and :data:`SCHEME_OF`; :mod:`graph.view_tables` reads a node's type back from its class with
:data:`CLASS_TYPE`. A new entity type needs a row in :data:`TYPE_CLASS` (and the class in
``ontology/policykg.ttl``).

>>> CLASS_TYPE["GovernmentBody"], "government_body" in ORG_TYPES, SCHEME_OF["place"]
('government_body', True, 'places')
"""

from __future__ import annotations

#: Entity type value -> ontology class (local name in the pkg namespace).
TYPE_CLASS: dict[str, str] = {
    "vocational_college": "VocationalCollege",
    "university": "University",
    "school": "School",
    "government_body": "GovernmentBody",
    "enterprise": "Enterprise",
    "park": "Park",
    "alliance": "Alliance",
    "industry": "Industry",
    "place": "Place",
    "programme": "Programme",
    "organisation": "Organisation",
    "generic": "GenericRole",
}
#: Types whose nodes are ``org:Organization``s (the others are ``skos:Concept``s in a scheme).
ORG_TYPES = {"vocational_college", "university", "school", "government_body", "enterprise", "park", "alliance",
             "organisation"}
#: Concept type -> concept scheme name (a concept of another type goes to "concepts").
SCHEME_OF = {"industry": "industries", "place": "places", "programme": "programmes", "generic": "roles"}
#: Ontology class (local name) -> entity type value: the reverse of :data:`TYPE_CLASS`.
CLASS_TYPE: dict[str, str] = {c: t for t, c in TYPE_CLASS.items()}
