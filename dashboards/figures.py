"""Figures of the dashboards (数据看板): tasks, overdue units, money, parks and exchanges of pairings in a year.

Pure functions over pairings the caller has already scoped (`Pairing.objects.visible_to(user)`): every
figure reads only rows of those pairings. Each figure is one aggregate query grouped in the database,
so a page costs the same number of queries for one pairing or a hundred with fifty thousand tasks;
Python only arranges the grouped rows (a few per pairing, never one per task).

The rules are the product's own, not new ones:
- 逾期: the due date has passed and the period is neither 已完成 nor 暂缓 (`TaskPeriod.is_overdue`);
- 即将到期: open and due within 30 days (`TaskPeriod.badge`, `funds.models.SOON_DAYS`);
- 督办: the period's urging notice was escalated to the pairing's leaders (`UrgingNotice.escalated_on`,
  written by the reminder sweep); it shows while the period is still overdue;
- money: promised = the commitments' amounts, paid = the ledger's running totals (`paid_total`),
  confirmed = arrivals confirmed by the receiving side, outstanding = promised − paid;
- park plans: planned vs actual completion (万元) of the plan lines; the rate is taken over the lines
  whose actual completion has been entered, so a park that has not reported does not pull it down;
- yearly minimums of exchanges: the targets that count activities (`Target.counts`), the rule the
  task periods and the workbook's 交流活动 sheet follow.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessment.sheets import full_numbers
from cooperation.models import Activity, Pairing, Unit
from core import freshness
from core.states import SOON_DAYS, Standing, State, judge
from funds.models import ArrivalConfirmation, Disbursement, FundCommitment
from parks.models import Park, ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks.models import PERIOD_KEY_PREFIX, Area, Target, Task, TaskPeriod, TaskUnit, YearLock
from tasks.models import overdue_q as period_overdue_q

ZERO = Decimal("0")
WAN = Decimal("10000")
# As TaskPeriod.badge and funds.models.SOON_DAYS: open work due within 30 days is "due soon".
DUE_SOON_DAYS = SOON_DAYS
# The overdue-by-unit chart shows the units with most overdue work; its table the first 50 and a
# line for the rest (a province has thousands of units: the page stays readable and fast).
CHART_UNITS = 15
TABLE_UNITS = 50

DONE = TaskPeriod.Status.DONE
PAUSED = TaskPeriod.Status.PAUSED

# Every model whose rows the overview's figures read. A save or delete of any of them changes the
# figures' version token (dashboards/apps.py, core/freshness.py), so `cached_dashboard` never
# serves a figure older than the last write. (Payments and arrivals move a commitment's running
# totals with a queryset update, which sends no signal: their own saves stand in for it.)
FIGURE_SOURCES = (
    Pairing,
    Unit,
    Activity,
    Task,
    TaskPeriod,
    TaskUnit,
    Area,
    Target,
    YearLock,
    UrgingNotice,
    FundCommitment,
    Disbursement,
    ArrivalConfirmation,
    Park,
    ParkInvestmentPlan,
)


def status_keys() -> list[tuple[str, str]]:
    """The statuses a user reads, in the order of the charts: typed ones, then 逾期 (which wins while it applies)."""
    return [
        (DONE.value, str(DONE.label)),
        (TaskPeriod.Status.IN_PROGRESS.value, str(TaskPeriod.Status.IN_PROGRESS.label)),
        (TaskPeriod.Status.NOT_STARTED.value, str(TaskPeriod.Status.NOT_STARTED.label)),
        ("overdue", _("逾期")),
        (PAUSED.value, str(PAUSED.label)),
    ]


def overdue_q(today: datetime.date) -> Q:
    """Periods overdue on `today`: the one rule (`tasks.models.overdue_q`), usable in aggregates."""
    return period_overdue_q(today)


def escalated_period_ids(pairing_ids: list[int]):
    """A subquery of the ids of periods whose urging notice was escalated (督办) — ids parsed in SQL."""
    start = len(PERIOD_KEY_PREFIX) + 1
    return (
        UrgingNotice.objects.filter(
            pairing_id__in=pairing_ids, escalated_on__isnull=False, item_key__startswith=PERIOD_KEY_PREFIX
        )
        .annotate(period_id=Cast(Substr("item_key", start), IntegerField()))
        .values("period_id")
    )


def _rate(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part ÷ whole in percent with one decimal; None when it means nothing."""
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1"))


def _wan(amount: Decimal | None) -> float | None:
    """Yuan → 万元 for a chart axis (the tables keep the exact yuan)."""
    return None if amount is None else float((amount / WAN).quantize(Decimal("0.01")))


# --------------------------------------------------------------------------------------------
# What the functions return
# --------------------------------------------------------------------------------------------


@dataclass
class StatusCount:
    key: str
    label: str
    count: int


@dataclass
class AreaRow:
    """Periods of one task area (areas of the same name in several pairings are added up)."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    order: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status key, count) in the order of `status_keys()`, zeros included: one table row."""
        return [(key, self.counts.get(key, 0)) for key, _label in status_keys()]


@dataclass
class UnitRow:
    """A responsible unit and the overdue periods it answers for, as lead or co-operating unit."""

    unit_id: int | None
    name: str
    lead: int = 0
    cooperating: int = 0

    @property
    def total(self) -> int:
        return self.lead + self.cooperating


@dataclass
class FundYear:
    """The money of one year: promised, paid, confirmed as arrived, outstanding, and what is overdue."""

    year: int
    promised: Decimal = ZERO
    paid: Decimal = ZERO
    confirmed: Decimal = ZERO
    overdue: Decimal = ZERO  # outstanding on commitments whose due date has passed
    commitments: int = 0

    @property
    def outstanding(self) -> Decimal:
        return self.promised - self.paid

    @property
    def paid_rate(self) -> Decimal | None:
        return _rate(self.paid, self.promised)


@dataclass
class ParkFigures:
    """Plan lines (政府性 + 招商) of a park or of a year, in 万元 as entered."""

    year: int
    park_id: int | None = None
    name: str = ""
    pairing_id: int | None = None
    lines: int = 0
    reported: int = 0  # lines whose actual completion is entered
    project_count: int = 0
    planned_total: Decimal = ZERO
    planned: Decimal = ZERO  # planned completion
    planned_reported: Decimal = ZERO  # planned completion of the reported lines
    actual: Decimal | None = None

    @property
    def rate(self) -> Decimal | None:
        """Actual ÷ planned completion over the lines that have reported."""
        return _rate(self.actual, self.planned_reported)

    def add(self, other: ParkFigures) -> None:
        self.lines += other.lines
        self.reported += other.reported
        self.project_count += other.project_count
        self.planned_total += other.planned_total
        self.planned += other.planned
        self.planned_reported += other.planned_reported
        if other.actual is not None:
            self.actual = (self.actual or ZERO) + other.actual


@dataclass
class MinimumRow:
    """One yearly minimum of one pairing (每年至少1次 …) against the activities that count for it."""

    pairing_id: int
    pairing: str
    name: str
    source_text: str
    required: int
    count: int
    activities: list[str]

    @property
    def met(self) -> bool:
        return self.count >= self.required


@dataclass
class MinimumGroup:
    """The minimums of the same name over the pairings shown (one per pairing that has it)."""

    name: str
    required: int = 0
    count: int = 0
    met: int = 0
    total: int = 0


@dataclass
class PairingRow:
    """One pairing's line of the overview table."""

    pairing: Pairing
    periods: int = 0
    done: int = 0
    overdue: int = 0
    escalated: int = 0
    promised: Decimal = ZERO
    paid: Decimal = ZERO
    park_planned: Decimal = ZERO
    park_actual: Decimal | None = None
    minimums_met: int = 0
    minimums: int = 0


@dataclass
class Dashboard:
    """Every figure of the overview for a set of pairings and a year."""

    year: int
    today: datetime.date
    pairings: list[Pairing]
    status: list[StatusCount]
    escalated: int
    areas: list[AreaRow]
    units: list[UnitRow]
    funds: list[FundYear]
    parks: list[ParkFigures]  # by year
    park_lines: list[ParkFigures]  # by park, in `year`
    minimums: list[MinimumRow]
    minimum_groups: list[MinimumGroup]
    activity_kinds: list[tuple[str, str, int]]  # (kind, label, count) in `year`
    rows: list[PairingRow]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.status)

    def status_count(self, key: str) -> int:
        return next((s.count for s in self.status if s.key == key), 0)

    @property
    def overdue(self) -> int:
        return self.status_count("overdue")

    @property
    def done(self) -> int:
        return self.status_count(DONE)

    @property
    def units_table(self) -> list[UnitRow]:
        return self.units[:TABLE_UNITS]

    @property
    def units_rest(self) -> UnitRow | None:
        """The units beyond the table's rows, added up (None when the table shows them all)."""
        rest = self.units[TABLE_UNITS:]
        if not rest:
            return None
        return UnitRow(
            None,
            _("其余 %(n)d 个单位") % {"n": len(rest)},
            lead=sum(u.lead for u in rest),
            cooperating=sum(u.cooperating for u in rest),
        )

    @property
    def fund_year(self) -> FundYear:
        """The money of the chosen year (zeros when nothing was promised)."""
        return next((f for f in self.funds if f.year == self.year), FundYear(self.year))

    @property
    def park_year(self) -> ParkFigures:
        return next((p for p in self.parks if p.year == self.year), ParkFigures(self.year))

    @property
    def minimums_met(self) -> int:
        return sum(1 for m in self.minimums if m.met)

    def charts(self) -> dict:
        """The data of every chart, for `json_script` (numbers only; the tables hold the same figures)."""
        keys = [key for key, _label in status_keys()]
        labels = dict(status_keys())
        top_units = self.units[:CHART_UNITS]
        return {
            "status": {
                "type": "doughnut",
                "labels": [s.label for s in self.status],
                "keys": [s.key for s in self.status],
                "datasets": [{"key": "status", "label": _("任务数"), "data": [s.count for s in self.status]}],
            },
            "areas": {
                "type": "bar",
                "horizontal": True,
                "stacked": True,
                "integer": True,
                "labels": [a.name for a in self.areas],
                "datasets": [
                    {"key": key, "label": labels[key], "data": [a.counts.get(key, 0) for a in self.areas]}
                    for key in keys
                ],
            },
            "units": {
                "type": "bar",
                "horizontal": True,
                "stacked": True,
                "integer": True,
                "labels": [u.name for u in top_units],
                "datasets": [
                    {"key": "lead", "label": _("牵头"), "data": [u.lead for u in top_units]},
                    {"key": "cooperating", "label": _("配合"), "data": [u.cooperating for u in top_units]},
                ],
            },
            "funds": {
                "type": "bar",
                "axis": _("万元"),
                "labels": [str(f.year) for f in self.funds],
                "datasets": [
                    {"key": "promised", "label": _("承诺"), "data": [_wan(f.promised) for f in self.funds]},
                    {"key": "paid", "label": _("已拨付"), "data": [_wan(f.paid) for f in self.funds]},
                    {
                        "key": "confirmed",
                        "label": _("已确认到账"),
                        "data": [_wan(f.confirmed) for f in self.funds],
                    },
                ],
            },
            "parks": {
                "type": "bar",
                "axis": _("万元"),
                "labels": [str(p.year) for p in self.parks],
                "datasets": [
                    {
                        "key": "planned",
                        "label": _("计划完成数"),
                        "data": [float(p.planned) for p in self.parks],
                    },
                    {
                        "key": "actual",
                        "label": _("实际完成数"),
                        "data": [float(p.actual) if p.actual is not None else None for p in self.parks],
                    },
                ],
            },
            "minimums": {
                "type": "bar",
                "horizontal": True,
                "integer": True,
                "axis": _("次"),
                "labels": [g.name for g in self.minimum_groups],
                "datasets": [
                    {
                        "key": "required",
                        "label": _("最低次数"),
                        "data": [g.required for g in self.minimum_groups],
                    },
                    {"key": "count", "label": _("实际次数"), "data": [g.count for g in self.minimum_groups]},
                ],
            },
        }


# --------------------------------------------------------------------------------------------
# The figures, one aggregate query each
# --------------------------------------------------------------------------------------------


def _as_list(pairings: Iterable[Pairing]) -> list[Pairing]:
    return list(pairings)


def task_figures(
    ids: list[int], year: int, today: datetime.date
) -> tuple[list[StatusCount], list[AreaRow], dict[int, dict[str, int]], int, dict[int, int]]:
    """Periods of `year` by displayed status, by area, by pairing, and how many are escalated (one query)."""
    late = overdue_q(today)
    # Done only after `today` (a figure as of a past day): still open then (core.states), and not
    # overdue then either (due later, or without a due date) — counted as 推进中.
    done_later = Q(status=DONE, completed_on__gt=today) & ~late
    grouped = (
        TaskPeriod.objects.filter(task__pairing_id__in=ids, year=year)
        .values("task__pairing_id", "task__area__name", "task__area__order", "status")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=late),
            later=Count("pk", filter=done_later),
            escalated=Count("pk", filter=late & Q(pk__in=escalated_period_ids(ids))),
        )
        .order_by()
    )
    totals: dict[str, int] = defaultdict(int)
    areas: dict[str, AreaRow] = {}
    by_pairing: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    escalated_by_pairing: dict[int, int] = defaultdict(int)
    escalated = 0
    for row in grouped:
        # 逾期 wins over the typed status while it applies (TaskPeriod.display_status).
        split = {row["status"]: row["n"] - row["late"] - row["later"], "overdue": row["late"]}
        if row["later"]:
            split[TaskPeriod.Status.IN_PROGRESS.value] = (
                split.get(TaskPeriod.Status.IN_PROGRESS.value, 0) + row["later"]
            )
        name = row["task__area__name"] or _("未分类")
        area = areas.setdefault(name, AreaRow(name, order=row["task__area__order"] or 0))
        area.order = min(area.order, row["task__area__order"] or 0)
        for key, n in split.items():
            if n:
                totals[key] += n
                area.counts[key] = area.counts.get(key, 0) + n
                by_pairing[row["task__pairing_id"]][key] += n
        escalated += row["escalated"]
        escalated_by_pairing[row["task__pairing_id"]] += row["escalated"]
    status = [StatusCount(key, label, totals.get(key, 0)) for key, label in status_keys()]
    unclassified = _("未分类")
    ordered_areas = sorted(areas.values(), key=lambda a: (a.name == unclassified, a.order, a.name))
    return status, ordered_areas, by_pairing, escalated, escalated_by_pairing


def overdue_by_unit(ids: list[int], year: int, today: datetime.date) -> list[UnitRow]:
    """Responsible units of the overdue periods of `year`, most overdue first (one query).

    A period counts once for each of its units; one without units is listed as 未指定责任单位.
    """
    grouped = (
        TaskPeriod.objects.filter(task__pairing_id__in=ids, year=year)
        .filter(overdue_q(today))
        .values("task__task_units__unit_id", "task__task_units__unit__name", "task__task_units__role")
        .annotate(n=Count("pk"))
        .order_by()
    )
    units: dict[int | None, UnitRow] = {}
    for row in grouped:
        unit_id = row["task__task_units__unit_id"]
        unit = units.setdefault(
            unit_id, UnitRow(unit_id, row["task__task_units__unit__name"] or _("未指定责任单位"))
        )
        if row["task__task_units__role"] == TaskUnit.Role.COOPERATING:
            unit.cooperating += row["n"]
        else:
            unit.lead += row["n"]
    return sorted(units.values(), key=lambda u: (-u.total, -u.lead, u.name))


def fund_figures(
    ids: list[int], today: datetime.date
) -> tuple[list[FundYear], dict[tuple[int, int], FundYear]]:
    """Promised, paid, confirmed and overdue money by year, and by pairing and year (one query)."""
    grouped = (
        FundCommitment.objects.filter(pairing_id__in=ids)
        .values("pairing_id", "year")
        .annotate(
            promised=Sum("amount"),
            paid=Sum("paid_total"),
            confirmed=Sum("confirmed_total"),
            overdue=Sum(F("amount") - F("paid_total"), filter=Q(due__lt=today)),
            n=Count("pk"),
        )
        .order_by()
    )
    years: dict[int, FundYear] = {}
    by_pairing: dict[tuple[int, int], FundYear] = {}
    for row in grouped:
        figures = FundYear(
            row["year"],
            row["promised"] or ZERO,
            row["paid"] or ZERO,
            row["confirmed"] or ZERO,
            row["overdue"] or ZERO,
            row["n"],
        )
        by_pairing[(row["pairing_id"], row["year"])] = figures
        total = years.setdefault(row["year"], FundYear(row["year"]))
        total.promised += figures.promised
        total.paid += figures.paid
        total.confirmed += figures.confirmed
        total.overdue += figures.overdue
        total.commitments += figures.commitments
    return [years[y] for y in sorted(years)], by_pairing


def park_figures(ids: list[int], year: int) -> tuple[list[ParkFigures], list[ParkFigures]]:
    """Plan against completion by year, and by park in `year` (one query)."""
    reported = Q(actual_completion__isnull=False)
    grouped = (
        ParkInvestmentPlan.objects.filter(park__pairing_id__in=ids)
        .values("year", "park_id", "park__name", "park__pairing_id")
        .annotate(
            lines=Count("pk"),
            reported=Count("pk", filter=reported),
            projects=Sum("project_count"),
            planned_total=Sum("planned_total"),
            planned=Sum("planned_completion"),
            planned_reported=Sum("planned_completion", filter=reported),
            actual=Sum("actual_completion"),
        )
        .order_by()
    )
    years: dict[int, ParkFigures] = {}
    parks: list[ParkFigures] = []
    for row in grouped:
        line = ParkFigures(
            year=row["year"],
            park_id=row["park_id"],
            name=row["park__name"],
            pairing_id=row["park__pairing_id"],
            lines=row["lines"],
            reported=row["reported"],
            project_count=row["projects"] or 0,
            planned_total=row["planned_total"] or ZERO,
            planned=row["planned"] or ZERO,
            planned_reported=row["planned_reported"] or ZERO,
            actual=row["actual"],
        )
        years.setdefault(row["year"], ParkFigures(row["year"])).add(line)
        if row["year"] == year:
            parks.append(line)
    return [years[y] for y in sorted(years)], sorted(parks, key=lambda p: p.name)


def minimum_figures(
    pairings: list[Pairing], year: int
) -> tuple[list[MinimumRow], list[MinimumGroup], list[tuple[str, str, int]]]:
    """Yearly minimums against the activities that count, the same grouped by requirement, and the
    year's activities by kind (two queries).

    The minimums are the targets that count activities (`Target.activity_kinds`, `Target.counts`: the
    rule the task periods and the workbook follow), read from plain values rather than model
    instances — a province has thousands of targets.
    """
    ids = [p.pk for p in pairings]
    names = {p.pk: p.name for p in pairings}
    activities: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    kinds: dict[str, int] = defaultdict(int)
    for pairing_id, kind, field_name, title, date in (
        Activity.objects.filter(pairing_id__in=ids, date__year=year)
        .order_by("date", "pk")
        .values_list("pairing_id", "kind", "field", "title", "date")
    ):
        activities[pairing_id].append((kind, field_name, title, f"{date.isoformat()} {title}"))
        kinds[kind] += 1
    targets = (
        Target.objects.filter(task__pairing_id__in=ids)
        .exclude(activity_kinds="")
        .filter(Q(year__isnull=True) | Q(year=year))
        .filter(task__periods__year=year)
        .distinct()
        .order_by("task__pairing_id", "task__position", "task_id", "pk")
        .values_list(
            "pk", "task__pairing_id", "name", "source_text", "value", "activity_kinds", "activity_field"
        )
    )
    rows = []
    for _pk, pairing_id, name, source_text, value, counted_kinds, counted_field in targets:
        rule = Target(activity_kinds=counted_kinds, activity_field=counted_field)
        counted = [
            label
            for kind, field_name, title, label in activities.get(pairing_id, [])
            if rule.counts(kind, field_name, title)
        ]
        rows.append(
            MinimumRow(pairing_id, names[pairing_id], name, source_text, int(value), len(counted), counted)
        )
    groups: dict[str, MinimumGroup] = {}
    for row in rows:
        group = groups.setdefault(row.name, MinimumGroup(row.name))
        group.required += row.required
        group.count += row.count
        group.met += int(row.met)
        group.total += 1
    by_kind = [(kind, str(label), kinds[kind]) for kind, label in Activity.Kind.choices if kinds.get(kind)]
    return rows, list(groups.values()), by_kind


def build_dashboard(pairings: Iterable[Pairing], year: int, today: datetime.date | None = None) -> Dashboard:
    """Every figure of the overview of `pairings` (already scoped to the user) in `year`.

    A constant number of queries: the pairings (when a queryset is passed), tasks, units, funds,
    parks, and two for the exchanges — whatever the number of pairings, tasks or payments.
    """
    today = today or timezone.localdate()
    pairings = _as_list(pairings)
    ids = [p.pk for p in pairings]
    status, areas, tasks_by_pairing, escalated, escalated_by_pairing = task_figures(ids, year, today)
    units = overdue_by_unit(ids, year, today)
    funds, funds_by_pairing = fund_figures(ids, today)
    parks, park_lines = park_figures(ids, year)
    minimums, groups, kinds = minimum_figures(pairings, year)

    rows = {
        pairing.pk: PairingRow(
            pairing,
            periods=sum(tasks_by_pairing.get(pairing.pk, {}).values()),
            done=tasks_by_pairing.get(pairing.pk, {}).get(DONE, 0),
            overdue=tasks_by_pairing.get(pairing.pk, {}).get("overdue", 0),
            escalated=escalated_by_pairing.get(pairing.pk, 0),
            promised=funds_by_pairing.get((pairing.pk, year), FundYear(year)).promised,
            paid=funds_by_pairing.get((pairing.pk, year), FundYear(year)).paid,
        )
        for pairing in pairings
    }
    for line in park_lines:
        row = rows[line.pairing_id]
        row.park_planned += line.planned
        if line.actual is not None:
            row.park_actual = (row.park_actual or ZERO) + line.actual
    for minimum in minimums:
        rows[minimum.pairing_id].minimums += 1
        rows[minimum.pairing_id].minimums_met += int(minimum.met)

    return Dashboard(
        year=year,
        today=today,
        pairings=pairings,
        status=status,
        escalated=escalated,
        areas=areas,
        units=units,
        funds=funds,
        parks=parks,
        park_lines=park_lines,
        minimums=minimums,
        minimum_groups=groups,
        activity_kinds=kinds,
        rows=list(rows.values()),
    )


def _key(kind: str, pairings: list[Pairing], *parts) -> str:
    # The figures depend on the pairings (in their order: the rows), the year, the day they are
    # judged on (a period becomes overdue overnight) and the language of their labels.
    ids = ",".join(str(p.pk) for p in pairings)
    return ":".join([kind, *(str(part) for part in parts), get_language() or "", ids])


def cached_dashboard(pairings: list[Pairing], year: int, today: datetime.date) -> Dashboard:
    """`build_dashboard`, kept in the cache until the next write of a row it reads (core/freshness.py).

    The same figures, from the same one-truth rules: only computed once per version of the data,
    day, year, language and set of pairings instead of on every request.
    """
    pairings = _as_list(pairings)
    return freshness.cached(
        _key("dashboard", pairings, today.isoformat(), year),
        lambda: build_dashboard(pairings, year, today),
    )


def cached_figures_html(
    pairings: list[Pairing], year: int, today: datetime.date, minimum_rows: bool, render: Callable[[], str]
) -> str:
    """The overview's rendered figures (`render()`), kept like the figures they show."""
    return freshness.cached(_key("dashboard-html", pairings, today.isoformat(), year, minimum_rows), render)


def cached_year_range(pairings: list[Pairing], today: datetime.date) -> list[int]:
    """`year_range`, kept like the dashboard's figures (its query reads every period)."""
    return freshness.cached(_key("years", pairings, today.isoformat()), lambda: year_range(pairings, today))


# --------------------------------------------------------------------------------------------
# The leader's one-page view of a pairing: traffic lights and this year's money
# --------------------------------------------------------------------------------------------

LIGHTS = ("ok", "late", "continuing", "soon", "overdue", "escalated", "paused")


def light_labels() -> dict[str, str]:
    return {
        "ok": _("按时"),
        "late": _("逾期完成"),
        "continuing": _("持续推进"),
        "soon": _("即将到期"),
        "overdue": _("逾期"),
        "escalated": _("其中督办"),
        "paused": _("暂缓"),
    }


# The light of each state of `core.states` (督办 is an overdue period whose notice was escalated).
STATE_LIGHTS = {
    State.DONE: "ok",
    State.ON_TRACK: "ok",
    State.DONE_LATE: "late",
    State.CONTINUING: "continuing",
    State.SOON: "soon",
    State.OVERDUE: "overdue",
    State.PAUSED: "paused",
    State.NA: "ok",
}


@dataclass
class PeriodLight:
    """A task period of the year with its traffic light and the words beside it."""

    period: TaskPeriod
    number: str
    pairing: str
    light: str
    detail: str
    lead_units: list[str]
    cooperating_units: list[str]
    # The state of `core.states` behind the light: 按时 covers both done on time and not yet due.
    state: str = ""

    @property
    def label(self) -> str:
        return light_labels()[self.light]

    @property
    def needs_attention(self) -> bool:
        return self.light in ("soon", "overdue", "escalated")


def traffic_light(
    due: datetime.date | None,
    status: str,
    completed_on: datetime.date | None,
    escalated: bool,
    today: datetime.date,
) -> tuple[str, str]:
    """(light, detail) of a period, from the one rule of `core.states`: 督办 › 逾期 › 即将到期 ›
    持续推进 › 逾期完成 › 按时; 暂缓 apart. The detail is the state's label ("已逾期 12 天")."""
    light, standing = _light_and_standing(due, status, completed_on, escalated, today)
    return light, standing.label


def _light_and_standing(
    due: datetime.date | None,
    status: str,
    completed_on: datetime.date | None,
    escalated: bool,
    today: datetime.date,
) -> tuple[str, Standing]:
    standing = judge(
        due=due,
        done=status == TaskPeriod.Status.DONE,
        done_on=completed_on,
        as_of=today,
        paused=status == TaskPeriod.Status.PAUSED,
    )
    light = STATE_LIGHTS[standing.state]
    if light == "overdue" and escalated:
        light = "escalated"
    return light, standing


@dataclass
class LeaderView:
    """The one-page view of a pairing (with its sub-pairings) in a year."""

    lights: list[PeriodLight]
    commitments: list[FundCommitment]
    older_overdue: int  # overdue periods of earlier years, still open

    def count(self, light: str) -> int:
        """Periods under a light; 逾期 counts every overdue period, 督办 ones included (as the status table)."""
        if light == "overdue":
            return sum(1 for item in self.lights if item.light in ("overdue", "escalated"))
        return sum(1 for item in self.lights if item.light == light)

    @property
    def light_counts(self) -> list[tuple[str, str, int]]:
        labels = light_labels()
        return [(light, labels[light], self.count(light)) for light in LIGHTS]

    @property
    def attention(self) -> list[PeriodLight]:
        order = {"escalated": 0, "overdue": 1, "soon": 2}
        return sorted(
            (item for item in self.lights if item.needs_attention),
            key=lambda item: (order[item.light], item.period.due_date or datetime.date.max),
        )

    @property
    def money_due(self) -> Decimal:
        return sum((c.amount for c in self.commitments), ZERO)

    @property
    def money_paid(self) -> Decimal:
        return sum((c.paid for c in self.commitments), ZERO)


def build_leader_view(
    pairings: Iterable[Pairing], year: int, today: datetime.date | None = None
) -> LeaderView:
    """Traffic lights of every period of `year` and the year's commitments (six queries, whatever the size).

    The loop over periods is bounded by one pairing's plan (and its sub-pairings'): this view is
    never built over all pairings.
    """
    today = today or timezone.localdate()
    pairings = _as_list(pairings)
    ids = [p.pk for p in pairings]
    names = {p.pk: p.name for p in pairings}
    escalated = {
        int(key[len(PERIOD_KEY_PREFIX) :])
        for key in UrgingNotice.objects.filter(
            pairing_id__in=ids, escalated_on__isnull=False, item_key__startswith=PERIOD_KEY_PREFIX
        ).values_list("item_key", flat=True)
        if key[len(PERIOD_KEY_PREFIX) :].isdigit()
    }
    numbers = full_numbers(ids)
    periods = (
        TaskPeriod.objects.filter(task__pairing_id__in=ids, year=year)
        .select_related("task")
        .prefetch_related(
            Prefetch(
                "task__task_units",
                queryset=TaskUnit.objects.select_related("unit").order_by("role", "order", "pk"),
            )
        )
        .order_by("task__pairing_id", "task__position", "task_id")
    )
    lights = []
    for period in periods:
        task = period.task
        light, standing = _light_and_standing(
            period.due_date, period.status, period.completed_on, period.pk in escalated, today
        )
        units = list(task.task_units.all())
        lights.append(
            PeriodLight(
                period=period,
                number=numbers.get(task.pk, task.number),
                pairing=names.get(task.pairing_id, ""),
                light=light,
                detail=standing.label,
                lead_units=[u.unit.name for u in units if u.role == TaskUnit.Role.LEAD],
                cooperating_units=[u.unit.name for u in units if u.role == TaskUnit.Role.COOPERATING],
                state=standing.state.value,
            )
        )
    commitments = list(
        FundCommitment.objects.filter(pairing_id__in=ids, year=year)
        .select_related("pairing", "payer_region", "receiver_region")
        .prefetch_related("disbursements")
        .order_by("pairing_id", "due", "pk")
    )
    # Earlier years still overdue; a locked year is closed (its lock recorded the outcome).
    older = (
        TaskPeriod.objects.filter(task__pairing_id__in=ids, year__lt=year)
        .filter(overdue_q(today))
        .exclude(
            Exists(
                YearLock.objects.filter(
                    pairing_id=OuterRef("task__pairing_id"), year=OuterRef("year"), locked=True
                )
            )
        )
        .count()
    )
    return LeaderView(lights=lights, commitments=commitments, older_overdue=older)


def with_descendants(pairings: list[Pairing], pk: int) -> list[Pairing]:
    """A pairing and its sub-pairings (two levels, as in `visible_to`) among `pairings`, without a query."""
    parents = {p.pk: p.parent_id for p in pairings}
    return [p for p in pairings if p.pk == pk or p.parent_id == pk or parents.get(p.parent_id) == pk]


def year_range(pairings: list[Pairing], today: datetime.date) -> list[int]:
    """The years a selector offers, newest first: from the earliest start to the latest end (or this
    year), and on to the last year any of their tasks has work in — a one-off task due next year, or
    an open-ended pairing's plan running to 2030, is shown on the pages like every other period."""
    if not pairings:
        return [today.year]
    first = min(p.start_year for p in pairings)
    last = max(max(p.end_year or today.year for p in pairings), today.year)
    latest = (
        TaskPeriod.objects.filter(task__pairing_id__in=[p.pk for p in pairings])
        .aggregate(latest=Max("year"))
        .get("latest")
    )
    last = max(last, latest or last)
    return list(range(last, first - 1, -1))
