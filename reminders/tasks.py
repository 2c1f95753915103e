"""Celery tasks: thin wrappers around the engine and the delivery, scheduled by beat.

Beat runs `sweep_reminders` daily (REMINDER_SWEEP_AT, default 08:30 Asia/Shanghai) and
`deliver_reminders` every few minutes for retries. Both are idempotent: a duplicate delivery of the
task message, two beats, or a restart changes nothing.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from reminders import delivery, engine


@shared_task(name="reminders.sweep", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def sweep_reminders(day: str | None = None) -> dict:
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        when = datetime.date.fromisoformat(day) if day else timezone.localdate()
        result = engine.sweep(when)
        sent = delivery.deliver()
    return {"recorded": result.recorded, "emails": result.emails, "webhooks": result.webhooks, **sent}


@shared_task(name="reminders.deliver")
def deliver_reminders() -> dict:
    return delivery.deliver()
