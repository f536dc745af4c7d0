"""Gazetteers: named institutions, government bodies, parks, industries, places, programmes.

Most tables are generated from complete official lists by ``scripts/build_gazetteers.py``
(``central.tsv``: State Council, Party centre, NPC, courts, predecessors; ``organisations.tsv``:
national mass organisations and parties; ``generic.tsv``: generic roles; ``divisions.tsv``: every
province, prefecture and county with its code; ``zones.tsv``: new areas, free-trade zones, regions);
each generated table records its source in its first line. ``local/`` holds the hand-typed bodies,
institutions, parks and enterprises of the seed region that no official list covers; recognition
does not depend on them (:func:`use_local_tables` leaves them out).

The tables live in ``ontology/gazetteer/*.tsv`` (UTF-8, tab-separated, header row
``id type zh en aliases parent scheme``; ``aliases`` holds Chinese and English
names separated by ``|``; ``parent`` is the id of the parent organisation
(``org:subOrganizationOf``) or broader concept (``skos:broader``); ``scheme`` names
the concept scheme of industries, places and programmes, or the category of a body; generated
tables add ``code`` (GB/T 2260), ``years`` (1985-1998) and ``successor`` (the id that replaced it)).

Collective bodies (市、县两级政府, 财政部门, 各级政府 …) are single entries of type ``generic``
(a generic role): the text names a class of governments or departments as one party, never a
specific body.

>>> gaz = Gazetteer.default()
>>> gaz.lookup("河北软件职院").zh
'河北软件职业技术学院'
>>> gaz.lookup("hebei  software vocational COLLEGE").id
'hebei-software-vocational-college'
>>> gaz.lookup("保定市政府") is gaz.lookup("保定市人民政府")
True
>>> gaz.lookup("no such body") is None
True
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.errors import BadInputError
from ontology.names import fold_name
from ontology.types import EntityType

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
COLUMNS = ("id", "type", "zh", "en", "aliases", "parent", "scheme")
#: Generated tables add the division code (GB/T 2260), the years a body existed and its successor.
EXTRA_COLUMNS = ("code", "years", "successor")
LOCAL_DIR = GAZETTEER_DIR / "local"
_CJK = re.compile(r"[\u3400-\u9fff]")


def normalize_name(name: str) -> str:
    """Fold a name for lookup (:func:`ontology.names.fold_name`: NFKC, no spaces, case-folded).

    >>> normalize_name(" Hebei  Software（保定） ")
    'hebeisoftware(保定)'
    """
    return fold_name(name)


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer row."""

    id: str
    type: EntityType
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    scheme: str | None = None
    code: str | None = None  # administrative division code (GB/T 2260)
    years: str | None = None  # "1985-1998" for a predecessor, "2018-" for a body created then
    successor: str | None = None  # id of the body that replaced this one

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the entry: Chinese, English and aliases."""
        return (self.zh, self.en, *self.aliases)

    @property
    def zh_names(self) -> tuple[str, ...]:
        """The names containing Chinese characters (what appears in policy text).

        One-character abbreviations (冀 for 河北省) are names for lookup only: in running text the
        character is mostly part of other words (冀政字, 京津冀).
        """
        return tuple(n for n in (self.zh, *self.aliases) if _CJK.search(n) and len(n) > 1)


class Gazetteer:
    """All gazetteer entries, indexed by id and by every normalised name."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        self._by_id: dict[str, Entry] = {}
        self._by_name: dict[str, Entry] = {}
        for e in self.entries:
            if e.id in self._by_id:
                raise BadInputError(f"Duplicate gazetteer id {e.id!r}. Give each row a unique id.")
            self._by_id[e.id] = e
        for e in self.entries:
            if e.parent and e.parent not in self._by_id:
                raise BadInputError(
                    f"Gazetteer entry {e.id!r} names unknown parent {e.parent!r}. Use the id of an existing row."
                )
            for name in e.names:
                key = normalize_name(name)
                other = self._by_name.get(key)
                if other is not None and other is not e:
                    raise BadInputError(
                        f"Gazetteer name {name!r} belongs to both {other.id!r} and {e.id!r}. Keep it on one row."
                    )
                self._by_name[key] = e

    @classmethod
    def load(cls, folder: Path = GAZETTEER_DIR, *, local: bool = True) -> Gazetteer:
        """Read every ``*.tsv`` in ``folder`` (sorted by file name), and in its ``local/`` folder.

        ``local=False`` leaves out the hand-typed local tables (institutions, parks, enterprises of
        one region that no authoritative list covers): recognition must not depend on them.
        """
        entries: list[Entry] = []
        paths = sorted(Path(folder).glob("*.tsv"))
        if local:
            paths += sorted((Path(folder) / "local").glob("*.tsv"))
        for path in paths:
            entries.extend(_read_tsv(path))
        return cls(entries)

    @classmethod
    def default(cls) -> Gazetteer:
        """The shipped gazetteer, loaded once per process."""
        return _default()

    def lookup(self, name: str) -> Entry | None:
        """The entry with this Chinese name, alias or English name (case- and space-insensitive)."""
        return self._by_name.get(normalize_name(name))

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id."""
        return self._by_id.get(entry_id)

    def names(self) -> list[str]:
        """Every Chinese name and alias, longest first (for the jieba dictionary and the matcher)."""
        seen = {n for e in self.entries for n in e.zh_names}
        return sorted(seen, key=lambda n: (-len(n), n))

    def ancestors(self, entry_id: str) -> list[Entry]:
        """Parent, grandparent … of an entry (nearest first)."""
        out: list[Entry] = []
        e = self._by_id.get(entry_id)
        while e is not None and e.parent and len(out) < 32:
            e = self._by_id[e.parent]
            out.append(e)
        return out

    def fingerprint(self) -> str:
        """A short hash of all entries (changes whenever a table changes)."""
        h = hashlib.sha1()
        for e in self.entries:
            h.update("\t".join([e.id, e.type.value, e.zh, e.en, "|".join(e.aliases), e.parent or ""]).encode())
            h.update(b"\n")
        return h.hexdigest()[:16]


def _read_tsv(path: Path) -> list[Entry]:
    entries = []
    with path.open(encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):  # source record of a generated table
        skipped += 1
    reader = csv.reader(lines[skipped:], delimiter="\t")
    header = next(reader, None)
    if header is None or tuple(header) not in (COLUMNS, COLUMNS + EXTRA_COLUMNS):
        raise BadInputError(f"{path.name}: header must be {' '.join(COLUMNS)!r}, got {header!r}.")
    width = len(header)
    for lineno, row in enumerate(reader, start=2 + skipped):
        if not row or not "".join(row).strip():
            continue
        if len(row) != width:
            raise BadInputError(f"{path.name}:{lineno}: expected {width} columns, got {len(row)}.")
        rid, rtype, zh, en, aliases, parent, scheme, *extra = (c.strip() for c in row)
        code, years, successor = extra or ("", "", "")
        try:
            etype = EntityType(rtype)
        except ValueError:
            choices = ", ".join(t.value for t in EntityType)
            raise BadInputError(f"{path.name}:{lineno}: unknown type {rtype!r}. Choose from {choices}.") from None
        if not rid or not zh or not en:
            raise BadInputError(f"{path.name}:{lineno}: id, zh and en are required.")
        entries.append(
            Entry(
                id=rid,
                type=etype,
                zh=zh,
                en=en,
                aliases=tuple(a.strip() for a in aliases.split("|") if a.strip()),
                parent=parent or None,
                scheme=scheme or None,
                code=code or None,
                years=years or None,
                successor=successor or None,
            )
        )
    return entries


#: Whether the default gazetteer includes the hand-typed ``local/`` tables (see :func:`use_local_tables`).
_LOCAL = True


def use_local_tables(on: bool) -> None:
    """Include or leave out the ``local/`` tables in the default gazetteer (to measure without them).

    Caches built from the default gazetteer (:func:`cleared_on_change`) are dropped.
    """
    global _LOCAL
    _LOCAL = bool(on)
    _default.cache_clear()
    for drop in _ON_CHANGE:
        drop()


#: Callbacks that drop what was built from the default gazetteer (the stages register theirs).
_ON_CHANGE: list = []


def cleared_on_change(cached):
    """Decorator for an ``lru_cache`` function built from the default gazetteer: its cache is cleared
    whenever the default gazetteer changes (:func:`use_local_tables`).

    The layers above register their caches here, so the gazetteer never imports them.
    """
    _ON_CHANGE.append(cached.cache_clear)
    return cached


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return Gazetteer.load(local=_LOCAL)
