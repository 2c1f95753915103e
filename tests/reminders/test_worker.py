"""Reminders through a real Celery worker on Redis, into a real SMTP server.

The e-mails arrive once, with the right items; the same sweep delivered three times sends nothing
more; a worker killed while the sweep is queued to it, then replaced, loses nothing and sends
nothing twice. Needs PostgreSQL (the worker is another process) and Redis: with CI=true these
fail when either is missing.
"""

from __future__ import annotations

import datetime
import email
import os
import signal
import socket
import subprocess
import sys
import time
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.db import connection

from cooperation.models import User
from reminders import engine
from reminders.models import OutboxMessage, ReminderLedger

from ..conftest import redis_reachable, redis_url, require

ROOT = Path(__file__).resolve().parent.parent.parent
DAY = "2025-04-23"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(m["To"] for m in self.messages)

    def body_for(self, address: str) -> str:
        message = next(m for m in self.messages if m["To"] == address)
        part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")

    def subject_for(self, address: str) -> str:
        message = next(m for m in self.messages if m["To"] == address)
        return str(make_header(decode_header(message["Subject"])))


@pytest.fixture
def services(demo):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    require(redis_reachable(), "Redis at REDIS_URL")


@pytest.fixture
def inbox(services):
    from aiosmtpd.controller import Controller

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def worker_env(inbox, tmp_path):
    _handler, port = inbox
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"test-reminders-{os.getpid()}-{time.time_ns()}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": "https://shanhai.example.gov.cn",
        # A dead worker's task comes back within seconds, not an hour.
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    return env, queue, tmp_path


def start_worker(env: dict, queue: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shanhai",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def send_sweep(queue: str) -> None:
    # send_task always goes through the broker (eager mode is for the in-process tests).
    from shanhai.celery import app

    app.send_task("reminders.sweep", kwargs={"day": DAY}, queue=queue)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


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


def test_a_worker_killed_with_the_sweep_in_hand_loses_nothing_and_sends_nothing_twice(inbox, worker_env):
    handler, _port = inbox
    env, queue, tmp = worker_env
    reminded = reminded_addresses()
    log = tmp / "worker.log"
    send_sweep(queue)
    first = start_worker(env, queue, log)
    try:
        # Kill the whole worker (main process and pool child) as soon as it has taken the task.
        wait_for(
            lambda: "reminders.sweep" in log.read_text(errors="replace"), 60, "the worker to take the sweep"
        )
        stop(first, signal.SIGKILL)
        second = start_worker(env, queue, log)
        try:
            wait_for(all_digests_sent, 120, "the digests after the restart")
            time.sleep(3)
        finally:
            stop(second)
    finally:
        stop(first, signal.SIGKILL)
    assert handler.recipients() == digest_addresses()
    assert len(set(handler.recipients())) == len(handler.messages)
    assert reminded <= set(handler.recipients())
