from __future__ import annotations

import pytest

from graph import iri
from graph.view import GraphView

SEED_KEY = "冀政字〔2021〕61号"
GF4_KEY = "国发〔2019〕4号"
HSVC = iri.entity_iri("hebei-software-vocational-college")


@pytest.fixture(scope="module")
def view(filled_store):
    return GraphView.load(filled_store)


@pytest.mark.parametrize("name", ["河北软件职业技术学院", "河北软件职院", "Hebei Software Vocational College",
                                  "  hebei software vocational COLLEGE "])
def test_resolve_by_zh_alias_and_english(view, name):
    got = [e.iri for e in view.resolve(name)]
    assert got == [HSVC], f"resolve({name!r}): expected [{HSVC}], got {got}"


def test_measures_involving_is_exact_with_evidence(view, seed_doc):
    inv = view.measures_involving(HSVC)
    assert [(i.doc_key, i.number) for i in inv] == [(SEED_KEY, 6), (SEED_KEY, 7), (SEED_KEY, 15)]
    expected = {m.ordinal for m in seed_doc.measures if any(x.entity == "hebei-software-vocational-college" for x in m.mentions)}
    assert {i.ordinal for i in inv} == expected
    assert "lead" in inv[1].roles, inv[1].roles
    for i in inv:
        for ev in i.evidence:
            assert seed_doc.text[ev.start : ev.end] == ev.text
    assert view.measures_involving("https://example.org/nothing") == []


def test_every_mention_is_answered(view, two_docs):
    """For every entity in the two documents, measures_involving equals the mentions' measures."""
    for doc in two_docs:
        expected: dict[str, set[int]] = {}
        for m in doc.measures:
            for x in m.mentions:
                expected.setdefault(iri.entity_iri(x.entity), set()).add(m.ordinal)
        for e, ordinals in expected.items():
            got = {i.ordinal for i in view.measures_involving(e) if i.doc_key == doc.key}
            assert got == ordinals, f"{e}: expected {sorted(ordinals)}, got {sorted(got)}"


def test_measures_documents_and_sections(view):
    seed = view.document(SEED_KEY)
    assert seed is not None and len(seed.measures) == 18 and seed.date == "2021-11-04"
    gf4 = view.document(GF4_KEY)
    assert gf4 is not None and len(gf4.measures) == 20
    m = view.measure(iri.measure_iri(SEED_KEY, 6))
    assert (m.number, m.label, m.heading) == (6, "6.", "加快构建多元办学格局"), m
    assert m.section and m.section.startswith("二、"), m.section
    assert m.docno == SEED_KEY and m.text.startswith("6.")
    assert [d.key for d in view.documents()] == sorted([SEED_KEY, GF4_KEY])


def test_cites_and_cited_by(view):
    assert view.cites(SEED_KEY) == [GF4_KEY]
    assert view.cited_by(GF4_KEY) == [SEED_KEY]
    assert view.cites(GF4_KEY) == []


def test_entities_related_neighbourhood_stats(view):
    m6 = iri.measure_iri(SEED_KEY, 6)
    ents = {e.iri: roles for e, roles in view.entities_of(m6)}
    assert HSVC in ents and "support_target" in ents[HSVC], ents.get(HSVC)
    related = view.related_measures(m6, limit=5)
    assert related and all(m != m6 and w > 0 and shared for m, w, shared in related)
    assert related == sorted(related, key=lambda r: (-r[1], r[0]))
    hood = view.neighbourhood(HSVC, depth=1)
    ids = {n["id"] for n in hood["nodes"]}
    assert {HSVC, m6, iri.measure_iri(SEED_KEY, 7), iri.measure_iri(SEED_KEY, 15)} <= ids
    assert all(e["source"] in ids and e["target"] in ids for e in hood["edges"])
    stats = view.stats()
    assert stats["documents"] == 2 and stats["measures"] == 38, stats
    assert stats["entities"].get("vocational_college", 0) >= 4, stats
    assert stats["triples"] > 1000
    assert view.label_index()["河北软件职院"] == [HSVC]
