"""What an ingest did: the report the CLI prints and the API returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IngestReport:
    """What an ingest did, for people (``str``) and programs (``as_dict``)."""

    files: int = 0
    unchanged: int = 0
    parsed: int = 0
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    #: (path, reason): tables found in a folder that are no task list (an index of files, a data sheet)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, key of the same content)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (path, disambiguated key)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (path, stored key, key kept apart as)
    documents: int = 0
    measures: int = 0
    characters: int = 0
    embedded: int = 0
    seconds: float = 0.0
    generation: int | None = None
    stages: dict[str, dict[str, float]] = field(default_factory=dict)  # stage -> wall and CPU seconds

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.deleted)

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["failed"] = [{"path": p, "error": e} for p, e in self.failed]
        out["skipped"] = [{"path": p, "reason": e} for p, e in self.skipped]
        out["duplicates"] = [{"path": p, "of": k} for p, k in self.duplicates]
        out["renamed"] = [{"path": p, "key": k} for p, k in self.renamed]
        out["conflicts"] = [{"path": p, "key": k, "stored_as": n} for p, k, n in self.conflicts]
        out["characters_per_second"] = round(self.characters / self.seconds) if self.seconds else None
        return out

    def __str__(self) -> str:
        lines = [
            f"{self.files} files: {len(self.added)} added, {len(self.replaced)} replaced, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed"
            + (f", {len(self.skipped)} skipped" if self.skipped else "")
            + (f", {len(self.deleted)} deleted" if self.deleted else "")
            + (f", {len(self.duplicates)} duplicates" if self.duplicates else "")
            + (f", {len(self.renamed)} renamed" if self.renamed else "")
            + (f", {len(self.conflicts)} conflicts" if self.conflicts else ""),
            f"index: {self.documents} documents, {self.measures} measures"
            + (f" (generation {self.generation})" if self.generation else ""),
        ]
        if self.parsed:
            rate = self.characters / self.seconds if self.seconds else 0
            lines.append(f"parsed {self.characters:,} characters in {self.seconds:.1f} s ({rate:,.0f}/s)"
                         + (f", embedded {self.embedded} new passages" if self.embedded else ""))
        lines += [f"duplicate: {p}: same text as {k}" for p, k in self.duplicates]
        lines += [f"renamed: {p}: key already used in this batch, stored as {k}" for p, k in self.renamed]
        lines += [f"conflict: {p}: {k} is already the key of another stored document (different title); "
                  f"both kept, this one as {n}. Run ingest with --replace to replace the stored one."
                  for p, k, n in self.conflicts]
        lines += [f"skipped: {p}: a table that is no task list" for p, _ in self.skipped]
        lines += [f"error: {e}" if p in e else f"error: {p}: {e}" for p, e in self.failed]
        return "\n".join(lines)
