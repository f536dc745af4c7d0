"""A measure named by its label, unique in its document (三（二） where numbering restarts per section),
an item's ref or its ordinal, over real HTTP and the CLI; every result carries measure_label,
section_number and ordinal."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner

from api.cli import main
from tests.api.conftest import Server

pytestmark = [pytest.mark.corpus, pytest.mark.server]

GOV = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "gov-policy"
HOSPITAL, FTZ3, GRAIN = "国办发〔2019〕4号", "国发〔2019〕3号", "国办函〔2005〕57号"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    s = Settings(data=tmp_path_factory.mktemp("refs"), encoder="none")
    kg = PolicyKG.open(s)
    try:
        report = kg.ingest([next(GOV.glob(f"{k}_*")) for k in (HOSPITAL, FTZ3, GRAIN)])
        assert not report.failed, report
    finally:
        kg.close()
    return s


@pytest.fixture(scope="module")
def server(settings):
    with Server(settings) as srv:
        yield srv


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def _measure(http, key, ref):
    return http.get(f"/documents/{quote(key)}/measures/{quote(ref)}")


@pytest.mark.parametrize("ref", ["三（二）", "三(二)", "9"])
def test_measure_by_label_or_ordinal(http, ref):
    r = _measure(http, HOSPITAL, ref)
    assert r.status_code == 200, r.text
    m = r.json()
    assert (m["measure"], m["measure_label"], m["section_number"], m["ordinal"]) == (2, "三（二）", "三", 9)
    assert m["title"] == "统一编码和术语集" and m["text"].startswith("（二）统一编码和术语集。")


def test_item_decimal_and_lead_refs(http):
    m = _measure(http, FTZ3, "四（一）3.").json()
    assert m["measure_label"] == "四（一）" and m["item"]["ref"] == "四（一）3."
    assert m["item"]["text"].startswith("3.释放企业产能。") and len(m["items"]) == 5
    m = _measure(http, GRAIN, "4.2").json()
    assert (m["measure_label"], m["section_number"], m["title"]) == ("4.2", "4", "国家级（Ⅰ级）应急响应")
    assert [i["ref"] for i in m["items"]] == ["4.2.1", "4.2.2", "4.2.3"]
    lead = _measure(http, FTZ3, "三").json()
    assert (lead["measure"], lead["measure_label"], lead["ordinal"]) == (None, "三", None)
    assert lead["text"].startswith("三、发展目标")


def test_ambiguous_and_unknown_refs_are_clear_errors(http):
    r = _measure(http, HOSPITAL, "（二）")
    assert r.status_code == 400 and "一（二）、二（二）" in r.json()["error"]["message"], r.text
    r = _measure(http, HOSPITAL, "六（一）")
    assert r.status_code == 404 and r.json()["error"]["type"] == "NotFoundError", r.text


def test_document_lists_refs_items_and_leads(http):
    d = http.get(f"/documents/{quote(FTZ3)}").json()
    secs = {s["ref"]: s for s in d["sections"] if s.get("ref")}
    assert list(secs) == ["一", "二", "三", "四", "五"]
    assert secs["三"]["lead"].startswith("三、发展目标") and secs["二"]["lead"] is None
    assert [m["measure_label"] for m in secs["四"]["measures"]][:2] == ["四（一）", "四（二）"]
    assert [i["ref"] for i in secs["四"]["measures"][1]["items"]] == [f"四（二）{n}." for n in range(6, 10)]


@pytest.fixture(scope="module")
def run(settings):
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):
        res = runner.invoke(main, [*args, "--data", str(settings.data)], catch_exceptions=False)
        assert res.exit_code == code, f"policykg {' '.join(args)}: {res.output}"
        return res.output

    return invoke


def test_cli_measure_command(run):
    m = json.loads(run("measure", HOSPITAL, "五（二）", "--json"))
    assert (m["measure_label"], m["ordinal"], m["measure"]) == ("五（二）", 16, 2)
    out = run("measure", FTZ3, "四（二）7.")
    assert "四（二）7." in out and "建设创新高地" in out, out
    out = run("measure", HOSPITAL, "（二）", code=1)
    assert "Several measures" in out and "Traceback" not in out


def test_every_search_result_names_its_measure_uniquely(run):
    out = json.loads(run("search", "绩效考核 基本原则", "-k", "10", "--json"))
    assert out["results"]
    for r in out["results"]:
        assert {"measure_label", "section_number", "ordinal"} <= set(r), sorted(r)
        assert r["measure"] is None or isinstance(r["measure"], int)
    hosp = [r for r in out["results"] if r["document"] == HOSPITAL and r["measure"] is not None]
    assert hosp and all(r["measure_label"] == r["section_number"] + r["printed_label"] for r in hosp), hosp
    labels = [(r["document"], r["measure_label"]) for r in out["results"]]
    assert len(set(labels)) == len(labels), labels


def test_measures_involving_results_carry_the_ids(run):
    out = json.loads(run("measures", "--involving", "国家卫生健康委", "--json"))
    hosp = [r for r in out["results"] if r["document"] == HOSPITAL]
    assert hosp, out
    assert all(r["measure_label"].startswith(r["section_number"]) and r["ordinal"] >= 1 for r in hosp)
    assert len({r["measure_label"] for r in hosp}) == len(hosp)


def test_web_page_links_measures_by_label(server):
    from playwright.sync_api import expect

    from tests.servers import chromium_page

    with chromium_page(f"{server.url}/#/document/{HOSPITAL}") as page:
        link = page.locator("a", has_text="统一编码和术语集").first
        expect(link).to_be_visible(timeout=15000)
        assert link.get_attribute("href") == f"#/measure/{quote(HOSPITAL)}/{quote('三（二）')}"
        link.click()
        expect(page.locator("h1")).to_have_text("三（二） 统一编码和术语集", timeout=15000)
        page.goto(f"{server.url}/#/measure/{quote(FTZ3)}/{quote('四（一）3.')}")
        expect(page.locator(".item-text")).to_contain_text("3.释放企业产能", timeout=15000)
        expect(page.locator("ul.items li")).to_have_count(5)
        page.goto(f"{server.url}/#/document/{FTZ3}")
        lead = page.locator("p.lead a").first
        expect(lead).to_contain_text("以习近平新时代中国特色社会主义思想为指导", timeout=15000)
        lead.click()
        expect(page.locator("h1")).to_have_text("一 指导思想", timeout=15000)
