"""State changes of urging notices (催办单): signing for one, answering it. Pages and API call these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_text
from reminders import workflow
from reminders.models import UrgingNotice


def _check(user, notice: UrgingNotice) -> None:
    if not UrgingNotice.objects.answerable_by(user).filter(pk=notice.pk).exists():
        raise PermissionDenied(_("只有责任单位的人员可以签收和反馈此催办单。"))


@transaction.atomic
def sign_notice(notice: UrgingNotice, user) -> UrgingNotice:
    """签收: the responsible unit acknowledges the notice (once; signing again changes nothing)."""
    _check(user, notice)
    updated = UrgingNotice.objects.filter(pk=notice.pk, signed_at__isnull=True).update(
        signed_at=timezone.now(), signed_by=user, status=UrgingNotice.Status.SIGNED
    )
    notice.refresh_from_db()
    if updated:
        # Saving the same values again writes the history row naming who signed (update_fields=[]
        # would return before any signal, leaving no history).
        notice.save(update_fields=["signed_at", "signed_by", "status"])
        workflow.notice_event(notice, "signed", user)
    return notice


@transaction.atomic
def answer_notice(notice: UrgingNotice, user, reply: str) -> UrgingNotice:
    """反馈: the unit says what it has done and when it will finish; implies signing."""
    _check(user, notice)

    reply = clean_text(reply, "reply", _("反馈内容"))
    if len(reply) < 5:
        raise ValidationError({"reply": _("请填写反馈内容（至少 5 个字）。")})
    now = timezone.now()
    notice.signed_at = notice.signed_at or now
    notice.signed_by = notice.signed_by or user
    notice.reply = reply[:4000]
    notice.replied_at = now
    notice.replied_by = user
    notice.status = UrgingNotice.Status.ANSWERED
    notice.save()
    workflow.notice_event(notice, "answered", user)
    return notice
