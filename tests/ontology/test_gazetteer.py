from __future__ import annotations

import pytest

from ingest.model import EntityType
from ontology.gazetteer import Entry, Gazetteer, normalize_name
from core.errors import BadInputError


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.default()


@pytest.mark.parametrize(
    "name, entry_id",
    [
        ("河北软件职业技术学院", "hebei-software-vocational-college"),
        ("河北软件职院", "hebei-software-vocational-college"),
        ("Hebei Software Vocational College", "hebei-software-vocational-college"),
        ("hebei software institute", "hebei-software-vocational-college"),
        ("保定市政府", "baoding-municipal-government"),
        ("保定市人民政府", "baoding-municipal-government"),
        ("河北省政府", "hebei-provincial-government"),
        ("省教育厅", "hebei-department-of-education"),
        ("市、县两级政府", "municipal-and-county-governments"),
        ("市、县(市、区)政府", "municipal-and-county-governments"),
        ("Ministry of Education", "ministry-of-education"),
        ("深圳湾(保定)创新中心", "shenzhen-bay-baoding-innovation-centre"),
        ("百度", "baidu"),
        ("双高计划", "double-high-plan"),
    ],
)
def test_lookup(gaz, name, entry_id):
    e = gaz.lookup(name)
    assert e is not None and e.id == entry_id, f"{name!r}: expected {entry_id}, got {e}"


def test_seed_and_gov_policy_names_are_covered(gaz):
    names = [
        "冀中职业学院", "保定电力职业技术学院", "河北曲阳雕刻学校", "曲阳县职业技术教育中心", "阜平职教中心", "保定学院",
        "河北金融学院", "苏州工业园区职业技术学院", "教育部", "雄安新区管委会", "省政府办公厅", "国务院", "财政部门",
        "人力资源社会保障部门", "保定国家高新技术产业开发区", "保定国家大学科技园", "保定深圳高新技术科技创新产业园",
        "新发地高碑店农副产品物流园", "河北-京南科技成果转化试验区", "保定职教园区", "高新区软件园", "百度定兴大型数据中心",
        "河北省新一代信息技术职业教育集团", "电力产教融合联盟", "数字经济", "新能源汽车", "中医药", "电力智造",
        "生命健康", "新一代信息技术", "高端装备制造", "节能环保", "纺织", "阜平", "涿州", "高碑店", "定兴", "安国", "博野",
        "蠡县", "高阳", "涞源", "易县", "涞水", "曲阳", "唐县", "望都", "顺平", "徐水", "雄安新区", "京津冀", "白洋淀",
        "狼牙山", "1+X证书制度", "京畿人才计划", "人才十条", "9+2职业教育协作区", "鲁班工坊", "祖冲之学院",
        "国务院办公厅", "国家发展改革委", "财政部", "人力资源社会保障部", "工业和信息化部",
    ]
    missing = [n for n in names if gaz.lookup(n) is None]
    assert missing == [], f"not in the gazetteer: {missing}"


def test_hierarchies(gaz):
    assert gaz.get("new-energy-vehicles").parent == "automotive"
    assert [e.id for e in gaz.ancestors("fuping")] == ["baoding", "hebei", "china"]
    assert gaz.get("baidu-dingxing-data-centre").parent == "baidu"


def test_every_entry_has_zh_and_en_and_known_type(gaz):
    for e in gaz.entries:
        assert e.zh and e.en and isinstance(e.type, EntityType), e
        if e.type in (EntityType.INDUSTRY, EntityType.PLACE, EntityType.PROGRAMME):
            assert e.scheme in ("industries", "places", "programmes"), e


def test_names_longest_first_and_chinese_only(gaz):
    names = gaz.names()
    assert len(names[0]) >= len(names[-1])
    assert "Baidu" not in names and "百度" in names


def test_conflicting_names_are_rejected():
    a = Entry("a", EntityType.PLACE, "甲地", "A")
    b = Entry("b", EntityType.PLACE, "乙地", "B", aliases=("甲地",))
    with pytest.raises(BadInputError, match="甲地"):
        Gazetteer([a, b])
    with pytest.raises(BadInputError, match="parent"):
        Gazetteer([Entry("c", EntityType.PLACE, "丙地", "C", parent="nope")])


def test_bad_tsv_is_reported(tmp_path):
    (tmp_path / "x.tsv").write_text("id\ttype\tzh\ten\taliases\tparent\tscheme\nq\tcastle\t城堡\tCastle\t\t\t\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="unknown type 'castle'"):
        Gazetteer.load(tmp_path)


def test_normalize_name():
    assert normalize_name("Ｈｅｂｅｉ  Software") == "hebeisoftware"
