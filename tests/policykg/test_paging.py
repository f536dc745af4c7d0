"""Paged exact answers on a real index (the 61 gov-policy documents + the seed): "which measures involve
国务院" pages through ~150 measures; pages concatenate to the exact set; the API and CLI page the same way."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.cli import main
from core.errors import BadInputError
from policykg.service import PolicyKG
from policykg.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

NAME = "国务院"


@pytest.fixture(scope="module")
def gov_data(tmp_path_factory, corpus_dir, seed_path):
    data = tmp_path_factory.mktemp("gov") / "data"
    kg = PolicyKG.open(Settings(data=data, encoder="none"), encoder=False)
    report = kg.ingest([seed_path, corpus_dir / "gov-policy"], embed=False)
    assert not report.failed, report.failed
    kg.close()
    return data


@pytest.fixture(scope="module")
def kg(gov_data):
    kg = PolicyKG.open(Settings(data=gov_data, encoder="none"), encoder=False)
    yield kg
    kg.close()


def test_pages_concatenate_to_the_exact_set(kg):
    whole = kg.measures_involving(NAME)
    total = whole["total"]
    assert total == len(whole["results"]) >= 100, f"expected 100+ measures involving {NAME}, got {total}"
    assert whole["offset"] == 0
    keys = [(r["document_key"], r["ordinal"]) for r in whole["results"]]
    assert keys == sorted(keys) and len(set(keys)) == total, "the whole answer is sorted and has no repeats"
    for size in (10, 37):
        pages = []
        for off in range(0, total, size):
            page = kg.measures_involving(NAME, offset=off, limit=size)
            assert page["total"] == total and page["offset"] == off, (page["total"], page["offset"])
            pages += page["results"]
        assert pages == whole["results"], f"pages of {size} do not concatenate to the whole answer"
    # exact: every measure whose mentions name the entity, and only those (through the graph's own tables)
    view = kg.state.view
    iris = {inv.measure_iri for e in view.resolve(NAME) for inv in view.measures_involving(e.iri)}
    assert {r["iri"] for r in whole["results"]} == iris
    for r in whole["results"][:20]:
        assert r["evidence"] and all(ev["text"] in r["text"] for ev in r["evidence"]), r["evidence"]
        assert r["why"]["entities"][0]["label"] == NAME, r["why"]


def test_past_the_end_and_bad_paging(kg):
    total = kg.measures_involving(NAME, limit=1)["total"]
    past = kg.measures_involving(NAME, offset=total, limit=10)
    assert past["results"] == [] and past["total"] == total
    for kwargs in ({"offset": -1}, {"limit": 0}):
        with pytest.raises(BadInputError, match="offset|limit"):
            kg.measures_involving(NAME, **kwargs)


def test_entity_page_counts_all_measures(kg):
    whole = kg.entity(NAME)
    page = kg.entity(NAME, offset=5, limit=5)
    assert page["measures_total"] == whole["measures_total"] == len(whole["measures"])
    assert page["measures"] == whole["measures"][5:10]


def test_api_pages(gov_data):
    from api.main import create_app

    with TestClient(create_app(Settings(data=gov_data, encoder="none"))) as client:
        whole = client.get("/measures", params={"involving": NAME}).json()
        page = client.get("/measures", params={"involving": NAME, "offset": 10, "limit": 10}).json()
        assert page["total"] == whole["total"] == len(whole["results"]) and page["offset"] == 10
        assert page["results"] == whole["results"][10:20]
        ent = client.get(f"/entities/{NAME}/measures", params={"limit": 3}).json()
        assert [r["iri"] for r in ent] == [r["iri"] for r in whole["results"][:3]]
        bad = client.get("/measures", params={"involving": NAME, "limit": 0})
        assert bad.status_code == 422, bad.text


def test_cli_pages(gov_data):
    runner = CliRunner()

    def run(*args):
        res = runner.invoke(main, ["measures", "--involving", NAME, "--data", str(gov_data), *args],
                            catch_exceptions=False)
        assert res.exit_code == 0, res.output
        return res.output

    whole = json.loads(run("--json"))
    page = json.loads(run("--json", "--offset", "3", "-k", "4"))
    assert page["total"] == whole["total"] and page["offset"] == 3
    assert page["results"] == whole["results"][3:7]
    human = run("-k", "2")
    assert f"共 {whole['total']} 条措施" in human and "1. " in human and "3. " not in human, human


def test_an_english_article_before_a_name_is_no_part_of_it(kg):
    """"measures involving the Ministry of Education" is the Ministry of Education's exact set."""
    bare = kg.measures_involving("Ministry of Education")
    with_article = kg.measures_involving("the Ministry of Education")
    assert bare["total"] > 0 and with_article["total"] == bare["total"]
    assert [r["iri"] for r in with_article["results"]] == [r["iri"] for r in bare["results"]]
    assert with_article["entities"] == bare["entities"]
