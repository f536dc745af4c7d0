"""The tasks view in headless Chromium: filter by organisation, role and deadline, then follow a task to
its measure and to an organisation."""

from __future__ import annotations


import pytest
from tests.servers import chromium_page
from tests.api.tasks_data import GOV, tasks_settings, tasks_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.server



@pytest.fixture(scope="module")
def page(tasks_url):
    with chromium_page(tasks_url + "/") as pg:
        yield pg


def test_tasks_view_filters_and_links(page, tasks_url):
    import httpx
    from playwright.sync_api import expect

    expected = httpx.get(tasks_url + "/tasks", params={"org": GOV, "role": "lead", "due_by": "2022年底"}).json()
    page.get_by_role("navigation", name="站点").get_by_role("link", name="附件任务").click()
    expect(page.locator("h1")).to_have_text("附件任务", timeout=15000)
    form = page.locator("#task-filter")
    form.get_by_label("单位").fill(GOV)
    form.get_by_label("角色").select_option("lead")
    form.get_by_label("完成时限不晚于").fill("2022年底")
    form.get_by_role("button", name="筛选").click()
    rows = page.locator("table.tasks tr.task")
    expect(rows).to_have_count(len(expected), timeout=15000)
    expect(page.locator("#task-count")).to_contain_text(f"共 {len(expected)} 项")
    for i in range(rows.count()):
        row = rows.nth(i)
        deadline = row.get_attribute("data-deadline")
        assert deadline and deadline <= "2022-12-31", deadline
        expect(row.locator("a.focus")).to_have_text("保定市人民政府")
        expect(row.locator("td.measures .chip.kind").first).to_contain_text("%")

    # a task → the measure it implements, which lists that task with its lead unit and deadline
    first = expected[0]
    number = first["measures"][0]["number"]
    rows.first.locator("td.measures a").first.click()
    expect(page.locator("h1")).to_contain_text(f"{number}.", timeout=15000)
    task_row = page.locator("table.tasks tr.task", has_text=first["text"])
    expect(task_row).to_have_count(1)
    expect(task_row.locator("td.due")).to_contain_text(first["deadline_text"])
    expect(task_row).to_contain_text("牵头单位")

    # back to the list, then a unit → its entity page with its tasks
    page.go_back()
    expect(rows).to_have_count(len(expected), timeout=15000)
    rows.first.locator("a.focus").click()
    expect(page.locator("h1")).to_have_text("保定市人民政府", timeout=15000)
    expect(page.locator("table.tasks tr.task").first).to_be_visible()
    assert page.locator("table.tasks tr.task").count() >= len(expected)


def test_task_list_downloads_as_csv(page, tasks_url):
    import csv
    import io
    import os
    import re
    from pathlib import Path

    from playwright.sync_api import expect

    page.goto(tasks_url + "/#/tasks?org=保定市政府&role=lead")
    expect(page.locator("table.tasks tr.task").first).to_be_visible(timeout=15000)
    count = int(re.search(r"共 (\d+) 项", page.locator("#task-count").inner_text()).group(1))
    assert count == page.locator("table.tasks tr.task").count() > 0
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(os.environ["SCREENSHOT_DIR"]) / "tasks.png"), full_page=False)
    with page.expect_download() as info:
        page.locator("#task-count a.download[data-format=csv]").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["文件", "发文字号", "措施编号"] and len(rows) - 1 == count, (rows[0], len(rows), count)
    assert all("保定市人民政府" in r[6] for r in rows[1:]), [r[6] for r in rows[1:]]  # its lead units
