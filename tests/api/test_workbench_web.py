"""The staffer's workbench in headless Chromium on the 61-document index (seed + 60 State Council policies).

Paging through every 国务院 measure, each filter, CSV/XLSX downloads read back, one document's Turtle,
the full-text view, API docs with the network blocked, the graph drawing, and Chinese page chrome.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from tests.api.conftest import Server
from tests.servers import chromium_page

pytestmark = [pytest.mark.server, pytest.mark.corpus]

ROOT = Path(__file__).resolve().parents[2]
GOV = ROOT / ".." / "shared" / "corpus" / "gov-policy"
SEED_KEY = "冀政字〔2021〕61号"
COLUMNS = ["文件", "发文字号", "措施编号", "措施标题", "角色", "依据原文", "牵头单位", "责任单位", "完成时限"]
SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="policykg-shots-"))
# Latin words allowed in the page chrome: names of file formats and standards (proper names).
PROPER_NAMES = {"SPARQL", "Turtle", "TriG", "JSON", "LD", "CSV", "Excel"}


@pytest.fixture(scope="module")
def index61(tmp_path_factory):
    """`policykg ingest corpus ../shared/corpus/gov-policy --no-embed` into a fresh data folder."""
    from api.cli import main

    data = tmp_path_factory.mktemp("kg61") / "data"
    res = CliRunner().invoke(main, ["ingest", str(ROOT / "corpus"), str(GOV), "--no-embed", "--quiet", "--data", str(data)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "共 61 个文件" in res.output, res.output
    return data


@pytest.fixture(scope="module")
def base(index61):
    from policykg.settings import Settings

    with Server(Settings(data=index61, encoder="none")) as srv:
        yield srv.url


@pytest.fixture(scope="module")
def http(base):
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def page(base):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(base + "/") as pg:
        yield pg


def _open(page, base, hash_, ready):
    from playwright.sync_api import expect

    page.goto(base + "/" + hash_)
    expect(page.locator(ready).first).to_be_visible(timeout=20000)


def _settled(page):
    """Wait until the view for the current address is fully drawn (the page marks it on #main)."""
    page.wait_for_function("() => { const h = location.hash.replace(/^#/, '') || '/';"
                           " return document.getElementById('main').dataset.ready === h; }", timeout=20000)


def _card_iris(page, scope: str) -> list[str]:
    return page.locator(f"{scope} article.result").evaluate_all("els => els.map(e => e.dataset.iri)")


def test_paging_through_every_state_council_measure(page, base, http):
    from playwright.sync_api import expect

    every = http.get("/measures", params={"involving": "国务院"}).json()
    total = every["total"]
    # the count follows entity extraction; it must stay well past one page of 20
    assert total == len(every["results"]) > 100, (every.get("total"), len(every["results"]))
    pages = -(-total // 20)
    _open(page, base, "#/search?q=国务院", "#exact-results article.result")
    expect(page.locator("#exact h2 .count")).to_have_text(f"共 {total} 条")
    page.screenshot(path=str(SHOTS / "search-exact.png"))
    seen: list[str] = []
    for n in range(1, pages + 5):
        expect(page.locator("#exact-pager .range")).to_contain_text(f"第 {len(seen) + 1}–", timeout=15000)
        seen += _card_iris(page, "#exact-results")
        nxt = page.locator("#exact-pager a.next")
        if not nxt.count():
            break
        nxt.click()
    assert n == pages, f"expected {pages} pages of 20, went through {n}"
    assert len(seen) == len(set(seen)) == total, (len(seen), len(set(seen)))
    assert set(seen) == {r["iri"] for r in every["results"]}
    expect(page.locator("#exact-pager .range")).to_have_text(f"第 {20 * (pages - 1) + 1}–{total} 条，共 {total} 条")


def _facts(http):
    docs = {d["key"]: d for d in http.get("/documents").json()}
    every = http.get("/measures", params={"involving": "国务院"}).json()["results"]
    return docs, every


def _filter_and_read(page, base, fill) -> tuple[int, list[str]]:
    """Open the 国务院 search, set filters with ``fill(form)``, submit; (count shown, documents of all cards)."""
    from playwright.sync_api import expect

    _open(page, base, "#/search?q=国务院", "#filters")
    form = page.locator("#filters")
    fill(form)
    form.get_by_role("button", name="筛选").click()
    expect(page.locator("#exact h2 .count")).to_be_visible(timeout=15000)
    page.wait_for_function("() => location.hash.includes('&')")
    _settled(page)
    expect(page.locator("#exact h2 .count")).to_have_text(re.compile(r"共 \d+ 条"))
    count = int(re.search(r"\d+", page.locator("#exact h2 .count").inner_text()).group())
    docs = page.locator("#exact-results article.result").evaluate_all("els => els.map(e => e.dataset.doc)")
    return count, docs


def test_filter_by_document_type(page, base, http):
    docs, every = _facts(http)
    count, shown = _filter_and_read(page, base, lambda f: f.locator("select[name=kind]").select_option("law"))
    expected = [r for r in every if docs[r["document_key"]]["kind"] == "law"]
    assert 0 < count == len(expected) < len(every), (count, len(expected))
    assert all(docs[k]["kind"] == "law" for k in shown), shown


def test_filter_by_document(page, base, http):
    docs, every = _facts(http)
    key = "国发〔2019〕4号"
    count, shown = _filter_and_read(page, base, lambda f: f.locator("select[name=document]").select_option(key))
    assert count == sum(r["document_key"] == key for r in every) > 0, count
    assert set(shown) == {key}, shown


def test_filter_by_issuing_body(page, base, http):
    docs, every = _facts(http)
    count, shown = _filter_and_read(page, base, lambda f: f.locator("input[name=issuer]").fill("国务院办公厅"))
    expected = [r for r in every if "国务院办公厅" in docs[r["document_key"]]["issuers"]]
    assert 0 < count == len(expected) < len(every), (count, len(expected))
    assert all("国务院办公厅" in docs[k]["issuers"] for k in shown)


def test_filter_by_date_range_and_sort_by_date(page, base, http):
    docs, every = _facts(http)

    def fill(f):
        f.locator("input[name=date_from]").fill("2018-06")
        f.locator("input[name=date_to]").fill("2018")
        f.locator("select[name=sort]").select_option("date")

    count, shown = _filter_and_read(page, base, fill)
    expected = [r for r in every if "2018-06-01" <= (docs[r["document_key"]]["date"] or "") <= "2018-12-31"]
    assert 0 < count == len(expected) < len(every), (count, len(expected))
    dates = [docs[k]["date"] for k in shown]
    assert all("2018-06-01" <= d <= "2018-12-31" for d in dates), dates
    assert dates == sorted(dates, reverse=True), f"not newest first: {dates}"


@pytest.mark.parametrize("field,value", [("entity_type", "industry"), ("role", "lead")])
def test_filter_by_entity_type_and_role(page, base, http, field, value):
    every = http.get("/measures", params={"involving": "国务院"}).json()["total"]
    count, _ = _filter_and_read(page, base, lambda f: f.locator(f"select[name={field}]").select_option(value))
    assert 0 < count < every, count
    cards = page.locator("#exact-results article.result").evaluate_all(
        "els => els.map(e => [e.dataset.doc, e.querySelector('h3 a').getAttribute('href')])")
    assert len(cards) == min(count, 20)
    for doc, href in cards:  # each kept measure names such an entity, by the measure's own mentions
        ordinal = href.rsplit("/", 1)[1]
        mentions = http.get(f"/documents/{doc}/measures/{ordinal}").json()["mentions"]
        key = "type" if field == "entity_type" else "role"
        assert any(m[key] == value for m in mentions), (doc, ordinal, [(m["text"], m[key]) for m in mentions])


def test_csv_and_xlsx_downloads_read_back(page, base, http):
    from openpyxl import load_workbook

    every = http.get("/measures", params={"involving": "国务院"}).json()["results"]
    _open(page, base, "#/search?q=国务院", "#exact-results article.result")
    with page.expect_download() as info:
        page.locator("#exact a.download[data-format=csv]").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == COLUMNS, rows[0]
    assert len(rows) - 1 == len(every), len(rows)
    first = every[0]
    assert rows[1][1] == first["document"] and rows[1][2] == first["measure_label"], (rows[1], first["document"])
    assert all("国务院" in r[5] for r in rows[1:]), "every row quotes its evidence"
    with page.expect_download() as info:
        page.locator("#exact a.download[data-format=xlsx]").click()
    assert info.value.suggested_filename.endswith(".xlsx"), info.value.suggested_filename
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True).active
    table = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert table[0] == COLUMNS and len(table) - 1 == len(every), (table[0], len(table))
    assert [r[:4] for r in table[1:]] == [r[:4] for r in rows[1:]]


def test_task_list_export(http):
    from openpyxl import load_workbook

    resp = http.get("/export/tasks", params={"format": "xlsx"})
    assert resp.status_code == 200, resp.text[:200]
    table = list(load_workbook(io.BytesIO(resp.content), read_only=True).active.iter_rows(values_only=True))
    assert list(table[0]) == COLUMNS
    assert len(table) - 1 == len(http.get("/tasks").json())


def test_one_documents_turtle_holds_only_its_graph(page, base, http):
    import rdflib

    _open(page, base, f"#/document/{SEED_KEY}", "#doc-graph a[data-format=turtle]")
    page.screenshot(path=str(SHOTS / "document.png"))
    with page.expect_download() as info:
        page.locator("#doc-graph a[data-format=turtle]").click()
    g = rdflib.Graph().parse(info.value.path(), format="turtle")
    doc_iri = http.get(f"/documents/{SEED_KEY}").json()["iri"]
    expected = httpx.get(base + "/sparql", params={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{doc_iri}> {{ ?s ?p ?o }} }}", "format": "json"}).json()
    n = int(expected["results"]["bindings"][0]["n"]["value"])
    assert len(g) == n > 100, (len(g), n)
    measures = {str(s) for s in g.subjects() if "/measure/" in str(s)}
    assert measures and all(m.startswith(doc_iri + "/") for m in measures), sorted(measures)[:5]
    other = http.get("/documents/国发〔2019〕4号").json()["iri"]
    assert not any(str(s).startswith(other) for s in g.subjects()), "another document's triples"
    # TriG keeps the graph name
    trig = http.get(f"/documents/{SEED_KEY}/export", params={"format": "trig"})
    ds = rdflib.Dataset().parse(data=trig.text, format="trig")
    assert {str(c.identifier) for c in ds.graphs() if len(c)} == {doc_iri}


def test_full_text_highlights_the_evidence_span(page, base, http):
    from playwright.sync_api import expect

    _open(page, base, "#/search?q=河北软件职业技术学院", "#exact-results article.result")
    link = page.locator("#exact-results article.result[data-measure='7'] a.ev-link").first
    href = link.get_attribute("href")
    start, end = (int(x) for x in re.search(r"start=(\d+)&end=(\d+)", href).groups())
    link.click()
    hit = page.locator("#fulltext mark.hit")
    expect(hit.first).to_be_visible(timeout=15000)
    text = http.get(f"/documents/{SEED_KEY}/text").json()["text"]
    assert "".join(hit.all_inner_texts()) == text[start:end] == "河北软件职业技术学院"
    box, view = hit.first.bounding_box(), page.viewport_size
    assert 0 <= box["y"] <= view["height"] - box["height"], f"highlight not scrolled into view: {box}"
    expect(page.locator("#fulltext .measure-span")).to_have_count(18)
    page.screenshot(path=str(SHOTS / "fulltext.png"))


def test_api_docs_render_with_the_network_blocked(page, base):
    from playwright.sync_api import expect

    ctx = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    blocked: list[str] = []

    def only_loopback(route):
        if route.request.url.startswith(("http://127.0.0.1", "about:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        ctx.route("**/*", only_loopback)
        pg = ctx.new_page()
        pg.goto(base + "/docs")
        expect(pg.locator(".swagger-ui .info .title")).to_contain_text("policykg", timeout=20000)
        expect(pg.locator(".opblock-summary-path", has_text="/measures").first).to_be_visible()
        pg.screenshot(path=str(SHOTS / "api-docs.png"))
        assert not blocked, f"the docs page asked the network for {blocked}"
    finally:
        ctx.close()


def test_neighbourhood_labels_do_not_overlap_and_nodes_open_pages(page, base):
    _open(page, base, "#/entity/河北软件职业技术学院", "#entity-measures article.result")
    page.wait_for_function("() => window.policykgGraph && window.policykgGraph.nodes().length > 20", timeout=20000)
    n, overlaps = page.evaluate("() => [policykgGraph.nodes().length, labelOverlaps(policykgGraph)]")
    assert overlaps == 0, f"{overlaps} overlapping label pairs among {n} nodes"
    page.locator("#graph").screenshot(path=str(SHOTS / "graph.png"))
    # click a measure node where it is drawn
    x, y = page.evaluate("""() => { const n = policykgGraph.nodes().filter(n => n.id().includes('/measure/'))[0];
        const p = n.renderedPosition(), r = document.querySelector('#graph-canvas').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(x, y)
    page.wait_for_function("() => location.hash.startsWith('#/measure/')", timeout=10000)


def test_documents_list_has_issuers_and_unwrapped_dates(page, base):
    from playwright.sync_api import expect

    _open(page, base, "#/documents", "table.docs tbody tr")
    assert page.locator("table.docs th").all_inner_texts() == ["标题", "发文字号", "发文机关", "日期", "类型", "措施数"]
    expect(page.locator("h1 .count")).to_have_text("共 61 份")
    assert page.locator("table.docs td.date").first.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    expect(page.locator(f"table.docs tr[data-key='{SEED_KEY}'] td").nth(2)).to_have_text("教育部、河北省人民政府")
    page.screenshot(path=str(SHOTS / "documents.png"))
    page.locator("#filters select[name=kind]").select_option("law")
    page.locator("#filters").get_by_role("button", name="筛选").click()
    # the unfiltered page already reads "共 61 份": wait for the filtered one to replace it
    page.wait_for_function("() => location.hash.includes('kind=law')")
    _settled(page)
    expect(page.locator("h1 .count")).to_have_text(re.compile(r"共 [1-9]\d* 份"))
    kinds = set(page.locator("table.docs td.kind").all_inner_texts())
    assert kinds == {"法律法规"}, kinds


def test_errors_are_shown_in_chinese(page, base):
    from playwright.sync_api import expect

    page.goto(base + "/#/entity/" + "不存在的机构XYZ")
    err = page.locator(".error[role=alert] p").first
    expect(err).to_contain_text("找不到实体", timeout=15000)
    assert "policykg" not in err.inner_text() and "No entity" not in err.inner_text()


CHROME = ("header, nav, footer, h1, h2, th, label, button, summary, .pager, .legend, .count, dt, .chip.role, "
          ".chip.kind, .exports, #filters option, .crumbs")


@pytest.mark.parametrize("view", ["#/", "#/search?q=国务院", "#/search?q=产教融合", "#/documents",
                                  f"#/document/{SEED_KEY}", "#/entity/河北软件职业技术学院",
                                  f"#/measure/{SEED_KEY}/7", f"#/text/{SEED_KEY}", "#/tasks"])
def test_no_latin_labels_in_the_page_chrome(page, base, view):
    page.goto(base + "/" + view)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('#main .view > p.muted:only-child')", timeout=20000)
    texts = page.locator(CHROME).all_inner_texts()
    words = {w for t in texts for w in re.findall(r"[A-Za-z][A-Za-z_]+", t)}
    assert words <= PROPER_NAMES, f"Latin labels in the chrome of {view}: {sorted(words - PROPER_NAMES)}"
    if view in ("#/", "#/search?q=产教融合"):
        page.screenshot(path=str(SHOTS / ("home.png" if view == "#/" else "search-free-text.png")))
