"""Delivering the outbox: claim each message atomically, send, record; retry with backoff.

A message is claimed with a conditional UPDATE (pending → sending) whose row count must be 1, so two
workers never send the same digest. A worker killed mid-send leaves the row "sending"; it is
reclaimed after CLAIM_TIMEOUT. The only window for a duplicate is a crash between the mail server
accepting the message and the row being marked sent (at-least-once there, as with any SMTP client).
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.request
from urllib.error import URLError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reminders.models import OutboxMessage

log = logging.getLogger(__name__)

# Retries 1, 2, 4 … 256 minutes apart, then every 6 hours: 16 attempts span about two days, so a
# mail server down for a night or a weekend day still gets the digest once it accepts again (with
# 8 attempts everything failed for good after about two hours).
MAX_ATTEMPTS = 16
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes, at most 6 hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _claim(message_id: int, now: datetime.datetime) -> bool:
    return (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(
            Q(status=OutboxMessage.Status.PENDING)
            | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .update(status=OutboxMessage.Status.SENDING, claimed_at=now)
        == 1
    )


def due_messages(now: datetime.datetime):
    today = timezone.localdate(now)
    return OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.PENDING)
        | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT),
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        digest_date__lte=today,
    ).exclude(items=[])


def deliver(now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due; returns counts by outcome."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message_id in list(due_messages(now).values_list("pk", flat=True)[:limit]):
        if not _claim(message_id, now):
            continue  # another worker has it
        message = OutboxMessage.objects.select_related("user", "unit").get(pk=message_id)
        try:
            with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
                if message.channel == OutboxMessage.Channel.EMAIL:
                    send_digest_email(message)
                else:
                    send_webhook(message)
        except Exception as error:  # noqa: BLE001 — any failure of the channel is retried, then recorded
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
                counts["failed"] += 1
            else:
                message.status = OutboxMessage.Status.PENDING
                message.next_attempt_at = now + backoff(message.attempts)
                counts["retry"] += 1
            log.warning(
                "reminder %s to %s failed (%d): %s",
                message.pk,
                message.user or message.unit,
                message.attempts,
                error,
            )
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            continue
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "sent_at", "attempts"])
        counts["sent"] += 1
    return counts


def _grouped(message: OutboxMessage) -> dict[str, list[dict]]:
    entries = sorted(message.entries, key=lambda e: (e.due, e.summary))
    lines = [{**e.as_json(), "link": settings.SITE_URL + e.url} for e in entries]
    workflow = [line for line in lines if line.get("kind") == "workflow"]
    dated = [line for line in lines if line.get("kind") != "workflow"]
    return {
        "overdue": [line for line in dated if line["overdue"]],
        "soon": [line for line in dated if not line["overdue"]],
        "workflow": workflow,
    }


def send_digest_email(message: OutboxMessage) -> None:
    context = {
        "user": message.user,
        "date": message.digest_date,
        **_grouped(message),
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("reminders/email_subject.txt", context).strip()
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/email_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.user.email],
    )
    email.attach_alternative(render_to_string("reminders/email_digest.html", context), "text/html")
    email.send(fail_silently=False)


def send_webhook(message: OutboxMessage) -> None:
    entries = message.entries
    payload = {
        "unit": message.unit.name,
        "date": message.digest_date.isoformat(),
        "items": [
            {
                "summary": e.summary,
                "due": e.due.isoformat(),
                "label": e.label,
                "overdue": e.overdue,
                "url": settings.SITE_URL + e.url,
            }
            for e in entries
        ],
        # The common shape chat-group robots accept as a plain text message.
        "msgtype": "text",
        "text": {"content": "\n".join(f"{e.summary}（{e.label}）" for e in entries)},
    }
    request = urllib.request.Request(
        message.unit.webhook_url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 — URL set by liaison staff
        if response.status >= 300:
            raise URLError(f"HTTP {response.status}")
