"""Pages of reporting rounds (报送轮次): list, open/edit form, checklist, close, remind, 无进展.

Seeing goes through the scope (`visible_to`): another pairing's round is a 404. Every change goes
through reminders/rounds.py, which refuses with a 403 and a Chinese message whoever may not do it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cooperation.models import Pairing, Unit
from core.excel import Column
from core.history import history_rows
from core.listexport import export_list, export_requested
from core.roles import is_reporter
from core.widgets import DateInput
from reminders import rounds
from reminders.models import UrgingNotice
from reminders.round_models import ReportingRound
from tasks.models import Task


class RoundForm(forms.ModelForm):
    """Name, year, dates and coverage of a round; the tasks and units offered are the pairing's."""

    class Meta:
        model = ReportingRound
        fields = ["name", "year", "opened_on", "due_date", "tasks", "units"]
        widgets = {
            "opened_on": DateInput(),
            "due_date": DateInput(),
            "tasks": forms.CheckboxSelectMultiple,
            "units": forms.CheckboxSelectMultiple,
        }
        labels = {"opened_on": gettext_lazy("开始日期")}

    def __init__(self, *args, pairing: Pairing, **kwargs):
        super().__init__(*args, **kwargs)
        # Only tasks someone answers for: headings of the plan (一、（一）) have no responsible unit.
        self.fields["tasks"].queryset = (
            Task.objects.filter(pairing=pairing, task_units__isnull=False)
            .distinct()
            .order_by("position", "pk")
        )
        self.fields["units"].queryset = (
            Unit.objects.filter(task_units__task__pairing=pairing).distinct().order_by("region__path", "name")
        )
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("opened_on", today)
            self.initial.setdefault("year", today.year)


def _pairing(request, pairing_id: int) -> Pairing:
    return get_object_or_404(Pairing.objects.visible_to(request.user), pk=pairing_id)


def _round(request, pk: int) -> ReportingRound:
    return get_object_or_404(
        ReportingRound.objects.visible_to(request.user).select_related("pairing", "created_by"), pk=pk
    )


ROUND_EXPORT_COLUMNS = [
    Column(gettext_lazy("名称"), 30, wrap=True),
    Column(gettext_lazy("年度"), 8, "int"),
    Column(gettext_lazy("开始日期"), 12, "date"),
    Column(gettext_lazy("截止日期"), 12, "date"),
    Column(gettext_lazy("结束日期"), 12, "date"),
    Column(gettext_lazy("状态"), 14),
    Column(gettext_lazy("发起人"), 12),
]


def round_state(round_: ReportingRound, today) -> str:
    if round_.closed_on:
        return _("已结束")
    return _("已过截止日期") if round_.due_date < today else _("进行中")


def round_export_row(round_: ReportingRound) -> list:
    return [
        round_.name,
        round_.year,
        round_.opened_on,
        round_.due_date,
        round_.closed_on,
        round_state(round_, timezone.localdate()),
        str(round_.created_by) if round_.created_by else "",
    ]


@login_required
def round_list(request, pairing_id: int):
    pairing = _pairing(request, pairing_id)
    round_list = (
        ReportingRound.objects.visible_to(request.user).filter(pairing=pairing).select_related("created_by")
    )
    if export_requested(request):
        title = _("报送轮次：%(pairing)s") % {"pairing": pairing.name}
        return export_list(request, title, ROUND_EXPORT_COLUMNS, round_list, round_export_row)
    return render(
        request,
        "reminders/round_list.html",
        {
            "pairing": pairing,
            "rounds": round_list,
            "can_manage": rounds.can_manage_rounds(request.user, pairing),
            "today": timezone.localdate(),
        },
    )


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def round_create(request, pairing_id: int):
    pairing = _pairing(request, pairing_id)
    rounds._require_manager(request.user, pairing)
    form = RoundForm(request.POST or None, pairing=pairing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = rounds.open_round(
                pairing,
                request.user,
                name=data["name"],
                year=data["year"],
                opened_on=data["opened_on"],
                due_date=data["due_date"],
                tasks=data["tasks"],
                units=data["units"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("报送轮次“%(name)s”已发起。") % {"name": round_.name})
            return redirect(round_.get_absolute_url())
    return render(request, "reminders/round_form.html", {"form": form, "pairing": pairing, "round": None})


@login_required
def round_edit(request, pk: int):
    round_ = _round(request, pk)
    rounds._require_manager(request.user, round_.pairing)
    form = RoundForm(request.POST or None, instance=round_, pairing=round_.pairing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rounds.update_round(
                round_,
                request.user,
                name=data["name"],
                year=data["year"],
                opened_on=data["opened_on"],
                due_date=data["due_date"],
                tasks=data["tasks"],
                units=data["units"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("报送轮次已保存。"))
            return redirect(round_.get_absolute_url())
    return render(
        request, "reminders/round_form.html", {"form": form, "pairing": round_.pairing, "round": round_}
    )


@login_required
def round_detail(request, pk: int):
    round_ = _round(request, pk)
    checklist = round_.checklist()
    user = request.user
    own_row = checklist.row_for(user.unit_id) if is_reporter(user) else None
    notices = {
        n.unit_id: n for n in UrgingNotice.objects.filter(item_key=round_.item_key, due=round_.due_date)
    }
    for row in checklist.rows:
        row.notice = notices.get(row.unit.pk)  # its 催办单 (with the ladder's colour), if urged
    return render(
        request,
        "reminders/round_detail.html",
        {
            "round": round_,
            "pairing": round_.pairing,
            "checklist": checklist,
            "counts": checklist.count_items(),
            "late_count": len(checklist.late()),
            "can_manage": rounds.can_manage_rounds(user, round_.pairing),
            "own_unit_id": own_row.unit.pk if own_row else None,
            "history": history_rows(round_),
        },
    )


def _done(request, func, *args, **kwargs) -> tuple[bool, object]:
    """Run a service; a ValidationError becomes an error message (a refusal stays a 403)."""
    try:
        return True, func(*args, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False, None


@login_required
@require_POST
def round_close(request, pk: int):
    round_ = _round(request, pk)
    if request.POST.get("action") == "reopen":
        if _done(request, rounds.reopen_round, round_, request.user)[0]:
            messages.success(request, _("报送轮次已重新开放。"))
    elif _done(request, rounds.close_round, round_, request.user)[0]:
        messages.success(request, _("报送轮次已结束。"))
    return redirect(round_.get_absolute_url())


@login_required
@require_POST
def round_remind(request, pk: int):
    round_ = _round(request, pk)
    ok, result = _done(request, rounds.remind_late_units, round_, request.user)
    if not ok:
        return redirect(round_.get_absolute_url())
    if result.reminded:
        messages.success(
            request,
            _("已提醒 %(n)d 个未报单位：%(units)s。")
            % {"n": len(result.reminded), "units": "、".join(u.name for u in result.reminded)},
        )
    if result.already:
        messages.info(
            request,
            _("%(n)d 个单位今天已提醒过，未重复发送：%(units)s。")
            % {"n": len(result.already), "units": "、".join(u.name for u in result.already)},
        )
    if result.unreachable:
        messages.warning(
            request,
            _("%(n)d 个单位没有可接收提醒的账号，请电话联系：%(units)s。")
            % {"n": len(result.unreachable), "units": "、".join(u.name for u in result.unreachable)},
        )
    if not (result.reminded or result.already or result.unreachable):
        messages.info(request, _("所有单位均已报送或声明无进展，无需提醒。"))
    return redirect(round_.get_absolute_url())


@login_required
@require_POST
def round_declare(request, pk: int):
    round_ = _round(request, pk)
    unit_id = request.POST.get("unit") or request.user.unit_id
    unit = get_object_or_404(Unit, pk=unit_id) if str(unit_id or "").isdigit() else None
    if unit is None:
        messages.error(request, _("请指定单位。"))
        return redirect(round_.get_absolute_url())
    if request.POST.get("action") == "withdraw":
        if _done(request, rounds.withdraw_no_progress, round_, unit, request.user)[0]:
            messages.success(request, _("已撤回%(unit)s的无进展声明。") % {"unit": unit.name})
    else:
        ok, _entry = _done(
            request, rounds.declare_no_progress, round_, unit, request.user, note=request.POST.get("note", "")
        )
        if ok:
            messages.success(request, _("已声明%(unit)s本轮无进展。") % {"unit": unit.name})
    return redirect(round_.get_absolute_url())
