from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Literal

from ontology.namespace import ELI, ID_BASE, OA, ONTOLOGY_PATH, PKG, SHAPES_PATH

NS = str(PKG._NS)


@pytest.fixture(scope="module")
def onto():
    return rdflib.Graph().parse(ONTOLOGY_PATH)


def test_pkg_terms_match_ontology_both_ways(onto):
    in_ttl = {str(s)[len(NS):] for s in onto.subjects() if str(s).startswith(NS)}
    in_py = set(PKG.__annotations__)
    assert in_ttl - in_py == set(), f"terms in policykg.ttl missing from PKG: {sorted(in_ttl - in_py)}"
    assert in_py - in_ttl == set(), f"terms in PKG not defined in policykg.ttl: {sorted(in_py - in_ttl)}"


def test_closed_namespaces_reject_typos():
    with pytest.raises(AttributeError):
        PKG.Mesure  # noqa: B018
    with pytest.raises(AttributeError):
        ELI.is_partof  # noqa: B018
    assert str(OA.TextPositionSelector) == "http://www.w3.org/ns/oa#TextPositionSelector"
    assert ID_BASE == "https://w3id.org/policykg/id/"


def test_every_class_and_property_has_en_and_zh_labels(onto):
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for s in onto.subjects(RDF.type, kind):
            langs = {lit.language for lit in onto.objects(s, RDFS.label) if isinstance(lit, Literal)}
            assert {"en", "zh"} <= langs, f"{s} labels in {langs}"


def test_required_structure(onto):
    assert (PKG.Measure, RDFS.subClassOf, ELI.LegalResourceSubdivision) in onto
    for cls in ("VocationalCollege", "University", "School", "GovernmentBody", "Enterprise", "Park", "Alliance"):
        assert (PKG[cls], RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/org#Organization")) in onto, cls
    for prop in ("leadBy", "supports", "responsible", "participant"):
        assert (PKG[prop], RDFS.subPropertyOf, PKG.involves) in onto, prop


@pytest.mark.parametrize("path", [ONTOLOGY_PATH, SHAPES_PATH])
def test_turtle_loads_in_rdflib_and_pyoxigraph_alike(path):
    n_rdflib = len(rdflib.Graph().parse(path))
    with open(path, "rb") as f:
        n_oxi = len(list(pyoxigraph.parse(f, pyoxigraph.RdfFormat.TURTLE)))
    assert n_rdflib == n_oxi > 50, (n_rdflib, n_oxi)
