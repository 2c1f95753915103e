"""The real deadline providers of tasks and funds, on the demo data of the source documents."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.deadlines import collect
from funds.models import FundCommitment
from reminders import engine
from tasks.models import TaskPeriod

pytestmark = pytest.mark.django_db
D = datetime.date


def test_send_reminders_dry_run_on_2025_04_23_lists_jinjiangs_fund_due_2025_04_30(demo, capsys):
    call_command("send_reminders", "--date", "2025-04-23", "--dry-run")
    out = capsys.readouterr().out
    jj = out.split("jj_liaison")[1].split("\n\n")[0]
    assert "尤溪县：¥12,000,000 应于 2025-04-30 前到位 — 已付 ¥0（7 天后到期）" in jj
    assert "yx_liaison" in out


def test_money_paid_by_the_day_is_not_reminded_but_counted(demo):
    commitment = FundCommitment.objects.get(pairing=demo["jy"], year=2025)
    after_payment = commitment.disbursements.order_by("date").last().date
    items = {i.key: i for i in collect(D(2025, 1, 1), D(2025, 12, 31), after_payment)}
    assert f"funds.commitment:{commitment.pk}" not in items
    before = {i.key: i for i in collect(D(2025, 1, 1), D(2025, 12, 31), D(2025, 4, 23))}
    assert before[f"funds.commitment:{commitment.pk}"].unit_ids == (commitment.payer_unit_id,)
    assert commitment.amount == Decimal("12000000")


def test_a_period_done_later_is_still_open_on_an_earlier_day_and_paused_work_is_never_reminded(edu):
    period = edu.periods.get(year=2025)
    key = f"tasks.period:{period.pk}"
    period.status, period.completed_on = "done", period.due_date
    period.save()
    day_before = period.due_date - datetime.timedelta(days=1)
    assert key in {
        i.key for i in collect(period.due_date - datetime.timedelta(days=30), period.due_date, day_before)
    }
    assert key not in {i.key for i in collect(period.due_date, period.due_date, period.due_date)}
    period.status, period.completed_on = "paused", None
    period.save()
    assert key not in {i.key for i in collect(period.due_date, period.due_date, day_before)}


def test_the_sweep_over_every_deadline_runs_a_constant_number_of_queries(demo, edu):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            planned = engine.plan(D(2025, 4, 23))
        return len(ctx.captured_queries), len(planned)

    task = edu
    TaskPeriod.objects.create(task=task, year=2031, due_date=D(2025, 4, 30))  # one task period to start with
    queries, planned = count()
    for year in range(2032, 2062):  # thirty more open periods, all due within the week
        TaskPeriod.objects.create(task=task, year=year, due_date=D(2025, 4, 30))
    more_queries, more_planned = count()
    assert more_planned > planned
    assert more_queries == queries


def test_urging_notices_of_a_task_show_on_its_page(demo, edu, client_for):
    from reminders.models import UrgingNotice

    period = edu.periods.get(year=2025)
    engine.sweep(period.due_date + datetime.timedelta(days=3))
    notice = UrgingNotice.objects.filter(item_key=f"tasks.period:{period.pk}").first()
    assert notice is not None
    page = client_for("leader").get(period.task.get_absolute_url()).content.decode()
    assert 'id="notices"' in page and notice.unit.name in page


def test_the_demo_has_a_reporting_round_with_its_checklist(demo, client_for):
    from reminders.round_models import ReportingRound

    round_ = ReportingRound.objects.get(pairing=demo["jy"], name="2025年四季度进展报送")
    client = client_for("leader")
    assert "2025年四季度进展报送" in client.get(f"/pairings/{demo['jy'].pk}/").content.decode()
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "尤溪县教育局" in page and ("未报" in page or "已报" in page or "已退回" in page)


def test_a_task_periods_reminder_names_the_pairing_and_task_and_links_to_its_period(demo, edu):
    period = edu.periods.select_related("task__pairing").get(year=2025)
    items = {i.key: i for i in collect(period.due_date, period.due_date, period.due_date)}
    item = items[f"tasks.period:{period.pk}"]
    task = period.task
    assert item.url == period.get_absolute_url()
    assert item.summary.startswith(f"{task.pairing.name}：{task.number} {task.title}".strip())
    assert f"（{period.year}年）应于 {period.due_date:%Y-%m-%d} 前完成" in item.summary
    assert item.unit_ids == tuple(sorted(task.task_units.values_list("unit_id", flat=True).distinct()))
    assert item.pairing_id == task.pairing_id
