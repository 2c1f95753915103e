"""Scale out: two Celery workers on one Redis and one PostgreSQL send each reminder exactly once.

The deployment grows by adding worker processes, never by home-made locking: both workers take
sweeps of the same day at the same time, and the ledger's unique constraint (reminders/engine.py)
and the outbox's conditional claim (reminders/delivery.py) make every reminder recorded once and
every digest e-mail arrive once. Needs PostgreSQL and Redis (CI=true: fails without them).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from reminders import engine
from reminders.models import OutboxMessage, ReminderLedger
from tests.harness import start_worker, stop, wait_for

from .test_worker import (  # noqa: F401 — fixtures used by name
    DAY,
    all_digests_sent,
    digest_addresses,
    inbox,
    reminded_addresses,
    send_sweep,
    services,
    worker_env,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def took_sweep(log: Path) -> bool:
    text = log.read_text(errors="replace")
    return "reminders.sweep" in text and "succeeded" in text


@pytest.mark.serial  # two workers on the run's own Redis; counts what each one did
def test_two_workers_taking_the_same_sweeps_send_each_reminder_once(inbox, worker_env):  # noqa: F811
    handler, _port = inbox
    env, queue, tmp = worker_env
    planned = engine.plan(datetime.date.fromisoformat(DAY))
    expected_ledger = {(p.item.key, p.item.due, p.offset, p.recipient_id) for p in planned}
    reminded = reminded_addresses()
    assert expected_ledger and "jj_liaison@shanhai.example" in reminded

    logs = [tmp / "worker-a.log", tmp / "worker-b.log"]
    # Each with a node name of its own (two workers of one host must not share one).
    workers = [start_worker(env, queue, log, name=name) for name, log in zip("ab", logs, strict=True)]
    try:
        # Both workers listening before anything is queued, or the first one up takes every sweep.
        wait_for(
            lambda: (
                all("ready." in log.read_text(errors="replace") for log in logs if log.exists())
                and all(log.exists() for log in logs)
            ),
            180,
            "both workers to start",
        )
        # Six sweeps of the same day queued at once: each worker holds one (prefetch 1) while the
        # other takes the next, so the two run the same sweep concurrently.
        for _ in range(6):
            send_sweep(queue)
        wait_for(lambda: all(took_sweep(log) for log in logs), 120, "both workers to run a sweep")
        wait_for(all_digests_sent, 90, "the digests")
        # Let every queued duplicate finish before counting.
        wait_for(
            lambda: sum(log.read_text(errors="replace").count("succeeded") for log in logs) >= 6,
            90,
            "all six sweeps",
        )
    finally:
        for worker in workers:
            stop(worker)

    # Each reminder of the day is in the ledger once, whichever worker recorded it.
    ledger = set(ReminderLedger.objects.values_list("item_key", "due", "offset", "recipient_id"))
    assert ledger == expected_ledger
    assert ReminderLedger.objects.count() == len(expected_ledger)
    # One digest per person, sent once, and every message that arrived was one of them.
    assert handler.recipients() == digest_addresses()
    assert len(set(handler.recipients())) == len(handler.messages)
    assert reminded <= set(handler.recipients())
    assert (
        not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).filter(channel="email").exists()
    )
