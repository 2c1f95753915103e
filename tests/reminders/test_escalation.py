"""催办 and 督办: urging notices for overdue work, signed for and answered, or escalated to leaders."""

from __future__ import annotations

import datetime

import pytest

from cooperation.models import Unit
from core import deadlines
from reminders import engine
from reminders.models import Notification, ReminderPolicy, UrgingNotice

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def overdue_item(demo, monkeypatch):
    unit = Unit.objects.get(name="尤溪县教育局")
    state = {"done": False}

    def provider(start, end, as_of):
        if not state["done"]:
            yield deadlines.DeadlineItem(
                "test.item:3",
                D(2025, 4, 30),
                demo["jy"].pk,
                (unit.pk,),
                "尤溪县：教育交流 应于 2025-04-30 前完成",
                "/pairings/",
            )

    monkeypatch.setattr(deadlines, "providers", lambda: [provider])
    return state


def test_an_urging_notice_goes_to_the_unit_after_three_days_overdue(overdue_item):
    engine.sweep(D(2025, 5, 2))
    assert not UrgingNotice.objects.exists()
    engine.sweep(D(2025, 5, 3))
    notice = UrgingNotice.objects.get()
    assert (
        notice.unit.name == "尤溪县教育局"
        and notice.sign_by == D(2025, 5, 5)
        and notice.reply_by == D(2025, 5, 8)
    )
    assert Notification.objects.filter(user__username="yx_reporter", kind="urging").count() == 1
    engine.sweep(D(2025, 5, 3))
    assert UrgingNotice.objects.count() == 1
    assert notice.history.get().history_user is None  # issued by the system


def test_the_unit_signs_and_answers_in_the_browser(overdue_item, client_for):
    engine.sweep(D(2025, 5, 3))
    notice = UrgingNotice.objects.get()
    client = client_for("yx_reporter")
    assert client.post(f"/reminders/notices/{notice.pk}/", {"action": "sign"}).status_code == 302
    signed = notice.history.filter(status="signed")
    assert [h.history_user.username for h in signed] == ["yx_reporter"]  # who signed is on record
    nul = client.post(f"/reminders/notices/{notice.pk}/", {"action": "reply", "reply": "已完成\x00交流活动"})
    assert nul.status_code < 500 and "空字符" in nul.content.decode()
    short = client.post(f"/reminders/notices/{notice.pk}/", {"action": "reply", "reply": "好"})
    assert "至少 5 个字" in short.content.decode()
    client.post(
        f"/reminders/notices/{notice.pk}/",
        {"action": "reply", "reply": "已联系晋江一中，5月20日前完成交流。"},
    )
    notice.refresh_from_db()
    assert notice.status == "answered" and notice.replied_by.username == "yx_reporter"
    page = client.get(f"/reminders/notices/{notice.pk}/").content.decode()
    assert "已联系晋江一中" in page and "尤溪填报员" in page


@pytest.mark.parametrize("persona, status", [("jj_reporter", 403), ("leader", 403), ("wz_liaison", 404)])
def test_other_units_cannot_sign_or_answer(overdue_item, client_for, persona, status):
    engine.sweep(D(2025, 5, 3))
    notice = UrgingNotice.objects.get()
    response = client_for(persona).post(f"/reminders/notices/{notice.pk}/", {"action": "sign"})
    assert response.status_code == status
    notice.refresh_from_db()
    assert notice.signed_at is None


def test_an_unsigned_notice_is_escalated_to_the_pairings_leaders_once(overdue_item):
    engine.sweep(D(2025, 5, 3))
    engine.sweep(D(2025, 5, 6))  # sign-by was 05-05
    notice = UrgingNotice.objects.get()
    assert notice.escalated_on == D(2025, 5, 6) and notice.escalation_reason == "催办单逾期未签收"
    leader = Notification.objects.filter(user__username="leader", kind="escalation")
    assert leader.count() == 1 and "督办：尤溪县教育局" in leader.get().title
    engine.sweep(D(2025, 5, 7))
    assert Notification.objects.filter(kind="escalation", user__username="leader").count() == 1


def test_an_answered_notice_is_not_escalated_but_a_long_delay_is(overdue_item, users, demo):
    from reminders import services

    ReminderPolicy.objects.create(pairing=demo["jy"], escalate_after_days=20)
    engine.sweep(D(2025, 5, 3))
    services.answer_notice(UrgingNotice.objects.get(), users["yx_reporter"], "正在办理，月底完成。")
    engine.sweep(D(2025, 5, 10))
    assert UrgingNotice.objects.get().escalated_on is None


def test_a_done_item_is_not_escalated(overdue_item):
    engine.sweep(D(2025, 5, 3))
    overdue_item["done"] = True
    engine.sweep(D(2025, 5, 6))
    assert UrgingNotice.objects.get().escalated_on is None


def test_leaders_get_a_weekly_overdue_digest_on_mondays(overdue_item):
    weekly = Notification.objects.filter(user__username="leader", kind="reminder")
    engine.sweep(D(2025, 5, 5))  # a Monday
    assert weekly.count() == 1 and "已逾期 5 天" in weekly.get().title
    engine.sweep(D(2025, 5, 6))  # a Tuesday: nothing more for the leader
    assert weekly.count() == 1
    engine.sweep(D(2025, 5, 12))  # the next Monday
    assert weekly.count() == 2 and weekly.filter(title__contains="已逾期 12 天").exists()
    engine.sweep(D(2025, 5, 12))
    assert weekly.count() == 2


def test_a_leaders_monday_digest_missed_while_beat_was_stopped_is_caught_up_once(overdue_item):
    weekly = Notification.objects.filter(user__username="leader", kind="reminder")
    engine.sweep(D(2025, 5, 7))  # no sweep since before Monday 05-05
    assert weekly.count() == 1 and "已逾期 5 天" in weekly.get().title  # as of that Monday
    engine.sweep(D(2025, 5, 8))
    assert weekly.count() == 1


def test_escalation_reasons_are_stored_in_chinese_and_read_in_the_readers_language(overdue_item, client_for):
    from django.utils import translation

    from reminders.models import escalation_reason_text

    with translation.override("en"):
        engine.sweep(D(2025, 5, 3))
        engine.sweep(D(2025, 5, 6))  # a sweep run in English stores the source words all the same
    notice = UrgingNotice.objects.get()
    assert notice.escalation_reason == "催办单逾期未签收"
    with translation.override("en"):
        assert notice.reason_display == "Urging notice not signed for in time"
        assert escalation_reason_text("逾期已达 40 天") == "Overdue for 40 day(s)"
    assert escalation_reason_text("逾期已达 40 天") == "逾期已达 40 天"
    client = client_for("yx_liaison")
    client.cookies["django_language"] = "en"
    page = client.get("/reminders/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Urging notice not signed for in time" in page and "催办单逾期未签收" not in page
