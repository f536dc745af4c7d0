"""The search index's units on disk, opened lazily: numpy columns and one UTF-8 string blob.

Reading every unit of the full reference corpus from one JSON list (93,000 units, 82 MB) took
seconds at start-up, and kept 93,000 objects resident. Here a version folder holds

- ``units.npy``: int64, one row per unit, one column per :class:`~search.index.Unit` field: the
  value of an int field, or for a string field the number of the string in the blob (strings
  are stored once each: a document's key and title are shared by all of its units);
  :data:`NONE` stands for None;
- ``unit_strings.npy``: int64 offsets, string ``s`` is ``unit_strings.bin[off[s]:off[s + 1]]``;
- ``unit_strings.bin``: the strings, UTF-8, one after another;
- ``unit_ids.txt``: the units' ids again, one a line (the id → position map is read in one go).

The string blob is memory-mapped, the two small arrays read whole (12 MB on the full corpus);
:class:`UnitTable` builds a unit when it is read (a few µs), so opening costs tens of
milliseconds, not the seconds that parsing every unit took.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator, Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np

#: Stands for None in ``units.npy``.
NONE = np.iinfo(np.int64).min
ROWS, OFFSETS, BLOB, IDS = "units.npy", "unit_strings.npy", "unit_strings.bin", "unit_ids.txt"
FILES = (ROWS, OFFSETS, BLOB, IDS)


def _columns(unit_cls) -> list[tuple[str, bool]]:
    """(field name, is a string field) for each field of the unit class, in declaration order."""
    return [(f.name, f.type not in ("int", "int | None")) for f in fields(unit_cls)]


def save_units(units: Sequence, folder: Path, unit_cls) -> None:
    """Write ``units`` (instances of the dataclass ``unit_cls``) as the three files of this format."""
    cols = _columns(unit_cls)
    ids: dict[str, int] = {}
    rows = np.empty((len(units), len(cols)), dtype=np.int64)
    for i, u in enumerate(units):
        for j, (name, is_str) in enumerate(cols):
            v = getattr(u, name)
            if v is None:
                rows[i, j] = NONE
            elif is_str:
                rows[i, j] = ids.setdefault(v, len(ids))
            else:
                rows[i, j] = v
    encoded = [s.encode("utf-8") for s in ids]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(b) for b in encoded])
    np.save(Path(folder) / ROWS, rows, allow_pickle=False)
    np.save(Path(folder) / OFFSETS, offsets, allow_pickle=False)
    (Path(folder) / BLOB).write_bytes(b"".join(encoded))
    (Path(folder) / IDS).write_text("\n".join(u.id for u in units), encoding="utf-8")


class UnitTable(Sequence):
    """A read-only sequence of units backed by the memory-mapped files of one version folder."""

    def __init__(self, folder: Path, unit_cls) -> None:
        folder = Path(folder)
        self._cls = unit_cls
        self._cols = _columns(unit_cls)
        self._folder = folder
        self._rows = np.load(folder / ROWS, allow_pickle=False)
        self._off = np.load(folder / OFFSETS, allow_pickle=False)
        if self._rows.ndim != 2 or self._rows.shape[1] != len(self._cols):
            raise ValueError(f"{ROWS} has shape {self._rows.shape}, expected (units, {len(self._cols)})")
        size = (folder / BLOB).stat().st_size
        if int(self._off[-1]) != size:
            raise ValueError(f"{BLOB} has {size} bytes, its offsets say {int(self._off[-1])}")
        with open(folder / BLOB, "rb") as f:
            self._blob = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        self._strings: dict[int, str] = {}  # decoded once: keys, titles and ids repeat

    def _string(self, s: int) -> str:
        v = self._strings.get(s)
        if v is None:
            v = bytes(self._blob[int(self._off[s]) : int(self._off[s + 1])]).decode("utf-8")
            if len(v) < 200:  # ids, keys, titles, labels; not the texts
                self._strings[s] = v
        return v

    def ids(self) -> list[str]:
        """Every unit's id, in order (from ``unit_ids.txt``: one read)."""
        text = (self._folder / IDS).read_text(encoding="utf-8")
        ids = text.split("\n") if text else []
        if len(ids) != len(self):
            raise ValueError(f"{IDS} has {len(ids)} ids for {len(self)} units")
        return ids

    def column(self, name: str) -> list:
        """One field of every unit (e.g. ``column("text")``), without building the units."""
        j, is_str = next((j, s) for j, (n, s) in enumerate(self._cols) if n == name)
        vals = self._rows[:, j].tolist()
        if is_str:
            return [None if v == NONE else self._string(v) for v in vals]
        return [None if v == NONE else v for v in vals]

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = self._rows[i].tolist()
        vals = {name: (None if v == NONE else self._string(v) if is_str else v)
                for (name, is_str), v in zip(self._cols, row)}
        return self._cls(**vals)

    def __iter__(self) -> Iterator:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None
