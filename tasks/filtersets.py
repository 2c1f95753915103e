"""One FilterSet per model, shared by the HTML lists and the API.

Filters on a period (status, year, overdue, due within N days) narrow tasks to those with *one*
period meeting all of them together: "2025, overdue" means the 2025 period is overdue.
Choices (pairings, areas) come from the user's scope, so another pairing never shows up in them.
"""

from __future__ import annotations

import datetime
import html

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperation.filtersets import SearchFilterSet
from cooperation.models import Pairing, Unit
from core import freshness
from core.widgets import FilterNullBooleanSelect, ListNumberInput, ListSelect
from tasks.models import Area, ProgressReport, Task, TaskPeriod, TaskUnit, open_period_q, overdue_q


# The choices of every filter below are scoped to the request's user by SearchFilterSet
# (cooperation/filtersets.py `_scoped`, which also answers none without a user): scoping them here
# too built each IN list of the user's pairings twice per request.
def _pairings(request):
    return Pairing.objects.all() if request is not None else Pairing.objects.none()


def _areas(request):
    return Area.objects.all() if request is not None else Area.objects.none()


def _tasks(request):
    return Task.objects.all() if request is not None else Task.objects.none()


def _documents(request):
    from cooperation.models import PolicyDocument

    return PolicyDocument.objects.all() if request is not None else PolicyDocument.objects.none()


def _scope_key(request) -> str | None:
    """What `_scoped` builds the user's choices from: "all" for a superuser, the ids of the
    user's pairings when read for this request; None when the scope is read live."""
    from cooperation.scoping import request_scope_ids

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return "all"
    ids = request_scope_ids(user)
    return None if ids is None else ",".join(map(str, ids))


class FastSelect(forms.Select):
    """A <select> whose options are written in Python, not one template per option.

    The list page offers every unit and area of the user's pairings: a province office sees
    thousands, and Django's per-option templates took seconds to render them (benchmarks/,
    docs/performance.md). Same markup, same choices; only faster.
    """

    def __init__(self, attrs=None, choices=(), label_field: str | None = None):
        super().__init__(attrs, choices)
        # For model choices whose label is this field (`__str__` returns it): the options are read
        # as (id, label) rows instead of model instances — 2,736 units of a province: 75 → 8 ms.
        self.label_field = label_field
        # What determines the choices' query, when the FilterSet knows it (`TaskFilterSet.form`):
        # the cache key without writing the query out (a third of a millisecond per list).
        self.options_key: str | None = None

    def options(self):
        choices = self.choices
        if self.label_field and isinstance(choices, ModelChoiceIterator):
            if choices.field.empty_label is not None:
                yield "", choices.field.empty_label
            yield from choices.queryset.values_list("pk", self.label_field)
        else:
            yield from choices

    def option_parts(self) -> tuple[str, str]:
        """The escaped markup of the empty option (if any) and of the other options, none selected.

        Model choices (units, areas, pairings) are kept in the cache as one string until the next
        write of a unit, area, pairing or region (the SCOPE token of core/freshness.py:
        cooperation/apps.py, tasks/apps.py), keyed by their query — which holds the user's scope,
        so a list is only ever served to a request whose query is the same. The empty option's
        label is translated, so it stays out of the cache.
        """
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return "", _option_markup(self.options())
        empty = choices.field.empty_label
        head = _option_markup([("", empty)]) if empty is not None else ""
        queryset = choices.queryset
        if self.options_key is not None:
            key = f"options-of:{self.label_field or ''}:{self.options_key}"
        else:
            try:
                key = f"options:{self.label_field or ''}:{queryset.query}"
            except EmptyResultSet:  # a scope of no pairings: no options
                return head, ""
        if self.label_field:
            rows = queryset.values_list("pk", self.label_field)
            return head, freshness.cached(key, lambda: _option_markup(rows), name=freshness.SCOPE)

        def build() -> str:
            return _option_markup(choices.choice(obj) for obj in queryset)

        return head, freshness.cached(key, build, name=freshness.SCOPE)

    def render(self, name, value, attrs=None, renderer=None):
        values = value if isinstance(value, (list, tuple)) else [value]
        selected = {str(v) for v in values if v not in (None, "")}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        head, body = self.option_parts()
        for option in selected:
            # Every option's markup is `<option value="…">`: the chosen ones gain " selected".
            quoted = html.escape(option)
            head = head.replace(f'<option value="{quoted}">', f'<option value="{quoted}" selected>')
            body = body.replace(f'<option value="{quoted}">', f'<option value="{quoted}" selected>')
        # every value and label is escaped (_option_markup)
        return mark_safe(f"{format_html('<select{}>', flatatt(final))}{head}{body}</select>")


def _option_markup(options) -> str:
    """`<option value="…">…</option>` for each (value, label), escaped as Django's escape does
    (without a SafeString per call)."""
    quote = html.escape
    parts = []
    for option, label in options:
        option = "" if option is None else str(getattr(option, "value", option))
        parts.append(f'<option value="{quote(option)}">{quote(str(label))}</option>')
    return "".join(parts)


def period_condition(data: dict, prefix: str = "") -> Q | None:
    """A Q over TaskPeriod fields (prefixed with `prefix`) from the period filters' cleaned values."""
    today = timezone.localdate()
    q = Q()
    used = False
    if data.get("status"):
        q &= Q(**{f"{prefix}status": data["status"]})
        used = True
    if data.get("year"):
        q &= Q(**{f"{prefix}year": data["year"]})
        used = True
    open_q = open_period_q(prefix)
    if data.get("overdue") is True:
        q &= overdue_q(today, prefix)
        used = True
    elif data.get("overdue") is False:
        q &= ~overdue_q(today, prefix)
        used = True
    if data.get("due_within") is not None:
        days = int(data["due_within"])
        q &= Q(
            **{
                f"{prefix}due_date__gte": today,
                f"{prefix}due_date__lte": today + datetime.timedelta(days=days),
            }
        )
        q &= open_q
        used = True
    return q if used else None


@extend_schema_field(OpenApiTypes.INT)
class UnitFilter(django_filters.ModelChoiceFilter):
    """A unit id (its tasks as lead or co-operating unit)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Unit.objects.all(), widget=FastSelect(label_field="name"), **kwargs)


class PeriodFiltersMixin(django_filters.FilterSet):
    # The widgets write Django's markup in Python (core/widgets.py): rendering their templates was
    # a millisecond of every list request.
    status = django_filters.ChoiceFilter(
        choices=TaskPeriod.Status.choices, method="noop", label=_("状态"), widget=ListSelect
    )
    year = django_filters.NumberFilter(method="noop", label=_("年度"), widget=ListNumberInput)
    overdue = django_filters.BooleanFilter(method="noop", label=_("逾期"), widget=FilterNullBooleanSelect)
    due_within = django_filters.NumberFilter(
        method="noop", min_value=0, max_value=3660, label=_("N 天内到期"), widget=ListNumberInput
    )
    unit = UnitFilter(method="noop", label=_("责任单位"))

    def noop(self, queryset, name, value):
        # Applied together in filter_queryset, so that they meet on the same period.
        return queryset


class TaskFilterSet(SearchFilterSet, PeriodFiltersMixin):
    search_fields = ("number", "title", "body", "deadline_text", "task_units__unit__name")
    pairing = django_filters.ModelChoiceFilter(queryset=_pairings, label=_("结对"), widget=FastSelect)
    area = django_filters.ModelChoiceFilter(
        queryset=_areas, label=_("领域"), widget=FastSelect(label_field="name")
    )
    parent = django_filters.ModelChoiceFilter(queryset=_tasks, label=_("上级任务"))
    document = django_filters.ModelChoiceFilter(queryset=_documents, label=_("来源文件"))

    # The HTML list shows these; parent and document are for the API.
    page_fields = ("q", "pairing", "unit", "area", "status", "year", "overdue", "due_within")

    class Meta:
        model = Task
        fields = ["pairing", "area", "unit", "status", "year", "overdue", "due_within", "parent", "document"]

    def search(self, queryset, name, value):
        # The unit join may repeat a task; keep each once.
        return super().search(queryset, name, value).distinct()

    @property
    def form(self):
        """The form; its option lists keyed by what their query is made of.

        Each list's query is its model's whole table (`_pairings`, `_areas`, Unit) scoped to the
        user by `_scoped`, which writes the same SQL for the same ids of pairings (read once for
        the request, `cooperation.scoping.request_scope`) or none for a superuser: that is the key.
        Without those ids (a request that reads the scope live) the key is the query written out.
        """
        if not hasattr(self, "_form"):
            form = super().form
            scope = _scope_key(self.request)
            if scope is not None:
                for name in ("pairing", "unit", "area"):
                    widget = form.fields[name].widget
                    if isinstance(widget, FastSelect):
                        widget.options_key = f"{type(self).__name__}.{name}:{scope}"
        return super().form

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("unit"):
            queryset = queryset.filter(
                Exists(TaskUnit.objects.filter(task_id=OuterRef("pk"), unit=data["unit"]))
            )
        condition = period_condition(data)
        if condition is not None:
            queryset = queryset.filter(Exists(TaskPeriod.objects.filter(condition, task_id=OuterRef("pk"))))
        return queryset


class TaskPeriodFilterSet(SearchFilterSet, PeriodFiltersMixin):
    search_fields = ("task__number", "task__title", "note")
    pairing = django_filters.ModelChoiceFilter(
        queryset=_pairings, field_name="task__pairing", label=_("结对")
    )
    area = django_filters.ModelChoiceFilter(queryset=_areas, field_name="task__area", label=_("领域"))
    task = django_filters.ModelChoiceFilter(queryset=_tasks, label=_("任务"))

    class Meta:
        model = TaskPeriod
        fields = ["pairing", "area", "unit", "status", "year", "overdue", "due_within", "task"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("unit"):
            queryset = queryset.filter(
                Exists(TaskUnit.objects.filter(task_id=OuterRef("task_id"), unit=data["unit"]))
            )
        condition = period_condition(data)
        return queryset.filter(condition) if condition is not None else queryset


class ProgressReportFilterSet(SearchFilterSet):
    search_fields = ("text", "period__task__title", "return_reason")
    pairing = django_filters.ModelChoiceFilter(
        queryset=_pairings, field_name="period__task__pairing", label=_("结对")
    )
    task = django_filters.ModelChoiceFilter(queryset=_tasks, field_name="period__task", label=_("任务"))
    period = django_filters.NumberFilter(field_name="period", label=_("任务年度"))
    year = django_filters.NumberFilter(field_name="period__year", label=_("年度"))

    class Meta:
        model = ProgressReport
        fields = ["pairing", "task", "period", "unit", "status", "year"]
