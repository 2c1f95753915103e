"""Done-when of the tasks issue, in headless Chromium: a reporter submits a report with evidence,
the liaison approves it, the period turns 已完成 and the history shows both steps."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tasks.demo import PNG

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_submits_with_evidence_and_liaison_approves(browser, page, live_server):
    from tasks.models import ProgressReport, Task, TaskPeriod

    call_command("load_demo", "--quiet")
    task = Task.objects.get(title="推动教育医疗合作")
    task.fulfilment = Task.Fulfilment.REPORTS  # decided by approved reports (the demo counts activities)
    task.save()
    period = task.periods.get(year=2026)
    section = f"#period-{period.pk}"

    login(page, live_server, "yx_reporter")
    page.goto(f"{live_server.url}{task.get_absolute_url()}")
    page.click(f"{section} details.newreport > summary")
    form = page.locator(f"{section} form.report-form")
    form.locator("textarea").fill("2026年10月尤溪一中教师12人赴晋江一中跟岗学习一周。")
    form.get_by_label("本年度工作已完成").check()
    form.get_by_label("教育领域专技人员交流活动", exact=False).fill("1")
    form.locator("input[type=file]").set_input_files(
        {"name": "跟岗学习现场照片.png", "mimeType": "image/png", "buffer": PNG}
    )
    form.get_by_label("材料类型").select_option(label="现场照片")
    url_before = page.url
    form.get_by_role("button", name="保存并提交").click()
    page.wait_for_selector("#flash li")
    assert page.locator("#flash").inner_text() == "报告已提交，等待联络员审核。"
    assert page.url == url_before  # never left the page
    page.wait_for_selector(f"{section} .report-submitted")
    assert "跟岗学习现场照片.png" in page.locator(f"{section} .report-submitted").inner_text()
    screenshot(page, "tasks_report_submitted")

    report = ProgressReport.objects.get(period=period, status="submitted")
    assert report.evidence.get().original_name == "跟岗学习现场照片.png"

    liaison = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    lpage = liaison.new_page()
    login(lpage, live_server, "yx_liaison")
    lpage.goto(f"{live_server.url}{task.get_absolute_url()}")
    lpage.locator(f"#report-{report.pk}").get_by_role("button", name="审核通过").click()
    lpage.wait_for_selector("#flash .msg-success")
    lpage.wait_for_selector(f"{section} .badge[data-status=done]")
    assert lpage.locator(f"{section} summary.period-line .badge").first.inner_text() == "已完成"
    history = lpage.locator("#history").inner_text()
    assert "尤溪填报员" in history and "尤溪联络员" in history
    assert "已提交" in history and "已通过" in history
    screenshot(lpage, "tasks_report_approved")
    liaison.close()

    assert TaskPeriod.objects.get(pk=period.pk).status == "done"
    assert page.outside_requests == []
