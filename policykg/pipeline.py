"""Ingest orchestration: files → parsed documents → a new generation of graph and indexes.

Steps, each restartable:

1. expand the paths, hash every file, skip files whose hash is already in the live generation;
2. parse the rest in worker processes (one per core); each parse is cached as
   ``DATA/docs/<sha1>.json``, so a file is never parsed twice;
3. copy the live store into a new generation (hard links), replace each changed document's named
   graph, link attachments to their parents and tasks to measures, refresh cross-document links;
4. rebuild the search indexes of the new generation (embeddings come from the content-addressed
   cache, so unchanged text is never embedded again);
5. write the manifest and switch ``CURRENT`` to the new generation.

A failure in step 1 or 2 for one file is reported and skips that file; nothing already stored
changes. A crash anywhere leaves the previous generation live.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import Document
from ingest.serialize import load_document, save_document
from policykg.datadir import DataDir, Generation, empty_manifest
from policykg.errors import BadInputError, NotFoundError, PolicyKGError
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
    documents: int = 0
    measures: int = 0
    characters: int = 0
    embedded: int = 0
    seconds: float = 0.0
    generation: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.deleted)

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["failed"] = [{"path": p, "error": e} for p, e in self.failed]
        out["characters_per_second"] = round(self.characters / self.seconds) if self.seconds else None
        return out

    def __str__(self) -> str:
        lines = [
            f"{self.files} files: {len(self.added)} added, {len(self.replaced)} replaced, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed"
            + (f", {len(self.deleted)} deleted" if self.deleted else ""),
            f"index: {self.documents} documents, {self.measures} measures"
            + (f" (generation {self.generation})" if self.generation else ""),
        ]
        if self.parsed:
            rate = self.characters / self.seconds if self.seconds else 0
            lines.append(f"parsed {self.characters:,} characters in {self.seconds:.1f} s ({rate:,.0f}/s)"
                         + (f", embedded {self.embedded} new passages" if self.embedded else ""))
        lines += [f"error: {p}: {e}" for p, e in self.failed]
        return "\n".join(lines)


def sha1_file(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parse_worker(job: tuple[str, str, str]) -> tuple[str, str | None]:
    """Parse one file in a worker process and cache it; returns (path, error or None)."""
    path, sha1, cache_path = job
    try:
        doc = parse_any(Path(path))
        doc.sha1 = sha1
        save_document(doc, Path(cache_path))
        return path, None
    except PolicyKGError as exc:
        return path, str(exc)
    except Exception as exc:  # a parser bug must not take the whole batch down
        return path, f"unexpected {type(exc).__name__} while parsing: {exc}"


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

    def ingest(self, paths, *, embed: bool = True, progress: bool = False, rebuild: bool = False) -> IngestReport:
        from ingest.read import iter_files

        started = time.perf_counter()
        report = IngestReport()
        files = iter_files([Path(p) for p in paths])  # NotFoundError for a missing path, before any work
        report.files = len(files)
        with self.data.lock():
            self._reconcile_external()
            live = None if rebuild else self.data.current()
            manifest = live.manifest() if live else empty_manifest()
            known = {info["sha1"] for info in manifest["documents"].values()}
            todo: list[tuple[Path, str]] = []
            for path in files:
                try:
                    sha1 = sha1_file(path)
                except OSError as exc:
                    report.failed.append((str(path), f"cannot read the file ({exc.strerror})"))
                    continue
                if sha1 in known:
                    report.unchanged += 1
                else:
                    todo.append((path, sha1))
            encoder_name = self._encoder_name(embed)
            docs = self._parse(todo, report, progress) if todo else []
            if not docs and (live is None or encoder_name is None or manifest.get("encoder") == encoder_name):
                # nothing new could be read: the live generation stays exactly as it is
                report.documents = len(manifest["documents"])
                report.measures = sum(d["measures"] for d in manifest["documents"].values())
                report.generation = live.number if live else None
                report.seconds = time.perf_counter() - started
                return report
            gen = self.data.begin()
            try:
                self._build_generation(live, gen, manifest, docs, report, encoder_name, progress)
            except BaseException:
                import shutil

                shutil.rmtree(gen.path, ignore_errors=True)
                raise
            self.data.commit(gen)
            self._external_committed()
            report.generation = gen.number
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
            gen = self.data.begin()
            manifest = {**manifest, "documents": dict(manifest["documents"])}
            del manifest["documents"][key]
            report.deleted.append(key)
            try:
                self._build_generation(live, gen, manifest, [], report, self._encoder_name(embed), False,
                                       deleted=[key])
            except BaseException:
                import shutil

                shutil.rmtree(gen.path, ignore_errors=True)
                raise
            self.data.commit(gen)
            self._external_committed()
            report.generation = gen.number
        return report

    # -- steps --------------------------------------------------------------------------------

    def _encoder_name(self, embed: bool) -> str | None:
        if not embed or self.settings.encoder == "none":
            return None
        return self.settings.encoder + (f":{self.settings.model}" if self.settings.model else "")

    def _parse(self, todo: list[tuple[Path, str]], report: IngestReport, progress: bool) -> list[Document]:
        from tqdm import tqdm

        self.data.docs.mkdir(parents=True, exist_ok=True)
        jobs = []
        cached = []
        for path, sha1 in todo:
            cache_path = self.data.docs / f"{sha1}.json"
            if cache_path.exists():
                cached.append((path, cache_path))
            else:
                jobs.append((str(path), sha1, str(cache_path)))
        workers = self.settings.workers or os.cpu_count() or 1
        bar = tqdm(total=len(todo), desc="parsing", unit="file", disable=not progress, initial=len(cached))
        results: list[tuple[str, str | None]] = []
        if jobs:
            if workers == 1 or len(jobs) == 1:
                for job in jobs:
                    results.append(parse_worker(job))
                    bar.update()
            else:
                with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
                    for res in pool.map(parse_worker, jobs, chunksize=max(1, min(16, len(jobs) // (workers * 8)))):
                        results.append(res)
                        bar.update()
        bar.close()
        by_path = {job[0]: job for job in jobs}
        docs: list[Document] = []
        for path, error in results:
            if error:
                report.failed.append((path, error))
            else:
                cached.append((Path(path), Path(by_path[path][2])))
        for path, cache_path in cached:
            doc = load_document(cache_path)
            doc.source = str(path)
            docs.append(doc)
            report.parsed += 1
            report.characters += len(doc.text)
        return docs

    def _build_generation(self, live: Generation | None, gen: Generation, manifest: dict, docs: list[Document],
                          report: IngestReport, encoder_name: str | None, progress: bool,
                          deleted: list[str] = ()) -> None:
        from graph.build import document_quads
        from graph.links import refresh_links

        store = self._open_store(live, gen)
        try:
            if self.settings.store != "oxigraph":  # the server is written in place: record what may change
                from policykg import journal

                journal.mark(self.data, None if live is None else [
                    *deleted, *(d.key for d in docs),
                    *(k for k, info in manifest["documents"].items() if info.get("kind") == "attachment")])
            documents = dict(manifest["documents"])
            all_docs = {key: load_document(self.data.docs / f"{info['sha1']}.json") for key, info in documents.items()}
            for key in deleted:
                store.delete_document(key)
            batch: dict[str, Document] = {}
            for doc in docs:
                old = batch.get(doc.key) or all_docs.get(doc.key)
                if old is None:
                    if doc.key not in report.added:
                        report.added.append(doc.key)
                elif old.sha1 != doc.sha1 and doc.key not in report.replaced and doc.key not in report.added:
                    report.replaced.append(doc.key)
                batch[doc.key] = doc
            all_docs.update(batch)
            extra = attach_to_parents(batch, all_docs)
            store.bulk_replace({key: document_quads(doc) + extra.get(key, []) for key, doc in batch.items()})
            if self.settings.store != "oxigraph":
                from policykg.journal import sweep

                sweep(store, set(documents) | set(batch))
            refresh_links(store)
            for key, doc in batch.items():
                documents[key] = {
                    "sha1": doc.sha1,
                    "source": doc.source,
                    "title": doc.title,
                    "docno": doc.docno,
                    "kind": doc.kind,
                    "measures": len(doc.measures),
                    "tasks": len(doc.tasks),
                    "parent": doc.parent,
                }
            report.embedded = build_index(
                list(all_docs.values()), gen.index, self.data.root,
                encoder=self._encoder() if encoder_name else None, progress=progress,
            )
            gen.write_manifest({**manifest, "documents": documents, "encoder": encoder_name})
            report.documents = len(documents)
            report.measures = sum(d["measures"] for d in documents.values())
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
        with open_store(self.settings) as store:
            journal.reconcile(store, self.data)

    def _external_committed(self) -> None:
        if self.settings.store != "oxigraph":
            from policykg import journal

            journal.clear(self.data)

    def _open_store(self, live: Generation | None, gen: Generation):
        """The new generation's store: a hard-link copy of the live one, or the SPARQL server."""
        from graph.store import get_backend, open_store

        if self.settings.store != "oxigraph":
            return open_store(self.settings)
        cls = get_backend("oxigraph")
        if live is not None and live.store.exists():
            old = cls(live.store, read_only=True)
            try:
                old.store.backup(str(gen.store))
            finally:
                old.close()
        return cls(gen.store)

    def _encoder(self):
        from search.encoders import get_encoder

        return get_encoder(self.settings.encoder, model=self.settings.model)


def build_index(docs: list[Document], folder: Path, data_root: Path, *, encoder=None, progress: bool = False) -> int:
    """Build and save the search index of ``docs``; returns how many passages were newly embedded."""
    from search.index import SearchIndex, units_from_document

    units = [u for doc in docs for u in units_from_document(doc)]
    index = SearchIndex.build(units, encoder, data_dir=data_root, progress=progress)
    index.save(folder)
    return getattr(index, "embedded", 0)


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


def check_paths(paths) -> None:
    for p in paths:
        if not Path(p).exists():
            raise NotFoundError(f"Path does not exist: {p}")
    if not paths:
        raise BadInputError("No path given. Usage: policykg ingest PATH...")
