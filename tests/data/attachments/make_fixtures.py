"""Write the illustrative attachment fixtures from ``rows.json`` (run by hand; the output is committed).

The real attachments of 冀政字〔2021〕61号 are not available, so every file written here is
an illustrative sample, marked as such in its name and in its first lines. Writes, for
each of the three lists, the same rows as .docx, .xlsx, .csv, .pdf and .txt, then the
messy and malformed fixtures.

Needs python-docx, openpyxl and fpdf2, plus a CJK font: the Debian package
``fonts-wqy-microhei`` (or set ``CJK_FONT`` to a .ttf/.ttc path).

    python tests/data/attachments/make_fixtures.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTE = "示例数据（非官方文本）illustrative sample, not official text"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def load_rows() -> dict:
    return json.loads((HERE / "rows.json").read_text(encoding="utf-8"))


def stem(lst: dict, prefix: str = "sample", tag: str = "") -> str:
    return f"{prefix}-附件{lst['number']}-{lst['title']}{'-' + tag if tag else ''}-illustrative"


def heading_lines(lst: dict) -> list[str]:
    return [f"附件{lst['number']}", lst["title"], NOTE]


# --- docx -------------------------------------------------------------------------------------


def write_docx(path: Path, lines: list[str], header: list[str], rows: list[list[str]], *, merges=(), header2=None):
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    n_head = 2 if header2 else 1
    t = d.add_table(rows=len(rows) + n_head, cols=len(header))
    t.style = "Table Grid"
    for j, h in enumerate(header):
        t.cell(0, j).text = h
    if header2:
        for j, h in enumerate(header2):
            if h:
                t.cell(1, j).text = h
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.cell(i + n_head, j).text = v
    for (r0, c0), (r1, c1) in merges:  # table coordinates, inclusive
        keep = t.cell(r0, c0).text
        merged = t.cell(r0, c0).merge(t.cell(r1, c1))
        merged.text = keep
    d.save(path)


# --- xlsx -------------------------------------------------------------------------------------


def write_xlsx(path: Path, sheet: str, lines: list[str], header: list[str], rows: list[list], *, merges=(), extra=None):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    width = len(header)
    for i, line in enumerate(lines, start=1):
        ws.cell(i, 1, line)
        if width > 1:
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    top = len(lines) + 1
    for j, h in enumerate(header, start=1):
        ws.cell(top, j, h)
    for i, row in enumerate(rows, start=top + 1):
        for j, v in enumerate(row, start=1):
            if v not in ("", None):
                ws.cell(i, j, v)
    for (r0, c0), (r1, c1) in merges:  # data coordinates (0-based row in ``rows``, 0-based column)
        ws.merge_cells(start_row=top + 1 + r0, start_column=c0 + 1, end_row=top + 1 + r1, end_column=c1 + 1)
    wb.save(path)


# --- csv / txt --------------------------------------------------------------------------------


def write_csv(path: Path, lines: list[str], header: list[str], rows: list[list[str]], *, encoding="utf-8", delimiter=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for line in lines:
        w.writerow([line])
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def write_txt(path: Path, lst: dict):
    fields = {"牵头单位": None, "责任单位": None, "配合单位": None, "完成时限": None, "对应措施": None}
    col = {c: i for i, c in enumerate(lst["columns"])}
    canon = {"时间节点": "完成时限"}
    out = [*heading_lines(lst), ""]
    for row in lst["rows"]:
        parts = []
        for name, i in col.items():
            key = canon.get(name, name)
            if key in fields and row[i]:
                value = "、".join(v.strip() for v in row[i].replace("\n", "、").split("、") if v.strip())
                parts.append(f"{key}：{value}")
        out.append(f"{row[0]}. {row[1]}（{'；'.join(parts)}）")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# --- pdf --------------------------------------------------------------------------------------


def _font() -> str:
    for cand in [os.environ.get("CJK_FONT", ""), *FONT_CANDIDATES]:
        if cand and Path(cand).is_file():
            return cand
    raise SystemExit("No CJK font: apt-get install -y fonts-wqy-microhei, or set CJK_FONT to a .ttf/.ttc file.")


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("cjk", "", _font())
    pdf.add_font("cjk", "B", _font())
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    return pdf


def write_pdf(path: Path, lines: list[str], header: list[str], rows: list[list[str]], widths: list[int]):
    pdf = _pdf()
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(col_widths=widths, line_height=6, text_align="LEFT", first_row_as_headings=True) as table:
        for row in [header, *rows]:
            r = table.row()
            for v in row:
                r.cell(v)
    pdf.output(str(path))


def write_pdf_text_only(path: Path, lines: list[str]):
    pdf = _pdf()
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


PDF_WIDTHS = {1: [12, 150, 70, 35], 2: [12, 110, 40, 55, 30, 30], 3: [12, 100, 35, 45, 50, 35]}


# --- the fixtures -----------------------------------------------------------------------------


def clean_fixtures(data: dict) -> None:
    encodings = {1: "utf-8-sig", 2: "gbk", 3: "utf-8"}
    for lst in data["lists"]:
        lines, header, rows = heading_lines(lst), lst["columns"], lst["rows"]
        base = stem(lst)
        write_docx(HERE / f"{base}.docx", lines, header, rows)
        write_xlsx(HERE / f"{base}.xlsx", lst["title"], lines, header, rows)
        write_csv(HERE / f"{base}.csv", lines, header, rows, encoding=encodings[lst["number"]])
        write_pdf(HERE / f"{base}.pdf", lines, header, rows, PDF_WIDTHS[lst["number"]])
        write_txt(HERE / f"{base}.txt", lst)


def messy_fixtures(data: dict) -> None:
    l1, l2, l3 = data["lists"]
    # docx: two-level header (责任单位 over 牵头/主责/协办), synonyms, vertical merges, multi-line cells.
    pick = [0, 1, 4, 12, 13]  # rows 1, 2, 5, 13, 14 of list 3: all led by 保定市政府
    rows = []
    for k in pick:
        no, text, lead, resp, sup, due = l3["rows"][k]
        rows.append([no, text.replace("，", "，\n", 1), lead, resp.replace("，", "\n"), sup, due])
    merges = [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 5), (1, 5)), ((0, 2), (0, 4))]  # header cells
    merges += [((2, 2), (6, 2)), ((5, 5), (6, 5))]  # 牵头单位 over all rows; the last two deadlines
    for r in rows[1:]:
        r[2] = ""
    rows[4][5] = ""
    write_docx(
        HERE / f"{stem(l3, 'messy', 'merged')}.docx",
        [f"附件 3：{l3['title']}", NOTE],
        ["序号", "工作任务", "责任单位", "", "", "完成时间"],
        rows,
        header2=["", "", "牵头单位", "主责单位", "协办单位", ""],
        merges=merges,
    )
    # xlsx: header synonyms, an extra column, 负责单位 merged down, a deadline stored as a date.
    rows = [[r[0], r[1], r[2], r[3], r[4], r[5], "备注示例" if i == 0 else ""] for i, r in enumerate(l2["rows"][:5])]
    rows = [[int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]] for r in rows]
    rows[0][4] = dt.datetime(2022, 12, 31)
    for r in rows[3:5]:
        r[2] = ""
    write_xlsx(
        HERE / f"{stem(l2, 'messy', 'synonyms')}.xlsx",
        "Sheet1",
        [f"附件2 {l2['title']}", NOTE],
        ["编号", "具体措施", "负责单位", "参与单位", "时限", "落实措施", "备注"],
        rows,
        merges=[((2, 2), (4, 2))],
    )
    # csv: GBK, semicolons, header synonyms, ragged rows (an extra trailing cell, a missing one).
    rows = [list(r) for r in l1["rows"][:4]]
    rows[1].append("多出的一列")
    rows[3] = rows[3][:3]
    write_csv(
        HERE / f"{stem(l1, 'messy', 'gbk-semicolon')}.csv",
        [f"附件1：{l1['title']}", NOTE],
        ["序号", "主要任务", "主责单位", "完成时间"],
        rows,
        encoding="gbk",
        delimiter=";",
    )
    # txt: tab-separated lines under a header.
    out = [f"附件3：{l3['title']}", NOTE, "\t".join(l3["columns"])]
    out += ["\t".join(c.replace("\n", "、") for c in r) for r in l3["rows"][:3]]
    (HERE / f"{stem(l3, 'messy', 'tabs')}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")


def malformed_fixtures(data: dict) -> None:
    l3 = data["lists"][2]
    rows = [r[1:] for r in l3["rows"][:3]]
    write_csv(HERE / "malformed-no-header-illustrative.csv", [NOTE], rows[0], rows[1:])
    write_xlsx(
        HERE / "malformed-missing-task-column-illustrative.xlsx",
        "附件3",
        [NOTE],
        ["序号", "牵头单位", "完成时限"],
        [[r[0], r[2], r[5]] for r in l3["rows"][:3]],
    )
    good = HERE / f"{stem(l3)}.xlsx"
    blob = good.read_bytes()
    (HERE / "malformed-corrupt-illustrative.xlsx").write_bytes(blob[: len(blob) // 2])
    write_pdf_text_only(
        HERE / "malformed-no-table-illustrative.pdf",
        [f"附件3：{l3['title']}", NOTE, "本附件以文字说明形式提供，正文不含表格。" * 3],
    )


def main() -> None:
    data = load_rows()
    clean_fixtures(data)
    messy_fixtures(data)
    malformed_fixtures(data)
    print("wrote", len(list(HERE.glob("*-illustrative.*"))), "files to", HERE)


if __name__ == "__main__":
    main()
