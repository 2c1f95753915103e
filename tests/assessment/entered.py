"""Test data "entered" on a given day: the assessment reads the year as it was recorded by its
cut-off (assessment.record), so data a test writes today must be dated as entered before it."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from cooperation.models import Activity
from funds.models import ArrivalConfirmation, Disbursement, FundCommitment
from parks.models import ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks.models import ProgressReport, TargetActual, TaskPeriod

AUDITED = (
    TaskPeriod,
    TargetActual,
    FundCommitment,
    Activity,
    Disbursement,
    ArrivalConfirmation,
    ProgressReport,
    ParkInvestmentPlan,
    UrgingNotice,
)


def moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def entered_on(day: datetime.date, since: datetime.datetime) -> None:
    """Everything the assessment reads that was written since `since` is dated as entered on `day`."""
    when = moment(day)
    for model in AUDITED:
        model.history.model.objects.filter(history_date__gte=since).update(history_date=when)
    for model in (Disbursement, ArrivalConfirmation):
        model.objects.filter(recorded_at__gte=since).update(recorded_at=when)
    ProgressReport.objects.filter(reviewed_at__gte=since).update(reviewed_at=when)


def now() -> datetime.datetime:
    return timezone.now()
