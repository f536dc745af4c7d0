"""Every fixture format ingests into the same tasks; messy files read; malformed ones fail clearly."""

from __future__ import annotations

import pytest
from tests.ingest.attachments.attachment_data import DATA, FORMATS, sample

from ingest.attachments.readers import read_attachment
from ingest.attachments.units import split_units
from core.errors import BadInputError

_CANON = {"支持政策": "text", "政策内容": "text", "建设任务": "text", "责任单位": "responsible", "牵头单位": "lead",
          "配合单位": "support", "完成时限": "deadline", "时间节点": "deadline", "对应措施": "measure", "序号": "row"}


def expected_tasks(lst: dict) -> list[dict]:
    out = []
    for row in lst["rows"]:
        cells = {_CANON[c]: v for c, v in zip(lst["columns"], row)}
        out.append(
            {
                "row": int(cells["row"]),
                "text": cells["text"],
                "lead": split_units(cells.get("lead", "")),
                "responsible": split_units(cells.get("responsible", "")),
                "support": split_units(cells.get("support", "")),
                "deadline_text": cells["deadline"],
            }
        )
    return out


def got_tasks(doc) -> list[dict]:
    return [
        {"row": t.row, "text": t.text, "lead": t.lead, "responsible": t.responsible, "support": t.support,
         "deadline_text": t.deadline_text}
        for t in doc.tasks
    ]


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("number", [1, 2, 3])
def test_every_format_gives_the_rows_of_the_list(rows, number, ext):
    lst = rows["lists"][number - 1]
    doc = read_attachment(sample(number, ext))
    assert doc.kind == "attachment"
    assert (doc.title, doc.annex_number) == (lst["title"], number), f"got {(doc.title, doc.annex_number)}"
    want, got = expected_tasks(lst), got_tasks(doc)
    assert len(got) == len(want), f"{ext}: expected {len(want)} tasks, got {len(got)}"
    for w, g in zip(want, got):
        assert g == w, f"{ext} row {w['row']}:\nexpected {w}\ngot      {g}"


@pytest.mark.parametrize("number", [1, 2, 3])
def test_all_formats_agree_on_deadlines_and_refs(number):
    sigs = {}
    for ext in FORMATS:
        doc = read_attachment(sample(number, ext))
        sigs[ext] = [(t.row, t.deadline, t.deadline_kind, t.measure_refs) for t in doc.tasks]
    first = sigs[".xlsx"]
    for ext, sig in sigs.items():
        assert sig == first, f"{ext} differs from .xlsx:\n{sig}\n{first}"


def test_deadlines_and_explicit_refs_of_list_2():
    doc = read_attachment(sample(2, ".csv"))  # GBK-encoded
    by_row = {t.row: t for t in doc.tasks}
    assert [by_row[r].measure_refs for r in (1, 2, 3, 4, 9)] == [[1], [], [5], [6], [14]]
    assert (by_row[3].deadline, by_row[3].deadline_kind) == (None, "ongoing")
    assert (by_row[7].deadline, by_row[7].deadline_kind) == ("2025-12-31", "range")
    assert by_row[3].support == ["省发展改革委", "省工业和信息化厅"], "multi-line cell split into two units"


def test_collective_body_and_bracketed_units_stay_whole():
    doc = read_attachment(sample(3, ".docx"))
    by_row = {t.row: t for t in doc.tasks}
    assert by_row[3].responsible == ["市、县两级政府"]
    assert by_row[2].responsible == ["市教育局", "各县（市、区）政府"]
    assert by_row[7].responsible == ["市住房城乡建设局", "市人力资源社会保障局"]


def test_rows_are_rendered_into_the_text():
    from ingest.attachments.table import task_spans

    doc = read_attachment(sample(3, ".txt"))
    assert "示例数据" in doc.text and doc.text.startswith("附件3：保定市建设任务清单")
    for task, (start, end) in zip(doc.tasks, task_spans(doc)):
        assert doc.text[start:end] == task.text
    for task in doc.tasks:
        for m in task.mentions:
            assert task.text[m.start : m.end] == m.text


def test_messy_docx_two_level_header_merges_and_multiline_cells(rows):
    doc = read_attachment(next(DATA.glob("messy-附件3-*-merged-illustrative.docx")))
    want = {int(r[0]): r for r in rows["lists"][2]["rows"]}
    assert [t.row for t in doc.tasks] == [1, 2, 5, 13, 14]
    for t in doc.tasks:
        assert t.text == want[t.row][1], "a line break inside a cell is joined"
        assert t.lead == ["保定市政府"], f"vertically merged 牵头单位 applies to every row, got {t.lead}"
        assert t.responsible == split_units(want[t.row][3])
        assert t.deadline_text == want[t.row][5]
    assert (doc.title, doc.annex_number) == ("保定市建设任务清单", 3)


def test_messy_xlsx_synonyms_extra_column_merged_cells_and_date_cell():
    doc = read_attachment(next(DATA.glob("messy-附件2-*-synonyms-illustrative.xlsx")))
    assert [t.responsible for t in doc.tasks] == [["省教育厅"], ["省人力资源社会保障厅"]] + [["省教育厅"]] * 3
    assert doc.tasks[0].deadline == "2022-12-31" and doc.tasks[0].measure_refs == [1]
    assert "备注：备注示例" in doc.text, "an extra column is kept in the rendered text"
    assert (doc.title, doc.annex_number) == ("河北省支持政策与措施清单", 2)


def test_messy_csv_gbk_semicolons_ragged_rows():
    doc = read_attachment(next(DATA.glob("messy-附件1-*-gbk-semicolon-illustrative.csv")))
    assert len(doc.tasks) == 4
    assert doc.tasks[1].responsible == ["教育部", "省教育厅"], "an extra trailing cell is ignored"
    assert doc.tasks[3].deadline_text is None, "a missing trailing cell is an empty deadline"


def test_messy_tab_separated_text():
    doc = read_attachment(next(DATA.glob("messy-附件3-*-tabs-illustrative.txt")))
    assert [t.lead for t in doc.tasks] == [["保定市政府"]] * 3
    assert doc.tasks[2].responsible == ["市、县两级政府"]


@pytest.mark.parametrize(
    "name, problem",
    [
        ("malformed-no-header-illustrative.csv", "no header row found"),
        ("malformed-corrupt-illustrative.xlsx", "corrupt xlsx"),
        ("malformed-no-table-illustrative.pdf", "no table in PDF"),
        ("malformed-missing-task-column-illustrative.xlsx", "missing required column 任务"),
    ],
)
def test_malformed_attachment_message_names_file_and_problem(name, problem):
    with pytest.raises(BadInputError) as err:
        read_attachment(DATA / name)
    message = str(err.value)
    assert name in message and problem in message, f"expected {name!r} and {problem!r} in {message!r}"
    assert "\n" not in message, "one line"


def test_unsupported_extension(tmp_path):
    path = tmp_path / "附件1.odt"
    path.write_bytes(b"x")
    with pytest.raises(BadInputError, match="unsupported attachment format '.odt'"):
        read_attachment(path)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_text_attachment_recognised_by_its_opening_in_either_encoding(tmp_path, encoding):
    """A .txt named without 附件 is an attachment when it opens with 附件N, whatever its encoding."""
    from ingest.attachments.readers import looks_like_attachment

    p = tmp_path / "tasks-2022.txt"  # nothing in the name says attachment
    # long enough that the 800-byte opening read cuts a multi-byte character
    p.write_bytes(("附件1：\n重点任务清单\n" + "序号 任务 牵头单位\n" * 80).encode(encoding))
    assert looks_like_attachment(p), f"{encoding} text opening with 附件1 was not recognised"
    q = tmp_path / "说明.txt"
    q.write_bytes("关于职业教育的说明\n".encode(encoding))
    assert not looks_like_attachment(q)
