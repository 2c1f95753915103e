"""Celery tasks of the funds app, scheduled by beat."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from funds import yearly


@shared_task(name="funds.open_year")
def open_year() -> dict:
    """The current year's periods and commitments of open-ended work (daily; idempotent)."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        periods, commitments = yearly.open_year(timezone.localdate().year)
    return {"periods": periods, "commitments": commitments}
