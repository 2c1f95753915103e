"""A seeded generator of pairings for the consistency test: everything an office records in a year.

`generate(n, seed, today)` makes `n` pairings with `random.Random(seed)` — the same seed gives the
same rows — through the product's own services wherever a rule runs (tasks.services.save_task and
the report workflow, funds.services for payments, reversals, arrivals and fund-use lists, Activity
saves that re-judge the activity-kept periods, lock_year), so the ledger sync and the history run
as they do for a user. `today` must be the day the clock is frozen at (services refuse future dates).

Each pairing gets two counties of one test province, units on both sides, a liaison officer and a
reporter, and a plan of:
- a yearly task, a one-off task and a task without a deadline, whose periods are moved by progress
  reports (draft / submitted / returned / approved, marking the work done on time, late or on an
  unknown day), by hand (推进中, 暂缓, 已完成), or left alone; now and then a due date moved by hand;
- often a fund rule with its yearly commitments (now and then one year's never made) and a task
  proved by it (fund_paid, fund_confirmed or fund_use_list), paid on time, late, in part, in full
  then reversed, or not at all; arrivals confirmed or not; fund-use lists submitted on time, late
  or never;
- often a task proved by activities (a yearly minimum, sometimes one count per field: 教育, 医疗);
- sometimes a locked past year.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from cooperation.models import Activity, Pairing, Region, Role, Unit, User
from funds import services as funds_services
from funds.models import FundCommitment, FundRule, FundUseProject
from tasks import services
from tasks.models import Target, Task, TaskPeriod

D = datetime.date
DEPARTMENTS = ["发改局", "财政局", "教育局", "卫健局", "农业农村局", "商务局", "科技局", "文旅局"]


@dataclass
class World:
    """What was generated (ids only: tests reload rows)."""

    seed: int
    today: datetime.date
    pairing_ids: list[int] = field(default_factory=list)
    liaison_ids: dict[int, int] = field(default_factory=dict)  # pairing id → a liaison officer's user id


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


class _Maker:
    def __init__(self, rng: random.Random, today: datetime.date, tag: str, clock=None) -> None:
        self.rng, self.today, self.tag, self.clock = rng, today, tag, clock

    def at(self, day: datetime.date):
        """Record what follows on `day` (its timestamps and history), when the test moves the clock."""
        return self.clock.at(min(day, self.today)) if self.clock is not None else contextlib.nullcontext()

    def later(self, day: datetime.date, most: int = 20) -> datetime.date:
        return min(self.today, day + datetime.timedelta(days=self.rng.randint(0, most)))

    # --- the pairing ---------------------------------------------------------------------------
    def pairing(self, province: Region, i: int) -> tuple[Pairing, list[Unit], list[Unit], User]:
        rng = self.rng
        coastal = Region.objects.create(
            name=f"{self.tag}沿海{i}区", level=Region.Level.COUNTY, parent=province
        )
        mountain = Region.objects.create(
            name=f"{self.tag}山区{i}县", level=Region.Level.COUNTY, parent=province
        )
        names = rng.sample(DEPARTMENTS, 4)
        coastal_units = [Unit.objects.create(name=f"{coastal.name}{d}", region=coastal) for d in names[:3]]
        mountain_units = [Unit.objects.create(name=f"{mountain.name}{d}", region=mountain) for d in names[1:]]
        start = rng.choice([2023, 2024, 2024, 2025, 2026])
        end = rng.choice([None, None, 2026, 2027, 2030])
        if end is not None and end < start:
            end = None
        pairing = Pairing.objects.create(
            coastal_region=coastal,
            mountain_region=mountain,
            coastal_liaison=coastal_units[0],
            mountain_liaison=mountain_units[0],
            start_year=start,
            end_year=end,
        )
        liaison = User.objects.create(
            username=f"{self.tag}-{i}-liaison", unit=coastal_units[0], role=Role.LIAISON
        )
        User.objects.create(username=f"{self.tag}-{i}-reporter", unit=mountain_units[1], role=Role.REPORTER)
        return pairing, coastal_units, mountain_units, liaison

    # --- tasks ---------------------------------------------------------------------------------
    def task(self, pairing: Pairing, position: int, units: list[Unit], **fields) -> Task:
        fields.setdefault("start_year", pairing.start_year)
        fields.setdefault("end_year", pairing.end_year)

        def persist(derived: dict) -> Task:
            return Task.objects.create(pairing=pairing, position=position, number=f"{position}.", **fields)

        # The plan's tasks, made before its first year begins: the clock only moves forward, so nothing
        # of a year (a payment on 1 January) is recorded before the task that it proves.
        with self.at(D(pairing.start_year - 1, 12, 20)):
            task = services.save_task(
                persist,
                changed=[],
                deadline_text=fields.get("deadline_text", ""),
                lead=units[:1],
                cooperating=units[1:2],
            )
        # Open-ended work gets each new year's period when the year opens (beat's daily
        # `funds.open_year`, which syncs the task's periods as here).
        for year in range(pairing.start_year + 1, self.today.year + 1):
            with self.at(D(year, 1, 1)):
                services.sync_periods(task)
        return task

    def yearly(self, pairing, position, units) -> Task:
        month = self.rng.choice([3, 4, 6, 9, 10, 11, 12])
        day = 31 if month in (3, 10, 12) else 30
        if self.rng.random() < 0.15:
            # Due soon after today, every year: the state "due soon" shows up in the current year.
            soon = self.today + datetime.timedelta(days=self.rng.randint(0, 25))
            month, day = soon.month, soon.day
        return self.task(
            pairing,
            position,
            units,
            title=f"年度任务{position}",
            deadline_kind=Task.DeadlineKind.YEARLY,
            deadline_month=month,
            deadline_day=day,
            deadline_text=f"每年{month}月{day}日前",
        )

    def one_off(self, pairing, position, units) -> Task:
        due = self.today + datetime.timedelta(days=self.rng.randint(-500, 200))
        due = max(due, D(pairing.start_year, 1, 15))  # within the pairing's years
        return self.task(
            pairing,
            position,
            units,
            title=f"一次性任务{position}",
            deadline_kind=Task.DeadlineKind.ONCE,
            deadline_date=due,
            deadline_text=f"{due.year}年{due.month}月{due.day}日前",
            start_year=min(pairing.start_year, due.year),
            end_year=None,
        )

    def continuing(self, pairing, position, units) -> Task:
        return self.task(
            pairing, position, units, title=f"持续推进任务{position}", deadline_kind=Task.DeadlineKind.NONE
        )

    # --- what people do to periods -------------------------------------------------------------
    def work(self, period: TaskPeriod, unit: Unit) -> None:
        """Move a reports-kept period as an office would: reports, by hand, or not at all."""
        rng, today = self.rng, self.today
        if period.year > today.year + 1:
            return
        fate = rng.choice(
            [
                "nothing",
                "nothing",
                "in_progress",
                "draft",
                "submitted",
                "returned",
                "done_report",
                "done_report",
                "done_report",
                "progress_report",
                "paused",
                "done_by_hand",
                "move_due",
            ]
        )
        year_start = max(D(period.year, 1, 1), D(2020, 1, 1))
        if year_start > today:
            fate = rng.choice(["nothing", "in_progress", "draft"])
        done_on = None
        if fate in ("done_report", "done_by_hand"):
            if period.due_date is not None and rng.random() < 0.5:
                done_on = _day_between(rng, year_start, min(period.due_date, today))
            else:
                done_on = _day_between(rng, year_start, today)
            if rng.random() < 0.1:
                done_on = None  # approved without a completion date: the day of approval
        moment = done_on or _day_between(rng, year_start, today)
        if fate == "in_progress":
            with self.at(moment):
                services.set_period_status(period, TaskPeriod.Status.IN_PROGRESS)
        elif fate == "paused":
            with self.at(moment):
                services.set_period_status(period, TaskPeriod.Status.PAUSED)
        elif fate == "done_by_hand":
            with self.at(moment):
                services.set_period_status(period, TaskPeriod.Status.DONE, completed_on=done_on)
        elif fate == "move_due" and period.due_date is not None:
            # An extension by hand: the year's work now due early in the next year.
            with self.at(min(moment, period.due_date)):
                services.set_period_due_date(period, D(period.year + 1, 1, rng.randint(10, 31)))
        elif fate in ("draft", "submitted", "returned", "done_report", "progress_report"):
            marks_done = fate == "done_report"
            with self.at(moment):
                report = services.save_report(
                    period,
                    None,
                    text=f"进展{period.pk}",
                    marks_done=marks_done,
                    completed_on=done_on,
                    unit=unit,
                )
            if fate == "draft":
                return
            submitted = self.later(moment, 5)
            with self.at(submitted):
                services.submit_report(report)
            # Reviewed some days later: now and then after the year's end.
            with self.at(self.later(submitted, 25)):
                if fate == "returned":
                    services.return_report(report, reason="材料不全")
                else:
                    services.approve_report(report)

    # --- the funds ledger ----------------------------------------------------------------------
    def funds(self, pairing, position, coastal_units, mountain_units) -> None:
        rng, today = self.rng, self.today
        amount = Decimal(rng.choice([1_000_000, 5_000_000, 12_000_000]))
        rule = FundRule.objects.create(
            pairing=pairing,
            purpose="帮扶资金",
            payer_region=pairing.coastal_region,
            payer_unit=coastal_units[1],
            receiver_region=pairing.mountain_region,
            receiver_unit=mountain_units[0],
            amount=amount,
            due_month=4,
            due_day=30,
            due_text="每年4月底前",
            use_list_due_month=3,
            use_list_due_day=31,
            use_list_due_text="每年3月底前",
            first_year=pairing.start_year,
            last_year=pairing.end_year,
        )
        kind = rng.choice(
            [
                Task.Fulfilment.FUND_PAID,
                Task.Fulfilment.FUND_PAID,
                Task.Fulfilment.FUND_CONFIRMED,
                Task.Fulfilment.FUND_USE_LIST,
            ]
        )
        month, day = (3, 31) if kind == Task.Fulfilment.FUND_USE_LIST else (4, 30)
        task = self.task(
            pairing,
            position,
            coastal_units[1:2] if kind != Task.Fulfilment.FUND_USE_LIST else mountain_units[:1],
            title=f"资金任务{position}",
            deadline_kind=Task.DeadlineKind.YEARLY,
            deadline_month=month,
            deadline_day=day,
            deadline_text=f"每年{month}月底前",
            fulfilment=kind,
            fund_rule=rule,
        )
        if kind != Task.Fulfilment.FUND_USE_LIST:
            Target.objects.create(task=task, name="安排帮扶资金", value=amount / 10000, unit="万元")
        # Now and then the office never made one year's commitment: nothing proves that year.
        forgotten = rng.choice(list(pairing.active_years(until=today.year))) if rng.random() < 0.15 else None
        for year in rule.pairing.active_years(until=today.year):
            if year > today.year:
                break
            if year == forgotten:
                continue
            with self.at(D(year, 1, 2)):
                commitment, _new = funds_services.ensure_yearly_commitment(rule, year)
            self.pay(commitment)

    def pay(self, c: FundCommitment) -> None:
        rng, today = self.rng, self.today
        start = D(c.year, 1, 1)
        if start > today:
            return
        fate = rng.choice(["none", "on_time", "on_time", "late", "partial", "reversed", "two_parts"])
        last = min(today, c.due + datetime.timedelta(days=200))

        def pay(day, amount):
            with self.at(day):
                return funds_services.record_disbursement(c, user=None, date=day, amount=amount)

        if fate == "on_time":
            pay(_day_between(rng, start, min(c.due, today)), c.amount)
        elif fate == "late" and c.due < today:
            pay(_day_between(rng, c.due + datetime.timedelta(days=1), last), c.amount)
        elif fate == "partial":
            pay(_day_between(rng, start, last), c.amount / 2)
        elif fate == "reversed":
            day = _day_between(rng, start, last)
            payment = pay(day, c.amount)
            # Corrected within its year: a past day's truth here is read from today's rows (judging a
            # year from the history of later corrections is the assessment's business).
            fix = _day_between(rng, day, min(today, D(day.year, 12, 31)))
            with self.at(fix):
                funds_services.reverse_disbursement(payment, user=None, date=fix, note="凭证有误")
        elif fate == "two_parts":
            first = _day_between(rng, start, last)
            pay(first, c.amount / 2)
            pay(_day_between(rng, first, today), c.amount / 2)
        c.refresh_from_db()
        paid_days = sorted(c.disbursements.values_list("date", flat=True))
        if c.paid_total and rng.random() < 0.6:
            day = _day_between(rng, paid_days[-1], today)
            amount = c.paid_total if rng.random() < 0.8 else c.paid_total / 2
            with self.at(day):
                funds_services.confirm_arrival(c, user=None, date=day, amount=amount)
        if c.use_list_due and rng.random() < 0.7:
            listed = _day_between(rng, start, min(today, c.use_list_due + datetime.timedelta(days=60)))
            with self.at(listed):
                FundUseProject.objects.create(commitment=c, name=f"产业项目{c.pk}", planned_amount=c.amount)
                if rng.random() < 0.8:
                    funds_services.submit_use_list(c, user=None, date=listed)

    # --- activities against yearly minimums ----------------------------------------------------
    def activities(self, pairing, position, units) -> None:
        rng, today = self.rng, self.today
        per_field = rng.random() < 0.5
        month, day = (12, 31) if rng.random() < 0.7 else (6, 30)
        task = self.task(
            pairing,
            position,
            units,
            title=f"交流任务{position}",
            deadline_kind=Task.DeadlineKind.YEARLY,
            deadline_month=month,
            deadline_day=day,
            deadline_text=f"每年{month}月{day}日前",
            fulfilment=Task.Fulfilment.ACTIVITIES,
        )
        fields = ["教育", "医疗"] if per_field else [""]
        for name in fields:
            Target.objects.create(
                task=task,
                name=f"{name or '专业'}交流",
                value=1,
                unit="次",
                activity_kinds="exchange",
                activity_field=name,
                source_text="每年至少1次",
            )
        # Recorded some days after each took place, in the order they were recorded: the clock only
        # moves forward (a history replayed out of order would tell a story nobody lived).
        held: list[tuple[datetime.date, datetime.date, str]] = []
        for year in pairing.active_years(until=today.year):
            if year > today.year:
                break
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                day = _day_between(rng, D(year, 1, 1), min(D(year, 12, 31), today))
                held.append((self.later(day, 10), day, rng.choice(["教育", "医疗", "文旅"])))
        for recorded_on, day, where in sorted(held):
            with self.at(recorded_on):
                Activity.objects.create(
                    pairing=pairing, kind="exchange", title=f"交流{day.year}", date=day, field=where
                )
        if rng.random() < 0.3:
            # One planned ahead: recorded today for a day later this month.
            Activity.objects.create(
                pairing=pairing,
                kind="exchange",
                title="计划中的交流",
                date=today + datetime.timedelta(days=rng.randint(1, 20)),
                field=rng.choice(["教育", "医疗"]),
            )


def generate(n: int, seed: int, today: datetime.date, clock=None) -> World:
    """`n` pairings of the test province "测试省<seed>", the same for the same seed and day.

    With the test's `clock` (tests/consistency/conftest.py), each thing is recorded on its own day.
    """
    rng = random.Random(seed)
    tag = f"测{seed}"
    world = World(seed, today)
    make = _Maker(rng, today, tag, clock)
    with transaction.atomic():
        province = Region.objects.create(name=f"测试省{seed}", level=Region.Level.PROVINCE)
        for i in range(n):
            pairing, coastal_units, mountain_units, liaison = make.pairing(province, i)
            world.pairing_ids.append(pairing.pk)
            world.liaison_ids[pairing.pk] = liaison.pk
            position = 1
            makers = [make.yearly, make.one_off, make.continuing]
            makers += rng.sample([make.yearly, make.one_off, make.continuing], rng.randint(0, 1))
            for maker in makers:
                units = rng.sample(coastal_units + mountain_units, 2)
                task = maker(pairing, position, units)
                position += 1
                for period in task.periods.all():
                    period.task = task
                    make.work(period, task.task_units.first().unit)
            if rng.random() < 0.6:
                make.funds(pairing, position, coastal_units, mountain_units)
                position += 1
            if rng.random() < 0.5:
                make.activities(pairing, position, coastal_units[:1] + mountain_units[-1:])
                position += 1
            past = [y for y in pairing.active_years(until=today.year) if y < today.year]
            if past and rng.random() < 0.3:
                year = rng.choice(past)
                with make.at(D(year + 1, rng.randint(1, 3), 15)):  # after the year's assessment
                    services.lock_year(pairing, year)
    return world
