"""An obligation is fulfilled by the record that proves it.

A task whose `fulfilment` names a ledger does not take its periods' status from people: each
period follows the record that proves it —

- `fund_paid` / `fund_confirmed` / `fund_use_list`: the year's commitment of the task's fund rule
  (paid in full, confirmed on arrival, fund-use list submitted; kept in `funds/fulfilment.py`, the
  funds app sits above this one);
- `activities`: the pairing's activities of the kinds each minimum target counts (每年至少1次;
  "分别" = one target per field, each counted on its own), kept here.

`apply()` writes what the ledger proves — status, completion date, the actual values of the
targets the ledger owns — only when it differs, as the system, with the reason in the history
("由拨付记录 #12 认定"). A locked year keeps what it had when it was locked.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperation.models import Activity
from core.history import as_actor
from tasks.models import Target, TargetActual, Task, TaskPeriod, YearLock

FUND_KINDS = (Task.Fulfilment.FUND_PAID, Task.Fulfilment.FUND_CONFIRMED, Task.Fulfilment.FUND_USE_LIST)


@dataclass
class Proof:
    """What a ledger proves about one period."""

    done_on: datetime.date | None  # the day the obligation was met; None: not met
    started: bool  # something was done towards it
    reason: str  # the history's reason, naming the record: "由拨付记录 #12 认定"
    actuals: dict[int, Decimal] = field(default_factory=dict)  # target id → value the ledger owns


def ledger_url(task: Task, year: int | None = None) -> str:
    """Where the truth of a ledger-kept task lives: the year's commitment, the funds list, the activities."""
    if task.fulfilment in FUND_KINDS:
        if year is not None and task.fund_rule_id:
            commitment = task.fund_rule.commitments.filter(year=year).first()
            if commitment is not None:
                return commitment.get_absolute_url()
        return reverse("funds:fund_list") + f"?pairing={task.pairing_id}"
    if task.fulfilment == Task.Fulfilment.ACTIVITIES:
        return reverse("cooperation:pairing_detail", args=[task.pairing_id]) + "#activities"
    return ""


def ledger_message(task: Task) -> str:
    """Why a ledger-kept period cannot be set by hand, and where to go instead."""
    return _(
        "本任务的年度完成情况由“%(source)s”认定，状态、完成日期和完成值随台账自动更新，不能手工修改。"
    ) % {"source": task.get_fulfilment_display()}


def locked_years(pairing_id: int) -> set[int]:
    return set(YearLock.objects.filter(pairing_id=pairing_id, locked=True).values_list("year", flat=True))


def apply(period: TaskPeriod, proof: Proof, locked: set[int] | None = None) -> bool:
    """Bring `period` (and the actuals the ledger owns) in line with `proof`; True if anything changed."""
    if locked is None:
        locked = locked_years(period.task.pairing_id)
    if period.year in locked:
        return False
    if proof.done_on is not None:
        status, completed_on = TaskPeriod.Status.DONE, proof.done_on
    elif proof.started:
        status, completed_on = TaskPeriod.Status.IN_PROGRESS, None
    else:
        status, completed_on = TaskPeriod.Status.NOT_STARTED, None
    changed = False
    with transaction.atomic():
        if (period.status, period.completed_on) != (status, completed_on):
            period.status, period.completed_on = status, completed_on
            as_actor(period, None)
            period._change_reason = proof.reason
            period.version = (period.version or 0) + 1
            period.save()
            changed = True
        existing = {
            a.target_id: a for a in TargetActual.objects.filter(period=period, target_id__in=proof.actuals)
        }
        for target_id, value in proof.actuals.items():
            actual = existing.get(target_id) or TargetActual(period=period, target_id=target_id)
            if actual.pk and actual.value == value:
                continue
            if not actual.pk and not value:
                continue  # nothing counted yet: no row (an actual of 0 would read as "reported 0")
            actual.value, actual.report = value, None
            as_actor(actual, None)
            actual._change_reason = proof.reason
            actual.save()
            changed = True
    return changed


# --------------------------------------------------------------------------------------------
# Activities against yearly minimums
# --------------------------------------------------------------------------------------------


def activity_proof(targets: list[Target], activities: list[Activity], year: int) -> Proof:
    """Every minimum target of the year met by the year's activities of its kinds (and field)."""
    applicable = [t for t in targets if t.counted_kinds and t.applies_to(year)]
    actuals: dict[int, Decimal] = {}
    reached: list[datetime.date | None] = []
    last_ids: list[int] = []
    for target in applicable:
        counting = sorted(
            (a for a in activities if a.date.year == year and target.counts(a.kind, a.field, a.title)),
            key=lambda a: (a.date, a.pk),
        )
        actuals[target.pk] = Decimal(len(counting))
        need = max(int(target.value), 1)
        if len(counting) >= need:
            reached.append(counting[need - 1].date)
            last_ids.append(counting[need - 1].pk)
        else:
            reached.append(None)
    met = bool(applicable) and all(day is not None for day in reached)
    done_on = max(reached) if met else None  # type: ignore[type-var]
    started = any(actuals.values())
    if met:
        reason = _("由交流活动记录 %(ids)s 认定") % {"ids": "、".join(f"#{i}" for i in sorted(set(last_ids)))}
    else:
        reason = _("由交流活动记录认定：%(year)d 年尚未达到最低次数") % {"year": year}
    return Proof(done_on, started, reason, actuals)


def sync_activity_tasks(pairing_id: int, years: Iterable[int] | None = None) -> int:
    """Re-judge the activity-kept periods of a pairing (all years, or `years`); returns periods changed."""
    tasks = list(
        Task.objects.filter(pairing_id=pairing_id, fulfilment=Task.Fulfilment.ACTIVITIES).prefetch_related(
            "targets", "periods"
        )
    )
    if not tasks:
        return 0
    wanted = set(years) if years is not None else None
    by_year: dict[int, list[Activity]] = defaultdict(list)
    for activity in Activity.objects.filter(pairing_id=pairing_id):
        by_year[activity.date.year].append(activity)
    locked = locked_years(pairing_id)
    changed = 0
    for task in tasks:
        targets = list(task.targets.all())
        for period in task.periods.all():
            if wanted is not None and period.year not in wanted:
                continue
            period.task = task
            changed += apply(period, activity_proof(targets, by_year[period.year], period.year), locked)
    return changed


# Other ledgers register here (the funds app adds its own at start-up): kind → function(task).
SYNCERS: dict[str, object] = {
    Task.Fulfilment.ACTIVITIES: lambda task: sync_activity_tasks(task.pairing_id),
}


def sync_task(task: Task) -> int:
    """Re-judge every period of a ledger-kept task (after it was made, linked or changed)."""
    syncer = SYNCERS.get(task.fulfilment)
    return syncer(task) if syncer else 0  # type: ignore[operator]


def ledger_target_ids(task: Task) -> set[int]:
    """The targets whose actual values the ledger writes (a report's values for them are not used)."""
    if task.fulfilment == Task.Fulfilment.ACTIVITIES:
        return {t.pk for t in task.targets.all() if t.counted_kinds}
    if task.fulfilment in (Task.Fulfilment.FUND_PAID, Task.Fulfilment.FUND_CONFIRMED):
        return {t.pk for t in task.targets.all() if t.unit in MONEY_UNITS}
    return set()


# Yuan per unit of a money target.
MONEY_UNITS = {"元": Decimal("1"), "万元": Decimal("10000"), "亿元": Decimal("100000000")}


# --------------------------------------------------------------------------------------------
# Links made where tasks are made (plan-text and responsibility-table imports)
# --------------------------------------------------------------------------------------------

# A yearly minimum counted in 次 is matched to kinds of activity by words of its name; the first
# rule that matches wins, so the specific fields (education, health) come before the general ones.
# (words in the target's name, activity kinds, field words one of which the activity must name)
ACTIVITY_WORDS: list[tuple[tuple[str, ...], str, str]] = [
    (("教育",), "exchange,training", "教育、教师、学校"),
    (("医疗", "卫生", "健康"), "exchange,training", "医疗、卫生、健康、医院"),
    (("对接洽谈", "签约会", "推介会"), "fair", ""),
    (("文体旅", "文旅", "文化旅游", "体育"), "event", ""),
    (("培训",), "training", ""),
    (("联席会议", "联席会"), "meeting", ""),
    (("互访", "考察"), "visit", ""),
    (("领导", "党政", "高层"), "meeting,visit", ""),
]


def activity_words(name: str) -> tuple[str, str] | None:
    """(kinds, field) of the activities a minimum called `name` counts, or None."""
    for words, kinds, field_words in ACTIVITY_WORDS:
        if any(word in name for word in words):
            return kinds, field_words
    return None


def link_from_plan(task: Task, targets: list[Target], *, fund_rules: list | None = None) -> list[Target]:
    """Link a task being made from a plan to the record that will prove it, where the plan says so.

    Yearly minimums counted in 次 ("每年至少1次", "分别开展不少于一次") become activity minimums; a
    task about the pairing's money whose target is a fund rule's yearly amount follows that rule's
    payments; a fund-use list task ("项目清单") its list. Sets the fields on `task` and `targets`
    without saving them (the caller saves each once, so each gets one history row) and returns
    the targets it changed. The liaison sees and changes the link on the task form. `fund_rules`:
    the pairing's fund rules when the caller read them once for many tasks (else read here).
    """
    changed = []
    # "每年共同举办一次" is a minimum too, whether the parser wrote it "≥ 1" or "= 1".
    minimums = [t for t in targets if t.unit == "次" and t.comparator in (">=", "=") and t.value <= 5]
    for target in minimums:
        found = activity_words(target.name)
        if found and not target.activity_kinds:
            target.activity_kinds, target.activity_field = found
            changed.append(target)
    if minimums and all(t.activity_kinds for t in minimums):
        task.fulfilment = Task.Fulfilment.ACTIVITIES
        return changed
    money = [t for t in targets if t.unit in MONEY_UNITS]
    for rule in task.pairing.fund_rules.all() if fund_rules is None else fund_rules:
        if "项目清单" in task.title and rule.use_list_due_month:
            task.fund_rule, task.fulfilment = rule, Task.Fulfilment.FUND_USE_LIST
            break
        about_money = [t for t in money if "资金" in f"{task.title}{t.name}{t.source_text}"]
        if any(t.value * MONEY_UNITS[t.unit] == rule.amount for t in about_money):
            task.fund_rule, task.fulfilment = rule, Task.Fulfilment.FUND_PAID
            break
    return changed
