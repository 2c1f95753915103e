"""Task periods and responsible units read as plain values, for the lists that show many tasks at once
(the task list, the task API's list): a page's few hundred periods and units as model instances,
each with its related objects and the prefetch machinery around them, cost more than the page's
queries. The rows answer what those lists read of a `TaskPeriod` or a `TaskUnit`, the same way."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils import timezone

from core.states import Standing
from tasks.models import TaskPeriod, TaskUnit


class PeriodRow(NamedTuple):
    pk: int
    task_id: int
    year: int
    due_date: datetime.date | None
    status: str
    completed_on: datetime.date | None

    def standing(self, as_of: datetime.date | None = None) -> Standing:
        """`TaskPeriod.standing`: the one rule of `core.states`."""
        return TaskPeriod.standing_of(
            self.due_date, self.status, self.completed_on, as_of or timezone.localdate()
        )

    @property
    def badge(self) -> str:
        return self.as_period().badge

    @property
    def display_status(self) -> str:
        return self.as_period().display_status

    def as_period(self) -> TaskPeriod:
        """The period as an (unsaved) model instance, for the model's own properties (a badge's
        markup, made once per status and state: `core.templatetags.shanhai._row_badge`)."""
        return TaskPeriod(
            id=self.pk,
            task_id=self.task_id,
            year=self.year,
            due_date=self.due_date,
            status=self.status,
            completed_on=self.completed_on,
        )


class UnitName(NamedTuple):
    name: str
    short_name: str


class UnitLink(NamedTuple):
    """A `TaskUnit` with its unit's names (`link.unit.name`, as with the model)."""

    task_id: int
    unit_id: int
    role: str
    unit: UnitName


def attach_rows(tasks: list, *, periods: str = "period_list", units: str = "unit_list") -> None:
    """Each task's periods (by year) and units (by role, order, id: the relations' orders) as rows in
    the attributes `periods` and `units`: two queries whatever the number of tasks."""
    by_task_periods: dict[int, list[PeriodRow]] = {task.pk: [] for task in tasks}
    by_task_units: dict[int, list[UnitLink]] = {task.pk: [] for task in tasks}
    if tasks:
        for row in map(
            PeriodRow._make,
            TaskPeriod.objects.filter(task_id__in=list(by_task_periods))
            .order_by("task_id", "year")
            .values_list("pk", "task_id", "year", "due_date", "status", "completed_on"),
        ):
            by_task_periods[row.task_id].append(row)
        for task_id, unit_id, role, name, short_name in (
            TaskUnit.objects.filter(task_id__in=list(by_task_units))
            .order_by("task_id", "role", "order", "pk")
            .values_list("task_id", "unit_id", "role", "unit__name", "unit__short_name")
        ):
            by_task_units[task_id].append(UnitLink(task_id, unit_id, role, UnitName(name, short_name)))
    for task in tasks:
        setattr(task, periods, by_task_periods[task.pk])
        setattr(task, units, by_task_units[task.pk])
