"""Every state change of reporting rounds (报送轮次): open, edit, close, declare 无进展, remind.

Pages (reminders/round_views.py) call these functions and nothing else, so a rule is written once.
Each function checks who may do it (a refusal raises `PermissionDenied` with a Chinese message and
changes nothing) and names the acting user in the history.

Reminding the late units goes through the same machinery as the daily sweep (reminders/engine.py):
a `ReminderLedger` row per recipient whose unique constraint makes it happen once, in-app
`Notification`s, and the e-mail digest and unit webhook queued in the outbox in the same transaction.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import Pairing, Role, Unit, User
from core.deadlines import DeadlineItem
from core.history import as_actor
from core.roles import is_reporter
from reminders import engine, fanout
from reminders.models import DigestEntry, ReminderLedger
from reminders.round_models import ReportingRound, RoundEntry

log = logging.getLogger(__name__)


def can_manage_rounds(user, pairing: Pairing) -> bool:
    """Liaison staff of the pairing (and superusers) open, edit, close rounds and remind."""
    return Pairing.objects.manageable_by(user).filter(pk=pairing.pk).exists()


def _require_manager(user, pairing: Pairing) -> None:
    if user is not None and not can_manage_rounds(user, pairing):
        raise PermissionDenied(_("只有本结对的联络员可以发起、修改、结束报送轮次或催报。"))


def _require_open(round_: ReportingRound) -> None:
    if round_.is_closed:
        raise ValidationError(_("本轮报送已于 %(date)s 结束，不能再操作。") % {"date": round_.closed_on})


def _check_dates(opened_on: datetime.date, due_date: datetime.date, year: int) -> None:
    errors = {}
    if due_date < opened_on:
        errors["due_date"] = _("截止日期不能早于开始日期。")
    if not 2000 <= year <= 2100:
        errors["year"] = _("年度应在 2000 到 2100 之间。")
    if errors:
        raise ValidationError(errors)


def _check_coverage(pairing: Pairing, tasks: Iterable) -> None:
    # Units may come from anywhere (a 闽宁 round names departments of both provinces); the
    # checklist lists those responsible for a covered task and names the others apart.
    if any(task.pairing_id != pairing.pk for task in tasks):
        raise ValidationError({"tasks": _("所选任务必须属于本结对。")})


def open_round(
    pairing: Pairing,
    user=None,
    *,
    name: str,
    year: int,
    due_date: datetime.date,
    opened_on: datetime.date | None = None,
    tasks: Iterable = (),
    units: Iterable = (),
) -> ReportingRound:
    """Open a reporting round of a pairing (liaison staff), covering tasks, units, or all tasks of the year."""
    _require_manager(user, pairing)
    tasks, units = list(tasks), list(units)
    opened_on = opened_on or timezone.localdate()
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写轮次名称。")})
    _check_dates(opened_on, due_date, year)
    _check_coverage(pairing, tasks)
    with transaction.atomic():
        round_ = ReportingRound(
            pairing=pairing,
            name=name.strip(),
            year=year,
            opened_on=opened_on,
            due_date=due_date,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        as_actor(round_, user)
        round_.save()
        round_.tasks.set(tasks)
        round_.units.set(units)
    return round_


def update_round(
    round_: ReportingRound,
    user=None,
    *,
    name: str,
    year: int,
    due_date: datetime.date,
    opened_on: datetime.date,
    tasks: Iterable = (),
    units: Iterable = (),
) -> ReportingRound:
    """Change a round's name, year, dates or coverage (liaison staff); the checklist follows."""
    _require_manager(user, round_.pairing)
    tasks, units = list(tasks), list(units)
    if not (name or "").strip():
        raise ValidationError({"name": _("请填写轮次名称。")})
    _check_dates(opened_on, due_date, year)
    _check_coverage(round_.pairing, tasks)
    with transaction.atomic():
        round_.name, round_.year, round_.due_date, round_.opened_on = name.strip(), year, due_date, opened_on
        as_actor(round_, user)
        round_.save()
        round_.tasks.set(tasks)
        round_.units.set(units)
    return round_


def close_round(round_: ReportingRound, user=None, *, on: datetime.date | None = None) -> ReportingRound:
    """End a round (liaison staff): from then on only reports written by its due date count."""
    _require_manager(user, round_.pairing)
    _require_open(round_)
    round_.closed_on = on or timezone.localdate()
    as_actor(round_, user)
    round_.save(update_fields=["closed_on"])
    return round_


def reopen_round(round_: ReportingRound, user=None) -> ReportingRound:
    """Open an ended round again (liaison staff)."""
    _require_manager(user, round_.pairing)
    round_.closed_on = None
    as_actor(round_, user)
    round_.save(update_fields=["closed_on"])
    return round_


def _check_declarer(round_: ReportingRound, unit: Unit, user) -> None:
    if user is None:
        return
    if can_manage_rounds(user, round_.pairing):
        return
    visible = ReportingRound.objects.visible_to(user).filter(pk=round_.pk).exists()
    if not (visible and is_reporter(user) and user.unit_id == unit.pk):
        raise PermissionDenied(_("只有该单位的填报员或本结对的联络员可以声明本轮无进展。"))


def declare_no_progress(round_: ReportingRound, unit: Unit, user=None, *, note: str = "") -> RoundEntry:
    """A unit declares it has no progress this round (its reporter, or liaison staff on its behalf).

    The unit must answer for a covered task; declaring twice keeps the first declaration.
    """
    _check_declarer(round_, unit, user)
    _require_open(round_)
    if round_.checklist().row_for(unit.pk) is None:
        raise ValidationError(_("%(unit)s 不在本轮报送范围内。") % {"unit": unit.name})
    entry = RoundEntry.objects.filter(round=round_, unit=unit).first()
    if entry is not None:
        return entry
    entry = RoundEntry(
        round=round_,
        unit=unit,
        declared_by=user if user is not None and user.is_authenticated else None,
        note=(note or "").strip()[:300],
    )
    as_actor(entry, user)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # a second click raced the first one
        return RoundEntry.objects.get(round=round_, unit=unit)
    return entry


def withdraw_no_progress(round_: ReportingRound, unit: Unit, user=None) -> None:
    """Withdraw a unit's 无进展 declaration (same people as declaring); the history keeps both."""
    _check_declarer(round_, unit, user)
    _require_open(round_)
    for entry in RoundEntry.objects.filter(round=round_, unit=unit):
        as_actor(entry, user)
        entry.delete()


@dataclass
class RemindResult:
    """What one "提醒未报单位" did: units reminded now, already reminded today, without any account."""

    reminded: list[Unit]
    already: list[Unit]
    unreachable: list[Unit]
    notifications: int
    emails: int


def remind_late_units(
    round_: ReportingRound, user=None, *, day: datetime.date | None = None, retries: int = 2
) -> RemindResult:
    """Remind every unit still 未报 or 已退回 (liaison staff), at most once per unit per day.

    Recipients are the active liaison and reporter accounts of each late unit (as the daily sweep).
    Each gets a ledger row keyed (`rounds.round:<id>`, due date, days before due, recipient): the
    offset changes every day, so the unique constraint lets one reminder through per day and a second
    click the same day sends nothing. Notifications and the outbox rows are written in the same
    transaction, so a crash leaves either everything or nothing.
    """
    _require_manager(user, round_.pairing)
    _require_open(round_)
    day = day or timezone.localdate()
    for attempt in range(retries):
        try:
            return _remind_once(round_, day)
        except IntegrityError:
            log.info("round %s reminder raced another click; retrying (%d)", round_.pk, attempt + 1)
    return _remind_once(round_, day)


def _remind_once(round_: ReportingRound, day: datetime.date) -> RemindResult:
    late = round_.checklist().late()
    late_units = {row.unit.pk: row for row in late}
    people: dict[int, set[int]] = {unit_id: set() for unit_id in late_units}
    for user_id, unit_id in User.objects.filter(
        is_active=True, unit_id__in=list(late_units), role__in=[Role.LIAISON, Role.REPORTER]
    ).values_list("pk", "unit_id"):
        people[unit_id].add(user_id)
    offset = (round_.due_date - day).days
    key = round_.item_key
    url = round_.get_absolute_url()
    label = engine.offset_label(offset, round_.due_date)
    reminded, already, unreachable = [], [], []
    with transaction.atomic():
        sent_before = set(
            ReminderLedger.objects.filter(
                item_key=key,
                due=round_.due_date,
                offset=offset,
                recipient_id__in=[u for s in people.values() for u in s],
            ).values_list("recipient_id", flat=True)
        )
        ledger, planned = [], []
        per_user: dict[int, dict[str, DigestEntry]] = {}
        for unit_id, row in late_units.items():
            recipients = people[unit_id]
            if not recipients:
                unreachable.append(row.unit)
                continue
            fresh = recipients - sent_before
            if not fresh:
                already.append(row.unit)
                continue
            reminded.append(row.unit)
            summary = _("报送提醒：%(round)s — %(unit)s %(state)s，请于 %(due)s 前报送进展") % {
                "round": round_.name,
                "unit": row.unit.name,
                "state": row.label,
                "due": round_.due_date.isoformat(),
            }
            entry = DigestEntry(
                key=key,
                summary=summary,
                url=url,
                due=round_.due_date,
                offset=offset,
                label=label,
                overdue=offset < 0,
                kind="round",
            )
            for user_id in sorted(fresh):
                ledger.append(
                    ReminderLedger(
                        item_key=key,
                        due=round_.due_date,
                        offset=offset,
                        recipient_id=user_id,
                        pairing_id=round_.pairing_id,
                        summary=summary[:300],
                        url=url[:300],
                    )
                )
                per_user[user_id] = {key: entry}
            item = DeadlineItem(
                key, round_.due_date, round_.pairing_id, (unit_id,), summary, url, kind="round"
            )
            planned.append(engine.Planned(item, offset, min(fresh)))
        # The ledger's unique constraint is the guard: a concurrent click makes this raise and the
        # whole transaction (notifications, outbox) roll back; the retry then finds the rows.
        ReminderLedger.objects.bulk_create(ledger)
        delivered = fanout.deliver(day, per_user, engine.webhook_entries(planned))
    return RemindResult(reminded, already, unreachable, delivered.notifications, delivered.emails)
