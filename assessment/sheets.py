"""The sheets of the annual assessment workbook, one exporter class each.

Each sheet reads its rows with a constant number of queries (joins, prefetches, one subquery for
the last approved report) and yields them one at a time; no sheet issues a query per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import cached_property, lru_cache

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from assessment.models import AssessmentAdjustment, AssessmentScheme
from assessment.record import YearRecord, recorded
from assessment.scoring import (
    BOTH_SIDES,
    PAIRING_CHUNK,
    SIDES,
    Chunk,
    Facts,
    adjustments_total,
    applicable_weight,
    outcome_of,
    section_detail,
    section_score,
    side_label,
    sides_of,
)
from cooperation.models import Activity, Pairing, Unit
from core.excel import Column, Exporter, RowSum
from core.states import State
from funds.models import FundUseProject
from indicators.services import assessment_rows
from parks.models import Park, ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks.models import Task

CHUNK = 500
# A ledger-kept task is scored in its ledger's section, not as a task.
LEDGER_LABELS = {
    Task.Fulfilment.FUND_PAID: _l("资金台账"),
    Task.Fulfilment.FUND_CONFIRMED: _l("资金台账"),
    Task.Fulfilment.FUND_USE_LIST: _l("资金台账"),
    Task.Fulfilment.ACTIVITIES: _l("交流活动"),
}
NOT_APPLICABLE = _l("不适用")


def sides_text(sides) -> str:
    """计入方: the side(s) an item counts for."""
    return _sides_text(frozenset(sides), get_language())


@lru_cache(maxsize=32)
def _sides_text(sides: frozenset, language: str) -> str:
    # Translated once per language and set of sides (a sheet asks once per row).
    if sides == frozenset(SIDES):
        return _("双方")
    return side_label(next(iter(sides))) if sides else ""


class PairingExporter(Exporter):
    """A sheet over a list of pairings and a year: a running 序号, the pairing in the first column
    (repeated on each page when the sheet is split), a 小计 per pairing when there are several."""

    numbered = True
    group_column = 0
    key_columns = 1
    chunked = True  # rows come chunk by chunk (`chunk_rows`); False: the sheet reads its own (`rows`)

    def __init__(self, pairings: list[Pairing], year: int, as_of: datetime.date) -> None:
        self.subtotals = len(pairings) > 1
        self.pairings = pairings
        self.ids = [p.pk for p in pairings]
        self.by_id = {p.pk: p for p in pairings}
        self.year = year
        self.as_of = as_of

    def rows(self) -> Iterator[list]:
        """Pairings in ascending chunks (the sheets' first sort key), each chunk read once."""
        for ids in id_chunks(self.ids):
            yield from self.chunk_rows(Chunk([self.by_id[i] for i in ids], self.year, self.as_of))

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        """The rows of one chunk of pairings (the export feeds every sheet a chunk at a time)."""
        raise NotImplementedError


def full_numbers(pairing_ids: list[int]) -> dict[int, str]:
    """Each task's number with its ancestors' (“二、（一）5.”), from one query."""
    return number_paths(
        {
            pk: (parent, number)
            for pk, parent, number in Task.objects.filter(pairing_id__in=pairing_ids).values_list(
                "pk", "parent_id", "number"
            )
        }
    )


def number_paths(rows: dict[int, tuple[int | None, str]]) -> dict[int, str]:
    """`full_numbers` from the tasks' (parent, number), read already (a chunk's `YearRecord`)."""
    cache: dict[int, str] = {}

    def build(pk: int, depth: int = 0) -> str:
        if pk in cache:
            return cache[pk]
        parent, number = rows[pk]
        prefix = build(parent, depth + 1) if parent in rows and depth < 20 else ""
        cache[pk] = f"{prefix}{number or ''}"
        return cache[pk]

    return {pk: build(pk) for pk in rows}


def chunk_numbers(chunk: Chunk) -> dict[int, str]:
    """The full numbers of a chunk's tasks, built once for the sheets that show them."""
    return chunk.memo(
        "numbers",
        lambda: number_paths({t.pk: (t.parent_id, t.number) for t in chunk.record.tasks.values()}),
    )


def id_chunks(ids: list[int]) -> list[list[int]]:
    """The pairing ids in ascending chunks of PAIRING_CHUNK (the sheets' first sort key)."""
    ordered = sorted(ids)
    return [ordered[start : start + PAIRING_CHUNK] for start in range(0, len(ordered), PAIRING_CHUNK)]


class SummarySheet(Exporter):
    """汇总: one row per pairing and side, a column per section of the scheme, the total as a formula."""

    title = _l("汇总")

    def __init__(
        self, pairings: list[Pairing], scheme: AssessmentScheme, facts: dict[tuple[int, str], Facts]
    ):
        self.pairings = pairings
        self.sections = list(scheme.sections.all())
        self.items = list(scheme.adjustments.all())
        self.facts = facts
        # 加分 / 扣分 columns only when the scheme has such items (a scheme without them prints as before).
        adjustments = [Column(_("加分"), 6, "score"), Column(_("扣分"), 6, "score")] if self.items else []
        self.columns = [
            Column(_("结对"), 14, wrap=True),
            Column(_("方"), 6),
            Column(_("地区"), 8),
            *[Column(f"{s.name}（{s.weight.normalize():f}分）", 8, "score") for s in self.sections],
            Column(_("得分合计"), 7, "score"),
            Column(_("适用分值"), 7, "score"),
            *adjustments,
            Column(_("总分"), 7, "score"),
            Column(_("计分依据"), 28, wrap=True),
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
                # The 加分 and 扣分 columns (1-based) after 得分合计 and 适用分值, added to the base score.
                plus = (last + 3, last + 4) if self.items else ()
                if not weight:
                    total = na  # nothing to assess: no score, and no place in any ranking
                elif weight == full:
                    total = RowSum(first, last, plus=plus)
                else:
                    total = RowSum(first, last, over=weight, full=full, plus=plus)
                if facts.not_scored:
                    details = _("不适用：%(reason)s") % {"reason": facts.not_scored}
                else:
                    details = "；".join(section_detail(s, facts, self.sections) for s in self.sections)
                    if weight and weight != full:
                        details += _("；总分按适用项目折算：得分 ÷ %(w)s × %(f)s") % {
                            "w": f"{weight.normalize():f}",
                            "f": f"{full.normalize():f}",
                        }
                    details += adjustment_details(self.items, facts)
                cells = [na if score is None else score for score in scores]
                earned = RowSum(first, last) if weight else na
                adjusted = []
                if self.items:
                    adjusted = [
                        adjustments_total(self.items, facts, kind) if weight else na
                        for kind in (AssessmentAdjustment.Kind.BONUS, AssessmentAdjustment.Kind.DEDUCTION)
                    ]
                yield [
                    pairing.name,
                    side_label(side),
                    region.name,
                    *cells,
                    earned,
                    weight or na,
                    *adjusted,
                    total,
                    details,
                ]


def adjustment_details(items, facts: Facts) -> str:
    """计分依据 of the bonus and deduction items entered for a side: “；加分：获省级表彰 +2（上限 4）…”."""
    parts = []
    for item in items:
        reasons = facts.adjusted_reasons.get(item.pk)
        if not reasons:
            continue
        entered = facts.adjusted[item.pk]
        capped = (
            _("，按上限计 %(cap)s 分") % {"cap": f"{item.cap.normalize():f}"} if entered > item.cap else ""
        )
        parts.append(
            _("%(kind)s：%(name)s（%(reasons)s%(capped)s）")
            % {
                "kind": item.get_kind_display(),
                "name": item.name,
                "reasons": "、".join(reasons),
                "capped": capped,
            }
        )
    return "".join(f"；{part}" for part in parts)


class TasksSheet(PairingExporter):
    """任务完成情况: every task period due in the year (periods without a due date are not assessed)."""

    title = _l("任务完成情况")
    columns = [
        Column(_l("结对"), 14, wrap=True),
        Column(_l("条目号"), 9),
        Column(_l("任务"), 26, wrap=True),
        Column(_l("领域"), 8),
        Column(_l("牵头单位"), 16, wrap=True),
        Column(_l("配合单位"), 16, wrap=True),
        Column(_l("截止日期"), 11, "date"),
        Column(_l("时限原文"), 12, wrap=True),
        Column(_l("完成日期"), 11, "date"),
        Column(_l("按时 / 逾期"), 11),
        Column(_l("逾期天数"), 6, "int"),
        Column(_l("状态"), 7),
        Column(_l("计入方"), 7),
        Column(_l("是否计分"), 12),
        Column(_l("最近通过的进展报告"), 30, wrap=True),
        Column(_l("报告审核日期"), 11, "date"),
    ]

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        # The task numbers, areas and units are held for one chunk at a time.
        numbers = chunk_numbers(chunk)
        record = chunk.record
        units = chunk.units
        sides, lead_units, cooperating_units = units.sides, units.lead, units.cooperating
        reports = record.last_approved_reports([p.pk for p in record.due_periods])
        language = get_language()
        # The labels of 是否计分, translated once for the chunk rather than once per row.
        yes, not_counted = _("是"), _("否：%(why)s")
        ledger_counted = ledger_counted_labels()
        # The labels of 按时 / 逾期 and 状态, translated once per chunk for each (state, days) and
        # (state, recorded status): they depend on nothing else.
        outcome_labels: dict[tuple, str] = {}
        status_labels: dict[tuple, str] = {}
        for period in record.due_periods:
            task = record.tasks[period.task_id]
            standing = record.standing(period)
            outcome = outcome_of(standing)
            label = outcome_labels.get((standing.state, standing.days))
            if label is None:
                label = outcome_labels[(standing.state, standing.days)] = outcome.label
            status = status_labels.get((standing.state, period.status))
            if status is None:
                status = status_labels[(standing.state, period.status)] = record.status_label(
                    period, standing
                )
            report_text, reviewed_on = reports.get(period.pk, ("", None))
            if task.fulfilment:
                counted = ledger_counted.get(task.fulfilment) or _ledger_counted(task.fulfilment)
            elif outcome.counted:
                counted = yes
            else:
                counted = not_counted % {"why": outcome.label}
            yield [
                self.by_id[task.pairing_id].name,
                numbers.get(task.pk, task.number),
                task.title,
                task.area or "",
                lead_units.get(task.pk, ""),
                cooperating_units.get(task.pk, ""),
                period.due,
                task.deadline_text,
                standing.done_on if standing.is_done else None,
                label,
                outcome.days_late or None,
                status,
                _sides_text(sides.get(task.pk, BOTH_SIDES), language),
                counted,
                report_text,
                reviewed_on,
            ]


class TargetsSheet(PairingExporter):
    """指标完成情况: each target of the year's periods, its actual (from approved reports), rate and met."""

    title = _l("指标完成情况")
    columns = [
        Column(_l("结对"), 14, wrap=True),
        Column(_l("条目号"), 9),
        Column(_l("任务"), 24, wrap=True),
        Column(_l("指标"), 24, wrap=True),
        Column(_l("比较"), 5),
        Column(_l("目标值"), 12, "number"),
        Column(_l("单位"), 6),
        Column(_l("完成值"), 12, "number"),
        Column(_l("完成率"), 8, "pct"),
        Column(_l("是否达标"), 6),
        Column(_l("计入方"), 7),
        Column(_l("是否计分"), 12),
        Column(_l("指标原文"), 26, wrap=True),
    ]

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        numbers = chunk_numbers(chunk)
        record = chunk.record
        sides = chunk.sides
        yes, no = _("是"), _("否")
        comparators: dict[str, str] = {}  # each comparator's label, read once per chunk
        ledger_counted, minimum_counted = ledger_counted_labels(), _("否：计入交流活动")
        language = get_language()
        for target in record.targets:
            actual = record.actual(target)
            rate = target.completion_rate(actual)
            money = target.unit == "元"
            task = record.tasks[target.task_id]
            comparator = comparators.get(target.comparator)
            if comparator is None:
                comparator = comparators[target.comparator] = target.get_comparator_display()
            yield [
                self.by_id[task.pairing_id].name,
                numbers.get(target.task_id, ""),
                task.title,
                target.name,
                comparator,
                _number(target.value, money),
                target.unit,
                _number(actual, money),
                rate / 100 if rate is not None else None,
                yes if target.is_met(actual) else no,
                _sides_text(sides.get(target.task_id, BOTH_SIDES), language),
                _target_counted(record, target, yes, minimum_counted, ledger_counted),
                target.source_text,
            ]


def ledger_counted_labels() -> dict[str, str]:
    """是否计分 of a ledger-kept task or target (否：按资金台账计分 …) by the task's fulfilment,
    translated once per chunk rather than once per row."""
    return {fulfilment: _ledger_counted(fulfilment) for fulfilment in Task.Fulfilment.values if fulfilment}


def _ledger_counted(fulfilment: str) -> str:
    return _("否：按%(ledger)s计分") % {"ledger": LEDGER_LABELS.get(fulfilment, _("台账"))}


def _target_counted(record: YearRecord, target, yes: str, minimum: str, ledger: dict[str, str]) -> str:
    """是否计分 of a target: scored under 量化指标 (`yes`), or where else it counts (the labels of
    `ledger_counted_labels` and a yearly minimum's, translated once per chunk)."""
    if target.pk in record.minimum_of:
        return minimum
    fulfilment = record.tasks[target.task_id].fulfilment
    if not fulfilment:
        return yes
    return ledger.get(fulfilment) or _ledger_counted(fulfilment)


def _number(value: Decimal | None, money: bool) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal("1")) if money and value == value.to_integral() else value.normalize()


class FundsSheet(PairingExporter):
    """资金到位情况: each commitment of the year, its payments, arrival, on time or days late, and the use list."""

    title = _l("资金到位情况")
    columns = [
        Column(_l("结对"), 14, wrap=True),
        Column(_l("用途"), 20, wrap=True),
        Column(_l("拨付方"), 8),
        Column(_l("接收方"), 8),
        Column(_l("承诺金额（元）"), 13, "yuan", total=True),
        Column(_l("到位时限"), 11, "date"),
        Column(_l("时限原文"), 10, wrap=True),
        Column(_l("已拨付（元）"), 13, "yuan", total=True),
        Column(_l("足额拨付日期"), 11, "date"),
        Column(_l("已确认到账（元）"), 13, "yuan", total=True),
        Column(_l("未拨付（元）"), 12, "yuan", total=True),
        Column(_l("是否按时"), 12, wrap=True),
        Column(_l("逾期天数"), 6, "int"),
        Column(_l("拨付明细"), 26, wrap=True),
        Column(_l("到账确认"), 22, wrap=True),
        Column(_l("项目清单截止"), 11, "date"),
        Column(_l("清单报送日期"), 11, "date"),
        Column(_l("清单是否按时"), 7),
        Column(_l("计入方"), 14, wrap=True),
        Column(_l("是否计分"), 12, wrap=True),
    ]

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        list_labels = {
            State.DONE: _("按时"),
            State.DONE_LATE: _("逾期"),
            State.OVERDUE: _("逾期未报"),
            State.ON_TRACK: _("未到期"),
            State.SOON: _("未到期"),
        }
        record = chunk.record
        for c in record.commitments.values():
            pairing = self.by_id[c.pairing_id]
            payments = "；".join(
                f"{d.date.isoformat()} {d.kind} ¥{d.amount:,.0f}" + (f"（{d.voucher}）" if d.voucher else "")
                for d in c.payments
            )
            arrivals = "；".join(f"{d.date.isoformat()} ¥{d.amount:,.0f}" for d in c.arrivals)
            payment = c.payment()
            if payment.state == State.DONE:
                label = _("按时足额拨付")
            elif payment.state == State.DONE_LATE:
                label = _("足额拨付，逾期 %(days)d 天") % {"days": payment.days}
            else:
                label = payment.label
            use_list = c.use_list()
            payer = sides_text(sides_of(c.payer_region.path, pairing))
            receiver = sides_text(sides_of(c.receiver_region.path, pairing))
            counts = _("拨付：%(side)s") % {"side": payer}
            if use_list is not None:
                counts += _("；清单：%(side)s") % {"side": receiver}
            judged = [outcome_of(payment).counted] + (
                [outcome_of(use_list).counted] if use_list is not None else []
            )
            counted = (
                _("是") if all(judged) else (_("部分：未到期的不计") if any(judged) else _("否：未到期"))
            )
            yield [
                pairing.name,
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
                arrivals,
                c.use_list_due,
                c.use_list_submitted,
                list_labels.get(use_list.state, "") if use_list is not None else "",
                counts,
                counted,
            ]


class FundProjectsSheet(PairingExporter):
    """资金使用项目: the receiving side's fund-use list of each commitment of the year, as recorded at the cut-off."""

    title = _l("资金使用项目")
    columns = [
        Column(_l("结对"), 14, wrap=True),
        Column(_l("资金用途"), 22, wrap=True),
        Column(_l("项目名称"), 30, wrap=True),
        Column(_l("类别"), 10),
        Column(_l("实施单位"), 18, wrap=True),
        Column(_l("计划安排（元）"), 14, "yuan", total=True),
        Column(_l("已支出（元）"), 14, "yuan", total=True),
        Column(_l("状态"), 8),
    ]

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        kinds = dict(FundUseProject.Kind.choices)
        statuses = dict(FundUseProject.Status.choices)
        # @@START
        record = chunk.record
        projects = recorded(
            FundUseProject,
            record.moment,
            Q(commitment_id__in=list(record.commitments)),
            "commitment_id",
            "name",
            "kind",
            "unit_id",
            "planned_amount",
            "spent_amount",
            "status",
        )
        units = Unit.objects.in_bulk({p["unit_id"] for p in projects.values() if p["unit_id"]})
        ordered = sorted(
            (p for p in projects.values() if p["commitment_id"] in record.commitments),
            key=lambda p: (
                record.commitments[p["commitment_id"]].pairing_id,
                p["commitment_id"],
                p["id"],
            ),
        )
        for p in ordered:
            c = record.commitments[p["commitment_id"]]
            unit = units.get(p["unit_id"])
            yield [
                self.by_id[c.pairing_id].name,
                c.purpose,
                p["name"],
                str(kinds.get(p["kind"], p["kind"])),
                unit.name if unit else "",
                p["planned_amount"],
                p["spent_amount"],
                str(statuses.get(p["status"], p["status"])),
            ]


class ParksSheet(PairingExporter):
    """园区建设情况: each park's plan lines of the year (政府性 / 招商) against their completion, in 万元."""

    title = _l("园区建设情况")
    columns = [
        Column(_l("结对"), 14, wrap=True),
        Column(_l("园区"), 22, wrap=True),
        Column(_l("园区类型"), 14),
        Column(_l("投资类型"), 10),
        Column(_l("项目数"), 8, "int", total=True),
        Column(_l("计划总投资（万元）"), 16, "wan", total=True),
        Column(_l("计划完成数（万元）"), 16, "wan", total=True),
        Column(_l("实际完成数（万元）"), 16, "wan", total=True),
        Column(_l("完成率"), 9, "pct"),
        Column(_l("计入方"), 6),
        Column(_l("是否计分"), 12, wrap=True),
        Column(_l("来源"), 24, wrap=True),
    ]

    @cached_property
    def counted(self) -> str:
        """是否计分 of every line: whether the year's scheme has a 园区 section (read once)."""
        from assessment.models import AssessmentSection
        from assessment.scoring import scheme_for

        scored = any(
            s.rule == AssessmentSection.Rule.PARKS_COMPLETION for s in scheme_for(self.year).sections.all()
        )
        return _("是") if scored else _("否：考核方案未设园区项目")

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        counted = self.counted
        park_kinds = dict(Park.Kind.choices)
        plan_kinds = dict(ParkInvestmentPlan.Kind.choices)
        # @@START
        for plan in chunk.park_plans:
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
                _("双方"),  # each side counts 100 % of a co-built park
                counted,
                plan["source"],
            ]


KIND_LABELS = dict(Activity.Kind.choices)


class ActivitiesSheet(PairingExporter):
    """交流活动: each yearly minimum against the activities that count, then the count of each kind."""

    title = _l("交流活动")
    columns = [
        Column(_l("结对"), 14, wrap=True),
        Column(_l("要求"), 28, wrap=True),
        Column(_l("来源任务"), 20, wrap=True),
        Column(_l("计入的活动类型"), 12, wrap=True),
        Column(_l("最低次数"), 6, "int"),
        Column(_l("实际次数"), 6, "int"),
        Column(_l("是否达标"), 6),
        Column(_l("计入方"), 6),
        Column(_l("是否计分"), 8),
        Column(_l("计入的活动"), 36, wrap=True),
    ]

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        record = chunk.record
        minimums: dict[int, list] = defaultdict(list)
        for m in record.minimums:
            minimums[m.pairing_id].append(m)
        # Pairing by pairing (each pairing's rows together, for its 小计): its minimums, then
        # the count of each kind of activity held.
        for pairing_id in sorted(chunk.ids):
            yield from self._pairing_rows(record, pairing_id, minimums[pairing_id])

    def _pairing_rows(self, record: YearRecord, pairing_id: int, minimums: list) -> Iterator[list]:
        for m in minimums:
            yield [
                self.by_id[m.pairing_id].name,
                m.target.source_text or m.target.name,
                record.tasks[m.target.task_id].title,
                "、".join(str(KIND_LABELS.get(k, k)) for k in m.target.counted_kinds)
                + (f"（{m.target.activity_field}）" if m.target.activity_field else ""),
                int(m.required),
                m.count,
                _("是") if m.met else _("否"),
                _("双方"),
                _("是"),
                "；".join(f"{a.date.isoformat()} {a.title}" for a in m.activities),
            ]
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
                _("双方"),
                _("否：统计"),
                "；".join(f"{a.date.isoformat()} {a.title}" for a in items),
            ]


class IndicatorsSheet(PairingExporter):
    """发展指标: each region's figures of the year once (a region in several pairings is not repeated),
    both sides of every pairing — a side without figures says so (indicators.services.assessment_rows)."""

    title = _l("发展指标")
    group_column = 0
    chunked = False  # by region, once each, not by pairing
    columns = [
        Column(_l("地区"), 8),
        Column(_l("方"), 6),
        Column(_l("所涉结对"), 14, wrap=True),
        Column(_l("指标"), 16, wrap=True),
        Column(_l("单位"), 5),
        Column(_l("目标口径"), 5),
        Column(_l("预期目标"), 8, "number"),
        Column(_l("实际值口径"), 5),
        Column(_l("实际值"), 8, "number"),
        Column(_l("完成情况"), 7),
        Column(_l("来源文件"), 14, wrap=True),
        Column(_l("原文"), 20, wrap=True),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions: dict[int, dict] = {}
        for pairing in self.pairings:
            for side, region in (("coastal", pairing.coastal_region), ("mountain", pairing.mountain_region)):
                entry = regions.setdefault(region.pk, {"region": region, "sides": [], "pairings": []})
                if side not in entry["sides"]:
                    entry["sides"].append(side)
                entry["pairings"].append(pairing.name)
        self.regions = list(regions.values())
        self.subtotals = len(self.regions) > 1

    def rows(self) -> Iterator[list]:
        figures: dict[str, list[list]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for row in list(assessment_rows(self.pairings, self.year))[1:]:
            key = (row[2], row[4])  # (region, indicator): once, whatever the number of its pairings
            if key not in seen:
                seen.add(key)
                figures[row[2]].append(row)
        for entry in self.regions:
            region = entry["region"]
            sides = "、".join(side_label(side) for side in entry["sides"])
            pairings = "、".join(dict.fromkeys(entry["pairings"]))
            lines = figures.get(region.name) or []
            if not lines:
                yield [region.name, sides, pairings, _("本年度无记录"), "", "", None, "", None, "", "", ""]
            for row in lines:
                yield [region.name, sides, pairings, row[4], row[5], *row[7:]]  # the year is the sheet's


class UrgingSheet(PairingExporter):
    """催办督办: each urging notice issued in the year — date, item, unit, level (催办 / 督办), status,
    signed for (when, by whom), answered — as recorded at the cut-off; an escalation costs points."""

    title = _l("催办督办")
    columns = [
        Column(_l("结对"), 14, wrap=True),
        Column(_l("发出日期"), 11, "date"),
        Column(_l("事项"), 30, wrap=True),
        Column(_l("责任单位"), 18, wrap=True),
        Column(_l("计入方"), 7),
        Column(_l("级别"), 6),
        Column(_l("状态"), 8),
        Column(_l("签收期限"), 11, "date"),
        Column(_l("签收"), 18, wrap=True),
        Column(_l("反馈期限"), 11, "date"),
        Column(_l("反馈日期"), 11, "date"),
        Column(_l("是否计分"), 14, wrap=True),
    ]

    def chunk_rows(self, chunk: Chunk) -> Iterator[list]:
        from django.contrib.auth import get_user_model

        statuses = dict(UrgingNotice.Status.choices)
        deduction = self.deduction
        # @@START
        notices = chunk.notices
        users = get_user_model().objects.in_bulk({n.signed_by_id for n in notices if n.signed_by_id})
        for notice in notices:
            pairing = self.by_id[notice.pairing_id]
            signer = users.get(notice.signed_by_id)
            if notice.signed_on:
                signed = notice.signed_on.isoformat() + (
                    f" {signer.get_full_name() or signer.get_username()}" if signer else ""
                )
                if not notice.signed_on_time:
                    signed += _("（逾期）")
            else:
                signed = _("未签收")
            if notice.escalated:
                level = _("督办")
                counted = (
                    _("是：%(date)s 提请督办，扣 %(n)s 分")
                    % {"date": notice.escalated_on.isoformat(), "n": f"{deduction.normalize():f}"}
                    if deduction
                    else _("是：提请督办")
                )
            else:
                level = _("催办")
                counted = _("否：未提请督办")
            yield [
                pairing.name,
                notice.issued_on,
                notice.summary,
                notice.unit.name,
                sides_text(sides_of(notice.unit.region.path, pairing)),
                level,
                str(statuses.get(notice.status, notice.status)),
                notice.sign_by,
                signed,
                notice.reply_by,
                notice.replied_on,
                counted,
            ]

    @cached_property
    def deduction(self) -> Decimal:
        from assessment.models import AssessmentSection
        from assessment.scoring import scheme_for

        section = next(
            (s for s in scheme_for(self.year).sections.all() if s.rule == AssessmentSection.Rule.URGING), None
        )
        return section.deduction if section else Decimal("0")


DETAIL_SHEETS = [
    TasksSheet,
    TargetsSheet,
    FundsSheet,
    FundProjectsSheet,
    ParksSheet,
    ActivitiesSheet,
    IndicatorsSheet,
    UrgingSheet,
]
