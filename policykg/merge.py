"""Merging the workers' results into a new generation: keys, graph bulk load, search index.

:class:`Merge` receives :func:`policykg.worker.process_file` results in file order and decides
each document's key (see :mod:`policykg.pipeline`, step 3). It spools the N-Quads to files under
``DATA/tmp-ingest-<pid>/`` so the main process stays small, then bulk-loads them; the search
index is built from the tokens cached with each document, so nothing is tokenised twice and an
incremental ingest never re-reads unchanged documents (only their cached units and tokens).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.datadir import DataDir
from policykg.manifest import DocumentEntry, Duplicate, Manifest

if TYPE_CHECKING:
    from policykg.report import IngestReport
    from policykg.worker import ParsedFile

#: Size at which the N-Quads spool moves on to a new file (one bulk load each, in the background).
SPOOL_CHUNK = 32 << 20


def same_title(a: str | None, b: str | None) -> bool:
    """Whether two titles are the same document's (an edited version): equal once NFKC-normalised,
    without spaces and punctuation.

    >>> same_title("关于印发 《方案》的通知", "关于印发《方案》的通知")
    True
    >>> same_title("关于甲的通知", "关于乙的通知")
    False
    """
    import re
    import unicodedata

    def norm(t: str | None) -> str:
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", t or ""))

    return bool(norm(a)) and norm(a) == norm(b)


class Merge:
    """The state of one ingest or delete between parsing and commit."""

    def __init__(self, data: DataDir, manifest: Manifest, report: IngestReport, *, batch_sha1s: set[str],
                 replace: bool = False, named: frozenset[str] = frozenset()):
        self.data = data
        self.named = named  # files named explicitly (display paths): a table there that is no task list fails
        self.replace = replace  # a different document under a stored key replaces it (else kept apart)
        self.manifest = manifest
        self.report = report
        self.documents: dict[str, DocumentEntry] = dict(manifest.documents)
        self.duplicates: dict[str, Duplicate] = dict(manifest.duplicates)
        self.batch_sha1s = batch_sha1s
        self.batch: dict[str, tuple[list, list[list[str]]]] = {}  # key -> (units, tokens)
        self.drop: set[str] = set()
        self.deleted: list[str] = []
        self.same_bytes: list[tuple[str, str]] = []
        self.requads: dict[str, list] = {}
        self.view_rows: dict[str, Any] = {}  # key -> graph.view_rows.DocumentRows of the batch's documents
        for stale in data.root.glob("tmp-ingest-*"):  # left by a killed ingest (we hold the lock)
            shutil.rmtree(stale, ignore_errors=True)
        self.spool_dir = data.root / f"tmp-ingest-{id(self):x}"
        self.spool: list[Path] = []
        self.spool_bytes = 0
        self._fh = None
        self.loader: BackgroundLoad | None = None

    # -- keys ---------------------------------------------------------------------------------

    def add(self, res: ParsedFile) -> None:
        """Take one worker result (in file order)."""
        path = res.path
        if res.error and res.not_a_task_list and path not in self.named:
            self.report.skipped.append((path, res.error))
            return
        if res.error:
            self.report.failed.append((path, res.error))
            return
        self.report.parsed += 1
        self.report.characters += res.entry.characters
        res.entry.source = path
        key = res.key
        earlier = self.documents.get(key) if key in self.batch else None
        if earlier is None and key in self.documents and self.documents[key].sha1 in self.batch_sha1s:
            earlier = self.documents[key]  # stored before, and its file is part of this batch too
        if earlier is not None:
            if earlier.text_sha1 == res.entry.text_sha1:
                self.duplicates[res.sha1] = Duplicate(source=path, of=key)
                self.report.duplicates.append((path, key))
                return
            key = f"{key}#{res.sha1[:8]}"
            self._rename(res, key)
            self.report.renamed.append((path, key))
        if key in self.documents and key not in self.batch and self.documents[key].sha1 != res.sha1:
            stored = self.documents[key]
            if not (self.replace or same_title(stored.title, res.entry.title)):
                # another document under a stored 发文字号: a conflict, kept apart, nothing replaced
                new_key = f"{key}#{res.sha1[:8]}"
                self._rename(res, new_key)
                self.report.conflicts.append((path, key, new_key))
                key = new_key
        if key in self.documents and key not in self.batch:
            if self.documents[key].sha1 != res.sha1:
                self.report.replaced.append(key)
                self.drop.add(key)
        elif key not in self.documents:
            self.report.added.append(key)
        self.documents[key] = replace(res.entry)
        self.batch[key] = (res.units, res.tokens)
        self.view_rows[key] = res.view
        self._write_spool(res.nquads)

    def finish_batch(self) -> None:
        """Report files whose bytes another file of the batch already had."""
        key_of = {info.sha1: key for key, info in self.documents.items()}
        key_of.update((sha1, d.of) for sha1, d in self.duplicates.items())
        for path, sha1 in self.same_bytes:
            if sha1 in key_of:
                self.report.duplicates.append((path, key_of[sha1]))
        if self._fh is not None:
            self._close_spool_file()

    def delete(self, key: str) -> None:
        del self.documents[key]
        self.duplicates = {s: d for s, d in self.duplicates.items() if d.of != key}
        self.deleted.append(key)
        self.drop.add(key)
        self.report.deleted.append(key)

    def _rename(self, res: ParsedFile, key: str) -> None:
        from ingest.serialize import document_json
        from policykg.worker import document_outputs, save_units, units_path, write_fast

        doc = self.load_document(res.sha1, key)
        doc.source = res.path
        out = document_outputs(doc, tokens=res.tokens)
        res.key, res.units, res.tokens, res.nquads, res.view = key, out["units"], out["tokens"], out["nquads"], out["view"]
        write_fast(self.data.docs / f"{res.sha1}.json",
                   document_json(doc))
        save_units(units_path(self.data.docs, res.sha1), key, res.units, res.tokens)

    def load_document(self, sha1: str, key: str):
        from ingest.serialize import load_document

        doc = load_document(self.data.docs / f"{sha1}.json")
        doc.key = key
        return doc

    # -- graph --------------------------------------------------------------------------------

    def load_while_parsing(self, store: Any) -> None:
        """Bulk-load each spool file into ``store`` (the new generation's embedded store) as soon as
        it is full, in a thread, while the workers go on parsing (see :class:`BackgroundLoad`)."""
        self.loader = BackgroundLoad(store)

    def _close_spool_file(self) -> None:
        self._fh.close()
        self._fh = None
        if self.loader is not None:  # every key replaced so far is dropped before the file loads
            self.loader.submit(self.spool[-1], frozenset(self.drop))

    def _write_spool(self, nquads: bytes) -> None:
        if self._fh is None or self._fh.tell() >= SPOOL_CHUNK:
            if self._fh is not None:
                self._close_spool_file()
            self.spool_dir.mkdir(parents=True, exist_ok=True)
            path = self.spool_dir / f"{len(self.spool):04d}.nq"
            self.spool.append(path)
            self._fh = open(path, "wb")
        self._fh.write(nquads)
        self.spool_bytes += len(nquads)

    def link_attachments(self) -> None:
        """Annex attachments to their parents; the attachments concerned get their graphs rebuilt."""
        atts = [k for k, info in self.documents.items() if info.kind == "attachment"]
        if not atts:
            return
        from graph.build import document_quads
        from graph.tasks import attachment_link_quads

        parents = [k for k, info in self.documents.items() if info.kind != "attachment" and info.attachments]
        all_docs = {k: self.load_document(self.documents[k].sha1, k) for k in atts + parents}
        batch = {k: d for k, d in all_docs.items() if k in self.batch}
        extra = attachment_link_quads(batch, all_docs)
        for key, doc in batch.items():
            if doc.kind == "attachment":
                self.requads[key] = document_quads(doc) + extra.get(key, [])
                self.documents[key].parent = doc.parent

    def load_store(self, store: Any, bar: Any) -> None:
        """Drop replaced and deleted documents' graphs, load the spooled N-Quads, rebuilt attachments.

        With a :class:`BackgroundLoad`, waits for it: what it loaded and dropped is not done again."""
        spool, drop = self.spool, self.drop
        if self.loader is not None:
            self.loader.finish()
            done = set(self.loader.loaded)
            bar.update(sum(path.stat().st_size for path in done))
            spool, drop = [p for p in spool if p not in done], self.drop - self.loader.dropped
        store.load_documents(spool, drop=drop, on_file=lambda path: bar.update(path.stat().st_size))
        for key, quads in self.requads.items():
            store.replace_document(key, quads)

    # -- search index -------------------------------------------------------------------------

    def build_index(self, folder: Path, *, encoder=None, progress: bool = False) -> int:
        """Build and save the search index of every document; returns how many passages were embedded."""
        from search.index import SearchIndex
        from policykg.progress import bar as _bar
        from policykg.worker import load_units, save_units, units_and_tokens, units_path

        units: list = []
        tokens: list[list[str]] = []
        bar = _bar(len(self.documents) + 1, "index", "doc", progress)
        for key, info in self.documents.items():
            got = self.batch.get(key) or load_units(units_path(self.data.docs, info.sha1), key)
            if got is None:  # parsed by an older version: tokenise once, here, and cache
                got = units_and_tokens(self.load_document(info.sha1, key))
                save_units(units_path(self.data.docs, info.sha1), key, *got)
            units += got[0]
            tokens += got[1]
            bar.update()
        index = SearchIndex.build(units, encoder, data_dir=self.data.root, progress=progress, tokens=tokens)
        index.save(folder)
        bar.update()
        bar.close()
        return index.embedded

    def _changed(self) -> set[str]:
        """Keys of the documents whose named graphs this ingest writes or drops."""
        return {*self.batch, *self.drop, *self.requads}

    def unchanged_graphs(self) -> frozenset[str]:
        """IRIs of the documents whose named graphs this ingest leaves as the live generation has them."""
        from graph.iri import document_iri

        changed = self._changed()
        return frozenset(document_iri(k) for k in self.documents if k not in changed)

    def save_view(self, store: Any, folder: Path) -> None:
        """Save the embedded store's graph view (``graph.view.GraphView``) in ``folder``, so readers
        start without querying the store (an external store is read live by SPARQL instead).

        No document is queried for its measures and involvements: the batch's come from the rows
        the workers made (``graph.view_rows``), the others from the live generation's view; only
        attachments rebuilt here, and everything when the live view is missing or damaged and the
        batch is not the whole corpus, are queried.
        """
        if not store.per_generation:
            return
        from graph.iri import DOC_BASE, document_iri
        from graph.view import GraphView
        from graph.view_files import load_entity_rows, save_entity_rows
        from graph.view_tables import collect_tables, graph_entity_rows, load_tables
        from core.errors import IndexCorruptError

        previous = None  # the live generation's view: its unchanged documents are not queried again
        known = {}  # graph -> entity rows, of the live generation's unchanged documents and of the batch's
        live = self.data.current()
        if live is not None and live.view.is_dir():
            try:
                previous = load_tables(live.view)
            except IndexCorruptError:
                previous = None  # damaged: query everything
            known = load_entity_rows(live.view) or {}
        changed = {document_iri(k) for k in self._changed()}
        given = {document_iri(k): rows for k, rows in self.view_rows.items()
                 if rows is not None and k in self.documents and k not in self.requads}
        known = {g: rows for g, rows in known.items() if g not in changed}
        known.update((g, (rows.types, rows.labels)) for g, rows in given.items() if rows.types is not None)
        entities = graph_entity_rows(store, known)
        GraphView(collect_tables(store, previous, changed, given=given, entities=entities)).save(folder)
        save_entity_rows({g: rows for g, rows in entities.items() if g.startswith(DOC_BASE)}, folder)

    def discard(self) -> None:
        """Stop the background load (if any) and remove the spool."""
        if self.loader is not None:
            self.loader.stop()
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        shutil.rmtree(self.spool_dir, ignore_errors=True)


class BackgroundLoad:
    """Bulk-loads spool files into an embedded store in a thread while the workers parse.

    The N-Quads bulk loader releases the GIL, so the load of the full corpus (the longest serial
    stage of an ingest) runs beside the workers instead of after them. Order is kept: each file is
    loaded after the graphs of every key replaced until it was closed are dropped (a key is marked
    for dropping before its new quads are spooled, and never dropped twice). A failure is raised by
    :meth:`finish`; the generation being built is then thrown away, as for any other failure.
    """

    def __init__(self, store: Any):
        import queue
        import threading

        self.store = store
        self.loaded: list[Path] = []
        self.dropped: set[str] = set()
        self.error: BaseException | None = None
        # wall: time in loads; cpu: this thread's own clock only (the bulk loader and the storage engine
        # work in threads of their own, ~5x as much: bench/bench_store_load.py)
        self.seconds = {"wall": 0.0, "cpu": 0.0}
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="policykg-load", daemon=True)
        self._thread.start()

    def submit(self, path: Path, drop: frozenset[str]) -> None:
        self._queue.put((path, drop))

    def _run(self) -> None:
        import time

        while (item := self._queue.get()) is not None:
            if self.error is not None:
                continue
            path, drop = item
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                todo = sorted(drop - self.dropped)
                self.store.drop_documents(todo)
                self.dropped.update(todo)
                self.store.load_nquads(path)
                self.loaded.append(path)
            except BaseException as exc:  # kept, and raised in the ingest's own thread by finish()
                self.error = exc
            self.seconds["wall"] += time.perf_counter() - wall
            self.seconds["cpu"] += time.thread_time() - cpu

    def finish(self) -> None:
        """Wait until every submitted file is loaded; raise the load's error, if any."""
        self.stop()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
