"""The reminder engine with controlled time: offsets, once-only, catch-up, muting, digests, delivery."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cooperation.models import Unit, User
from core import deadlines
from reminders import delivery, engine
from reminders.models import Notification, OutboxMessage, Preference, ReminderLedger, ReminderPolicy

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def item(demo, monkeypatch):
    """One deadline of the Jinjiang–Youxi pairing, due 2025-04-30, for 尤溪县教育局."""
    unit = Unit.objects.get(name="尤溪县教育局")
    state = {"done": False}

    def provider(start, end, as_of):
        due = D(2025, 4, 30)
        if not state["done"] and start <= due <= end:
            yield deadlines.DeadlineItem(
                key="test.item:1",
                due=due,
                pairing_id=demo["jy"].pk,
                unit_ids=(unit.pk,),
                summary="尤溪县：教育专技人员交流 应于 2025-04-30 前完成",
                url=f"/pairings/{demo['jy'].pk}/",
            )

    monkeypatch.setattr(deadlines, "providers", lambda: [provider])
    return state


def recipients(result) -> set[str]:
    from cooperation.models import User

    return set(
        User.objects.filter(pk__in={p.recipient_id for p in result.planned}).values_list(
            "username", flat=True
        )
    )


@pytest.mark.parametrize(
    "day, offset",
    [
        (D(2025, 3, 31), 30),
        (D(2025, 4, 23), 7),
        (D(2025, 4, 29), 1),
        (D(2025, 4, 30), 0),
        (D(2025, 5, 7), -7),
        (D(2025, 5, 14), -14),
    ],
)
def test_default_offsets_remind_on_their_days(item, day, offset):
    ReminderPolicy.objects.create(pairing=None, catch_up_days=0)  # this day's reminders only
    result = engine.sweep(day)
    assert result.recorded > 0
    assert {p.offset for p in result.planned} == {offset}


@pytest.mark.parametrize("day", [D(2025, 3, 30), D(2025, 4, 22), D(2025, 5, 1), D(2025, 5, 6)])
def test_no_reminder_between_the_offsets(item, day, settings):
    ReminderPolicy.objects.create(pairing=None, catch_up_days=0)
    assert engine.sweep(day).recorded == 0


def test_the_responsible_unit_and_the_pairings_liaison_staff_are_reminded(item):
    result = engine.sweep(D(2025, 4, 23))
    assert recipients(result) == {"yx_reporter", "yx_liaison", "jj_liaison"}
    assert Notification.objects.filter(user__username="yx_reporter").get().title.endswith("（7 天后到期）")


def test_a_second_sweep_of_the_same_day_sends_nothing_again(item):
    first = engine.sweep(D(2025, 4, 23))
    second = engine.sweep(D(2025, 4, 23))
    assert first.recorded == 3 and second.recorded == 0
    assert ReminderLedger.objects.count() == 3
    assert Notification.objects.count() == 3
    assert OutboxMessage.objects.filter(channel="email").count() == 3


def test_missed_days_are_caught_up_once(item):
    # Beat stopped from 04-20 to 04-25: the 7-days-before reminder (04-23) goes out on 04-25, once.
    result = engine.sweep(D(2025, 4, 25))
    assert {p.offset for p in result.planned} == {7}
    assert engine.sweep(D(2025, 4, 26)).recorded == 0
    assert {p.offset for p in engine.sweep(D(2025, 4, 29)).planned} == {1}
    # Stopped again until after the due date: "on the day" and "7 days overdue" both went unsent;
    # both are recorded once, and the person gets one line, the latest (overdue).
    late = engine.sweep(D(2025, 5, 7))
    leader = User.objects.get(username="leader").pk
    assert {p.offset for p in late.planned if p.recipient_id != leader} == {0, -7}
    # The leader's weekly overdue digest of Monday 05-05 went unsent too: caught up as of that Monday.
    assert {p.offset for p in late.planned if p.recipient_id == leader} == {-5}
    assert (
        Notification.objects.filter(user__username="yx_reporter", title__contains="已逾期 7 天").count() == 1
    )
    assert not Notification.objects.filter(user__username="yx_reporter", title__contains="今天到期").exists()


def test_a_done_item_is_not_reminded(item):
    item["done"] = True
    assert engine.sweep(D(2025, 4, 23)).recorded == 0


def test_policy_per_pairing_changes_the_offsets(item, demo):
    ReminderPolicy.objects.create(pairing=demo["jy"], days_before=[14, 3], overdue_every=3, catch_up_days=0)
    assert engine.sweep(D(2025, 4, 23)).recorded == 0
    assert {p.offset for p in engine.sweep(D(2025, 4, 27)).planned} == {3}
    assert {p.offset for p in engine.sweep(D(2025, 5, 3)).planned} == {-3}


def test_working_day_offsets_follow_chinas_holidays(item, demo):
    # 2025-04-30 is a working day before the May Day holiday; 1 working day before it is 04-29,
    # 3 working days before is 04-27 (a Sunday that was a make-up working day).
    ReminderPolicy.objects.create(pairing=demo["jy"], days_before=[3], working_days=True, catch_up_days=0)
    assert engine.sweep(D(2025, 4, 26)).recorded == 0
    assert {p.offset for p in engine.sweep(D(2025, 4, 27)).planned} == {3}


def test_muted_users_get_the_notification_but_no_email(item, users):
    Preference.objects.create(user=users["yx_reporter"], muted=True)
    engine.sweep(D(2025, 4, 23))
    assert Notification.objects.filter(user=users["yx_reporter"]).exists()
    assert not OutboxMessage.objects.filter(user=users["yx_reporter"]).exists()


def test_weekly_digest_waits_for_monday(item, users):
    Preference.objects.create(user=users["yx_reporter"], frequency="weekly")
    engine.sweep(D(2025, 4, 23))  # a Wednesday
    message = OutboxMessage.objects.get(user=users["yx_reporter"])
    assert message.digest_date == D(2025, 4, 28)
    delivery.deliver(now=timezone.make_aware(datetime.datetime(2025, 4, 25, 9, 0)))
    assert not [m for m in mail.outbox if users["yx_reporter"].email in m.to]
    delivery.deliver(now=timezone.make_aware(datetime.datetime(2025, 4, 28, 9, 0)))
    assert [m for m in mail.outbox if users["yx_reporter"].email in m.to]


def test_digest_email_is_chinese_with_links_and_sent_once(item, users, settings):
    settings.SITE_URL = "https://shanhai.example.gov.cn"
    engine.sweep(D(2025, 4, 23))
    now = timezone.make_aware(datetime.datetime(2025, 4, 23, 8, 31))
    assert delivery.deliver(now=now)["sent"] == 3
    assert delivery.deliver(now=now)["sent"] == 0
    email = next(m for m in mail.outbox if m.to == [users["yx_reporter"].email])
    assert email.subject.startswith("【山海协作】2025-04-23 提醒：逾期 0 项，即将到期 1 项")
    assert "尤溪县：教育专技人员交流 应于 2025-04-30 前完成（7 天后到期）" in email.body
    assert (
        f"https://shanhai.example.gov.cn/pairings/{item and ''}" in email.body
        or "https://shanhai.example.gov.cn/pairings/" in email.body
    )
    html = (
        email.alternatives[0][0]
        if isinstance(email.alternatives[0], tuple)
        else email.alternatives[0].content
    )
    assert '<a href="https://shanhai.example.gov.cn/pairings/' in html


def test_a_refusing_mail_server_is_retried_with_backoff_then_marked_failed(item, monkeypatch):
    engine.sweep(D(2025, 4, 23))

    def refuse(message):
        raise ConnectionRefusedError("mail server refused")

    monkeypatch.setattr(delivery, "send_digest_email", refuse)
    now = timezone.make_aware(datetime.datetime(2025, 4, 23, 8, 31))
    assert delivery.deliver(now=now) == {"sent": 0, "retry": 3, "failed": 0}
    message = OutboxMessage.objects.filter(channel="email").first()
    assert message.status == "pending" and message.attempts == 1 and "refused" in message.last_error
    assert message.next_attempt_at == now + datetime.timedelta(minutes=1)
    assert delivery.deliver(now=now)["retry"] == 0  # not before the backoff
    for _ in range(delivery.MAX_ATTEMPTS):
        now += datetime.timedelta(hours=7)
        delivery.deliver(now=now)
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == delivery.MAX_ATTEMPTS
    monkeypatch.undo()


def test_send_reminders_dry_run_prints_and_changes_nothing(item, capsys):
    call_command("send_reminders", "--date", "2025-04-23", "--dry-run")
    out = capsys.readouterr().out
    assert "yx_reporter" in out and "尤溪县：教育专技人员交流 应于 2025-04-30 前完成（7 天后到期）" in out
    assert (
        ReminderLedger.objects.count() == 0
        and Notification.objects.count() == 0
        and OutboxMessage.objects.count() == 0
    )


def test_send_reminders_records_and_sends(item):
    call_command("send_reminders", "--date", "2025-04-23")
    assert ReminderLedger.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_due_date_on_a_holiday_is_shown_with_the_last_working_day(demo, monkeypatch):
    # 2025-05-31 is a Saturday (and the Dragon Boat holiday): plan by Friday 2025-05-30.
    from core.templatetags.shanhai import workday_note

    unit = Unit.objects.get(name="尤溪县教育局")

    def provider(start, end, as_of):
        yield deadlines.DeadlineItem(
            "test.item:9", D(2025, 5, 31), demo["jy"].pk, (unit.pk,), "温州：年度资金", "/x/"
        )

    monkeypatch.setattr(deadlines, "providers", lambda: [provider])
    engine.sweep(D(2025, 5, 24))
    title = Notification.objects.filter(user__username="yx_reporter").get().title
    assert "2025-05-31 为非工作日，请于 2025-05-30 前办结" in title
    assert workday_note(D(2025, 5, 31)) == "（非工作日，最后工作日 2025-05-30）"
    assert workday_note(D(2025, 5, 30)) == ""


def test_a_sweep_runs_the_same_number_of_queries_for_one_unit_or_every_unit(demo, monkeypatch):
    """The daily sweep at province size must not run a query per item, recipient, notice or digest:
    the same count for one overdue item as for one per unit with users, all of them reminded and urged
    (催办单) on one day and escalated (督办) on a later one — never both the same day — with e-mails
    queued for everybody."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.models import UrgingNotice

    due = D(2025, 3, 3)
    day = due + datetime.timedelta(days=56)  # an overdue moment (every 7 days), past urging and escalation
    with_users = sorted(
        set(
            User.objects.filter(is_active=True, unit__isnull=False, role__in=["liaison", "reporter"])
            .exclude(email="")
            .values_list("unit_id", flat=True)
        )
    )
    assert len(with_users) >= 5
    jy = demo["jy"].pk

    def sweep_for(units: list[int], tag: str) -> tuple[int, engine.SweepResult]:
        def provider(start, end, as_of):
            for unit_id in units:
                yield deadlines.DeadlineItem(
                    key=f"test.{tag}:{unit_id}",
                    due=due,
                    pairing_id=jy,
                    unit_ids=(unit_id,),
                    summary=f"第 {unit_id} 项",
                    url=f"/pairings/{jy}/",
                )

        monkeypatch.setattr(deadlines, "providers", lambda: [provider])
        with CaptureQueriesContext(connection) as queries:
            result = engine.sweep(day)  # reminded and urged (催办)
        with CaptureQueriesContext(connection) as later:
            engine.sweep(escalation_day)  # the 催办 unsigned past its sign-by date: 督办
        return len(queries), len(later), result

    escalation_day = day + datetime.timedelta(days=3)
    sweep_for(with_users[:1], "first")  # the days' digests exist from now on: later sweeps add to them
    one, one_later, small = sweep_for(with_users[:2], "one")
    many, many_later, big = sweep_for(with_users, "many")
    assert big.recorded > small.recorded > 0
    assert UrgingNotice.objects.filter(item_key__startswith="test.many:").count() == len(with_users)
    assert UrgingNotice.objects.filter(
        item_key__startswith="test.many:", escalated_on=escalation_day, level="supervise"
    ).count() == len(with_users)
    # Every new notice has its history row, written by the system.
    notice = UrgingNotice.objects.filter(item_key__startswith="test.many:").first()
    assert notice.history.filter(history_type="+").count() == 1
    assert notice.history.filter(history_type="~").first().escalated_on == escalation_day
    assert many == one, f"{one} queries for one unit, {many} for {len(with_users)}"
    assert many_later == one_later, f"{one_later} queries for one unit, {many_later} for {len(with_users)}"


def test_a_provider_that_raises_is_logged_and_the_others_reminders_still_go_out(item, monkeypatch, caplog):
    """One app's deadlines failing (a bug, a bad row) must not cost every other app its reminders."""
    working = deadlines.providers()[0]

    def broken(start, end, as_of):
        yield from ()
        raise RuntimeError("a provider's bug")

    monkeypatch.setattr(deadlines, "providers", lambda: [broken, working])
    with caplog.at_level("ERROR", logger="core.deadlines"):
        result = engine.sweep(D(2025, 4, 23))
    assert {p.item.key for p in result.planned} == {"test.item:1"}
    assert Notification.objects.filter(title__contains="教育专技人员交流").exists()
    assert any("broken" in record.getMessage() for record in caplog.records)
