"""Relations, versions, diff, alignment and the in-force filter through real HTTP and the CLI."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from api.cli import main

pytestmark = pytest.mark.server
SEED_KEY = "冀政字〔2021〕61号"
GUOFA_KEY = "国发〔2019〕4号"


def test_document_relations_and_citation_graph(client):
    body = client.get(f"/documents/{quote(SEED_KEY)}/relations").json()
    assert [(x["kind"], x["target"]) for x in body["outgoing"]] == [("implements", GUOFA_KEY)]
    back = client.get(f"/documents/{quote(GUOFA_KEY)}/relations", params={"kind": "implements"}).json()
    assert SEED_KEY in {x["source"] for x in back["incoming"]}
    graph = client.get(f"/documents/{quote(SEED_KEY)}/citation-graph").json()
    assert {e["label"] for e in graph["edges"]} == {"implements"} and len(graph["nodes"]) == 2
    bad = client.get(f"/documents/{quote(SEED_KEY)}/relations", params={"kind": "nonsense"})
    assert bad.status_code == 422


def test_document_page_data_has_time_and_versions(client):
    doc = client.get(f"/documents/{quote(SEED_KEY)}").json()
    assert doc["time"]["version"]["status"] == "in_force" and doc["time"]["version"]["page_validity"] == "in_force"
    versions = client.get(f"/documents/{quote(SEED_KEY)}/versions").json()
    assert [v["key"] for v in versions["versions"]] == [SEED_KEY]


def test_in_force_filter_on_lists_and_search(client):
    all_keys = {d["key"] for d in client.get("/documents").json()}
    before = {d["key"] for d in client.get("/documents", params={"in_force_on": "2020-01-01"}).json()}
    assert GUOFA_KEY in before and SEED_KEY not in before and SEED_KEY in all_keys
    found = client.get("/search", params={"q": "职业教育", "k": 5, "mode": "bm25", "in_force_on": "2020-01-01"}).json()
    assert found["results"] and {r["document_key"] for r in found["results"]} == {GUOFA_KEY}
    bad = client.get("/documents", params={"in_force_on": "2020-1-1"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["error"]["message"]


def test_alignment_route(client):
    body = client.get("/align", params={"local": SEED_KEY, "national": GUOFA_KEY}).json()
    pairs = {(r["local"]["ordinal"], r["national"]["ordinal"]) for r in body["alignments"]}
    assert (17, 16) in pairs and (4, 12) in pairs, sorted(pairs)


def test_cli_relations_align_and_citations(kg_settings):
    runner = CliRunner()
    data = str(kg_settings.data)
    out = runner.invoke(main, ["relations", SEED_KEY, "--data", data])
    assert out.exit_code == 0 and "实施" in out.output and "国家职业教育改革实施方案" in out.output, out.output
    out = runner.invoke(main, ["cited-by", GUOFA_KEY, "--data", data, "--json"])
    assert SEED_KEY in {x["source"] for x in json.loads(out.output)["incoming"]}
    out = runner.invoke(main, ["citations", "--data", data])
    assert out.exit_code == 0 and "已解析" in out.output
    out = runner.invoke(main, ["documents", "--in-force-on", "2020-01-01", "--data", data, "--json"])
    assert {d["key"] for d in json.loads(out.output)} == {GUOFA_KEY}
    out = runner.invoke(main, ["versions", "no-such-document", "--data", data])
    assert out.exit_code == 1 and "No document" in out.output


def test_analytics_routes(client):
    doc = client.get(f"/documents/{GUOFA_KEY}/analytics").json()
    assert doc["in_graph"] and doc["cited_by"] == 1 and doc["rank"] == 1
    assert [x["key"] for x in doc["reached_by"]["documents"]] == [SEED_KEY]
    seed = client.get(f"/documents/{SEED_KEY}/analytics").json()
    assert seed["cited_by"] == 0 and seed["reached_by"]["count"] == 0
    ent = client.get("/analytics/entity", params={"ref": "河北软件职业技术学院"}).json()
    assert ent["documents"] == 1 and ent["measures"] >= 1 and ent["label_zh"] == "河北软件职业技术学院"
    missing = client.get("/analytics/entity", params={"ref": "没有这个机构"})
    assert missing.status_code == 404
