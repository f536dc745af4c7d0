"""Ingest orchestration: files → parsed documents → a new generation of graph and indexes.

Steps, each restartable:

1. expand the paths, hash every file, skip files whose hash is already in the live generation;
2. in worker processes (one per core, :mod:`policykg.worker`), parse the rest, build their search
   units, tokenise them for BM25, serialise their quads as N-Quads and make their graph-view rows
   (:mod:`graph.view_rows`); parses and tokens are cached by file hash under ``DATA/docs/``, so a
   file is never parsed or tokenised twice;
3. settle keys: identical content read twice is one document (reported as a duplicate); two
   different files of one batch with the same key (发文字号) both stay, the later one as
   ``KEY#<sha1[:8]>`` (reported as renamed); a file whose key an earlier batch stored replaces it
   when it is an edited version (same title) or with ``replace``, else it is a conflict: both stay,
   the new one as ``KEY#<sha1[:8]>`` (reported). Keys are NFKC-normalised (full-width digits);
4. copy the live store into a new generation (hard links), drop the replaced documents' graphs,
   bulk-load the new N-Quads, link attachments to their parents and tasks to measures, refresh
   cross-document links;
5. rebuild the search indexes of the new generation from the cached tokens (embeddings come from
   the content-addressed cache, so unchanged text is never embedded again) and pack the graph view
   from the workers' rows and the live generation's view (only what spans documents is queried);
6. write the manifest and switch ``CURRENT`` to the new generation.

A failure in step 1 or 2 for one file is reported and skips that file; nothing already stored
changes. A crash anywhere leaves the previous generation live.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from pathlib import Path

from core.errors import NotFoundError
from core.options import EncoderOptions
from policykg.datadir import DataDir, Generation, empty_manifest
from policykg.manifest import Manifest
from policykg.merge import Merge
from policykg.progress import bar as _bar
from policykg.progress import stage as _stage
from policykg.report import IngestReport
from policykg.settings import Settings

__all__ = ["IngestReport", "Pipeline", "sha1_file"]


def sha1_file(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Pipeline:
    """Runs ingests against a data folder and a graph store backend."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.data = DataDir(settings.data)

    # -- public -------------------------------------------------------------------------------

    def ingest(self, paths, *, embed: bool = True, progress: bool = False, rebuild: bool = False,
               replace: bool = False) -> IngestReport:
        """Ingest files and folders. ``replace``: a new document whose key (发文字号) is already
        stored for a document with another title replaces it; by default both are kept (a conflict,
        reported) and only an edited version (same title) replaces."""
        from ingest.read import display_path, iter_files

        started = time.perf_counter()
        report = IngestReport()
        files = iter_files([Path(p) for p in paths], tables=True)  # NotFoundError for a missing path, before any work
        report.files = len(files)
        with self.data.lock():
            self._reconcile_external()
            if rebuild:  # damaged parses in the cache are dropped, so they are parsed again
                self.data.drop_damaged_docs(self.data.current())
            live = None if rebuild else self.data.current()
            if live is not None:  # a damaged block is never carried into the next generation
                problems = self.data.verify(live, deep=True)
                if problems:
                    from policykg.datadir import REPAIR
                    from core.errors import IndexCorruptError

                    raise IndexCorruptError(f"The live index in {self.settings.data} is damaged: {problems[0]}. "
                                            f"{REPAIR}.")
            manifest = live.manifest() if live else empty_manifest()
            known = manifest.known_sha1s()
            todo: list[tuple[Path, str]] = []
            hashes: list[tuple[Path, str]] = []
            for path in files:
                try:
                    sha1 = sha1_file(path)
                except OSError as exc:
                    report.failed.append((display_path(path), f"cannot read the file ({exc.strerror})"))
                    continue
                hashes.append((path, sha1))
                if sha1 in known:
                    report.unchanged += 1
                else:
                    todo.append((path, sha1))
            encoder_name = self._encoder_name(embed)
            named = frozenset(display_path(Path(p)) for p in paths if Path(p).is_file())
            merge = Merge(self.data, manifest, report, batch_sha1s={s for _, s in hashes}, replace=replace,
                          named=named)
            early = self._begin_early(live, merge) if todo else None  # the graph loads while parsing
            try:
                if todo:
                    with _stage(report, "parse"):
                        self._parse(todo, merge, report, progress)
                if not merge.batch and (live is None or encoder_name is None or manifest.encoder == encoder_name):
                    # nothing new could be read: the live generation stays exactly as it is
                    report.documents, report.measures = len(manifest.documents), manifest.measures
                    report.generation = live.number if live else None
                    self._abandon(early, merge)
                else:
                    report.generation = self._new_generation(live, merge, encoder_name, progress, early)
            except BaseException:
                self._abandon(early, merge)
                raise
        report.seconds = time.perf_counter() - started
        return report

    def _begin_early(self, live: Generation | None, merge: Merge):
        """Embedded store: begin the next generation now, with its store, and let ``merge`` bulk-load the
        N-Quads into it while the workers parse; ``(generation, store)``, or None (a server)."""
        if self.settings.store != "oxigraph":
            return None
        gen = self.data.begin()
        try:
            store = self._open_store(live, gen)
        except BaseException:
            import shutil

            shutil.rmtree(gen.path, ignore_errors=True)
            raise
        merge.load_while_parsing(store)
        return gen, store

    def _abandon(self, early, merge: Merge) -> None:
        """Throw away a generation begun early that did not become live (its store closed first)."""
        merge.discard()  # stops the background load
        if early is None or self.data.current_number() == early[0].number:
            return
        import shutil

        early[1].close()
        shutil.rmtree(early[0].path, ignore_errors=True)

    def delete(self, key: str, *, embed: bool = True) -> IngestReport:
        """Remove one document (by key or 发文字号) from graph and indexes."""
        report = IngestReport()
        with self.data.lock():
            self._reconcile_external()
            live = self.data.current()
            manifest = live.manifest() if live else empty_manifest()
            if key not in manifest.documents:
                raise NotFoundError(f"No document {key!r} in the index; `policykg documents` lists them.")
            merge = Merge(self.data, manifest, report, batch_sha1s=set())
            merge.delete(key)
            report.generation = self._new_generation(live, merge, self._encoder_name(embed), False)
        return report

    def _new_generation(self, live: Generation | None, merge: Merge, encoder_name: str | None,
                        progress: bool, early=None) -> int:
        """Build the next generation from ``merge`` (in ``early``'s generation and store, if given:
        :meth:`_begin_early`) and make it live; a failure leaves ``live`` as it was."""
        gen = early[0] if early else self.data.begin()
        try:
            self._build_generation(live, gen, merge, encoder_name, progress, store=early[1] if early else None)
        except BaseException:
            import shutil

            shutil.rmtree(gen.path, ignore_errors=True)
            raise
        finally:
            merge.discard()
        self.data.commit(gen)
        self._external_committed()
        return gen.number

    # -- steps --------------------------------------------------------------------------------

    def _encoder_name(self, embed: bool) -> str | None:
        opts = self.settings.encoder_options()
        return opts.index_name if embed and opts.enabled else None

    def _parse(self, todo: list[tuple[Path, str]], merge: Merge, report: IngestReport, progress: bool) -> None:
        """Run :func:`policykg.worker.process_file` over ``todo`` on every core, merging in file order."""
        from ingest.read import display_path
        from policykg.worker import process_file

        self.data.docs.mkdir(parents=True, exist_ok=True)
        first: dict[str, str] = {}
        jobs = []
        for path, sha1 in todo:
            if sha1 in first:  # the same bytes twice in one batch: read once
                merge.same_bytes.append((display_path(path), sha1))
                continue
            first[sha1] = str(path)
            jobs.append((str(path), sha1, str(self.data.docs)))
        workers = min(self.settings.workers or os.cpu_count() or 1, len(jobs))
        bar = _bar(len(todo), "parsing", "file", progress)
        bar.update(len(todo) - len(jobs))
        if workers <= 1:
            results = map(process_file, jobs)
            pool = None
        else:
            import multiprocessing

            from ingest import entity_words
            from ingest.entities import extract_mentions
            from ingest.segment import get_fast_tokenizer, get_tokenizer

            get_tokenizer()  # load the dictionaries once; forked workers share them
            get_fast_tokenizer()
            entity_words.load()
            extract_mentions("")
            pool = multiprocessing.get_context("fork").Pool(workers)
            results = pool.imap(process_file, jobs, chunksize=max(1, min(8, len(jobs) // (workers * 16))))
        try:
            started, shown = time.perf_counter(), 0.0
            for res in results:
                merge.add(res)
                now = time.perf_counter()
                if progress and now - shown >= 0.5:  # the stage's own rate in text, beside files/s, drawn at
                    shown = now  # once (at most every 0.5 s), so a stage faster than the bar's own refresh shows it
                    bar.set_postfix_str(f"{report.characters / max(now - started, 1e-9):,.0f} chars/s")
                bar.update()
            if pool is not None:
                pool.close()
                pool.join()  # reaped, so their CPU time is counted in the stage timings
        finally:
            if pool is not None:
                pool.terminate()
            bar.close()
        merge.finish_batch()

    def _build_generation(self, live: Generation | None, gen: Generation, merge: Merge,
                          encoder_name: str | None, progress: bool, store=None) -> None:
        from graph.links import refresh_links

        report = merge.report
        store = store if store is not None else self._open_store(live, gen)
        try:
            if self.settings.store != "oxigraph":  # the server is written in place: record what may change
                from policykg import journal

                journal.mark(self.data, None if live is None else [
                    *merge.deleted, *merge.batch,
                    *(k for k, info in merge.documents.items() if info.kind == "attachment")])
            with _stage(report, "graph"):
                merge.link_attachments()
                bar = _bar(merge.spool_bytes + 2, "graph", "B", progress, scale=True)
                merge.load_store(store, bar)
                if merge.loader is not None:  # the load's own time, most of it spent during the parse stage
                    report.stages["graph_load"] = {k: round(v, 2) for k, v in merge.loader.seconds.items()}
                if self.settings.store != "oxigraph":
                    from policykg.journal import sweep

                    sweep(store, set(merge.documents))
                refresh_links(store)
                bar.update(2)
                bar.close()
            with _stage(report, "relations"):
                from graph.relations import refresh_relations

                # works, versions, validity, citations (whole corpus); what the live generation aligned for
                # documents left as they were is reused
                refresh_relations(store, gen.path, previous=live.path if live is not None else None,
                                  unchanged=merge.unchanged_graphs())
            with _stage(report, "index"):
                report.embedded = merge.build_index(gen.index, encoder=self._encoder() if encoder_name else None,
                                                    progress=progress)
            with _stage(report, "view"):
                merge.save_view(store, gen.view)
            written = Manifest(documents=merge.documents, encoder=encoder_name, duplicates=merge.duplicates)
            gen.write_manifest(written)
            report.documents = len(written.documents)
            report.measures = written.measures
        finally:
            store.close()

    def _reconcile_external(self) -> None:
        """External store only: repair what a killed ingest left on the server (see policykg.journal)."""
        if self.settings.store == "oxigraph":
            return
        from graph.store import open_store
        from policykg import journal

        if journal.pending(self.data) is None:
            return
        with open_store(self.settings.store_options()) as store:
            journal.reconcile(store, self.data)

    def _external_committed(self) -> None:
        if self.settings.store != "oxigraph":
            from policykg import journal

            journal.clear(self.data)

    def _open_store(self, live: Generation | None, gen: Generation):
        """The new generation's store: a hard-link copy of the live one, or the SPARQL server."""
        from graph.store import get_backend, open_store

        if self.settings.store != "oxigraph":
            return open_store(self.settings.store_options())
        cls = get_backend("oxigraph")
        if live is not None and live.store.exists():
            old = cls(live.store, read_only=True)
            try:
                old.store.backup(str(gen.store))
            finally:
                old.close()
        return cls(gen.store)

    def _encoder(self):
        return _passage_encoder(self.settings.encoder_options())


@functools.lru_cache(maxsize=2)
def _passage_encoder(opts: EncoderOptions):
    """The passage encoder, built once per process (the torch runtime takes seconds to load)."""
    from search.encoders import get_encoder

    return get_encoder(opts.name, model=opts.model, **opts.backend_kwargs())
