"""The document page's validity and citation sections, the measure page's 对应的上位政策措施, and 条文对比, in Chromium."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from tests.servers import chromium_page

pytestmark = pytest.mark.server
SEED_KEY = "冀政字〔2021〕61号"
GUOFA_KEY = "国发〔2019〕4号"


@pytest.fixture(scope="module")
def page(base_url):
    with chromium_page(base_url + "/") as pg:
        yield pg


def test_document_page_shows_validity_and_relations(page, base_url):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/#/document/{quote(SEED_KEY)}")
    expect(page.get_by_role("heading", name="效力与版本")).to_be_visible(timeout=15000)
    expect(page.locator("text=有效").first).to_be_visible()
    expect(page.get_by_role("heading", name="引用与依据")).to_be_visible()
    link = page.locator("ul.plain a", has_text="国务院关于印发国家职业教育改革实施方案的通知").first
    expect(link).to_be_visible()
    expect(page.locator(".graph-box svg line")).to_have_count(1)
    link.click()
    expect(page.locator("h1")).to_have_text("国务院关于印发国家职业教育改革实施方案的通知", timeout=15000)
    expect(page.locator("text=引用、依据或实施本文件的文件（1）")).to_be_visible(timeout=15000)


def test_measure_page_shows_national_counterparts(page, base_url):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/#/measure/{quote(SEED_KEY)}/17")
    expect(page.get_by_role("heading", name="对应的上位政策措施")).to_be_visible(timeout=20000)
    expect(page.locator("a", has_text="健全经费投入机制").first).to_be_visible()


def test_diff_page_side_by_side(page, base_url):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/#/diff?a={quote(GUOFA_KEY)}&b={quote(SEED_KEY)}")
    expect(page.locator("h1")).to_have_text("条文对比", timeout=15000)
    expect(page.locator("table.diff tbody tr").first).to_be_visible()
    assert page.locator("table.diff tbody tr").count() >= 20


def test_document_page_shows_network_analytics(page, base_url):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/#/document/{quote(GUOFA_KEY)}")
    box = page.locator(".analytics")
    expect(box.get_by_role("heading", name="引用网络分析")).to_be_visible(timeout=20000)
    expect(box.locator("text=被 1 份文件直接引用")).to_be_visible()
    expect(box.get_by_role("heading", name="直接或间接引用本文件的文件（1）")).to_be_visible()
    expect(box.locator("a", has_text="职业教育").first).to_be_visible()


def test_entity_page_shows_network_analytics(page, base_url):
    from playwright.sync_api import expect

    page.goto(f"{base_url}/#/entity/{quote('河北软件职业技术学院')}")
    box = page.locator(".analytics")
    expect(box.get_by_role("heading", name="网络分析")).to_be_visible(timeout=20000)
    expect(box.locator("text=出现在 1 份文件的")).to_be_visible()
    expect(box.get_by_role("heading", name="这些文件所依据的法律法规")).to_be_visible()


@pytest.fixture(scope="module")
def law_url(tmp_path_factory):
    """A server over the two editions of the vocational education law (1996, 2022)."""
    from policykg.service import PolicyKG
    from policykg.settings import Settings
    from tests.api.conftest import CORPUS, Server

    laws = sorted((CORPUS / "laws" / "行政法").glob("职业教育法(*).txt"))
    assert len(laws) == 2, laws
    settings = Settings(data=tmp_path_factory.mktemp("laws"), encoder="none")
    kg = PolicyKG.open(settings, encoder=False)
    try:
        kg.ingest(laws, embed=False)
    finally:
        kg.close()
    with Server(settings) as srv:
        yield srv.url


def test_law_editions_side_by_side(page, law_url):
    from playwright.sync_api import expect

    pg = page  # the module's browser: a second sync Playwright cannot start in the same thread
    pg.goto(f"{law_url}/#/diff?a={quote('职业教育法@1996')}&b={quote('职业教育法@2022')}")
    expect(pg.locator("h1")).to_have_text("条文对比", timeout=20000)
    expect(pg.locator("text=修改 37 · 新增 31 · 删除 2")).to_be_visible()
    rows = pg.locator("table.diff tbody tr")
    assert rows.count() == 37 + 31 + 2 + 1
    changed = pg.locator("tr.diff-changed").first
    expect(changed.locator("td").nth(1).locator("del").first).to_be_visible()
    expect(changed.locator("td").nth(2).locator("ins").first).to_be_visible()
    expect(pg.locator("tr.diff-added").first).to_be_visible()
    assert pg.locator("tr", has_text="条号变动").count() >= 30
    pg.locator("a", has_text="1996-05-15").first.click()
    expect(pg.get_by_role("heading", name="效力与版本")).to_be_visible(timeout=20000)
    expect(pg.locator(".chip", has_text="已被新版本取代")).to_be_visible()
    expect(pg.locator("a", has_text="与上一版本对比")).to_be_visible()
