"""The bigram index answers "which measures contain this text" exactly as a scan of every measure does."""

from __future__ import annotations

import re

import pytest

from search.graph_hits import graph_hits
from graph.text_find import TextFinder, finder_for


def _scan(texts, name):
    chars = [c for c in name if not c.isspace()]
    rx = re.compile(r"\s*".join(map(re.escape, chars)), re.IGNORECASE)
    return [(i, [(m.start(), m.end()) for m in rx.finditer(t)]) for i, t in enumerate(texts) if rx.search(t)]


@pytest.mark.parametrize("name", ["职业教育", "河北 软件", "双师型教师", "教", "1+X", "ABC", "不存在的说法", "𠀀字", "。"])
def test_finder_agrees_with_a_scan_of_every_measure(view, name):
    finder = finder_for(view)
    assert finder is finder_for(view), "built once per view"
    assert finder.find(name) == _scan(finder.texts, name), name


def test_finder_keeps_only_the_documents_asked_for(view):
    finder = finder_for(view)
    keys = sorted(set(finder.doc_keys))
    got = finder.find("职业", documents={keys[0]})
    assert got and all(finder.doc_keys[m] == keys[0] for m, _ in got), got


def test_rare_characters_and_case():
    f = TextFinder(["𠀀𠀁 Data", "da ta", "数据"])
    assert [m for m, _ in f.find("DATA")] == [0, 1]
    assert [m for m, _ in f.find("𠀀𠀁")] == [0]
    assert f.find("𠀁𠀀") == [] and f.find("") == []


def test_graph_hits_match_the_involvements(view):
    ent = max(view.entities(), key=lambda e: view.measure_count(e.iri))
    scores, info = graph_hits(view, [(ent.iri, ent.label_zh)])
    invs = view.measures_involving(ent.iri)
    assert list(scores) == [inv.measure_iri for inv in invs], "same measures, same order"
    for inv in invs:
        assert scores[inv.measure_iri] == pytest.approx(1.0 + 0.01 * len(inv.evidence))
        d = info.get(inv.measure_iri)
        assert d["evidence"] == [{"text": e.text, "start": e.start, "end": e.end} for e in inv.evidence]
        assert d["roles"] == list(inv.roles) and d["entities"] == [{"label": ent.label_zh, "iri": ent.iri}]
    assert info.get("no-such-measure") is None and "no-such-measure" not in info


def _scan_units(index, name):
    """What text_retrieve answered before the bigram index: a regular expression over every unit."""
    chars = [c for c in name if not c.isspace()]
    rx = re.compile(r"\s*".join(map(re.escape, chars)), re.IGNORECASE)
    scores, spans = {}, {}
    for u in index.units:
        found = [{"text": m.group(0), "start": u.start + m.start(), "end": u.start + m.end()} for m in rx.finditer(u.text)]
        if found:
            scores[u.id], spans[u.id] = 1.0 + 0.01 * len(found), found
    return scores, spans


@pytest.mark.parametrize("name", ["职业教育", "河北 软件职业技术学院", "产教融合", "教", "不存在的说法", "ABC"])
def test_text_retrieve_agrees_with_a_scan_of_every_unit(bm25_index, view, name):
    """Measures through the view's bigram index, the units that are no measure (sections' leads) by a scan:
    the same units in the same order with the same evidence as a scan of every unit."""
    from search.retrieval import text_retrieve

    scores, info = text_retrieve(bm25_index, view, name)
    want, spans = _scan_units(bm25_index, name)
    assert list(scores) == list(want) and scores == want, name
    assert {i: d["evidence"] for i, d in info.items()} == spans


def test_text_retrieve_finds_a_lead_paragraph_no_measure_holds(docs, view):
    """A unit that is no measure of the view (a section's lead paragraph) is found too, by its own text."""
    from dataclasses import replace

    from search.index import SearchIndex, units_from_document
    from search.retrieval import text_retrieve

    units = [u for d in docs for u in units_from_document(d)]
    lead = replace(units[0], id=units[0].id + "/lead-test", number=None, ordinal=None, text="前言：统筹推进天工开物试点。",
                   start=0, end=14)
    index = SearchIndex.build(units + [lead], None, None, progress=False)
    scores, info = text_retrieve(index, view, "天工 开物")
    assert list(scores) == [lead.id], scores
    assert info[lead.id]["evidence"] == [{"text": "天工开物", "start": 7, "end": 11}]
