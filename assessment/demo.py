"""Demo of the assessment: 2024 of Jinjiang–Youxi has been assessed (县级年度绩效考评) and is locked.

Run after every other app's demo (the assessment sits above them), so the lock records the year's
outcome with its payments, lists and activities in place.

The demo is loaded in one go but tells years of work, and the assessment judges a year as it was
recorded by its cut-off (`assessment.record`). So, on the first load, the records the assessment
reads are dated as if entered on the day they happened: an activity, a payment, an arrival on its
own date; a period's change on the completion date it records (else on 1 January of its year); a
commitment and a park's plan line on 1 January of its year, the list on the day it was submitted; an
urging notice on the day it was issued (its escalation on that day); an approved
report three days after the work it reports, and the actual values it set with it. Nothing is ever
dated later than it was written.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict

from cooperation.models import Activity, Pairing, User
from funds.models import ArrivalConfirmation, Disbursement, FundCommitment
from parks.models import ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks import services
from tasks.models import ProgressReport, TargetActual, TaskPeriod, YearLock

LOCAL = zoneinfo.ZoneInfo("Asia/Shanghai")
REVIEW_DAYS = 3  # an approved demo report was reviewed this many days after the work it reports


def _at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LOCAL)


def _year_start(year: int) -> datetime.datetime:
    return _at(datetime.date(year, 1, 1), 9)


def _redate(model, pk: int, when: datetime.datetime, written: datetime.datetime, **extra) -> None:
    if when < written:
        model.objects.filter(pk=pk).update(history_date=when, **extra)


def _redate_chain(history_model, since, start_of, done_on_of) -> None:
    """Date each object's history rows in order: its first row at `start_of(row)`, a row that
    records a completion at that day, the others with the row before (never earlier than it)."""
    rows = (
        history_model.objects.filter(history_date__gte=since)
        .order_by("id", "history_date", "history_id")
        .values()
    )
    previous: dict[int, datetime.datetime] = {}
    for row in rows:
        done_on = done_on_of(row)
        when = previous.get(row["id"]) or start_of(row)
        if done_on is not None:
            when = max(when, _at(done_on))
        previous[row["id"]] = when
        _redate(history_model, row["history_id"], when, row["history_date"])


def date_as_entered(since: datetime.datetime) -> None:
    """Date the demo's records written since `since` as entered on the day they happened."""
    for model in (Activity,):
        for history_id, day, written in model.history.model.objects.filter(
            history_date__gte=since
        ).values_list("history_id", "date", "history_date"):
            _redate(model.history.model, history_id, _at(day), written)
    for model in (Disbursement, ArrivalConfirmation):
        for pk, day, recorded in model.objects.filter(recorded_at__gte=since).values_list(
            "pk", "date", "recorded_at"
        ):
            if _at(day) < recorded:
                model.objects.filter(pk=pk).update(recorded_at=_at(day))
        for history_id, day, written in model.history.model.objects.filter(
            history_date__gte=since
        ).values_list("history_id", "date", "history_date"):
            _redate(model.history.model, history_id, _at(day), written, recorded_at=min(_at(day), written))
    _redate_chain(
        FundCommitment.history.model,
        since,
        lambda row: _year_start(row["year"]),
        lambda row: row["use_list_submitted"],
    )
    _redate_chain(
        TaskPeriod.history.model,
        since,
        lambda row: _year_start(row["year"]),
        lambda row: row["completed_on"] if row["status"] == TaskPeriod.Status.DONE else None,
    )
    _redate_chain(
        ParkInvestmentPlan.history.model, since, lambda row: _year_start(row["year"]), lambda row: None
    )
    _redate_chain(
        UrgingNotice.history.model,
        since,
        lambda row: _at(row["issued_on"], 9),
        lambda row: row["escalated_on"],
    )
    reviewed: dict[int, datetime.datetime] = {}
    for report in ProgressReport.objects.filter(
        status=ProgressReport.Status.APPROVED, reviewed_at__gte=since, completed_on__isnull=False
    ):
        when = _at(report.completed_on + datetime.timedelta(days=REVIEW_DAYS))
        if when < report.reviewed_at:
            submitted = _at(report.completed_on + datetime.timedelta(days=1))
            ProgressReport.objects.filter(pk=report.pk).update(
                reviewed_at=when, submitted_at=min(submitted, report.submitted_at or submitted)
            )
            reviewed[report.pk] = when
    by_report: dict[int, list] = defaultdict(list)
    for history_id, report_id, written in TargetActual.history.model.objects.filter(
        history_date__gte=since, report_id__in=list(reviewed)
    ).values_list("history_id", "report_id", "history_date"):
        by_report[report_id].append((history_id, written))
    for report_id, rows in by_report.items():
        for history_id, written in rows:
            _redate(TargetActual.history.model, history_id, reviewed[report_id], written)


def load(context: dict) -> dict:
    jy = context["pairings"]["jinjiang_youxi"]
    if not YearLock.objects.filter(pairing=jy, year=2024).exists():
        # The first load: everything written since the demo's pairing was is the demo's.
        since = (
            Pairing.history.model.objects.filter(id=jy.pk)
            .order_by("history_date")
            .values_list("history_date", flat=True)
            .first()
        )
        if since is not None:
            date_as_entered(since)
        services.lock_year(
            jy, 2024, User.objects.get(username="yx_liaison"), reason="2024年度县级绩效考评已完成"
        )
    return {}
