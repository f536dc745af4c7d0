"""The tables behind :class:`graph.view.GraphView`, collected from any store by SPARQL.

:func:`collect_tables` runs a few portable SELECTs (every pattern inside ``GRAPH ?g``) on any
store and packs the answers into a :class:`~graph.view_records.ViewTables` (its fields say what
each column holds). An ingest into the embedded store saves them per generation
(:mod:`graph.view_files`); an external store's view is collected at start-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np

from graph import iri as I
from graph.entity_types import CLASS_TYPE
from graph.view_files import load_tables, save_tables
from graph.view_rows import DocumentRows, involvement_row, measure_row
from graph.view_records import TextColumn, ViewTables, normalize_label, tables_from
from graph.vocab import SPARQL_PROLOGUE

__all__ = ["INCREMENTAL_SHARE", "collect_tables", "graph_entity_rows", "load_tables", "save_tables"]  # files: graph.view_files

#: A graph's entity rows: ``(entity, class)`` pairs and ``(entity, label property, label, language)``
#: tuples (:func:`graph.view_rows.entity_rows`).
EntityRows = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str, str, str], ...]]

Q_DOCS = """SELECT ?d ?title ?docno ?date ?kind WHERE { GRAPH ?d {
  ?d a eli:LegalResource ; dct:title ?title .
  OPTIONAL { ?d eli:id_local ?docno } OPTIONAL { ?d eli:date_document ?date } OPTIONAL { ?d pkg:kind ?kind } } }"""
Q_SECTIONS = """SELECT ?s ?label ?title ?ref WHERE { GRAPH ?g {
  ?s a pkg:Section ; pkg:numberLabel ?label ; pkg:heading ?title . OPTIONAL { ?s eli:id_local ?ref } } }"""
Q_MEASURES = """SELECT ?m ?g ?ordinal ?number ?label ?heading ?text ?start ?end ?ref WHERE { GRAPH ?g {
  ?m a pkg:Measure ; eli:is_part_of ?g ; pkg:ordinal ?ordinal ; pkg:number ?number ; pkg:numberLabel ?label ;
     pkg:heading ?heading ; pkg:text ?text ; oa:hasSelector ?sp . ?sp oa:start ?start ; oa:end ?end .
  OPTIONAL { ?m eli:id_local ?ref } } }"""
Q_MEASURE_SECTION = """SELECT ?m ?s WHERE { GRAPH ?g { ?m a pkg:Measure ; eli:is_part_of ?s . ?s a pkg:Section } }"""
Q_TYPES = """SELECT DISTINCT ?e ?t ?g WHERE { GRAPH ?g { ?e a ?t . FILTER(STRSTARTS(STR(?e), "%s")) } }"""
Q_LABELS = """SELECT DISTINCT ?e ?p ?l ?lang ?g WHERE { GRAPH ?g { ?e ?p ?l .
  VALUES ?p { skos:prefLabel skos:altLabel } FILTER(STRSTARTS(STR(?e), "%s")) } BIND(LANG(?l) AS ?lang) }"""
Q_INVOLVEMENTS = """SELECT ?owner ?e ?role ?start ?end ?exact WHERE { GRAPH ?g {
  ?inv a pkg:Involvement ; prov:wasDerivedFrom ?owner ; pkg:agent ?e ; pkg:role ?role ; pkg:evidence ?sel .
  ?sel oa:start ?start ; oa:end ?end ; oa:exact ?exact } }"""
Q_DOC_LINKS = """SELECT DISTINCT ?a ?p ?b WHERE { GRAPH ?g { ?a ?p ?b . VALUES ?p { eli:cites eli:has_annex } } }"""


def _rows(store: Any, q: str) -> list[dict[str, str]]:
    return store.query(SPARQL_PROLOGUE + q)


# --- from SPARQL ---------------------------------------------------------------------------


#: Above this share of changed documents, :func:`collect_tables` queries everything at once.
INCREMENTAL_SHARE = 0.3
#: Graphs named in one restricted SELECT.
_GRAPHS_PER_QUERY = 200


def graph_entity_rows(store: Any, known: Mapping[str, EntityRows]) -> dict[str, EntityRows]:
    """The entity rows of every named graph of ``store``: those of ``known`` as given, the others
    queried (restricted to those graphs while they are few: the entity SELECTs scan every typed
    node of the graphs they look at, ~10 s on the full corpus).

    Args:
        known: graph IRI -> its rows, for graphs known to hold exactly the quads the rows were
            made from (a batch's documents, the unchanged documents of the live generation).
    """
    graphs = list(store.graphs())
    out = {g: known[g] for g in graphs if g in known}
    todo = sorted(set(graphs) - set(out))
    if not todo:
        return out
    if len(todo) > INCREMENTAL_SHARE * len(graphs):
        queries = [(Q_TYPES % I.ENTITY_BASE, Q_LABELS % I.ENTITY_BASE)]
    else:
        queries = [(_restrict(Q_TYPES % I.ENTITY_BASE, part), _restrict(Q_LABELS % I.ENTITY_BASE, part))
                   for part in (todo[i : i + _GRAPHS_PER_QUERY] for i in range(0, len(todo), _GRAPHS_PER_QUERY))]
    types: dict[str, list] = defaultdict(list)
    labels: dict[str, list] = defaultdict(list)
    for q_types, q_labels in queries:
        for r in _rows(store, q_types):
            types[r["g"]].append((r["e"], r["t"]))
        for r in _rows(store, q_labels):
            labels[r["g"]].append((r["e"], r["p"], r["l"], r.get("lang", "")))
    for g in todo:
        out[g] = (tuple(types.get(g, ())), tuple(labels.get(g, ())))
    return out


def collect_tables(store: Any, previous: ViewTables | None = None,
                   changed: set[str] | None = None, given: Mapping[str, DocumentRows] | None = None,
                   entities: Mapping[str, EntityRows] | None = None) -> ViewTables:
    """Run the view's SELECTs on ``store`` and pack the answers into the view's tables.

    Args:
        store: any :class:`graph.store.GraphStore`.
        previous: the tables of an earlier state of the same store (e.g. the live generation's).
        changed: IRIs of the documents whose named graphs changed since ``previous`` (added,
            replaced, deleted or rebuilt). With both, measures and involvements of the other
            documents are taken from ``previous`` and only the changed graphs are queried for
            them (each measure's facts live in its document's graph); documents, entities and
            links are always queried whole (they are cheap). The result is the same as without.
        given: document IRI -> its rows made from the parsed document (:mod:`graph.view_rows`),
            for documents whose graphs hold exactly ``document_quads`` of it: not queried either.
        entities: the entity rows of every named graph (:func:`graph_entity_rows`); without
            them, the entity SELECTs run on the whole store.
    """
    t: dict[str, Any] = {}
    docs: dict[str, dict[str, Any]] = {}
    for r in _rows(store, Q_DOCS):
        docs.setdefault(r["d"], r)
    reuse: set[str] = set()
    if previous is not None and changed is not None:
        reuse = {row[0] for row in previous.docs} & set(docs) - set(changed)
    given = {g: rows for g, rows in (given or {}).items() if g in docs and g not in reuse}
    todo = sorted(set(docs) - reuse - set(given))
    if (reuse or given) and len(todo) <= INCREMENTAL_SHARE * len(docs):
        measure_rows, section_of, inv_rows = _rows_from(previous, reuse) if reuse else ([], {}, [])
        _rows_given(given, measure_rows, section_of, inv_rows)
        for part in range(0, len(todo), _GRAPHS_PER_QUERY):
            graphs = todo[part : part + _GRAPHS_PER_QUERY]
            measure_rows += _rows(store, _restrict(Q_MEASURES, graphs))
            section_of.update(_section_of(store, _restrict(Q_MEASURE_SECTION, graphs)))
            inv_rows += _rows(store, _restrict(Q_INVOLVEMENTS, graphs))
    else:
        measure_rows = _rows(store, Q_MEASURES)
        section_of = _section_of(store, Q_MEASURE_SECTION)
        inv_rows = _rows(store, Q_INVOLVEMENTS)
    _collect_documents(store, docs, measure_rows, section_of, t)
    _collect_entities(store, t, entities)
    _collect_involvements(inv_rows, t)
    cites: dict[str, set[str]] = {}
    annexes: set[tuple[str, str]] = set()
    for r in _rows(store, Q_DOC_LINKS):
        if not (r["a"].startswith(I.DOC_BASE) and r["b"].startswith(I.DOC_BASE)):
            continue
        a, b = I.key_from_document_iri(r["a"]), I.key_from_document_iri(r["b"])
        if r["p"].endswith("cites"):
            cites.setdefault(a, set()).add(b)
        else:
            annexes.add((a, b))
    t["cites"] = [[a, sorted(bs)] for a, bs in sorted(cites.items())]
    t["annexes"] = [list(x) for x in sorted(annexes)]
    t["triples"] = store.triple_count()
    return tables_from(t)


def _rows_given(given: Mapping[str, DocumentRows], measure_rows: list[dict], section_of: dict,
                inv_rows: list[dict]) -> None:
    """Append the SELECTs' rows of the documents ``given`` holds (see :mod:`graph.view_rows`)."""
    for graph, rows in given.items():
        for r in rows.measures:
            measure_rows.append(measure_row(r, graph))
            section_of[r[0]] = None if r[9] is None else _Label(r[9], r[10])
        inv_rows += map(involvement_row, rows.involvements)


def _restrict(query: str, graphs: list[str]) -> str:
    """``query`` (whose patterns sit in ``GRAPH ?g``) limited to the named graphs ``graphs``."""
    values = "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " } "
    head, sep, rest = query.partition("WHERE { ")
    return head + sep + values + rest


def _section_of(store: Any, query: str) -> dict[str, str | None]:
    """Measure IRI -> its section's IRI."""
    return {r["m"]: r["s"] for r in _rows(store, query)}


def _rows_from(previous: ViewTables, docs: set[str]) -> tuple[list[dict], dict[str, str | None], list[dict]]:
    """The rows the measure and involvement SELECTs would give for ``docs``, rebuilt from ``previous``."""
    measure_rows: list[dict] = []
    section_of: dict[str, str | None] = {}
    keep: set[int] = set()
    for d, row in enumerate(previous.docs):
        if row[0] not in docs:
            continue
        for m in range(int(previous.doc_moff[d]), int(previous.doc_moff[d + 1])):
            _, ordinal, number, start, end = previous.m_int[m].tolist()
            iri = previous.m_iri[m]
            keep.add(m)
            measure_rows.append({"m": iri, "g": row[0], "ordinal": ordinal, "number": number,
                                 "label": previous.m_label[m], "heading": previous.m_heading[m],
                                 "text": previous.m_text[m], "start": start, "end": end,
                                 "ref": previous.m_ref[m]})
            label = previous.m_section[m]
            section_of[iri] = None if label is None else _Label(label, previous.m_secnum[m])
    inv_rows: list[dict] = []
    roles, a_off, ev_off = previous.roles, previous.a_off, previous.ev_off
    for a, agent in enumerate(previous.agents):
        for p in range(int(a_off[a]), int(a_off[a + 1])):
            m = int(previous.p_meas[p])
            if m not in keep:
                continue
            mask = int(previous.p_roles[p])
            for lo in range(int(ev_off[p]), int(ev_off[p + 1])):
                start, end = previous.ev_pos[lo].tolist()
                exact = previous.ev_text[int(previous.ev_txt[lo])]
                inv_rows += [{"owner": previous.m_iri[m], "e": agent, "role": r, "start": start, "end": end,
                              "exact": exact} for b, r in enumerate(roles) if mask >> b & 1]
    return measure_rows, section_of, inv_rows


class _Label(str):
    """A section label already made (from earlier tables), not a section IRI to look up."""

    def __new__(cls, label: str, number: str | None = None) -> _Label:
        self = super().__new__(cls, label)
        self.number = number
        return self


def _collect_documents(store: Any, docs: dict[str, dict], measure_rows: list[dict], section_of: dict,
                       t: dict[str, Any]) -> None:
    # sections are queried only for measures whose section is an IRI (queried rows), not a label already made
    queried = any(sec is not None and not isinstance(sec, _Label) for sec in section_of.values())
    sec_rows = _rows(store, Q_SECTIONS) if queried else []
    sections = {r["s"]: f"{r['label']}{r['title']}" for r in sec_rows}
    sec_refs = {r["s"]: r.get("ref") or r["label"].rstrip("、.． ") or None for r in sec_rows}
    per_doc: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in measure_rows:
        if r["g"] in docs:
            per_doc[r["g"]][r["m"]] = r  # one row per measure (the last, like a dict keyed by IRI)
    t["docs"], t["m_iri"], t["m_label"], t["m_heading"], t["m_section"] = [], [], [], [], []
    t["m_ref"], t["m_secnum"] = [], []
    ints: list[tuple[int, ...]] = []
    texts: list[str] = []
    moff = [0]
    seen: set[str] = set()
    for d_iri, r in sorted(docs.items()):
        t["docs"].append([d_iri, I.key_from_document_iri(d_iri), r.get("docno"), r["title"], r.get("date"),
                          r.get("kind", "text")])
        doc = len(t["docs"]) - 1
        for m in sorted(per_doc.get(d_iri, {}).values(), key=lambda m: int(m["ordinal"])):
            if m["m"] in seen:  # a measure IRI under two documents: keep the first
                continue
            seen.add(m["m"])
            sec = section_of.get(m["m"])
            t["m_iri"].append(m["m"])
            t["m_label"].append(m["label"])
            t["m_heading"].append(m["heading"])
            texts.append(m["text"])
            t["m_section"].append(str(sec) if isinstance(sec, _Label) else sections.get(sec))
            t["m_secnum"].append(sec.number if isinstance(sec, _Label) else sec_refs.get(sec))
            t["m_ref"].append(m.get("ref") or m["label"])
            ints.append((doc, int(m["ordinal"]), int(m["number"]), int(m["start"]), int(m["end"])))
        moff.append(len(t["m_iri"]))
    t["m_text"] = TextColumn.from_strings(texts)
    t["doc_moff"] = np.asarray(moff, dtype=np.int64)
    t["m_int"] = np.asarray(ints, dtype=np.int64).reshape(-1, 5)


def _entity_rows(store: Any, entities: Mapping[str, EntityRows] | None):
    """``(graph, entity, class)`` and ``(graph, entity, property, label, language)`` rows of every graph."""
    if entities is None:
        types = ((r["g"], r["e"], r["t"]) for r in _rows(store, Q_TYPES % I.ENTITY_BASE))
        labels = ((r["g"], r["e"], r["p"], r["l"], r.get("lang", "")) for r in _rows(store, Q_LABELS % I.ENTITY_BASE))
        return types, labels
    return ((g, *row) for g, (rows, _) in entities.items() for row in rows), \
        ((g, *row) for g, (_, rows) in entities.items() for row in rows)


def _collect_entities(store: Any, t: dict[str, Any], entities: Mapping[str, EntityRows] | None = None) -> None:
    types: dict[str, tuple[int, str]] = {}
    used: set[str] = set()
    type_rows, label_rows = _entity_rows(store, entities)
    for g, e, cls in type_rows:
        local = cls.rsplit("#", 1)[-1]
        if local not in CLASS_TYPE:
            continue
        rank = 0 if g == I.GAZETTEER_GRAPH else 1
        cand = (rank, CLASS_TYPE[local])
        if e not in types or cand < types[e]:
            types[e] = cand
        if rank:
            used.add(e)
    zh: dict[str, tuple[int, str]] = {}
    en: dict[str, tuple[int, str]] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for g, e, p, label, lang in label_rows:
        rank = 0 if g == I.GAZETTEER_GRAPH else 1
        if p.endswith("prefLabel"):
            table = en if lang.startswith("en") else zh
            if e not in table or (rank, label) < table[e]:
                table[e] = (rank, label)
        else:
            aliases[e].add(label)
    rows: list[list] = []
    labels: dict[str, list[int]] = {}
    for e, (_, etype) in sorted(types.items()):
        label_zh = zh.get(e, (0, I.key_from_entity_iri(e)))[1]
        label_en = en[e][1] if e in en else None
        als = sorted(aliases.get(e, set()) - {label_zh, label_en})
        key = I.key_from_entity_iri(e)
        rows.append([e, key, etype, label_zh, label_en, als])
        for name in {label_zh, label_en, *als, key} - {None}:
            norm = normalize_label(name)
            if norm:
                bucket = labels.setdefault(norm, [])
                if len(rows) - 1 not in bucket:
                    bucket.append(len(rows) - 1)
    pos = {row[0]: i for i, row in enumerate(rows)}
    t["entities"], t["labels"], t["used"] = rows, labels, sorted(pos[e] for e in used)


def _collect_involvements(rows: list[dict], t: dict[str, Any]) -> None:
    """Pairs in a canonical order (agents by IRI, their measures in table order), whatever the rows' order."""
    m_pos = {iri: i for i, iri in enumerate(t["m_iri"])}
    by_entity: dict[str, dict[int, tuple[set[str], set[tuple[int, int, str]]]]] = {}
    by_measure: dict[int, dict[str, None]] = {}
    for r in rows:
        m = m_pos.get(r["owner"])
        if m is None:
            continue
        roles, ev = by_entity.setdefault(r["e"], {}).setdefault(m, (set(), set()))
        roles.add(r["role"])
        ev.add((int(r["start"]), int(r["end"]), r["exact"]))
        by_measure.setdefault(m, {})[r["e"]] = None
    role_names = sorted({role for ms in by_entity.values() for roles, _ in ms.values() for role in roles})
    bit = {r: 1 << i for i, r in enumerate(role_names)}
    text_pos: dict[str, int] = {}
    agents, a_off, p_meas, p_agent, p_roles, ev_off, ev_pos, ev_txt = [], [0], [], [], [], [0], [], []
    pair_of: dict[tuple[int, int], int] = {}
    for a, e in enumerate(sorted(by_entity)):
        agents.append(e)
        for m, (roles, evs) in sorted(by_entity[e].items()):
            pair_of[(a, m)] = len(p_meas)
            p_meas.append(m)
            p_agent.append(a)
            p_roles.append(sum(bit[r] for r in roles))
            for s, end, text in sorted(evs):
                ev_pos.append((s, end))
                ev_txt.append(text_pos.setdefault(text, len(text_pos)))
            ev_off.append(len(ev_pos))
        a_off.append(len(p_meas))
    a_pos = {e: a for a, e in enumerate(agents)}
    bm_order, m_poff = [], [0]
    for m in range(len(t["m_iri"])):
        bm_order += sorted(pair_of[(a_pos[e], m)] for e in by_measure.get(m, {}))
        m_poff.append(len(bm_order))
    t["agents"], t["roles"], t["ev_text"] = agents, role_names, list(text_pos)
    for name, values, dtype in (("a_off", a_off, np.int64), ("p_meas", p_meas, np.int32),
                                ("p_agent", p_agent, np.int32), ("p_roles", p_roles, np.int64),
                                ("ev_off", ev_off, np.int64), ("ev_txt", ev_txt, np.int32),
                                ("bm_order", bm_order, np.int32), ("m_poff", m_poff, np.int64)):
        t[name] = np.asarray(values, dtype=dtype)
    t["ev_pos"] = np.asarray(ev_pos, dtype=np.int64).reshape(-1, 2)
