"""The report workflow as reporters and liaison staff live it: draft → submitted → approved / returned."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tasks import services
from tasks.models import ProgressReport, TargetActual, TaskPeriod

pytestmark = pytest.mark.django_db


def targets(task):
    return {t.name: t for t in task.targets.all()}


def write_report(edu, user, year=2026, done=True, **extra):
    period = edu.periods.get(year=year)
    t = targets(edu)
    return services.save_report(
        period,
        user,
        text="尤溪一中教师赴晋江一中跟岗学习，晋江医院专家赴尤溪坐诊。",
        marks_done=done,
        values={t["教育领域专技人员交流活动"].pk: 1, t["医疗领域专技人员交流活动"].pk: "1"},
        **extra,
    )


def test_reporter_writes_submits_and_liaison_approves_then_the_period_is_done(edu, users, photo):
    report = write_report(edu, users["yx_reporter"])
    assert report.status == "draft" and report.unit.name == "尤溪县教育局"
    services.add_evidence(report, photo(), users["yx_reporter"], kind=edu.required_evidence.get())
    services.submit_report(report, users["yx_reporter"])
    services.approve_report(report, users["yx_liaison"])

    period = TaskPeriod.objects.get(pk=report.period_id)
    assert period.status == TaskPeriod.Status.DONE and period.completed_on == datetime.date.today()
    assert not period.is_overdue()
    actuals = {a.target.name: a.value for a in TargetActual.objects.filter(period=period)}
    assert actuals == {"教育领域专技人员交流活动": Decimal("1"), "医疗领域专技人员交流活动": Decimal("1")}
    # Both steps in the history, each with its person.
    steps = [(r.status, r.history_user.username) for r in report.history.order_by("history_date")]
    assert ("submitted", "yx_reporter") in steps and ("approved", "yx_liaison") in steps
    assert period.history.first().history_user == users["yx_liaison"]


def test_a_report_marking_the_work_done_needs_the_required_evidence(edu, users, pdf):
    report = write_report(edu, users["yx_reporter"])
    with pytest.raises(ValidationError, match="现场照片"):
        services.submit_report(report, users["yx_reporter"])
    report.refresh_from_db()
    assert report.status == "draft"
    # A progress report that does not claim completion may go without it.
    partial = write_report(edu, users["yx_reporter"], done=False)
    services.submit_report(partial, users["yx_reporter"])
    assert partial.status == "submitted"


def test_only_approved_values_count(edu, users):
    report = write_report(edu, users["yx_reporter"], done=False)
    services.submit_report(report, users["yx_reporter"])
    assert not TargetActual.objects.filter(period=report.period).exists()
    services.return_report(report, users["yx_liaison"], reason="请补充交流人数。")
    assert not TargetActual.objects.filter(period=report.period).exists()
    assert report.status == "returned" and report.return_reason == "请补充交流人数。"


def test_returned_report_is_edited_and_submitted_again(edu, users):
    report = write_report(edu, users["yx_reporter"], done=False)
    services.submit_report(report, users["yx_reporter"])
    services.return_report(report, users["yx_liaison"], reason="请补充交流人数。")
    services.save_report(report.period, users["yx_reporter"], report=report, text="补充：交流25人。")
    services.submit_report(report, users["yx_reporter"])
    assert report.status == "submitted" and report.return_reason == ""


def test_return_needs_a_reason(edu, users):
    report = write_report(edu, users["yx_reporter"], done=False)
    services.submit_report(report, users["yx_reporter"])
    with pytest.raises(ValidationError, match="原因"):
        services.return_report(report, users["yx_liaison"], reason="  ")


@pytest.mark.parametrize("persona", ["yx_reporter", "jj_reporter", "leader", "wz_liaison"])
def test_only_liaison_staff_of_the_pairing_approve(edu, users, persona):
    report = write_report(edu, users["yx_reporter"], done=False)
    services.submit_report(report, users["yx_reporter"])
    with pytest.raises(PermissionDenied):
        services.approve_report(report, users[persona])
    report.refresh_from_db()
    assert report.status == "submitted"


def test_reporter_cannot_report_on_a_task_of_another_unit(fund, users):
    period = fund.periods.get(year=2026)
    with pytest.raises(PermissionDenied, match="责任单位"):
        services.save_report(period, users["yx_reporter"], text="试图代晋江市财政局填报")
    assert not ProgressReport.objects.filter(period=period, text="试图代晋江市财政局填报").exists()


def test_reporter_cannot_edit_another_units_report_on_a_shared_task(edu, users):
    report = write_report(edu, users["yx_reporter"], done=False)
    with pytest.raises(PermissionDenied):
        services.save_report(report.period, users["jj_reporter"], report=report, text="改")
    report.refresh_from_db()
    assert report.text != "改"


def test_submitted_report_cannot_be_edited(edu, users):
    report = write_report(edu, users["yx_reporter"], done=False)
    services.submit_report(report, users["yx_reporter"])
    with pytest.raises(ValidationError, match="已提交"):
        services.save_report(report.period, users["yx_reporter"], report=report, text="改")


def test_reporter_moves_work_in_progress_but_cannot_mark_it_done_or_paused(edu, users):
    period = edu.periods.get(year=2026)
    services.set_period_status(period, "in_progress", users["yx_reporter"], note="已联系晋江一中。")
    assert period.status == "in_progress"
    for status in ["done", "paused"]:
        with pytest.raises(PermissionDenied, match="联络员"):
            services.set_period_status(period, status, users["yx_reporter"])
    period.refresh_from_db()
    assert period.status == "in_progress"
    services.set_period_status(period, "paused", users["yx_liaison"])
    assert period.status == "paused" and not period.is_overdue()


def test_overdue_is_derived_from_due_date_and_status_as_of_a_day(fund):
    period = fund.periods.get(year=2025)  # due 2025-04-30, paid in full on 2025-05-20 (the ledger)
    assert (period.status, period.completed_on) == (TaskPeriod.Status.DONE, datetime.date(2025, 5, 20))
    # As of 1 May the money had not all arrived: overdue, by the page's rule and the database's alike.
    assert period.is_overdue(today=datetime.date(2025, 5, 1))
    assert period in TaskPeriod.objects.overdue(today=datetime.date(2025, 5, 1))
    assert not period.is_overdue(today=datetime.date(2025, 4, 30))
    assert period not in TaskPeriod.objects.overdue(today=datetime.date(2025, 4, 30))
    # From 20 May on it is done, 20 days late, and overdue nowhere.
    assert not period.is_overdue(today=datetime.date(2025, 5, 20))
    assert period not in TaskPeriod.objects.overdue(today=datetime.date(2025, 5, 20))
    assert period.standing(datetime.date(2025, 6, 1)).label == "逾期 20 天完成"
    period.status = TaskPeriod.Status.PAUSED
    assert not period.is_overdue(today=datetime.date(2025, 5, 1))


def test_a_locked_year_refuses_changes_and_unlocking_is_recorded(edu, users, demo):
    period = edu.periods.get(year=2024)  # the demo locked 2024 after its assessment
    with pytest.raises(services.PeriodLocked, match="2024 年度已考核并锁定"):
        services.set_period_status(period, "in_progress", users["yx_liaison"])
    with pytest.raises(services.PeriodLocked):
        services.save_report(period, users["yx_reporter"], text="补报")
    with pytest.raises(PermissionDenied):
        services.unlock_year(demo["jy"], 2024, users["yx_reporter"], reason="补报")
    with pytest.raises(ValidationError):
        services.unlock_year(demo["jy"], 2024, users["yx_liaison"], reason="")
    lock = services.unlock_year(demo["jy"], 2024, users["yx_liaison"], reason="省考核组要求补充材料")
    record = lock.history.first()
    assert not record.locked and record.history_user == users["yx_liaison"]
    assert record.reason == "省考核组要求补充材料"
    services.set_period_status(period, "in_progress", users["yx_liaison"])


def test_yearly_periods_are_independent(edu):
    done = edu.periods.get(year=2024)
    assert done.status == "done"  # the demo approved 2024's exchanges
    assert edu.periods.get(year=2026).status == "not_started"


def test_targets_completion_and_minimum_counts(fund, edu):
    money = fund.targets.get()
    assert money.value == Decimal("12000000") and money.unit == "元"
    assert money.completion_rate(Decimal("9000000")) == Decimal("75.0")
    assert not money.is_met(Decimal("9000000")) and money.is_met(Decimal("12000000"))
    exchange = targets(edu)["教育领域专技人员交流活动"]
    assert exchange.is_minimum_count and exchange.is_met(Decimal("1")) and not exchange.is_met(Decimal("0"))


def test_evidence_of_a_wrong_type_is_refused_with_a_clear_message(edu, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = write_report(edu, users["yx_reporter"])
    fake = SimpleUploadedFile("照片.png", b"MZ this is an exe")
    with pytest.raises(ValidationError, match="不符"):
        services.add_evidence(report, fake, users["yx_reporter"])
    assert not report.evidence.exists()


def test_command_changes_show_as_system(edu):
    from core.history import history_rows

    period = edu.periods.get(year=2026)
    services.set_period_status(period, "in_progress", None)
    assert history_rows(period)[0].who == "系统"
