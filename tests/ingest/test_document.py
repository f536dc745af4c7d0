"""parse_file / parse_text: the one entry point of ingest, on real and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import parse_file, parse_text
from core.errors import BadInputError, NotFoundError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
SEED = CORPUS / "seed" / "baoding-vocational-2021.txt"
BAD = ROOT / "tests" / "data" / "bad"


def test_parse_file_seed_sets_source_and_sha1():
    doc = parse_file(SEED, annotate=False)
    assert doc.source == str(SEED)
    assert len(doc.sha1) == 40 and doc.key == "冀政字〔2021〕61号"
    assert (len(doc.measures), len(doc.sections)) == (18, 6)


def test_gbk_file_parses_like_the_utf8_seed():
    gbk = parse_file(BAD / "gbk.txt", annotate=False)
    seed = parse_file(SEED, annotate=False)
    assert [m.number for m in gbk.measures] == [1, 2, 3]
    assert [m.text for m in gbk.measures] == [m.text for m in seed.measures[:3]]
    assert gbk.metadata.get("encoding") == "gb18030"
    assert gbk.key == "冀政字〔2021〕61号"


def test_no_structure_file_is_one_unit():
    doc = parse_file(BAD / "noStructure.txt", annotate=False)
    assert doc.kind == "text" and len(doc.measures) == 1
    m = doc.measures[0]
    assert (m.label, m.number, m.ordinal) == ("", 0, 1)
    assert m.text == doc.text.strip() and doc.key.startswith("sha1:")


@pytest.mark.parametrize("name", ["empty.txt", "binary.txt", "latin1.txt"])
def test_bad_files_raise_bad_input(name):
    with pytest.raises(BadInputError, match=name):
        parse_file(BAD / name)


def test_missing_file_raises_not_found():
    with pytest.raises(NotFoundError):
        parse_file(BAD / "does-not-exist.txt")


def test_parse_text_cleans_and_names_the_source():
    doc = parse_text("标题：关于X的通知\n\n一、总则\n\n1. 加强领导。\n\n2. 落实责任。", name="memo", annotate=False)
    assert doc.title == "关于X的通知" and doc.source == "memo"
    assert [m.heading for m in doc.measures] == ["加强领导", "落实责任"]
    assert doc.key.startswith("sha1:") and len(doc.sha1) == 40


def test_annotation_finds_the_seed_college():
    doc = parse_file(SEED)
    names = {x.text for x in doc.measures[5].mentions}
    assert "河北软件职业技术学院" in names, names
    for m in doc.measures:
        for x in m.mentions:
            assert doc.text[x.start : x.end] == x.text


def test_a_number_of_chinese_and_arabic_digits_is_no_heading(tmp_path):
    """第一百零1十条 (a typo, or a hostile file) is text inside the article before it, not a parse failure."""
    law = CORPUS / "laws" / "行政法" / "人民警察法(2012-10-26).txt"
    path = tmp_path / "law.txt"
    path.write_text(law.read_text(encoding="utf-8") + "\n第一百零1十条 附加的一段。\n第五十三条之一 又一段。\n",
                    encoding="utf-8")
    doc = parse_file(path, annotate=False)
    assert len(doc.measures) == 53 and doc.measures[-2].label == "第五十二条"
    assert "第一百零1十条" in doc.measures[-2].text and doc.measures[-1].label == "第五十三条之一"
