"""One entry point for attachment files: pick the reader by extension, build the Document.

>>> sorted(READERS)
['.csv', '.docx', '.md', '.pdf', '.tsv', '.txt', '.xlsm', '.xlsx']
"""

from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path

from ingest.model import Document
from policykg.errors import BadInputError, NotFoundError

#: Extension → (module, function) of the reader, imported on first use.
READERS: dict[str, tuple[str, str]] = {
    ".docx": ("ingest.attachments.docx_table", "read_docx_table"),
    ".xlsx": ("ingest.attachments.xlsx_table", "read_xlsx_table"),
    ".xlsm": ("ingest.attachments.xlsx_table", "read_xlsx_table"),
    ".csv": ("ingest.attachments.csv_table", "read_csv_table"),
    ".tsv": ("ingest.attachments.csv_table", "read_csv_table"),
    ".pdf": ("ingest.attachments.pdf_table", "read_pdf_table"),
    ".txt": ("ingest.attachments.text_table", "read_text_table"),
    ".md": ("ingest.attachments.text_table", "read_text_table"),
}


def read_attachment(path: str | Path) -> Document:
    """Read a task-list attachment into ``Document(kind="attachment", tasks=[...])``.

    Raises :class:`~policykg.errors.BadInputError` naming the file and the problem (corrupt
    file, no header row, missing task column, PDF without a table, unsupported format).
    """
    from ingest.attachments.table import table_to_document

    p = Path(path)
    if not p.is_file():
        raise NotFoundError(f"Cannot read {path}: no such file. Check the path.")
    ext = p.suffix.lower()
    if ext not in READERS:
        raise BadInputError(
            f"Cannot read {path}: unsupported attachment format {ext or '(none)'!r}. "
            f"Choose from {', '.join(sorted(READERS))}."
        )
    module, func = READERS[ext]
    table = getattr(import_module(module), func)(p)
    sha1 = hashlib.sha1(p.read_bytes()).hexdigest()
    return table_to_document(table, path, sha1=sha1)


def looks_like_attachment(path: str | Path) -> bool:
    """True for spreadsheet files and for files whose name says 附件 / 清单 / 任务表."""
    p = Path(path)
    if p.suffix.lower() in {".xlsx", ".xlsm", ".csv", ".tsv"}:
        return True
    return any(word in p.stem for word in ("附件", "清单", "任务表", "任务分工"))
