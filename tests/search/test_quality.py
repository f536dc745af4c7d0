"""Search quality where users search: the 61-document index (seed + gov-policy) with embeddings.

The index is built once per session through the real ingest (bundled e5 encoder): 1-4 min.
Figures are asserted on the held-out test half of ``tests/data/questions.jsonl``; weights and
thresholds were chosen on the dev half (see ``search.hybrid``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SEED

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
NONSENSE = ROOT / "tests" / "data" / "nonsense.jsonl"
KINDS = ("entity", "alias", "paraphrase", "english", "cross_document")
#: Types of the gazetteer's programmes and organisations.
ORG_TYPES = ("programme", "government_body", "vocational_college", "university", "school", "enterprise", "alliance",
             "organisation", "park")


@pytest.fixture(scope="session")
def gov_kg(tmp_path_factory):
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    data = tmp_path_factory.mktemp("gov61") / "data"
    kg = PolicyKG.open(Settings(data=data))
    report = kg.ingest([SEED, CORPUS / "gov-policy"])
    assert not report.failed, report.failed
    yield kg
    kg.close()


@pytest.fixture(scope="session")
def searcher(gov_kg):
    s = gov_kg.state.searcher
    assert len({u.doc_key for u in s.index.units}) == 61
    return s


@pytest.fixture(scope="module")
def test_half(searcher):
    from search.evaluate import format_table, load_questions, run_evaluation, select_split

    questions = select_split(load_questions(QUESTIONS), "test")
    rows = run_evaluation(questions, searcher)
    return {(r["kind"], r["mode"]): r for r in rows}, format_table(rows), questions


def test_hybrid_at_least_as_good_as_each_retriever_on_test_half(test_half):
    """On every kind of the held-out half: hybrid >= max(BM25 alone, dense alone), MRR and hit@3."""
    table, text, _ = test_half
    print(text)
    for kind in KINDS:
        h, b, d = (table[(kind, m)] for m in ("hybrid", "bm25", "dense"))
        for m in ("hit@3",):
            assert h[m] >= max(b[m], d[m]) - 1e-9, f"{kind}: hybrid {m} {h[m]:.3f} < max(bm25 {b[m]:.3f}, dense {d[m]:.3f})\n{text}"
        if kind != "entity":
            assert h["mrr"] >= max(b["mrr"], d["mrr"]) - 1e-9, f"{kind}: hybrid MRR below a single retriever\n{text}"
    for m in ("mrr", "hit@3", "recall@5"):
        assert table[("all", "hybrid")][m] >= max(table[("all", "bm25")][m], table[("all", "dense")][m]), text


def test_entity_mrr_on_test_half(test_half):
    table, text, _ = test_half
    h, b, d = (table[("entity", m)] for m in ("hybrid", "bm25", "dense"))
    assert h["mrr"] >= max(b["mrr"], d["mrr"]), text


def test_design_targets_on_test_half(test_half):
    table, text, _ = test_half
    assert table[("paraphrase", "hybrid")]["hit@3"] >= 0.90, text
    assert table[("english", "hybrid")]["hit@3"] >= 0.85, text
    assert table[("cross_document", "hybrid")]["hit@3"] == 1.0, text
    assert table[("alias", "hybrid")]["hit@3"] == 1.0, text


def test_entity_questions_exact_on_test_half(test_half):
    table, text, _ = test_half
    assert table[("entity", "hybrid")]["exact"] == 1.0, text


def test_tour_query_ranks_luban_measure_first(searcher):
    resp = searcher.search("overseas training workshops for vocational colleges", k=5)
    got = [(r["document"], r["measure"]) for r in resp.results]
    assert got[0] == ("冀政字〔2021〕61号", 15), got
    top = resp.results[0]
    # an English hit quotes the Chinese span that matched, and says which glossary terms did
    assert top["evidence"] and top["evidence"][0]["text"] in top["text"], top["evidence"]
    assert any(g["zh"] in top["evidence"][0]["text"] for g in top["why"]["glossary"]), top["why"]


def test_english_name_of_every_programme_and_organisation_finds_its_measures(searcher):
    """The English name of any gazetteer programme or organisation with measures: one of them in the top 3."""
    view = searcher.view
    misses, tried = [], 0
    for e in view.entities():
        if e.type not in ORG_TYPES or not e.label_en:
            continue
        involved = {inv.measure_iri for inv in view.measures_involving(e.iri)}
        if not involved:
            continue
        tried += 1
        resp = searcher.search(e.label_en, k=3)
        if not involved & {r["iri"] for r in resp.results}:
            misses.append((e.label_en, e.label_zh, [(r["document"], r["measure"]) for r in resp.results]))
    assert tried >= 20, tried
    assert not misses, f"{len(misses)} of {tried} English names miss their measures: {misses[:10]}"


def _nonsense(kind: str | None = None, split: str = "test") -> list[str]:
    """Nonsense queries of one split: the first set (random characters, unrelated topics),
    ``kind="everyday"`` (everyday topics in common words, written after the first set was measured)
    or ``kind="offcorpus"`` (random strings in other scripts, unrelated and policy-sounding topics the
    corpus does not cover, written after the everyday set was measured)."""
    rows = [json.loads(line) for line in NONSENSE.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = [n["query"] for n in rows if n["split"] == split and n.get("set") == kind]
    assert len(chosen) == {("test", None): 20, ("test", "everyday"): 20, ("test", "offcorpus"): 15}.get(
        (split, kind), len(chosen)), (kind, split, len(chosen))
    return chosen


def _accepted(searcher, queries: list[str]) -> list[str]:
    return [q for q in queries if searcher.search(q).why != "no_close_match"]


def test_no_question_of_either_half_is_refused(searcher):
    from search.evaluate import load_questions

    refused = [q["question"] for q in load_questions(QUESTIONS) if searcher.search(q["question"]).why == "no_close_match"]
    assert not refused, f"questions answered 'no close match': {refused}"


def test_held_out_nonsense_is_refused_up_to_the_known_misses(searcher):
    """Held-out nonsense under the dev-calibrated floors: at most the 2 of 55 misses measured when the
    floors were set (two Chinese queries close to the corpus in dense score or in two words that meet in
    one unit); every random string is refused."""
    accepted = _accepted(searcher, _nonsense() + _nonsense("everyday") + _nonsense("offcorpus"))
    assert len(accepted) <= 2, f"{len(accepted)} of 55 held-out nonsense queries got results: {accepted}"
    for q in ("asdkjh qwpeoiru zmxnv", "jkl;jkl; poiuy", "ΑΒΓΔ αβγδ ωψ", "ㄅㄆㄇㄈ ㄉㄊㄋㄌ", "𠀋𠀍龘靐齉"):
        assert searcher.search(q).why == "no_close_match", q


def test_english_words_scattered_over_units_are_no_match(searcher):
    """Everyday English whose words each have a corpus sense, but in different units, or two of them in a
    unit dense retrieval does not rank near the top: refused (all were answered before)."""
    for q in ("how to train a golden retriever puppy", "vintage motorcycle carburettor repair",
              "repairing a flat bicycle tyre", "wedding dress shopping tips", "the rules of cricket explained",
              "winning strategy for the Monopoly board game", "training a parrot to talk"):
        assert searcher.search(q).why == "no_close_match", q


@pytest.mark.xfail(strict=True, reason="2 of the 55 held-out nonsense queries still get results under the "
                   "dev-calibrated floors: 周末去哪里露营烧烤 (best dense score 1.751; a held-out lay paraphrase "
                   "has 1.749) and 奥运会金牌榜历史排名 (奥运会 and 排名 meet in the unit dense retrieval ranks first)")
def test_every_held_out_nonsense_query_has_no_close_match(searcher):
    accepted = _accepted(searcher, _nonsense() + _nonsense("everyday") + _nonsense("offcorpus"))
    assert not accepted, accepted


def test_no_match_answer_and_paging(searcher):
    resp = searcher.search("xyzzy plugh 火星殖民")
    assert resp.results == [] and resp.why == "no_close_match" and resp.total == 0
    assert resp.to_dict()["why"] == "no_close_match"
    first = searcher.search("专利代理机构", k=5)
    second = searcher.search("专利代理机构", k=5, offset=5)
    assert first.total == second.total > 10, (first.total, second.total)
    assert [r["iri"] for r in first.results + second.results] == [r["iri"] for r in searcher.search("专利代理机构", k=10).results]
    assert second.to_dict()["offset"] == 5
