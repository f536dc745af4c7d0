"""Every ``pkg:`` term the graph code writes is declared in the ontology."""

from __future__ import annotations

from pathlib import Path

import graph.build  # noqa: F401 - registers the class terms used for entity types
from graph import vocab as V

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "policykg.ttl"


def test_pkg_terms_are_declared_in_the_ontology():
    assert ONTOLOGY.is_file(), f"the ontology ships with the code: {ONTOLOGY} is missing"
    import pyoxigraph as ox

    declared = {t.subject.value for t in ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)}
    missing = sorted(n for n in V.PKG_TERMS if V.PKG_NS + n not in declared)
    assert not missing, f"pkg terms used by graph/ but not declared in {ONTOLOGY.name}: {missing}"


def test_pkg_terms_exist_in_closed_namespace():
    from ontology.namespace import PKG

    missing = []
    for name in sorted(V.PKG_TERMS):
        try:
            getattr(PKG, name)
        except AttributeError:
            missing.append(name)
    assert not missing, f"pkg terms missing from ontology.namespace.PKG: {missing}"
