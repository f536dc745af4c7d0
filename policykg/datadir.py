"""The data folder: generations of the index, switched atomically.

Layout of ``DATA``::

    CURRENT                 number of the live generation (written with an atomic rename)
    generations/N/store/    the embedded Oxigraph store of generation N
    generations/N/index/    search indexes of generation N
    generations/N/manifest.json   documents and source files of generation N
    docs/<sha1>.json        parsed documents, by hash of the raw file (shared, content-addressed)
    cache/                  embeddings by content hash (shared, content-addressed)
    ingest.lock             held while an ingest runs

An ingest builds generation N+1 beside the live one (the store is copied with hard links, so
this is cheap) and only then points ``CURRENT`` at it. A killed ingest leaves ``CURRENT`` on the
previous generation, which stays fully usable; the half-built folder is removed by the next
ingest. Readers (``policykg serve``) keep their generation open and switch when ``CURRENT`` moves.

A reader holds a shared lock on ``generations/N/readers.lock`` (:meth:`DataDir.hold`) while it
uses generation N; :meth:`DataDir.commit` never removes a generation someone holds (it tries
again at the next commit), so a reader's open store and indexes never vanish under it.
"""

from __future__ import annotations

import fcntl
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ingest.serialize import write_atomic
from policykg.errors import BadInputError, ConflictError, IndexCorruptError

MANIFEST_FORMAT = 1
#: File in a generation folder that readers lock (shared) while they use the generation.
READERS_LOCK = "readers.lock"


@dataclass(frozen=True)
class Generation:
    """One complete, immutable-once-committed state of the index."""

    number: int
    path: Path

    @property
    def store(self) -> Path:
        return self.path / "store"

    @property
    def index(self) -> Path:
        return self.path / "index"

    @property
    def view(self) -> Path:
        """The saved graph view (``graph.view.GraphView``; embedded store only)."""
        return self.path / "view"

    @property
    def manifest_path(self) -> Path:
        return self.path / "manifest.json"

    def manifest(self) -> dict:
        """The manifest, or an empty one for a generation that has none yet."""
        if not self.manifest_path.exists():
            return empty_manifest()
        try:
            data = json.loads(self.manifest_path.read_bytes())
        except ValueError as exc:
            raise IndexCorruptError(
                f"Index manifest {self.manifest_path} is corrupt ({exc}). "
                "Run `policykg ingest --rebuild PATH...` to rebuild the index."
            ) from exc
        if data.get("format") != MANIFEST_FORMAT or "documents" not in data:
            raise IndexCorruptError(
                f"Index manifest {self.manifest_path} has an unknown format. "
                "Run `policykg ingest --rebuild PATH...` to rebuild the index."
            )
        return data

    def write_manifest(self, manifest: dict) -> None:
        write_atomic(self.manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))


def empty_manifest() -> dict:
    return {"format": MANIFEST_FORMAT, "documents": {}, "encoder": None}


class DataDir:
    """Access to a ``DATA`` folder (see the module docstring)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    def current(self) -> Generation | None:
        """The live generation, or None before the first ingest."""
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        text = pointer.read_text().strip()
        if not text.isdigit() or not (self.root / "generations" / text).is_dir():
            raise IndexCorruptError(
                f"{pointer} points at a generation that does not exist ({text!r}). "
                "Run `policykg ingest --rebuild PATH...` to rebuild the index."
            )
        return Generation(int(text), self.root / "generations" / text)

    def current_number(self) -> int | None:
        """Cheap check used by readers to notice a new generation."""
        try:
            text = (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() else None

    def begin(self) -> Generation:
        """A fresh, empty generation folder numbered after every existing one."""
        gens = self.root / "generations"
        gens.mkdir(parents=True, exist_ok=True)
        current = self.current()
        for stale in gens.iterdir():  # left by a killed ingest
            if stale.name.isdigit() and (current is None or int(stale.name) > current.number):
                shutil.rmtree(stale, ignore_errors=True)
        number = (current.number if current else 0) + 1
        path = gens / str(number)
        path.mkdir()
        return Generation(number, path)

    def commit(self, gen: Generation, keep: int = 2) -> None:
        """Make ``gen`` live, then drop generations older than the ``keep`` newest that no reader holds."""
        write_atomic(self.root / "CURRENT", f"{gen.number}\n".encode())
        gens = sorted(
            (int(p.name) for p in (self.root / "generations").iterdir() if p.name.isdigit()), reverse=True
        )
        for number in gens[keep:]:
            path = self.root / "generations" / str(number)
            try:
                fh = open(path / READERS_LOCK, "a")
            except FileNotFoundError:  # already gone, or never finished
                shutil.rmtree(path, ignore_errors=True)
                continue
            with fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a reader still uses it: the next commit removes it
                shutil.rmtree(path, ignore_errors=True)  # under the lock: a reader waiting for it sees it gone

    def hold(self, gen: Generation) -> _Lease | None:
        """A shared lock keeping :meth:`commit` from removing ``gen``; None if it is already gone.

        Release it with ``.close()`` (or let it be garbage collected).
        """
        try:
            fh = open(gen.path / READERS_LOCK, "a")
        except FileNotFoundError:
            return None
        fcntl.flock(fh, fcntl.LOCK_SH)  # waits only while a commit is removing this generation
        if not gen.path.is_dir():
            fh.close()
            return None
        return _Lease(fh)

    def lock(self) -> _Lock:
        """An exclusive lock held for the length of an ingest."""
        return _Lock(self.root / "ingest.lock")


class _Lease:
    """A reader's shared lock on one generation."""

    def __init__(self, fh):
        self._fh = fh

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()  # closing the file releases the lock


class _Lock:
    def __init__(self, path: Path):
        self.path = path
        self._fh = None

    def __enter__(self) -> _Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "w")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            raise ConflictError(
                f"Another ingest is running on {self.path.parent}; wait for it to finish and try again."
            ) from None
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()
