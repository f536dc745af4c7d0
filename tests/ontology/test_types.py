"""The entity-type and role tables (``ontology/types.py``) are complete, and what is derived from
them agrees with the ontology file, the shapes and the labels the API serves."""

from __future__ import annotations

import pyoxigraph as ox

from graph.build import ROLE_PROPERTY
from graph.entity_quads import CLASS_NODE
from graph.entity_types import ORG_TYPES, SCHEME_OF
from ontology.iris import ONTOLOGY_NS
from ontology.namespace import ONTOLOGY_PATH, PKG, SHAPES_PATH
from ontology.types import ENTITY_TYPES, ROLES, TASK_ROLES, EntityType, Role, type_of_class
from policykg.labels import ENTITY_TYPE_ZH, ROLE_ZH, TASK_ROLE_ZH

RDFS_SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
ORG = "http://www.w3.org/ns/org#Organization"
CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"


def _ontology() -> ox.Store:
    store = ox.Store()
    store.load(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE)
    return store


def test_every_member_has_one_row():
    assert set(ENTITY_TYPES) == set(EntityType), set(EntityType) ^ set(ENTITY_TYPES)
    assert set(ROLES) == set(Role), set(Role) ^ set(ROLES)
    classes = [s.rdf_class for s in ENTITY_TYPES.values()]
    assert len(set(classes)) == len(classes), f"two types share a class: {classes}"
    for t, spec in ENTITY_TYPES.items():
        assert type_of_class(spec.rdf_class) is t
        assert spec.zh and spec.en, t
        assert (spec.scheme is None) == spec.organization, f"{t}: a concept type needs a scheme, an organisation none"


def test_each_class_is_declared_under_the_right_superclass():
    store = _ontology()
    for t, spec in ENTITY_TYPES.items():
        node = ox.NamedNode(ONTOLOGY_NS + spec.rdf_class)
        supers = {q.object.value for q in store.quads_for_pattern(node, RDFS_SUBCLASS, None)}
        want = ORG if spec.organization else CONCEPT
        assert want in supers, f"pkg:{spec.rdf_class} ({t.value}) should be a subclass of {want}, got {supers}"
        assert str(getattr(PKG, spec.rdf_class)) == ONTOLOGY_NS + spec.rdf_class


def test_role_properties_are_declared_and_the_shapes_list_every_role():
    store = _ontology()
    declared = {q.subject.value for q in store.quads_for_pattern(None, None, None)}
    for spec in [*ROLES.values(), *TASK_ROLES.values()]:
        assert ONTOLOGY_NS + spec.property in declared, f"pkg:{spec.property} is not declared in the ontology"
    shapes = SHAPES_PATH.read_text(encoding="utf-8")
    listed = "sh:in ( " + " ".join(f'"{r.value}"' for r in Role) + " )"
    assert listed in shapes, f"the shapes should list the roles as {listed}"


def test_derived_tables_follow_the_registry():
    assert set(CLASS_NODE) == {t.value for t in EntityType}
    assert ORG_TYPES == {t.value for t in EntityType if t.is_organization}
    assert SCHEME_OF == {t.value: s.scheme for t, s in ENTITY_TYPES.items() if s.scheme}
    assert set(ROLE_PROPERTY) == {r.value for r in Role}
    assert ENTITY_TYPE_ZH == {t.value: s.zh for t, s in ENTITY_TYPES.items()}
    assert ROLE_ZH == {r.value: s.zh for r, s in ROLES.items()}
    assert TASK_ROLE_ZH == {r: s.zh for r, s in TASK_ROLES.items()}
