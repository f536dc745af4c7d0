"""The per-file work of an ingest, run in worker processes (one per core).

For one file :func:`process_file` does all the CPU work that needs nothing but the file:
read and parse it (or load its cached parse), build its search units, tokenise them for BM25
and serialise its quads as N-Quads text. It caches, content-addressed by the hash of the raw
file bytes:

- ``DATA/docs/<sha1>.json``: the parsed :class:`ingest.model.Document`;
- ``DATA/docs/<sha1>.units.json``: its search units and their BM25 tokens, so an unchanged
  document is never tokenised again and an incremental ingest never re-reads old documents.

The main process only merges results: keys, the graph bulk load, the BM25 matrix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import NotATaskListError, PolicyKGError
from policykg.manifest import DocumentEntry
from search.unit_cache import cached_tokenizer, load_units, save_units, units_path, write_fast

#: Most annotations (targets and entity mentions) one document may have. The densest real text
#: has ~34 per 1,000 characters (the seed policy); a 1 M-character law ~17,000 in all; a hostile
#: text of numerals and units reaches ~120 per 1,000, whose graph alone then takes ~2 GB.
MAX_ANNOTATIONS = 60_000
#: Largest N-Quads line (one term, in practice one literal) the store's bulk loader accepts.
MAX_NQUADS_LINE = 15 << 20


def normalise_key(key: str) -> str:
    """A document key in NFKC form, so full-width digits and letters name the same document.

    >>> normalise_key("冀政字〔２０２１〕６１号")
    '冀政字〔2021〕61号'
    """
    import unicodedata

    return unicodedata.normalize("NFKC", key)


def natural_key(doc, sha1: str) -> str:
    """The key a document has before disambiguation (``KEY#<sha1[:8]>`` → ``KEY``)."""
    suffix = "#" + sha1[:8]
    return doc.key[: -len(suffix)] if doc.key.endswith(suffix) else doc.key


def units_and_tokens(doc, tokens: list[list[str]] | None = None) -> tuple[list, list[list[str]]]:
    """Search units of a document and their BM25 tokens (``tokens`` reused when they fit)."""
    from search.index import units_from_document

    units = units_from_document(doc)
    if tokens is None or len(tokens) != len(units):
        tok = cached_tokenizer()
        tokens = [tok(u.text) for u in units]
    return units, tokens


def check_bounds(doc, path: str) -> None:
    """Refuse, alone and up front, a parsed document too large to ingest in bounded memory.

    Raises :class:`BadInputError` naming the file: more text than ``ingest.read.MAX_DOCUMENT_CHARS``
    (attachments and cached parses are read by other readers, so it is checked again here) or
    more annotations than ``MAX_ANNOTATIONS``.
    """
    from ingest.read import MAX_DOCUMENT_CHARS
    from core.errors import BadInputError

    if len(doc.text) > MAX_DOCUMENT_CHARS:
        raise BadInputError(f"Cannot ingest {path}: it has {len(doc.text):,} characters of text, over the "
                            f"{MAX_DOCUMENT_CHARS:,} limit for one document. Split it into separate documents.")
    count = sum(len(m.targets) + len(m.mentions) for m in doc.measures)
    if count > MAX_ANNOTATIONS:
        raise BadInputError(f"Cannot ingest {path}: it has {count:,} numbers, dates and names to annotate, over the "
                            f"{MAX_ANNOTATIONS:,} limit for one document (is it a table of numbers?). Split it.")


def document_outputs(doc, *, tokens: list[list[str]] | None = None) -> dict:
    """Units, tokens, N-Quads and graph-view rows of a parsed document (what the main process merges)."""
    from graph.build import document_lines
    from graph.iri import ENTITY_BASE
    from graph.ntext import to_bytes, to_quads
    from graph.view_rows import document_rows
    from core.errors import BadInputError

    units, tokens = units_and_tokens(doc, tokens)
    lines = document_lines(doc)
    nquads = to_bytes(lines)
    if len(nquads) > MAX_NQUADS_LINE and max(len(line.encode("utf-8")) for line in lines) > MAX_NQUADS_LINE:
        raise BadInputError(f"Cannot ingest {doc.source or doc.key}: one of its values is over "
                            f"{MAX_NQUADS_LINE >> 20} MB, more than the graph store takes for one value. Split it.")
    entity = "<" + ENTITY_BASE
    view = document_rows(doc, to_quads(line for line in lines if line.startswith(entity)))
    return {"units": units, "tokens": tokens, "nquads": nquads, "view": view}


def summary(doc) -> DocumentEntry:
    """What the main process and the manifest need to know about a document."""
    return DocumentEntry(sha1=doc.sha1, title=doc.title, docno=doc.docno, kind=doc.kind, measures=len(doc.measures),
                         tasks=len(doc.tasks), parent=doc.parent, attachments=len(doc.attachments),
                         characters=len(doc.text), text_sha1=hashlib.sha1(doc.text.encode("utf-8")).hexdigest())


@dataclass
class ParsedFile:
    """What a worker sends back for one file: an error, or the document's key, manifest entry, search
    units with their BM25 tokens, its quads as N-Quads and its graph-view rows."""

    path: str  # as printed and stored
    sha1: str  # of the raw bytes
    error: str | None = None
    not_a_task_list: bool = False  # the error is NotATaskListError (a folder ingest skips the file)
    key: str = ""
    entry: DocumentEntry | None = None
    units: list = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)
    nquads: bytes = b""
    view: Any = None  # graph.view_rows.DocumentRows


def process_file(job: tuple[str, str, str]) -> ParsedFile:
    """Parse (or load the cached parse of) one file and prepare everything the merge needs.

    Args:
        job: (path, sha1 of the raw bytes, DATA/docs folder).

    Returns:
        A :class:`ParsedFile`: ``error`` set, or the document's ``key``, ``entry`` (:func:`summary`),
        ``units``, ``tokens``, ``nquads`` and ``view``.
    """
    from ingest.serialize import document_json, load_document

    from ingest.read import display_path

    real_path, sha1, docs = job
    path = display_path(real_path)  # what is printed and stored; the file is opened by its real name
    out = ParsedFile(path=path, sha1=sha1)
    doc_path = Path(docs) / f"{sha1}.json"
    try:
        doc = None
        if doc_path.exists():
            try:
                doc = load_document(doc_path)
                doc.key = natural_key(doc, sha1)
            except PolicyKGError:
                doc = None  # a torn cache entry: parse again
        if doc is None:
            from ingest.parse import parse_any

            doc = parse_any(Path(real_path))
            doc.sha1 = sha1
            write_fast(doc_path, document_json(doc))
        doc.source = path
        doc.key = normalise_key(doc.key)
        check_bounds(doc, path)
        cached = load_units(units_path(Path(docs), sha1), doc.key)
        res = document_outputs(doc, tokens=cached[1] if cached else None)
        if cached is None:
            save_units(units_path(Path(docs), sha1), doc.key, res["units"], res["tokens"])
        out.key, out.entry = doc.key, summary(doc)
        out.units, out.tokens, out.nquads, out.view = res["units"], res["tokens"], res["nquads"], res["view"]
    except NotATaskListError as exc:
        out.error, out.not_a_task_list = str(exc), True
    except PolicyKGError as exc:
        out.error = str(exc)
    except MemoryError:
        out.error = f"Cannot ingest {path}: it needs more memory than this process may use. Split it."
    except RecursionError:
        out.error = f"Cannot ingest {path}: its structure is nested too deeply to read."
    except Exception as exc:  # a parser bug must not take the whole batch down
        out.error = f"unexpected {type(exc).__name__} while parsing: {str(exc)[:300]}"
    return out
