from __future__ import annotations

import pytest

from policykg.errors import BadInputError
from search.hybrid import Searcher

SEED = "冀政字〔2021〕61号"
GUOFA = "国发〔2019〕4号"


def _got(resp):
    return [(r["document"], r["measure"]) for r in resp.results]


def test_involving_is_exact_graph_set(bm25_index, view):
    s = Searcher(bm25_index, view, None)
    for q in ("哪些措施涉及河北软件职业技术学院", "which measures involve Hebei Software Vocational College",
              "哪些措施涉及河北软件职院"):
        resp = s.search(q)
        assert resp.analysis.intent == "involving", (q, resp.analysis.intent)
        assert sorted(_got(resp)) == [(SEED, 6), (SEED, 7), (SEED, 15)], (q, _got(resp))
        r = resp.results[0]
        assert r["why"]["entities"][0]["label"] == "河北软件职业技术学院", r["why"]
        assert r["why"]["graph_path"] and r["evidence"], r
        assert all("河北软件" in e["text"] or "Hebei" in e["text"] for e in r["evidence"]), r["evidence"]


def test_result_shape(bm25_index, view):
    r = Searcher(bm25_index, view, None).search("双师型教师队伍", k=3).results[0]
    for key in ("document", "measure", "title", "text", "score", "why", "document_key", "measure_label",
                "section", "iri", "evidence"):
        assert key in r, f"missing {key} in {sorted(r)}"
    assert set(r["why"]) >= {"entities", "terms", "graph_path", "scores", "intent"}, r["why"]
    assert "双师型" in r["why"]["terms"] or "教师" in r["why"]["terms"], r["why"]["terms"]
    assert r["why"]["scores"]["bm25"] > 0


@pytest.mark.parametrize("q", ["", "？？？", "。。。，，，", "x" * 10_000, "SELECT ?s WHERE { ?s ?p ?o }", "\udcff"])
def test_hostile_queries_never_crash(bm25_index, view, q):
    resp = Searcher(bm25_index, view, None).search(q)
    assert isinstance(resp.results, list)
    if not q.strip("？。，"):
        assert resp.results == [], resp.results


def test_bad_mode_and_k(bm25_index, view):
    s = Searcher(bm25_index, view, None)
    with pytest.raises(BadInputError, match="'hybrid'"):
        s.search("教师", mode="sparql")
    with pytest.raises(BadInputError, match="k must be"):
        s.search("教师", k=0)


@pytest.mark.slow
def test_english_question_finds_chinese_measure(hybrid_searcher):
    resp = hybrid_searcher.search("building overseas colleges such as the Luban Workshop", k=5)
    assert (SEED, 15) in _got(resp)[:3], _got(resp)


KINDS = ("entity", "alias", "paraphrase", "english", "cross_document")
METRICS = ("mrr", "hit@3", "recall@5")
#: Design targets not reached, as (kind, metric); none since dense retrieval rescores clauses.
NOT_REACHED: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def tables(hybrid_searcher):
    """Evaluation rows for the whole question set and its dev/test halves (one run, query vectors cached)."""
    from search.evaluate import format_table, load_questions, run_evaluation, split_questions

    from .conftest import QUESTIONS

    questions = load_questions(QUESTIONS)
    dev, test = split_questions(questions)
    out = {}
    for name, part in (("all", questions), ("dev", dev), ("test", test)):
        rows = run_evaluation(part, hybrid_searcher)
        out[name] = ({(r["kind"], r["mode"]): r for r in rows}, format_table(rows))
    return out


@pytest.mark.slow
def test_hybrid_at_least_as_good_as_each_retriever(tables):
    """Design target: on every kind, hybrid >= max(BM25 alone, dense alone) on MRR, hit@3 and recall@5."""
    table, text = tables["all"]
    print(text)
    for kind in KINDS:
        h, b, d = (table[(kind, m)] for m in ("hybrid", "bm25", "dense"))
        for m in METRICS:
            if (kind, m) in NOT_REACHED:
                continue
            assert h[m] >= max(b[m], d[m]) - 1e-9, f"{kind}: hybrid {m} {h[m]:.3f} < max(bm25 {b[m]:.3f}, dense {d[m]:.3f})\n{text}"
    for half in ("dev", "test"):  # and on each half as a whole
        t, txt = tables[half]
        for m in METRICS:
            best = max(t[("all", "bm25")][m], t[("all", "dense")][m])
            assert t[("all", "hybrid")][m] >= best - 1e-9, f"{half}: hybrid {m} below a single retriever\n{txt}"


@pytest.mark.slow
def test_entity_exact_and_english_finds_chinese(tables):
    table, text = tables["all"]
    assert table[("entity", "hybrid")]["exact"] == 1.0, text
    assert table[("alias", "hybrid")]["hit@3"] == 1.0, text
    assert table[("cross_document", "hybrid")]["hit@3"] == 1.0, text
    assert table[("english", "hybrid")]["hit@3"] >= 0.9, f"design target: English hit@3 >= 0.9\n{text}"
    assert table[("paraphrase", "hybrid")]["hit@3"] >= 0.85, f"reached 0.88 (guard against regressions)\n{text}"


@pytest.mark.slow
@pytest.mark.xfail(reason="paraphrase hit@3 is 0.88 (15 of 17; dense alone 0.88, BM25 0.59) against the DESIGN target "
                   "0.95 (which 17 questions only reach at 17 of 17) with multilingual-e5-small 4-bit: lay wordings "
                   "进城务工人员继续深造拿文凭 (农民工学历) and 请外部独立机构来检查学校办得好不好 (第三方机构评估) "
                   "are ranked below 3 by every retriever", strict=True)
def test_paraphrase_design_target(tables):
    table, text = tables["all"]
    assert table[("paraphrase", "hybrid")]["hit@3"] >= 0.95, text
