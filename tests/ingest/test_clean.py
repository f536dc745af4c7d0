"""Cleaning page chrome and reading header blocks into metadata."""

from __future__ import annotations

from pathlib import Path

from ingest.clean import clean_page
from ingest.read import read_file

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
SEED = CORPUS / "seed" / "baoding-vocational-2021.txt"
GOV4 = CORPUS / "gov-policy" / "国发〔2019〕4号_国务院关于印发国家职业教育改革实施方案的通知.txt"

CHROME = [
    "THE PEOPLE'S GOVERNMENT",
    "[首页](#)",
    "您当前所在位置",
    "名称：",
    "发布机构",
    "主题分类",
    "【字体",
    "附件.pdf",
    "相关图解",
    "图解 |",
    "省各设区市",
    "省政府各部门",
    "新闻媒体网站",
    "关于本站",
    "版权所有",
    "ICP",
    "站标码",
]


def test_seed_chrome_removed_and_metadata_read():
    text, meta = clean_page(SEED.read_text("utf-8"))
    for chrome in CHROME:
        assert chrome not in text, f"page chrome {chrome!r} left in the cleaned text"
    assert meta == {
        "title": "教育部河北省人民政府关于提升区域职业教育发展动能打造品质保定的实施意见",
        "docno": "冀政字〔2021〕61号",
        "validity": "有效",
        "issuer": "省政府办公厅",
        "date": "2021-11-04",
        "subjects": "科技、教育",
    }, meta
    assert text.startswith("教育部河北省人民政府关于提升区域职业教育发展动能打造品质保定的实施意见\n\n教育部各司局"), text[:80]
    assert text.endswith("附件：1. 教育部支持政策清单\n\n2. 河北省支持政策与措施清单\n\n3. 保定市建设任务清单\n\n教育部\n\n河北省人民政府\n\n2021年11月4日"), text[-80:]


def test_seed_measure_broken_mid_sentence_is_joined():
    text, _ = clean_page(SEED.read_text("utf-8"))
    assert "统筹保定职教园区教育资源" in text
    assert "服务区域重点产业" in text and "\n\n提升职业教育服务保定市" in text, "measure 7's second paragraph stays a paragraph"


def test_gov_policy_header_block():
    text, meta = clean_page(GOV4.read_text("utf-8"))
    assert meta["title"] == "国务院关于印发国家职业教育改革实施方案的通知"
    assert meta["docno"] == "国发〔2019〕4号"
    assert meta["issuer"] == "国务院"
    assert meta["source_url"].startswith("http://www.gov.cn/")
    assert meta["index_no"] == "000014349/2019-00005"
    assert not text.startswith("标题"), text[:40]
    assert "\n国发〔2019〕4号\n" in text, "the body's 发文字号 line is part of the document"


def test_law_markdown_header():
    law = CORPUS / "laws" / "行政法" / "人民警察法(2012-10-26).txt"
    text, meta = clean_page(read_file(law).text)
    assert meta["title"] == "中华人民共和国人民警察法"
    assert meta["date"] == "2012-10-26"
    assert "1995年2月28日" in meta["promulgation"]
    assert "INFO END" not in text and not text.startswith("# ")
    assert text.startswith("## 第一章 总则"), text[:30]


def test_report_header():
    report = CORPUS / "reports" / "government_work_reports" / "2019年中华人民共和国国务院政府工作报告.txt"
    text, meta = clean_page(read_file(report).text)
    assert meta["title"] == "2019年中华人民共和国国务院政府工作报告"
    assert "source_url" in meta and "来源URL" not in text


def test_other_site_chrome_by_pattern():
    page = (
        "某市人民政府\nCITY GOVERNMENT\n[首页](/) | [政务公开](/gk) | [办事服务](/bs)\n"
        "当前位置：[首页](/) > [文件](/wj)\n标题：关于做好春耕工作的通知\n文号：某政办〔2020〕3号\n"
        "发布日期：2020-03-05\n\n关于做好春耕工作的通知\n\n2020-03-05 【字号：大 中 小】 【打印】\n\n"
        "各县区人民政府：\n\n一、抓好种子供应。各地要保障供应。\n\n某市人民政府办公室\n\n2020年3月5日\n\n"
        "通知.docx\n\n相关链接\n\n- 春耕图解\n\n网站地图 | 联系我们\n\nCopyright © 2020 某市人民政府 版权所有 某ICP备12345号\n"
    )
    text, meta = clean_page(page)
    assert meta == {"title": "关于做好春耕工作的通知", "docno": "某政办〔2020〕3号", "date": "2020-03-05"}, meta
    assert text == (
        "关于做好春耕工作的通知\n\n各县区人民政府：\n\n一、抓好种子供应。各地要保障供应。\n\n某市人民政府办公室\n\n2020年3月5日"
    ), repr(text)


def test_line_endings_and_yaml_front_matter():
    text, meta = clean_page("---\nbookCollapseSection: true\n---\r\n一、总则\r\n\r\n\r\n\r\n二、附则\r")
    assert (text, meta) == ("一、总则\n\n二、附则", {}), repr(text)


def test_html_page_chrome(tmp_path):
    from ingest.read import read_file

    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><div class='nav'><a>首页</a> | <a>政务公开</a> | <a>互动交流</a></div>"
        "<div>您的位置：首页 &gt; 文件</div><h1>关于加强安全生产的通知</h1>"
        "<p>各区人民政府：</p><p>一、落实责任。各区要落实责任。</p>"
        "<div>网站地图 | 联系我们</div><div>版权所有 某市人民政府 备案号：京ICP备1号</div></body></html>",
        "utf-8",
    )
    text, meta = clean_page(read_file(page).text)
    assert text == "关于加强安全生产的通知\n\n各区人民政府：\n\n一、落实责任。各区要落实责任。", repr(text)
