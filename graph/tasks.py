"""Attachment tasks in the graph: who leads them, by when, and which measures they implement.

Queries go through ``GraphStore.query`` with portable ``GRAPH ?g { … }`` patterns, so they
run on the embedded Oxigraph store and on a SPARQL 1.1 server alike.

>>> check_role("lead")
'lead'
>>> check_role("boss")
Traceback (most recent call last):
...
core.errors.BadInputError: Unknown task role 'boss'. Choose from 'lead', 'responsible', 'support'.
>>> check_due_by("2022年底"), check_due_by("2022-12-31")
('2022-12-31', '2022-12-31')
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from graph import iri
from graph.vocab import PKG_NS, SPARQL_PROLOGUE
from core.errors import BadInputError
from ontology.types import TASK_ROLES

if TYPE_CHECKING:
    from pyoxigraph import Quad

    from graph.store import GraphStore
    from ingest.attachments.link import TaskLink
    from ingest.model import Document

#: Task role → the property linking a task to an organisation.
ROLE_PROPERTIES = {role: PKG_NS + spec.property for role, spec in TASK_ROLES.items()}  # ontology.types
_PROPERTY_ROLES = {v: k for k, v in ROLE_PROPERTIES.items()}


def check_role(role: str | None) -> str | None:
    """Validate a role name (``None`` means any role)."""
    if role is None or role in ROLE_PROPERTIES:
        return role
    raise BadInputError(f"Unknown task role {role!r}. Choose from {', '.join(repr(r) for r in ROLE_PROPERTIES)}.")


def check_due_by(due_by: str | None) -> str | None:
    """An ISO date from ``2022-12-31``, a year, or a printed deadline such as ``2022年底``.

    >>> check_due_by("2022"), check_due_by("2022年底"), check_due_by("2023-06")
    ('2022-12-31', '2022-12-31', '2023-06-30')
    """
    if due_by is None:
        return None
    if due_by.strip().isdigit() and len(due_by.strip()) == 4:
        return f"{due_by.strip()}-12-31"
    try:
        return dt.date.fromisoformat(due_by.strip()).isoformat()
    except ValueError:
        pass
    from ingest.attachments.deadlines import parse_deadline

    parsed = parse_deadline(due_by)
    if parsed is None or parsed.date is None:
        raise BadInputError(
            f"Cannot read due date {due_by!r}. Give an ISO date such as 2022-12-31 or a period such as 2022年底."
        )
    return parsed.date


def _uri(value: str, what: str) -> str:
    if not value or any(c in value for c in '<>" {}|\\^`\n'):
        raise BadInputError(f"Invalid {what} IRI {value!r}. Give an absolute IRI without spaces or <>.")
    return f"<{value}>"


def attachment_link_quads(batch: dict[str, Document], all_docs: dict[str, Document]) -> dict[str, list[Quad]]:
    """Annex attachments to their parents and link their tasks to measures
    (:func:`ingest.attachments.parents.annex_attachments`); the task→measure quads per attachment key.

    An attachment whose parent arrives in ``batch`` (or whose parent changed) joins ``batch``, so
    its graph is rebuilt with its links.
    """
    from ingest.attachments.parents import annex_attachments

    return {key: task_links_quads(links, att, parent)
            for key, (att, parent, links) in annex_attachments(batch, all_docs).items()}


def task_links_quads(links: list[TaskLink], attachment: Document, parent: Document, *, graph: str | None = None) -> list[Quad]:
    """``pkg:implements`` quads (with confidence and evidence kind) for task → measure links.

    Written in the attachment's named graph unless ``graph`` is given, so re-ingesting the
    attachment replaces its links.
    """
    from graph.build import task_link_quads

    g = graph or iri.document_iri(attachment.key)
    out: list[Quad] = []
    for link in links:
        out += task_link_quads(
            iri.task_iri(attachment.key, link.task_row),
            iri.measure_iri(parent.key, link.measure_ordinal),
            link.confidence,
            link.evidence_kind,
            g,
        )
    return out


def _task_rows(store: GraphStore, where: str, due_by: str | None) -> list[dict[str, str]]:
    due = f'FILTER (BOUND(?deadline) && ?deadline <= "{due_by}"^^xsd:date)' if due_by else ""
    q = f"""{SPARQL_PROLOGUE}
SELECT DISTINCT ?task ?row ?text ?deadline ?dtext ?doc ?title ?parent WHERE {{
  GRAPH ?g {{
    ?task a pkg:Task ; eli:is_part_of ?doc ; pkg:ordinal ?row ; pkg:text ?text .
    OPTIONAL {{ ?task pkg:deadline ?deadline }}
    OPTIONAL {{ ?task rdfs:label ?dtext }}
    OPTIONAL {{ ?doc dct:title ?title }}
    OPTIONAL {{ ?doc eli:is_annex_of ?parent }}
  }}
  {where}
  {due}
}}"""
    return store.query(q)  # type: ignore[return-value]


def _task_filters(measure_iri: str | None, org_iri: str | None, role: str | None) -> list[str]:
    """The SPARQL patterns a task must match for the measure, organisation and role filters."""
    where = []
    if org_iri is not None:
        org = _uri(org_iri, "organisation")
        if role:
            where.append(f"GRAPH ?go {{ ?task <{ROLE_PROPERTIES[role]}> {org} }}")
        else:
            props = ", ".join(f"<{p}>" for p in ROLE_PROPERTIES.values())
            where.append(f"GRAPH ?go {{ ?task ?rp {org} FILTER (?rp IN ({props})) }}")
    elif role:
        where.append(f"GRAPH ?go {{ ?task <{ROLE_PROPERTIES[role]}> ?anyorg }}")
    if measure_iri is not None:
        where.append(f"GRAPH ?gm {{ ?task pkg:implements {_uri(measure_iri, 'measure')} }}")
    return where


def tasks(
    store: GraphStore,
    *,
    measure_iri: str | None = None,
    org_iri: str | None = None,
    due_by: str | None = None,
    role: str | None = None,
) -> list[dict]:
    """Tasks matching every filter given, sorted by attachment, then row.

    Args:
        measure_iri: only tasks that implement this measure.
        org_iri: only tasks naming this organisation (in ``role`` if given, else any role).
        due_by: only tasks with a deadline on or before this date (ISO, or 2022年底);
            ongoing tasks (长期坚持) have no deadline and are left out.
        role: ``"lead"``, ``"responsible"`` or ``"support"``.

    Returns:
        dicts ``{"iri", "row", "text", "lead", "responsible", "support" (each
        ``[{"iri", "label"}]``), "deadline", "deadline_text", "measures" ([{"iri", "doc_key",
        "number", "confidence", "evidence_kind"}]), "attachment", "attachment_title",
        "parent"}``.
    """
    role = check_role(role)
    due_by = check_due_by(due_by)
    where = _task_filters(measure_iri, org_iri, role)
    rows = _task_rows(store, "\n  ".join(where), due_by)
    found: dict[str, dict] = {}
    for r in rows:
        if r["task"] in found:
            continue
        doc_key = iri.key_from_document_iri(r["doc"])
        found[r["task"]] = {
            "iri": r["task"],
            "row": int(r["row"]),
            "text": r["text"],
            "lead": [],
            "responsible": [],
            "support": [],
            "deadline": r.get("deadline"),
            "deadline_text": r.get("dtext"),
            "measures": [],
            "attachment": doc_key,
            "attachment_title": r.get("title", doc_key),
            "parent": iri.key_from_document_iri(r["parent"]) if r.get("parent") else None,
        }
    if not found:
        return []
    _add_orgs(store, found)
    _add_measures(store, found)
    return sorted(found.values(), key=lambda t: (t["attachment_title"], t["attachment"], t["row"]))


def _values(found: dict[str, dict]) -> str:
    return "VALUES ?task { " + " ".join(f"<{t}>" for t in found) + " }"


def _add_orgs(store: GraphStore, found: dict[str, dict]) -> None:
    props = ", ".join(f"<{p}>" for p in ROLE_PROPERTIES.values())
    q = f"""{SPARQL_PROLOGUE}
SELECT DISTINCT ?task ?prop ?org ?label WHERE {{
  {_values(found)}
  GRAPH ?g {{ ?task ?prop ?org FILTER (?prop IN ({props})) }}
  OPTIONAL {{ GRAPH ?gl {{ ?org skos:prefLabel ?label FILTER (LANG(?label) = "zh" || LANG(?label) = "") }} }}
}}"""
    seen: set[tuple[str, str, str]] = set()
    for r in store.query(q):  # type: ignore[union-attr]
        key = (r["task"], r["prop"], r["org"])
        if key in seen:
            continue
        seen.add(key)
        label = r.get("label") or iri.key_from_entity_iri(r["org"])
        found[r["task"]][_PROPERTY_ROLES[r["prop"]]].append({"iri": r["org"], "label": label})
    for t in found.values():
        for role in ROLE_PROPERTIES:
            t[role].sort(key=lambda o: o["label"])


def _add_measures(store: GraphStore, found: dict[str, dict]) -> None:
    q = f"""{SPARQL_PROLOGUE}
SELECT DISTINCT ?task ?m ?conf ?kind ?num WHERE {{
  {_values(found)}
  GRAPH ?g {{
    ?task pkg:implements ?m .
    OPTIONAL {{ ?link prov:wasDerivedFrom ?task ; pkg:implements ?m ; pkg:confidence ?conf ; pkg:evidenceKind ?kind }}
  }}
  OPTIONAL {{ GRAPH ?gm {{ ?m pkg:number ?num }} }}
}}"""
    seen: set[tuple[str, str]] = set()
    for r in store.query(q):  # type: ignore[union-attr]
        if (r["task"], r["m"]) in seen:
            continue
        seen.add((r["task"], r["m"]))
        number = int(r["num"]) if r.get("num") else int(r["m"].rsplit("/", 1)[-1])
        found[r["task"]]["measures"].append(
            {
                "iri": r["m"],
                "doc_key": iri.key_from_document_iri(r["m"]),
                "number": number,
                "confidence": float(r["conf"]) if r.get("conf") else None,
                "evidence_kind": r.get("kind"),
            }
        )
    for t in found.values():
        t["measures"].sort(key=lambda m: (m["doc_key"], m["number"]))
