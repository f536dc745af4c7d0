"""Result lists and task lists as tables a clerk opens in a spreadsheet: CSV (UTF-8 with BOM) and XLSX.

Every table has the same columns (:data:`COLUMNS`), so a list of measures and a list of tasks can be
pasted one under the other. Measure rows take their units and deadlines from the attachment tasks
that implement the measure, else from the roles the measure's own text gives.

>>> rows = [["《实施意见》", "冀政字〔2021〕61号", "6.", "标题", "牵头", "“原文”", "甲", "乙", "2022年底"]]
>>> import csv, io
>>> next(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig"))))[:3]
['文件', '发文字号', '措施编号']
"""

from __future__ import annotations

import csv
import io
from typing import Any

from policykg.labels import ROLE_ZH, zh

COLUMNS = ["文件", "发文字号", "措施编号", "措施标题", "角色", "依据原文", "牵头单位", "责任单位", "完成时限"]
#: format -> (media type, file extension)
TABLE_FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"),
                 "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")}


def _units(task: dict, role: str) -> list[str]:
    return [u["label"] for u in task.get(role) or []]


def _join(items) -> str:
    return "、".join(dict.fromkeys(x for x in items if x))


def measure_rows(results: list[dict], view: Any, tasks: list[dict]) -> list[list[str]]:
    """One row per measure result (``graph.results.result_of`` objects)."""
    by_measure: dict[str, list[dict]] = {}
    for t in tasks:
        for m in t.get("measures") or []:
            by_measure.setdefault(m["iri"], []).append(t)
    rows = []
    for r in results:
        iri = r.get("iri") or ""
        own = view.entities_of(iri) if iri else []
        linked = by_measure.get(iri, [])
        lead = [u for t in linked for u in _units(t, "lead")] or [e.label_zh for e, rs in own if "lead" in rs]
        resp = [u for t in linked for u in _units(t, "responsible")] or \
            [e.label_zh for e, rs in own if "responsible" in rs]
        due = [t.get("deadline_text") or t.get("deadline") or "" for t in linked]
        roles = [zh(ROLE_ZH, x) for x in r.get("roles") or []]
        evidence = [e.get("context") or e.get("text") for e in r.get("evidence") or []]
        rows.append([r.get("document_title") or r.get("document") or "",
                     r.get("docno") or (r.get("document") if r.get("document") != r.get("document_title") else ""),
                     r.get("measure_label") or (str(r["measure"]) if r.get("measure") is not None else ""),
                     r.get("title") or "", _join(roles), " …… ".join(dict.fromkeys(e for e in evidence if e)),
                     _join(lead), _join(resp), _join(due)])
    return rows


def task_rows(tasks: list[dict], view: Any) -> list[list[str]]:
    """One row per attachment task: the measures it implements in 措施编号 / 措施标题, the task text as 依据原文."""
    rows = []
    for t in tasks:
        parent = view.document(t["parent"]) if t.get("parent") else None
        infos = [view.measure(m["iri"]) for m in t.get("measures") or []]
        infos = [i for i in infos if i is not None]
        roles = [name for role, name in (("lead", "牵头"), ("responsible", "责任"), ("support", "配合")) if t.get(role)]
        rows.append([t.get("attachment_title") or "", (parent.docno or "") if parent else "",
                     _join(i.label or str(i.number) for i in infos), _join(i.heading for i in infos),
                     _join(roles), t.get("text") or "", _join(_units(t, "lead")), _join(_units(t, "responsible")),
                     t.get("deadline_text") or t.get("deadline") or "长期"])
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    """CSV with a header row, UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list[str]], title: str = "措施") -> bytes:
    """An XLSX workbook with one sheet: bold header, frozen first row, readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31] or "措施"
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = [30, 20, 10, 30, 12, 60, 24, 24, 14]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(rows: list[list[str]], fmt: str, title: str = "措施") -> bytes:
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows, title)
    from core.errors import BadInputError

    raise BadInputError(f"Unknown table format {fmt!r}. Choose from {', '.join(TABLE_FORMATS)}.")
