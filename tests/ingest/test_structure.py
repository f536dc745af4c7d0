"""Structure parsing on real documents: measures, sections, metadata, spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean_page
from ingest.model import AttachmentRef, Document
from ingest.read import iter_files, read_file
from ingest.refs import normalise_ref
from ingest.structure import parse_structure

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
SEED = CORPUS / "seed" / "baoding-vocational-2021.txt"
GOV4 = CORPUS / "gov-policy" / "国发〔2019〕4号_国务院关于印发国家职业教育改革实施方案的通知.txt"


def parse(path: Path) -> Document:
    raw = read_file(path)
    text, meta = clean_page(raw.text)
    return parse_structure(text, meta, source=str(path), sha1=raw.sha1)


@pytest.fixture(scope="module")
def seed() -> Document:
    return parse(SEED)


@pytest.fixture(scope="module")
def gov4() -> Document:
    return parse(GOV4)


SEED_MEASURES = [
    (1, "提升职业教育整体办学水平"),
    (1, "畅通技术技能人才成长通道"),
    (1, "推动职业教育特色集群发展"),
    (1, "打造“双师型”教师队伍"),
    (2, "优化产教融合发展机制"),
    (2, "加快构建多元办学格局"),
    (2, "服务区域重点产业"),
    (3, "大力推动协同创新"),
    (3, "强化创新平台载体建设"),
    (4, "创新服务乡村振兴新路径"),
    (4, "精准服务县域主导产业、特色产业"),
    (4, "加大服务生态环境领域力度"),
    (5, "传承创新民族传统工艺、民间技艺"),
    (5, "服务支撑现代文化产业"),
    (5, "提升职业教育国际影响力"),
    (6, "建立部省协调机制"),
    (6, "健全经费投入机制"),
    (6, "优化改革发展环境"),
]


def test_seed_18_measures_in_6_sections(seed):
    assert len(seed.sections) == 6, [s.title for s in seed.sections]
    assert [s.label for s in seed.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert seed.sections[0].title == "提高技术技能人才供给质量，打造人才保定"
    got = [(m.number, m.label, m.section, m.heading) for m in seed.measures]
    want = [(i, f"{i}.", sec, head) for i, (sec, head) in enumerate(SEED_MEASURES, 1)]
    assert got == want
    assert [m.ordinal for m in seed.measures] == list(range(1, 19))
    for m in seed.measures:
        assert m.text.startswith(f"{m.number}. {m.heading}。"), (m.number, m.text[:30])


def test_seed_measure_5_joined_and_measure_7_two_paragraphs(seed):
    m5, m7, m18 = seed.measures[4], seed.measures[6], seed.measures[17]
    assert "统筹保定职教园区教育资源，加速推进产教城深度融合" in m5.text
    assert m5.text.endswith("技能大赛等需要。"), m5.text[-20:]
    assert "\n\n提升职业教育服务保定市“医、车、电、数”等重点产业能力" in m7.text
    assert m7.text.endswith("建设一批数字产业产教融合示范基地。"), m7.text[-20:]
    assert m18.text.endswith("切实提高职业教育吸引力。"), "the attachment list and signature are not part of measure 18"


def test_seed_metadata(seed):
    assert seed.key == seed.docno == "冀政字〔2021〕61号"
    assert seed.title == "教育部河北省人民政府关于提升区域职业教育发展动能打造品质保定的实施意见"
    assert seed.date == "2021-11-04"
    assert seed.kind == "policy"
    assert seed.issuers == ["教育部", "河北省人民政府"]
    assert seed.signatories == ["教育部", "河北省人民政府"]
    assert seed.addressees == ["教育部各司局", "教育部各有关直属单位", "河北省保定市人民政府", "雄安新区管委会", "省人民政府有关部门"]
    assert seed.subjects == ["科技", "教育"]
    assert seed.attachments == [
        AttachmentRef(1, "教育部支持政策清单"),
        AttachmentRef(2, "河北省支持政策与措施清单"),
        AttachmentRef(3, "保定市建设任务清单"),
    ]
    assert "国家职业教育改革实施方案" in seed.cites, seed.cites
    start, end = seed.preamble
    assert seed.text[start:end].startswith("推动京津冀协同发展") and seed.text[start:end].endswith("新样板。")


def test_seed_sentences(seed):
    m1 = seed.measures[0]
    assert m1.sentences[0].text == "1. 提升职业教育整体办学水平。"
    assert m1.sentences[1].text == "启动保定职教园区建设，全面提升市区职业教育承载力和办学水平。"
    assert len(m1.sentences) == 7, [s.text[:10] for s in m1.sentences]


GOV4_HEADINGS = [
    "健全国家职业教育制度框架", "提高中等职业教育发展水平", "推进高等职业教育高质量发展", "完善高层次应用型人才培养体系",
    "完善教育教学相关标准", "启动1+X证书制度试点工作", "开展高质量职业培训", "实现学习成果的认定、积累和转换",
    "坚持知行合一、工学结合", "推动校企全面加强深度合作", "打造一批高水平实训基地", "多措并举打造“双师型”教师队伍",
    "推动企业和社会力量举办高质量职业教育", "做优职业教育培训评价组织", "提高技术技能人才待遇水平", "健全经费投入机制",
    "建立健全职业教育质量评价和督导评估制度", "支持组建国家职业教育指导咨询委员会", "加强党对职业教育工作的全面领导",
    "完善国务院职业教育工作部际联席会议制度",
]
GOV4_SECTIONS = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]
CN = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十".split()


def test_gov4_20_measures_in_7_sections(gov4):
    assert len(gov4.sections) == 7, [s.title for s in gov4.sections]
    assert gov4.sections[-1].title == "做好改革组织实施工作"
    got = [(m.label, m.number, m.section, m.heading) for m in gov4.measures]
    want = [(f"（{c}）", i, s, h) for i, (c, s, h) in enumerate(zip(CN, GOV4_SECTIONS, GOV4_HEADINGS), 1)]
    assert got == want


def test_gov4_cover_letter_is_front_matter(gov4):
    assert gov4.key == "国发〔2019〕4号"
    assert gov4.date == "2019-01-24" and gov4.issuers == ["国务院"]
    assert gov4.addressees == ["各省、自治区、直辖市人民政府", "国务院各部委", "国务院各直属机构"]
    start, end = gov4.preamble
    assert gov4.text[start:end].startswith("职业教育与普通教育是两种不同教育类型"), gov4.text[start : start + 30]
    assert "国发〔2019〕4号" not in gov4.cites and "中华人民共和国职业教育法" in gov4.cites


def test_law_articles_and_chapters():
    doc = parse(CORPUS / "laws" / "行政法" / "人民警察法(2012-10-26).txt")
    assert doc.kind == "law" and doc.title == "中华人民共和国人民警察法"
    assert (len(doc.measures), len(doc.sections)) == (52, 8)
    first, last = doc.measures[0], doc.measures[-1]
    assert (first.label, first.number, first.section) == ("第一条", 1, 1)
    assert first.heading.startswith("为了维护国家安全和社会治安秩序")
    assert (last.label, last.number, last.heading, last.section) == ("第五十二条", 52, "本法自公布之日起施行", 8)
    assert [s.title for s in doc.sections[:2]] == ["总则", "职权"]


def test_law_zhi_yi_articles_and_items_stay_inside():
    doc = parse(CORPUS / "laws" / "刑法" / "刑法.txt")
    labels = [m.label for m in doc.measures]
    i = labels.index("第一百二十条之一")
    assert labels[i - 1 : i + 2] == ["第一百二十条", "第一百二十条之一", "第一百二十条之二"]
    assert doc.measures[i].number == 120
    assert labels[-1] == "第四百五十二条"
    assert len(set(m.ordinal for m in doc.measures)) == len(doc.measures)


def test_report_sections_and_measures():
    doc = parse(CORPUS / "reports" / "government_work_reports" / "2019年中华人民共和国国务院政府工作报告.txt")
    assert doc.kind == "report" and doc.addressees == ["各位代表"]
    assert len(doc.sections) == 3, [s.title for s in doc.sections]
    assert [m.label for m in doc.measures[:2]] == ["（一）", "（二）"]


def test_unstructured_text_is_one_unit():
    text = "今天开了一个会。大家讨论了问题。\n\n会后提出意见。"
    doc = parse_structure(text, {}, sha1="ab" * 20)
    assert doc.kind == "text" and doc.key == "sha1:" + ("ab" * 20)[:16]
    assert [(m.label, m.number, m.ordinal, m.text) for m in doc.measures] == [("", 0, 1, text)]
    assert [s.text for s in doc.measures[0].sentences] == ["今天开了一个会。", "大家讨论了问题。", "会后提出意见。"]


def test_false_starts_are_rejected():
    text = (
        "关于某事的通知\n\n一、总体要求\n\n1. 建设学校。到2022年建成1-2所学校。\n\n（1）第一项；\n\n"
        "3. 这是一个跳号的条目。\n\n2. 完善机制。\n\n附件：1. 任务清单\n\n2. 政策清单\n\n某市人民政府\n\n2021年1月2日"
    )
    doc = parse_structure(text, {})
    assert [(m.label, m.heading) for m in doc.measures] == [("1.", "建设学校"), ("2.", "完善机制")]
    assert "3. 这是一个跳号的条目。" in doc.measures[0].text
    assert doc.measures[1].text == "2. 完善机制。"
    assert doc.attachments == [AttachmentRef(1, "任务清单"), AttachmentRef(2, "政策清单")]
    assert (doc.signatories, doc.date) == (["某市人民政府"], "2021-01-02")


def _span_docs() -> list[Path]:
    laws = iter_files([CORPUS / "laws"])
    return [SEED] + iter_files([CORPUS / "gov-policy"]) + laws[:: max(1, len(laws) // 200)][:200] + iter_files([CORPUS / "reports"])


def test_every_span_points_into_the_text():
    paths = _span_docs()
    assert len(paths) >= 61 + 200 + 80
    for path in paths:
        doc = parse(path)
        for unit in [*doc.measures, *[s for m in doc.measures for s in m.sentences]]:
            assert doc.text[unit.start : unit.end] == unit.text, (path.name, unit.start, unit.end)
        for s in doc.sections:
            assert 0 <= s.start < s.end <= len(doc.text), (path.name, s.label)
            assert s.label in doc.text[s.start : s.end].split("\n", 1)[0], (path.name, s.label)
        for m in doc.measures:
            assert doc.text[m.start :].startswith(m.label) and m.text == m.text.strip(), (path.name, m.label)
        if doc.preamble:
            assert doc.text[doc.preamble[0] : doc.preamble[1]].strip(), path.name
        ordinals = [m.ordinal for m in doc.measures]
        assert ordinals == list(range(1, len(ordinals) + 1)), path.name


# --- numbering schemes beyond the seed: decimal, 第N节, items, section leads, unique refs ------------------

GOV = CORPUS / "gov-policy"
GRAIN = GOV / "国办函〔2005〕57号_国务院办公厅关于印发国家粮食应急预案的函.txt"
FTZ3 = GOV / "国发〔2019〕3号_国务院关于促进综合保税区高水平开放高质量发展的若干意见.txt"
HOSPITAL = GOV / "国办发〔2019〕4号_国务院办公厅关于加强三级公立医院绩效考核工作的意见.txt"
POLICE = CORPUS / "laws" / "行政法" / "人民警察法(2012-10-26).txt"
SH_DATA = CORPUS / "laws" / "DLC" / "上海地方法规" / "地方性法规" / "上海" / "上海市数据条例(2021-11-25).txt"
REPORT_1956 = CORPUS / "reports" / "government_work_reports" / "1956年中华人民共和国国务院政府工作报告.txt"


def test_seed_and_gov4_refs_are_their_printed_labels(seed, gov4):
    assert [m.ref for m in seed.measures] == [f"{i}." for i in range(1, 19)]
    assert [m.section_number for m in seed.measures] == [CN[s - 1] for s, _ in SEED_MEASURES]
    assert [m.ref for m in gov4.measures] == [f"（{c}）" for c in CN]
    assert [s.ref for s in gov4.sections] == CN[:7]
    assert not any(m.items for m in seed.measures + gov4.measures)
    assert not any(s.lead for s in seed.sections + gov4.sections)


GRAIN_MEASURES = ("1.1 1.2 1.3 1.4 2.1 2.2 3.1 3.2 4.1 4.2 4.3 4.4 5.1 5.2 5.3 5.4 5.5 6.1 6.2 6.3 6.4 "
                  "7.1 7.2 7.3").split()


def test_decimal_numbering_sections_measures_items():
    doc = parse(GRAIN)
    assert doc.kind == "policy"
    assert [(s.ref, s.title) for s in doc.sections] == [
        ("1", "总则"), ("2", "组织机构和职责"), ("3", "预警监测"), ("4", "应急响应"), ("5", "应急保障"),
        ("6", "后期处置"), ("7", "附则")]
    assert [m.ref for m in doc.measures] == GRAIN_MEASURES
    assert [m.section_number for m in doc.measures] == [r.split(".")[0] for r in GRAIN_MEASURES]
    by_ref = {m.ref: m for m in doc.measures}
    assert by_ref["1.2"].heading == "等级划分" and by_ref["4.2"].heading == "国家级（Ⅰ级）应急响应"
    assert [i.ref for i in by_ref["1.2"].items] == ["1.2.1", "1.2.2", "1.2.3"]
    assert [i.ref for i in by_ref["1.4"].items] == ["1.4（1）", "1.4（2）", "1.4（3）"]
    assert [i.ref for i in by_ref["5.2"].items] == ["5.2.1", "5.2.2", "5.2.3", "5.2.4"]
    item = by_ref["2.1"].items[2]
    assert item.label == "2.1.3" and item.text.startswith("2.1.3　国家粮食应急工作指挥部成员单位职责")
    assert "（13）其他有关部门" in item.text and doc.text[item.start : item.end] == item.text
    assert by_ref["7.3"].text == "7.3　本预案自印发之日起实施。"
    toc_end = doc.text.index("7　附则") + len("7　附则")  # the table of contents lists 1 总则 … 7 附则 first
    assert doc.sections[0].start > toc_end and doc.measures[0].start > toc_end


def test_items_inside_measures_continue_their_numbering_and_leads_are_units():
    doc = parse(FTZ3)
    assert [s.ref for s in doc.sections] == ["一", "二", "三", "四", "五"]
    assert [m.ref for m in doc.measures] == ["二（一）", "二（二）", "二（三）", "二（四）",
                                             "四（一）", "四（二）", "四（三）", "四（四）", "四（五）"]
    items = [[i.ref for i in m.items] for m in doc.measures]
    assert items[4] == [f"四（一）{n}." for n in range(1, 6)]
    assert items[5] == [f"四（二）{n}." for n in range(6, 10)], "item numbers run on from the previous measure"
    assert sum(len(x) for x in items) == 21 and items[:4] == [[]] * 4
    assert doc.measures[4].items[0].text.startswith("1.拓展两个市场。")
    leads = {s.ref: doc.text[s.lead[0] : s.lead[1]] for s in doc.sections if s.lead}
    assert set(leads) == {"一", "三", "五"}, "二 and 四 open straight into their measures"
    assert leads["三"].startswith("三、发展目标\n") and "对标高质量发展要求" in leads["三"]
    assert "（一）" not in leads["一"] and leads["五"].startswith("五、有关要求")


def test_restarting_numbering_gets_section_prefixed_refs():
    doc = parse(HOSPITAL)
    assert len(doc.measures) == 19 and len(doc.sections) == 5
    assert [m.ref for m in doc.measures if m.number == 2] == ["一（二）", "二（二）", "三（二）", "四（二）", "五（二）"]
    assert [m.label for m in doc.measures if m.number == 2] == ["（二）"] * 5, "the printed label is kept"
    m = doc.measures[8]
    assert (m.ref, m.section_number, m.heading) == ("三（二）", "三", "统一编码和术语集")
    assert [s.ref for s in doc.sections if s.lead] == ["二", "四"]


def test_law_articles_items_and_jie_inside_chapters():
    police = parse(POLICE)
    by_ref = {m.ref: m for m in police.measures}
    assert [i.ref for i in by_ref["第六条"].items] == [f"第六条（{c}）" for c in CN[:14]]
    assert by_ref["第六条"].items[-1].text == "（十四）法律、法规规定的其他职责。"
    assert [i.label for i in by_ref["第九条"].items] == ["（一）", "（二）", "（三）", "（四）"]
    assert by_ref["第七条"].items == []
    data = parse(SH_DATA)
    assert len(data.measures) == 91, "articles are unchanged by the 节 level"
    chapters = [s for s in data.sections if s.level == 1]
    jie = [s for s in data.sections if s.level == 2]
    assert [s.ref for s in chapters] == [f"第{c}章" for c in CN[:10]]
    assert [s.ref for s in jie] == ["第二章第一节", "第二章第二节", "第三章第一节", "第三章第二节", "第三章第三节",
                                    "第四章第一节", "第四章第二节"]
    assert all(data.sections[s.parent - 1].level == 1 for s in jie)
    by_ref = {m.ref: m for m in data.measures}
    assert (by_ref["第十一条"].section_number, by_ref["第十二条"].section_number) == ("第一章", "第二章第一节")
    chapter2 = data.sections[1]
    assert chapter2.ref == "第二章" and chapter2.end > jie[1].start, "a chapter spans its 节"


def test_report_sections_without_measures_are_leads():
    doc = parse(REPORT_1956)
    assert doc.kind == "report" and doc.measures == [] and len(doc.sections) == 3
    assert all(s.lead == (s.start, s.end) for s in doc.sections)
    from search.index import units_from_document

    units = units_from_document(doc)
    assert [(u.ref, u.ordinal, u.number) for u in units] == [("一", None, None), ("二", None, None), ("三", None, None)]
    assert units[1].text.startswith("二、") and units[1].id.endswith("/section/2")


def test_find_unit_by_label_item_section_and_ordinal():
    from ingest.refs import find_unit
    from core.errors import BadInputError, NotFoundError

    doc = parse(HOSPITAL)
    assert find_unit(doc, "三（二）")[0].ordinal == 9
    assert find_unit(doc, " 三(二) ")[0].ordinal == 9, "ASCII brackets and spaces are read the same"
    assert find_unit(doc, "2")[0].ordinal == 2 and find_unit(doc, 19)[0].ref == "五（五）"
    assert find_unit(doc, "四")[2].ref == "四", "a section's ref names its lead paragraph"
    with pytest.raises(BadInputError, match="一（二）、二（二）"):
        find_unit(doc, "（二）")
    with pytest.raises(NotFoundError, match="no measure '六（一）'"):
        find_unit(doc, "六（一）")
    grain = parse(GRAIN)
    m, item, _ = find_unit(grain, "1.2.3")
    assert (m.ref, item.ref) == ("1.2", "1.2.3")
    assert find_unit(grain, "4.2")[0].heading == "国家级（Ⅰ级）应急响应"
    ftz = parse(FTZ3)
    m, item, _ = find_unit(ftz, "7.")
    assert (m.ref, item.ref) == ("四（二）", "四（二）7."), "an item label used once in the document names it"


def _ref_docs() -> list[Path]:
    laws = iter_files([CORPUS / "laws"])
    return iter_files([GOV]) + laws[:: max(1, len(laws) // 300)][:300] + iter_files([CORPUS / "reports"])


def test_refs_unique_in_every_document():
    paths = _ref_docs()
    assert len(paths) >= 60 + 300 + 80
    for path in paths:
        doc = parse(path)
        refs = [m.ref for m in doc.measures if m.label] + [i.ref for m in doc.measures for i in m.items]
        keys = [normalise_ref(r) for r in refs]
        assert all(refs) and len(set(keys)) == len(keys), (path.name, [r for r in refs if keys.count(normalise_ref(r)) > 1][:5])
        secs = [normalise_ref(s.ref) for s in doc.sections]
        assert all(secs) and len(set(secs)) == len(secs), path.name
        for m in doc.measures:
            assert (m.section_number is None) == (m.section is None), (path.name, m.ref)
            for it in m.items:
                assert m.start < it.start < it.end <= m.end and doc.text[it.start : it.end] == it.text, (path.name, it.ref)
        for s in doc.sections:
            if s.lead:
                assert s.start == s.lead[0] < s.lead[1] <= s.end, (path.name, s.ref)


def test_refs_are_deterministic():
    a, b = parse(FTZ3), parse(FTZ3)
    assert [(m.ref, [i.ref for i in m.items]) for m in a.measures] == [(m.ref, [i.ref for i in m.items]) for m in b.measures]


@pytest.mark.corpus
def test_no_numbered_document_collapses_in_the_whole_corpus():
    """Every file of the corpus with numbered lines (一、/二、, （一）/（二）, 1./2., 1.1/1.2, 第一条/第二条,
    第一章/第二章) has at least two units: numbered measures or section leads."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from structure_report import has_numbering

    paths = iter_files([CORPUS])
    assert len(paths) >= 2148
    numbered = 0
    for path in paths:
        raw = read_file(path)
        text, meta = clean_page(raw.text)
        doc = parse_structure(text, meta, source=str(path), sha1=raw.sha1)
        if has_numbering(text):
            numbered += 1
            units = len([m for m in doc.measures if m.label]) + sum(1 for s in doc.sections if s.lead)
            assert units >= 2, (path.name, doc.kind, len(doc.measures), len(doc.sections))
    assert numbered >= 2000, numbered


def test_numbers_after_markdown_heading_marks():
    """``## 一、…`` headings number sections like ``一、…``; before, measure （七） ran on to the end of the text."""
    doc = parse(CORPUS / "laws" / "DLC" / "北京地方法规" / "地方性法规" / "北京"
                / "北京市人民代表大会常务委员会关于加强市级预算审查监督的决定(2021-12-24).txt")
    assert [s.ref for s in doc.sections] == CN[:14]
    assert doc.sections[13].title == "完善预算工作机构职责"
    assert [(m.ref, m.section) for m in doc.measures] == [(f"（{c}）", 1) for c in CN[:7]]
    assert "加强对预算编制的监督工作" not in doc.measures[-1].text
    assert all(s.lead for s in doc.sections) and doc.sections[0].lead[1] < doc.measures[0].start
    std = parse(CORPUS / "laws" / "其他" / "人体损伤程度鉴定标准(2014-01-01).txt")
    assert [s.title for s in std.sections] == ["范围", "引用文件", "术语定义", "总则", "程度分级", "附则"]
    assert all(s.lead for s in std.sections) and std.measures == [], "unnumbered ## headings: sections with leads"
