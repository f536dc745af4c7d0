"""Ingest orchestration: files → parsed documents → a new generation of graph and indexes.

Steps, each restartable:

1. expand the paths, hash every file, skip files whose hash is already in the live generation;
2. in worker processes (one per core, :mod:`policykg.worker`), parse the rest, build their search
   units, tokenise them for BM25 and serialise their quads as N-Quads; parses and tokens are
   cached by file hash under ``DATA/docs/``, so a file is never parsed or tokenised twice;
3. settle keys: identical content read twice is one document (reported as a duplicate); two
   different files of one batch with the same key (发文字号) both stay, the later one as
   ``KEY#<sha1[:8]>`` (reported as renamed); a file whose key an earlier batch stored replaces it
   when it is an edited version (same title) or with ``replace``, else it is a conflict: both stay,
   the new one as ``KEY#<sha1[:8]>`` (reported). Keys are NFKC-normalised (full-width digits);
4. copy the live store into a new generation (hard links), drop the replaced documents' graphs,
   bulk-load the new N-Quads, link attachments to their parents and tasks to measures, refresh
   cross-document links;
5. rebuild the search indexes of the new generation from the cached tokens (embeddings come from
   the content-addressed cache, so unchanged text is never embedded again);
6. write the manifest and switch ``CURRENT`` to the new generation.

A failure in step 1 or 2 for one file is reported and skips that file; nothing already stored
changes. A crash anywhere leaves the previous generation live.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import Document
from policykg.datadir import DataDir, Generation, empty_manifest
from core.errors import NotFoundError
from policykg.merge import Merge
from policykg.settings import Settings


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
        out["duplicates"] = [{"path": p, "of": k} for p, k in self.duplicates]
        out["renamed"] = [{"path": p, "key": k} for p, k in self.renamed]
        out["conflicts"] = [{"path": p, "key": k, "stored_as": n} for p, k, n in self.conflicts]
        out["characters_per_second"] = round(self.characters / self.seconds) if self.seconds else None
        return out

    def __str__(self) -> str:
        lines = [
            f"{self.files} files: {len(self.added)} added, {len(self.replaced)} replaced, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed"
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
        lines += [f"error: {e}" if p in e else f"error: {p}: {e}" for p, e in self.failed]
        return "\n".join(lines)


def sha1_file(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse_any(path: Path) -> Document:
    """A policy document or an attachment table, chosen by the file's content."""
    from ingest.attachments.readers import looks_like_attachment, read_attachment
    from ingest.document import parse_file

    if looks_like_attachment(path):
        return read_attachment(path)
    return parse_file(path)


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
        files = iter_files([Path(p) for p in paths])  # NotFoundError for a missing path, before any work
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
            known = {info["sha1"] for info in manifest["documents"].values()} | set(manifest.get("duplicates", {}))
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
            merge = Merge(self.data, manifest, report, batch_sha1s={s for _, s in hashes}, replace=replace)
            if todo:
                with _stage(report, "parse"):
                    self._parse(todo, merge, report, progress)
            if not merge.batch and (live is None or encoder_name is None or manifest.get("encoder") == encoder_name):
                # nothing new could be read: the live generation stays exactly as it is
                report.documents = len(manifest["documents"])
                report.measures = sum(d["measures"] for d in manifest["documents"].values())
                report.generation = live.number if live else None
                report.seconds = time.perf_counter() - started
                merge.discard()
                return report
            report.generation = self._new_generation(live, merge, encoder_name, progress)
        report.seconds = time.perf_counter() - started
        return report

    def delete(self, key: str, *, embed: bool = True) -> IngestReport:
        """Remove one document (by key or 发文字号) from graph and indexes."""
        report = IngestReport()
        with self.data.lock():
            self._reconcile_external()
            live = self.data.current()
            manifest = live.manifest() if live else empty_manifest()
            if key not in manifest["documents"]:
                raise NotFoundError(f"No document {key!r} in the index; `policykg documents` lists them.")
            merge = Merge(self.data, manifest, report, batch_sha1s=set())
            merge.delete(key)
            report.generation = self._new_generation(live, merge, self._encoder_name(embed), False)
        return report

    def _new_generation(self, live: Generation | None, merge: Merge, encoder_name: str | None,
                        progress: bool) -> int:
        """Build the next generation from ``merge`` and make it live; a failure leaves ``live`` as it was."""
        gen = self.data.begin()
        try:
            self._build_generation(live, gen, merge, encoder_name, progress)
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
        if not embed or self.settings.encoder == "none":
            return None
        return self.settings.encoder + (f":{self.settings.model}" if self.settings.model else "")

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

            from ingest.entities import extract_mentions
            from ingest.segment import get_tokenizer

            get_tokenizer()  # load the dictionaries once; forked workers share them
            extract_mentions("")
            pool = multiprocessing.get_context("fork").Pool(workers)
            results = pool.imap(process_file, jobs, chunksize=max(1, min(8, len(jobs) // (workers * 16))))
        try:
            for res in results:
                merge.add(res)
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
                          encoder_name: str | None, progress: bool) -> None:
        from graph.links import refresh_links

        report = merge.report
        store = self._open_store(live, gen)
        try:
            if self.settings.store != "oxigraph":  # the server is written in place: record what may change
                from policykg import journal

                journal.mark(self.data, None if live is None else [
                    *merge.deleted, *merge.batch,
                    *(k for k, info in merge.documents.items() if info.get("kind") == "attachment")])
            with _stage(report, "graph"):
                merge.link_attachments()
                bar = _bar(merge.spool_bytes + 2, "graph", "B", progress, scale=True)
                merge.load_store(store, bar)
                if self.settings.store != "oxigraph":
                    from policykg.journal import sweep

                    sweep(store, set(merge.documents))
                refresh_links(store)
                bar.update(2)
                bar.close()
            with _stage(report, "relations"):
                from graph.relations import refresh_relations

                refresh_relations(store, gen.path)  # works, versions, validity, citations (whole corpus)
            with _stage(report, "index"):
                report.embedded = merge.build_index(gen.index, encoder=self._encoder() if encoder_name else None,
                                                    progress=progress)
            with _stage(report, "view"):
                merge.save_view(store, gen.view)
            gen.write_manifest({**merge.manifest, "documents": merge.documents, "encoder": encoder_name,
                                "duplicates": merge.duplicates})
            report.documents = len(merge.documents)
            report.measures = sum(d["measures"] for d in merge.documents.values())
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
        return _passage_encoder(self.settings.encoder, self.settings.model)


@functools.lru_cache(maxsize=2)
def _passage_encoder(name: str, model: str | None):
    """The passage encoder, built once per process (the torch runtime takes seconds to load)."""
    from search.encoders import get_encoder

    return get_encoder(name, model=model)


class _stage:
    """Adds a stage's wall and CPU seconds (this process and its reaped workers) to ``report.stages``."""

    def __init__(self, report: IngestReport, name: str):
        self.report, self.name = report, name

    @staticmethod
    def _cpu() -> float:
        import resource

        return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                      resource.getrusage(resource.RUSAGE_CHILDREN)))

    def __enter__(self) -> None:
        self.t, self.c = time.perf_counter(), self._cpu()

    def __exit__(self, *exc) -> None:
        self.report.stages[self.name] = {"wall": round(time.perf_counter() - self.t, 2),
                                         "cpu": round(self._cpu() - self.c, 2)}


def _bar(total: int, desc: str, unit: str, enabled: bool, scale: bool = False):
    """A tqdm progress bar on stderr (a silent one when disabled)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled, unit_scale=scale, leave=False)


def attach_to_parents(batch: dict[str, Document], all_docs: dict[str, Document]) -> dict[str, list]:
    """Annex attachments to their parents and link their tasks to measures.

    Returns the task→measure link quads per attachment key. An attachment whose parent arrives
    in this batch (or whose parent changed) joins the batch, so its links are rebuilt.
    """
    attachments = [d for d in all_docs.values() if d.kind == "attachment"]
    if not attachments:
        return {}
    from graph.tasks import task_links_quads
    from ingest.attachments.link import link_tasks
    from ingest.attachments.title import attach_to_parent

    parents = [d for d in all_docs.values() if d.kind != "attachment" and d.attachments]
    out: dict[str, list] = {}
    for doc in attachments:
        if not attach_to_parent(doc, parents):
            continue
        parent = all_docs[doc.parent]
        if doc.key in batch or parent.key in batch:
            batch[doc.key] = doc
            out[doc.key] = task_links_quads(link_tasks(doc, parent), doc, parent)
    return out
