"""Documents to and from plain JSON, so a parsed file is cached on disk and never parsed twice.

>>> from ingest.model import Document, Measure, Mention, EntityType
>>> d = Document(key="k", title="t", text="支持保定", measures=[Measure(label="1.", number=1, ordinal=1,
...     heading="h", text="支持保定", start=0, end=4, mentions=[Mention("保定", 2, 4, "baoding", EntityType.PLACE, "保定")])])
>>> document_from_dict(document_to_dict(d)) == d
True
"""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from functools import cache
from pathlib import Path

from ingest import model
from ingest.model import Document
from core.errors import IndexCorruptError
from core.files import write_atomic

FORMAT = 1


def document_to_dict(doc: Document) -> dict:
    """A JSON-ready dict (enums as their values)."""
    return {"format": FORMAT, **_plain(doc)}


def document_json(doc: Document) -> bytes:
    """:func:`document_to_dict` of ``doc`` as UTF-8 JSON, made by orjson straight from the dataclasses
    (enums as their values, tuples as lists): a tenth of the time of building the dict and json.dumps."""
    import orjson

    return orjson.dumps({"format": FORMAT, **{name: getattr(doc, name) for name in _field_names(Document)}})


def document_from_dict(data: dict) -> Document:
    """Inverse of :func:`document_to_dict`."""
    data = {k: v for k, v in data.items() if k != "format"}
    return _build(Document, data)


def save_document(doc: Document, path: Path) -> None:
    """Write ``doc`` as JSON atomically (temp file + rename)."""
    write_atomic(path, document_json(doc))


def load_document(path: Path) -> Document:
    """Read a document written by :func:`save_document`."""
    import orjson

    try:
        return document_from_dict(orjson.loads(Path(path).read_bytes()))
    except (ValueError, TypeError, KeyError) as exc:  # orjson.JSONDecodeError is a ValueError
        raise IndexCorruptError(
            f"Cached document {path} is unreadable ({exc}). Delete it and run `policykg ingest` again."
        ) from exc


_SCALARS = (str, int, float, bool, type(None))


@cache
def _field_names(cls) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for any other type), looked up once per type."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def _plain(obj):
    cls = type(obj)
    if cls in _SCALARS:
        return obj
    names = _field_names(cls)
    if names is not None:
        return {name: _plain(getattr(obj, name)) for name in names}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls, vars(model))


def _build(cls, data: dict):
    hints = _hints(cls)
    kwargs = {}
    for name, value in data.items():
        if name not in hints:
            continue  # a field a newer version wrote; ignore rather than fail
        kwargs[name] = _convert(hints[name], value)
    return cls(**kwargs)


def _convert(tp, value):
    if value is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value) if inner else value
    if origin is list:
        return [_convert(args[0], v) for v in value]
    if origin is tuple:
        return tuple(value)
    if origin is dict:
        return dict(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _build(tp, value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    return value
