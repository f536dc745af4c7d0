"""Read the task table of an .xlsx attachment (openpyxl).

Merged cells are filled down and right from their top-left value. The first sheet with
a header row is read; the sheet name is a title fallback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest.attachments.table import RawTable, header_field
from core.errors import BadInputError


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def read_xlsx_table(path: str | Path) -> RawTable:
    """Rows of the first worksheet that has a header row (else the first worksheet)."""
    import openpyxl

    from ingest.read import check_zip

    check_zip(path)  # unpacked size and ratio, from the zip directory, before openpyxl unpacks anything
    try:
        wb = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as e:  # zipfile.BadZipFile, InvalidFileException, KeyError, XML errors
        raise BadInputError(
            f"Cannot read {path}: corrupt xlsx ({type(e).__name__}: {e}). Re-save the workbook from Excel or WPS."
        ) from e
    tables: list[RawTable] = []
    for ws in wb.worksheets:
        grid = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = top
        while grid and not any(grid[-1]):
            grid.pop()
        if not grid:
            continue
        table = RawTable(rows=grid, names=[ws.title, Path(path).stem], format="xlsx")
        if any(sum(1 for c in row if header_field(c)) >= 2 for row in grid[:12]):
            return table
        tables.append(table)
    if not tables:
        raise BadInputError(f"Cannot read {path}: the workbook has no cells with data. Put the task table on the first sheet.")
    return tables[0]
