"""Reminders through a real Celery worker on Redis, into a real SMTP server.

The e-mails arrive once, with the right items; the same sweep delivered three times sends nothing
more; a worker killed while the sweep is queued to it, then replaced, loses nothing and sends
nothing twice. Needs PostgreSQL (the worker is another process) and Redis: with CI=true these
fail when either is missing.
"""

from __future__ import annotations

import datetime
import os
import signal
import time

import pytest
from django.db import connection

from cooperation.models import User
from reminders import engine
from reminders.models import OutboxMessage, ReminderLedger
from tests.harness import HeldLock, app_env, backend_pids_waiting_on_locks, start_worker, stop, wait_for

from ..conftest import redis_reachable, redis_url, require

DAY = "2025-04-23"
LOCK_LEDGER = "LOCK TABLE reminders_reminderledger IN EXCLUSIVE MODE"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def services(demo):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    require(redis_reachable(), "Redis at REDIS_URL")


@pytest.fixture
def inbox(services, smtp):
    """The real SMTP server of the test (tests/harness.py) and its port."""
    return smtp, smtp.port


@pytest.fixture
def worker_env(inbox, tmp_path):
    _handler, port = inbox
    queue = f"test-reminders-{os.getpid()}-{time.time_ns()}"
    return app_env(redis_url=redis_url(), smtp_port=port), queue, tmp_path


def send_sweep(queue: str) -> None:
    # send_task always goes through the broker (eager mode is for the in-process tests).
    from shanhai.celery import app

    app.send_task("reminders.sweep", kwargs={"day": DAY}, queue=queue)


def reminded_addresses() -> set[str]:
    """Who the day's reminders go to, before anything is sent (the escalations come on top)."""
    planned = engine.plan(datetime.date.fromisoformat(DAY))
    people = User.objects.filter(pk__in={p.recipient_id for p in planned}).exclude(email="")
    return set(people.values_list("email", flat=True))


def all_digests_sent() -> bool:
    emails = OutboxMessage.objects.filter(channel="email")
    return emails.exists() and not emails.exclude(status="sent").exists()


def digest_addresses() -> list[str]:
    return sorted(OutboxMessage.objects.filter(channel="email").values_list("user__email", flat=True))


@pytest.mark.slow
@pytest.mark.serial  # workers on the run's own Redis (4 s visibility timeout); counts what arrives
def test_the_worker_sends_each_digest_once_even_when_the_sweep_is_delivered_three_times(inbox, worker_env):
    handler, _port = inbox
    env, queue, tmp = worker_env
    reminded = reminded_addresses()
    assert "jj_liaison@shanhai.example" in reminded
    worker = start_worker(env, queue, tmp / "worker.log")
    try:
        send_sweep(queue)
        wait_for(all_digests_sent, 90, "the digests")
        ledger = ReminderLedger.objects.count()
        send_sweep(queue)
        send_sweep(queue)
        time.sleep(6)  # both duplicates processed (they take well under a second each)
    finally:
        stop(worker)
    # Every queued digest arrived exactly once; everybody reminded got one.
    assert handler.recipients() == digest_addresses()
    assert len(set(handler.recipients())) == len(handler.messages)
    assert reminded <= set(handler.recipients())
    assert ReminderLedger.objects.count() == ledger
    body = handler.body_for("jj_liaison@shanhai.example")
    assert "尤溪县：¥12,000,000 应于 2025-04-30 前到位 — 已付 ¥0（7 天后到期）" in body
    assert "https://shanhai.example.gov.cn/funds/" in body
    assert handler.subject_for("jj_liaison@shanhai.example").startswith("【山海协作】2025-04-23 提醒")


@pytest.mark.slow
@pytest.mark.serial  # kills a worker on the run's own Redis (4 s visibility timeout); counts what arrives
def test_a_worker_killed_with_the_sweep_in_hand_loses_nothing_and_sends_nothing_twice(inbox, worker_env):
    handler, _port = inbox
    env, queue, tmp = worker_env
    reminded = reminded_addresses()
    log = tmp / "worker.log"
    # The sweep in hand, for certain: it plans, then blocks at its first write behind our lock, inside
    # its transaction. (Killed by the clock instead, a fast worker had sometimes already claimed a
    # digest for delivery, which by design waits out the 10-minute claim before going again.)
    lock = HeldLock(LOCK_LEDGER)
    send_sweep(queue)
    first = start_worker(env, queue, log)
    try:
        pids = wait_for(backend_pids_waiting_on_locks, 90, "the worker to take the sweep")
        # Kill the whole worker (main process and pool child) with the sweep in hand.
        stop(first, signal.SIGKILL)
        lock.terminate(pids)
        lock.release()
        assert ReminderLedger.objects.count() == 0  # its transaction died with it
        second = start_worker(env, queue, log)
        try:
            wait_for(all_digests_sent, 120, "the digests after the restart")
            time.sleep(3)
        finally:
            stop(second)
    finally:
        lock.release()
        stop(first, signal.SIGKILL)
    assert handler.recipients() == digest_addresses()
    assert len(set(handler.recipients())) == len(handler.messages)
    assert reminded <= set(handler.recipients())
