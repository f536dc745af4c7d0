"""Evidence: a ranked unit as a result object, with the span of its text that matched.

A hit quotes the graph's evidence for a linked entity, else the sentence holding most matched
terms, else (an English query) the clause closest in meaning to the query.
"""

from __future__ import annotations

import re

import numpy as np

from graph.results import result_of
from search.glossary import GlossaryMatch
from search.index import SearchIndex, Unit
from search.passages import unit_clauses
from search.query import QueryAnalysis

_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")


def unit_of(index: SearchIndex, view, iri: str) -> Unit:
    """The unit ``iri`` from the index, else from the graph view, else an empty placeholder
    (the graph knows a measure the index does not: reported plainly)."""
    pos = index.position.get(iri)
    if pos is not None:
        return index.units[pos]
    m = view.measure(iri) if view is not None else None
    if m is None:
        return Unit(id=iri, doc_key="", docno=None, doc_title="", number=None, label=None, ordinal=None,
                    section=None, heading="", text="", start=0, end=0)
    return Unit(id=m.iri, doc_key=m.doc_key, docno=m.docno, doc_title=m.doc_title, number=m.number,
                label=m.label, ordinal=m.ordinal, section=m.section, heading=m.heading, text=m.text,
                start=m.start, end=m.end, ref=m.ref or m.label, section_number=m.section_number)


def hit(u: Unit, score: float, qa: QueryAnalysis, terms: list[str], ginfo: dict | None,
        scores: dict[str, float], glossary: list[GlossaryMatch] = (), clause=None) -> dict:
    """The result object of DESIGN.md for unit ``u``.

    Args:
        u: the unit.
        score: its fused score.
        qa: the analysed query.
        terms: the query's BM25 tokens (glossary terms included).
        ginfo: what the graph retriever says of the unit (entities, path, evidence, roles).
        scores: each retriever's score of the unit.
        glossary: the glossary phrases of an English query.
        clause: ``clause(u) -> list[dict]``, the clause closest in meaning (English evidence).
    """
    ginfo = ginfo or {}
    text = u.text.lower()
    matched_terms = [t for t in terms if t.lower() in text]
    evidence = ginfo.get("evidence") or sentence_evidence(u, matched_terms)
    if not evidence and glossary and clause is not None:  # an English query: the closest clause
        evidence = clause(u)
    matched = [{"en": m.phrase, "zh": t} for m in glossary for t in m.terms if t in u.text]
    res = result_of(u, round(float(score), 6), iri=u.id, span=False)  # measure null when unnumbered
    res["why"] = {
        "intent": qa.intent,
        "entities": _dedup(ginfo.get("entities", [])),
        "terms": matched_terms,
        "graph_path": list(dict.fromkeys(ginfo.get("path", []))),
        "roles": sorted(set(ginfo.get("roles", []))),
        "scores": {name: round(v, 6) for name, v in scores.items()},
        **({"glossary": matched} if glossary else {}),
    }
    res["evidence"] = evidence[:5]
    return res


def best_clause(index: SearchIndex, u: Unit, qvec: np.ndarray | None) -> list[dict]:
    """The unit's clause closest to the encoded query ``qvec``, as evidence."""
    pos = index.position.get(u.id)
    if pos is None or qvec is None or index.clause_offsets is None:
        return []
    a, b = int(index.clause_offsets[pos]), int(index.clause_offsets[pos + 1])
    clauses = unit_clauses(u)
    if b <= a or len(clauses) != b - a:
        return []
    best = clauses[int(np.argmax(np.asarray(index.clause_embeddings[a:b], dtype=np.float32) @ qvec))]
    at = u.text.find(best)
    if at < 0:
        return []
    return [{"text": best, "start": u.start + at, "end": u.start + at + len(best)}]


def sentence_evidence(u: Unit, terms: list[str]) -> list[dict]:
    """The sentence of the unit holding most matched terms (offsets into the document text).

    >>> u = Unit(id="m", doc_key="d", docno=None, doc_title="", number=1, label="1", ordinal=1, section=None,
    ...          heading="", text="建设实训基地。培养双师型教师。", start=10, end=25)
    >>> sentence_evidence(u, ["双师型", "教师"])
    [{'text': '培养双师型教师。', 'start': 17, 'end': 25}]
    """
    best, best_n = None, 0
    lowered = [t.lower() for t in terms]
    for m in _SENT.finditer(u.text):
        sentence = m.group().lower()
        n = sum(t in sentence for t in lowered)
        if n > best_n:
            best, best_n = m, n
    if best is None:
        return []
    return [{"text": best.group(), "start": u.start + best.start(), "end": u.start + best.end()}]


def _dedup(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for d in items:
        if d["iri"] not in seen:
            seen.add(d["iri"])
            out.append(d)
    return out
