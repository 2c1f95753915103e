"""Deadlines as the documents write them, normalised with the source text kept."""

from __future__ import annotations

import datetime

import pytest

from tasks.services import parse_deadline


@pytest.mark.parametrize(
    ("text", "kind", "date", "month_day"),
    [
        ("每年4月底前", "yearly", None, (4, 30)),
        ("每年3月底前", "yearly", None, (3, 31)),
        ("每年10月底前", "yearly", None, (10, 31)),
        ("当年5月底前", "yearly", None, (5, 31)),
        ("每年年底前", "yearly", None, (12, 31)),
        ("每年至少 1 次", "yearly", None, (12, 31)),
        ("2018 年 7 月底前", "once", datetime.date(2018, 7, 31), (None, None)),
        ("2018年2月底前", "once", datetime.date(2018, 2, 28), (None, None)),
        ("到 2020 年", "once", datetime.date(2020, 12, 31), (None, None)),
        ("力争2030年", "once", datetime.date(2030, 12, 31), (None, None)),
        ("2018 年三季度前", "once", datetime.date(2018, 9, 30), (None, None)),
        ("2018年四季度前", "once", datetime.date(2018, 12, 31), (None, None)),
        ("2020年前", "once", datetime.date(2020, 12, 31), (None, None)),
        ("常态化开展", "none", None, (None, None)),
    ],
)
def test_deadline_phrases_of_the_documents(text, kind, date, month_day):
    parsed = parse_deadline(text)
    assert parsed["deadline_kind"] == kind
    assert parsed["deadline_date"] == date
    assert (parsed["deadline_month"], parsed["deadline_day"]) == month_day
    assert parsed["deadline_text"] == text


@pytest.mark.django_db
def test_yearly_task_has_one_period_per_active_year_with_its_own_due_date(fund):
    periods = list(fund.periods.order_by("year"))
    assert [p.year for p in periods] == list(range(2024, 2031))
    assert [p.due_date for p in periods][:2] == [datetime.date(2024, 4, 30), datetime.date(2025, 4, 30)]
    assert fund.deadline_display == "每年4月30日（每年4月底前）"


@pytest.mark.django_db
def test_one_off_task_has_a_single_period(demo):
    from tasks.models import Task

    task = Task.objects.get(pairing=demo["wz"], title__startswith="建立产业园管理运营机制")
    assert [(p.year, p.due_date) for p in task.periods.all()] == [(2018, datetime.date(2018, 7, 31))]
    assert task.deadline_text == "2018 年 7 月底前"


@pytest.mark.django_db
def test_liaison_corrects_an_ambiguous_deadline_and_open_periods_follow(demo, users):
    from tasks.models import Task
    from tasks.services import sync_periods

    task = Task.objects.get(pairing=demo["wz"], title__startswith="规范编制")
    assert task.periods.get().due_date == datetime.date(2018, 9, 30)  # "2018 年三季度前" by our rule
    task.deadline_date = datetime.date(2018, 12, 31)  # the body says "四季度前"; the liaison decides
    task.save()
    sync_periods(task, users["wz_liaison"])
    period = task.periods.get()
    assert period.due_date == datetime.date(2018, 12, 31)
    assert period.history.first().history_user == users["wz_liaison"]


@pytest.mark.django_db
def test_sync_command_creates_missing_periods_as_system(demo):
    from django.core.management import call_command

    from core.history import history_rows
    from tasks.models import Task

    task = Task.objects.get(pairing=demo["jy"], title__startswith="落实帮扶资金")
    task.periods.filter(year=2030).delete()
    call_command("sync_task_periods", "--pairing", str(demo["jy"].pk), stdout=__import__("io").StringIO())
    period = task.periods.get(year=2030)
    assert period.due_date == datetime.date(2030, 4, 30)
    assert history_rows(period)[0].who == "系统"
