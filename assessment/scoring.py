"""Scores of the annual assessment: the facts of each pairing and side, and the scheme applied to them.

Read-only rules, shared by the sheets (which show each item's outcome) and the summary (which
scores them), so a period counted "late" in 任务完成情况 is the same one that costs points in 汇总.

Sides: an item belongs to the side whose region holds its unit (晋江市教育局 → 支援方 晋江市). A unit
above or outside both sides (a province office, a city office above a county pairing) answers for
both. Funds: the paying side answers for the payment, the receiving side for its fund-use list.
Activities belong to the pairing, so both sides share that section.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import AssessmentScheme, AssessmentSection
from cooperation.models import Activity, Pairing
from funds.models import FundCommitment
from parks.models import ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks.models import Target, TargetActual, TaskPeriod, TaskUnit

ZERO = Decimal("0")
ONE = Decimal("1")
SIDES = ("coastal", "mountain")


def side_label(side: str) -> str:
    return _("支援方") if side == "coastal" else _("受援方")


def as_of_date(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day the year is judged at: today while the year runs, else the first day after it.

    A finished year is judged as it stood when it ended, so exporting it again later gives the
    same workbook; work due on 31 December and not done is then one day overdue.
    """
    today = today or timezone.localdate()
    return min(today, datetime.date(year + 1, 1, 1))


def sides_of(path: str, pairing: Pairing) -> tuple[str, ...]:
    """The side(s) a unit in region `path` answers for in `pairing` (see the module docstring)."""
    coastal, mountain = pairing.coastal_region.path, pairing.mountain_region.path
    in_coastal, in_mountain = path.startswith(coastal), path.startswith(mountain)
    if in_coastal and in_mountain:
        # One side contains the other (a city and one of its counties): the nearer region wins.
        return ("coastal",) if len(coastal) >= len(mountain) else ("mountain",)
    if in_coastal:
        return ("coastal",)
    if in_mountain:
        return ("mountain",)
    return SIDES


# --------------------------------------------------------------------------------------------
# Outcomes of single items
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodOutcome:
    """How a task period stands on the assessment day."""

    key: str  # on_time / late / overdue / open / paused / no_due
    label: str
    days_late: int | None
    counted: bool  # in the denominator of the on-time rate
    on_time: bool


def period_outcome(
    due: datetime.date | None, status: str, completed_on: datetime.date | None, as_of: datetime.date
) -> PeriodOutcome:
    """On time, late by N days, overdue, not yet due, paused, or without a deadline.

    A period marked done without a completion date counts as done on time (the liaison office
    closed it; the date is what is missing, not the work).
    """
    if status == TaskPeriod.Status.PAUSED:
        return PeriodOutcome("paused", _("暂缓"), None, False, False)
    if due is None:
        if status == TaskPeriod.Status.DONE:
            return PeriodOutcome("no_due", _("已完成（无时限）"), None, False, False)
        return PeriodOutcome("no_due", _("无时限"), None, False, False)
    if status == TaskPeriod.Status.DONE:
        finished = completed_on or due
        if finished <= due:
            return PeriodOutcome("on_time", _("按时完成"), 0, True, True)
        days = (finished - due).days
        return PeriodOutcome("late", _("逾期 %(days)d 天完成") % {"days": days}, days, True, False)
    if due < as_of:
        days = (as_of - due).days
        return PeriodOutcome("overdue", _("已逾期 %(days)d 天") % {"days": days}, days, True, False)
    return PeriodOutcome("open", _("未到期"), None, False, False)


# --------------------------------------------------------------------------------------------
# Activities against the yearly minimums
# --------------------------------------------------------------------------------------------

# A yearly minimum is a task target counted in 次 with "at least" (每年至少1次 …). It is matched to
# kinds of activity by words of its name; the first rule that matches wins, so the specific
# fields (education, health) come before the general ones. A 次 target that matches no rule is not
# an activity minimum (it is still in 指标完成情况).
ACTIVITY_RULES: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    # (words in the target's name, activity kinds, words one of which the activity's field or title holds)
    (("教育",), ("exchange", "training"), ("教育", "教师", "学校")),
    (("医疗", "卫生", "健康"), ("exchange", "training"), ("卫生", "医疗", "健康", "医院")),
    (("对接洽谈", "签约会", "推介会"), ("fair",), ()),
    (("文体旅", "文旅", "文化旅游", "体育"), ("event",), ()),
    (("培训",), ("training",), ()),
    (("领导", "党政", "联席", "互访", "高层"), ("meeting", "visit"), ()),
]


def activity_rule(target_name: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    for words, kinds, fields in ACTIVITY_RULES:
        if any(word in target_name for word in words):
            return kinds, fields
    return None


@dataclass
class Minimum:
    """One yearly minimum of a pairing and the activities that count towards it."""

    pairing: Pairing
    target: Target
    kinds: tuple[str, ...]
    activities: list[Activity] = field(default_factory=list)

    @property
    def required(self) -> Decimal:
        return self.target.value

    @property
    def count(self) -> int:
        return len(self.activities)

    @property
    def met(self) -> bool:
        return self.count >= self.target.value


def activity_minimums(pairings: list[Pairing], year: int) -> tuple[list[Minimum], dict[int, list[Activity]]]:
    """The yearly minimums of each pairing with their matching activities, and all activities by pairing (2 queries)."""
    ids = [p.pk for p in pairings]
    by_id = {p.pk: p for p in pairings}
    activities: dict[int, list[Activity]] = defaultdict(list)
    for activity in Activity.objects.filter(pairing_id__in=ids, date__year=year).order_by("date", "pk"):
        activities[activity.pairing_id].append(activity)
    targets = (
        Target.objects.filter(task__pairing_id__in=ids, unit="次", comparator=Target.Comparator.AT_LEAST)
        .filter(Q(year__isnull=True) | Q(year=year))
        .filter(task__periods__year=year)
        .select_related("task")
        .distinct()
        .order_by("task__pairing_id", "task__position", "task_id", "pk")
    )
    minimums = []
    for target in targets:
        rule = activity_rule(target.name)
        if rule is None:
            continue
        kinds, fields = rule
        matching = [
            a
            for a in activities.get(target.task.pairing_id, [])
            if a.kind in kinds and (not fields or any(w in f"{a.field}{a.title}" for w in fields))
        ]
        minimums.append(Minimum(by_id[target.task.pairing_id], target, kinds, matching))
    return minimums, activities


# --------------------------------------------------------------------------------------------
# Facts per pairing and side
# --------------------------------------------------------------------------------------------


@dataclass
class Facts:
    """What one side of one pairing did in the year, as counts the scheme's rules turn into points."""

    tasks_counted: int = 0
    tasks_on_time: int = 0
    targets_counted: int = 0
    targets_met: int = 0
    funds_counted: int = 0
    funds_on_time: int = 0
    minimums_counted: int = 0
    minimums_met: int = 0
    notices: int = 0
    escalations: int = 0
    parks_planned: Decimal = ZERO
    parks_actual: Decimal = ZERO


# Pairings handled together: the year's lookups (each task's sides, periods, actuals) are held for
# one chunk at a time, so memory is bounded by the largest chunk, not by the province's rows.
PAIRING_CHUNK = 20


def pairing_chunks(pairings: list[Pairing]) -> list[list[Pairing]]:
    return [pairings[start : start + PAIRING_CHUNK] for start in range(0, len(pairings), PAIRING_CHUNK)]


def collect_facts(pairings: list[Pairing], year: int, as_of: datetime.date) -> dict[tuple[int, str], Facts]:
    """Facts of every (pairing, side): a constant number of queries per chunk of pairings, whatever
    the number of tasks, periods or reports."""
    facts = {(p.pk, side): Facts() for p in pairings for side in SIDES}
    for chunk in pairing_chunks(pairings):
        _collect_chunk(chunk, year, as_of, facts)
    return facts


def _collect_chunk(pairings: list[Pairing], year: int, as_of: datetime.date, facts: dict) -> None:
    ids = [p.pk for p in pairings]
    by_id = {p.pk: p for p in pairings}

    # Which side(s) each task answers for, from its units' regions.
    task_sides: dict[int, set[str]] = defaultdict(set)
    for task_id, pairing_id, path in TaskUnit.objects.filter(task__pairing_id__in=ids).values_list(
        "task_id", "task__pairing_id", "unit__region__path"
    ):
        task_sides[task_id].update(sides_of(path, by_id[pairing_id]))

    def sides_for(task_id: int) -> set[str]:
        return task_sides.get(task_id) or set(SIDES)  # a task without units answers for both

    for task_id, pairing_id, due, status, completed_on in TaskPeriod.objects.filter(
        task__pairing_id__in=ids, due_date__year=year
    ).values_list("task_id", "task__pairing_id", "due_date", "status", "completed_on"):
        outcome = period_outcome(due, status, completed_on, as_of)
        if not outcome.counted:
            continue
        for side in sides_for(task_id):
            facts[(pairing_id, side)].tasks_counted += 1
            facts[(pairing_id, side)].tasks_on_time += int(outcome.on_time)

    actuals = {
        (period_id, target_id): value
        for period_id, target_id, value in TargetActual.objects.filter(
            period__year=year, period__task__pairing_id__in=ids
        ).values_list("period_id", "target_id", "value")
    }
    periods = dict(
        TaskPeriod.objects.filter(task__pairing_id__in=ids, year=year).values_list("task_id", "pk")
    )
    for target in (
        Target.objects.filter(task__pairing_id__in=ids)
        .filter(Q(year__isnull=True) | Q(year=year))
        .select_related("task")
    ):
        period_id = periods.get(target.task_id)
        if period_id is None:
            continue  # the task does not run this year
        met = target.is_met(actuals.get((period_id, target.pk)))
        for side in sides_for(target.task_id):
            facts[(target.task.pairing_id, side)].targets_counted += 1
            facts[(target.task.pairing_id, side)].targets_met += int(met)

    for commitment in (
        FundCommitment.objects.filter(pairing_id__in=ids, year=year)
        .select_related("payer_region", "receiver_region")
        .prefetch_related("disbursements")
    ):
        pairing = by_id[commitment.pairing_id]
        state = commitment.payment_state(as_of)
        if state in ("on_time", "late", "overdue"):
            for side in sides_of(commitment.payer_region.path, pairing):
                facts[(pairing.pk, side)].funds_counted += 1
                facts[(pairing.pk, side)].funds_on_time += int(state == "on_time")
        list_state = commitment.use_list_state(as_of)
        if commitment.use_list_due and list_state in ("done", "late", "overdue"):
            for side in sides_of(commitment.receiver_region.path, pairing):
                facts[(pairing.pk, side)].funds_counted += 1
                facts[(pairing.pk, side)].funds_on_time += int(list_state == "done")

    minimums, _activities = activity_minimums(pairings, year)
    for minimum in minimums:
        for side in SIDES:
            facts[(minimum.pairing.pk, side)].minimums_counted += 1
            facts[(minimum.pairing.pk, side)].minimums_met += int(minimum.met)

    for pairing_id, path, escalated in UrgingNotice.objects.filter(
        pairing_id__in=ids, issued_on__year=year
    ).values_list("pairing_id", "unit__region__path", "escalated_on"):
        for side in sides_of(path, by_id[pairing_id]):
            facts[(pairing_id, side)].notices += 1
            facts[(pairing_id, side)].escalations += int(escalated is not None)

    for pairing_id, planned, actual in ParkInvestmentPlan.objects.filter(
        park__pairing_id__in=ids, year=year
    ).values_list("park__pairing_id", "planned_completion", "actual_completion"):
        for side in SIDES:  # each side may count 100 % of a co-built park's figures
            facts[(pairing_id, side)].parks_planned += planned
            facts[(pairing_id, side)].parks_actual += actual or ZERO


# --------------------------------------------------------------------------------------------
# The scheme
# --------------------------------------------------------------------------------------------

DEFAULT_SCHEME_NAME = "山海协作年度考核默认方案"
# (name, rule, weight, deduction): documented in docs/readme_assessment.md.
DEFAULT_SECTIONS = [
    ("重点任务按时完成", AssessmentSection.Rule.TASKS_ON_TIME, Decimal("40"), ZERO),
    ("量化指标完成", AssessmentSection.Rule.TARGETS_MET, Decimal("20"), ZERO),
    ("帮扶资金按时到位", AssessmentSection.Rule.FUNDS_ON_TIME, Decimal("20"), ZERO),
    ("交流活动达到最低次数", AssessmentSection.Rule.ACTIVITIES_MINIMUMS, Decimal("10"), ZERO),
    ("催办督办", AssessmentSection.Rule.URGING, Decimal("10"), Decimal("2")),
]


def ensure_default_scheme() -> AssessmentScheme:
    """The default scheme, created with its documented sections when there is none (an admin's edits stay)."""
    scheme = AssessmentScheme.objects.filter(is_default=True).first()
    if scheme is not None:
        return scheme
    with transaction.atomic():
        scheme = AssessmentScheme.objects.create(
            name=DEFAULT_SCHEME_NAME,
            is_default=True,
            notes="重点任务40分、量化指标20分、资金到位20分、交流活动10分、催办督办10分（每次提请督办扣2分），满分100分。",
        )
        for order, (name, rule, weight, deduction) in enumerate(DEFAULT_SECTIONS, start=1):
            AssessmentSection.objects.create(
                scheme=scheme, order=order, name=name, rule=rule, weight=weight, deduction=deduction
            )
    return scheme


def scheme_for(year: int) -> AssessmentScheme:
    """The scheme whose years cover `year` (the latest starting one), else the default scheme."""
    candidates = [
        s
        for s in AssessmentScheme.objects.filter(is_default=False).prefetch_related("sections")
        if s.applies_to(year) and (s.year_from is not None or s.year_to is not None)
    ]
    if candidates:
        return max(candidates, key=lambda s: (s.year_from or 0, s.pk))
    ensure_default_scheme()
    return AssessmentScheme.objects.prefetch_related("sections").get(is_default=True)


def _rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def section_rate(section: AssessmentSection, facts: Facts) -> Decimal | None:
    """The share of the section's weight earned (0…1), or None when the side had nothing to assess."""
    rule = section.rule
    Rule = AssessmentSection.Rule
    if rule == Rule.TASKS_ON_TIME:
        return _rate(facts.tasks_on_time, facts.tasks_counted)
    if rule == Rule.TARGETS_MET:
        return _rate(facts.targets_met, facts.targets_counted)
    if rule == Rule.FUNDS_ON_TIME:
        if not facts.funds_counted:
            return None
        return ONE if facts.funds_on_time == facts.funds_counted else ZERO
    if rule == Rule.ACTIVITIES_MINIMUMS:
        return _rate(facts.minimums_met, facts.minimums_counted)
    if rule == Rule.PARKS_COMPLETION:
        rate = _rate(facts.parks_actual, facts.parks_planned)
        return None if rate is None else min(rate, ONE)
    return None


def section_score(section: AssessmentSection, facts: Facts) -> Decimal:
    """Points of one section: rate × weight; full marks when there was nothing to assess."""
    if section.rule == AssessmentSection.Rule.URGING:
        return max(ZERO, section.weight - section.deduction * facts.escalations).quantize(Decimal("0.01"))
    rate = section_rate(section, facts)
    return (section.weight if rate is None else section.weight * rate).quantize(Decimal("0.01"))


def section_detail(section: AssessmentSection, facts: Facts) -> str:
    """A short Chinese note of what the points were computed from, e.g. “按时 3/5”."""
    Rule = AssessmentSection.Rule
    pairs = {
        Rule.TASKS_ON_TIME: (_("按时完成"), facts.tasks_on_time, facts.tasks_counted),
        Rule.TARGETS_MET: (_("达标"), facts.targets_met, facts.targets_counted),
        Rule.FUNDS_ON_TIME: (_("按时"), facts.funds_on_time, facts.funds_counted),
        Rule.ACTIVITIES_MINIMUMS: (_("达到最低次数"), facts.minimums_met, facts.minimums_counted),
    }
    if section.rule == Rule.URGING:
        return _("%(name)s：催办 %(n)d 份，督办 %(e)d 次") % {
            "name": section.name,
            "n": facts.notices,
            "e": facts.escalations,
        }
    if section.rule == Rule.PARKS_COMPLETION:
        return _("%(name)s：实际 %(a)s / 计划 %(p)s 万元") % {
            "name": section.name,
            "a": f"{facts.parks_actual:,.2f}",
            "p": f"{facts.parks_planned:,.2f}",
        }
    label, part, whole = pairs[section.rule]
    if not whole:
        return _("%(name)s：无考核事项，按满分计") % {"name": section.name}
    return f"{section.name}：{label} {part}/{whole}"
