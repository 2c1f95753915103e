"""Reporting rounds in headless Chromium: 尤溪 liaison staff open “2025年一季度进展报送” over two tasks
of Jinjiang–Youxi, read the checklist, and remind the units that have not reported."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_opens_a_round_sees_the_checklist_and_reminds(browser, page, live_server, settings):
    from cooperation.models import Pairing
    from reminders.models import Notification
    from reminders.round_models import ReportingRound

    call_command("load_demo", "--quiet")
    pairing = Pairing.objects.get(name="晋江市—尤溪县山海协作")

    login(page, live_server, "yx_liaison")
    page.goto(f"{live_server.url}/pairings/{pairing.pk}/rounds/")
    page.get_by_role("link", name="发起报送轮次").click()
    page.fill("#id_name", "2025年一季度进展报送")
    page.fill("#id_year", "2025")
    # The round opens today (the form's default); the units have ten days.
    due = timezone.localdate() + datetime.timedelta(days=10)
    page.fill("#id_due_date", due.isoformat())
    page.get_by_label("推动教育医疗合作").check()
    page.get_by_label("落实帮扶资金：晋江市安排山海协作专项资金1200万元").check()
    page.get_by_role("button", name="发起").click()
    page.wait_for_selector("#checklist")

    assert page.locator(".messages").inner_text().strip() == "报送轮次“2025年一季度进展报送”已发起。"
    assert page.locator("#unit-total").inner_text() == "6"
    assert page.locator("[data-count=reported]").inner_text() == "已报 1"
    assert page.locator("[data-count=missing]").inner_text() == "未报 4"
    assert page.locator("[data-count=returned]").inner_text() == "已退回 1"
    returned = page.locator("tr[data-unit=尤溪县教育局] td").nth(1).inner_text()
    assert returned.strip() == "已退回"
    assert "已报" in page.locator("tr[data-unit=晋江市财政局]").inner_text()
    screenshot(page, "reminders_round_checklist")

    page.get_by_role("button", name="提醒未报单位").click()
    page.wait_for_selector(".messages .msg-success")
    assert page.locator(".messages .msg-success").inner_text().startswith("已提醒 3 个未报单位")
    screenshot(page, "reminders_round_reminded")

    round_ = ReportingRound.objects.get(name="2025年一季度进展报送")
    assert round_.tasks.count() == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "jj_liaison",
        "yx_reporter",
        "jj_reporter",
    }
    assert page.outside_requests == []
