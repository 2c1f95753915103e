"""Deadlines of the tasks app for the reminder registry (reminders/registry.py).

One per task period with a due date that was still open on the day: not done by then (completed
later, or not at all) and not paused.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Prefetch, Q

from reminders.registry import DeadlineItem

from .models import TaskPeriod, TaskUnit


def deadlines(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Iterator[DeadlineItem]:
    done_by_then = Q(status=TaskPeriod.Status.DONE) & (
        Q(completed_on__isnull=True) | Q(completed_on__lte=as_of)
    )
    periods = (
        TaskPeriod.objects.filter(due_date__range=(start, end))
        .exclude(done_by_then)
        .exclude(status=TaskPeriod.Status.PAUSED)
        .select_related("task__pairing")
        .prefetch_related(Prefetch("task__task_units", queryset=TaskUnit.objects.only("task_id", "unit_id")))
    )
    for period in periods:
        task = period.task
        name = f"{task.number} {task.title}".strip()
        yield DeadlineItem(
            key=f"tasks.period:{period.pk}",
            due=period.due_date,
            pairing_id=task.pairing_id,
            unit_ids=tuple(sorted({tu.unit_id for tu in task.task_units.all()})),
            summary=f"{task.pairing.name}：{name}（{period.year}年）应于 {period.due_date:%Y-%m-%d} 前完成",
            url=period.get_absolute_url(),
            kind="task",
        )
