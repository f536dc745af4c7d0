"""The facade's answers about documents in time and in relation (mixed into ``PolicyKG``).

Versions of a work, validity, the "in force on D" filter, citations and legal basis in both
directions, comparison of two editions, measure alignment and network analytics. The
relations table (:class:`graph.relations.Relations`) is read once per generation: from
``relations.json`` saved by the ingest, else (an external store, an older data folder)
computed from the store by SPARQL.
"""

from __future__ import annotations

import re
from datetime import date

from core.errors import BadInputError, NotFoundError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RELATION_KINDS = ("cites", "based_on", "repeals", "implements", "changes", "amended_by")


def check_day(day: str | None) -> str | None:
    """An ISO date (2020-01-01), or None; anything else is a BadInputError naming the value.

    >>> check_day("2020-01-01"), check_day(None)
    ('2020-01-01', None)
    """
    if day is None or day == "":
        return None
    day = str(day).strip()
    if _ISO.match(day):
        try:
            date.fromisoformat(day)
            return day
        except ValueError:
            pass
    raise BadInputError(f"Cannot read the date {day!r}: give it as YYYY-MM-DD, e.g. 2020-01-01.")


class TimeMixin:
    """Methods of :class:`policykg.service.PolicyKG` about versions, relations and alignment."""

    # -- the relations table -----------------------------------------------------------------

    def relations_table(self):
        from graph.relations import Relations

        st = self.state
        rel = getattr(st, "_relations", None)
        if rel is None:
            rel = Relations.load(st.gen.path / "relations.json") if st.gen is not None else None
            if rel is None:
                rel = Relations.compute(st.store)
            st._relations = rel
        return rel

    def _version_dict(self, v) -> dict:
        from ingest.versions import VALIDITY_ZH

        return {"key": v.key, "iri": v.iri, "title": v.title, "docno": v.docno, "kind": v.kind,
                "date": v.date, "version_date": v.version_date, "entry_into_force": v.entry_into_force,
                "date_no_longer_in_force": v.end, "status": v.status, "status_zh": VALIDITY_ZH.get(v.status, v.status),
                "page_validity": v.page_validity, "work": v.work,
                "repealed_by": [self._key_of(s) for s in v.repealed_by]}

    def _ref_key(self, ref: str) -> str:
        """A document key from a key, 发文字号, title, or ``TITLE@DATE`` (an edition: 职业教育法@1996).

        ``DATE`` is a prefix of the edition's version date (1996, 1996-05, 1996-05-15); the title
        may be the work's full title or a short one (中华人民共和国 left out). A work's title without
        ``@DATE`` names its newest edition.
        """
        from graph.relations import norm_title

        title, sep, day = (ref or "").rpartition("@")
        if not sep:
            try:
                key = self._doc_key(ref)
            except NotFoundError as exc:  # a work's title, full or short: its newest edition
                missing, title, day = exc, ref, ""
            else:
                v = self.relations_table().version(key)
                if v is None or v.work is None or norm_title(ref) != norm_title(v.title):
                    return key  # a key or 发文字号 names one document
                return self.relations_table().versions[self.relations_table().works[v.work].versions[-1]].key
        t = norm_title(title)
        rel = self.relations_table()
        found = [v for v in rel.versions.values()
                 if norm_title(v.title) in (t, "中华人民共和国" + t) and (v.version_date or v.date or "").startswith(day)]
        works = {v.work for v in found}
        if not sep:
            if len(works) != 1 or None in works:
                raise missing
            found = [rel.versions[rel.works[works.pop()].versions[-1]]]
        if len(found) != 1:
            raise BadInputError(f"{ref!r} names {len(found)} editions; give TITLE@YYYY-MM-DD or the document key "
                                f"(`policykg versions {title}` lists them).") if found else \
                NotFoundError(f"No edition {ref!r}. `policykg versions {title}` lists the editions.")
        return found[0].key

    def _key_of(self, iri: str | None) -> str | None:
        if iri is None:
            return None
        rel = self.relations_table()
        v = rel.versions.get(iri)
        return v.key if v else None

    # -- versions and validity ---------------------------------------------------------------

    def time_summary(self, key: str) -> dict:
        """What the document page shows about time: edition, validity, and the number of relations."""
        rel = self.relations_table()
        v = rel.version(key)
        if v is None:
            return {}
        vs = rel.versions_of(key)
        return {"version": self._version_dict(v), "versions": len(vs),
                "relations": {"outgoing": len(rel.outgoing(key)), "incoming": len(rel.incoming(key))}}

    def versions(self, ref: str) -> dict:
        """The work a document belongs to and all its editions in date order (oldest first)."""
        key = self._ref_key(ref)
        rel = self.relations_table()
        vs = rel.versions_of(key)
        if not vs:
            raise NotFoundError(f"No version information for {ref!r}; re-ingest to compute it.")
        work = rel.works.get(vs[0].work) if vs[0].work else None
        return {"document": key, "work": {"iri": work.iri, "title": work.title} if work else None,
                "versions": [self._version_dict(v) for v in vs],
                "current": vs[-1].key if vs[-1].status != "superseded" else None}

    def in_force_keys(self, day: str | None) -> set[str] | None:
        """Keys of the documents in force on ``day`` (None: no filter)."""
        day = check_day(day)
        if day is None:
            return None
        rel = self.relations_table()
        return {v.key for v in rel.versions.values() if rel.in_force_on(v.iri, day)}

    # -- citations and legal basis -----------------------------------------------------------

    def _link_dict(self, link, direction: str) -> dict:
        rel = self.relations_table()
        src = rel.versions.get(link.source)
        tgt = rel.versions.get(link.target) if link.target else None
        work = rel.works.get(link.work) if link.work else None
        measure = None
        if link.owner and "/measure/" in link.owner:
            measure = int(link.owner.rsplit("/", 1)[1])
        target_measure = int(link.target_measure.rsplit("/", 1)[1]) if link.target_measure else None
        return {
            "kind": link.kind, "title": link.title, "article": link.article, "short_name": link.short,
            "resolved": bool(link.target or link.work), "match": link.how,
            "source": src.key if src else None, "source_title": src.title if src else None,
            "source_date": src.ref_date if src else None, "source_measure": measure,
            "target": tgt.key if tgt else None, "target_title": tgt.title if tgt else (work.title if work else None),
            "target_version_date": tgt.version_date if tgt else None,
            "target_work": work.title if work else None, "target_measure": target_measure,
            "start": link.start, "end": link.end, "citation": link.citation, "direction": direction,
        }

    def relations(self, ref: str, kind: str | None = None) -> dict:
        """What a document cites / is based on / repeals / implements, and what does so to it."""
        if kind is not None and kind not in RELATION_KINDS:
            raise BadInputError(f"Unknown relation kind {kind!r}. Choose from {', '.join(RELATION_KINDS)}.")
        key = self._ref_key(ref)
        rel = self.relations_table()
        v = rel.version(key)
        return {"document": key, "title": v.title if v else None, "kind": kind,
                "outgoing": [self._link_dict(x, "out") for x in rel.outgoing(key, kind)],
                "incoming": [self._link_dict(x, "in") for x in rel.incoming(key, kind)]}

    def citation_graph(self, ref: str, limit: int = 40) -> dict:
        """A small citation graph around a document: {"nodes": [...], "edges": [...]}, for drawing."""
        data = self.relations(ref)
        nodes = {data["document"]: {"id": data["document"], "label": data["title"], "type": "self"}}
        edges = []
        for item in (data["outgoing"] + data["incoming"])[:limit]:
            other = item["target"] if item["direction"] == "out" else item["source"]
            label = item["target_title"] if item["direction"] == "out" else item["source_title"]
            oid = other or f"title:{item['title']}"
            nodes.setdefault(oid, {"id": oid, "label": label or item["title"],
                                   "type": "document" if other else "unresolved"})
            s, t = (data["document"], oid) if item["direction"] == "out" else (oid, data["document"])
            if not any(e["source"] == s and e["target"] == t and e["label"] == item["kind"] for e in edges):
                edges.append({"source": s, "target": t, "label": item["kind"]})
        return {"nodes": list(nodes.values()), "edges": edges}

    def unresolved_citations(self, limit: int = 50) -> dict:
        """Counts of citations by kind and resolution, and the most frequent unresolved titles."""
        from collections import Counter

        rel = self.relations_table()
        counts = Counter((x.kind, bool(x.target or x.work)) for x in rel.links)
        titles = Counter(x.title for x in rel.links if not (x.target or x.work))
        return {"citations": len(rel.links),
                "resolved": sum(n for (k, ok), n in counts.items() if ok),
                "unresolved": sum(n for (k, ok), n in counts.items() if not ok),
                "by_kind": {k: {"resolved": counts.get((k, True), 0), "unresolved": counts.get((k, False), 0)}
                            for k in RELATION_KINDS},
                "unresolved_titles": [{"title": t, "count": n} for t, n in titles.most_common(limit)]}

    # -- comparison, alignment, analytics ------------------------------------------------------

    def diff(self, a: str, b: str) -> dict:
        """Article-by-article comparison of two documents (two editions of a law); see ``graph.diff``."""
        from graph.diff import diff_documents

        ka, kb = self._ref_key(a), self._ref_key(b)
        return diff_documents(self._load_document(ka), self._load_document(kb))

    def alignment(self, local: str, national: str, *, min_score: float | None = None) -> dict:
        """Which measures of ``local`` correspond to which of ``national``; see ``graph.align``."""
        from graph.align import align_documents

        kl, kn = self._ref_key(local), self._ref_key(national)
        return align_documents(self._load_document(kl), self._load_document(kn), min_score=min_score)

    def analytics(self, *, top: int = 10, law: str | None = None) -> dict:
        """Network figures over the citation and involvement graphs; see ``graph.analytics``."""
        from graph.analytics import analytics

        rel = self.relations_table()
        law_key = self._ref_key(law) if law else None
        return analytics(rel, self.state.view, top=top, reachable_from=law_key)

    def document_analytics(self, ref: str, top: int = 10) -> dict:
        """The document in the citation network (reachable laws, documents reaching it, community); see ``graph.analytics``."""
        from graph.analytics import document_figures

        return document_figures(self.relations_table(), self._ref_key(ref), top=top)

    def entity_analytics(self, ref: str, top: int = 10) -> dict:
        """An entity in the networks (roles, the laws its documents rest on, their communities); see ``graph.analytics``."""
        from graph.analytics import entity_figures

        ent = self._entity_info(ref)
        return {"label_zh": ent.label_zh, **entity_figures(self.relations_table(), self.state.view, ent.iri, top=top)}

    def citation_evaluation(self, sample: str) -> dict:
        """Precision / recall of citation resolution on a judged sample file, with the overall counts."""
        from graph.citation_eval import evaluate_sample

        path = sample
        try:
            out = evaluate_sample(self.relations_table(), path)
        except (OSError, ValueError, KeyError) as exc:
            raise BadInputError(f"Cannot read the citation sample {path!r}: {exc}.") from None
        out["counts"] = self.unresolved_citations(limit=20)
        return out

    def alignment_evaluation(self, local: str, national: str, gold: str) -> dict:
        """The alignment of ``local`` with ``national`` scored against a hand-made gold file."""
        import json
        from pathlib import Path

        from graph.align import evaluate_alignment

        try:
            data = json.loads(Path(gold).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BadInputError(f"Cannot read the alignment gold file {gold!r}: {exc}.") from None
        kl, kn = self._ref_key(local), self._ref_key(national)
        return evaluate_alignment(self._load_document(kl), self._load_document(kn), data)
