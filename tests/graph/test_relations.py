"""Works and versions of every multi-edition law in the corpus, validity, the in-force filter, relations."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from policykg.service import PolicyKG
from policykg.settings import Settings

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

_DATED = re.compile(r"^(.+?)\((\d{4}-\d{2}-\d{2})\)$")


def multi_edition_groups(laws) -> dict[str, list]:
    """File-name groups (the name before the edition date) with two or more distinct edition dates."""
    groups: dict[str, list] = defaultdict(list)
    for p in sorted(laws.rglob("*.txt")):
        m = _DATED.match(p.stem)
        if m:
            groups[m.group(1)].append((m.group(2), p))
    return {k: sorted(v) for k, v in groups.items() if len({d for d, _ in v}) >= 2}


@pytest.fixture(scope="module")
def groups(corpus_dir):
    return multi_edition_groups(corpus_dir / "laws")


@pytest.fixture(scope="module")
def kg(tmp_path_factory, groups, seed_path, guofa4_path):
    settings = Settings(data=tmp_path_factory.mktemp("editions"), encoder="none")
    kg = PolicyKG.open(settings, encoder=False)
    kg.ingest([p for v in groups.values() for _, p in v] + [seed_path, guofa4_path], embed=False)
    kg.close()
    kg = PolicyKG.open(settings, encoder=False)
    yield kg
    kg.close()


def _key_of(kg, path) -> str:
    docs = kg.state.manifest.documents
    for key, info in docs.items():
        if info.source == str(path):
            return key
    hits = [d.of for d in kg.state.manifest.duplicates.values() if d.source == str(path)]
    assert hits, f"{path} is neither a document nor a duplicate"
    return hits[0]


def test_every_multi_edition_law_is_one_work_in_date_order(kg, groups):
    assert len(groups) >= 67, f"expected the corpus's 67+ multi-edition laws, found {len(groups)}"
    for name, editions in groups.items():
        keys = [_key_of(kg, p) for _, p in editions]
        got = kg.versions(keys[0])
        assert got["work"] is not None, f"{name}: no work"
        listed = [v["key"] for v in got["versions"]]
        assert set(keys) <= set(listed), f"{name}: editions {keys} not all in one work {listed}"
        dates = [v["version_date"] for v in got["versions"]]
        assert dates == sorted(dates), f"{name}: versions not in date order: {dates}"
        assert {d for d, _ in editions} <= set(dates), f"{name}: file-name dates {editions} vs {dates}"
        last = dates[-1]
        assert all(v["status"] == "superseded" for v in got["versions"] if v["version_date"] != last), name
        assert got["versions"][-1]["status"] != "superseded", name
        for a, b in ((a, b) for a, b in zip(got["versions"], got["versions"][1:]) if a["version_date"] != b["version_date"]):
            assert a["date_no_longer_in_force"] == (b["entry_into_force"] or b["version_date"]), (name, a, b)


def test_in_force_on_2020_returns_the_1996_vocational_law(kg):
    v = kg.versions("职业教育法@1996")["versions"]
    old, new = v[0]["key"], v[1]["key"]
    assert (v[0]["version_date"], v[1]["version_date"]) == ("1996-05-15", "2022-04-20")
    keys = {d["key"] for d in kg.documents(in_force_on="2020-01-01")}
    assert old in keys and new not in keys
    keys = {d["key"] for d in kg.documents(in_force_on="2023-01-01")}
    assert new in keys and old not in keys
    found = kg.measures_involving("国务院教育行政部门", in_force_on="2020-01-01")["results"]
    assert found and {r["document_key"] for r in found if "职业教育法" in r["document_title"]} == {old}


def test_a_work_title_names_its_newest_edition(kg):
    from core.errors import NotFoundError

    v = kg.versions("职业教育法")
    assert [x["version_date"] for x in v["versions"]] == ["1996-05-15", "2022-04-20"]
    assert kg.relations("中华人民共和国职业教育法")["document"] == v["versions"][-1]["key"]
    with pytest.raises(NotFoundError, match="No document"):
        kg.versions("没有这部法")


def test_bad_day_is_one_clear_error(kg):
    from core.errors import BadInputError

    with pytest.raises(BadInputError, match="2020-13-01"):
        kg.documents(in_force_on="2020-13-01")


def test_seed_implements_guofa4_and_guofa4_is_implemented_by_it(kg):
    out = kg.relations("冀政字〔2021〕61号")["outgoing"]
    assert [(x["kind"], x["target"]) for x in out] == [("implements", "国发〔2019〕4号")]
    back = kg.relations("国发〔2019〕4号", "implements")["incoming"]
    assert "冀政字〔2021〕61号" in {x["source"] for x in back}


def test_citation_picks_the_edition_of_the_citing_date(kg):
    # 国发〔2019〕4号 (2019) cites the vocational education law: the 1996 edition, not the 2022 one
    out = [x for x in kg.relations("国发〔2019〕4号")["outgoing"] if x["target_work"] == "中华人民共和国职业教育法"]
    assert out and {x["target_version_date"] for x in out} == {"1996-05-15"}, out
    cited_1996 = kg.relations("职业教育法@1996")["incoming"]
    assert "国发〔2019〕4号" in {x["source"] for x in cited_1996}


def test_relations_are_in_the_graph_with_eli_terms(kg):
    rows = kg.state.store.query(
        "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?w (COUNT(?v) AS ?n) WHERE { "
        "?w eli:is_realized_by ?v . ?v eli:version_date ?d } GROUP BY ?w HAVING (COUNT(?v) > 1)")
    assert len(rows) >= 67
    rows = kg.state.store.query(
        "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d WHERE { ?d eli:date_no_longer_in_force ?e ; "
        "eli:in_force eli:InForce-notInForce }")
    assert len(rows) >= 67
