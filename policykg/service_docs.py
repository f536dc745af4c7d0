"""The facade's documents, measures and tasks: lists, a document's outline and text, one measure's
page, a document's graph, attachment tasks (a mixin of ``policykg.service.PolicyKG``).

Each method wires the graph view (``graph.lookup``, ``graph.outline``, ``graph.tasks``), the parsed
documents of the live generation and the facade's filters; the shaping lives in those modules.
"""

from __future__ import annotations

from core.errors import BadInputError, NotFoundError
from graph import lookup, outline
from graph.iri import measure_iri
from graph.results import result_of
from policykg.choices import EXPORT_FORMATS


class DocumentsMixin:
    """Needs ``self.state`` (``policykg.state.State``), ``self.data``, ``self.catalog()``, ``self.name_hint``,
    ``self.time_summary`` (``policykg.service_time.TimeMixin``)."""

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
        stored = st.manifest.documents.get(key)
        out = outline.document_outline(self._load_document(key), key, st.view.document(key), st.view,
                                       source=stored.source if stored else None,
                                       parent=stored.parent if stored else None, annexes=st.manifest.annexes_of(key))
        out["time"] = self.time_summary(key)
        return out

    def _load_document(self, key: str):
        from ingest.serialize import load_document

        st = self.state
        info = st.manifest.documents.get(key)
        if info is None:
            raise NotFoundError(f"No document {key!r}.")
        path = self.data.docs / f"{info.sha1}.json"
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
        info = view.measure(measure_iri(key, m.ordinal))
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
        return measure_iri(key, m.ordinal)

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
