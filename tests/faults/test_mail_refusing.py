"""The mail server refuses (554), then is not even listening, then accepts again.

The first attempt is the real worker's (beat's sweep on a private Redis, SMTP to a real aiosmtpd
server that answers 554). The retries are the delivery job as beat runs it every 5 minutes, with
the clock moved on (`deliver(now=…)`) so that a night of backoff takes no real time; they speak
SMTP to the same real server. The reminder log shows the failure to liaison staff all along, and
the digest arrives once when the server accepts.
"""

from __future__ import annotations

import datetime
import os
import re
import time

import pytest
from django.utils import timezone

from reminders import delivery
from reminders.models import OutboxMessage
from tests.harness import app_env, broker, start_worker, stop, wait_for, worker_ready

DAY = "2025-04-23"
ADDRESS = "yx_liaison@shanhai.example"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def smtp_settings(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }


def log_row(client, user) -> str:
    """The reminder log's line of the digest to `user`, as text."""
    page = client.get("/reminders/log/")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="outbox"') : html.index("</table>", html.index('id="outbox"'))]
    rows = [re.sub(r"<[^>]+>", " ", row) for row in table.split("<tr>") if f"<td>{user}</td>" in row]
    assert len(rows) == 1, rows
    return " ".join(rows[0].split())


def test_refused_mail_is_retried_with_backoff_shown_as_failed_and_delivered_once_it_accepts(
    postgres, private_redis, smtp, settings, tmp_path, client_for
):
    smtp.mode = "refuse"
    env = app_env(redis_url=private_redis.url(), smtp_port=smtp.port)
    queue = f"faults-mail-{os.getpid()}-{time.time_ns()}"
    log = tmp_path / "worker.log"
    worker = start_worker(env, queue, log)
    try:
        wait_for(lambda: worker_ready(log), 90, "the worker")
        started = timezone.now()
        broker(private_redis.url()).send_task("reminders.sweep", kwargs={"day": DAY}, queue=queue)
        digests = OutboxMessage.objects.filter(channel="email")
        wait_for(
            lambda: digests.exists() and not digests.filter(attempts=0).exists(), 120, "the first attempts"
        )
    finally:
        stop(worker)

    # 1. Refused: nothing arrived, every digest waits for a retry one minute later, with the reason.
    assert smtp.refused == digests.count() and not smtp.messages
    message = digests.get(user__email=ADDRESS)
    assert message.status == "pending" and message.attempts == 1
    assert "554" in message.last_error and "mail system unavailable" in message.last_error
    first_try = message.next_attempt_at - datetime.timedelta(minutes=1)
    assert started - datetime.timedelta(seconds=5) <= first_try <= timezone.now()
    liaison = client_for("yx_liaison")
    row = log_row(liaison, message.user)
    assert "发送失败" in row and "554" in row and "重试" in row

    # 2. The server is down altogether for a night: retried with a growing interval, never given up.
    smtp.stop()
    smtp_settings(settings, smtp.port)
    now = message.next_attempt_at
    assert delivery.deliver(now=now - datetime.timedelta(seconds=30))["retry"] == 0  # not before its time
    intervals = []
    while now < first_try + datetime.timedelta(hours=10):
        counts = delivery.deliver(now=now)
        assert counts["sent"] == 0 and counts["failed"] == 0 and counts["retry"] == digests.count()
        message.refresh_from_db()
        intervals.append(message.next_attempt_at - now)
        now = message.next_attempt_at
    assert [i.total_seconds() // 60 for i in intervals[:5]] == [2, 4, 8, 16, 32]
    assert message.status == "pending" and "Connection refused" in message.last_error
    row = log_row(liaison, message.user)
    assert "发送失败" in row and "Connection refused" in row

    # 3. It accepts again: each digest arrives once, and the log says sent.
    smtp.mode = "accept"
    smtp.start()
    assert delivery.deliver(now=now)["sent"] == digests.count()
    assert delivery.deliver(now=now + datetime.timedelta(hours=6)) == {"sent": 0, "retry": 0, "failed": 0}
    assert sorted(smtp.recipients()) == sorted(digests.values_list("user__email", flat=True))
    assert len(set(smtp.recipients())) == len(smtp.messages)
    assert "尤溪县：¥12,000,000 应于 2025-04-30 前到位" in smtp.body_for(ADDRESS)
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == len(intervals) + 2
    assert "已发送" in log_row(liaison, message.user)
