"""The graph view's tables on disk: one folder per generation (``generations/N/view/``)::

    strings.json     every :class:`~graph.view_records.ViewTables` field that is not an array (STRING_FIELDS)
    texts.bin        the measures' texts, UTF-8, one after the other (see :class:`~graph.view_records.TextColumn`)
    <name>.npy       the integer arrays (ARRAYS, and text_off: where each text starts in texts.bin)
    manifest.json    format, and the size and CRC-32 of every file (written last)
    entities.json    each document graph's entity rows (``graph.view_rows.entity_rows``), for the next
                     ingest only: it queries just the graphs that changed (not read by the view)

:func:`load_tables` checks every file's size and CRC-32 (zlib's, about 1 GB/s, so the check costs
a few milliseconds where sha256 would cost a tenth of a second per 50 MB) and raises
:class:`core.errors.IndexCorruptError` with a rebuild hint for a missing or damaged file, or for
tables whose fields are not those of :class:`~graph.view_records.ViewTables`.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import numpy as np
import orjson

from core.errors import IndexCorruptError
from graph.view_records import ARRAYS, STRING_FIELDS, TextColumn, ViewTables, tables_from

#: Version of the saved layout; a folder with another version is read through SPARQL instead.
VIEW_FORMAT = 2  # 2: measures' refs (m_ref) and section numbers (m_secnum)
_REBUILD = "run `policykg ingest --rebuild PATH...` to rebuild it"
_FILES = ("strings.json", "texts.bin", *(f"{n}.npy" for n in (*ARRAYS, "text_off")))


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            crc = zlib.crc32(block, crc)
    return crc


def save_tables(tables: ViewTables, folder: str | Path) -> None:
    """Write ``tables`` to ``folder`` (created; files of an earlier save are replaced).

    The manifest is written last, atomically: a folder without one is an unfinished save.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").unlink(missing_ok=True)
    strings = {name: getattr(tables, name) for name in STRING_FIELDS}
    (folder / "strings.json").write_bytes(json.dumps(strings, ensure_ascii=False, separators=(",", ":")).encode())
    (folder / "texts.bin").write_bytes(tables.m_text.blob)
    arrays = {**{n: getattr(tables, n) for n in ARRAYS}, "text_off": tables.m_text.offsets}
    for name, arr in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
    manifest = {"format": VIEW_FORMAT,
                "files": {n: {"size": (folder / n).stat().st_size, "crc32": _crc32(folder / n)} for n in _FILES}}
    tmp = folder / f".manifest.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(tmp, folder / "manifest.json")


def load_tables(folder: str | Path, *, verify: bool = True) -> ViewTables | None:
    """The tables saved in ``folder``; None if they were saved in another format version.

    Args:
        folder: a folder written by :func:`save_tables`.
        verify: check each file's CRC-32 (sizes are always checked).

    Raises:
        IndexCorruptError: a missing, truncated or damaged file, or tables of another shape, named in the message.
    """
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise IndexCorruptError(f"Graph view file {manifest_path} is missing or damaged ({e}); {_REBUILD}.") from e
    if manifest.get("format") != VIEW_FORMAT:
        return None
    for name in _FILES:
        path, info = folder / name, files.get(name)
        if info is None or not path.is_file():
            raise IndexCorruptError(f"Graph view file {path} is missing; {_REBUILD}.")
        if path.stat().st_size != info["size"] or (verify and _crc32(path) != info["crc32"]):
            raise IndexCorruptError(f"Graph view file {path} is damaged (size or checksum mismatch); {_REBUILD}.")
    try:
        values = orjson.loads((folder / "strings.json").read_bytes())
        for name in ARRAYS:
            values[name] = np.load(folder / f"{name}.npy", allow_pickle=False)
        values["m_text"] = TextColumn((folder / "texts.bin").read_bytes(),
                                      np.load(folder / "text_off.npy", allow_pickle=False))
        tables = tables_from(values)
        tables.check_shapes()
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise IndexCorruptError(f"Graph view in {folder} cannot be read ({e}); {_REBUILD}.") from e
    return tables


_ENTITY_ROWS = "entities.json"
ENTITY_ROWS_FORMAT = 1


def save_entity_rows(rows: dict, folder: str | Path) -> None:
    """Write each graph's entity rows (graph IRI -> ``(types, labels)``) beside the tables, atomically."""
    from core.files import write_atomic

    body = {"format": ENTITY_ROWS_FORMAT, "graphs": rows}
    write_atomic(Path(folder) / _ENTITY_ROWS, orjson.dumps(body))


def load_entity_rows(folder: str | Path) -> dict | None:
    """The rows :func:`save_entity_rows` wrote in ``folder`` (as tuples); None when missing, of another
    format or unreadable: the caller then queries the graphs (nothing is lost but time)."""
    try:
        body = orjson.loads((Path(folder) / _ENTITY_ROWS).read_bytes())
        if body.get("format") != ENTITY_ROWS_FORMAT:
            return None
        return {g: (tuple(map(tuple, types)), tuple(map(tuple, labels))) for g, (types, labels) in body["graphs"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
