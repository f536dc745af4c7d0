from __future__ import annotations

import pytest
from tests.ingest.seed_helpers import SEED

from ingest.entities import annotate, extract_mentions, normalize_key
from ingest.model import Document, EntityType, Measure, Role


def _surfaces(text):
    return [(m.text, m.type) for m in extract_mentions(text)]


@pytest.fixture(scope="module")
def seed_doc():
    from ingest.document import parse_file

    return parse_file(SEED)


def test_which_measures_mention_hebei_software_college(seed_doc):
    got = sorted(m.number for m in seed_doc.measures if any(x.entity == "hebei-software-vocational-college" for x in m.mentions))
    assert got == [6, 7, 15], f"expected measures [6, 7, 15], got {got}"


def test_every_gazetteer_occurrence_is_a_mention(seed_doc):
    """Exactness downstream: each occurrence of a gazetteer name inside a measure is a mention."""
    from ontology.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    for m in seed_doc.measures:
        text = seed_doc.text[m.start : m.end]
        spans = {(x.start - m.start, x.end - m.start) for x in m.mentions}
        for e in gaz.entries:
            if not e.type.is_organization:
                continue
            for name in e.zh_names:
                i = text.find(name)
                while i >= 0:
                    covered = any(a <= i and i + len(name) <= b for a, b in spans)
                    assert covered, f"measure {m.number}: {name!r} at {i} has no mention"
                    i = text.find(name, i + 1)


def test_spans_point_into_document_text(seed_doc):
    for m in seed_doc.measures:
        for x in m.mentions + m.targets:
            assert seed_doc.text[x.start : x.end] == x.text, (m.number, x)


def test_enumeration_gives_one_mention_each():
    text = "支持河北工艺美术职业学院、河北软件职业技术学院、冀中职业学院与企业共建混合所有制二级学院。"
    got = [m for m in extract_mentions(text) if m.type is not EntityType.GENERIC]  # 企业: a class, a generic role
    assert [m.text for m in got] == ["河北工艺美术职业学院", "河北软件职业技术学院", "冀中职业学院"], got
    assert {m.role for m in got} == {Role.SUPPORT_TARGET}, [m.role for m in got]


def test_collective_body_is_one_mention():
    got = extract_mentions("市、县两级政府要为职业学校重大基础设施建设设置绿色通道")
    assert [(m.text, m.entity, m.type) for m in got] == [
        ("市、县两级政府", "municipal-and-county-governments", EntityType.GENERIC),
        ("职业学校", "generic:职业学校", EntityType.GENERIC),  # a class of schools
    ], got


def test_alias_and_full_name_share_a_key():
    a = extract_mentions("保定市政府负责")[0]
    b = extract_mentions("保定市人民政府负责")[0]
    assert a.entity == b.entity == "baoding-municipal-government", (a, b)
    assert a.role is Role.RESPONSIBLE, a
    assert normalize_key("石家庄市人民政府") == normalize_key("石家庄市政府")


@pytest.mark.parametrize(
    "text",
    ["支持职业学校建设", "中职学校和普通高中统一招生", "集中力量建设2所高职院校", "依托规模企业",
     "鼓励保定市职业学校、企业与发达国家合作", "入选国家优质中职学校", "建立专家咨询委员会",
     "构建区域产教深度融合新格局", "向保定延伸布局", "推进京津冀共建职业教育集团"],
)
def test_generic_phrases_are_not_organisations(text):
    orgs = [m for m in extract_mentions(text) if m.type.is_organization]
    assert orgs == [], f"{text!r}: expected no organisation, got {orgs}"


@pytest.mark.parametrize(
    "text, name, etype",
    [
        ("支持石家庄职业技术学院与企业合作", "石家庄职业技术学院", EntityType.VOCATIONAL_COLLEGE),
        ("由廊坊市教育局牵头", "廊坊市教育局", EntityType.GOVERNMENT_BODY),
        ("加强与天津大学的合作", "天津大学", EntityType.UNIVERSITY),
        ("推动江苏省现代农业职业教育集团建设", "江苏省现代农业职业教育集团", EntityType.ALLIANCE),
        ("依托廊坊经济技术开发区", "廊坊经济技术开发区", EntityType.PLACE),  # a named zone is a place (guidelines 4.4)
        ("支持学院建设“墨子学院”等海外学院", "墨子学院", EntityType.UNIVERSITY),
    ],
)
def test_pattern_names(text, name, etype):
    got = [m for m in extract_mentions(text) if m.source == "pattern" and m.type is not EntityType.GENERIC]
    assert [(m.text, m.type) for m in got] == [(name, etype)], got
    assert got[0].entity == normalize_key(name)


@pytest.mark.parametrize(
    "text, name, role",
    [
        ("推动河北软件职业技术学院牵头的河北省新一代信息技术职业教育集团实体化运作", "河北软件职业技术学院", Role.LEAD),
        ("由教育部牵头制定标准", "教育部", Role.LEAD),
        ("鼓励百度举办职业教育", "百度", Role.SUPPORT_TARGET),
        ("责任单位：河北省教育厅", "河北省教育厅", Role.RESPONSIBLE),
        ("财政部配合", "财政部", Role.PARTICIPANT),
        ("加强与保定国家大学科技园合作", "保定国家大学科技园", Role.INVOLVED),
    ],
)
def test_roles(text, name, role):
    got = {m.text: m.role for m in extract_mentions(text)}
    assert got.get(name) is role, f"{text!r}: expected {name} → {role}, got {got}"


def test_shared_suffix_list_naming_no_body_is_one_generic_role():
    got = extract_mentions("整合各县（市、区）人力资源社会保障、扶贫、农业农村等部门培训资源")
    assert [(m.text, m.type) for m in got if m.text.endswith("部门")] == [
        ("人力资源社会保障、扶贫、农业农村等部门", EntityType.GENERIC)], got


def test_parent_organisation_named_inside():
    got = [(m.text, m.entity) for m in extract_mentions("依托百度定兴大型数据中心")]
    assert got == [("百度定兴大型数据中心", "baidu-dingxing-data-centre"), ("百度", "baidu")], got


def test_annotate_fills_measures_only():
    text = "前言。\n1. 支持保定学院发展，到2022年建成3个基地。\n2. 其他。"
    s = text.index("1.")
    e = text.index("\n2.")
    doc = Document(key="k", title="t", text=text, measures=[Measure("1.", 1, 1, "支持保定学院发展", text[s:e], s, e)])
    annotate(doc)
    m = doc.measures[0]
    assert [(x.text, x.start) for x in m.mentions] == [("保定学院", text.index("保定学院"))], m.mentions
    assert [x.text for x in m.targets] == ["到2022年", "3个"], m.targets


def test_targets_inside_names_are_dropped():
    text = "落实“人才十条”等政策"
    doc = Document(key="k", title="t", text=text, measures=[Measure("1.", 1, 1, "", text, 0, len(text))])
    annotate(doc)
    assert doc.measures[0].targets == [], doc.measures[0].targets
