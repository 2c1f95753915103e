"""Beat stopped for three days, then started: what fell due meanwhile goes out once.

A real `celery beat` (tests/faults/beat_app.py: the project's app, the sweep every 2 s) sends the
sweep for a given day, as the daily schedule would on that day; a real worker runs it and mails a
real SMTP server. Beat runs on Sunday 2025-04-20, is stopped, and is started again on Wednesday
2025-04-23. The reference is what three daily sweeps (Mon, Tue, Wed) would have recorded, computed
in a transaction that is rolled back.
"""

from __future__ import annotations

import datetime
import os
import re
import time

import pytest
from django.db import transaction

from reminders import engine
from reminders.models import OutboxMessage, ReminderLedger, UrgingNotice
from tests.harness import app_env, log_text, start_beat, start_worker, stop, wait_for, worker_ready

STOPPED = datetime.date(2025, 4, 20)  # a Sunday: beat's last run before the gap
RESTARTED = datetime.date(2025, 4, 23)  # three days later
GAP = [STOPPED + datetime.timedelta(days=n) for n in (1, 2, 3)]

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def ledger() -> set[tuple]:
    return set(ReminderLedger.objects.values_list("item_key", "due", "offset", "recipient_id"))


def notices() -> set[tuple]:
    return set(UrgingNotice.objects.values_list("item_key", "due", "unit_id"))


def what_daily_sweeps_would_have_recorded() -> tuple[set, set]:
    """The sweeps beat would have sent on each day of the gap, run and rolled back."""
    before, before_notices = ledger(), notices()
    with transaction.atomic():
        for day in GAP:
            engine.sweep(day)
        expected, expected_notices = ledger() - before, notices() - before_notices
        transaction.set_rollback(True)
    assert ledger() == before
    return expected, expected_notices


def sweeps_done(log) -> int:
    """How many sweeps the worker has finished (beat sends one every 2 s)."""
    return len(re.findall(r"Task reminders\.sweep\[[0-9a-f-]+\] succeeded", log_text(log)))


def run_beat_for(day, env, queue, folder, beat_log, worker_log, already: int):
    beat = start_beat(env, folder, beat_log, day=day.isoformat(), queue=queue, every=2)
    try:
        # Several ticks: the same day's sweep runs again and again, as a restarted beat may send it.
        wait_for(lambda: sweeps_done(worker_log) >= already + 3, 180, f"three sweeps of {day}")
    finally:
        stop(beat)
    # Let a tick sent just before beat stopped finish too.
    time.sleep(3)
    return sweeps_done(worker_log)


def overdue_on_the_last_day_before_the_gap() -> None:
    """A one-off task of Jinjiang's liaison unit due 13 April: a week overdue on Sunday the 20th, so
    beat's last sweep before the gap has something to send. (The demo's own items of that week are
    done by then — the fund-use list — or in a locked year.)"""
    from cooperation.models import Pairing, Unit
    from tasks import services as task_services
    from tasks.models import Task, TaskUnit

    jy = Pairing.objects.get(name="晋江市—尤溪县山海协作")
    task = Task.objects.create(
        pairing=jy,
        title="报送一季度山海协作工作进展",
        start_year=2025,
        end_year=2025,
        deadline_kind=Task.DeadlineKind.ONCE,
        deadline_date=datetime.date(2025, 4, 13),
        position=999,
    )
    TaskUnit.objects.create(task=task, unit=Unit.objects.get(name="晋江市农业农村局"), role="lead")
    task_services.sync_periods(task)


@pytest.mark.slow
def test_beat_stopped_for_three_days_sends_what_fell_due_meanwhile_once(
    postgres, private_redis, smtp, tmp_path
):
    overdue_on_the_last_day_before_the_gap()
    env = app_env(redis_url=private_redis.url(), smtp_port=smtp.port)
    queue = f"faults-beat-{os.getpid()}-{time.time_ns()}"
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = start_worker(env, queue, worker_log)
    try:
        wait_for(lambda: worker_ready(worker_log), 90, "the worker")
        done = run_beat_for(STOPPED, env, queue, tmp_path, beat_log, worker_log, 0)
        first_mails = len(smtp.messages)
        assert first_mails == OutboxMessage.objects.filter(channel="email", digest_date=STOPPED).count() > 0
        before = ledger()

        expected, expected_notices = what_daily_sweeps_would_have_recorded()
        assert any(offset == 7 and due == datetime.date(2025, 4, 30) for _k, due, offset, _r in expected)

        # Three days later beat starts again (same schedule file, as after a reboot).
        run_beat_for(RESTARTED, env, queue, tmp_path, beat_log, worker_log, done)
        wait_for(
            lambda: not OutboxMessage.objects.filter(channel="email").exclude(status="sent").exists(),
            120,
            "the digests of the restart",
        )
    finally:
        stop(worker)

    # Every reminder of the three days was recorded, once, and nothing else.
    assert ledger() - before == expected
    assert notices() >= expected_notices
    # One digest per person for the day beat came back, each delivered once.
    late = OutboxMessage.objects.filter(channel="email", digest_date=RESTARTED)
    addresses = sorted(late.values_list("user__email", flat=True))
    assert addresses and sorted(m["To"] for m in smtp.messages[first_mails:]) == addresses
    assert len(smtp.messages) == first_mails + len(addresses)
    body = smtp.body_for("jj_liaison@shanhai.example")
    assert body.count("尤溪县：¥12,000,000 应于 2025-04-30 前到位 — 已付 ¥0（7 天后到期）") == 1
