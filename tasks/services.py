"""Every state change of tasks, periods and progress reports: one function per transition.

Pages, API viewsets and management commands call these functions and nothing else changes the
state, so a rule is written once. Each function checks who may do it (a refusal raises
`PermissionDenied` with a Chinese message), checks the year lock, writes under the row's version
(a lost race raises `VersionConflict` and writes nothing), and names the acting user in the
history; `user=None` (commands and jobs) is recorded as “系统”.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import Pairing
from cooperation.scoping import is_liaison_of
from core.concurrency import save_versioned
from core.history import as_actor
from core.money import MoneyError, parse_money
from core.roles import is_reporter
from core.text import clean_text
from core.uploads import validate_upload
from tasks import fulfilment
from tasks.models import (
    Evidence,
    EvidenceKind,
    ProgressReport,
    ReportValue,
    Target,
    TargetActual,
    Task,
    TaskPeriod,
    TaskUnit,
    YearLock,
    is_year_locked,
)
from tasks.signals import report_event


class PeriodLocked(PermissionDenied):
    """The period's year is locked (assessed); nothing may change."""


def locked_message(year: int) -> str:
    return _("%(year)s 年度已考核并锁定，不能再修改。如需修改，请联络员先解锁该年度。") % {"year": year}


def ensure_unlocked(period: TaskPeriod) -> None:
    """Raise `PeriodLocked` when the period's year is locked for its pairing."""
    if is_year_locked(period.task.pairing_id, period.year):
        raise PeriodLocked(locked_message(period.year))


def _require_liaison(user, pairing_id: int) -> None:
    if user is not None and not is_liaison_of(user, pairing_id):
        raise PermissionDenied(_("只有本结对的联络员可以执行此操作。"))


def can_report_on(user, period: TaskPeriod) -> bool:
    """Liaison staff of the pairing, or a reporter whose unit is responsible for the task."""
    return TaskPeriod.objects.manageable_by(user).filter(pk=period.pk).exists()


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------


_NAMED_DATE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?"
)


def deadline_problem(text: str) -> str | None:
    """A month or day named in a deadline that does not exist ("2月31日", "13月"), as a message.

    The parser skips such a phrase, so without this check "每年2月31日前" would silently become
    a yearly 31 December and "2026年2月31日前" no deadline at all.
    """
    from planparser import cn_to_int

    for match in _NAMED_DATE.finditer(text or ""):
        month = cn_to_int(match["month"])
        if not month or not 1 <= month <= 12:
            return _("期限“%(text)s”中的“%(month)s月”不存在。") % {"text": text, "month": match["month"]}
        if match["day"]:
            day = cn_to_int(match["day"])
            year = int(match["year"]) if match["year"] else 2024  # a yearly rule: 29 February exists
            if not day or day > calendar.monthrange(year, month)[1]:
                return _("期限“%(text)s”中的“%(month)s月%(day)s日”不存在。") % {
                    "text": text,
                    "month": match["month"],
                    "day": match["day"],
                }
    return None


def parse_deadline(text: str) -> dict:
    """Normalise a deadline as written in a document into the Task deadline fields.

    One set of rules for the whole product, those of the plan parser
    (planparser/deadlines.py): 每年4月底前 → yearly 4/30; 每年年底前 → yearly 12/31;
    2018年7月底前 → 2018-07-31; 到2020年 / 力争2030年 → 31 Dec of that year; the ambiguous
    2018年三季度前 / 2020年前 → by the end of the named period (2018-09-30, 2020-12-31).
    One addition for tasks: a yearly phrase without a month (每年至少1次) is due by 31 Dec each year.
    The source text always stays beside the value, and liaison staff may correct the date by hand.
    """
    from planparser import find_deadlines

    raw = (text or "").strip()
    result = {
        "deadline_kind": Task.DeadlineKind.NONE,
        "deadline_date": None,
        "deadline_month": None,
        "deadline_day": None,
        "deadline_text": raw,
    }
    found = find_deadlines(raw)
    if found and found[0].kind == "yearly":
        result.update(
            deadline_kind=Task.DeadlineKind.YEARLY, deadline_month=found[0].month, deadline_day=found[0].day
        )
    elif found and found[0].date:
        result.update(deadline_kind=Task.DeadlineKind.ONCE, deadline_date=found[0].date)
    elif "每年" in raw.replace(" ", "") and not deadline_problem(raw):
        # A yearly minimum without a month ("每年至少1次") is due by the year's end; a phrase naming
        # a day that does not exist ("每年2月31日前") is left without a date, never moved to 31 Dec.
        result.update(deadline_kind=Task.DeadlineKind.YEARLY, deadline_month=12, deadline_day=31)
    return result


DEADLINE_FIELDS = frozenset({"deadline_kind", "deadline_date", "deadline_month", "deadline_day"})


def save_task(
    persist: Callable[[dict], Task],
    *,
    changed: Iterable[str],
    deadline_text: str,
    user=None,
    lead: Iterable | None = None,
    cooperating: Iterable = (),
) -> Task:
    """The one write path of a task, for the page and the API alike.

    A changed deadline text with no deadline field changed beside it is read by the product's one
    rule (`parse_deadline`) into the deadline fields; `persist(derived_fields)` is the caller's own
    save (the form's, the serializer's: each checks the version it read) and returns the task. Then
    the responsible units are set (when given) and the periods follow the deadline — all in one
    transaction, so a refusal anywhere leaves nothing behind.
    """
    changed = set(changed)
    derived = {}
    if "deadline_text" in changed and not DEADLINE_FIELDS & changed:
        derived = parse_deadline(deadline_text)
    with transaction.atomic():
        task = persist(derived)
        if lead is not None:
            set_task_units(task, lead, cooperating, user=user)
        sync_periods(task, user)
    return task


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


def period_years(task: Task) -> list[int]:
    """The years a task has a period: its deadline's year for a one-off task, else each year it runs."""
    if task.deadline_kind == Task.DeadlineKind.ONCE and task.deadline_date:
        return [task.deadline_date.year]
    # Yearly tasks, and continuing work without a deadline ("常态化开展"): one period a year,
    # so each year's assessment reads its own status; the latter have no due date.
    return list(task.years())


def new_periods(task: Task) -> list[TaskPeriod]:
    """The periods a task that has none starts with, unsaved (what ``sync_periods`` would create):
    for writers in bulk (the imports), which insert them with their history rows."""
    return [TaskPeriod(task=task, year=year, due_date=task.due_date_for(year)) for year in period_years(task)]


def sync_periods(task: Task, user=None) -> list[TaskPeriod]:
    """Create the task's missing periods and move open, unlocked due dates to its deadline rule.

    A one-off task gets a single period (in the year of its deadline); a yearly task, and a task
    without a deadline, one period per year it runs within the pairing's active years. Periods already done,
    or in a locked year, keep their dates. Returns the periods created.
    """
    wanted = period_years(task)
    locked = set(
        YearLock.objects.filter(pairing_id=task.pairing_id, locked=True).values_list("year", flat=True)
    )
    created = []
    existing = {p.year: p for p in task.periods.all()}
    single = task.deadline_kind == Task.DeadlineKind.ONCE
    for year in wanted:
        due = task.due_date_for(year)
        period = existing.get(year)
        if period is None and single and len(existing) == 1:
            # A one-off task whose deadline moved to another year keeps its single period.
            period = next(iter(existing.values()))
            if period.year not in locked and period.status != TaskPeriod.Status.DONE:
                period.year = year
        if period is None:
            period = TaskPeriod(task=task, year=year, due_date=due)
            as_actor(period, user)
            period.save()
            created.append(period)
            continue
        if period.year in locked or period.status == TaskPeriod.Status.DONE:
            continue
        if period.due_date != due or period.year != year:
            period.due_date = due
            as_actor(period, user)
            save_versioned(period)
    if task.fulfilment:
        fulfilment.sync_task(task)  # a ledger-kept task's periods follow its ledger from the start
    return created


def update_period(
    period: TaskPeriod,
    user=None,
    *,
    expected_version: int | None = None,
    status: str | None = None,
    note: str | None = None,
    due_date: datetime.date | None | object = ...,
    completed_on: datetime.date | None = None,
) -> TaskPeriod:
    """Change a period's status, progress note or due date, in one versioned save.

    Liaison staff change anything. A reporter of a responsible unit may move the work between
    未开始 and 推进中 and write the progress note; 已完成 comes through an approved report, 暂缓 and
    the due date are the liaison office's decision.
    """
    if user is not None and not can_report_on(user, period):
        raise PermissionDenied(_("您没有权限修改此任务：只有责任单位的填报员或本结对的联络员可以修改。"))
    liaison = user is None or is_liaison_of(user, period.task.pairing_id)
    if due_date is not ... and due_date != period.due_date and not liaison:
        raise PermissionDenied(_("填报员不能修改截止日期，请联系本结对的联络员。"))
    ledger_kept = period.task.is_ledger_kept
    if ledger_kept and (
        (status is not None and status != period.status)
        or (completed_on is not None and completed_on != period.completed_on)
    ):
        raise ValidationError({"status": fulfilment.ledger_message(period.task)})
    if status is not None and status != period.status:
        if status not in TaskPeriod.Status.values:
            raise ValidationError({"status": _("未知的状态“%(s)s”。") % {"s": status}})
        reporter_statuses = (TaskPeriod.Status.NOT_STARTED, TaskPeriod.Status.IN_PROGRESS)
        # Both ends count: a reporter neither sets 已完成 / 暂缓 nor undoes the liaison's (or an
        # approved report's) 已完成 / 暂缓 by moving the period back (the state before the change).
        if not liaison and (status not in reporter_statuses or period.status not in reporter_statuses):
            raise PermissionDenied(
                _(
                    "填报员只能把任务设为“未开始”或“推进中”；完成须通过进展报告经联络员审核，暂缓由联络员决定。"
                )
            )
    ensure_unlocked(period)
    if note is not None:
        clean_text(note, "note", _("进展说明"))
    if status is not None:
        if status == TaskPeriod.Status.DONE:
            period.completed_on = completed_on or period.completed_on or timezone.localdate()
        else:
            period.completed_on = None
        period.status = status
    if note is not None:
        period.note = note
    if due_date is not ...:
        period.due_date = due_date
    as_actor(period, user)
    save_versioned(period, expected_version)
    return period


def set_period_status(
    period: TaskPeriod,
    status: str,
    user=None,
    *,
    expected_version: int | None = None,
    note: str | None = None,
    completed_on: datetime.date | None = None,
) -> TaskPeriod:
    """Change a period's status (and progress note); the rules of `update_period` apply."""
    return update_period(
        period, user, expected_version=expected_version, status=status, note=note, completed_on=completed_on
    )


def set_period_due_date(
    period: TaskPeriod, due_date: datetime.date | None, user=None, *, expected_version=None
):
    """A liaison officer corrects one period's due date by hand (e.g. an ambiguous deadline)."""
    return update_period(period, user, expected_version=expected_version, due_date=due_date)


# --------------------------------------------------------------------------------------------
# Year lock
# --------------------------------------------------------------------------------------------


def lock_year(pairing: Pairing, year: int, user=None, reason: str = "") -> YearLock:
    """Close a pairing's year once assessed: its periods and reports refuse changes."""
    _require_liaison(user, pairing.pk)
    lock = YearLock.objects.filter(pairing=pairing, year=year).first() or YearLock(pairing=pairing, year=year)
    if lock.pk and lock.locked:
        return lock
    reason = clean_text(reason, "reason", _("说明"), max_length=YearLock._meta.get_field("reason").max_length)
    lock.locked = True
    lock.reason = reason or _("年度考核完成")
    lock.outcome = year_outcome(pairing.pk, year)
    as_actor(lock, user)
    lock.save()
    return lock


def year_outcome(pairing_id: int, year: int, as_of: datetime.date | None = None) -> dict:
    """How a pairing's periods of `year` stood on `as_of` (today): counts by state, and which were overdue.

    Recorded on the year's lock: from then on the sweep stops chasing the year, and what was still
    overdue is kept as the year's outcome rather than reminded for another twelve months.
    """
    as_of = as_of or timezone.localdate()
    counts: dict[str, int] = {}
    overdue: list[int] = []
    for period in TaskPeriod.objects.filter(task__pairing_id=pairing_id, year=year).only(
        "pk", "due_date", "status", "completed_on"
    ):
        standing = period.standing(as_of)
        counts[standing.state.value] = counts.get(standing.state.value, 0) + 1
        if standing.is_overdue:
            overdue.append(period.pk)
    return {"as_of": as_of.isoformat(), "counts": counts, "overdue_periods": sorted(overdue)}


def unlock_year(pairing: Pairing, year: int, user=None, reason: str = "") -> YearLock:
    """Reopen a locked year; the reason is required and kept in the history."""
    _require_liaison(user, pairing.pk)
    reason = clean_text(
        reason, "reason", _("解锁原因"), max_length=YearLock._meta.get_field("reason").max_length
    )
    if not reason:
        raise ValidationError({"reason": _("解锁年度须填写原因。")})
    lock = YearLock.objects.filter(pairing=pairing, year=year, locked=True).first()
    if lock is None:
        raise ValidationError({"year": _("%(year)s 年度未锁定。") % {"year": year}})
    lock.locked = False
    lock.reason = reason
    as_actor(lock, user)
    lock.save()
    return lock


# --------------------------------------------------------------------------------------------
# Progress reports
# --------------------------------------------------------------------------------------------


def _check_report_editable(report: ProgressReport, user) -> None:
    ensure_unlocked(report.period)
    if user is not None and not ProgressReport.objects.manageable_by(user).filter(pk=report.pk).exists():
        raise PermissionDenied(_("您没有权限修改此报告：只有责任单位的填报员或本结对的联络员可以修改。"))
    if not report.is_editable:
        raise ValidationError(
            _("报告当前状态为“%(status)s”，不能修改；退回后方可修改。")
            % {"status": report.get_status_display()}
        )


def _clean_values(period: TaskPeriod, values: dict | None) -> dict[Target, Decimal]:
    if not values:
        return {}
    targets = {t.pk: t for t in period.task.targets.all()}
    cleaned = {}
    for key, raw in values.items():
        target = key if isinstance(key, Target) else targets.get(int(key))
        if target is None or target.pk not in targets or not target.applies_to(period.year):
            raise ValidationError({"values": _("指标 %(t)s 不属于本任务本年度。") % {"t": key}})
        if raw is None or raw == "":
            continue
        try:
            value = parse_money(raw)
        except MoneyError as exc:
            raise ValidationError(
                {"values": _("指标“%(t)s”的完成值：%(error)s") % {"t": target.name, "error": exc}}
            ) from None
        if value < 0:
            raise ValidationError({"values": _("指标“%(t)s”的完成值不能为负数。") % {"t": target.name}})
        cleaned[target] = value
    return cleaned


def save_report(
    period: TaskPeriod,
    user=None,
    *,
    report: ProgressReport | None = None,
    text: str,
    marks_done: bool = False,
    completed_on: datetime.date | None = None,
    values: dict | None = None,
    unit=None,
    expected_version: int | None = None,
) -> ProgressReport:
    """Create a draft report on a period, or change a draft/returned one (text, values, done flag)."""
    if not clean_text(text, "text", _("进展情况")):
        raise ValidationError({"text": _("请填写进展情况。")})
    if completed_on and completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("完成日期不能晚于今天。")})
    cleaned = _clean_values(period, values)
    with transaction.atomic():
        if report is None:
            if user is not None and not can_report_on(user, period):
                raise PermissionDenied(
                    _("您没有权限填报此任务：只有责任单位的填报员或本结对的联络员可以填报。")
                )
            ensure_unlocked(period)
            unit = unit or (user.unit if user is not None else None)
            if unit is None:
                raise ValidationError({"unit": _("请指定填报单位。")})
            if user is not None and is_reporter(user) and unit.pk != user.unit_id:
                raise PermissionDenied(_("填报员只能以本单位名义填报。"))
            if not TaskUnit.objects.filter(task_id=period.task_id, unit_id=unit.pk).exists():
                # Nobody files in the name of a unit that has no part in the task (a liaison
                # neither): a report speaks for a responsible unit.
                raise ValidationError(
                    {"unit": _("“%(unit)s”不是本任务的责任单位，不能以其名义填报。") % {"unit": unit}}
                )
            report = ProgressReport(period=period, unit=unit, created_by=user if user else None)
            report.text, report.marks_done, report.completed_on = text, marks_done, completed_on
            as_actor(report, user)
            report.save()
        else:
            _check_report_editable(report, user)
            report.text, report.marks_done, report.completed_on = text, marks_done, completed_on
            as_actor(report, user)
            save_versioned(report, expected_version)
        if values is not None:
            keep = {t.pk for t in cleaned}
            for old in report.values.exclude(target_id__in=keep):
                as_actor(old, user)
                old.delete()
            for target, value in cleaned.items():
                row = ReportValue.objects.filter(report=report, target=target).first() or ReportValue(
                    report=report, target=target
                )
                if row.pk is None or row.value != value:
                    row.value = value
                    as_actor(row, user)
                    row.save()
    return report


def add_evidence(report: ProgressReport, uploaded, user=None, kind: EvidenceKind | None = None) -> Evidence:
    """Attach an evidence file (type, size and content checked; original name kept)."""
    _check_report_editable(report, user)
    validate_upload(uploaded)
    if kind is not None and kind.pairing_id != report.period.task.pairing_id:
        raise ValidationError({"kind": _("材料类型不属于本结对。")})
    evidence = Evidence(
        report=report,
        kind=kind,
        file=uploaded,
        original_name=(uploaded.name or "").rsplit("/", 1)[-1][:255],
        size=uploaded.size or 0,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    as_actor(evidence, user)
    evidence.save()
    return evidence


def remove_evidence(evidence: Evidence, user=None) -> None:
    """Remove an evidence file from a draft or returned report."""
    _check_report_editable(evidence.report, user)
    as_actor(evidence, user)
    evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def delete_task(task: Task, user=None) -> None:
    """Delete a task and its subtree, unless that would erase assessed or reported work.

    Refused when a period of the task or of a subtask lies in a locked year, or holds a submitted
    or approved report: that history belongs to an assessment.
    """
    _require_liaison(user, task.pairing_id)
    tree = [task.pk]
    frontier = [task.pk]
    while frontier:
        frontier = list(Task.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        tree += frontier
    periods = TaskPeriod.objects.filter(task_id__in=tree).select_related("task")
    for period in periods:
        ensure_unlocked(period)
    kept = ProgressReport.objects.filter(
        period__task_id__in=tree, status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED]
    )
    if kept.exists():
        raise ValidationError(_("该任务（或其子任务）已有提交或审核通过的进展报告，不能删除。"))
    for pk in reversed(tree):  # children first; one history row each
        doomed = Task.objects.get(pk=pk)
        as_actor(doomed, user)
        doomed.delete()


def delete_report(report: ProgressReport, user=None) -> None:
    """Delete a draft or returned report (its evidence files too); submitted and approved ones stay."""
    _check_report_editable(report, user)
    for evidence in report.evidence.all():
        as_actor(evidence, user)
        evidence.file.delete(save=False)
        evidence.delete()
    as_actor(report, user)
    report.delete()


def submit_report(
    report: ProgressReport, user=None, *, expected_version: int | None = None
) -> ProgressReport:
    """draft / returned → submitted. A report that marks the work done needs every required evidence."""
    _check_report_editable(report, user)
    if report.marks_done:
        missing = report.missing_evidence()
        if missing:
            raise ValidationError(
                _("本报告标记为已完成，但缺少必需的佐证材料：%(kinds)s。请上传后再提交。")
                % {"kinds": "、".join(k.name for k in missing)}
            )
    old = report.status
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.return_reason = ""
    as_actor(report, user)
    with transaction.atomic():
        save_versioned(report, expected_version, conditions={"status": old})
        report_event.send(sender=ProgressReport, report=report, event="submitted", actor=user)
    return report


def _check_reviewable(report: ProgressReport, user) -> None:
    _require_liaison(user, report.period.task.pairing_id)
    if user is not None and user.is_authenticated and report.created_by_id == user.pk:
        # Four eyes: the one who wrote a report never approves or returns it.
        raise PermissionDenied(_("不能审核自己填写的报告，请由本结对的其他联络员审核。"))
    ensure_unlocked(report.period)
    if report.status != ProgressReport.Status.SUBMITTED:
        raise ValidationError(
            _("只能审核已提交的报告（当前状态：%(status)s）。") % {"status": report.get_status_display()}
        )


def approve_report(
    report: ProgressReport, user=None, *, expected_version: int | None = None
) -> ProgressReport:
    """submitted → approved, by liaison staff of the pairing.

    The report's values become the period's actuals; a report that marks the work done sets the
    period 已完成 (completion date: the report's, else today); otherwise a period not yet started
    becomes 推进中.
    """
    _check_reviewable(report, user)
    with transaction.atomic():
        report.status = ProgressReport.Status.APPROVED
        report.reviewed_by = user if user is not None and user.is_authenticated else None
        report.reviewed_at = timezone.now()
        as_actor(report, user)
        save_versioned(report, expected_version, conditions={"status": ProgressReport.Status.SUBMITTED})

        period = TaskPeriod.objects.select_related("task").get(pk=report.period_id)
        # A ledger-kept period follows its ledger: the report is approved as information, but its
        # status and the values the ledger owns are not taken from it.
        ledger_owned = fulfilment.ledger_target_ids(period.task)
        for row in report.values.select_related("target"):
            if row.target_id in ledger_owned:
                continue
            actual = TargetActual.objects.filter(period=period, target=row.target).first() or TargetActual(
                period=period, target=row.target
            )
            actual.value, actual.report = row.value, report
            as_actor(actual, user)
            actual.save()
        if period.task.is_ledger_kept:
            moved_to = None  # its ledger decides
        elif report.marks_done and period.status != TaskPeriod.Status.DONE:
            moved_to = TaskPeriod.Status.DONE
            period.completed_on = report.completed_on or timezone.localdate()
        elif period.status == TaskPeriod.Status.NOT_STARTED:
            moved_to = TaskPeriod.Status.IN_PROGRESS
        else:
            moved_to = None
        if moved_to is not None:
            period.status = moved_to
            as_actor(period, user)
            save_versioned(period)
        report_event.send(sender=ProgressReport, report=report, event="approved", actor=user)
    report.period = period
    return report


def return_report(
    report: ProgressReport, user=None, *, reason: str, expected_version: int | None = None
) -> ProgressReport:
    """submitted → returned with a reason, by liaison staff; the reporter sees it on 我的任务."""
    if not clean_text(reason, "reason", _("退回原因")):
        raise ValidationError({"reason": _("退回报告须填写原因。")})
    _check_reviewable(report, user)
    report.status = ProgressReport.Status.RETURNED
    report.return_reason = reason.strip()
    report.reviewed_by = user if user is not None and user.is_authenticated else None
    report.reviewed_at = timezone.now()
    as_actor(report, user)
    with transaction.atomic():
        save_versioned(report, expected_version, conditions={"status": ProgressReport.Status.SUBMITTED})
        report_event.send(sender=ProgressReport, report=report, event="returned", actor=user)
    return report


# --------------------------------------------------------------------------------------------
# Tasks
# --------------------------------------------------------------------------------------------


def set_task_units(task: Task, lead: Iterable, cooperating: Iterable = (), user=None) -> None:
    """Replace a task's responsible units (liaison staff only); each change is kept in the history."""
    from tasks.models import TaskUnit

    _require_liaison(user, task.pairing_id)
    wanted = {}
    for order, unit in enumerate(lead):
        wanted[unit.pk] = (TaskUnit.Role.LEAD, order)
    for order, unit in enumerate(cooperating):
        wanted.setdefault(unit.pk, (TaskUnit.Role.COOPERATING, order))
    with transaction.atomic():
        for row in task.task_units.all():
            if row.unit_id not in wanted:
                as_actor(row, user)
                row.delete()
                continue
            role, order = wanted.pop(row.unit_id)
            if (row.role, row.order) != (role, order):
                row.role, row.order = role, order
                as_actor(row, user)
                row.save()
        for unit_id, (role, order) in wanted.items():
            row = TaskUnit(task=task, unit_id=unit_id, role=role, order=order)
            as_actor(row, user)
            row.save()
