"""The dashboards' figures (dashboards/figures.py) on the demo data, each checked against the rows
themselves, counted here one by one with the models' own rules (never with the dashboard's queries)."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from cooperation.models import Activity, Pairing
from dashboards.figures import build_dashboard, build_leader_view, minimum_figures, traffic_light
from funds.models import Disbursement, FundCommitment
from parks.models import ParkInvestmentPlan
from reminders import engine
from reminders.models import UrgingNotice
from tasks.models import TaskPeriod, TaskUnit

pytestmark = pytest.mark.django_db
D = datetime.date


def today() -> datetime.date:
    return timezone.localdate()


def expected_status(pairing_ids, year, day) -> Counter:
    """Periods of the year by the status a user reads on the task pages: 逾期 wins while it applies."""
    counts = Counter()
    for period in TaskPeriod.objects.filter(task__pairing_id__in=pairing_ids, year=year):
        counts["overdue" if period.is_overdue(day) else period.status] += 1
    return counts


def test_tasks_by_status_are_the_periods_of_the_year_as_the_task_pages_show_them(demo):
    jy = demo["jy"]
    for year in (2024, 2025, 2026):
        board = build_dashboard([jy], year, today())
        expected = expected_status([jy.pk], year, today())
        assert {s.key: s.count for s in board.status if s.count} == dict(expected)
        assert board.total == TaskPeriod.objects.filter(task__pairing=jy, year=year).count() > 0
    # The year's overdue work is what the task panel of the pairing page calls 逾期 for that year.
    board = build_dashboard([jy], 2025, today())
    assert board.overdue == TaskPeriod.objects.filter(task__pairing=jy, year=2025).overdue().count() > 0


def test_tasks_by_area_add_up_to_the_status_totals(demo):
    jy = demo["jy"]
    board = build_dashboard([jy], 2025, today())
    by_area = Counter()
    for period in TaskPeriod.objects.filter(task__pairing=jy, year=2025).select_related("task__area"):
        by_area[period.task.area.name if period.task.area else "未分类"] += 1
    assert {a.name: a.total for a in board.areas} == dict(by_area)
    # The plan's own areas in its own order (产业协作 first … 保障措施), unclassified last.
    assert [a.name for a in board.areas][:6] == [
        "产业协作",
        "创新平台",
        "基础设施",
        "社会事业",
        "生态文明",
        "保障措施",
    ]
    for key in ("overdue", "not_started"):
        assert sum(a.counts.get(key, 0) for a in board.areas) == board.status_count(key)


def test_overdue_by_unit_counts_each_overdue_period_for_each_of_its_units(demo):
    jy = demo["jy"]
    expected = Counter()
    for period in TaskPeriod.objects.filter(task__pairing=jy, year=2025):
        if period.is_overdue(today()):
            for link in TaskUnit.objects.filter(task=period.task).select_related("unit"):
                expected[(link.unit.name, link.role)] += 1
    board = build_dashboard([jy], 2025, today())
    got = Counter()
    for unit in board.units:
        got[(unit.name, "lead")] += unit.lead
        got[(unit.name, "cooperating")] += unit.cooperating
    assert +got == expected and expected
    totals = [u.total for u in board.units]
    assert totals == sorted(totals, reverse=True)  # most overdue first


def test_jinjiang_youxi_money_is_twelve_million_a_year_and_what_the_ledger_paid(demo):
    jy = demo["jy"]
    board = build_dashboard([jy], 2025, today())
    ledger = {
        year: Disbursement.objects.filter(commitment__pairing=jy, commitment__year=year).aggregate(
            s=Sum("amount")
        )["s"]
        or Decimal("0")
        for year in (2024, 2025, 2026)
    }
    assert [f.year for f in board.funds] == [2024, 2025, 2026]
    for figures in board.funds:
        assert figures.promised == Decimal("12000000")  # 1200万元 every year (晋政文〔2024〕102号)
        assert figures.paid == ledger[figures.year]
        assert figures.outstanding == Decimal("12000000") - ledger[figures.year]
    assert board.fund_year.year == 2025 and board.fund_year.paid == ledger[2025]
    # Money past its due date and not paid is "overdue" — the open 2026 promise once 30 April 2026 has passed.
    open_2026 = FundCommitment.objects.get(pairing=jy, year=2026)
    overdue_2026 = open_2026.outstanding if open_2026.due < today() else Decimal("0")
    assert next(f for f in board.funds if f.year == 2026).overdue == overdue_2026


def test_escalated_periods_come_from_the_reminder_sweeps_urging_notices(demo):
    """The real sweep urges the units 3 days after 31 December 2025 and escalates (督办) after 15."""
    jy = demo["jy"]
    engine.sweep(D(2026, 1, 3))
    engine.sweep(D(2026, 1, 16))
    escalated_ids = {
        int(key.split(":")[1])
        for key in UrgingNotice.objects.filter(
            escalated_on__isnull=False, item_key__startswith="tasks.period:"
        ).values_list("item_key", flat=True)
    }
    still_overdue = {
        p.pk for p in TaskPeriod.objects.filter(pk__in=escalated_ids, year=2025) if p.is_overdue(today())
    }
    assert still_overdue, "the demo's periods due 2025-12-31 are escalated and still open"

    board = build_dashboard([jy], 2025, today())
    assert board.escalated == len(still_overdue)
    assert board.overdue == TaskPeriod.objects.filter(task__pairing=jy, year=2025).overdue().count()
    leader = build_leader_view([jy], 2025, today())
    assert {item.period.pk for item in leader.lights if item.light == "escalated"} == still_overdue
    # One count of overdue work: the lights' 逾期 (督办 included, shown as 其中督办) is the table's 逾期.
    assert leader.count("overdue") == board.overdue
    assert leader.count("escalated") == board.escalated
    assert leader.attention[0].light == "escalated"  # escalated work heads the list


def test_traffic_lights_follow_the_task_rules():
    day = D(2025, 6, 1)
    assert traffic_light(D(2025, 5, 1), "in_progress", None, False, day)[0] == "overdue"
    assert traffic_light(D(2025, 5, 1), "in_progress", None, True, day)[0] == "escalated"
    assert traffic_light(D(2025, 6, 1), "not_started", None, False, day) == ("soon", "今天到期")
    assert traffic_light(D(2025, 7, 1), "not_started", None, False, day) == ("soon", "30 天后到期")
    assert traffic_light(D(2025, 7, 2), "not_started", None, False, day)[0] == "ok"
    assert traffic_light(D(2025, 5, 1), "done", D(2025, 4, 20), False, day) == ("ok", "按时完成")
    # Done late is not 按时: its own light, as the assessment counts it.
    assert traffic_light(D(2025, 5, 1), "done", D(2025, 5, 11), True, day) == ("late", "逾期 10 天完成")
    assert traffic_light(D(2025, 5, 1), "paused", None, True, day)[0] == "paused"
    # Work without a deadline is continuing work, not "on time".
    assert traffic_light(None, "not_started", None, False, day) == ("continuing", "持续推进")
    # Done after the day it is judged on: still overdue on that day.
    assert traffic_light(D(2025, 5, 1), "done", D(2025, 6, 10), False, day) == ("overdue", "已逾期 31 天")


def test_the_leader_view_lights_every_period_of_the_year_and_lists_its_money(demo):
    jy = demo["jy"]
    period = TaskPeriod.objects.filter(task__pairing=jy, year=today().year, status="not_started").first()
    period.due_date = today() + datetime.timedelta(days=10)
    period.save()
    leader = build_leader_view([jy], today().year, today())
    assert len(leader.lights) == TaskPeriod.objects.filter(task__pairing=jy, year=today().year).count()
    soon = next(item for item in leader.lights if item.period.pk == period.pk)
    assert soon.light == "soon" and soon.detail == "10 天后到期" and soon in leader.attention
    assert [c.year for c in leader.commitments] == [today().year] * len(leader.commitments)
    assert leader.money_due == sum(
        (c.amount for c in FundCommitment.objects.filter(pairing=jy, year=today().year)), Decimal("0")
    )


def test_park_plans_against_completion_count_only_the_lines_that_reported(demo):
    wenzhou = Pairing.objects.filter(parent=demo["wz"])
    planned = ParkInvestmentPlan.objects.filter(park__pairing__in=wenzhou, year=2019)
    board = build_dashboard(list(wenzhou), 2019, today())
    assert board.park_year.planned == planned.aggregate(s=Sum("planned_completion"))["s"]
    assert board.park_year.actual is None and board.park_year.rate is None  # 附件1 has plans, no actuals
    assert len(board.park_lines) == planned.values("park").distinct().count() == 5

    # 永嘉—瓯海's government line of 2019 (附件1: 计划完成数 8000 万元) reports 6000 万元.
    line = planned.get(park__short_name__startswith="永嘉", kind="government")
    assert line.planned_completion == Decimal("8000")
    line.actual_completion = Decimal("6000")
    line.save()
    board = build_dashboard(list(wenzhou), 2019, today())
    assert board.park_year.actual == Decimal("6000") and board.park_year.reported == 1
    assert board.park_year.rate == Decimal("75.0")  # 6000 ÷ 8000, not ÷ every park's plan
    park = next(p for p in board.park_lines if p.park_id == line.park_id)
    assert park.actual == Decimal("6000") and park.rate == Decimal("75.0")


def test_yearly_minimums_count_the_exchanges_of_the_year(demo):
    """Jinjiang–Youxi 2025: the 朱子文化旅游节 (18 April) and the joint meeting (12 June) meet two of the
    plan's four yearly minimums; no education or health exchange was recorded in 2025."""
    jy = demo["jy"]
    board = build_dashboard([jy], 2025, today())
    met = {m.name: m.met for m in board.minimums}
    assert met["共同举办文体旅活动"] and met["两地党政主要领导共同研究部署山海协作工作"]
    assert not met["教育领域专技人员交流活动"] and not met["医疗领域专技人员交流活动"]
    kinds = Counter(Activity.objects.filter(pairing=jy, date__year=2025).values_list("kind", flat=True))
    assert {kind: n for kind, _label, n in board.activity_kinds} == dict(kinds)
    # 2024's exchanges in education and health (November and December 2024) count in 2024.
    met_2024 = {m.name: m.met for m in build_dashboard([jy], 2024, today()).minimums}
    assert met_2024["教育领域专技人员交流活动"] and met_2024["医疗领域专技人员交流活动"]


def test_the_overview_adds_up_its_pairings(demo):
    pairings = list(Pairing.objects.all())
    board = build_dashboard(pairings, 2025, today())
    assert board.total == TaskPeriod.objects.filter(year=2025).count()
    assert {s.key: s.count for s in board.status if s.count} == dict(
        expected_status([p.pk for p in pairings], 2025, today())
    )
    rows = {row.pairing.pk: row for row in board.rows}
    assert len(rows) == len(pairings)
    assert sum(row.periods for row in rows.values()) == board.total
    assert rows[demo["jy"].pk].promised == Decimal("12000000")
    assert sum(row.overdue for row in rows.values()) == board.overdue


def test_figures_never_include_pairings_outside_the_list(demo):
    wenzhou = list(Pairing.objects.filter(pk=demo["wz"].pk) | Pairing.objects.filter(parent=demo["wz"]))
    board = build_dashboard(wenzhou, 2025, today())
    # Jinjiang–Youxi's money (2024–2026) is not Wenzhou's: only the five Wenzhou pairings' own
    # commitments of 2018–2020 count (in the demo since issue 20), ¥2,000,000 each a year.
    assert [(f.year, f.commitments, f.promised) for f in board.funds] == [
        (year, 5, Decimal("10000000")) for year in (2018, 2019, 2020)
    ]
    assert all(m.pairing_id != demo["jy"].pk for m in board.minimums)
    assert board.total == TaskPeriod.objects.filter(task__pairing__in=wenzhou, year=2025).count()


@pytest.mark.parametrize("year", [2018, 2019, 2024, 2025])
def test_minimums_match_the_assessment_workbooks_exchanges_sheet(demo, year):
    """The dashboard reads plain values for speed; the outcome is the assessment's, minimum by minimum."""
    pairings = list(Pairing.objects.all())
    Activity.objects.create(
        pairing=demo["wz"], kind="fair", title="瓯海—永嘉产业对接洽谈会", date=D(year, 5, 8)
    )
    rows, _groups, _kinds = minimum_figures(pairings, year)
    assert [(r.pairing_id, r.name, r.required, r.count, r.met) for r in rows] == model_minimums(
        pairings, year
    )
    assert rows, "the demo has yearly minimums in these years"


def model_minimums(pairings, year: int) -> list[tuple[int, str, int, int, bool]]:
    """The yearly minimums by the model's own rule (`Target.counts` over every activity), slowly."""
    from django.db.models import Q

    from cooperation.models import Activity
    from tasks.models import Target

    rows = []
    for target in (
        Target.objects.filter(task__pairing__in=pairings, task__periods__year=year)
        .exclude(activity_kinds="")
        .filter(Q(year__isnull=True) | Q(year=year))
        .distinct()
        .select_related("task")
        .order_by("task__pairing_id", "task__position", "task_id", "pk")
    ):
        activities = Activity.objects.filter(pairing_id=target.task.pairing_id, date__year=year)
        count = sum(1 for a in activities if target.counts(a.kind, a.field, a.title))
        rows.append((target.task.pairing_id, target.name, int(target.value), count, count >= target.value))
    return rows
