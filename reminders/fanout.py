"""The one place that tells people something: `deliver()`.

Every notice of the application — a reminder of the sweep, a 提示 / 催办 / 督办 of the ladder, a
reporting round's reminder, a step of the workflow (report submitted, returned, approved; notice
signed, answered, done, closed) — is a `DigestEntry`. `deliver()` turns entries into:

- one `Notification` row per (user, entry): the bell, at once;
- the entries added to each user's pending digest e-mail (today's, or the coming Monday's for a
  weekly digest; muted users and users without an address get none);
- the entries added to each unit's pending robot-webhook message (DingTalk / WeCom), for units that
  have a webhook URL.

Nothing else creates `Notification` rows or outbox messages of digests, so the rules (who hears
what, the title's form, the digest day, the webhook filter) hold for every caller alike. It runs in
the caller's transaction and writes in a constant number of queries whatever the number of people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cooperation.models import Unit, User
from reminders.models import DigestEntry, Notification, OutboxMessage, Preference


@dataclass(frozen=True)
class Delivered:
    notifications: int
    emails: int  # users whose digest got the entries
    webhooks: int  # units whose webhook message got the entries


def deliver(
    day: datetime.date,
    per_user: dict[int, dict[str, DigestEntry]],
    per_unit: dict[int, list[DigestEntry]] | None = None,
) -> Delivered:
    """Tell each user his entries (keyed by the entry's key: one line per item) in the bell and the
    digest, and each unit its entries on its robot webhook."""
    notifications = [
        entry.notification(user_id) for user_id in sorted(per_user) for entry in per_user[user_id].values()
    ]
    Notification.objects.bulk_create(notifications)
    emails = queue_emails(day, per_user)
    webhooks = queue_unit_webhooks(day, per_unit or {})
    return Delivered(len(notifications), emails, webhooks)


def digest_day(day: datetime.date, preference: Preference | None) -> datetime.date:
    if preference and preference.frequency == Preference.Frequency.WEEKLY:
        return day + datetime.timedelta(days=(7 - day.weekday()) % 7)  # the coming Monday (today if Monday)
    return day


def queue_emails(day: datetime.date, per_user: dict[int, dict[str, DigestEntry]]) -> int:
    """Add each user's entries to his pending e-mail digest (today's, or the coming Monday's for a
    weekly digest; tomorrow's if that one already went out), in a constant number of queries."""
    if not per_user:
        return 0
    users = (
        User.objects.filter(pk__in=per_user.keys()).select_related("reminder_preference").exclude(email="")
    )
    wanted: dict[int, tuple[datetime.date, list[DigestEntry]]] = {}
    for user in users:
        preference = getattr(user, "reminder_preference", None)
        if preference and preference.muted:
            continue
        wanted[user.pk] = (digest_day(day, preference), list(per_user[user.pk].values()))
    _queue(OutboxMessage.Channel.EMAIL, "user", wanted)
    return len(wanted)


def queue_unit_webhooks(day: datetime.date, per_unit: dict[int, list[DigestEntry]]) -> int:
    """Each unit's entries to its robot webhook, where the unit has one (one message per unit and day)."""
    per_unit = {unit_id: entries for unit_id, entries in per_unit.items() if entries}
    if not per_unit:
        return 0
    hooked = Unit.objects.filter(pk__in=per_unit.keys()).exclude(webhook_url="").values_list("pk", flat=True)
    wanted = {unit_id: (day, per_unit[unit_id]) for unit_id in hooked}
    _queue(OutboxMessage.Channel.WEBHOOK, "unit", wanted)
    return len(wanted)


def _queue(channel: str, owner: str, wanted: dict[int, tuple[datetime.date, list[DigestEntry]]]) -> None:
    """Append entries to the pending message of each owner (user or unit) for its digest day.

    A message that already went out (sending, sent, failed) is not touched: its entries open the
    next day's. Existing messages are read in one query, new ones inserted and changed ones updated
    in bulk; a sweep racing ours trips the unique constraints and the whole sweep is retried.
    """
    if not wanted:
        return
    days = {d for d, _entries in wanted.values()}
    days |= {d + datetime.timedelta(days=1) for d in days}
    existing = {
        (getattr(m, f"{owner}_id"), m.digest_date): m
        for m in OutboxMessage.objects.filter(
            channel=channel, **{f"{owner}_id__in": list(wanted)}, digest_date__in=days
        )
    }
    created: dict[tuple[int, datetime.date], OutboxMessage] = {}
    changed: list[OutboxMessage] = []
    for owner_id, (message_day, entries) in wanted.items():
        message = existing.get((owner_id, message_day))
        if message is not None and message.status != OutboxMessage.Status.PENDING:
            message_day += datetime.timedelta(days=1)
            message = existing.get((owner_id, message_day))
        if message is None:
            message = OutboxMessage(channel=channel, digest_date=message_day, **{f"{owner}_id": owner_id})
            created[(owner_id, message_day)] = message
        else:
            changed.append(message)
        message.add_entries(entries)
    OutboxMessage.objects.bulk_create(created.values())
    OutboxMessage.objects.bulk_update(changed, ["items"], batch_size=500)
