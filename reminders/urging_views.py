"""Urging by hand and the overdue list: 催办 from a task period, the list of overdue items or a
reporting round's late units — one form, keyed by the item ("tasks.period:42", "rounds.round:3").

What the user cannot see is a 404; what he sees but may not urge (not the pairing's liaison
staff) a 403. The writes are in reminders/services.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.models import Pairing, Unit
from core.deadlines import DeadlineItem, collect
from core.permissions import can_manage, denied_message
from core.states import judge
from reminders import engine, services
from reminders.models import ReminderPolicy, UrgingNotice
from reminders.round_models import ReportingRound


@dataclass
class Urgeable:
    """An item that can be urged: its pairing, due date, words, page and the units it can go to."""

    key: str
    pairing: Pairing
    due: datetime.date
    summary: str
    url: str
    units: list[Unit] = field(default_factory=list)


def _items(day: datetime.date) -> list[DeadlineItem]:
    return list(
        collect(
            day - datetime.timedelta(days=engine.LOOKBACK_DAYS),
            day + datetime.timedelta(days=engine.LOOKAHEAD_DAYS),
            day,
        )
    )


def resolve(user, key: str, day: datetime.date) -> Urgeable:
    """The open item behind `key` as the user may see it; 404 when gone, done or not his to see."""
    visible = Pairing.objects.visible_to(user)
    if key.startswith("rounds.round:"):
        pk = key.split(":", 1)[1]
        round_ = ReportingRound.objects.filter(pairing__in=visible, pk=pk if pk.isdigit() else 0).first()
        if round_ is None or round_.is_closed:
            raise Http404
        late = [row.unit for row in round_.checklist().late()]
        summary = _("报送轮次“%(round)s”未按期报送进展") % {"round": round_.name}
        return Urgeable(key, round_.pairing, round_.due_date, summary, round_.get_absolute_url(), late)
    item = next((i for i in _items(day) if i.key == key), None)
    pairing = visible.filter(pk=item.pairing_id).first() if item else None
    if pairing is None:
        raise Http404
    units = list(Unit.objects.filter(pk__in=item.unit_ids).order_by("name"))
    return Urgeable(key, pairing, item.due, item.summary, item.url, units)


class UrgeForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("责任单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("请选择责任单位"),
    )
    message = forms.CharField(
        label=gettext_lazy("催办意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy("写明要求办理的事项和要求，如“请于月底前报送跟岗学习人数和照片”"),
    )
    reply_by = forms.DateField(
        label=gettext_lazy("反馈期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("name")
        if len(units) == 1:
            self.initial.setdefault("unit", units[0].pk)


def _policy(pairing) -> ReminderPolicy:
    return services._policy(pairing)


@login_required
def urge_item(request, key: str):
    """催办 by hand: a unit of the item, the liaison's words and a reply-by date."""
    today = timezone.localdate()
    item = resolve(request.user, key, today)
    if not can_manage(request.user, item.pairing):
        raise PermissionDenied(denied_message())
    policy = _policy(item.pairing)
    form = UrgeForm(
        request.POST or None,
        units=item.units,
        initial={
            "reply_by": today + datetime.timedelta(days=policy.reply_within_days),
            "unit": request.GET.get("unit"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.urge(
                request.user,
                pairing=item.pairing,
                unit=form.cleaned_data["unit"],
                item_key=item.key,
                due=item.due,
                summary=item.summary,
                url=item.url,
                message=form.cleaned_data["message"],
                reply_by=form.cleaned_data["reply_by"],
                day=today,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已向%(unit)s发出催办单。") % {"unit": notice.unit.name})
            return redirect(notice.get_absolute_url())
    existing = UrgingNotice.objects.filter(item_key=item.key, due=item.due).select_related("unit")
    return render(
        request,
        "reminders/urge_form.html",
        {
            "item": item,
            "form": form,
            "existing": existing,
            "standing": judge(due=item.due, done=False, done_on=None, as_of=today),
        },
    )


@login_required
def overdue_list(request):
    """Open items of the user's pairings that are overdue or within their 提示 window, each unit with
    the colour of its notice (提示 blue, 催办 yellow, 督办 red) and, for liaison staff, a 催办 link."""
    today = timezone.localdate()
    pairings = {p.pk: p for p in Pairing.objects.visible_to(request.user)}
    items = [i for i in _items(today) if i.pairing_id in pairings]
    policies = engine._policies({i.pairing_id for i in items})
    shown = [
        i
        for i in items
        if i.due < today or engine.ladder_target(i, policies[i.pairing_id], today) is not None
    ]
    shown.sort(key=lambda i: (i.due, i.key))
    notices = {
        (n.item_key, n.due, n.unit_id): n
        for n in UrgingNotice.objects.filter(item_key__in=[i.key for i in shown])
    }
    units = Unit.objects.in_bulk({u for i in shown for u in i.unit_ids})
    managed = {pk for pk, p in pairings.items() if can_manage(request.user, p)} if shown else set()
    rows = [
        {
            "item": i,
            "pairing": pairings[i.pairing_id],
            "standing": judge(due=i.due, done=False, done_on=None, as_of=today),
            "units": [(units[u], notices.get((i.key, i.due, u))) for u in i.unit_ids if u in units],
            "can_urge": i.pairing_id in managed,
        }
        for i in shown
    ]
    return render(request, "reminders/overdue_list.html", {"rows": rows, "today": today})
