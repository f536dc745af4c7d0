"""Citations in a document's text: titles, short names, kinds and article targets."""

from __future__ import annotations

import pytest

from ingest.citations import extract_citations, is_document_title
from ingest.document import parse_file
from ingest.model import Document


def _cites(text: str, title: str = "某条例"):
    return [(c.title, c.kind, c.article, c.short) for c in extract_citations(Document(key="k", title=title, text=text))]


def test_kinds_are_kept_apart():
    text = ("第一条 为了规范管理，根据《中华人民共和国教育法》，制定本条例。"
            "第二条 违反本条例的，依照《中华人民共和国治安管理处罚法》第五十条的规定处罚。"
            "第三条 本条例自2020年1月1日起施行，1990年发布的《某某管理办法》同时废止。")
    assert _cites(text) == [
        ("中华人民共和国教育法", "based_on", None, False),
        ("中华人民共和国治安管理处罚法", "cites", "第五十条", False),
        ("某某管理办法", "repeals", None, False),
    ]


def test_short_names_in_citing_clauses():
    got = _cites("第一条 为了实施科教兴国战略，根据教育法和劳动法，制定本法。第九条 依照本法和有关法律的规定执行。")
    assert got == [("教育法", "based_on", None, True), ("劳动法", "based_on", None, True)]


def test_not_document_titles_are_no_citations():
    assert not is_document_title("企业法人营业执照")
    assert not is_document_title("规划")
    assert is_document_title("中华人民共和国民事诉讼法（试行）")
    assert _cites("领取《企业法人营业执照》后，按照《规划》执行。") == []


def test_title_of_an_implementing_regulation():
    got = _cites("第一条 本办法适用于全市。", title="上海市实施《中华人民共和国义务教育法》办法")
    assert got == [("中华人民共和国义务教育法", "implements", None, False)]


@pytest.mark.corpus
def test_seed_implements_the_national_plan(seed_path):
    got = [(c.title, c.kind) for c in extract_citations(parse_file(seed_path))]
    assert got == [("国家职业教育改革实施方案", "implements")], got


@pytest.mark.corpus
def test_vocational_law_1996_is_based_on_two_laws(corpus_dir):
    doc = parse_file(next((corpus_dir / "laws" / "行政法").glob("职业教育法(1996-*).txt")))
    basis = [(c.title, c.measure) for c in extract_citations(doc) if c.kind == "based_on"]
    assert basis == [("教育法", 1), ("劳动法", 1)], basis


def test_short_names_keep_their_inner_he_and_real_law_prefixes():
    got = _cites("第七十六条 行政法规的决定程序依照中华人民共和国国务院组织法的有关规定办理。"
                 "第八条 人民法院采取保全措施，适用民事诉讼法的有关规定。"
                 "第九条 申请人依照行政复议法对决定不服的，可以起诉。"
                 "第十条 精神障碍患者违反治安管理处罚法或者触犯刑法的，依照有关法律的规定处理。"
                 "第十一条 违反本条例规定，依照计量法实施细则处罚。")
    assert [t for t, *_ in got] == ["中华人民共和国国务院组织法", "民事诉讼法", "行政复议法", "治安管理处罚法", "刑法",
                                    "计量法实施细则"], got


def test_amendments_and_changes():
    doc = Document(key="k", title="全国人民代表大会常务委员会关于修改《中华人民共和国教育法》的决定", text="对《中华人民共和国教育法》作如下修改：一、删去第十条。",
                   metadata={"promulgation": "2000年1月30日 国务院令第279号发布\n2017年10月7日 《国务院关于修改部分行政法规的决定》第一次修订"})
    got = [(c.title, c.kind, c.start) for c in extract_citations(doc)]
    assert ("中华人民共和国教育法", "changes", -1) in got, got
    assert ("国务院关于修改部分行政法规的决定", "amended_by", -1) in got, got
    assert [k for t, k, s in got if s >= 0] == ["changes"], got
