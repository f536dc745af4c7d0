"""The web page in headless Chromium: search, evidence, click through to the college and a measure, back, Turtle."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from tests.servers import chromium_page

pytestmark = pytest.mark.server

COLLEGE = "河北软件职业技术学院"
# Screenshots go to a temporary folder; SCREENSHOT_DIR=docs/screenshots refreshes the committed ones.
SHOTS = Path(os.environ.get("SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="policykg-shots-"))


@pytest.fixture(scope="module")
def page(base_url):
    with chromium_page(base_url + "/") as pg:
        yield pg


def test_search_entity_measure_back_and_turtle(page, base_url):
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_label("搜索政策措施").fill(COLLEGE)
    page.get_by_role("button", name="搜索").click()
    results = page.locator("#exact-results article.result")
    expect(results.first).to_be_visible(timeout=15000)
    # the exact answer, with its count, above the related hits (which repeat none of it)
    expect(page.locator("#exact h2 .count")).to_have_text("共 3 条")
    expect(results).to_have_count(3)
    assert page.locator("#results article.result[data-measure='6'][data-doc='冀政字〔2021〕61号']").count() == 0
    for number in ("6", "7", "15"):
        card = page.locator(f'#exact-results article.result[data-measure="{number}"]').first
        expect(card).to_be_visible()
        expect(card.locator(".why")).to_be_visible()
        expect(card.locator("mark.ent").first).to_have_text(COLLEGE)
    assert "search?q=" in page.url, page.url
    page.screenshot(path=str(SHOTS / "search.png"), full_page=False)

    # through to the college's entity page
    page.locator('#exact-results article.result[data-measure="6"] .why a.chip', has_text=COLLEGE).first.click()
    expect(page.locator("h1")).to_have_text(COLLEGE, timeout=15000)
    entity_url = page.url
    assert "#/entity/" in entity_url, entity_url
    cards = page.locator("#entity-measures article.result")
    expect(cards).to_have_count(3)
    page.wait_for_function("() => window.policykgGraph && window.policykgGraph.nodes().length > 3", timeout=15000)
    page.screenshot(path=str(SHOTS / "entity.png"), full_page=True)

    # through to a measure, then back to the entity and the search
    page.locator('#entity-measures article.result[data-measure="15"] h3 a').click()
    expect(page.locator("h1")).to_contain_text("提升职业教育国际影响力", timeout=15000)
    expect(page.locator("a.ment", has_text=COLLEGE).first).to_be_visible()
    page.screenshot(path=str(SHOTS / "measure.png"), full_page=False)
    page.go_back()
    expect(page.locator("h1")).to_have_text(COLLEGE, timeout=15000)
    assert page.url == entity_url
    page.go_back()
    expect(page.locator('#exact-results article.result[data-measure="7"]').first).to_be_visible(timeout=15000)

    # the Turtle download
    with page.expect_download() as info:
        page.locator("#turtle-link").click()
    download = info.value
    path = download.path()
    text = Path(path).read_text(encoding="utf-8")
    assert download.suggested_filename == "policykg.ttl", download.suggested_filename
    assert "@prefix" in text or "PREFIX" in text and COLLEGE in text, text[:200]


def test_document_page_deep_link(page, base_url):
    from playwright.sync_api import expect

    page.goto(base_url + "/#/document/" + "冀政字〔2021〕61号")
    expect(page.locator("h1")).to_contain_text("打造品质保定", timeout=15000)
    expect(page.locator("main section li a").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "document.png"), full_page=False)


def test_nonsense_query_shows_the_no_close_match_message(page, base_url):
    from playwright.sync_api import expect

    page.goto(base_url + "/#/search?q=" + "xyzzy%20plugh%20%E7%81%AB%E6%98%9F%E6%AE%96%E6%B0%91")
    expect(page.locator("#no-match")).to_contain_text("没有足够接近的措施", timeout=15000)
    assert page.locator("#results article.result").count() == 0
