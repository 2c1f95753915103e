"""工作台: the landing page, one per role, with the day's work of the person signed in.

- a reporter (填报员): his unit's overdue and due work, continuing work, returned reports, open
  reporting rounds, urging notices to sign for or answer;
- liaison staff (联络员): reports waiting for review (not his own), overdue work by unit with its
  colour, open rounds, money due or overdue;
- a leader (领导, read-only): the one-pager of his pairing (the dashboard when he sees several).

Every list is capped and read in a constant number of queries; states come from `core.states`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from cooperation.models import Pairing
from core.roles import is_reporter, is_viewer
from core.states import SOON_DAYS
from funds.models import FundCommitment
from reminders.models import UrgingNotice
from reminders.round_models import ReportingRound
from tasks.models import ProgressReport, TaskPeriod, TaskUnit
from tasks.views import continuing_work

LIMIT = 50


def _unit_periods(user):
    periods = TaskPeriod.objects.visible_to(user).unlocked().select_related("task__pairing")
    if user.unit_id:
        periods = periods.filter(task__task_units__unit_id=user.unit_id).distinct()
    return periods


def _open_rounds(pairing_ids, today: datetime.date) -> list[ReportingRound]:
    return list(
        ReportingRound.objects.filter(
            pairing_id__in=pairing_ids, closed_on__isnull=True, opened_on__lte=today
        )
        .select_related("pairing")
        .order_by("due_date")[:LIMIT]
    )


def _overdue_by_unit(pairing_ids, today: datetime.date) -> list[dict]:
    """Units with overdue work of the pairings, most first, with the red / yellow / green of each."""
    rows: dict[int, dict] = {}
    periods = TaskPeriod.objects.filter(task__pairing_id__in=pairing_ids).unlocked()
    overdue = periods.overdue(today)
    soon = periods.due_within(SOON_DAYS, today)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    names: dict[int, str] = {}
    for label, periods in (("red", overdue), ("yellow", soon)):
        for unit_id, name in TaskUnit.objects.filter(task__periods__in=periods).values_list(
            "unit_id", "unit__name"
        ):
            counts[(unit_id, label)] += 1
            names[unit_id] = name
    for (unit_id, label), n in counts.items():
        row = rows.setdefault(unit_id, {"unit": names[unit_id], "red": 0, "yellow": 0})
        row[label] = n
    for row in rows.values():
        row["light"] = "red" if row["red"] else "yellow"
    return sorted(rows.values(), key=lambda r: (-r["red"], -r["yellow"], r["unit"]))[:LIMIT]


@login_required
def workbench(request):
    user = request.user
    today = timezone.localdate()
    pairings = Pairing.objects.visible_to(user)
    if is_viewer(user) and not user.is_superuser:
        ids = list(pairings.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return redirect("dashboards:pairing_dashboard", pk=ids[0])
        return redirect("dashboards:dashboard")
    pairing_ids = list(pairings.values_list("pk", flat=True))
    context = {"today": today}
    if is_reporter(user) and not user.is_superuser:
        periods = _unit_periods(user)
        reports = ProgressReport.objects.manageable_by(user).select_related("period__task", "reviewed_by")
        context.update(
            role="reporter",
            overdue=list(periods.overdue(today).order_by("due_date")[:LIMIT]),
            due_soon=list(periods.due_within(SOON_DAYS, today).order_by("due_date")[:LIMIT]),
            continuing=continuing_work(user, periods),
            returned=list(reports.filter(status=ProgressReport.Status.RETURNED)[:LIMIT]),
            rounds=_open_rounds(pairing_ids, today),
            notices=list(
                UrgingNotice.objects.filter(unit_id=user.unit_id)
                .exclude(
                    status__in=[
                        UrgingNotice.Status.ANSWERED,
                        UrgingNotice.Status.DONE,
                        UrgingNotice.Status.CLOSED,
                    ]
                )
                .order_by("reply_by")[:LIMIT]
            ),
        )
    else:
        context.update(
            role="liaison",
            to_review=list(
                ProgressReport.objects.manageable_by(user)
                .filter(status=ProgressReport.Status.SUBMITTED)
                .exclude(created_by=user)
                .select_related("period__task", "unit")
                .order_by("submitted_at")[:LIMIT]
            ),
            units=_overdue_by_unit(pairing_ids, today),
            rounds=_open_rounds(pairing_ids, today),
            money=[
                c
                for c in FundCommitment.objects.filter(pairing_id__in=pairing_ids)
                .filter(Q(due__lte=today + datetime.timedelta(days=SOON_DAYS)))
                .select_related("pairing", "payer_region", "receiver_region")
                .prefetch_related("disbursements")
                .order_by("due")
                if c.payment_state(today) in ("overdue", "soon")
            ][:LIMIT],
        )
    return render(request, "dashboards/workbench.html", context)
