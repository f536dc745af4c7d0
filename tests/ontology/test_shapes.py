"""The SHACL shapes accept the documented triple patterns and catch real mistakes."""

from __future__ import annotations

import pyshacl
import pytest
import rdflib

from ontology.namespace import ONTOLOGY_PATH, SHAPES_PATH

PREFIXES = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/policykg/id/> .
"""

VALID = PREFIXES + """
<doc/d1> a eli:LegalResource ; dct:title "实施意见"@zh ; eli:id_local "冀政字〔2021〕61号" ;
    eli:date_document "2021-11-04"^^xsd:date ; pkg:kind "policy" .
<doc/d1/section/1> a pkg:Section, eli:LegalResourceSubdivision ; eli:is_part_of <doc/d1> ;
    eli:number "1" ; pkg:numberLabel "一、" ; pkg:ordinal 1 ; pkg:heading "提高质量"@zh .
<doc/d1/measure/6> a pkg:Measure, eli:LegalResourceSubdivision ; eli:is_part_of <doc/d1>, <doc/d1/section/1> ;
    eli:number "6." ; pkg:numberLabel "6." ; pkg:number 6 ; pkg:ordinal 6 ;
    pkg:text "6. 加快构建多元办学格局。"@zh ; pkg:involves <entity/hsvc> ; pkg:supports <entity/hsvc> ;
    pkg:mentions <entity/baoding> ; pkg:hasTarget <doc/d1/measure/6/target/1> .
<entity/hsvc> a org:Organization, pkg:VocationalCollege ;
    skos:prefLabel "河北软件职业技术学院"@zh, "Hebei Software Vocational College"@en ; skos:altLabel "河北软件职院"@zh .
<entity/baoding> a skos:Concept, pkg:Place ; skos:inScheme pkg:places ; skos:prefLabel "保定市"@zh .
<doc/d1/measure/6/mention/1> a pkg:Mention, oa:TextPositionSelector ; oa:start 120 ; oa:end 130 ;
    oa:exact "河北软件职业技术学院" ; pkg:agent <entity/hsvc> ; prov:wasDerivedFrom <doc/d1/measure/6> ;
    pkg:evidenceKind "gazetteer" .
<doc/d1/measure/6/involvement/1> a pkg:Involvement ; prov:wasDerivedFrom <doc/d1/measure/6> ;
    pkg:agent <entity/hsvc> ; pkg:role "support_target" ; pkg:evidence <doc/d1/measure/6/mention/1> ;
    pkg:confidence 1.0 .
<doc/d1/measure/6/target/1> a pkg:Target ; pkg:quantity 26.0 ; pkg:unit "所" ; pkg:comparator "eq" ;
    pkg:deadlineYear 2022 ; pkg:evidence <doc/d1/measure/6/target/1/span> .
<doc/d1/measure/6/target/1/span> a pkg:Mention, oa:TextPositionSelector ; oa:start 140 ; oa:end 143 ;
    prov:wasDerivedFrom <doc/d1/measure/6> .
<doc/a3> a eli:LegalResource ; dct:title "保定市建设任务清单"@zh ; pkg:kind "attachment" .
<doc/a3/task/1> a pkg:Task ; eli:is_part_of <doc/a3> ; pkg:ordinal 1 ; pkg:text "建设职教园区"@zh ;
    pkg:leadBy <entity/hsvc> ; pkg:deadline "2022-12-31"^^xsd:date ; pkg:implements <doc/d1/measure/6> .
"""


def _conforms(data: str) -> tuple[bool, str]:
    g = rdflib.Graph().parse(data=data, format="turtle")
    g.parse(ONTOLOGY_PATH)  # the role and scheme individuals
    conforms, _, text = pyshacl.validate(g, shacl_graph=rdflib.Graph().parse(SHAPES_PATH), advanced=True)
    return conforms, text


def test_documented_pattern_conforms():
    ok, report = _conforms(VALID)
    assert ok, report


@pytest.mark.parametrize(
    "old, new, why",
    [
        ('dct:title "实施意见"@zh ;', "", "document without title"),
        ('eli:id_local "冀政字〔2021〕61号" ;', 'eli:id_local "a", "b" ;', "two 发文字号"),
        ("pkg:ordinal 6 ;", 'pkg:ordinal "6" ;', "ordinal as a string"),
        ("eli:is_part_of <doc/d1>, <doc/d1/section/1> ;", "eli:is_part_of <doc/d1>, <doc/a3> ;", "measure in two documents"),
        ("eli:is_part_of <doc/d1>, <doc/d1/section/1> ;", "eli:is_part_of <doc/d1/section/1> ;", "measure in no document"),
        ("prov:wasDerivedFrom <doc/d1/measure/6> ;\n    pkg:agent", "pkg:agent", "involvement without its measure"),
        ('skos:prefLabel "河北软件职业技术学院"@zh, ', "skos:prefLabel ", "organisation without a Chinese label"),
        ("oa:start 120 ;", 'oa:start "120" ;', "span start not an integer"),
        ("oa:end 130 ;", "", "span without end"),
        ('pkg:role "support_target" ;', 'pkg:role "boss" ;', "unknown role"),
        ("pkg:evidence <doc/d1/measure/6/mention/1> ;", "", "involvement without evidence"),
        ('pkg:comparator "eq" ;', 'pkg:comparator "approximately" ;', "unknown comparator"),
        ('pkg:deadline "2022-12-31"^^xsd:date', 'pkg:deadline "2022年底"', "deadline not a date"),
        ("skos:inScheme pkg:places ;", "", "concept outside any scheme"),
    ],
)
def test_mistakes_are_caught(old, new, why):
    assert old in VALID, old
    ok, _ = _conforms(VALID.replace(old, new, 1))
    assert not ok, f"shapes accepted a graph with: {why}"
