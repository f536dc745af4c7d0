"""Entity types in the graph: each type's ontology class, whether it is an organisation, its concept scheme.

Derived from the one table of entity types, :data:`ontology.types.ENTITY_TYPES`, in the shapes
graph code reads: :mod:`graph.entity_quads` types entity nodes with :data:`TYPE_CLASS`,
:data:`ORG_TYPES` and :data:`SCHEME_OF`; :mod:`graph.view_tables` reads a node's type back from
its class with :data:`CLASS_TYPE`. A new entity type needs a row in ``ontology/types.py`` (and the
class in ``ontology/policykg.ttl``), nothing here.

>>> CLASS_TYPE["GovernmentBody"], "government_body" in ORG_TYPES, SCHEME_OF["place"]
('government_body', True, 'places')
"""

from __future__ import annotations

from ontology.types import ENTITY_TYPES, ORG_TYPE_VALUES

#: Entity type value -> ontology class (local name in the pkg namespace).
TYPE_CLASS: dict[str, str] = {t.value: spec.rdf_class for t, spec in ENTITY_TYPES.items()}
#: Types whose nodes are ``org:Organization``s (the others are ``skos:Concept``s in a scheme).
ORG_TYPES = ORG_TYPE_VALUES
#: Concept type -> concept scheme name (a concept of another type goes to "concepts").
SCHEME_OF: dict[str, str] = {t.value: spec.scheme for t, spec in ENTITY_TYPES.items() if spec.scheme}
#: Ontology class (local name) -> entity type value: the reverse of :data:`TYPE_CLASS`.
CLASS_TYPE: dict[str, str] = {c: t for t, c in TYPE_CLASS.items()}
