"""Attachment tasks through real HTTP and the command line: "tasks led by 保定市政府 due by the end of 2022"."""

from __future__ import annotations

import re

import json
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner
from tests.api.tasks_data import GOV, GOV_IRI, SEED_KEY, tasks_settings, tasks_url  # noqa: F401 (fixtures)

from api.cli import main

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def http(tasks_url):
    with httpx.Client(base_url=tasks_url, timeout=30) as c:
        yield c


def _cli(settings, *args):
    result = CliRunner().invoke(main, ["tasks", *args, "--data", str(settings.data)])
    return result


def _check_led_by_gov_due_2022(tasks: list[dict]) -> None:
    assert tasks, "the illustrative 保定市建设任务清单 has tasks led by 保定市政府 due by 2022年底"
    for t in tasks:
        assert GOV_IRI in [o["iri"] for o in t["lead"]], (t["text"], t["lead"])
        assert t["deadline"] and t["deadline"] <= "2022-12-31", (t["text"], t["deadline"])
        assert t["parent"] == SEED_KEY, t["parent"]


def test_api_tasks_led_by_gov_due_by_end_of_2022(http):
    resp = http.get("/tasks", params={"org": GOV, "role": "lead", "due_by": "2022-12-31"})
    assert resp.status_code == 200, resp.text
    tasks = resp.json()
    _check_led_by_gov_due_2022(tasks)
    same = http.get("/tasks", params={"org": "保定市人民政府", "role": "lead", "due_by": "2022年底"}).json()
    assert same == tasks, "an alias and a printed deadline give the same answer"
    everything = http.get("/tasks", params={"org": GOV}).json()
    assert len(everything) > len(tasks) and any(t["deadline"] is None for t in everything), \
        "without filters, its ongoing (长期坚持) and later tasks are listed too"


def test_cli_tasks_json_matches_the_api(http, tasks_settings):
    result = _cli(tasks_settings, "--org", GOV, "--role", "lead", "--due-by", "2022年底", "--json")
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    _check_led_by_gov_due_2022(cli)
    api = http.get("/tasks", params={"org": GOV, "role": "lead", "due_by": "2022-12-31"}).json()
    assert [t["iri"] for t in cli] == [t["iri"] for t in api]


def test_cli_tasks_readable_output(tasks_settings):
    result = _cli(tasks_settings, "--org", GOV, "--role", "lead", "--due-by", "2022年底")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    count = int(re.match(r"共 (\d+) 项任务", lines[0]).group(1))
    assert count > 0 and sum(line.startswith("- ") for line in lines) == count, result.output
    assert "牵头单位：保定市人民政府" in result.output and "完成时限：2022年底" in result.output, result.output
    assert f"落实 {SEED_KEY} 第" in result.output and "置信度" in result.output, result.output


@pytest.mark.parametrize("args,message", [
    (["--org", "不存在的单位"], "No organisation named '不存在的单位'"),
    (["--due-by", "明年"], "Cannot read due date '明年'"),
    (["--measure", "16"], "DOC#NUMBER"),
])
def test_cli_tasks_bad_input_is_one_line(tasks_settings, args, message):
    result = _cli(tasks_settings, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("params,status", [
    ({"org": "不存在的单位"}, 404),
    ({"due_by": "明年"}, 400),
    ({"role": "boss"}, 422),
    ({"measure": f"{SEED_KEY}#99"}, 404),
])
def test_api_tasks_errors_have_the_error_shape(http, params, status):
    resp = http.get("/tasks", params=params)
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert err["status"] == status and err["message"], err


def test_measure_page_lists_its_tasks_with_link_evidence(http):
    m = http.get(f"/documents/{quote(SEED_KEY)}/measures/5").json()
    assert m["tasks"], "measure 5 (产教融合) is implemented by several illustrative tasks"
    for t in m["tasks"]:
        link = next((x for x in t["measures"] if x["iri"] == m["iri"]), None)
        assert link, f"task {t['text'][:20]} listed on measure 5 does not link to it: {t['measures']}"
        assert 0 < link["confidence"] <= 1 and link["evidence_kind"] in ("explicit", "shared_entities",
                                                                         "text_similarity"), link
        assert t["lead"] or t["responsible"], t
    by_ref = http.get("/tasks", params={"measure": f"{SEED_KEY}#5"}).json()
    assert sorted(t["iri"] for t in by_ref) == sorted(t["iri"] for t in m["tasks"])


def test_entity_page_lists_the_organisation_tasks(http):
    e = http.get(f"/entities/{quote(GOV)}").json()
    assert e["iri"] == GOV_IRI
    assert len(e["tasks"]) >= 6, len(e["tasks"])
    for t in e["tasks"]:
        assert GOV_IRI in [o["iri"] for r in ("lead", "responsible", "support") for o in t[r]], t
        assert "deadline_text" in t
    assert 16 in [r["measure"] for r in e["measures"]], "the same node is mentioned in measure 16's text"


def test_document_page_shows_annexes_and_parent(http):
    d = http.get(f"/documents/{quote(SEED_KEY)}").json()
    assert len(d["annexes"]) == 3, d["annexes"]
    titles = set()
    for key in d["annexes"]:
        annex = http.get(f"/documents/{quote(key, safe='')}").json()
        assert annex["parent"] == SEED_KEY and annex["kind"] == "attachment", annex
        titles.add(annex["title"])
        rows = http.get("/tasks", params={"attachment": key}).json()
        assert len(rows) == annex["tasks"] > 0, (key, len(rows), annex["tasks"])
    assert titles == {a["title"] for a in d["attachments"]}


def test_tasks_are_documented_in_openapi(http):
    spec = http.get("/openapi.json").json()
    op = spec["paths"]["/tasks"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"org", "role", "due_by", "measure", "attachment", "offset", "limit"}
    task = spec["components"]["schemas"]["Task"]
    assert {"lead", "deadline", "measures", "parent"} <= set(task["properties"]), task["properties"].keys()
