"""The Celery app: `celery -A shanhai worker` / `celery -A shanhai beat` (make worker, make beat)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanhai.settings")

app = Celery("shanhai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="shanhai.ping")
def ping() -> str:
    """Round trip through the broker; used by the health check and the worker test."""
    return "pong"
