"""The place, body and document-name phases of the entity rules, on sentences of the kinds the
annotated documents use (chains of divisions, renamed units, zones, party committees, defined names)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from ingest.entities import extract_mentions
from ingest.entity_names import document_names
from ingest.entity_words import _jieba, word_bounds
from ingest.model import EntityType as ET

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def _m(text, names=None):
    return [(m.text, m.type, m.label) for m in extract_mentions(text, names=names)
            if m.type is not ET.GENERIC and m.type is not ET.INDUSTRY]


def test_a_chain_of_divisions_is_one_mention_per_division():
    assert [(t, ty) for t, ty, _ in _m("河北省邢台市实施改革")] == [("河北省", ET.PLACE), ("邢台市", ET.PLACE)]
    got = _m("广东省深圳市福田区以智慧化")
    assert [t for t, _, _ in got] == ["广东省", "深圳市", "福田区"], got


def test_a_division_right_after_its_ancestor_needs_no_word_boundary():
    assert [t for t, _, _ in _m("湖北省钟祥市大力推进")] == ["湖北省", "钟祥市"]


def test_a_renamed_county_keeps_its_new_level_word():
    got = _m("湖南省宁乡市推进融合发展")
    assert got[1][:2] == ("宁乡市", ET.PLACE) and got[1][2] == "宁乡县", got


def test_a_zone_after_its_province_and_a_sub_area_after_its_zone():
    assert [(t, ty) for t, ty, _ in _m("湖北省武汉东湖新技术开发区大力推进")] == [
        ("湖北省", ET.PLACE), ("武汉东湖新技术开发区", ET.PLACE)]
    assert [t for t, _, _ in _m("辽宁自贸试验区营口片区以制度创新")] == ["辽宁自贸试验区营口片区"]
    assert [t for t, _, _ in _m("连接雄安新区与北京大兴国际机场之间")] == ["雄安新区", "北京大兴国际机场"]


def test_party_committee_of_a_province_and_no_list_as_one_name():
    got = _m("河北省委和省政府要切实履行主体责任")
    assert ("河北省委", ET.GOVERNMENT_BODY, "中国共产党河北省委员会") in got, got
    assert all("和" not in t for t, _, _ in got), got


@pytest.mark.parametrize("text", ["坚持市场机制和政府作用相结合", "设立国家和地方融资担保基金", "当前，我国就业局势保持稳定",
                                  "推动与全国性银行业金融机构合作"])
def test_lists_and_words_are_no_pattern_names(text):
    assert [t for t, ty, _ in _m(text) if ty is not ET.PLACE] == [], _m(text)


def test_state_council_distributes_over_a_list_of_functional_names():
    got = [label for _, _, label in _m("国务院教育行政部门、人力资源社会保障行政部门和其他有关部门")]
    assert got == ["教育部", "人力资源和社会保障部"], got


def test_a_campus_in_brackets_is_part_of_the_name():
    assert _m("委托中国地质大学（武汉）对该村")[0][0] == "中国地质大学（武汉）"


def test_names_a_document_defines_are_mentions_wherever_it_uses_them():
    text = ("由国务院办公厅、国家医保局组成国家组织药品集中采购和使用试点工作小组（以下简称试点工作小组）。\n"
            "成立联合采购办公室。\n巴东县官渡口镇马鬃山村村民经常感到地面振动。")
    names = document_names(text, extract=extract_mentions)
    assert {"试点工作小组", "联合采购办公室", "官渡口镇", "马鬃山村", "马鬃山"} <= set(names), names
    got = _m("试点工作小组办公室设在国家医保局，联合采购办公室负责。马鬃山房屋开裂", names)
    assert ("试点工作小组办公室", ET.GOVERNMENT_BODY) in [(t, ty) for t, ty, _ in got], got
    assert ("联合采购办公室", ET.GOVERNMENT_BODY) in [(t, ty) for t, ty, _ in got], got
    assert ("马鬃山", ET.PLACE) in [(t, ty) for t, ty, _ in got], got
    assert "成立" not in "".join(t for t, _, _ in got)


def test_activity_words_name_no_body():
    assert "改革工作领导小组" not in document_names("市、县两级同步成立改革工作领导小组，推动改革", extract=extract_mentions)


def test_word_bounds_follow_jiebas_own_route():
    tok = _jieba()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "gov-policy").glob("*.txt"))[:5])
    rnd = random.Random(7)
    for _ in range(2000):
        a = rnd.randrange(len(text) - 30)
        w = text[a : a + rnd.randint(1, 30)]
        dag, route = tok.get_DAG(w), {}
        tok.calc(w, dag, route)
        ref, x = {0, len(w)}, 0
        while x < len(w):
            x = route[x][1] + 1
            ref.add(x)
        assert word_bounds(w) == frozenset(ref), w
