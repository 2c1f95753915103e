from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from reminders import engine
from reminders.models import Notification

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_shows_reminders_and_opening_one_leads_to_the_task(page, live_server):
    call_command("load_demo", "--quiet")
    engine.sweep(datetime.date(2025, 12, 24))  # a week before the yearly tasks fall due
    mine = Notification.objects.filter(user__username="yx_reporter")
    unread = mine.count()
    assert unread > 0
    login(page, live_server, "yx_reporter")
    assert page.locator("#unread-count").inner_text() == str(unread)
    page.click(".bell")
    page.wait_for_load_state("networkidle")
    first = page.locator("#notifications tbody tr.unread button.linklike").first
    title = first.inner_text()
    assert "（7 天后到期）" in title
    screenshot(page, "reminders_notifications")
    first.click()
    page.wait_for_load_state("networkidle")
    assert "/tasks/" in page.url
    expected = "" if unread == 1 else str(unread - 1)
    count = page.locator("#unread-count")
    assert (count.inner_text() if count.count() else "") == expected
    assert page.outside_requests == []
