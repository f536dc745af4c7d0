"""The data folder: generations of the index, switched atomically.

Layout of ``DATA``::

    CURRENT                 number of the live generation (written with an atomic rename)
    generations/N/store/    the embedded Oxigraph store of generation N
    generations/N/index/    search indexes of generation N
    generations/N/manifest.json   documents and source files of generation N
    generations/N/checksums.json  size and SHA-256 of every file of generation N and of the
                            parsed documents it uses, written at commit (see :func:`verify`)
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

from core.errors import ConflictError, IndexCorruptError
from core.files import write_atomic
from policykg.manifest import MANIFEST_FORMAT, Manifest

#: File in a generation folder with the size and digest of every file (written at commit).
CHECKSUMS = "checksums.json"
#: What ``policykg`` prints as the way to repair a damaged index.
REPAIR = "Run `policykg ingest --rebuild PATH...` (the same files) to rebuild it"
# Files of a generation that change after commit (RocksDB's logs and lock) or are not data.
_UNSEALED = ("readers.lock", CHECKSUMS)
_UNSEALED_PREFIX = ("store/LOG", "store/LOCK")


def _digest(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sealed_files(gen: Generation) -> list[tuple[str, Path]]:
    out = []
    for f in sorted(gen.path.rglob("*")):
        rel = f.relative_to(gen.path).as_posix()
        if f.is_file() and rel not in _UNSEALED and not rel.startswith(_UNSEALED_PREFIX):
            out.append((rel, f))
    return out


def _doc_files(docs: Path, manifest: Manifest) -> list[Path]:
    out = []
    for info in manifest.documents.values():
        for name in (f"{info.sha1}.json", f"{info.sha1}.units.json"):
            if (docs / name).is_file():
                out.append(docs / name)
    return out
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

    def manifest(self) -> Manifest:
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
        return Manifest.from_dict(data)

    def checksums(self) -> dict | None:
        """The checksums written at commit, or None (a generation from before they existed)."""
        try:
            data = json.loads((self.path / CHECKSUMS).read_bytes())
        except FileNotFoundError:
            return None
        except ValueError:
            raise IndexCorruptError(f"{self.path / CHECKSUMS} is damaged. {REPAIR}.") from None
        return data if data.get("format") == 1 else None

    def write_manifest(self, manifest: Manifest) -> None:
        write_atomic(self.manifest_path, json.dumps(manifest.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"))


def empty_manifest() -> Manifest:
    return Manifest()


class DataDir:
    """Access to a ``DATA`` folder (see the module docstring)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        # (device, inode) -> (size, mtime_ns, digest) of the files a deep verify found intact: sealing the
        # next generation reuses them for its hard links and the parsed documents it shares (each file of
        # the full corpus was read twice per ingest, ~3 s, once to verify and once to seal)
        self._verified: dict[tuple[int, int], tuple[int, int, str]] = {}

    def _digest_of(self, path: Path) -> str:
        """SHA-256 of ``path``, from the last deep verify when the same file (inode, size, mtime) was read."""
        st = path.stat()
        known = self._verified.get((st.st_dev, st.st_ino))
        if known is not None and known[:2] == (st.st_size, st.st_mtime_ns):
            return known[2]
        return _digest(path)

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

    def seal(self, gen: Generation) -> None:
        """Write ``checksums.json``: size and SHA-256 of every file of ``gen`` and of its parsed documents."""
        files = {rel: [f.stat().st_size, self._digest_of(f)] for rel, f in _sealed_files(gen)}
        docs = {f.name: [f.stat().st_size, self._digest_of(f)] for f in _doc_files(self.docs, gen.manifest())}
        write_atomic(gen.path / CHECKSUMS, json.dumps({"format": 1, "files": files, "docs": docs}).encode())

    def verify(self, gen: Generation, *, deep: bool = True, docs: bool = True) -> list[str]:
        """Problems found in ``gen`` (empty when it is intact), one line each, naming the file.

        ``deep``: read every file and compare digests (``policykg verify``); else sizes only (cheap,
        done when a generation is opened). ``docs``: check the parsed documents it uses too.
        """
        sums = gen.checksums()
        if deep:
            self._verified = {}  # only what this read found intact is reused
        if sums is None:
            return []
        problems = []
        entries = [(gen.path / rel, rel, want) for rel, want in sums["files"].items()]
        if docs:
            entries += [(self.docs / name, f"docs/{name}", want) for name, want in sums.get("docs", {}).items()]
        for path, rel, (size, digest) in entries:
            try:
                got = path.stat().st_size
            except FileNotFoundError:
                top = gen.path / rel.split("/")[0]
                if deep or rel.startswith("docs/") or "/" not in rel or top.exists():
                    problems.append(f"{rel} of generation {gen.number} is missing")
                # else a whole optional part is absent (an older layout): its loader decides
                continue
            if got != size:
                problems.append(f"{rel} of generation {gen.number} has {got:,} bytes, {size:,} when written")
            elif deep:
                st = path.stat()
                if _digest(path) != digest:
                    problems.append(f"{rel} of generation {gen.number} is damaged (its content changed since written)")
                elif path.stat().st_mtime_ns == st.st_mtime_ns:  # unchanged while it was read
                    self._verified[(st.st_dev, st.st_ino)] = (st.st_size, st.st_mtime_ns, digest)
        return problems

    def check(self, gen: Generation) -> None:
        """Raise :class:`IndexCorruptError` (one line, with the repair) if ``gen`` fails the cheap checks."""
        problems = self.verify(gen, deep=False, docs=False)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise IndexCorruptError(f"The index in {self.root} is damaged: {problems[0]}{more}. {REPAIR}; "
                                    "`policykg verify` checks every file.")

    def check_document(self, sums: dict | None, path: Path, data: bytes) -> None:
        """Raise :class:`IndexCorruptError` if a parsed document's bytes differ from those sealed
        (``sums``: the generation's :meth:`Generation.checksums`)."""
        want = (sums or {}).get("docs", {}).get(path.name)
        if want is not None:
            import hashlib

            if len(data) != want[0] or hashlib.sha256(data).hexdigest() != want[1]:
                raise IndexCorruptError(f"The parsed document {path.name} in {self.docs} is damaged (its content "
                                        f"changed since written). {REPAIR}.")

    def drop_damaged_docs(self, gen: Generation | None) -> int:
        """Remove the parsed documents of ``gen`` that fail their checksums (a cache: they are parsed again)."""
        sums = gen.checksums() if gen is not None else None
        removed = 0
        for name, (size, digest) in ((sums or {}).get("docs", {})).items():
            path = self.docs / name
            try:
                if path.stat().st_size != size or _digest(path) != digest:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def commit(self, gen: Generation, keep: int = 2) -> None:
        """Seal ``gen`` (:meth:`seal`) and make it live, then drop generations older than the ``keep``
        newest that no reader holds."""
        self.seal(gen)
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
