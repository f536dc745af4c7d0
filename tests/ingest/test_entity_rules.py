"""Boundaries, functional names and generic roles on sentences of the kinds policy documents use."""

from __future__ import annotations

import pytest

from ingest.entities import extract_mentions
from ingest.model import EntityType as ET
from ontology.gazetteer import Gazetteer


def _m(text, home=None):
    h = Gazetteer.default().get(home) if home else None
    return [(m.text, m.type, m.entity) for m in extract_mentions(text, home=h)]


def test_x_deng_bumen_is_a_mention_of_x():
    assert _m("银保监会等部门负责") == [("银保监会", ET.GOVERNMENT_BODY, "china-banking-and-insurance-regulatory-commission")]


def test_list_of_ministries_gives_one_mention_each():
    got = _m("人力资源社会保障部、住房城乡建设部、商务部负责")
    assert [g[2] for g in got] == ["ministry-of-human-resources-and-social-security",
                                   "ministry-of-housing-and-urban-rural-development", "ministry-of-commerce"], got


def test_party_organisations_in_schools_are_no_school():
    got = _m("加强中国共产党职业学校基层组织建设")
    assert [(t, ty) for t, ty, _ in got] == [("中国共产党职业学校基层组织", ET.GENERIC)], got


def test_functional_name_is_the_ministry_not_the_state_council():
    assert _m("由国务院专利行政部门负责") == [
        ("国务院专利行政部门", ET.GOVERNMENT_BODY, "china-national-intellectual-property-administration")]
    assert _m("国务院教育行政部门会同") == [("国务院教育行政部门", ET.GOVERNMENT_BODY, "ministry-of-education")]


@pytest.mark.parametrize("text, phrase", [
    ("有关部门要加强协调", "有关部门"), ("财政部门予以支持", "财政部门"), ("住房城乡建设部门负责", "住房城乡建设部门"),
    ("各省份要抓紧", "各省份"), ("县级以上地方人民政府应当", "县级以上地方人民政府"),
    ("财政、发展改革、教育、人力资源社会保障等部门", "财政、发展改革、教育、人力资源社会保障等部门"),
    ("市和区县（市）人民政府应当", "市和区县（市）人民政府"),
])
def test_generic_references_are_generic_roles(text, phrase):
    got = _m(text)
    assert (phrase, ET.GENERIC) in [(t, ty) for t, ty, _ in got], got
    assert not [g for g in got if g[1] is ET.GOVERNMENT_BODY], got


def test_longest_match_and_place_prefix():
    assert _m("支持福建自贸试验区开展试点")[0][:2] == ("福建自贸试验区", ET.PLACE)
    assert _m("福建省药品监督管理部门负责")[0][:2] == ("福建省药品监督管理部门", ET.GOVERNMENT_BODY)
    assert _m("将台湾地区生产且经平潭口岸进口") == [("台湾地区", ET.PLACE, "台湾地区"), ("平潭口岸", ET.PLACE, "平潭口岸")]


@pytest.mark.parametrize("text", ["推动贸易和政策协调", "行政和事业单位", "建设创新平台", "以习近平新时代中国特色社会主义思想为指导",
                                  "依据《国务院关于促进融资担保行业加快发展的意见》", "国办发〔2019〕4号"])
def test_no_place_or_body_where_there_is_none(text):
    assert _m(text) == [], _m(text)


def test_names_in_no_list_are_found():
    for text, name, etype in [
        ("各地工作进展情况要定期报告国务院深化医药卫生体制改革领导小组。", "国务院深化医药卫生体制改革领导小组", ET.GOVERNMENT_BODY),
        ("向中国证券投资基金业协会申请登记", "中国证券投资基金业协会", ET.ORGANISATION),
        ("国家融资担保基金要发挥作用", "国家融资担保基金", ET.ORGANISATION),
        ("由石家庄市人力资源和社会保障局牵头", "石家庄市人力资源和社会保障局", ET.GOVERNMENT_BODY),
    ]:
        got = [(t, ty) for t, ty, _ in _m(text)]
        assert (name, etype) in got, (text, got)


def test_the_party_is_the_cpc():
    assert _m("坚持党的领导") == [("党", ET.ORGANISATION, "communist-party-of-china")]
    assert _m("党中央决定")[0][2] == "cpc-central-committee"


def test_hong_kong_and_macao_abbreviated_together():
    got = _m("支持港澳专业人才")
    assert [(t, e) for t, _, e in got if _ is ET.PLACE] == [("港", "xianggang"), ("澳", "aomen")], got


def test_bodies_of_the_issuing_place():
    got = _m("市教育行政主管部门应当会同人力资源社会保障等行政部门、总工会、相关行业组织", home="ningbo")
    assert [(t, e) for t, _, e in got] == [("市教育行政主管部门", "宁波市教育局"), ("人力资源社会保障", "宁波市人力资源和社会保障局"),
                                           ("总工会", "宁波市总工会")], got
    assert _m("省人民政府应当加强领导", home="henan")[0][2] == "河南省政府"
    assert _m("省人民政府应当加强领导")[0][1] is ET.GOVERNMENT_BODY  # no home: still a body, named as written
    m = extract_mentions("宁波市教育局负责")[0]
    assert m.entity == "宁波市教育局" and "宁波教育局" in m.aliases and "Ningbo Municipal Education Bureau" in m.aliases
