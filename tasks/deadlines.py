"""Deadlines of the tasks app for the reminder registry (core/deadlines.py).

One per task period with a due date that was still open on the day: not done by then (completed
later, or not at all) and not paused. Two kinds of period are not chased from here: those of a
locked year (the lock recorded the year's outcome) and those proved by the funds ledger where the
year has its commitment (the funds app chases that obligation once, as the commitment's payment,
arrival or fund-use list); a fund-kept year without a commitment is chased here, as the task.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q

from core.deadlines import DeadlineItem
from core.links import pk_url
from core.queries import in_one_param
from tasks.fulfilment import FUND_KINDS
from tasks.models import Task, TaskPeriod, TaskUnit, YearLock, period_key


def deadlines(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Iterator[DeadlineItem]:
    done_by_then = Q(status=TaskPeriod.Status.DONE) & (
        Q(completed_on__isnull=True) | Q(completed_on__lte=as_of)
    )
    # A fund-kept period is chased by the funds app as its year's commitment (the money, its arrival,
    # the use list); a year without a commitment has nothing there to chase, so it is chased here.
    chased_by_funds = Task.objects.filter(
        pk=OuterRef("task_id"), fulfilment__in=FUND_KINDS, fund_rule__commitments__year=OuterRef("year")
    )
    periods = (
        TaskPeriod.objects.filter(due_date__range=(start, end))
        .exclude(done_by_then)
        .exclude(status=TaskPeriod.Status.PAUSED)
        .exclude(Exists(chased_by_funds))
        .exclude(
            Exists(
                YearLock.objects.filter(
                    pairing_id=OuterRef("task__pairing_id"), year=OuterRef("year"), locked=True
                )
            )
        )
        .values_list(
            "pk",
            "due_date",
            "year",
            "task_id",
            "task__number",
            "task__title",
            "task__pairing_id",
            "task__pairing__name",
        )
    )
    rows = list(periods)
    # The units of those tasks in one query (a sweep at province scale covers tens of thousands of
    # periods: plain rows, not model instances, and the page's URL built once, not reversed per row).
    units: dict[int, set[int]] = defaultdict(set)
    # The task ids go in one parameter (core/queries.py): one query however many, within any limit.
    task_ids = in_one_param({row[3] for row in rows}, integers=True)
    for task_id, unit_id in (
        TaskUnit.objects.filter(task_id__in=task_ids).order_by().values_list("task_id", "unit_id")
    ):
        units[task_id].add(unit_id)
    url = pk_url("tasks:task_detail")
    for pk, due, year, task_id, number, title, pairing_id, pairing_name in rows:
        name = f"{number} {title}".strip()
        yield DeadlineItem(
            key=period_key(pk),
            due=due,
            pairing_id=pairing_id,
            unit_ids=tuple(sorted(units[task_id])),
            summary=f"{pairing_name}：{name}（{year}年）应于 {due:%Y-%m-%d} 前完成",
            url=url(task_id) + f"#period-{pk}",
            kind="task",
        )
