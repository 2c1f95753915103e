"""One obligation, one truth: a task period follows the record that proves it (issue "One obligation").

Each test is one contradiction the demo showed before: the task and the fund commitment telling two
stories about the same ¥12,000,000, the fund-use list submitted on time but chased as overdue, the
yearly minimums counted twice, notices whose day counts disagree, a locked year still chased,
我的任务 empty for units whose work has no deadline, and the overdue filter showing another year.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cooperation.models import Activity, Role, Unit, User
from funds import services as fund_services
from funds.models import FundCommitment
from reminders import engine
from tasks import services
from tasks.models import Task, TaskPeriod, YearLock, period_key

D = datetime.date


@pytest.fixture
def use_list(demo):
    return Task.objects.get(
        pairing=demo["jy"], title="尤溪县制定协作资金使用项目清单（以造血式产业类项目为主）"
    )


def commitment_of(task: Task, year: int) -> FundCommitment:
    return FundCommitment.objects.get(rule_id=task.fund_rule_id, year=year)


def test_the_fund_task_tells_the_commitments_story(fund):
    """2025: paid in full on 20 May, 20 days late — on the funds page, the task page and the targets."""
    commitment = commitment_of(fund, 2025)
    assert commitment.payment_state_label() == "足额拨付，逾期 20 天"
    period = fund.periods.get(year=2025)
    assert (period.status, period.completed_on) == (TaskPeriod.Status.DONE, D(2025, 5, 20))
    assert period.standing().label == "逾期 20 天完成"
    actual = period.actuals.get(target=fund.targets.get())
    assert actual.value == Decimal("12000000.00") and actual.report is None
    record = period.history.filter(status="done").order_by("history_date").last()
    assert record.history_user is None and "拨付记录" in record.history_change_reason


def test_a_payment_and_its_reversal_move_the_period_as_the_system(fund, users):
    commitment = commitment_of(fund, 2026)
    period = fund.periods.get(year=2026)
    assert period.status == TaskPeriod.Status.NOT_STARTED and period.is_overdue()
    fund_services.record_disbursement(
        commitment, user=users["jj_liaison"], date=D(2026, 11, 2), amount="5000000"
    )
    period.refresh_from_db()
    assert period.status == TaskPeriod.Status.IN_PROGRESS and period.is_overdue()
    payment = fund_services.record_disbursement(
        commitment, user=users["jj_liaison"], date=D(2026, 11, 20), amount="7000000"
    )
    period.refresh_from_db()
    assert (period.status, period.completed_on) == (TaskPeriod.Status.DONE, D(2026, 11, 20))
    assert period.history.first().history_change_reason.startswith(f"由拨付记录 #{payment.pk} 认定")
    fund_services.reverse_disbursement(payment, user=users["jj_liaison"], note="凭证号填错")
    period.refresh_from_db()
    assert (period.status, period.completed_on) == (TaskPeriod.Status.IN_PROGRESS, None)
    assert period.actuals.get().value == Decimal("5000000.00")


def test_nobody_sets_a_ledger_kept_period_by_hand(fund, users, api_for, client_for):
    period = fund.periods.get(year=2026)
    with pytest.raises(ValidationError, match="资金足额拨付"):
        services.set_period_status(period, "done", users["jj_liaison"])
    answer = api_for("jj_liaison").patch(
        f"/api/v1/task-periods/{period.pk}/", {"status": "done", "version": period.version}, format="json"
    )
    assert answer.status_code == 400 and "不能手工修改" in answer.json()["status"][0]
    period.refresh_from_db()
    assert period.status == TaskPeriod.Status.NOT_STARTED
    page = client_for("jj_liaison").get(fund.get_absolute_url()).content.decode()
    ledger_link = commitment_of(fund, 2026).get_absolute_url()
    assert f'id="ledger-{period.pk}"' in page and ledger_link in page
    assert f'action="/tasks/periods/{period.pk}/status/"' not in page


def test_the_fund_use_list_submitted_on_time_is_done_and_never_chased(use_list, demo):
    period = use_list.periods.get(year=2026)
    assert (period.status, period.completed_on) == (TaskPeriod.Status.DONE, D(2026, 3, 30))
    assert period.standing(D(2026, 12, 5)).label == "按时完成"
    planned = engine.plan(D(2026, 12, 5))
    assert period_key(period.pk) not in {p.item.key for p in planned}
    assert not [p for p in planned if p.item.key == f"funds.use_list:{commitment_of(use_list, 2026).pk}"]


def test_the_money_is_chased_once_not_as_a_task_and_a_commitment(fund, demo):
    """The 2026 money, unpaid after 30 April: one obligation, one reminder key."""
    day = D(2026, 5, 7)
    keys = {p.item.key for p in engine.plan(day)}
    commitment = commitment_of(fund, 2026)
    assert f"funds.commitment:{commitment.pk}" in keys
    assert not {period_key(p.pk) for p in fund.periods.all()} & keys
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), "--dry-run", stdout=out)
    assert out.getvalue().count("¥12,000,000 应于 2026-04-30 前到位") == len(
        {p.recipient_id for p in engine.plan(day) if p.item.key == f"funds.commitment:{commitment.pk}"}
    )
    assert "落实帮扶资金" not in out.getvalue()


def test_the_minimums_are_proved_by_activities_each_field_on_its_own(edu_kept, demo):
    period = edu_kept.periods.get(year=2026)
    assert period.status == TaskPeriod.Status.NOT_STARTED
    teachers = Activity.objects.create(
        pairing=demo["jy"], kind="exchange", title="晋江一中名师送教尤溪", date=D(2026, 10, 9), field="教育"
    )
    period.refresh_from_db()
    assert period.status == TaskPeriod.Status.IN_PROGRESS  # education met, health not yet ("分别")
    doctors = Activity.objects.create(
        pairing=demo["jy"], kind="exchange", title="晋江医院专家义诊", date=D(2026, 11, 3), field="卫生"
    )
    period.refresh_from_db()
    assert (period.status, period.completed_on) == (TaskPeriod.Status.DONE, D(2026, 11, 3))
    assert f"#{doctors.pk}" in period.history.first().history_change_reason
    assert {a.target.name: a.value for a in period.actuals.select_related("target")} == {
        "教育领域专技人员交流活动": 1,
        "医疗领域专技人员交流活动": 1,
    }
    teachers.delete()
    period.refresh_from_db()
    assert (period.status, period.completed_on) == (TaskPeriod.Status.IN_PROGRESS, None)


def test_a_locked_year_is_not_chased_and_the_lock_records_its_outcome(edu_kept, demo, users):
    period = edu_kept.periods.get(year=2025)  # no exchange in 2025: overdue since 31 December
    day = D(2026, 1, 7)
    assert period_key(period.pk) in {p.item.key for p in engine.plan(day)}
    services.lock_year(demo["jy"], 2025, users["yx_liaison"], reason="2025年度考核完成")
    lock = YearLock.objects.get(pairing=demo["jy"], year=2025)
    assert period.pk in lock.outcome["overdue_periods"]
    assert lock.outcome["counts"]["overdue"] >= 1 and lock.outcome["counts"]["done_late"] >= 1
    keys = {p.item.key for p in engine.plan(day)}
    assert period_key(period.pk) not in keys
    assert not [k for k in keys if k.startswith("funds.") and k.endswith(f":{commitment_of_2025(demo).pk}")]


def commitment_of_2025(demo) -> FundCommitment:
    return FundCommitment.objects.get(pairing=demo["jy"], year=2025)


def test_a_notice_says_the_day_its_count_was_made():
    due = D(2026, 3, 31)
    assert engine.offset_label(-245, due) == "截至 2026-12-01 已逾期 245 天"
    assert engine.offset_label(-249, due) == "截至 2026-12-05 已逾期 249 天"
    assert engine.offset_label(3, due) == "3 天后到期"


def test_my_tasks_lists_continuing_work_for_a_unit_whose_tasks_have_no_deadline(demo, client):
    unit = Unit.objects.get(name="尤溪县科学技术局")
    reporter = User.objects.create_user("yx_kj", password="kj-pass-12345", unit=unit, role=Role.REPORTER)
    client.force_login(reporter)
    page = client.get("/tasks/mine/").content.decode()
    continuing = page[page.index('id="continuing"') :]
    continuing = continuing[: continuing.index("</section>")]
    assert "推动山海协同创新发展" in continuing and "本年度尚未报送进展" in continuing
    assert "没有持续推进的工作" not in continuing


def test_the_overdue_filter_shows_the_period_that_is_overdue(edu_kept, client_for):
    page = (
        client_for("yx_liaison").get("/tasks/", {"overdue": "true", "q": "推动教育医疗合作"}).content.decode()
    )
    body = page[page.index("<tbody>") :]
    row = body[body.index("推动教育医疗合作") :]
    row = row[: row.index("</tr>")]
    assert "符合条件的年度" in page
    assert "2025 年" in row and "2025-12-31" in row and "逾期" in row  # 2025's period, not 2026's (未开始)
    assert "2026-12-31" not in row
