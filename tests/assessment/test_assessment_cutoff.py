"""The assessment judges a year as it stood at its cut-off, counts each obligation once, and scores
no data as 不适用 (never full marks) — on the demo, as issue 16 saw it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.services import build
from cooperation.models import Activity, Pairing, Unit, User
from funds import services as fund_services
from funds.models import FundCommitment
from parks.models import Park, ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks import services as task_services
from tasks.models import ProgressReport, Target, Task, TaskPeriod, TaskUnit
from tests.assessment.entered import entered_on, now

pytestmark = pytest.mark.django_db

JUDGED_ON = datetime.date(2026, 1, 15)  # the 2025 assessment, run in January 2026: cut-off 2026-01-01
D = datetime.date


@pytest.fixture
def export(tmp_path):
    counter = iter(range(1000))

    def make(pairings, year=2025, today=JUDGED_ON, data_only=False):
        path = build(year, pairings, dest=tmp_path / f"考核表{next(counter)}.xlsx", today=today)
        return load_workbook(path, data_only=data_only)

    return make


def lines(sheet) -> list[dict]:
    head = [c.value for c in sheet[2]]
    return [dict(zip(head, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)]


def cells(wb) -> dict:
    return {(s.title, c.coordinate): c.value for s in wb.worksheets for row in s.iter_rows() for c in row}


# --------------------------------------------------------------------------------------------
# One obligation, one truth
# --------------------------------------------------------------------------------------------


def test_the_12_million_is_one_obligation_told_alike_on_every_sheet_and_scored_once(demo, export):
    wb = export([demo["jy"]])
    fund = next(line for line in lines(wb["资金到位情况"]) if line["承诺金额（元）"] == 12000000)
    assert (fund["是否按时"], fund["逾期天数"]) == ("足额拨付，逾期 20 天", 20)
    task = next(line for line in lines(wb["任务完成情况"]) if line["任务"].startswith("落实帮扶资金"))
    assert (task["按时 / 逾期"], task["逾期天数"], task["状态"]) == ("逾期 20 天完成", 20, "已完成")
    target = next(line for line in lines(wb["指标完成情况"]) if line["指标"] == "山海协作专项资金")
    assert (target["完成值"], target["是否达标"]) == (12000000, "是")
    # The late payment costs points in the funds section only: the task and its target are the
    # ledger's, not counted again in 重点任务按时完成 nor 量化指标完成.
    coastal = lines(wb["汇总"])[0]
    assert coastal["帮扶资金按时到位（20分）"] == 0 and "按时 0/1" in coastal["计分依据"]
    assert coastal["重点任务按时完成（40分）"] == "不适用"
    assert coastal["量化指标完成（20分）"] == "不适用"


# The education minimum's words as the plan gives them ("分别": one target per field).
EDUCATION = "教育：教育、医疗领域每年分别开展不少于一次的专技人员交流活动"


def test_a_missed_yearly_minimum_is_the_same_on_both_sheets_and_costs_points_once(demo, export):
    wb = export([demo["jy"]])
    exchanges = {line["要求"]: line["是否达标"] for line in lines(wb["交流活动"]) if line["最低次数"]}
    targets = {line["指标原文"]: line["是否达标"] for line in lines(wb["指标完成情况"])}
    assert exchanges == {text: targets[text] for text in exchanges}
    assert exchanges[EDUCATION] == "否"
    assert exchanges["每年共同举办一次文体旅活动"] == "是"
    mountain = lines(wb["汇总"])[1]
    assert mountain["交流活动达到最低次数（10分）"] == 5  # 2 of 4 met
    assert "达到最低次数 2/4" in mountain["计分依据"]
    assert mountain["重点任务按时完成（40分）"] == "不适用"  # the education task is the activities'


def test_minimums_are_the_targets_that_name_their_activities_not_words_of_a_name(demo, export):
    jy = demo["jy"]
    since = now()
    task = Task.objects.create(pairing=jy, title="推进产业对接", start_year=2025, number="九、")
    TaskUnit.objects.create(task=task, unit=Unit.objects.get(name="尤溪县教育局"))
    TaskPeriod.objects.create(task=task, year=2025, due_date=D(2025, 12, 31))
    # Named like nothing the old word list knew, but it counts fairs: a yearly minimum.
    Target.objects.create(task=task, name="产业合作对接", value=1, unit="次", activity_kinds="fair")
    # Named like a training minimum, but no kinds of activity: a reported target, not a minimum.
    Target.objects.create(task=task, name="培训次数", value=3, unit="次")
    Activity.objects.create(pairing=jy, kind="fair", title="晋江尤溪产业对接会", date=D(2025, 9, 1))
    entered_on(D(2025, 9, 2), since)
    wb = export([jy])
    exchanges = {line["要求"]: line for line in lines(wb["交流活动"])}
    assert exchanges["产业合作对接"]["是否达标"] == "是" and exchanges["产业合作对接"]["实际次数"] == 1
    assert "培训次数" not in exchanges
    targets = {line["指标"]: line for line in lines(wb["指标完成情况"])}
    assert targets["产业合作对接"]["是否达标"] == "是"
    assert targets["培训次数"]["是否达标"] == "否"


# --------------------------------------------------------------------------------------------
# The cut-off
# --------------------------------------------------------------------------------------------


def test_the_cut_off_is_printed_on_every_sheet(demo, export):
    wb = export([demo["jy"]])
    for sheet in wb.worksheets:
        # In the title of each sheet; the official table says it on its own line (统计截至：…).
        top = "".join(str(c.value) for row in sheet.iter_rows(max_row=3) for c in row if c.value)
        assert "统计截至 2026-01-01" in top or "统计截至：2026-01-01" in top


def test_exporting_the_year_again_after_changes_past_the_cut_off_gives_the_same_workbook(demo, export):
    jy = demo["jy"]
    liaison = User.objects.get(username="yx_liaison")
    unit = Unit.objects.get(name="尤溪县教育局")
    since = now()
    task = Task.objects.create(pairing=jy, title="建设教育共同体", start_year=2025, number="十、")
    TaskUnit.objects.create(task=task, unit=unit)
    period = TaskPeriod.objects.create(task=task, year=2025, due_date=D(2025, 6, 30))
    target = Target.objects.create(task=task, name="结对学校", value=5, unit="所")
    extra = FundCommitment.objects.create(
        pairing=jy,
        year=2025,
        purpose="教育共同体专项",
        payer_region=jy.coastal_region,
        receiver_region=jy.mountain_region,
        amount=Decimal("300000"),
        due=D(2025, 6, 30),
    )
    notice = UrgingNotice.objects.create(
        item_key="test:cutoff",
        due=D(2025, 6, 30),
        unit=unit,
        pairing=jy,
        summary="建设教育共同体",
        url="/",
        issued_on=D(2025, 7, 3),
        sign_by=D(2025, 7, 5),
        reply_by=D(2025, 7, 8),
    )
    park = Park.objects.create(name="尤溪教育产业园", pairing=jy, region=jy.mountain_region)
    plan = ParkInvestmentPlan.objects.create(
        park=park,
        year=2025,
        kind="government",
        project_count=2,
        planned_total=Decimal("100"),
        planned_completion=Decimal("50"),
        actual_completion=Decimal("20"),
    )
    entered_on(D(2025, 1, 10), since)
    before = cells(export([jy]))
    # One notice (序号 1, no second row), a 催办 not escalated to 督办 at the cut-off.
    assert before[("催办督办", "A3")] == 1 and before[("催办督办", "D3")] == "建设教育共同体"
    assert before[("催办督办", "G3")] == "催办"
    assert "尤溪教育产业园" in {v for (sheet, _cell), v in before.items() if sheet == "园区建设情况"}

    # After the cut-off (today): a report approved, a payment reversed with an earlier date, an
    # activity added with an earlier date, a status changed, a fund-use list date corrected.
    submitted = ProgressReport.objects.get(
        period__task__pairing=jy, period__year=2025, status=ProgressReport.Status.SUBMITTED
    )
    task_services.approve_report(submitted, liaison)
    payer = User.objects.get(username="jj_liaison")  # the paying side records payments (two-party money)
    fund_services.record_disbursement(extra, user=payer, date=D(2025, 6, 15), amount=Decimal("300000"))
    commitment = FundCommitment.objects.get(pairing=jy, year=2025, amount=Decimal("12000000"))
    Activity.objects.create(
        pairing=jy,
        kind="exchange",
        title="晋江一中—尤溪一中教师交流（补录）",
        date=D(2025, 11, 20),
        field="教育",
    )
    report = task_services.save_report(
        period, None, text="已结对 6 所学校。", unit=unit, values={target.pk: 6}
    )
    task_services.submit_report(report, None)
    task_services.approve_report(report, liaison)
    period.refresh_from_db()
    task_services.set_period_status(period, TaskPeriod.Status.DONE, liaison, completed_on=D(2025, 6, 1))
    commitment.refresh_from_db()
    commitment.use_list_submitted = D(2025, 3, 20)
    commitment.save()
    notice.escalated_on = D(2025, 12, 20)
    notice.save()
    plan.actual_completion = Decimal("60")
    plan.save()
    # The changes are real: read as of today, the records say otherwise.
    assert TaskPeriod.objects.get(pk=period.pk).status == TaskPeriod.Status.DONE
    assert FundCommitment.objects.get(pk=commitment.pk).use_list_submitted == D(2025, 3, 20)

    after = cells(export([jy]))
    changed = {
        key: (before.get(key), after.get(key))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }
    assert changed == {}


def test_a_report_approved_after_the_cut_off_does_not_count(demo, export):
    jy = demo["jy"]
    liaison = User.objects.get(username="yx_liaison")
    unit = Unit.objects.get(name="尤溪县教育局")
    since = now()
    task = Task.objects.create(pairing=jy, title="建设教育共同体", start_year=2025, number="十、")
    TaskUnit.objects.create(task=task, unit=unit)
    period = TaskPeriod.objects.create(task=task, year=2025, due_date=D(2025, 6, 30))
    target = Target.objects.create(task=task, name="结对学校", value=5, unit="所")
    entered_on(D(2025, 1, 10), since)
    report = task_services.save_report(
        period,
        None,
        text="已结对 6 所学校。",
        unit=unit,
        marks_done=True,
        completed_on=D(2025, 6, 20),
        values={target.pk: 6},
    )
    task_services.submit_report(report, None)
    task_services.approve_report(report, liaison)  # today, after the cut-off

    wb = export([jy])
    row = next(line for line in lines(wb["任务完成情况"]) if line["任务"] == "建设教育共同体")
    assert (row["按时 / 逾期"], row["状态"], row["最近通过的进展报告"]) == ("已逾期 185 天", "逾期", None)
    assert next(line for line in lines(wb["指标完成情况"]) if line["指标"] == "结对学校")["是否达标"] == "否"

    # Approved before the cut-off, it counts: on time, 6 of 5 schools.
    entered_on(D(2025, 6, 25), since)
    wb = export([jy])
    row = next(line for line in lines(wb["任务完成情况"]) if line["任务"] == "建设教育共同体")
    assert (row["按时 / 逾期"], row["状态"], row["最近通过的进展报告"]) == (
        "按时完成",
        "已完成",
        "已结对 6 所学校。",
    )
    assert next(line for line in lines(wb["指标完成情况"]) if line["指标"] == "结对学校")["是否达标"] == "是"
    mountain = lines(wb["汇总"])[1]  # 尤溪县教育局's task: the receiving side's
    assert mountain["重点任务按时完成（40分）"] == 40 and "按时完成 1/1" in mountain["计分依据"]


# --------------------------------------------------------------------------------------------
# No data is 不适用, never full marks
# --------------------------------------------------------------------------------------------


def test_nothing_to_assess_is_not_applicable_never_full_marks(demo, export):
    wb = export(list(Pairing.objects.all()), data_only=True)
    summary = lines(wb["汇总"])
    assert not any("按满分计" in (line["计分依据"] or "") for line in summary)
    by_name = {}
    for line in summary:
        by_name.setdefault(line["结对"], []).append(line)
    # 闽宁's tasks (004) run to 2026 with no deadline in 2025 and no minimum: nothing of 2025 is
    # assessed on either side — not applicable, no score at all, never full marks.
    for line in by_name["闽宁协作（福建省—宁夏回族自治区）"]:
        assert line["总分"] != 100
    # The Wenzhou programme has sub-pairings: they are scored, it is not.
    for line in by_name["温州市山海协作工程升级版"]:
        assert line["总分"] == "不适用" and "设有下级结对" in line["计分依据"]
    # A side with something to assess has a number; nothing scores 100 for having nothing.
    assert [line["总分"] for line in by_name["晋江市—尤溪县山海协作"]] == [37.5, 37.5]


def test_a_year_outside_the_pairings_years_is_not_scored(demo, export):
    summary = lines(export([demo["jy"]], year=2019, today=D(2020, 1, 15))["汇总"])
    assert [line["总分"] for line in summary] == ["不适用", "不适用"]
    assert all("2019 年不在结对起止年份（2024—2030）内" in line["计分依据"] for line in summary)
    assert all(v == "不适用" for line in summary for k, v in line.items() if k.endswith("分）"))


# --------------------------------------------------------------------------------------------
# The demo, dated as entered
# --------------------------------------------------------------------------------------------


def test_the_demos_records_are_dated_on_the_day_they_happened_once(demo):
    from django.core.management import call_command
    from django.utils import timezone

    from funds.models import Disbursement

    payment = Disbursement.objects.get(commitment__pairing=demo["jy"], date=D(2025, 5, 20))
    assert timezone.localtime(payment.recorded_at).date() == D(2025, 5, 20)
    assert {timezone.localtime(h.history_date).date() for h in payment.history.all()} == {D(2025, 5, 20)}
    festival = Activity.objects.get(title="晋江尤溪朱子文化旅游节")
    assert {timezone.localtime(h.history_date).date() for h in festival.history.all()} == {D(2025, 4, 18)}
    approved = ProgressReport.objects.get(
        period__task__pairing=demo["jy"], period__year=2024, status="approved", completed_on=D(2024, 4, 29)
    )
    assert timezone.localtime(approved.reviewed_at).date() == D(2024, 5, 2)
    # Loading the demo again dates nothing anew.
    call_command("load_demo", "--quiet")
    payment.refresh_from_db()
    assert timezone.localtime(payment.recorded_at).date() == D(2025, 5, 20)


def test_an_activity_moved_out_of_the_year_before_the_cut_off_is_not_counted(demo, export):
    jy = demo["jy"]
    since = now()
    exchange = Activity.objects.create(
        pairing=jy, kind="exchange", title="晋江—尤溪教师交流", date=D(2025, 10, 1), field="教育"
    )
    entered_on(D(2025, 10, 2), since)
    counted = {line["要求"]: line["实际次数"] for line in lines(export([jy])["交流活动"])}
    assert counted[EDUCATION] == 1

    since = now()
    exchange.date = D(2026, 3, 1)  # postponed, recorded in November
    exchange.save()
    entered_on(D(2025, 11, 5), since)
    counted = {line["要求"]: line["实际次数"] for line in lines(export([jy])["交流活动"])}
    assert counted[EDUCATION] == 0
