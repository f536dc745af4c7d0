"""File formats: one table, from which readers, folder ingest and error messages are derived.

Each row names an extension, the format's name and what reads it, as ``(module, function)``
imported on first use: ``document`` reads a policy document's text (``(path, bytes) -> (text,
encoding)``, called by :func:`ingest.read.read_file`) and/or ``table`` reads a task-list attachment
(``path -> Table``, called by :func:`ingest.attachments.readers.read_attachment`). ``always_table`` formats (spreadsheets) are always task lists;
for the others :func:`ingest.attachments.readers.looks_like_attachment` looks at the file's name and
first line. A folder ingest picks up every extension of the table (:func:`ingestible`).

Adding a format: one row here and its reader function (``docs/architecture.md``).

>>> document_extensions()
('.txt', '.md', '.html', '.htm', '.docx', '.pdf')
>>> table_extensions()
('.txt', '.md', '.docx', '.pdf', '.xlsx', '.xlsm', '.csv', '.tsv')
>>> FORMATS[".xlsx"].always_table, FORMATS[".html"].table
(True, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One file extension and what reads it."""

    extension: str  # lower case, with the dot
    name: str  # text | markdown | html | docx | pdf | xlsx | csv …
    document: tuple[str, str] | None = None  # (module, function) reading it as a policy document's text
    table: tuple[str, str] | None = None  # (module, function) reading it as a task-list table
    always_table: bool = False  # always a task list (spreadsheets), never a policy document


_TEXT_TABLE = ("ingest.attachments.text_table", "read_text_table")
_CSV_TABLE = ("ingest.attachments.csv_table", "read_csv_table")
_XLSX_TABLE = ("ingest.attachments.xlsx_table", "read_xlsx_table")

_PLAIN = ("ingest.read", "read_plain")
_HTML = ("ingest.read", "read_html")

FORMATS: dict[str, FileFormat] = {}


def register_format(fmt: FileFormat) -> FileFormat:
    """Add (or replace) the row for ``fmt.extension``; returns it."""
    FORMATS[fmt.extension.lower()] = fmt
    return fmt


for _fmt in (
    FileFormat(".txt", "text", document=_PLAIN, table=_TEXT_TABLE),
    FileFormat(".md", "markdown", document=_PLAIN, table=_TEXT_TABLE),
    FileFormat(".html", "html", document=_HTML),
    FileFormat(".htm", "html", document=_HTML),
    FileFormat(".docx", "docx", document=("ingest.read", "read_docx"),
               table=("ingest.attachments.docx_table", "read_docx_table")),
    FileFormat(".pdf", "pdf", document=("ingest.read", "read_pdf"),
               table=("ingest.attachments.pdf_table", "read_pdf_table")),
    FileFormat(".xlsx", "xlsx", table=_XLSX_TABLE, always_table=True),
    FileFormat(".xlsm", "xlsx", table=_XLSX_TABLE, always_table=True),
    FileFormat(".csv", "csv", table=_CSV_TABLE, always_table=True),
    FileFormat(".tsv", "csv", table=_CSV_TABLE, always_table=True),
):
    register_format(_fmt)


def document_extensions() -> tuple[str, ...]:
    """Extensions read as policy documents."""
    return tuple(e for e, f in FORMATS.items() if f.document is not None)


def table_extensions() -> tuple[str, ...]:
    """Extensions read as task-list tables."""
    return tuple(e for e, f in FORMATS.items() if f.table)


def ingestible(extension: str) -> bool:
    """Whether a folder ingest picks up files with this extension (any reader takes it)."""
    fmt = FORMATS.get(extension.lower())
    return fmt is not None and (fmt.document is not None or fmt.table is not None)


def format_of(extension: str) -> FileFormat | None:
    """The row for ``extension`` (any case), or None."""
    return FORMATS.get(extension.lower())


def load_reader(ref: tuple[str, str]):
    """The reader function a row names, imported now."""
    module, function = ref
    return getattr(import_module(module), function)
