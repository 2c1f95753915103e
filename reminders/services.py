"""State changes of the ladder's notices (提示单 / 催办单 / 督办单). Pages and API call these.

The trail of a notice: 交办 (issued: by the sweep, or by hand by the pairing's liaison staff) →
签收 (signed for) → 反馈 (answered) → 办结 (done, with evidence) by the responsible unit → 销号
(closed) by the liaison staff. Each step is checked on the notice's state read under a row lock,
names who took it (history), and tells the other side.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import as_actor
from core.permissions import can_manage
from core.text import clean_text
from core.uploads import validate_upload
from reminders import workflow
from reminders.models import Level, ReminderPolicy, UrgingNotice

Status = UrgingNotice.Status

# The furthest reply-by date a hand-sent 催办 may set.
MAX_REPLY_DAYS = 90


def _check(user, notice: UrgingNotice) -> None:
    if not UrgingNotice.objects.answerable_by(user).filter(pk=notice.pk).exists():
        raise PermissionDenied(_("只有责任单位的人员可以签收、反馈和办结此催办单。"))


def _check_office(user, notice: UrgingNotice) -> None:
    if not can_manage(user, notice.pairing):
        raise PermissionDenied(_("只有本结对的联络员可以催办和销号。"))


def _locked(notice: UrgingNotice) -> UrgingNotice:
    """The notice as it stands now, its row locked until the step is saved."""
    return UrgingNotice.objects.select_for_update().select_related("pairing", "unit").get(pk=notice.pk)


def _refuse_unless(notice: UrgingNotice, allowed: tuple[str, ...]) -> None:
    if notice.status not in allowed:
        raise ValidationError(
            _("此催办单%(status)s，不能进行此操作。") % {"status": notice.get_status_display()},
            code="state",
        )


@transaction.atomic
def sign_notice(notice: UrgingNotice, user) -> UrgingNotice:
    """签收: the responsible unit acknowledges the notice (once; signing again changes nothing)."""
    _check(user, notice)
    current = _locked(notice)
    if current.signed_at is None and current.is_open:
        current.signed_at = timezone.now()
        current.signed_by = user
        current.status = Status.SIGNED
        as_actor(current, user)
        current.save()
        workflow.notice_event(current, "signed", user)
    notice.refresh_from_db()
    return notice


@transaction.atomic
def answer_notice(notice: UrgingNotice, user, reply: str) -> UrgingNotice:
    """反馈: the unit says what it has done and when it will finish; implies signing. Open notices
    only (a notice 办结 or 销号 takes no further answer)."""
    _check(user, notice)
    current = _locked(notice)
    _refuse_unless(current, (Status.ISSUED, Status.SIGNED, Status.ANSWERED))
    reply = clean_text(reply, "reply", _("反馈内容"))
    if len(reply) < 5:
        raise ValidationError({"reply": _("请填写反馈内容（至少 5 个字）。")})
    now = timezone.now()
    current.signed_at = current.signed_at or now
    current.signed_by = current.signed_by or user
    current.reply = reply[:4000]
    current.replied_at = now
    current.replied_by = user
    current.status = Status.ANSWERED
    as_actor(current, user)
    current.save()
    workflow.notice_event(current, "answered", user)
    notice.refresh_from_db()
    return notice


@transaction.atomic
def complete_notice(notice: UrgingNotice, user, note: str, evidence) -> UrgingNotice:
    """办结: the unit reports the item done, with a file as evidence; after its 反馈."""
    _check(user, notice)
    current = _locked(notice)
    _refuse_unless(current, (Status.ANSWERED,))
    note = clean_text(note, "done_note", _("办结说明"))
    if len(note) < 5:
        raise ValidationError({"done_note": _("请填写办结说明（至少 5 个字）。")})
    if not evidence:
        raise ValidationError({"evidence": _("办结须上传佐证材料。")})
    try:
        validate_upload(evidence)
    except ValidationError as exc:
        raise ValidationError({"evidence": exc.messages}) from None
    current.done_note = note[:4000]
    current.done_at = timezone.now()
    current.done_by = user
    current.evidence_name = (evidence.name or "")[-200:]
    current.evidence.save(evidence.name, evidence, save=False)
    current.status = Status.DONE
    as_actor(current, user)
    current.save()
    workflow.notice_event(current, "done", user)
    notice.refresh_from_db()
    return notice


@transaction.atomic
def close_notice(notice: UrgingNotice, user) -> UrgingNotice:
    """销号: the pairing's liaison staff accept the 办结 and close the notice."""
    _check_office(user, notice)
    current = _locked(notice)
    _refuse_unless(current, (Status.DONE,))
    current.closed_at = timezone.now()
    current.closed_by = user
    current.status = Status.CLOSED
    as_actor(current, user)
    current.save()
    workflow.notice_event(current, "closed", user)
    notice.refresh_from_db()
    return notice


def _policy(pairing) -> ReminderPolicy:
    return (
        ReminderPolicy.objects.filter(pairing=pairing).first()
        or ReminderPolicy.objects.filter(pairing__isnull=True).first()
        or ReminderPolicy()
    )


@transaction.atomic
def urge(
    user,
    *,
    pairing,
    unit,
    item_key: str,
    due: datetime.date,
    summary: str,
    url: str,
    message: str,
    reply_by: datetime.date,
    day: datetime.date | None = None,
) -> UrgingNotice:
    """催办 by hand: the pairing's liaison staff send the unit a 催办单 with their words and a reply-by
    date. An open 提示单 on the same item goes up to 催办; an item already urged (or closed) is
    followed on its own notice, not urged twice."""
    if not can_manage(user, pairing):
        raise PermissionDenied(_("只有本结对的联络员可以催办。"))
    day = day or timezone.localdate()
    message = clean_text(message, "message", _("催办意见"))
    if len(message) < 5:
        raise ValidationError({"message": _("请填写催办意见（至少 5 个字）。")})
    if reply_by < day:
        raise ValidationError({"reply_by": _("反馈期限不能早于今天。")})
    if reply_by > day + datetime.timedelta(days=MAX_REPLY_DAYS):
        raise ValidationError({"reply_by": _("反馈期限最多为 %(n)d 天后。") % {"n": MAX_REPLY_DAYS}})
    policy = _policy(pairing)
    sign_by = min(reply_by, day + datetime.timedelta(days=policy.sign_within_days))
    existing = UrgingNotice.objects.select_for_update().filter(item_key=item_key, due=due, unit=unit).first()
    if existing is not None and not (existing.level == Level.PROMPT and existing.is_open):
        raise ValidationError(
            _("%(unit)s 的此事项已有%(title)s（%(status)s），请在原单上跟进。")
            % {"unit": unit.name, "title": existing.title, "status": existing.get_status_display()},
            code="exists",
        )
    notice = existing or UrgingNotice(
        item_key=item_key,
        due=due,
        unit=unit,
        pairing=pairing,
        summary=summary[:300],
        url=url[:300],
        issued_on=day,
    )
    notice.level = Level.URGE
    notice.level_on = day
    notice.message = message[:4000]
    notice.issued_by = user
    notice.sign_by = sign_by
    notice.reply_by = reply_by
    as_actor(notice, user)
    notice.save()
    workflow.notice_issued(notice)
    return notice
