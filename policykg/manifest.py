"""The manifest of a generation (``DATA/generations/N/manifest.json``) as typed records.

One :class:`DocumentEntry` per stored document (what the merge, the facade and the integrity
checks need to know without loading the parse), the files whose bytes duplicated a stored
document's text, and the encoder the vectors were made with. The JSON on disk keeps its layout
(``{"format": 1, "documents": {key: {...}}, "encoder": ..., "duplicates": {sha1: {"source", "of"}}}``).

>>> m = Manifest.from_dict({"format": 1, "documents": {"A": {"sha1": "ab", "title": "T", "kind": "policy",
...     "measures": 3}}, "encoder": None})
>>> m.documents["A"].measures, m.measures, m.known_sha1s()
(3, 3, {'ab'})
>>> Manifest.from_dict(m.to_dict()) == m
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

#: Version of the manifest's layout; another version is refused with a hint to rebuild.
MANIFEST_FORMAT = 1


@dataclass
class DocumentEntry:
    """What the manifest records of one stored document."""

    sha1: str  # of the raw file bytes (the parse cache is DATA/docs/<sha1>.json)
    title: str = ""
    source: str | None = None  # the path as given
    docno: str | None = None  # 发文字号
    kind: str = "policy"
    measures: int = 0
    tasks: int = 0
    parent: str | None = None  # key of the parent document (an attachment)
    attachments: int = 1  # entries of its attachment list (1 when an older manifest did not say)
    characters: int = 0
    text_sha1: str | None = None  # of the cleaned text: the same text read twice is one document

    @classmethod
    def from_dict(cls, d: dict) -> DocumentEntry:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known and v is not None or k == "sha1"})

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Duplicate:
    """A file whose text a stored document already has."""

    source: str
    of: str  # the stored document's key


@dataclass
class Manifest:
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    encoder: str | None = None  # name of the encoder the vectors were made with (None: no vectors)
    duplicates: dict[str, Duplicate] = field(default_factory=dict)  # sha1 of the raw bytes -> duplicate
    format: int = MANIFEST_FORMAT

    @classmethod
    def from_dict(cls, d: dict) -> Manifest:
        return cls(documents={k: DocumentEntry.from_dict(v) for k, v in d.get("documents", {}).items()},
                   encoder=d.get("encoder"),
                   duplicates={s: Duplicate(**v) for s, v in (d.get("duplicates") or {}).items()},
                   format=d.get("format", MANIFEST_FORMAT))

    def to_dict(self) -> dict:
        return {"format": self.format, "documents": {k: e.to_dict() for k, e in self.documents.items()},
                "encoder": self.encoder, "duplicates": {s: asdict(d) for s, d in self.duplicates.items()}}

    def known_sha1s(self) -> set[str]:
        """Raw-byte hashes already stored or known duplicates (an ingest skips these files)."""
        return {e.sha1 for e in self.documents.values()} | set(self.duplicates)

    @property
    def measures(self) -> int:
        return sum(e.measures for e in self.documents.values())

    def annexes_of(self, key: str) -> list[str]:
        """Keys of the attachments annexed to the document ``key``."""
        return [k for k, e in self.documents.items() if e.parent == key]
