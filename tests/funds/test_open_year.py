"""Open-ended work gets a period and a commitment every year, made when the year opens.

Seed 000's "晋江市每年4月底前安排山海协作专项资金1200万元" on a pairing without an end year: before,
the task had a period for its first year only, while the funds ledger had a commitment every year —
the funds sheet chased 2025's money, the task sheet and the reminders knew nothing of it.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from funds import services as funds_services
from funds.models import FundCommitment
from funds.yearly import open_year
from tasks.models import Task, TaskPeriod

pytestmark = pytest.mark.django_db

TITLE = "落实帮扶资金：晋江市安排山海协作专项资金1200万元"


def on(day: datetime.date):
    moment = datetime.datetime(day.year, day.month, day.day, 2, 0, tzinfo=datetime.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def open_ended(demo, jy_rule):
    """The Jinjiang–Youxi pairing, its 12-million task and rule, as an open-ended cooperation."""
    jy = demo["jy"]
    type(jy).objects.filter(pk=jy.pk).update(end_year=None)
    task = Task.objects.get(pairing=jy, title=TITLE)
    Task.objects.filter(pk=task.pk).update(end_year=None)
    type(jy_rule).objects.filter(pk=jy_rule.pk).update(last_year=None)
    TaskPeriod.objects.filter(task=task, year__gt=2026).delete()  # as if it had always been open-ended
    task.refresh_from_db()
    return task


def test_an_open_ended_yearly_task_runs_until_this_year(open_ended):
    with on(datetime.date(2026, 12, 5)):
        assert list(open_ended.years()) == [2024, 2025, 2026]
    with on(datetime.date(2027, 1, 1)):
        assert list(open_ended.years()) == [2024, 2025, 2026, 2027]


def test_the_new_year_opens_the_period_and_the_commitment_once(open_ended):
    assert not open_ended.periods.filter(year=2027).exists()
    assert not FundCommitment.objects.filter(rule=open_ended.fund_rule, year=2027).exists()
    with on(datetime.date(2027, 1, 1)):
        periods, commitments = open_year(2027)
        again = open_year(2027)
    assert periods >= 1 and commitments >= 1 and again == (0, 0)
    period = open_ended.periods.get(year=2027)
    commitment = FundCommitment.objects.get(rule=open_ended.fund_rule, year=2027)
    assert (period.due_date, commitment.due, commitment.amount) == (
        datetime.date(2027, 4, 30),
        datetime.date(2027, 4, 30),
        12_000_000,
    )
    assert period.status == TaskPeriod.Status.NOT_STARTED
    # The ledger proves it: paid in full on 28 April, the period is done that day, by the system.
    with on(datetime.date(2027, 4, 28)):
        funds_services.record_disbursement(
            commitment, user=None, date=datetime.date(2027, 4, 28), amount=commitment.amount
        )
    period.refresh_from_db()
    assert (period.status, period.completed_on) == (TaskPeriod.Status.DONE, datetime.date(2027, 4, 28))
    assert period.history.first().history_user is None  # the system, with its reason


def test_beat_opens_the_year_every_day_as_a_real_task(open_ended):
    from funds.tasks import open_year as job

    entry = settings.CELERY_BEAT_SCHEDULE["funds-open-year"]
    assert entry["task"] == job.name == "funds.open_year"
    with on(datetime.date(2027, 1, 2)), timezone.override("Asia/Shanghai"):
        result = job.apply().get()
    assert result["periods"] >= 1 and result["commitments"] >= 1
    assert open_ended.periods.filter(year=2027).exists()
