"""Read a task list from plain text: tab-separated columns with a header row, or numbered
items with their units and deadline in a closing bracket.

>>> t = parse_text_lines(["附件3", "保定市建设任务清单",
...     "1. 启动保定职教园区建设。（牵头单位：保定市政府；完成时限：2022年底）"], "x.txt")
>>> t.rows[-1][:3], t.rows[-1][5]
(['1', '启动保定职教园区建设。', '保定市政府'], '2022年底')
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.attachments.table import RawTable, header_field
from core.errors import BadInputError, NotATaskListError

_ITEM = re.compile(r"^\s*(?:[（(](\d{1,3})[）)]|(\d{1,3})\s*[.、．)）])\s*(.*)$")
_FIELDS = ("row", "text", "lead", "responsible", "support", "deadline", "measure")
_HEADINGS = ("序号", "任务", "牵头单位", "责任单位", "配合单位", "完成时限", "对应措施")


def _closing_bracket(text: str) -> tuple[str, str] | None:
    """Split ``任务……（键：值；…）`` into the task and the bracket's content (nesting-aware)."""
    t = text.rstrip().rstrip("。.;；")
    if not t or t[-1] not in "）)":
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        if t[i] in "）)":
            depth += 1
        elif t[i] in "（(":
            depth -= 1
            if depth == 0:
                inner = t[i + 1 : -1]
                return (t[:i].rstrip(), inner) if re.search(r"[：:]", inner) else None
    return None


def _key_values(inner: str) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for part in re.split(r"[；;]", inner):
        if not part.strip():
            continue
        m = re.match(r"\s*([^：:]{1,8})[：:](.*)$", part)
        field = header_field(m.group(1)) if m else None
        if field is None:
            return None if not out else out
        out[field] = (out.get(field, "") + "、" + m.group(2).strip()).strip("、")
    return out or None


def parse_text_lines(lines: list[str], path: str | Path, *, fmt: str = "txt") -> RawTable:
    """A raw table from the lines of a text list (tab-separated or numbered items)."""
    lines = [ln.rstrip("\r\n") for ln in lines]
    if sum(1 for ln in lines if "\t" in ln) >= 2:
        rows: list[list[str | None]] = []
        above: list[str] = []
        for ln in lines:
            if "\t" in ln:
                rows.append([c.strip() for c in ln.split("\t")])
            elif ln.strip() and not rows:
                above.append(ln.strip())
        return RawTable(rows=[[a] for a in above] + rows, names=[Path(path).stem], format=fmt)
    items: list[list[str]] = []
    before: list[str] = []
    for ln in lines:
        m = _ITEM.match(ln)
        if m:
            items.append([m.group(1) or m.group(2), m.group(3).strip()])
        elif items and ln.strip():
            items[-1][1] += "\n" + ln.strip()
        elif ln.strip():
            before.append(ln.strip())
    if not items:
        raise NotATaskListError(
            f"Cannot read {path}: no header row found and no numbered task list — expected tab-separated columns "
            "under a header (序号、任务、牵头单位、完成时限 …) or lines like "
            "'1. 任务……（牵头单位：…；完成时限：…）'. Add a header row or number the tasks."
        )
    table: list[list[str | None]] = [list(_HEADINGS)]
    for number, body in items:
        fields = {"row": number, "text": body}
        split = _closing_bracket(body.replace("\n", ""))
        if split:
            kv = _key_values(split[1])
            if kv:
                fields.update(kv)
                fields["text"] = split[0]
        table.append([fields.get(f, "") for f in _FIELDS])
    return RawTable(rows=[[b] for b in before] + table, names=[Path(path).stem], format=fmt)


def read_text_table(path: str | Path) -> RawTable:
    """Rows of a .txt / .md task list."""
    from ingest.read import read_text

    p = Path(path)
    text, _ = read_text(p)
    return parse_text_lines(text.splitlines(), p)
