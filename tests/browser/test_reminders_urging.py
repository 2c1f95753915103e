"""催办 by hand in headless Chromium at 1366×768: 尤溪 liaison staff urge 尤溪县教育局 from the task
page; the unit's reporter signs, answers and reports it done with a PDF as evidence; the liaison
closes it (销号). Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 768}


def test_liaison_urges_by_hand_reporter_walks_the_trail_liaison_closes(browser, live_server, tmp_path):
    from reminders.models import Notification, UrgingNotice
    from tasks.demo import PDF
    from tasks.models import Task

    call_command("load_demo", "--quiet")
    task = Task.objects.get(pairing__name="晋江市—尤溪县山海协作", title="推动教育医疗合作")
    period = task.periods.get(year=2026)

    liaison = browser.new_context(locale="zh-CN", viewport=VIEWPORT).new_page()
    liaison.set_default_timeout(15000)
    login(liaison, live_server, "yx_liaison")
    liaison.goto(f"{live_server.url}{task.get_absolute_url()}")
    liaison.locator(f"#urge-periods li[data-period='{period.pk}']").get_by_role("link", name="催办").click()
    liaison.wait_for_selector("#urge form")
    liaison.select_option("#id_unit", label="尤溪县教育局")
    liaison.fill("#id_message", "请于本周内报送2026年跟岗学习的人数和现场照片。")
    screenshot(liaison, "reminders_urge_form")
    liaison.get_by_role("button", name="发出催办单").click()
    liaison.wait_for_selector("#trail")
    assert liaison.locator("#notice-level").inner_text() == "催办"
    assert liaison.locator("#notice-level").get_attribute("data-level") == "urge"
    assert "请于本周内报送2026年跟岗学习的人数和现场照片" in liaison.locator("#notice-message").inner_text()
    assert liaison.locator("#trail li.reached").count() == 1  # 交办
    screenshot(liaison, "reminders_urge_issued")
    notice = UrgingNotice.objects.get()
    assert Notification.objects.filter(user__username="yx_reporter", kind="urging").exists()

    reporter = browser.new_context(locale="zh-CN", viewport=VIEWPORT).new_page()
    reporter.set_default_timeout(15000)
    login(reporter, live_server, "yx_reporter")
    reporter.goto(f"{live_server.url}{notice.get_absolute_url()}")
    reporter.get_by_role("button", name="签收").click()
    reporter.wait_for_selector(".messages")
    assert reporter.locator("#notice-status").inner_text() == "已签收"
    reporter.fill("#id_reply", "已联系晋江一中，12月20日前完成跟岗学习并报送照片。")
    reporter.get_by_role("button", name="提交反馈").click()
    reporter.wait_for_selector("#done-form")
    evidence = tmp_path / "跟岗学习总结.pdf"
    evidence.write_bytes(PDF)
    reporter.fill("#id_done_note", "12名教师已完成跟岗学习，附总结与照片。")
    reporter.set_input_files("#id_evidence", str(evidence))
    reporter.locator("#done-form").get_by_role("button", name="办结").click()
    reporter.wait_for_selector("#notice-evidence")
    assert reporter.locator("#notice-status").inner_text() == "已办结"
    assert reporter.locator("#notice-evidence").inner_text() == "跟岗学习总结.pdf"
    assert reporter.locator("#notice-close").count() == 0  # 销号 is the office's
    screenshot(reporter, "reminders_urge_done")

    liaison.goto(f"{live_server.url}{notice.get_absolute_url()}")
    with liaison.expect_download() as download:
        liaison.click("#notice-evidence")
    assert download.value.suggested_filename == "跟岗学习总结.pdf"
    liaison.locator("#notice-close").get_by_role("button", name="销号").click()
    liaison.wait_for_selector(".messages")
    assert liaison.locator("#notice-status").inner_text() == "已销号"
    steps = liaison.locator("#trail li.reached strong").all_inner_texts()
    assert steps == ["交办", "签收", "反馈", "办结", "销号"]
    assert "尤溪填报员" in liaison.locator("#trail").inner_text()
    screenshot(liaison, "reminders_urge_closed")
    assert Notification.objects.filter(user__username="yx_liaison", title__contains="已办结").exists()

    liaison.goto(f"{live_server.url}{task.get_absolute_url()}")
    assert liaison.locator("#notices tr[data-level=urge] .level-urge").count() == 1
    liaison.goto(f"{live_server.url}/reminders/notices/")
    assert liaison.locator("#notices tr[data-level=urge]").count() == 1
    screenshot(liaison, "reminders_notice_list")
