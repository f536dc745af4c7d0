"""Read the task table of a .docx attachment (python-docx).

python-docx repeats a merged cell across its span: a horizontal repeat is kept once (in
its first column), a vertical repeat is filled down (the unit or deadline applies to
every row it spans). Paragraphs above the table give the title. A document without a
table is read as a plain-text task list.
"""

from __future__ import annotations

from pathlib import Path

from ingest.attachments.table import RawTable
from core.errors import BadInputError


def read_docx_table(path: str | Path) -> RawTable:
    """The first table of the document with the paragraphs above it."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as e:  # pragma: no cover - python-docx is a dependency
        from core.errors import MissingDependencyError

        raise MissingDependencyError("python-docx is not installed. Install it with pip install python-docx.") from e
    from ingest.read import check_zip

    check_zip(path)  # unpacked size and ratio, from the zip directory, before python-docx unpacks anything
    try:
        document = docx.Document(str(path))
    except Exception as e:  # zipfile.BadZipFile, KeyError, lxml errors, PackageNotFoundError
        raise BadInputError(
            f"Cannot read {path}: corrupt docx ({type(e).__name__}: {e}). Re-save the file from Word or WPS."
        ) from e
    lines: list[str] = []
    rows: list[list[str | None]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if not rows and block.text.strip():
                lines.append(block.text.strip())
        elif isinstance(block, Table):
            rows.extend(_table_rows(block))
    if not rows:
        from ingest.attachments.text_table import parse_text_lines

        return parse_text_lines(lines, path, fmt="docx")
    return RawTable(rows=rows, lines=lines, names=[Path(path).stem], format="docx")


def _table_rows(table) -> list[list[str | None]]:
    grid = [list(r.cells) for r in table.rows]
    out: list[list[str | None]] = []
    for i, cells in enumerate(grid):
        row: list[str | None] = []
        for j, c in enumerate(cells):
            if j > 0 and c._tc is cells[j - 1]._tc:
                row.append("")  # horizontal merge: keep the text once
            elif i > 0 and j < len(grid[i - 1]) and c._tc is grid[i - 1][j]._tc:
                row.append(None)  # vertical merge: filled down
            else:
                row.append(c.text)
        out.append(row)
    return out
