"""What a reader holds open: one generation's store, graph view, search index and searcher.

:func:`load_state` opens the live generation (leased, so a commit does not remove it while in
use); :func:`pin_readers` makes every public reading method of the facade read one generation
from start to end; :func:`verify_generation` reads every file of the live generation against the
checksums written at its commit.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from core.errors import IndexCorruptError
from ingest.segment import get_fast_tokenizer
from policykg.datadir import REPAIR, DataDir, Generation
from policykg.manifest import Manifest
from policykg.settings import Settings


class State:
    """Everything loaded from one generation."""

    def __init__(self, settings: Settings, gen: Generation | None, encoder, lease=None, manifest: Manifest | None = None):
        from graph.store import get_backend, open_store
        from graph.view import GraphView
        from search.hybrid import Searcher
        from search.index import SearchIndex

        self.gen = gen
        self.lease = lease  # keeps DataDir.commit from removing this generation while it is in use
        # read once per open (4,262 documents: ~0.1 s of parsing on the full corpus)
        self.manifest = manifest if manifest is not None else gen.manifest() if gen else Manifest()
        self.checksums = gen.checksums() if gen else None  # parsed documents are checked against it
        if settings.store != "oxigraph":
            self.store = open_store(settings.store_options(), read_only=True)
        elif gen is not None and gen.store.exists():
            self.store = get_backend("oxigraph")(gen.store, read_only=True)
        else:
            self.store = get_backend("oxigraph")(None)  # nothing ingested yet: an empty store
        # the projection saved at ingest (embedded store); else, or for an external store, by SPARQL
        saved = gen.view if gen is not None and settings.store == "oxigraph" else None
        self.view = GraphView.open(saved, self.store)
        self.index = SearchIndex.load(gen.index) if gen else SearchIndex.build([], None, progress=False)
        if isinstance(encoder, Future):  # loading in another thread (load_state)
            encoder = encoder.result()
        use_encoder = encoder if self.manifest.encoder else None
        self.searcher = Searcher(self.index, self.view, use_encoder)

    def close(self) -> None:
        self.store.close()
        if self.lease is not None:
            self.lease.close()


def load_state(settings: Settings, data: DataDir, encoder: Callable[[], object]) -> State:
    """Open the live generation of ``data`` (an empty state when nothing is ingested).

    ``encoder()`` gives the query encoder; it is called only when the generation has vectors.
    Damage (sizes against the commit's checksums, an unreadable store or index) is one
    :class:`IndexCorruptError` line naming the fix.
    """
    for _ in range(10):
        gen = data.current()
        lease = data.hold(gen) if gen else None
        if gen is None or lease is not None:
            break
        # two ingests committed between reading CURRENT and locking: read it again
    else:
        raise IndexCorruptError(f"Cannot open the live generation in {settings.data}: it keeps "
                                "disappearing. Stop concurrent ingests and retry.")
    try:
        if gen is not None:
            data.check(gen)  # sizes against the checksums of the commit: one line if damaged
        manifest = gen.manifest() if gen is not None else None
        # the query encoder (~1 s: its weights and onnx session) loads in a thread while the store,
        # the view and the index open in this one; State waits for it last
        pool = ThreadPoolExecutor(1, thread_name_prefix="encoder")
        enc = pool.submit(encoder) if manifest is not None and manifest.encoder else None
        pool.submit(get_fast_tokenizer)  # then BM25's tokenizer (~0.4 s), which every first query needs
        pool.shutdown(wait=False)
        try:
            return State(settings, gen, enc, lease, manifest)
        except (OSError, RuntimeError) as exc:  # the store (RocksDB) or an index file cannot be read
            raise IndexCorruptError(f"The index in {settings.data} cannot be opened ("
                                    f"{str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}). "
                                    f"{REPAIR}; `policykg verify` checks every file.") from None
    except BaseException:
        if lease is not None:
            lease.close()
        raise


def verify_generation(settings: Settings, data: DataDir) -> dict:
    """Read every file of the live generation and its parsed documents against the checksums
    written at commit; ``{"ok", "generation", "files", "bytes", "problems": [one line each]}``."""
    gen = data.current()
    if gen is None:
        return {"ok": True, "generation": None, "files": 0, "bytes": 0, "problems": []}
    problems = data.verify(gen, deep=True)
    sums = gen.checksums() or {"files": {}, "docs": {}}
    entries = [*sums["files"].values(), *sums.get("docs", {}).values()]
    if gen.checksums() is None:
        problems.append(f"generation {gen.number} has no checksums (written before they existed); "
                        "run `policykg ingest --rebuild PATH...` once to add them")
    if gen.store.exists() and settings.store == "oxigraph":
        try:  # every block of the store, through the store itself
            from graph.store import get_backend

            st = get_backend("oxigraph")(gen.store, read_only=True)
            try:
                st.scan()
            finally:
                st.close()
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as either
            problems.append(f"store of generation {gen.number} cannot be read: {str(exc).splitlines()[0][:200]}")
    return {"ok": not problems, "generation": gen.number, "files": len(entries),
            "bytes": sum(e[0] for e in entries), "problems": problems}


def _snapshot(method):
    """Run ``method`` on one generation from start to end: the first ``self.state`` of the call is
    kept (per thread) for every later one, also in nested calls, so an ingest committing a new
    generation mid-request never mixes two generations in one answer."""
    @functools.wraps(method)
    def pinned(self, *args, **kwargs):
        if getattr(self._pin, "state", None) is not None:
            return method(self, *args, **kwargs)
        self.last_call = time.monotonic()  # the warm-up waits for a pause in calls (``PolicyKG.warm``)
        self._pin.state = self.state
        try:
            return method(self, *args, **kwargs)
        finally:
            self._pin.state = None

    return pinned


def pin_readers(cls: type, exclude: tuple[str, ...], mixins: tuple[type, ...] = ()) -> type:
    """Wrap every public method ``cls`` or one of ``mixins`` defines, but those in ``exclude``, so it
    reads one generation (the wrapped methods are set on ``cls``)."""
    for klass in (*mixins, cls):
        for name, fn in list(vars(klass).items()):
            if inspect.isfunction(fn) and not name.startswith("_") and name not in exclude:
                setattr(cls, name, _snapshot(fn))
    return cls
