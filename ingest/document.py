"""The one entry point of ingest: a file (or a text) in, an annotated Document out.

``parse_file`` = :func:`ingest.read.read_file` → :func:`ingest.clean.clean_page` →
:func:`ingest.structure.parse_structure` → ``ingest.entities.annotate`` (when that module is
installed; it is imported lazily so that reading and structure work without it).

>>> doc = parse_text("一、总则\\n\\n1. 加强领导。\\n\\n2. 落实责任。", name="demo.txt", annotate=False)
>>> doc.kind, len(doc.measures), doc.source
('policy', 2, 'demo.txt')
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.clean import clean_page
from ingest.model import Document
from ingest.read import read_file
from ingest.structure import parse_structure


def _annotate(doc: Document) -> Document:
    """Fill mentions and targets with ``ingest.entities.annotate``."""
    from ingest import entities

    result = entities.annotate(doc)
    return doc if result is None else result


def parse_file(path: str | Path, *, annotate: bool = True) -> Document:
    """Read, clean, parse and annotate one file.

    Raises:
        NotFoundError: the path does not exist.
        BadInputError: the file cannot be read (see :func:`ingest.read.read_file`).
    """
    raw = read_file(path)
    text, metadata = clean_page(raw.text)
    if raw.encoding not in ("utf-8", "docx", "pdf"):
        metadata.setdefault("encoding", raw.encoding)
    doc = parse_structure(text, metadata, source=raw.path, sha1=raw.sha1)
    return _annotate(doc) if annotate else doc


def parse_text(text: str, *, name: str = "<text>", annotate: bool = True) -> Document:
    """Clean, parse and annotate text held in memory; ``name`` becomes ``Document.source``."""
    cleaned, metadata = clean_page(text)
    sha1 = hashlib.sha1(text.encode("utf-8")).hexdigest()
    doc = parse_structure(cleaned, metadata, source=name, sha1=sha1)
    return _annotate(doc) if annotate else doc
