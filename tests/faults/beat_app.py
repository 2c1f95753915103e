"""A real `celery beat` with a short schedule, for the fault tests: `celery -A tests.faults.beat_app beat`.

The project's schedule sweeps once a day at REMINDER_SWEEP_AT; a test cannot wait a day. This app is
the project's own Celery app with only the schedule replaced: `reminders.sweep` every
FAULTS_BEAT_EVERY seconds for the day FAULTS_BEAT_DAY (the sweep's date argument stands in for the
calendar), exactly as beat sends it; and `assessment.requeue_exports` (every minute in the project's
schedule) at the same pace.
"""

from __future__ import annotations

import os

from shanhai.celery import app

_every = float(os.environ.get("FAULTS_BEAT_EVERY", "3"))
_day = os.environ.get("FAULTS_BEAT_DAY") or None
_queue = os.environ.get("FAULTS_BEAT_QUEUE") or None

app.conf.beat_schedule = {
    "reminders-sweep": {
        "task": "reminders.sweep",
        "schedule": _every,
        "kwargs": {"day": _day} if _day else {},
        "options": {"queue": _queue} if _queue else {},
    },
    "assessment-requeue-exports": {
        "task": "assessment.requeue_exports",
        "schedule": _every,
        "options": {"queue": _queue} if _queue else {},
    },
}
