"""Reminder sweeps on real Celery workers that are killed, and a sweep enqueued twice at once.

tests/reminders/test_worker.py covers a sweep delivered three times in a row and a worker killed as
soon as it received the sweep. Here the kill lands at chosen points *inside* the work: a second
database connection of the test holds a lock, the sweep blocks at its first write (inside its
transaction), and the test kills the pool child there, then the whole worker; or the SMTP server
kills the worker while a digest is being handed over. Every digest must arrive exactly once and
every reminder be recorded once.
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import time

import pytest
from django.utils import timezone

from reminders import delivery, engine
from reminders.models import Notification, OutboxMessage, ReminderLedger
from tests.harness import (
    HeldLock,
    app_env,
    backend_pids_waiting_on_locks,
    broker,
    children,
    log_text,
    start_worker,
    stop,
    wait_for,
    worker_ready,
)

DAY = "2025-04-23"
LOCK_LEDGER = "LOCK TABLE reminders_reminderledger IN EXCLUSIVE MODE"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stack(postgres, private_redis, smtp, tmp_path):
    """A worker's environment on a private Redis and a real SMTP server; its own queue and log."""
    env = app_env(redis_url=private_redis.url(), smtp_port=smtp.port)
    queue = f"faults-reminders-{os.getpid()}-{time.time_ns()}"
    return env, queue, tmp_path / "worker.log", broker(private_redis.url())


def planned_reminders() -> set[tuple]:
    planned = engine.plan(datetime.date.fromisoformat(DAY))
    assert planned, "the demo has reminders due on the test day"
    return {(p.item.key, p.item.due, p.offset, p.recipient_id) for p in planned}


def ledger() -> list[tuple]:
    return list(ReminderLedger.objects.values_list("item_key", "due", "offset", "recipient_id"))


def digest_addresses() -> list[str]:
    return sorted(OutboxMessage.objects.filter(channel="email").values_list("user__email", flat=True))


def all_digests_sent() -> bool:
    emails = OutboxMessage.objects.filter(channel="email")
    return emails.exists() and not emails.exclude(status="sent").exists()


def assert_each_reminder_once(smtp, expected: set[tuple]) -> None:
    rows = ledger()
    assert len(rows) == len(set(rows)) and set(rows) == expected
    # In the app: one notification per person and line, however often the sweep ran.
    titles = list(Notification.objects.values_list("user_id", "title"))
    assert len(titles) == len(set(titles))
    # By mail: one digest per person, each delivered once.
    assert smtp.recipients() == digest_addresses()
    assert len(set(smtp.recipients())) == len(smtp.messages)
    body = smtp.body_for("jj_liaison@shanhai.example")
    assert body.count("尤溪县：¥12,000,000 应于 2025-04-30 前到位 — 已付 ¥0（7 天后到期）") == 1


def blocked_backend() -> list[int]:
    return wait_for(backend_pids_waiting_on_locks, 90, "the sweep to block at its first write")


@pytest.mark.slow
def test_a_sweep_killed_in_its_transaction_in_the_pool_child_then_with_the_whole_worker_reminds_once(
    stack, smtp
):
    env, queue, log, app = stack
    expected = planned_reminders()
    worker = start_worker(env, queue, log)
    second = None
    lock = HeldLock(LOCK_LEDGER)
    try:
        wait_for(lambda: worker_ready(log), 90, "the worker")
        task = app.send_task("reminders.sweep", kwargs={"day": DAY}, queue=queue)

        # 1. The sweep has planned and is about to record: kill its pool child (SIGKILL, like the OOM killer).
        pids = blocked_backend()
        (child,) = children(worker.pid)
        os.kill(child, signal.SIGKILL)
        lock.terminate(pids)
        wait_for(lambda: "WorkerLostError" in log_text(log), 60, "the worker to notice its child died")

        # 2. Celery gives the task back at once (acks_late + reject_on_worker_lost); the new child
        # blocks at the same place. Now kill the whole worker, main process and pool.
        pids = wait_for(
            lambda: [p for p in backend_pids_waiting_on_locks() if p not in pids],
            90,
            "the re-delivered sweep to block again",
        )
        stop(worker, signal.SIGKILL)
        lock.terminate(pids)
        lock.release()
        assert ReminderLedger.objects.count() == 0 and not smtp.messages  # both attempts rolled back

        # 3. A new worker gets the unacknowledged sweep back after the visibility timeout.
        second = start_worker(env, queue, log)
        wait_for(all_digests_sent, 180, "the digests after the restart")
        time.sleep(2)
    finally:
        lock.release()
        stop(worker, signal.SIGKILL)
        stop(second)
    # One message, received three times: by the killed child, by the killed worker, by the new worker.
    assert re.findall(r"Task reminders\.sweep\[([0-9a-f-]+)\] received", log_text(log)) == [task.id] * 3
    assert_each_reminder_once(smtp, expected)


@pytest.mark.slow
def test_a_worker_killed_while_handing_a_digest_to_the_mail_server_sends_each_digest_once(
    stack, smtp, settings
):
    env, queue, log, app = stack
    expected = planned_reminders()
    worker = start_worker(env, queue, log)
    second = None
    state = {"count": 0, "killed": None}

    def kill_on_second_message(message):
        # The worker is inside deliver(), halfway through the digests, waiting for our answer.
        state["count"] += 1
        if state["count"] == 2:
            state["killed"] = message["To"]
            stop(worker, signal.SIGKILL)
            return "451 4.3.0 connection lost"  # never accepted: the sender is gone
        return None

    smtp.on_message = kill_on_second_message
    try:
        wait_for(lambda: worker_ready(log), 90, "the worker")
        app.send_task("reminders.sweep", kwargs={"day": DAY}, queue=queue)
        wait_for(lambda: worker.poll() is not None, 120, "the worker to be killed mid-delivery")
        smtp.on_message = None
        interrupted = OutboxMessage.objects.get(user__email=state["killed"], channel="email")
        # Claimed by the dead worker: nobody may send it until the claim times out.
        assert interrupted.status == "sending"

        second = start_worker(env, queue, log)
        others = OutboxMessage.objects.filter(channel="email").exclude(pk=interrupted.pk)
        wait_for(
            lambda: not others.exclude(status="sent").exists(), 180, "the other digests after the restart"
        )
        interrupted.refresh_from_db()
        assert interrupted.status == "sending"
        assert state["killed"] not in smtp.recipients()
    finally:
        smtp.on_message = None
        stop(worker, signal.SIGKILL)
        stop(second)

    # The next delivery run after the claim has timed out (beat's `reminders.deliver`, every 5
    # minutes) sends it, through the same real SMTP server.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp.port, "timeout": 10},
        }
    }
    later = timezone.now() + delivery.CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    assert delivery.deliver(now=later) == {"sent": 1, "retry": 0, "failed": 0}
    assert delivery.deliver(now=later + datetime.timedelta(hours=1)) == {"sent": 0, "retry": 0, "failed": 0}
    assert state["killed"] in smtp.recipients()
    assert_each_reminder_once(smtp, expected)


def test_the_same_sweep_enqueued_twice_at_once_reminds_once(stack, smtp):
    env, queue, log, app = stack
    expected = planned_reminders()
    # Two pool processes, and both sweeps held at the same point, then let go together.
    worker = start_worker(env, queue, log, concurrency=2)
    lock = HeldLock(LOCK_LEDGER)
    try:
        wait_for(lambda: worker_ready(log), 90, "the worker")
        app.send_task("reminders.sweep", kwargs={"day": DAY}, queue=queue)
        app.send_task("reminders.sweep", kwargs={"day": DAY}, queue=queue)
        wait_for(lambda: len(backend_pids_waiting_on_locks()) >= 2, 120, "both sweeps to block together")
        lock.release()
        wait_for(lambda: log_text(log).count("succeeded in") >= 2, 180, "both sweeps to finish")
    finally:
        lock.release()
        stop(worker)
    assert all_digests_sent()
    # The loser really raced: its insert hit the ledger's unique constraint and it planned again.
    assert "raced another one; retrying" in log_text(log)
    assert_each_reminder_once(smtp, expected)
