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
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    AssessmentAdjustment,
    AssessmentAdjustmentEntry,
    AssessmentScheme,
    AssessmentSection,
)
from assessment.record import TaskAt, YearRecord, id_list
from cooperation.models import Pairing, Unit
from core.states import Standing, State, judge
from tasks.models import Task, TaskPeriod, TaskUnit

ZERO = Decimal("0")
ONE = Decimal("1")
SIDES = ("coastal", "mountain")
BOTH_SIDES = frozenset(SIDES)  # a task without units answers for both


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


class PeriodOutcome(NamedTuple):
    """How a task period stands on the assessment day (the answer of `core.states.judge`)."""

    key: str  # on_time / late / overdue / open / paused / no_due
    days_late: int | None
    counted: bool  # in the denominator of the on-time rate
    on_time: bool
    standing: Standing

    @property
    def label(self) -> str:
        """The standing's label (translated when read: the scores never need it, the sheets do)."""
        return self.standing.label


OUTCOME_KEYS = {
    State.DONE: "on_time",
    State.DONE_LATE: "late",
    State.OVERDUE: "overdue",
    State.ON_TRACK: "open",
    State.SOON: "open",
    State.PAUSED: "paused",
    State.CONTINUING: "no_due",
    State.NA: "na",
}


def outcome_of(standing: Standing) -> PeriodOutcome:
    """A `Standing` as the assessment counts it: done, done late and overdue are assessed; the rest is not."""
    state = standing.state
    counted = state in (State.DONE, State.DONE_LATE, State.OVERDUE) and standing.due is not None
    days = (
        standing.days if state in (State.DONE_LATE, State.OVERDUE) else (0 if state == State.DONE else None)
    )
    return PeriodOutcome(OUTCOME_KEYS[state], days, counted, state == State.DONE, standing)


def period_outcome(
    due: datetime.date | None, status: str, completed_on: datetime.date | None, as_of: datetime.date
) -> PeriodOutcome:
    """On time, late by N days, overdue, not yet due, paused, or without a deadline — `core.states.judge`."""
    return outcome_of(
        judge(
            due=due,
            done=status == TaskPeriod.Status.DONE,
            done_on=completed_on,
            as_of=as_of,
            paused=status == TaskPeriod.Status.PAUSED,
        )
    )


# --------------------------------------------------------------------------------------------
# Activities against the yearly minimums
# --------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------
# Facts per pairing and side
# --------------------------------------------------------------------------------------------


@dataclass
class Facts:
    """What one side of one pairing did in the year, as counts the scheme's rules turn into points.

    `not_scored` says why the side is not assessed at all (a programme with sub-pairings, a year
    outside the pairing's years); it is then 不适用 as a whole.
    """

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
    not_scored: str = ""
    # Bonus and deduction entries of the year: per item, the points entered (before the cap) and
    # the reasons, e.g. {7: Decimal("4")}, {7: ["获省级表彰 +2", …]}.
    adjusted: dict[int, Decimal] = field(default_factory=dict)
    adjusted_reasons: dict[int, list[str]] = field(default_factory=dict)


# Pairings handled together: the year's lookups (each task's sides, periods, actuals) are held for
# one chunk at a time, so memory is bounded by the largest chunk, not by the province's rows. Five
# pairings (2,500 tasks at the benchmark's size) keep a province's export within 1.25× the memory of
# a three-pairing one; 20 held 35 % more, and were no faster.
PAIRING_CHUNK = 5


def pairing_chunks(pairings: list[Pairing]) -> list[list[Pairing]]:
    return [pairings[start : start + PAIRING_CHUNK] for start in range(0, len(pairings), PAIRING_CHUNK)]


def not_scored_reason(pairing: Pairing, year: int, has_children: bool) -> str:
    """Why a pairing is not scored for `year` (empty when it is)."""
    if has_children:
        return _("设有下级结对，由各下级结对分别考核")
    if year < pairing.start_year or (pairing.end_year is not None and year > pairing.end_year):
        span = f"{pairing.start_year}—{pairing.end_year or ''}"
        return _("%(year)d 年不在结对起止年份（%(span)s）内") % {"year": year, "span": span}
    return ""


def collect_facts(
    pairings: list[Pairing], year: int, as_of: datetime.date, scheme: AssessmentScheme | None = None
) -> dict[tuple[int, str], Facts]:
    """Facts of every (pairing, side) as the year stood at the cut-off (`assessment.record`): a
    constant number of queries per chunk of pairings, whatever the number of tasks, periods or reports.
    With `scheme`, the bonus and deduction entries of its items for the year are read too."""
    facts = initial_facts(pairings, year)
    for chunk in pairing_chunks(pairings):
        collect_chunk(Chunk(chunk, year, as_of), facts)
    if scheme is not None:
        collect_adjustments(pairings, year, scheme, facts)
    return facts


def initial_facts(pairings: list[Pairing], year: int) -> dict[tuple[int, str], Facts]:
    """Empty facts of every (pairing, side), with the reason a pairing is not scored (one query)."""
    facts = {(p.pk, side): Facts() for p in pairings for side in SIDES}
    parents = set(
        Pairing.objects.filter(parent_id__in=[p.pk for p in pairings]).values_list("parent_id", flat=True)
    )
    for pairing in pairings:
        reason = not_scored_reason(pairing, year, pairing.pk in parents)
        for side in SIDES:
            facts[(pairing.pk, side)].not_scored = reason
    return facts


class Chunk:
    """A chunk of pairings' year as recorded at the cut-off, read once and shared by the scores and
    by every sheet of the workbook (the YearRecord, each task's sides, the notices, the park plans)."""

    def __init__(self, pairings: list[Pairing], year: int, as_of: datetime.date) -> None:
        self.pairings = pairings
        self.ids = [p.pk for p in pairings]
        self.year = year
        self.as_of = as_of
        self._memo: dict = {}

    def memo(self, key, factory):
        """`factory()` once per chunk (what several sheets read alike)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    @cached_property
    def record(self) -> YearRecord:
        return YearRecord(self.ids, self.year, self.as_of)

    @cached_property
    def units(self) -> TaskUnits:
        return task_units(self.pairings, self.record.tasks)

    @property
    def sides(self) -> dict[int, frozenset[str]]:
        return self.units.sides

    @cached_property
    def notices(self):
        return self.record.notices()

    @cached_property
    def park_plans(self) -> list[dict]:
        return self.record.park_plans()


def collect_adjustments(pairings: list[Pairing], year: int, scheme: AssessmentScheme, facts: dict) -> None:
    """The year's bonus and deduction entries of the scheme's items, per (pairing, side) (one query)."""
    entries = (
        AssessmentAdjustmentEntry.objects.filter(
            item__scheme=scheme, year=year, pairing_id__in=[p.pk for p in pairings]
        )
        .order_by("pk")
        .values_list("pairing_id", "side", "item_id", "item__kind", "points", "reason")
    )
    for pairing_id, side, item_id, kind, points, reason in entries:
        side_facts = facts.get((pairing_id, side))
        if side_facts is None:
            continue
        side_facts.adjusted[item_id] = side_facts.adjusted.get(item_id, ZERO) + points
        sign = "+" if kind == AssessmentAdjustment.Kind.BONUS else "−"
        side_facts.adjusted_reasons.setdefault(item_id, []).append(f"{reason} {sign}{points.normalize():f}")


class TaskUnits(NamedTuple):
    """A chunk's task units, read once: each task's side(s) and its lead and cooperating units."""

    sides: dict[int, frozenset[str]]  # from the units' regions; a task without units is absent
    lead: dict[int, str]  # the units' names in their order, joined with 、
    cooperating: dict[int, str]


def task_units(pairings: list[Pairing], tasks: dict[int, TaskAt]) -> TaskUnits:
    """Which side(s) each of `tasks` (a chunk's, by id) answers for, from its units' regions, and
    its units by role (two queries: the task units, then their few hundred units)."""
    by_id = {p.pk: p for p in pairings}
    rows = list(
        TaskUnit.objects.filter(task_id__in=id_list(tasks))
        .order_by("task_id", "order", "pk")
        .values_list("task_id", "role", "unit_id")
    )
    names, paths = {}, {}
    for pk, name, path in Unit.objects.filter(pk__in=id_list({row[2] for row in rows})).values_list(
        "pk", "name", "region__path"
    ):
        names[pk], paths[pk] = name, path
    # A unit's side(s) in a pairing as a bit mask (coastal 1, mountain 2), worked out once per
    # pairing and unit (a few hundred); a task's sides are its units' masks or-ed together.
    masks: dict[int, dict[int, int]] = {pk: {} for pk in by_id}
    sides: dict[int, frozenset[str]] = {}
    lead: dict[int, str] = {}
    cooperating: dict[int, str] = {}
    lead_role = TaskUnit.Role.LEAD.value
    for task_id, group in groupby(rows, key=itemgetter(0)):
        pairing_id = tasks[task_id].pairing_id
        unit_masks = masks[pairing_id]
        mask, leads, others = 0, [], []
        for _task_id, role, unit_id in group:
            found = unit_masks.get(unit_id)
            if found is None:
                found = unit_masks[unit_id] = SIDE_MASKS[sides_of(paths[unit_id], by_id[pairing_id])]
            mask |= found
            (leads if role == lead_role else others).append(names[unit_id])
        sides[task_id] = MASK_SIDES[mask]
        if leads:
            lead[task_id] = "、".join(leads)
        if others:
            cooperating[task_id] = "、".join(others)
    return TaskUnits(sides=sides, lead=lead, cooperating=cooperating)


# `sides_of`'s answers as bit masks, and back (one shared frozenset per combination).
SIDE_MASKS = {(SIDES[0],): 1, (SIDES[1],): 2, SIDES: 3}
MASK_SIDES = {1: frozenset(SIDES[:1]), 2: frozenset(SIDES[1:]), 3: BOTH_SIDES}


def collect_chunk(chunk: Chunk, facts: dict) -> None:
    """Add one chunk's facts to `facts` (see `collect_facts`)."""
    by_id = {p.pk: p for p in chunk.pairings}
    record = chunk.record
    sides_by_task = chunk.sides

    # 重点任务按时完成: report-kept periods due in the year (a ledger-kept one is its ledger's section's).
    # Tens of thousands of periods: counted per (pairing, sides, on time) first, then given to the sides.
    tasks, standing = record.tasks, record.standing
    counted: Counter[tuple[int, frozenset[str], bool]] = Counter()
    for period in record.due_periods:
        task = tasks[period.task_id]
        if task.fulfilment:
            continue
        outcome = outcome_of(standing(period))
        if outcome.counted:
            counted[(task.pairing_id, sides_by_task.get(task.pk, BOTH_SIDES), outcome.on_time)] += 1
    for (pairing_id, sides, on_time), n in counted.items():
        for side in sides:
            facts[(pairing_id, side)].tasks_counted += n
            facts[(pairing_id, side)].tasks_on_time += n * int(on_time)

    # 量化指标完成: targets of report-kept tasks that are not yearly minimums.
    counted.clear()
    for target in record.targets:
        if not record.counted_in_targets(target):
            continue
        met = target.is_met(record.actual(target))
        pairing_id = tasks[target.task_id].pairing_id
        counted[(pairing_id, sides_by_task.get(target.task_id, BOTH_SIDES), met)] += 1
    for (pairing_id, sides, met), n in counted.items():
        for side in sides:
            facts[(pairing_id, side)].targets_counted += n
            facts[(pairing_id, side)].targets_met += n * int(met)

    # 帮扶资金按时到位: the payer answers for the payment, the receiver for the list (and for an
    # arrival a task is kept by).
    for commitment in record.commitments.values():
        pairing = by_id[commitment.pairing_id]
        payment = outcome_of(commitment.payment())
        if payment.counted:
            for side in sides_of(commitment.payer_region.path, pairing):
                facts[(pairing.pk, side)].funds_counted += 1
                facts[(pairing.pk, side)].funds_on_time += int(payment.on_time)
        use_list = commitment.use_list()
        if use_list is not None and outcome_of(use_list).counted:
            for side in sides_of(commitment.receiver_region.path, pairing):
                facts[(pairing.pk, side)].funds_counted += 1
                facts[(pairing.pk, side)].funds_on_time += int(use_list.on_time)
    for period in record.period_of_task.values():
        task = tasks[period.task_id]
        if task.fulfilment != Task.Fulfilment.FUND_CONFIRMED:
            continue
        commitment = record.commitment_for(task, period)
        if commitment is None:
            continue
        arrival = outcome_of(record.standing(period))
        if arrival.counted:
            for side in sides_of(commitment.receiver_region.path, by_id[task.pairing_id]):
                facts[(task.pairing_id, side)].funds_counted += 1
                facts[(task.pairing_id, side)].funds_on_time += int(arrival.on_time)

    # 交流活动达到最低次数: the explicit yearly minimums, shared by both sides.
    for minimum in record.minimums:
        for side in SIDES:
            facts[(minimum.pairing_id, side)].minimums_counted += 1
            facts[(minimum.pairing_id, side)].minimums_met += int(minimum.met)

    for notice in chunk.notices:
        for side in sides_of(notice.unit.region.path, by_id[notice.pairing_id]):
            facts[(notice.pairing_id, side)].notices += 1
            facts[(notice.pairing_id, side)].escalations += int(notice.escalated)

    for plan in chunk.park_plans:
        for side in SIDES:  # each side may count 100 % of a co-built park's figures
            facts[(plan["park__pairing_id"], side)].parks_planned += plan["planned_completion"]
            facts[(plan["park__pairing_id"], side)].parks_actual += plan["actual_completion"] or ZERO


# --------------------------------------------------------------------------------------------
# The scheme
# --------------------------------------------------------------------------------------------

DEFAULT_SCHEME_NAME = "山海协作年度考核默认方案"
# (name, rule, weight, deduction): documented in docs/guide-liaison.md (Scoring).
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
        for s in AssessmentScheme.objects.filter(is_default=False).prefetch_related("sections", "adjustments")
        if s.applies_to(year) and (s.year_from is not None or s.year_to is not None)
    ]
    if candidates:
        return max(candidates, key=lambda s: (s.year_from or 0, s.pk))
    ensure_default_scheme()
    return AssessmentScheme.objects.prefetch_related("sections", "adjustments").get(is_default=True)


def _rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def section_rate(section: AssessmentSection, facts: Facts) -> Decimal | None:
    """The share of the section's weight earned (0…1), or None when the side had nothing to assess."""
    return rule_rate(section.rule, facts)


def rule_rate(rule: str, facts: Facts) -> Decimal | None:
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


def section_applies(section: AssessmentSection, facts: Facts, sections: list[AssessmentSection]) -> bool:
    """Whether the section has anything to assess for the side. 催办督办 (a deduction) applies when
    another section of the scheme does: a side with nothing to assess is not scored on its urging alone."""
    if facts.not_scored:
        return False
    if section.rule == AssessmentSection.Rule.URGING:
        return any(
            rule_rate(other.rule, facts) is not None
            for other in sections
            if other.rule != AssessmentSection.Rule.URGING
        )
    return section_rate(section, facts) is not None


def section_score(
    section: AssessmentSection, facts: Facts, sections: list[AssessmentSection]
) -> Decimal | None:
    """Points of one section: rate × weight; None (不适用) when there was nothing to assess."""
    if not section_applies(section, facts, sections):
        return None
    if section.rule == AssessmentSection.Rule.URGING:
        return max(ZERO, section.weight - section.deduction * facts.escalations).quantize(Decimal("0.01"))
    rate = section_rate(section, facts)
    return (section.weight * rate).quantize(Decimal("0.01"))


def applicable_weight(sections: list[AssessmentSection], facts: Facts) -> Decimal:
    return sum((s.weight for s in sections if section_applies(s, facts, sections)), ZERO)


def base_score(sections: list[AssessmentSection], facts: Facts) -> Decimal | None:
    """The total over the applicable sections, brought to the scheme's full marks:
    earned ÷ applicable weight × full weight (= × 100 with the default scheme); None (不适用) when
    no section applies."""
    weight = applicable_weight(sections, facts)
    if not weight:
        return None
    earned = sum((section_score(s, facts, sections) or ZERO for s in sections), ZERO)
    full = sum((s.weight for s in sections), ZERO)
    return (earned / weight * full).quantize(Decimal("0.01"))


def adjustment_points(item: AssessmentAdjustment, facts: Facts) -> Decimal:
    """What one bonus (+) or deduction (−) item adds to the total: its entries up to its cap."""
    points = min(facts.adjusted.get(item.pk, ZERO), item.cap)
    return item.sign * points if points else ZERO


def adjustments_total(items: list[AssessmentAdjustment], facts: Facts, kind: str | None = None) -> Decimal:
    """The sum of the items' points (of one kind, if given), each item capped."""
    return sum((adjustment_points(i, facts) for i in items if kind is None or i.kind == kind), ZERO)


def total_score(
    sections: list[AssessmentSection], facts: Facts, items: list[AssessmentAdjustment] = ()
) -> Decimal | None:
    """The base score (`base_score`) plus the bonus items and minus the deduction items, each up
    to its cap; None (不适用) when no section applies (a bonus does not make a side assessed)."""
    base = base_score(sections, facts)
    if base is None:
        return None
    return base + adjustments_total(list(items), facts)


def section_detail(section: AssessmentSection, facts: Facts, sections: list[AssessmentSection]) -> str:
    """A short Chinese note of what the points were computed from, e.g. “按时 3/5”."""
    Rule = AssessmentSection.Rule
    if not section_applies(section, facts, sections):
        return _("%(name)s：无考核事项，不适用") % {"name": section.name}
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
    if section.rule == Rule.TASKS_ON_TIME:
        label, part, whole = _("按时完成"), facts.tasks_on_time, facts.tasks_counted
    elif section.rule == Rule.TARGETS_MET:
        label, part, whole = _("达标"), facts.targets_met, facts.targets_counted
    elif section.rule == Rule.FUNDS_ON_TIME:
        label, part, whole = _("按时"), facts.funds_on_time, facts.funds_counted
    elif section.rule == Rule.ACTIVITIES_MINIMUMS:
        label, part, whole = _("达到最低次数"), facts.minimums_met, facts.minimums_counted
    else:
        raise KeyError(section.rule)  # as the table of rules did for a rule it did not know
    return f"{section.name}：{label} {part}/{whole}"
