from __future__ import annotations

import pytest

from ingest.targets import cn_to_number, extract_targets


@pytest.mark.parametrize(
    "text, surface, quantity, qmax, unit, comparator, year",
    [
        ("到2022年，全部达标", "到2022年", None, None, "年", None, 2022),
        ("市域内26所公办中职学校", "26所", 26, None, "所", "eq", None),
        ("专业教师中“双师型”教师占比不低于50%。", "不低于50%", 50, None, "%", "ge", None),
        ("按照不超过总编制数15%的比例", "不超过总编制数15%", 15, None, "%", "le", None),
        ("成立10家左右双师型教师培养培训基地", "10家左右", 10, None, "家", "about", None),
        ("力争5-6所中职学校入选", "5-6所", 5, 6, "所", "range", None),
        ("打造1-2个产教融合集团", "1-2个", 1, 2, "个", "range", None),
        ("建成3—4个省级团队", "3—4个", 3, 4, "个", "range", None),
        ("占专业课教师总数超过一半", "超过一半", 50, None, "%", "gt", None),
        ("提取15%用于奖励", "15%", 15, None, "%", "eq", None),
        ("唐县等五个邻近县", "五个", 5, None, "个", "eq", None),
        ("培育二十六家企业", "二十六家", 26, None, "家", "eq", None),
        ("投入3.5亿元", "3.5亿元", 3.5, None, "亿元", "eq", None),
        ("培训2万人", "2万人", 2, None, "万人", "eq", None),
        ("每个示范园区至少培育5家以上的企业", "至少培育5家以上", 5, None, "家", "ge", None),
    ],
)
def test_target_forms(text, surface, quantity, qmax, unit, comparator, year):
    got = extract_targets(text)
    assert len(got) == 1, f"{text!r}: expected one target, got {got}"
    t = got[0]
    assert text[t.start : t.end] == t.text == surface, (surface, t)
    assert (t.quantity, t.quantity_max, t.unit, t.comparator, t.year) == (quantity, qmax, unit, comparator, year), t


def test_offset_shifts_spans():
    text = "到2025年建成26所"
    targets = extract_targets(text, offset=100)
    assert [(t.start, t.end) for t in targets] == [(100, 106), (108, 111)], targets


@pytest.mark.parametrize("text", ["一个", "统一个人", "第一所", "从2019年开始", "9+2职业教育协作区", "国发〔2019〕4号"])
def test_not_targets(text):
    assert extract_targets(text) == [], extract_targets(text)


def test_chinese_numerals():
    assert [cn_to_number(x) for x in ("十", "十五", "二十", "一百零五", "两")] == [10, 15, 20, 105, 2]
