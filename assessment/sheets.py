"""The sheets of the annual assessment workbook, one exporter class each.

Each sheet reads its rows with a constant number of queries (joins, prefetches, one subquery for
the last approved report) and yields them one at a time; no sheet issues a query per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from assessment.models import AssessmentScheme
from assessment.record import YearRecord
from assessment.scoring import (
    PAIRING_CHUNK,
    SIDES,
    Facts,
    applicable_weight,
    outcome_of,
    section_detail,
    section_score,
    side_label,
    sides_of,
)
from cooperation.models import Activity, Pairing
from core.excel import Column, Exporter, RowSum
from core.states import State
from indicators.services import assessment_rows
from parks.models import Park, ParkInvestmentPlan
from tasks.models import Task, TaskUnit

CHUNK = 500
NOT_APPLICABLE = _l("不适用")


class PairingExporter(Exporter):
    """A sheet over a list of pairings and a year."""

    def __init__(self, pairings: list[Pairing], year: int, as_of: datetime.date) -> None:
        self.pairings = pairings
        self.ids = [p.pk for p in pairings]
        self.by_id = {p.pk: p for p in pairings}
        self.year = year
        self.as_of = as_of


def full_numbers(pairing_ids: list[int]) -> dict[int, str]:
    """Each task's number with its ancestors' (“二、（一）5.”), from one query."""
    rows = {
        pk: (parent, number)
        for pk, parent, number in Task.objects.filter(pairing_id__in=pairing_ids).values_list(
            "pk", "parent_id", "number"
        )
    }
    cache: dict[int, str] = {}

    def build(pk: int, depth: int = 0) -> str:
        if pk in cache:
            return cache[pk]
        parent, number = rows[pk]
        prefix = build(parent, depth + 1) if parent in rows and depth < 20 else ""
        cache[pk] = f"{prefix}{number or ''}"
        return cache[pk]

    return {pk: build(pk) for pk in rows}


def id_chunks(ids: list[int]) -> list[list[int]]:
    """The pairing ids in ascending chunks of PAIRING_CHUNK (the sheets' first sort key)."""
    ordered = sorted(ids)
    return [ordered[start : start + PAIRING_CHUNK] for start in range(0, len(ordered), PAIRING_CHUNK)]


def _local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


class SummarySheet(Exporter):
    """汇总: one row per pairing and side, a column per section of the scheme, the total as a formula."""

    title = _l("汇总")

    def __init__(
        self, pairings: list[Pairing], scheme: AssessmentScheme, facts: dict[tuple[int, str], Facts]
    ):
        self.pairings = pairings
        self.sections = list(scheme.sections.all())
        self.facts = facts
        self.columns = [
            Column(_("结对"), 28, wrap=True),
            Column(_("方"), 8),
            Column(_("地区"), 12),
            *[Column(f"{s.name}（{s.weight.normalize():f}分）", 12, "score") for s in self.sections],
            Column(_("总分"), 10, "score"),
            Column(_("计分依据"), 60, wrap=True),
        ]

    def rows(self) -> Iterator[list]:
        first = 4
        last = first + len(self.sections) - 1
        full = sum((s.weight for s in self.sections), Decimal("0"))
        na = str(NOT_APPLICABLE)
        for pairing in self.pairings:
            for side in SIDES:
                facts = self.facts[(pairing.pk, side)]
                region = pairing.coastal_region if side == "coastal" else pairing.mountain_region
                scores = [section_score(s, facts, self.sections) for s in self.sections]
                weight = applicable_weight(self.sections, facts)
                if not weight:
                    total = na  # nothing to assess: no score, and no place in any ranking
                elif weight == full:
                    total = RowSum(first, last)
                else:
                    total = RowSum(first, last, over=weight, full=full)
                if facts.not_scored:
                    details = _("不适用：%(reason)s") % {"reason": facts.not_scored}
                else:
                    details = "；".join(section_detail(s, facts, self.sections) for s in self.sections)
                    if weight and weight != full:
                        details += _("；总分按适用项目折算：得分 ÷ %(w)s × %(f)s") % {
                            "w": f"{weight.normalize():f}",
                            "f": f"{full.normalize():f}",
                        }
                cells = [na if score is None else score for score in scores]
                yield [pairing.name, side_label(side), region.name, *cells, total, details]


class TasksSheet(PairingExporter):
    """任务完成情况: every task period due in the year (periods without a due date are not assessed)."""

    title = _l("任务完成情况")
    columns = [
        Column(_l("结对"), 20, wrap=True),
        Column(_l("序号"), 10),
        Column(_l("任务"), 36, wrap=True),
        Column(_l("领域"), 10),
        Column(_l("牵头单位"), 22, wrap=True),
        Column(_l("配合单位"), 22, wrap=True),
        Column(_l("截止日期"), 12, "date"),
        Column(_l("时限原文"), 14, wrap=True),
        Column(_l("完成日期"), 12, "date"),
        Column(_l("按时 / 逾期"), 14),
        Column(_l("逾期天数"), 9, "int"),
        Column(_l("状态"), 9),
        Column(_l("最近通过的进展报告"), 40, wrap=True),
        Column(_l("报告审核日期"), 12, "date"),
    ]

    def rows(self) -> Iterator[list]:
        # Pairings in chunks (ids ascending, the first sort key): the task numbers are held for one
        # chunk at a time.
        for ids in id_chunks(self.ids):
            yield from self._rows(ids)

    def _rows(self, ids: list[int]) -> Iterator[list]:
        numbers = full_numbers(ids)
        record = YearRecord(ids, self.year, self.as_of)
        reports = record.last_approved_reports([p.pk for p in record.due_periods])
        tasks = {
            t.pk: t
            for t in Task.objects.filter(pk__in={p.task_id for p in record.due_periods})
            .select_related("area")
            .prefetch_related(
                Prefetch(
                    "task_units", queryset=TaskUnit.objects.select_related("unit").order_by("order", "pk")
                )
            )
        }
        for period in record.due_periods:
            task = tasks[period.task_id]
            units = list(task.task_units.all())
            lead = "、".join(u.unit.name for u in units if u.role == TaskUnit.Role.LEAD)
            coop = "、".join(u.unit.name for u in units if u.role == TaskUnit.Role.COOPERATING)
            standing = record.standing(period)
            outcome = outcome_of(standing)
            report_text, reviewed_at = reports.get(period.pk, ("", None))
            yield [
                self.by_id[task.pairing_id].name,
                numbers.get(task.pk, task.number),
                task.title,
                task.area.name if task.area else "",
                lead,
                coop,
                period.due,
                task.deadline_text,
                standing.done_on if standing.is_done else None,
                outcome.label,
                outcome.days_late or None,
                record.status_label(period, standing),
                report_text,
                _local_date(reviewed_at),
            ]


class TargetsSheet(PairingExporter):
    """指标完成情况: each target of the year's periods, its actual (from approved reports), rate and met."""

    title = _l("指标完成情况")
    columns = [
        Column(_l("结对"), 20, wrap=True),
        Column(_l("序号"), 10),
        Column(_l("任务"), 30, wrap=True),
        Column(_l("指标"), 30, wrap=True),
        Column(_l("比较"), 6),
        Column(_l("目标值"), 16, "number"),
        Column(_l("单位"), 7),
        Column(_l("完成值"), 16, "number"),
        Column(_l("完成率"), 9, "pct"),
        Column(_l("是否达标"), 9),
        Column(_l("指标原文"), 36, wrap=True),
    ]

    def rows(self) -> Iterator[list]:
        for ids in id_chunks(self.ids):
            yield from self._rows(ids)

    def _rows(self, ids: list[int]) -> Iterator[list]:
        numbers = full_numbers(ids)
        record = YearRecord(ids, self.year, self.as_of)
        for target in record.targets:
            actual = record.actual(target)
            rate = target.completion_rate(actual)
            money = target.unit == "元"
            task = record.tasks[target.task_id]
            yield [
                self.by_id[task.pairing_id].name,
                numbers.get(target.task_id, ""),
                task.title,
                target.name,
                target.get_comparator_display(),
                _number(target.value, money),
                target.unit,
                _number(actual, money),
                rate / 100 if rate is not None else None,
                _("是") if target.is_met(actual) else _("否"),
                target.source_text,
            ]


def _number(value: Decimal | None, money: bool) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal("1")) if money and value == value.to_integral() else value.normalize()


class FundsSheet(PairingExporter):
    """资金到位情况: each commitment of the year, its payments, arrival, on time or days late, and the use list."""

    title = _l("资金到位情况")
    columns = [
        Column(_l("结对"), 20, wrap=True),
        Column(_l("用途"), 28, wrap=True),
        Column(_l("拨付方"), 10),
        Column(_l("接收方"), 10),
        Column(_l("承诺金额（元）"), 14, "yuan", total=True),
        Column(_l("到位时限"), 12, "date"),
        Column(_l("时限原文"), 12),
        Column(_l("已拨付（元）"), 14, "yuan", total=True),
        Column(_l("足额拨付日期"), 12, "date"),
        Column(_l("已确认到账（元）"), 14, "yuan", total=True),
        Column(_l("未拨付（元）"), 14, "yuan", total=True),
        Column(_l("是否按时"), 18, wrap=True),
        Column(_l("逾期天数"), 9, "int"),
        Column(_l("拨付明细"), 40, wrap=True),
        Column(_l("项目清单截止"), 12, "date"),
        Column(_l("清单报送日期"), 12, "date"),
        Column(_l("清单是否按时"), 10),
    ]

    def rows(self) -> Iterator[list]:
        list_labels = {
            State.DONE: _("按时"),
            State.DONE_LATE: _("逾期"),
            State.OVERDUE: _("逾期未报"),
            State.ON_TRACK: _("未到期"),
            State.SOON: _("未到期"),
        }
        for ids in id_chunks(self.ids):
            record = YearRecord(ids, self.year, self.as_of)
            for c in record.commitments.values():
                payments = "；".join(
                    f"{d.date.isoformat()} {d.kind} ¥{d.amount:,.0f}"
                    + (f"（{d.voucher}）" if d.voucher else "")
                    for d in c.payments
                )
                payment = c.payment()
                if payment.state == State.DONE:
                    label = _("按时足额拨付")
                elif payment.state == State.DONE_LATE:
                    label = _("足额拨付，逾期 %(days)d 天") % {"days": payment.days}
                else:
                    label = payment.label
                use_list = c.use_list()
                yield [
                    self.by_id[c.pairing_id].name,
                    c.purpose,
                    c.payer_region.name,
                    c.receiver_region.name,
                    c.amount,
                    c.due,
                    c.due_text,
                    c.paid,
                    c.paid_in_full_on,
                    c.confirmed,
                    c.outstanding,
                    label,
                    payment.days if payment.state in (State.DONE_LATE, State.OVERDUE) else None,
                    payments,
                    c.use_list_due,
                    c.use_list_submitted,
                    list_labels.get(use_list.state, "") if use_list is not None else "",
                ]


class ParksSheet(PairingExporter):
    """园区建设情况: each park's plan lines of the year (政府性 / 招商) against their completion, in 万元."""

    title = _l("园区建设情况")
    columns = [
        Column(_l("结对"), 20, wrap=True),
        Column(_l("园区"), 26, wrap=True),
        Column(_l("园区类型"), 14),
        Column(_l("投资类型"), 10),
        Column(_l("项目数"), 8, "int", total=True),
        Column(_l("计划总投资（万元）"), 16, "wan", total=True),
        Column(_l("计划完成数（万元）"), 16, "wan", total=True),
        Column(_l("实际完成数（万元）"), 16, "wan", total=True),
        Column(_l("完成率"), 9, "pct"),
        Column(_l("来源"), 24, wrap=True),
    ]

    def rows(self) -> Iterator[list]:
        park_kinds = dict(Park.Kind.choices)
        plan_kinds = dict(ParkInvestmentPlan.Kind.choices)
        for ids in id_chunks(self.ids):
            for plan in YearRecord(ids, self.year, self.as_of).park_plans():
                planned, actual = plan["planned_completion"], plan["actual_completion"]
                yield [
                    self.by_id[plan["park__pairing_id"]].name,
                    plan["park__name"],
                    str(park_kinds.get(plan["park__kind"], plan["park__kind"])),
                    str(plan_kinds.get(plan["kind"], plan["kind"])),
                    plan["project_count"],
                    plan["planned_total"],
                    planned,
                    actual,
                    actual / planned if actual is not None and planned else None,
                    plan["source"],
                ]


KIND_LABELS = dict(Activity.Kind.choices)


class ActivitiesSheet(PairingExporter):
    """交流活动: each yearly minimum against the activities that count, then the count of each kind."""

    title = _l("交流活动")
    columns = [
        Column(_l("结对"), 20, wrap=True),
        Column(_l("要求"), 36, wrap=True),
        Column(_l("来源任务"), 24, wrap=True),
        Column(_l("计入的活动类型"), 16, wrap=True),
        Column(_l("最低次数"), 9, "int"),
        Column(_l("实际次数"), 9, "int"),
        Column(_l("是否达标"), 9),
        Column(_l("计入的活动"), 50, wrap=True),
    ]

    def rows(self) -> Iterator[list]:
        for ids in id_chunks(self.ids):
            record = YearRecord(ids, self.year, self.as_of)
            for m in record.minimums:
                yield [
                    self.by_id[m.pairing_id].name,
                    m.target.source_text or m.target.name,
                    m.target.task.title,
                    "、".join(str(KIND_LABELS.get(k, k)) for k in m.target.counted_kinds)
                    + (f"（{m.target.activity_field}）" if m.target.activity_field else ""),
                    int(m.required),
                    m.count,
                    _("是") if m.met else _("否"),
                    "；".join(f"{a.date.isoformat()} {a.title}" for a in m.activities),
                ]
            for pairing_id in ids:
                counts: dict[str, list] = defaultdict(list)
                for activity in record.activities.get(pairing_id, []):
                    counts[activity.kind].append(activity)
                for kind, items in counts.items():
                    yield [
                        self.by_id[pairing_id].name,
                        _("本年度%(kind)s（统计）") % {"kind": KIND_LABELS[kind]},
                        "",
                        str(KIND_LABELS[kind]),
                        None,
                        len(items),
                        "",
                        "；".join(f"{a.date.isoformat()} {a.title}" for a in items),
                    ]


class IndicatorsSheet(PairingExporter):
    """发展指标: the two sides' regional figures of the year (indicators.services.assessment_rows)."""

    title = _l("发展指标")
    widths = [20, 8, 12, 12, 22, 8, 7, 8, 12, 8, 12, 10, 24, 50]
    kinds = {8: "number", 10: "number", 6: "int"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rows = assessment_rows(self.pairings, self.year)
        header = next(self._rows)
        self.columns = [
            Column(
                str(h),
                self.widths[i] if i < len(self.widths) else 12,
                self.kinds.get(i, "text"),
                wrap=i >= 12,
            )
            for i, h in enumerate(header)
        ]

    def rows(self) -> Iterator[list]:
        yield from self._rows


class UrgingSheet(PairingExporter):
    """催办督办: urging notices issued in the year per unit — issued, signed on time, answered on time, escalated."""

    title = _l("催办督办")
    columns = [
        Column(_l("结对"), 20, wrap=True),
        Column(_l("责任单位"), 26, wrap=True),
        Column(_l("方"), 8),
        Column(_l("催办单（份）"), 10, "int", total=True),
        Column(_l("按时签收"), 10, "int", total=True),
        Column(_l("按时反馈"), 10, "int", total=True),
        Column(_l("提请督办"), 10, "int", total=True),
    ]

    def rows(self) -> Iterator[list]:
        for ids in id_chunks(self.ids):
            counts: dict[tuple[int, int], list[int]] = {}
            units = {}
            for notice in YearRecord(ids, self.year, self.as_of).notices():
                row = counts.setdefault((notice.pairing_id, notice.unit.pk), [0, 0, 0, 0])
                units[notice.unit.pk] = notice.unit
                row[0] += 1
                row[1] += int(notice.signed_on_time)
                row[2] += int(notice.answered_on_time)
                row[3] += int(notice.escalated)
            ordered = sorted(counts.items(), key=lambda item: (item[0][0], units[item[0][1]].name))
            for (pairing_id, unit_id), (issued, signed, answered, escalated) in ordered:
                pairing = self.by_id[pairing_id]
                unit = units[unit_id]
                sides = sides_of(unit.region.path, pairing)
                side = side_label(sides[0]) if len(sides) == 1 else _("双方")
                yield [pairing.name, unit.name, side, issued, signed, answered, escalated]


DETAIL_SHEETS = [
    TasksSheet,
    TargetsSheet,
    FundsSheet,
    ParksSheet,
    ActivitiesSheet,
    IndicatorsSheet,
    UrgingSheet,
]
