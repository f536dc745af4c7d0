"""The SHACL shapes accept the works, editions, validity and citations of a real index, and catch mistakes."""

from __future__ import annotations

import pyshacl
import pytest
import rdflib

from ontology.namespace import ONTOLOGY_PATH, SHAPES_PATH

pytestmark = pytest.mark.corpus


def _validate(data: rdflib.Graph) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(SHAPES_PATH)
    ont = rdflib.Graph().parse(ONTOLOGY_PATH)
    ok, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ont, inference="rdfs")
    return ok, text


@pytest.fixture(scope="module")
def exported(tmp_path_factory, seed_path, guofa4_path, corpus_dir):
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    settings = Settings(data=tmp_path_factory.mktemp("shapes"), encoder="none")
    kg = PolicyKG.open(settings, encoder=False)
    laws = sorted((corpus_dir / "laws" / "行政法").glob("职业教育法(*).txt"))
    kg.ingest([seed_path, guofa4_path, *laws], embed=False)
    kg.close()
    kg = PolicyKG.open(settings, encoder=False)
    try:
        return kg.export("nt")
    finally:
        kg.close()


def test_real_index_conforms(exported):
    g = rdflib.Graph().parse(data=exported, format="nt")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    assert len(set(g.subjects(eli.is_realized_by, None))) >= 1, "no work in the export"
    ok, text = _validate(g)
    assert ok, text[:3000]


def test_bad_citation_kind_is_caught(exported):
    g = rdflib.Graph().parse(data=exported, format="nt")
    pkg = rdflib.Namespace("https://w3id.org/policykg/ontology#")
    cit = next(g.subjects(rdflib.RDF.type, pkg.Citation))
    g.set((cit, pkg.citationKind, rdflib.Literal("quotes")))
    ok, text = _validate(g)
    assert not ok and "citationKind" in text


def test_editions_alignments_and_changes_are_in_the_export(exported):
    g = rdflib.Graph().parse(data=exported, format="nt")
    pkg = rdflib.Namespace("https://w3id.org/policykg/ontology#")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    replaced = [(a, b) for a, b in g.subject_objects(dct.isReplacedBy)]
    assert replaced, "no dct:isReplacedBy between the 1996 and 2022 editions"
    for a, b in replaced:
        assert str(g.value(a, eli.version_date)) < str(g.value(b, eli.version_date))
    aligns = set(g.subjects(rdflib.RDF.type, pkg.Alignment))
    assert len(aligns) >= 10, f"expected the seed's measures aligned with 国发〔2019〕4号, got {len(aligns)}"
    for a in aligns:
        local, national = g.value(a, pkg.localMeasure), g.value(a, pkg.nationalMeasure)
        assert (local, pkg.correspondsTo, national) in g
        assert 0 < float(g.value(a, pkg.alignmentScore)) <= 1
    kinds = {str(o) for o in g.objects(None, pkg.citationKind)}
    assert "amended_by" in kinds or "based_on" in kinds


def test_alignment_without_its_national_measure_is_caught(exported):
    g = rdflib.Graph().parse(data=exported, format="nt")
    pkg = rdflib.Namespace("https://w3id.org/policykg/ontology#")
    a = next(g.subjects(rdflib.RDF.type, pkg.Alignment))
    g.remove((a, pkg.nationalMeasure, None))
    ok, text = _validate(g)
    assert not ok and "nationalMeasure" in text
