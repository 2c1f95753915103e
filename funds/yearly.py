"""The year's obligations of open-ended work, made when the year opens.

A yearly task of a pairing with no end year gets one period a year, and a fund rule one commitment
a year ("每年4月底前拨付1200万元"). Nothing else makes them when the calendar turns, so beat runs
`open_year` every day (`funds.open_year`): it costs two queries when the year is already open, and
a missed day is caught up by the next. Periods come first, then the commitments, so that the ledger
sync of each new commitment finds the period it proves.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from funds.services import ensure_commitments_for_year
from tasks import services as task_services
from tasks.models import Task


def tasks_missing_the_year(year: int):
    """Running tasks (yearly, or continuing without a deadline) with no period for `year`."""
    return (
        Task.objects.exclude(deadline_kind=Task.DeadlineKind.ONCE)
        .filter(start_year__lte=year, pairing__start_year__lte=year)
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
        .filter(Q(pairing__end_year__isnull=True) | Q(pairing__end_year__gte=year))
        .exclude(periods__year=year)
        .select_related("pairing")
        .prefetch_related("periods")
        .order_by("pk")
    )


def open_year(year: int) -> tuple[int, int]:
    """Make `year`'s missing periods and commitments (as the system); returns how many of each."""
    periods = 0
    with transaction.atomic():
        for task in tasks_missing_the_year(year):
            periods += len(task_services.sync_periods(task, user=None))
        commitments = len(ensure_commitments_for_year(year))
    return periods, commitments
