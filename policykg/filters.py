"""Filtering, sorting and paging of result lists (search hits, "which measures involve X", entity lists).

A :class:`ResultFilter` narrows measure results by the document they come from (document, issuing
body, document type, date range) and by the entities they mention (entity type, role), then sorts
them (relevance as given, date, document order). :class:`Catalog` holds the per-document facts the
filters need (date, type, issuing bodies), read once per loaded generation.

>>> f = ResultFilter.parse(kind="policy", date_from="2019", sort="date")
>>> f.active, f.date_from, f.date_to
(True, '2019-01-01', None)
>>> ResultFilter.parse(date_to="2020-06").date_to
'2020-06-30'
>>> page(list(range(10)), offset=8, limit=5)
([8, 9], 10)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from core.errors import BadInputError
from policykg.labels import ENTITY_TYPE_ZH, KIND_ZH, ROLE_ZH, SORT_ZH

SORTS = tuple(SORT_ZH)
_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2}))?(?:[-/.](\d{1,2}))?$")


def _date_bound(value: str | None, what: str, *, upper: bool) -> str | None:
    """An ISO date (as a sortable string) from 2019, 2019-06, 2019-06-30 or 2019年6月30日."""
    if value is None or not str(value).strip():
        return None
    m = _DATE.match(re.sub(r"[年月]", "-", str(value).strip()).rstrip("日-"))
    if not m:
        raise BadInputError(f"Cannot read the {what} {value!r}: give a year, year-month or date, "
                            "e.g. 2019, 2019-06 or 2019-06-30.")
    year, month, day = m.group(1), m.group(2), m.group(3)
    month = f"{int(month):02d}" if month else ("12" if upper else "01")
    if day:
        day = f"{int(day):02d}"
    else:
        import calendar

        day = f"{calendar.monthrange(int(year), int(month))[1]:02d}" if upper else "01"
    return f"{year}-{month}-{day}"


def _choice(value: str | None, table: dict[str, str], what: str) -> str | None:
    if value is None or value == "":
        return None
    if value in table:
        return value
    for key, name in table.items():  # the Chinese name is accepted too
        if value == name:
            return key
    raise BadInputError(f"Unknown {what} {value!r}. Choose from {', '.join(table)}.")


@dataclass(frozen=True)
class ResultFilter:
    """What to keep of a result list, and in which order."""

    document: str | None = None  # document key, 发文字号 or title
    issuer: str | None = None  # issuing body: name, alias, English name or IRI
    kind: str | None = None  # document type: policy, law, report, attachment, text
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    entity_type: str | None = None  # the measure mentions an entity of this type
    role: str | None = None  # the measure gives an entity this role
    sort: str = "relevance"

    @classmethod
    def parse(cls, *, document=None, issuer=None, kind=None, date_from=None, date_to=None, entity_type=None,
              role=None, sort=None) -> ResultFilter:
        """Check and normalise the options (as given on the command line or in a query string)."""
        if sort and sort not in SORTS:
            raise BadInputError(f"Unknown sort order {sort!r}. Choose from {', '.join(SORTS)}.")
        return cls(document=(document or "").strip() or None, issuer=(issuer or "").strip() or None,
                   kind=_choice(kind, KIND_ZH, "document type"),
                   date_from=_date_bound(date_from, "start date", upper=False),
                   date_to=_date_bound(date_to, "end date", upper=True),
                   entity_type=_choice(entity_type, ENTITY_TYPE_ZH, "entity type"),
                   role=_choice(role, ROLE_ZH, "role"), sort=sort or "relevance")

    @property
    def active(self) -> bool:
        """True when the filter drops or reorders anything."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "sort") or self.sort != "relevance"

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


class Catalog:
    """Per-document facts for filtering: date, type, and issuing bodies (IRIs and labels)."""

    PASSED_BY = ("SELECT ?g ?o WHERE { GRAPH ?g { ?g <http://data.europa.eu/eli/ontology#passed_by> ?o } }")

    def __init__(self, view: Any, store: Any) -> None:
        from core.errors import BadInputError
        from graph.iri import key_from_document_iri

        self.view = view
        self.docs = {d.key: d for d in view.documents()}
        self.issuers: dict[str, list[str]] = {}
        for row in store.query(self.PASSED_BY):
            try:
                key = key_from_document_iri(row["g"])
            except BadInputError:  # a graph that is no document's
                continue
            self.issuers.setdefault(key, []).append(row["o"])

    def issuer_labels(self, key: str) -> list[str]:
        """Chinese labels of a document's issuing bodies, in a store-independent order.

        RDF keeps no order and stores return ``eli:passed_by`` rows in their own; a joint document names
        its issuers in its title (教育部河北省人民政府关于……), so they come in title order, then by label.
        """
        labels = []
        for iri in self.issuers.get(key, []):
            ent = self.view.entity(iri)
            labels.append(ent.label_zh if ent else iri)
        doc = self.docs.get(key)
        title = (doc.title if doc else "") or ""

        def place(label: str) -> tuple[int, str]:
            at = title.find(label)
            return (at if at >= 0 else len(title), label)

        return sorted(set(labels), key=place)

    def document_keys(self, ref: str) -> set[str]:
        """Keys of the documents named by ``ref`` (key, 发文字号 or title)."""
        return {k for k, d in self.docs.items() if ref in (k, d.docno, d.title, d.iri)}

    def issuer_iris(self, ref: str) -> set[str]:
        if ref.startswith("http"):
            return {ref}
        return {e.iri for e in self.view.resolve(ref)}

    def documents_matching(self, flt: ResultFilter) -> set[str] | None:
        """Keys of the documents the document-level conditions keep (None: no such condition)."""
        if not (flt.document or flt.issuer or flt.kind or flt.date_from or flt.date_to):
            return None
        keys = set(self.docs)
        if flt.document:
            keys &= self.document_keys(flt.document)
        if flt.issuer:
            want = self.issuer_iris(flt.issuer)
            keys = {k for k in keys if want & set(self.issuers.get(k, []))}
        if flt.kind:
            keys = {k for k in keys if self.docs[k].kind == flt.kind}
        if flt.date_from:
            keys = {k for k in keys if (self.docs[k].date or "") >= flt.date_from}
        if flt.date_to:
            keys = {k for k in keys if self.docs[k].date and self.docs[k].date <= flt.date_to}
        return keys


def apply(results: list[dict], flt: ResultFilter, catalog: Catalog) -> list[dict]:
    """The results ``flt`` keeps, in its order (measure results: ``document_key``, ``iri``, ``roles``)."""
    keep = catalog.documents_matching(flt)
    out = []
    for r in results:
        if keep is not None and r.get("document_key") not in keep:
            continue
        if flt.entity_type or flt.role:
            ents = catalog.view.entities_of(r.get("iri") or "")
            if flt.entity_type and not any(e.type == flt.entity_type for e, _ in ents):
                continue
            if flt.role:
                roles = set(r.get("roles") or ()) | {x for _, rs in ents for x in rs}
                if flt.role not in roles:
                    continue
        out.append(r)
    if flt.sort == "date" or flt.sort == "date_asc":
        def date(r):
            d = catalog.docs.get(r.get("document_key"))
            return (d.date if d and d.date else "")
        dated = sorted(out, key=lambda r: (r.get("document_key") or "", r.get("ordinal") or 0))
        dated.sort(key=date, reverse=flt.sort == "date")
        out = dated
    elif flt.sort == "document":
        out = sorted(out, key=lambda r: (r.get("document_key") or "", r.get("ordinal") or 0))
    return out


def page(items: list, offset: int = 0, limit: int | None = None) -> tuple[list, int]:
    """``items[offset:offset+limit]`` and the total before paging."""
    if offset < 0:
        raise BadInputError(f"offset must be 0 or more, got {offset}.")
    if limit is not None and limit < 1:
        raise BadInputError(f"limit must be 1 or more, got {limit}.")
    end = None if limit is None else offset + limit
    return items[offset:end], len(items)
