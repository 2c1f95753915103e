"""The responsibility-table import in headless Chromium: wz_liaison downloads the template, uploads seed 001's
附件2 as Excel, sees the 3 tasks and 15 items with their units in the preview, confirms, and finds
the tasks in the pairing's task tree."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from fixtures.samples import task_table_001

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_uploads_previews_and_confirms_a_responsibility_table(browser, page, live_server):
    from cooperation.models import Pairing
    from tasks.models import Task

    call_command("load_demo", "--quiet")
    wz = Pairing.objects.get(name="温州市山海协作工程升级版")
    existing = Task.objects.filter(pairing=wz).count()

    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, "wz_liaison")
    page.goto(f"{live_server.url}/pairings/{wz.pk}/task-import/")

    with page.expect_download() as download:
        page.click("#task-import-template")
    assert download.value.suggested_filename == "责任分解表模板.xlsx"

    page.set_input_files("input[name=file]", str(task_table_001.SAMPLE))
    page.get_by_role("button", name="读取并预览").click()
    page.wait_for_selector("#import-tree")
    assert "将创建 3 个任务、15 个事项。" in page.locator("#import-counts").inner_text()
    assert page.locator("tr.import-node.depth-0").count() == 3
    assert page.locator("tr.import-node.depth-1").count() == 15
    company = page.locator("tr.import-node", has_text="建立产业园管理运营机制")
    assert "牵头：结对县（市、区）党委" in company.inner_text() and "2018-07-31" in company.inner_text()
    assert page.locator("#import-units tr[data-unit='市招商局（经合办）'] .unit-matched").count() == 1
    assert page.locator("#import-units tr[data-unit='市招商局（综合办）'] .unit-new").count() == 1
    assert page.locator("input[name=doc_title]").input_value() == "打造山海协作工程升级版行动计划责任分解表"
    assert Task.objects.filter(pairing=wz).count() == existing  # the preview wrote nothing
    screenshot(page, "task_import_preview")

    # A new unit the preview cannot place has no region until the user picks one (issue 20).
    unplaced = [s for s in page.locator("#import-units select").all() if s.input_value() == ""]
    assert unplaced
    for select in unplaced:
        select.select_option(label="温州市")
    page.get_by_role("button", name="确认并创建任务").click()
    page.wait_for_url(f"{live_server.url}/tasks/plan/{wz.pk}/")
    assert "导入 18 个任务（3 个任务、15 个事项）" in page.locator(".messages").inner_text()
    tree = page.locator(".tasktree").inner_text()
    assert "规范编制生态旅游文化产业园发展规划及建设指标" in tree and "帮助建立营销网络" in tree
    screenshot(page, "task_import_confirmed")

    assert Task.objects.filter(pairing=wz).count() == existing + 18
    assert page.outside_requests == [] and errors == []
