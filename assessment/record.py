"""The year as it stood at the cut-off: what the records said on the as-of day, whatever came later.

The assessment of a year is judged on its as-of day (`scoring.as_of_date`: the first day after the
year once it is over). Two dates decide whether a fact counts:

- its own date — a payment's, an arrival's, an activity's, a completion date, the day a fund-use
  list was submitted, the day a report was approved — is on or before the as-of day; and
- it was *recorded* by the end of the as-of day (the cut-off moment): statuses, completion dates
  and actual values are read from the history (django-simple-history) as they were at that
  moment; a payment or an arrival recorded later (`recorded_at`), a report approved later
  (`reviewed_at`), an activity added or changed later do not change the year's figures.

So exporting the same year twice gives the same figures whatever happened after the cut-off. A
ledger-kept task period (`Task.fulfilment`) is judged from its ledger as it stood then (the
year's commitment, the activities), not from its stored status.

Everything is read for a chunk of pairings with a constant number of queries, whatever the number
of tasks, periods, payments or history rows.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext as _

from cooperation.models import Activity, Region, Unit
from core.queries import in_one_param
from core.states import Standing, judge
from funds.models import ArrivalConfirmation, Disbursement, FundCommitment
from parks.models import ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks.models import ProgressReport, Target, TargetActual, Task, TaskPeriod

ZERO = Decimal("0")
LOCAL = zoneinfo.ZoneInfo("Asia/Shanghai")
# Yuan per unit of a money target (as tasks.fulfilment.MONEY_UNITS).
MONEY_UNITS = {"元": Decimal("1"), "万元": Decimal("10000"), "亿元": Decimal("100000000")}
FUND_KINDS = (Task.Fulfilment.FUND_PAID, Task.Fulfilment.FUND_CONFIRMED, Task.Fulfilment.FUND_USE_LIST)


def id_list(ids):
    """The right-hand side of ``__in`` for a chunk's thousands of ids: one parameter
    (`core.queries.in_one_param`), not one per id to prepare and bind; empty, no query at all."""
    ids = list(ids)
    return in_one_param(ids, integers=True) if ids else ids


def cutoff_moment(as_of: datetime.date) -> datetime.datetime:
    """The end of the as-of day (Beijing time): what was recorded before it counts."""
    return datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time(), tzinfo=LOCAL)


def as_recorded(history_rows, key: str = "id") -> dict:
    """The last history row of each object (rows ordered by object, then time); deleted ones left out."""
    last: dict = {}
    for row in history_rows:
        last[row[key]] = row
    return {pk: row for pk, row in last.items() if row["history_type"] != "-"}


def recorded(model, moment: datetime.datetime, matching: Q, *fields: str) -> dict[int, dict]:
    """Each object of `model` that matched `matching` at some point before `moment`, as its last
    history row before `moment` says (one query). The caller checks the match again on that row:
    an activity moved from 2025 to 2026 before the cut-off is no longer 2025's."""
    return as_recorded(_history_before(model, moment, matching).values("id", "history_type", *fields))


def recorded_rows(model, moment: datetime.datetime, matching: Q, *fields: str) -> dict[int, tuple]:
    """`recorded` as plain tuples (`fields` in their order) for the tens of thousands of rows of a
    chunk's task periods: no dict per history row."""
    last: dict[int, tuple] = {}
    for row in _history_before(model, moment, matching).values_list("id", "history_type", *fields):
        last[row[0]] = row
    return {pk: row[2:] for pk, row in last.items() if row[1] != "-"}


def _history_before(model, moment: datetime.datetime, matching: Q):
    history = model.history.model.objects
    candidates = history.filter(matching, history_date__lt=moment).values("id")
    return history.filter(id__in=candidates, history_date__lt=moment).order_by(
        "id", "history_date", "history_id"
    )


class TaskAt(NamedTuple):
    """What the year's judging and the sheets read of a task (plain values, not a model instance)."""

    pk: int
    pairing_id: int
    fulfilment: str
    fund_rule_id: int | None
    title: str
    number: str
    position: int
    parent_id: int | None
    area: str | None
    deadline_text: str


# The fields of `TaskAt`, in its order, as the one query of a chunk's tasks reads them.
TASK_AT_FIELDS = (
    "pk",
    "pairing_id",
    "fulfilment",
    "fund_rule_id",
    "title",
    "number",
    "position",
    "parent_id",
    "area__name",
    "deadline_text",
)


class PeriodAt(NamedTuple):
    pk: int
    task_id: int
    year: int
    due: datetime.date | None
    status: str
    completed_on: datetime.date | None


@dataclass
class LedgerRow:
    pk: int
    date: datetime.date
    amount: Decimal
    kind: str = ""
    voucher: str = ""


@dataclass
class CommitmentAt:
    """A fund commitment as it stood at the cut-off, with the payments and arrivals then recorded."""

    pk: int
    pairing_id: int
    rule_id: int | None
    year: int
    purpose: str
    payer_region: Region
    receiver_region: Region
    amount: Decimal
    due: datetime.date
    due_text: str
    use_list_due: datetime.date | None
    use_list_submitted: datetime.date | None
    as_of: datetime.date
    payments: list[LedgerRow] = field(default_factory=list)
    arrivals: list[LedgerRow] = field(default_factory=list)

    @staticmethod
    def _reached(rows: list[LedgerRow], amount: Decimal) -> datetime.date | None:
        running, reached = ZERO, None
        for row in rows:
            running += row.amount
            if running >= amount:
                reached = reached or row.date
            else:
                reached = None  # a reversal took it back below the promise
        return reached

    @property
    def paid(self) -> Decimal:
        return sum((r.amount for r in self.payments), ZERO)

    @property
    def confirmed(self) -> Decimal:
        return sum((r.amount for r in self.arrivals), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def paid_in_full_on(self) -> datetime.date | None:
        return self._reached(self.payments, self.amount)

    @property
    def confirmed_in_full_on(self) -> datetime.date | None:
        return self._reached(self.arrivals, self.amount)

    def payment(self) -> Standing:
        done_on = self.paid_in_full_on
        return judge(due=self.due, done=done_on is not None, done_on=done_on, as_of=self.as_of)

    def use_list(self) -> Standing | None:
        if not self.use_list_due:
            return None
        submitted = self.use_list_submitted
        return judge(due=self.use_list_due, done=submitted is not None, done_on=submitted, as_of=self.as_of)


@dataclass
class ActivityAt:
    pk: int
    pairing_id: int
    kind: str
    title: str
    date: datetime.date
    field: str


@dataclass
class NoticeAt:
    pk: int
    pairing_id: int
    unit: Unit
    signed_on_time: bool
    answered_on_time: bool
    escalated: bool
    issued_on: datetime.date | None = None
    summary: str = ""
    status: str = ""
    sign_by: datetime.date | None = None
    signed_on: datetime.date | None = None
    signed_by_id: int | None = None
    reply_by: datetime.date | None = None
    replied_on: datetime.date | None = None
    escalated_on: datetime.date | None = None


def _local_day(value: datetime.datetime | None) -> datetime.date | None:
    return value.astimezone(LOCAL).date() if value else None


@dataclass
class Minimum:
    """A yearly minimum (a target with the kinds of activity it counts) and the activities counted."""

    pairing_id: int
    target: Target
    activities: list[ActivityAt] = field(default_factory=list)

    @property
    def required(self) -> Decimal:
        return self.target.value

    @property
    def count(self) -> int:
        return len(self.activities)

    @property
    def met(self) -> bool:
        return self.count >= max(self.target.value, 1)

    @property
    def reached_on(self) -> datetime.date | None:
        need = max(int(self.target.value), 1)
        return self.activities[need - 1].date if len(self.activities) >= need else None


class YearRecord:
    """The year `year` of some pairings as recorded at the end of `as_of` (a constant number of queries)."""

    def __init__(self, pairing_ids: list[int], year: int, as_of: datetime.date) -> None:
        self.ids = list(pairing_ids)
        self.year = year
        self.as_of = as_of
        self.moment = cutoff_moment(as_of)
        self._standings: dict[int, Standing] = {}
        self.tasks: dict[int, TaskAt] = {
            task.pk: task
            for task in map(
                TaskAt._make,
                Task.objects.filter(pairing_id__in=self.ids).values_list(*TASK_AT_FIELDS),
            )
        }
        self._load_periods()
        self._load_actuals()
        self._load_commitments()
        self._load_activities()
        self._load_targets()

    @classmethod
    def funds_only(cls, pairing_ids: list[int], year: int, as_of: datetime.date) -> YearRecord:
        """Only the year's fund commitments with their payments and arrivals (two or three queries)."""
        record = cls.__new__(cls)
        record.ids = list(pairing_ids)
        record.year = year
        record.as_of = as_of
        record.moment = cutoff_moment(as_of)
        record._load_commitments()
        return record

    # --- task periods and actual values ------------------------------------------------------
    def _load_periods(self) -> None:
        rows = recorded_rows(
            TaskPeriod,
            self.moment,
            # The chunk's tasks by id (read above): no join with the tasks to find them by pairing.
            Q(task_id__in=id_list(self.tasks)) & Q(year=self.year),
            "task_id",
            "year",
            "due_date",
            "status",
            "completed_on",
        )
        tasks = self.tasks
        self.periods: dict[int, PeriodAt] = {
            pk: PeriodAt(pk, *row) for pk, row in rows.items() if row[0] in tasks
        }
        # The period of each task in the year (targets are judged on it) …
        self.period_of_task: dict[int, PeriodAt] = {
            p.task_id: p for p in self.periods.values() if p.year == self.year
        }
        # … and the year's periods with a due date (任务完成情况): a period belongs to its own year,
        # even when its due date was moved into the next January (the one rule of every surface).
        self.due_periods = sorted(
            (p for p in self.periods.values() if p.due is not None and p.year == self.year),
            key=lambda p: ((task := tasks[p.task_id]).pairing_id, p.due, task.position, p.task_id),
        )

    def _load_actuals(self) -> None:
        period_ids = [p.pk for p in self.period_of_task.values()]
        rows = as_recorded(
            TargetActual.history.model.objects.filter(
                period_id__in=id_list(period_ids), history_date__lt=self.moment
            )
            .order_by("id", "history_date", "history_id")
            .values("id", "history_type", "period_id", "target_id", "value")
        )
        self.actuals = {(r["period_id"], r["target_id"]): r["value"] for r in rows.values()}

    def last_approved_reports(self, period_ids: list[int]) -> dict[int, tuple[str, datetime.date]]:
        """Each period's last report approved before the cut-off: (text, the day it was approved)."""
        reports: dict[int, tuple[str, datetime.datetime]] = {}
        for period_id, text, reviewed_at in (
            ProgressReport.objects.filter(
                period_id__in=id_list(period_ids),
                status=ProgressReport.Status.APPROVED,
                reviewed_at__lt=self.moment,
            )
            .order_by("period_id", "reviewed_at", "pk")
            .values_list("period_id", "text", "reviewed_at")
        ):
            reports[period_id] = (text, reviewed_at)
        return {period_id: (text, _local_day(at)) for period_id, (text, at) in reports.items()}

    # --- funds -------------------------------------------------------------------------------
    def _load_commitments(self) -> None:
        rows = recorded(
            FundCommitment,
            self.moment,
            Q(pairing_id__in=self.ids, year=self.year),
            "pairing_id",
            "rule_id",
            "year",
            "purpose",
            "payer_region_id",
            "receiver_region_id",
            "amount",
            "due",
            "due_text",
            "use_list_due",
            "use_list_submitted",
        )
        rows = {pk: r for pk, r in rows.items() if r["year"] == self.year and r["pairing_id"] in self.ids}
        region_ids = {r["payer_region_id"] for r in rows.values()} | {
            r["receiver_region_id"] for r in rows.values()
        }
        regions = Region.objects.in_bulk(region_ids)
        self.commitments: dict[int, CommitmentAt] = {}
        for pk, r in sorted(rows.items(), key=lambda item: (item[1]["pairing_id"], item[1]["due"], item[0])):
            submitted = r["use_list_submitted"]
            self.commitments[pk] = CommitmentAt(
                pk=pk,
                pairing_id=r["pairing_id"],
                rule_id=r["rule_id"],
                year=r["year"],
                purpose=r["purpose"],
                payer_region=regions[r["payer_region_id"]],
                receiver_region=regions[r["receiver_region_id"]],
                amount=r["amount"],
                due=r["due"],
                due_text=r["due_text"],
                use_list_due=r["use_list_due"],
                use_list_submitted=submitted if submitted and submitted <= self.as_of else None,
                as_of=self.as_of,
            )
        counted = Q(
            commitment_id__in=list(self.commitments), date__lte=self.as_of, recorded_at__lt=self.moment
        )
        for pk, commitment_id, date, amount, kind, voucher in (
            Disbursement.objects.filter(counted)
            .order_by("date", "pk")
            .values_list("pk", "commitment_id", "date", "amount", "kind", "voucher_no")
        ):
            row = LedgerRow(pk, date, amount, str(Disbursement.Kind(kind).label), voucher)
            self.commitments[commitment_id].payments.append(row)
        for pk, commitment_id, date, amount in (
            ArrivalConfirmation.objects.filter(counted)
            .order_by("date", "pk")
            .values_list("pk", "commitment_id", "date", "amount")
        ):
            self.commitments[commitment_id].arrivals.append(LedgerRow(pk, date, amount))
        self.commitment_of_rule = {c.rule_id: c for c in self.commitments.values() if c.rule_id}

    # --- activities and yearly minimums ------------------------------------------------------
    def _load_activities(self) -> None:
        rows = recorded(
            Activity,
            self.moment,
            Q(pairing_id__in=self.ids, date__year=self.year),
            "pairing_id",
            "kind",
            "title",
            "date",
            "field",
        )
        self.activities: dict[int, list[ActivityAt]] = defaultdict(list)
        for r in sorted(rows.values(), key=lambda r: (r["date"], r["id"])):
            if r["date"].year == self.year and r["date"] <= self.as_of and r["pairing_id"] in self.ids:
                self.activities[r["pairing_id"]].append(
                    ActivityAt(r["id"], r["pairing_id"], r["kind"], r["title"], r["date"], r["field"])
                )

    def _load_targets(self) -> None:
        """The targets of the tasks that run in the year, and the yearly minimums among them."""
        tasks = self.tasks
        # In the sheets' order (pairing, task position), sorted here by the tasks read above rather
        # than by a join in the query.
        self.targets: list[Target] = sorted(
            Target.objects.filter(task_id__in=id_list(self.period_of_task))
            .filter(Q(year__isnull=True) | Q(year=self.year))
            .order_by(),
            key=lambda t: ((task := tasks[t.task_id]).pairing_id, task.position, t.task_id, t.pk),
        )
        self.minimums: list[Minimum] = []
        self.minimum_of: dict[int, Minimum] = {}
        self.minimums_of_task: dict[int, list[Minimum]] = defaultdict(list)
        for target in self.targets:
            if not target.counted_kinds:
                continue
            pairing_id = self.tasks[target.task_id].pairing_id
            counted = [
                a for a in self.activities.get(pairing_id, []) if target.counts(a.kind, a.field, a.title)
            ]
            minimum = Minimum(pairing_id, target, counted)
            self.minimums.append(minimum)
            self.minimum_of[target.pk] = minimum
            self.minimums_of_task[target.task_id].append(minimum)

    # --- urging notices and park plans (read on demand) ------------------------------------
    def notices(self) -> list[NoticeAt]:
        """The urging notices issued in the year by the as-of day, as recorded at the cut-off, with
        what was done by then (signed, answered, escalated) — two queries."""
        rows = recorded(
            UrgingNotice,
            self.moment,
            Q(pairing_id__in=self.ids, issued_on__year=self.year),
            "pairing_id",
            "unit_id",
            "issued_on",
            "sign_by",
            "signed_at",
            "reply_by",
            "replied_at",
            "escalated_on",
            "summary",
            "status",
            "signed_by_id",
        )
        rows = {
            pk: r
            for pk, r in rows.items()
            if r["issued_on"].year == self.year
            and r["issued_on"] <= self.as_of
            and r["pairing_id"] in self.ids
        }
        units = Unit.objects.select_related("region").in_bulk({r["unit_id"] for r in rows.values()})
        notices = []
        for r in sorted(rows.values(), key=lambda r: (r["pairing_id"], r["id"])):
            unit = units.get(r["unit_id"])
            if unit is None:
                continue
            signed = _local_day(r["signed_at"])
            replied = _local_day(r["replied_at"])
            escalated = r["escalated_on"]
            notices.append(
                NoticeAt(
                    r["id"],
                    r["pairing_id"],
                    unit,
                    signed_on_time=signed is not None and signed <= r["sign_by"],
                    answered_on_time=replied is not None and replied <= r["reply_by"],
                    escalated=escalated is not None and escalated <= self.as_of,
                    issued_on=r["issued_on"],
                    summary=r["summary"],
                    status=r["status"],
                    sign_by=r["sign_by"],
                    signed_on=signed,
                    signed_by_id=r["signed_by_id"],
                    reply_by=r["reply_by"],
                    replied_on=replied,
                    escalated_on=escalated if escalated is not None and escalated <= self.as_of else None,
                )
            )
        return notices

    def park_plans(self) -> list[dict]:
        """The year's park plan lines as recorded at the cut-off (one query; the park read with them)."""
        rows = recorded(
            ParkInvestmentPlan,
            self.moment,
            Q(park__pairing_id__in=self.ids, year=self.year),
            "park_id",
            "park__pairing_id",
            "park__name",
            "park__kind",
            "year",
            "kind",
            "project_count",
            "planned_total",
            "planned_completion",
            "actual_completion",
            "source",
        )
        return sorted(
            (r for r in rows.values() if r["year"] == self.year),
            key=lambda r: (r["park__pairing_id"], r["park__name"], r["kind"]),
        )

    # --- judging -----------------------------------------------------------------------------
    def ledger_done_on(self, task: TaskAt, period: PeriodAt) -> datetime.date | None:
        """The day the ledger proved a ledger-kept period done (as recorded at the cut-off), else None."""
        if task.fulfilment in FUND_KINDS:
            commitment = self.commitment_for(task, period)
            if commitment is None:
                return None
            if task.fulfilment == Task.Fulfilment.FUND_PAID:
                return commitment.paid_in_full_on
            if task.fulfilment == Task.Fulfilment.FUND_CONFIRMED:
                return commitment.confirmed_in_full_on
            return commitment.use_list_submitted
        if task.fulfilment == Task.Fulfilment.ACTIVITIES:
            minimums = self.minimums_of_task.get(task.pk, [])
            if not minimums or not all(m.met for m in minimums):
                return None
            return max(m.reached_on for m in minimums)  # type: ignore[type-var]
        return None

    def commitment_for(self, task: TaskAt, period: PeriodAt) -> CommitmentAt | None:
        if period.year != self.year or not task.fund_rule_id:
            return None
        return self.commitment_of_rule.get(task.fund_rule_id)

    def standing(self, period: PeriodAt) -> Standing:
        """How a period stood on the as-of day: by its ledger if ledger-kept, else by its recorded status
        (judged once per period: the scores and the sheets ask alike)."""
        found = self._standings.get(period.pk)
        if found is None:
            found = self._standings[period.pk] = self._judge(period)
        return found

    def _judge(self, period: PeriodAt) -> Standing:
        task = self.tasks[period.task_id]
        paused = period.status == TaskPeriod.Status.PAUSED
        if task.fulfilment:
            done_on = self.ledger_done_on(task, period)
            return judge(
                due=period.due, done=done_on is not None, done_on=done_on, as_of=self.as_of, paused=paused
            )
        return judge(
            due=period.due,
            done=period.status == TaskPeriod.Status.DONE,
            done_on=period.completed_on,
            as_of=self.as_of,
            paused=paused,
        )

    def status_label(self, period: PeriodAt, standing: Standing) -> str:
        """The status a user reads (逾期 wins over the typed status), as the sheets have always shown it."""
        if standing.is_overdue:
            return _("逾期")
        if standing.is_done:
            return str(TaskPeriod.Status.DONE.label)
        if period.status == TaskPeriod.Status.DONE:  # recorded done, but not proved by the as-of day
            return str(TaskPeriod.Status.IN_PROGRESS.label)
        return str(TaskPeriod.Status(period.status).label)

    def actual(self, target: Target) -> Decimal | None:
        """A target's actual value in the year: counted from activities for a yearly minimum, from the
        ledger for a fund-kept task's money target, else the value recorded at the cut-off."""
        if target.pk in self.minimum_of:
            return Decimal(self.minimum_of[target.pk].count)
        task = self.tasks[target.task_id]
        period = self.period_of_task.get(target.task_id)
        if period is None:
            return None
        if (
            task.fulfilment in (Task.Fulfilment.FUND_PAID, Task.Fulfilment.FUND_CONFIRMED)
            and target.unit in MONEY_UNITS
        ):
            commitment = self.commitment_for(task, period)
            if commitment is None:
                return None
            total = commitment.paid if task.fulfilment == Task.Fulfilment.FUND_PAID else commitment.confirmed
            return (total / MONEY_UNITS[target.unit]).quantize(Decimal("0.01"))
        return self.actuals.get((period.pk, target.pk))

    def counted_in_targets(self, target: Target) -> bool:
        """量化指标完成 scores a target once: not a yearly minimum (交流活动) nor a ledger-kept task's (its ledger's section)."""
        return target.pk not in self.minimum_of and not self.tasks[target.task_id].fulfilment
