"""Notification page and bell, reminder preferences, the reminder log, and the policy form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from cooperation.models import Pairing, Unit
from core.excel import Column
from core.history import history_rows
from core.listexport import export_list, export_requested
from core.permissions import can_manage, denied_message
from core.uploads import protected_download
from reminders import services
from reminders.forms import PolicyForm, PreferenceForm
from reminders.models import (
    Level,
    Notification,
    OutboxMessage,
    Preference,
    ReminderLedger,
    ReminderPolicy,
    UrgingNotice,
)


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user).order_by("read_at", "-created")[:200]
    return render(request, "reminders/notification_list.html", {"notifications": notifications})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reminders:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("reminders:notification_list")


@login_required
def preferences(request):
    preference, _created = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("提醒设置已保存。"))
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"form": form})


@login_required
def reminder_log(request):
    """What was sent to whom, when, by which channel, and what failed — for liaison staff."""
    if not (request.user.is_superuser or request.user.is_liaison):
        raise PermissionDenied(_("只有联络员可以查看提醒日志。"))
    ledger = ReminderLedger.objects.visible_to(request.user).select_related("recipient", "pairing")[:300]
    recipients = ReminderLedger.objects.visible_to(request.user).values("recipient_id")
    # Webhooks of the units in the regions of the user's pairings.
    visible_units = Unit.objects.manageable_by(request.user).values("pk")
    outbox = (
        OutboxMessage.objects.filter(Q(user_id__in=recipients) | Q(unit_id__in=visible_units))
        .select_related("user", "unit")
        .order_by("-digest_date", "-pk")[:200]
    )
    return render(request, "reminders/log.html", {"ledger": ledger, "outbox": outbox})


@login_required
def policy_edit(request, pairing_pk: int):
    pairing = get_object_or_404(Pairing.objects.visible_to(request.user), pk=pairing_pk)
    if not can_manage(request.user, pairing):
        raise PermissionDenied(denied_message())
    policy = ReminderPolicy.objects.filter(pairing=pairing).first()
    if policy is None:
        default = ReminderPolicy.objects.filter(pairing__isnull=True).first() or ReminderPolicy()
        policy = ReminderPolicy(
            pairing=pairing,
            days_before=default.days_before,
            overdue_every=default.overdue_every,
            working_days=default.working_days,
            catch_up_days=default.catch_up_days,
            prompt_workdays=default.prompt_workdays,
            urge_after_days=default.urge_after_days,
            sign_within_days=default.sign_within_days,
            reply_within_days=default.reply_within_days,
            escalate_after_days=default.escalate_after_days,
        )
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("提醒规则已保存。"))
        return redirect(pairing.get_absolute_url())
    return render(request, "reminders/policy_form.html", {"form": form, "pairing": pairing})


NOTICE_EXPORT_COLUMNS = [
    Column(_lazy("发出日期"), 12, "date"),
    Column(_lazy("级别"), 8),
    Column(_lazy("结对"), 24, wrap=True),
    Column(_lazy("责任单位"), 20, wrap=True),
    Column(_lazy("事项"), 40, wrap=True),
    Column(_lazy("交办人"), 12),
    Column(_lazy("签收期限"), 12, "date"),
    Column(_lazy("反馈期限"), 12, "date"),
    Column(_lazy("状态"), 10),
    Column(_lazy("督办日期"), 12, "date"),
    Column(_lazy("督办原因"), 30, wrap=True),
]


def notice_export_row(n: UrgingNotice) -> list:
    return [
        n.issued_on,
        n.get_level_display(),
        n.pairing.name,
        n.unit.name,
        n.summary,
        str(n.issued_by) if n.issued_by else "",
        n.sign_by,
        n.reply_by,
        n.get_status_display(),
        n.escalated_on,
        n.reason_display,
    ]


@login_required
def notice_list(request):
    notices = UrgingNotice.objects.visible_to(request.user).select_related("unit", "pairing", "issued_by")
    level = request.GET.get("level")
    if level in Level.values:
        notices = notices.filter(level=level)
    if request.GET.get("open"):
        notices = notices.exclude(status__in=[UrgingNotice.Status.DONE, UrgingNotice.Status.CLOSED])
    if export_requested(request):
        return export_list(request, _lazy("催办与督办"), NOTICE_EXPORT_COLUMNS, notices, notice_export_row)
    notices = notices[:300]
    return render(
        request,
        "reminders/notice_list.html",
        {
            "notices": notices,
            "today": timezone.localdate(),
            "levels": Level.choices,
            "level": level,
            "open_only": bool(request.GET.get("open")),
        },
    )


@login_required
def notice_detail(request, pk: int):
    """A notice with its trail; the unit signs, answers and reports it done (with evidence) here,
    the pairing's liaison staff close it (销号)."""
    notice = get_object_or_404(
        UrgingNotice.objects.visible_to(request.user).select_related(
            "unit", "pairing", "issued_by", "signed_by", "replied_by", "done_by", "closed_by"
        ),
        pk=pk,
    )
    can_answer = UrgingNotice.objects.answerable_by(request.user).filter(pk=notice.pk).exists()
    is_office = can_manage(request.user, notice.pairing)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        done = {
            "sign": (lambda: services.sign_notice(notice, request.user), _("已签收。")),
            "reply": (
                lambda: services.answer_notice(notice, request.user, request.POST.get("reply", "")),
                _("反馈已提交。"),
            ),
            "done": (
                lambda: services.complete_notice(
                    notice, request.user, request.POST.get("done_note", ""), request.FILES.get("evidence")
                ),
                _("已办结，待联络员销号。"),
            ),
            "close": (lambda: services.close_notice(notice, request.user), _("已销号。")),
        }
        if action not in done:
            return HttpResponseBadRequest(_("未知的操作。"))
        step, success = done[action]
        try:
            step()
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, success)
            return redirect(notice.get_absolute_url())
    return render(
        request,
        "reminders/notice_detail.html",
        {
            "notice": notice,
            "can_answer": can_answer,
            "is_office": is_office,
            "errors": errors,
            "general_errors": errors.get("__all__", []) + errors.get("state", []),
            "today": timezone.localdate(),
            "history": _notice_history(notice),
        },
    )


def _notice_history(notice: UrgingNotice):
    """The notice's history without the evidence's storage name (its file name is shown instead)."""
    hidden = {str(UrgingNotice._meta.get_field(name).verbose_name) for name in ("evidence", "level_on")}
    rows = history_rows(notice)
    for row in rows:
        row.changes = [change for change in row.changes if change.label not in hidden]
    return rows


@login_required
def notice_evidence(request, pk: int):
    """The 办结 evidence of a notice, for whoever may see the notice (404 for anyone else)."""
    notice = get_object_or_404(UrgingNotice.objects.visible_to(request.user).exclude(evidence=""), pk=pk)
    return protected_download(notice.evidence, notice.evidence_name)
