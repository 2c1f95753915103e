"""The reminder sweep: which reminders fall due on a day, and recording each exactly once.

`sweep(day)` is idempotent: run it twice, from two beats, or again after a crash, and every
(item, due date, offset, recipient) is recorded once — the ledger's unique constraint decides, in
the same transaction as the notifications and the outbox rows. A day missed (beat stopped) is
caught up by the next sweep, up to the policy's `catch_up_days`.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cooperation.models import Role, Unit, User, pairing_audience
from core import calendar, freshness
from core.deadlines import DeadlineItem, collect
from core.queries import in_one_param
from core.states import judge
from reminders import fanout
from reminders.models import (
    ESCALATION_OVERDUE,
    ESCALATION_UNANSWERED,
    ESCALATION_UNSIGNED,
    DigestEntry,
    Level,
    ReminderLedger,
    ReminderPolicy,
    UrgingNotice,
)

log = logging.getLogger(__name__)

# How far back overdue items are still chased; how far ahead the largest offset may look.
LOOKBACK_DAYS = 366
LOOKAHEAD_DAYS = 120


@dataclass(frozen=True)
class Planned:
    item: DeadlineItem
    offset: int  # > 0 days before, 0 on the day, < 0 days overdue
    recipient_id: int

    @property
    def overdue(self) -> bool:
        return self.offset < 0


def offset_label(offset: int, due: datetime.date | None = None) -> str:
    """The reminder's words from the one rule of `core.states`; with the due date, an overdue label
    carries the day it was counted on ("截至 2026-12-01 已逾期 245 天"), so a notice read days later
    still tells the truth."""
    if due is None:
        if offset > 0:
            return _("%(n)d 天后到期") % {"n": offset}
        if offset == 0:
            return _("今天到期")
        return _("已逾期 %(n)d 天") % {"n": -offset}
    counted_on = due - datetime.timedelta(days=offset)
    standing = judge(due=due, done=False, done_on=None, as_of=counted_on)
    return standing.label_as_of if offset < 0 else standing.label


def due_note(due: datetime.date) -> str:
    """For a due date on a weekend or holiday: the last working day before it, to plan by."""
    effective = calendar.last_workday_on_or_before(due)
    if effective == due:
        return ""
    return _("%(due)s 为非工作日，请于 %(day)s 前办结") % {
        "due": due.isoformat(),
        "day": effective.isoformat(),
    }


def _moments(
    item: DeadlineItem, policy: ReminderPolicy, day: datetime.date
) -> list[tuple[int, datetime.date]]:
    """The reminder moments of an item that fall in [day - catch_up_days, day], as (offset, date)."""
    earliest = day - datetime.timedelta(days=policy.catch_up_days)
    moments = []
    for before in sorted(set(policy.days_before), reverse=True):
        if policy.working_days:
            when = calendar.workdays_before(item.due, before)
        else:
            when = item.due - datetime.timedelta(days=before)
        if earliest <= when <= day:
            moments.append((before, when))
    if day > item.due and policy.overdue_every:
        late = (day - item.due).days
        # Every `overdue_every` days while overdue: day due+7, due+14, … (the latest ones in the window).
        step = policy.overdue_every
        k = late // step
        while k >= 1:
            when = item.due + datetime.timedelta(days=k * step)
            if when < earliest:
                break
            moments.append((-k * step, when))
            k -= 1
    return moments


def _policies(pairing_ids: set[int]) -> dict[int | None, ReminderPolicy]:
    policies = {p.pairing_id: p for p in ReminderPolicy.objects.filter(pairing_id__in=pairing_ids)}
    default = ReminderPolicy.objects.filter(pairing__isnull=True).first() or ReminderPolicy()
    return defaultdict(lambda: default, policies)


def _items(day: datetime.date) -> list[DeadlineItem]:
    return list(
        collect(
            day - datetime.timedelta(days=LOOKBACK_DAYS), day + datetime.timedelta(days=LOOKAHEAD_DAYS), day
        )
    )


def plan(day: datetime.date) -> list[Planned]:
    """Every reminder due on `day` (and missed within the catch-up window), before the ledger."""
    return _plan_items(_items(day), day)


def _plan_items(items: list[DeadlineItem], day: datetime.date) -> list[Planned]:
    if not items:
        return []
    pairing_ids = {item.pairing_id for item in items}
    policies = _policies(pairing_ids)
    liaisons = pairing_audience(pairing_ids, [Role.LIAISON])
    unit_ids = {unit for item in items for unit in item.unit_ids}
    unit_users: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in User.objects.filter(
        is_active=True,
        unit_id__in=in_one_param(unit_ids, integers=True),
        role__in=[Role.LIAISON, Role.REPORTER],
    ).values_list("pk", "unit_id"):
        unit_users[unit_id].add(user_id)
    # Leaders (viewers) get a weekly digest of what is overdue, on Mondays; a Monday missed (beat
    # stopped) is caught up like any other reminder, as of that Monday.
    leaders = pairing_audience(pairing_ids, [Role.VIEWER])
    planned = []
    for item in items:
        recipients = set(liaisons.get(item.pairing_id, ()))
        for unit in item.unit_ids:
            recipients |= unit_users[unit]
        for offset, _when in _moments(item, policies[item.pairing_id], day):
            planned.extend(Planned(item, offset, recipient) for recipient in recipients)
        monday = _last_monday(day, policies[item.pairing_id])
        if monday is not None and item.due < monday:
            late = -(monday - item.due).days
            planned.extend(
                Planned(item, late, leader) for leader in leaders.get(item.pairing_id, set()) - recipients
            )
    return planned


def _last_monday(day: datetime.date, policy: ReminderPolicy) -> datetime.date | None:
    """The Monday of the leaders' digest due by `day`: this week's, if within the catch-up window."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday if (day - monday).days <= policy.catch_up_days else None


@dataclass
class SweepResult:
    recorded: int
    notifications: int
    emails: int
    webhooks: int
    planned: list[Planned]


def sweep(day: datetime.date, *, dry_run: bool = False, retries: int = 3) -> SweepResult:
    """Record the reminders of `day` once each; queue their e-mails and webhooks."""
    for attempt in range(retries):
        try:
            return _sweep_once(day, dry_run=dry_run)
        except IntegrityError:
            # Another sweep recorded some of the same reminders meanwhile: plan again.
            log.info("reminder sweep of %s raced another one; retrying (%d)", day, attempt + 1)
    return _sweep_once(day, dry_run=dry_run)


def _sweep_once(day: datetime.date, *, dry_run: bool) -> SweepResult:
    items = _items(day)
    planned = _plan_items(items, day)
    keys = {p.item.key for p in planned}
    with transaction.atomic():
        existing = _recorded(keys)
        fresh = [p for p in planned if (p.item.key, p.item.due, p.offset, p.recipient_id) not in existing]
        if dry_run:
            transaction.set_rollback(True)
            return SweepResult(len(fresh), 0, 0, 0, fresh)
        ReminderLedger.objects.bulk_create(
            [
                ReminderLedger(
                    item_key=p.item.key,
                    due=p.item.due,
                    offset=p.offset,
                    recipient_id=p.recipient_id,
                    pairing_id=p.item.pairing_id,
                    summary=p.item.summary[:300],
                    url=p.item.url[:300],
                )
                for p in fresh
            ]
        )
        # One line per (recipient, item) however many offsets were caught up at once: the latest.
        latest: dict[tuple[int, str], Planned] = {}
        for p in fresh:
            current = latest.get((p.recipient_id, p.item.key))
            if current is None or p.offset < current.offset:
                latest[(p.recipient_id, p.item.key)] = p
        per_user: dict[int, dict[str, DigestEntry]] = defaultdict(dict)
        for (user_id, key), p in latest.items():
            per_user[user_id][key] = _entry(p)
        tell, notice_lines = urge_and_escalate(day, items)
        for user_id, entry in tell:
            per_user[user_id][entry.key] = entry
        per_unit = webhook_entries(fresh)
        for unit_id, entries in notice_lines.items():
            per_unit.setdefault(unit_id, []).extend(entries)
        delivered = fanout.deliver(day, per_user, per_unit)
    return SweepResult(len(fresh), delivered.notifications, delivered.emails, delivered.webhooks, fresh)


def _recorded(keys: set[str]) -> set[tuple]:
    """The ledger rows of these items as (key, due, offset, recipient): one query whatever their number.

    The keys go in one parameter (``core.queries.in_one_param``): neither a statement that grows
    with the items nor one query per chunk of the database's parameter limit (SQLite's is 32,766 by
    default, 999 in older builds), so the sweep runs the same queries at every size.
    """
    return set(
        ReminderLedger.objects.filter(item_key__in=in_one_param(sorted(keys)))
        .order_by()
        .values_list("item_key", "due", "offset", "recipient_id")
    )


def ladder_target(item: DeadlineItem, policy: ReminderPolicy, day: datetime.date) -> str | None:
    """The rung an open item calls for on `day` by its date alone: 催办 once overdue by the policy's
    `urge_after_days`, 提示 from `prompt_workdays` working days before its due date until that
    date, else none.
    (督办 is never called for by the date alone: it follows a 催办 that stood at least a day.)"""
    if (day - item.due).days >= policy.urge_after_days:
        return Level.URGE
    if item.due < day:
        return None  # overdue, not yet long enough to urge: an earlier 提示 stands
    if policy.prompt_workdays and day >= calendar.workdays_before(item.due, policy.prompt_workdays):
        return Level.PROMPT
    return None


def escalation_reason(notice: UrgingNotice, item: DeadlineItem, policy: ReminderPolicy, day) -> str:
    """Why a 催办 goes up to 督办 on `day` ("" for not yet): unsigned or unanswered in time, or the item
    overdue past the policy's second threshold (after its sign-by date). Only a 催办 that reached its
    rung before `day`, and that the unit has not answered, done or had closed, moves up: one rung a
    day at most."""
    if notice.level != Level.URGE or notice.status not in (notice.Status.ISSUED, notice.Status.SIGNED):
        return ""
    if (notice.level_on or notice.issued_on) >= day:
        return ""
    if notice.is_late_to_sign(day):
        return ESCALATION_UNSIGNED
    if notice.is_late_to_reply(day):
        return ESCALATION_UNANSWERED
    # Long overdue: once the unit's time to sign has passed (a 催办 issued on an item already long
    # overdue is given its days before it goes up, not escalated the next morning).
    if day > notice.sign_by and (day - item.due).days >= policy.escalate_after_days:
        return ESCALATION_OVERDUE % {"n": (day - item.due).days}
    return ""


def notice_entry(notice: UrgingNotice, unit_name: str = "") -> DigestEntry:
    """The line that tells the unit (and, for 督办, the leaders) about a notice's new rung."""
    if notice.level == Level.SUPERVISE:
        return DigestEntry(
            key=f"escalation:{notice.pk}",
            summary=_("督办：%(unit)s — %(summary)s") % {"unit": unit_name, "summary": notice.summary},
            url=notice.get_absolute_url(),
            due=notice.due,
            label=notice.reason_display,
            overdue=True,
            kind="escalation",
        )
    if notice.level == Level.PROMPT:
        return DigestEntry(
            key=f"notice:{notice.pk}",
            summary=_("提示单：%(summary)s") % {"summary": notice.summary},
            url=notice.get_absolute_url(),
            due=notice.due,
            label=_("请于 %(due)s 前办结") % {"due": notice.due},
            overdue=False,
            kind="prompt",
        )
    return DigestEntry(
        key=f"notice:{notice.pk}",
        summary=_("催办单：%(summary)s") % {"summary": notice.summary},
        url=notice.get_absolute_url(),
        due=notice.reply_by,
        label=_("请于 %(sign)s 前签收，%(reply)s 前反馈")
        % {"sign": notice.sign_by, "reply": notice.reply_by},
        overdue=True,
        kind="urging",
    )


def unit_people(unit_ids) -> dict[int, set[int]]:
    """The active liaison and reporter accounts of each unit: who is told what the unit is asked."""
    people: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in User.objects.filter(
        is_active=True, unit_id__in=set(unit_ids), role__in=[Role.LIAISON, Role.REPORTER]
    ).values_list("pk", "unit_id"):
        people[unit_id].add(user_id)
    return people


def urge_and_escalate(
    day: datetime.date, items: list[DeadlineItem]
) -> tuple[list[tuple[int, DigestEntry]], dict[int, list[DigestEntry]]]:
    """Move each open (item, unit) up the ladder 提示 → 催办 → 督办, at most one rung a day.

    An item enters the ladder at the rung its date calls for (提示 before its due date, 催办 once
    overdue long enough) — never at 督办; a 催办 moves up to 督办 on a later day, when it is not
    signed for or answered in time or the item stays overdue past the second threshold. So a first
    sweep over many overdue items issues 催办 only, and escalates nothing.

    Returns (user id, digest entry) pairs for the people to tell (the unit's people on every rung;
    the pairing's leaders and liaison staff on 督办) and each unit's lines for its robot webhook;
    the sweep hands both to `fanout.deliver`. Runs inside the sweep's transaction; the notice's unique constraint and `level_on` make each step
    happen once.
    """
    if not items:
        return [], {}
    policies = _policies({item.pairing_id for item in items})
    by_key = {item.key: item for item in items}
    notices = {
        (n.item_key, n.due, n.unit_id): n
        for n in UrgingNotice.objects.filter(item_key__in=in_one_param(by_key)).select_related("pairing")
    }
    issued: list[UrgingNotice] = []
    raised: list[UrgingNotice] = []
    escalated: list[UrgingNotice] = []
    for item in items:
        policy = policies[item.pairing_id]
        target = ladder_target(item, policy, day)
        for unit_id in item.unit_ids:
            notice = notices.get((item.key, item.due, unit_id))
            if notice is None:
                if target is None:
                    continue
                notice = UrgingNotice(
                    item_key=item.key,
                    due=item.due,
                    unit_id=unit_id,
                    pairing_id=item.pairing_id,
                    summary=item.summary[:300],
                    url=item.url[:300],
                    level=target,
                    level_on=day,
                    issued_on=day,
                    sign_by=day + datetime.timedelta(days=policy.sign_within_days),
                    reply_by=day + datetime.timedelta(days=policy.reply_within_days),
                )
                notices[(item.key, item.due, unit_id)] = notice
                issued.append(notice)
            elif not notice.is_open or (notice.level_on or notice.issued_on) >= day:
                continue
            elif notice.level == Level.PROMPT and target == Level.URGE:
                notice.level = Level.URGE
                notice.level_on = day
                notice.sign_by = max(notice.sign_by, day + datetime.timedelta(days=policy.sign_within_days))
                notice.reply_by = max(
                    notice.reply_by, day + datetime.timedelta(days=policy.reply_within_days)
                )
                raised.append(notice)
            elif reason := escalation_reason(notice, item, policy, day):
                notice.level = Level.SUPERVISE
                notice.level_on = day
                notice.escalated_on = day
                notice.escalation_reason = reason
                escalated.append(notice)
    # In bulk, each with its history row (the system issued it); ids come back for the notices' links.
    # One INSERT whatever their number (Django splits it only past the database's parameter limit):
    # a first sweep at province scale issues thousands. Changes stay in UPDATEs of 500 (a CASE per
    # row: longer statements cost more than the round trips they save).
    issued = bulk_create_with_history(issued, UrgingNotice)
    bulk_update_with_history(
        raised + escalated,
        UrgingNotice,
        ["level", "level_on", "sign_by", "reply_by", "escalated_on", "escalation_reason"],
        batch_size=500,
    )
    moved = issued + raised + escalated
    if not moved:
        return [], {}
    # Written in bulk (no post_save): the dashboards' 督办 figures are out of date (core/freshness.py).
    freshness.changed()
    people = unit_people(n.unit_id for n in moved)
    unit_names = dict(Unit.objects.filter(pk__in={n.unit_id for n in moved}).values_list("pk", "name"))
    entries = {n.pk: notice_entry(n, unit_names[n.unit_id]) for n in moved}
    tell: list[tuple[int, DigestEntry]] = [
        (user_id, entries[n.pk]) for n in moved for user_id in people[n.unit_id]
    ]
    if escalated:
        leaders = pairing_audience({n.pairing_id for n in escalated}, [Role.VIEWER, Role.LIAISON])
        for notice in escalated:
            tell += [(user_id, entries[notice.pk]) for user_id in leaders.get(notice.pairing_id, ())]
    per_unit: dict[int, list[DigestEntry]] = defaultdict(list)
    for notice in moved:
        per_unit[notice.unit_id].append(entries[notice.pk])
    return tell, dict(per_unit)


def _entry(p: Planned) -> DigestEntry:
    note = due_note(p.item.due) if p.offset >= 0 else ""
    return DigestEntry(
        key=p.item.key,
        summary=p.item.summary,
        url=p.item.url,
        due=p.item.due,
        offset=p.offset,
        label=offset_label(p.offset, p.item.due) + (f"；{note}" if note else ""),
        overdue=p.overdue,
    )


def webhook_entries(fresh: list[Planned], label: str | None = None) -> dict[int, list[DigestEntry]]:
    """Each unit's lines for its robot webhook: its items due today, once each (`label`: the
    entries' words when they are not reminders of a due date, e.g. "已退回：…")."""
    per_unit: dict[int, dict[str, Planned]] = defaultdict(dict)
    for p in fresh:
        for unit_id in p.item.unit_ids:
            per_unit[unit_id].setdefault(p.item.key, p)

    def entry(p: Planned) -> DigestEntry:
        made = _entry(p)
        return made if label is None else dataclasses.replace(made, label=label, kind=p.item.kind)

    return {unit_id: [entry(p) for p in planned.values()] for unit_id, planned in per_unit.items()}
