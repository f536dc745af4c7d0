"""Turn a raw table (rows of cell strings, from any reader) into an attachment ``Document``.

Every reader produces a :class:`RawTable`; :func:`table_to_document` finds the header
row by its synonyms, maps columns to task fields, splits units, normalises deadlines,
and renders the rows into ``Document.text`` so every task has a span there.

>>> t = RawTable(rows=[["附件3：保定市建设任务清单"], ["序号", "建设任务", "牵头单位", "时间节点"],
...                    ["1", "启动保定职教园区建设", "保定市政府", "2022年底"]])
>>> doc = table_to_document(t, "list.csv")
>>> doc.title, doc.annex_number, doc.tasks[0].lead, doc.tasks[0].deadline
('保定市建设任务清单', 3, ['保定市政府'], '2022-12-31')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ingest.attachments.deadlines import parse_deadline
from ingest.attachments.refs import refs_from_cell, refs_in_text
from ingest.attachments.title import is_note, parse_title
from ingest.attachments.units import split_units
from ingest.model import Document, Task
from core.errors import BadInputError, NotATaskListError

#: Header synonyms for each task field, longest first within a field.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "row": ("序号", "编号", "序"),
    "text": (
        "政策内容", "具体措施", "工作任务", "主要任务", "建设任务", "支持政策", "任务内容", "重点任务",
        "政策措施", "工作内容", "支持事项", "任务",
    ),
    "lead": ("牵头单位", "牵头部门", "牵头"),
    "responsible": ("责任单位", "负责单位", "主责单位", "责任部门", "实施主体"),
    "support": ("配合单位", "协办单位", "参与单位", "配合部门"),
    "deadline": ("完成时限", "时间节点", "完成时间", "进度安排", "时间安排", "时限"),
    "measure": ("对应措施", "落实措施", "对应条款"),
}
REQUIRED_FIELD = "text"
#: Rows searched for the header.
HEADER_SEARCH_ROWS = 12

_ROLE_LABELS = (("lead", "牵头单位"), ("responsible", "责任单位"), ("support", "配合单位"))


@dataclass(slots=True)
class RawTable:
    """Cells as read. ``None`` marks a cell covered by a merge above it (filled down)."""

    rows: list[list[str | None]]
    lines: list[str] = field(default_factory=list)  # text above the table (title, notes)
    names: list[str] = field(default_factory=list)  # sheet name, file name: title fallbacks
    format: str = ""


def clean_cell(value: object) -> str:
    """Cell text with soft line breaks joined (no space between CJK characters).

    >>> clean_cell("推进职业教育集团实\\n体化运作")
    '推进职业教育集团实体化运作'
    >>> clean_cell(" new \\n energy ")
    'new energy'
    """
    if value is None:
        return ""
    lines = [" ".join(ln.split()) for ln in str(value).splitlines()]
    out = ""
    for ln in lines:
        if not ln:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and ln[0].isascii() and ln[0].isalnum():
            out += " "
        out += ln
    return out


def _header_key(cell: str) -> str:
    return re.sub(r"[\s（(][^）)]*[）)]|\s+|[*：:]", "", unicodedata.normalize("NFKC", cell or ""))


def header_field(cell: str | None) -> str | None:
    """The task field a header cell names, or ``None``.

    >>> header_field("牵头单位"), header_field("完成\\n时限"), header_field("对应措施（条）"), header_field("备注")
    ('lead', 'deadline', 'measure', None)
    """
    key = _header_key(cell or "")
    if not key or len(key) > 12:
        return None
    for name, synonyms in HEADER_SYNONYMS.items():
        if key in synonyms:
            return name
    hits = [(len(s), name) for name, synonyms in HEADER_SYNONYMS.items() for s in synonyms if len(s) > 1 and s in key]
    return max(hits)[1] if hits else None


def _expected() -> str:
    return "、".join(s for name in ("row", "text", "lead", "responsible", "deadline") for s in HEADER_SYNONYMS[name][:3])


def _find_header(rows: list[list[str]], source: str) -> tuple[int, dict[str, int], dict[int, str]]:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = [header_field(c) for c in row]
        known = {f for f in fields if f}
        if len(known) < 2:
            continue
        if REQUIRED_FIELD not in known:
            raise BadInputError(
                f"Cannot read {source}: missing required column 任务 (or one of "
                f"{'、'.join(HEADER_SYNONYMS['text'])}) in header row {i + 1} {[c for c in row if c]}. "
                "Name the task column with one of these headings."
            )
        columns: dict[str, int] = {}
        extras: dict[int, str] = {}
        for j, f in enumerate(fields):
            if f and f not in columns:
                columns[f] = j
            elif row[j]:
                extras[j] = clean_cell(row[j])
        return i, columns, extras
    raise NotATaskListError(
        f"Cannot read {source}: no header row found in the first {HEADER_SEARCH_ROWS} rows — expected one of "
        f"{_expected()} (…). Add a header row naming the columns."
    )


def _row_number(cell: str) -> int | None:
    m = re.fullmatch(r"\s*[（(]?(\d{1,4})[）)]?[.、．]?\s*", unicodedata.normalize("NFKC", cell or ""))
    return int(m.group(1)) if m else None


def _fill(rows: list[list[str | None]], width: int) -> list[list[str]]:
    out: list[list[str]] = []
    above: list[str] = [""] * width
    for raw in rows:
        row = (list(raw) + [""] * width)[:width] if len(raw) < width else list(raw)
        filled = [above[j] if (c is None and j < width) else (c or "") for j, c in enumerate(row)]
        above = (filled + [""] * width)[:width]
        out.append([str(c) for c in filled])
    return out


def _render(task: Task, extras: list[tuple[str, str]]) -> str:
    parts = [f"{label}：{'、'.join(getattr(task, attr))}" for attr, label in _ROLE_LABELS if getattr(task, attr)]
    if task.deadline_text:
        parts.append(f"完成时限：{task.deadline_text}")
    if task.measure_refs:
        parts.append(f"对应措施：{'、'.join(map(str, task.measure_refs))}")
    parts += [f"{h}：{v}" for h, v in extras if v]
    return f"{task.row}. {task.text}" + (f"（{'；'.join(parts)}）" if parts else "")


def table_to_document(table: RawTable, path: str | Path, *, sha1: str = "") -> Document:
    """Build the attachment ``Document`` (tasks, title, rendered text) from a raw table."""
    source = str(path)
    width = max((len(r) for r in table.rows), default=0)
    rows = _fill(table.rows, width)
    h, columns, extras = _find_header(rows, source)
    columns, data = _sub_header(columns, rows[h + 1 :])
    lines = list(table.lines) + [clean_cell(r[0]) or clean_cell(next((c for c in r if c), "")) for r in rows[:h]]
    title, number = parse_title(lines, table.names)
    notes = [ln for ln in lines if ln and is_note(ln)]
    tasks, task_extras = _read_tasks(data, columns, extras, [_header_key(c) for c in rows[h]])
    if not tasks:
        raise BadInputError(f"Cannot read {source}: the table has a header row but no task rows. Add rows below the header.")
    title = title or Path(source).stem
    heading = f"附件{number}：{title}" if number is not None else title
    body = [heading, *notes, *(_render(t, e) for t, e in zip(tasks, task_extras))]
    _annotate(tasks)
    return Document(
        key=f"sha1:{sha1[:16]}" if sha1 else f"sha1:{_hash(chr(10).join(body))}",
        title=title,
        text="\n".join(body) + "\n",
        kind="attachment",
        tasks=tasks,
        annex_number=number,
        source=source,
        sha1=sha1,
        metadata={"format": table.format, **({"note": notes[0]} if notes else {})},
    )


def _sub_header(columns: dict[str, int], data: list[list[str]]) -> tuple[dict[str, int], list[list[str]]]:
    """A second header row below the first (责任单位 → 牵头单位 | 配合单位) refines the columns and is dropped."""
    if data and sum(1 for c in data[0] if header_field(c)) >= 1 and _row_number(data[0][columns.get("row", 0)]) is None:
        sub = [header_field(c) for c in data[0]]
        if all(f is not None or not c for f, c in zip(sub, data[0])):
            for j, f in enumerate(sub):
                if f:
                    columns = {k: v for k, v in columns.items() if v != j and k != f} | {f: j}
            data = data[1:]
    return columns, data


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    """The cell of column ``name`` in ``row`` ("" when the table has no such column)."""
    j = columns.get(name)
    return row[j] if j is not None and j < len(row) else ""


def _read_tasks(data: list[list[str]], columns: dict[str, int], extras: dict[int, str],
                header_cells: list[str]) -> tuple[list[Task], list[list[tuple[str, str]]]]:
    """The tasks of the data rows, and each task's extra (unmapped) columns as (heading, value).

    Blank rows, repeated header rows (a table split over pages) and exact repeats are skipped;
    a row without task text continues the task above (a page break inside a row).
    """
    tasks: list[Task] = []
    task_extras: list[list[tuple[str, str]]] = []
    previous: list[str] | None = None
    for row in data:
        if not any(c.strip() for c in row) or [_header_key(c) for c in row] == header_cells or row == previous:
            continue
        previous = row
        text = clean_cell(_cell(row, columns, "text"))
        printed_no = _row_number(_cell(row, columns, "row"))
        if not text and tasks and (printed_no is None or printed_no == tasks[-1].row):
            last = tasks[-1]
            for attr in ("lead", "responsible", "support"):
                getattr(last, attr).extend(u for u in split_units(_cell(row, columns, attr)) if u not in getattr(last, attr))
            continue
        if not text:
            text = tasks[-1].text if tasks else ""
        if not text:
            continue
        tasks.append(_task(row, columns, text, printed_no, tasks))
        task_extras.append([(name, clean_cell(row[j])) for j, name in extras.items() if j < len(row)])
    return tasks, task_extras


def _task(row: list[str], columns: dict[str, int], text: str, printed_no: int | None, tasks: list[Task]) -> Task:
    """One task row: units split, deadline normalised, measure refs from their column and the text.

    Its number is the printed one while those increase, else the next after the task above.
    """
    deadline = parse_deadline(clean_cell(_cell(row, columns, "deadline")))
    refs = refs_from_cell(_cell(row, columns, "measure"))
    refs += [r for r in refs_in_text(text) if r not in refs]
    number_ = printed_no if printed_no and all(t.row < printed_no for t in tasks) else len(tasks) + 1
    return Task(
        row=number_ if not tasks or number_ > tasks[-1].row else tasks[-1].row + 1,
        text=text,
        lead=split_units(_cell(row, columns, "lead")),
        responsible=split_units(_cell(row, columns, "responsible")),
        support=split_units(_cell(row, columns, "support")),
        deadline_text=deadline.text if deadline else None,
        deadline=deadline.date if deadline else None,
        deadline_kind=deadline.kind if deadline else None,
        measure_refs=refs,
    )


def _hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _annotate(tasks: list[Task]) -> None:
    """Fill ``Task.mentions`` (spans into the task text)."""
    from ingest.entities import extract_mentions

    for task in tasks:
        task.mentions = extract_mentions(task.text)


def task_spans(doc: Document) -> list[tuple[int, int]]:
    """``[start, end)`` of each task's text inside ``doc.text`` (rows are rendered in order)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for task in doc.tasks:
        start = doc.text.find(f"{task.row}. {task.text}", pos)
        if start < 0:
            spans.append((-1, -1))
            continue
        start += len(f"{task.row}. ")
        spans.append((start, start + len(task.text)))
        pos = start + len(task.text)
    return spans
