"""The pairing page's sections of tasks: this year's periods by state (core.states, as of today) and
the overdue work of earlier years, and (for liaison staff) the link to the responsibility-table import."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.scoping import is_liaison_of
from core import freshness
from core.panels import Panel
from core.states import STATE_NAMES, State
from tasks.models import TaskPeriod, overdue_q


def pairing_panels(request, pairing) -> list[Panel]:
    return [*_tasks_panel(request, pairing), *table_import_panel(request, pairing)]


def _tasks_panel(request, pairing) -> list[Panel]:
    today = timezone.localdate()
    context = {
        "pairing": pairing,
        "year": today.year,
        "today": today,
        **status_counts(pairing, today.year, today),
    }
    if context["total"] == 0 and context["older_overdue"] == 0:
        return []
    return [Panel(template="tasks/panel.html", context=context, order=20, title=_("任务"))]


def table_import_panel(request, pairing) -> list[Panel]:
    """One query (the liaison check), whatever the pairing's size."""
    if not is_liaison_of(request.user, pairing.pk):
        return []
    return [
        Panel(
            template="tasks/importing/task_import_panel.html",
            context={"pairing": pairing},
            order=35,
            title=_("导入责任分解表"),
        )
    ]


# The order the panel shows the states in: the work to chase first.
PANEL_STATES = (
    State.OVERDUE,
    State.SOON,
    State.ON_TRACK,
    State.CONTINUING,
    State.DONE_LATE,
    State.DONE,
    State.PAUSED,
)


def status_counts(pairing, year: int, today: datetime.date | None = None) -> dict:
    """A pairing's periods of `year` by state as of `today` (the one rule of `core.states`, as the
    one-pager, the dashboards and the API), and the overdue periods of earlier years (one query).

    The overdue count is the year's: the filter it links to (`?year=&overdue=true`) lists the same
    periods; earlier years' overdue work is counted apart, as on the one-pager.
    """
    today = today or timezone.localdate()
    counts = {state: 0 for state in PANEL_STATES}
    older_overdue = 0

    def read() -> list[tuple]:
        # One query: the year's periods, and the earlier years' overdue ones (by the rule in SQL),
        # counted by the values the state is judged from (a pairing's periods share a few due dates).
        return list(
            TaskPeriod.objects.filter(task__pairing=pairing)
            .filter(Q(year=year) | Q(year__lt=year) & overdue_q(today))
            .values_list("year", "due_date", "status", "completed_on")
            .annotate(n=Count("pk"))
            .order_by()
        )

    # Kept under the figures' token, which every write of a task or period changes (as the
    # dashboards): 500 periods joined to their tasks took 1.4 ms on PostgreSQL at each visit.
    key = f"pairing-period-counts:{pairing.pk}:{year}:{today.isoformat()}"
    for period_year, due, status, completed_on, n in freshness.cached(key, read):
        if period_year != year:
            older_overdue += n
            continue
        # TaskPeriod.standing, from the row's values.
        state = TaskPeriod.standing_of(due, status, completed_on, today).state
        counts[state] = counts.get(state, 0) + n
    return {
        "rows": [(state.value, STATE_NAMES[state], n) for state, n in counts.items()],
        "overdue": counts[State.OVERDUE],
        "older_overdue": older_overdue,
        "total": sum(counts.values()),
    }
