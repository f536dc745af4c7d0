"""Edition dates, entry into force, validity and history of one document."""

from __future__ import annotations

import pytest

from ingest.document import parse_file
from ingest.model import Document
from ingest.versions import edition_of, entry_into_force, file_date, history, iso_date

pytestmark = pytest.mark.corpus


def _law(corpus_dir, year):
    path = next((corpus_dir / "laws" / "行政法").glob(f"职业教育法({year}-*).txt"))
    doc = parse_file(path)
    doc.source = str(path)
    return doc


def test_vocational_law_editions(corpus_dir):
    old, new = edition_of(_law(corpus_dir, 1996)), edition_of(_law(corpus_dir, 2022))
    assert (old.version_date, old.entry_into_force, old.date_source) == ("1996-05-15", "1996-09-01", "file name")
    assert (new.version_date, new.entry_into_force) == ("2022-04-20", "2022-05-01")
    assert old.work_title == new.work_title == "中华人民共和国职业教育法"
    assert [e.kind for e in new.history] == ["通过", "修订"], new.history


def test_seed_validity_from_page_metadata(seed_path):
    ed = edition_of(parse_file(seed_path))
    assert (ed.validity, ed.validity_text, ed.version_date) == ("in_force", "有效", "2021-11-04")


def test_amended_edition_keeps_its_own_date_when_the_clause_is_older():
    # an amendment keeps the original 施行 clause: the edition starts on its own date
    assert entry_into_force("本法自1985年5月1日起施行。", "2017-11-04") == "2017-11-04"
    assert entry_into_force("本条例自公布之日起施行。", "2019-03-02") == "2019-03-02"
    assert entry_into_force("本办法自2020年1月1日起施行。", "2019-12-01") == "2020-01-01"


def test_dates_in_words_and_file_names():
    assert iso_date("一九九六年五月十五日") == "1996-05-15"
    assert iso_date("二〇〇四年四月二十七日") == "2004-04-27"
    assert iso_date("2022年13月1日") is None
    assert file_date("x/职业教育法(2022-04-20).txt") == "2022-04-20"
    assert file_date("x/职业教育法.txt") is None
    assert [e.kind for e in history("2004年4月30日 中华人民共和国国务院令第406号公布\n"
                                    "2012年11月9日 《国务院关于修改和废止部分行政法规的决定》第一次修订")] == ["公布", "修订"]


def test_report_without_date_takes_the_year_of_its_title():
    ed = edition_of(Document(key="r", title="1994年中华人民共和国国务院政府工作报告", text="正文", kind="report"))
    assert (ed.version_date, ed.date_source) == ("1994-01-01", "title year")
