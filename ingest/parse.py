"""One entry point for any file an ingest reads: a policy document or a task-list attachment.

The format table (``ingest.formats``) says which readers take an extension; spreadsheets are
always task lists, other formats are when their name or first line says so
(:func:`ingest.attachments.readers.looks_like_attachment`).
"""

from __future__ import annotations

from pathlib import Path

from ingest.attachments.readers import looks_like_attachment, read_attachment
from ingest.document import parse_file
from ingest.formats import format_of
from ingest.model import Document


def parse_any(path: Path) -> Document:
    """A policy document or an attachment table, chosen by the file's format and content."""
    fmt = format_of(Path(path).suffix)
    if fmt is not None and fmt.table is not None and (fmt.document is None or looks_like_attachment(path)):
        return read_attachment(path)
    return parse_file(path)
