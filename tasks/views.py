"""Pages of tasks: my tasks, the task list, a pairing's plan tree, the task page and its actions.

Actions (status, report save/submit/approve/return, year lock) post to small views that call
tasks/services.py. With `Accept: application/json` (the page's fetch) they answer JSON and the
page refreshes its sections in place; without JavaScript they redirect back with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from cooperation.models import Pairing
from cooperation.scoping import is_liaison_of
from core import freshness
from core.concurrency import VersionConflict, VersionedFormViewMixin
from core.excel import Column
from core.history import history_rows
from core.links import pk_url
from core.listexport import EXPORT_LIMIT, XlsxExportMixin
from core.panels import task_panels
from core.permissions import ScopedPageMixin
from core.roles import is_liaison, is_reporter, liaison_or_superuser
from core.states import SOON_DAYS
from core.uploads import protected_download
from tasks import fulfilment, services
from tasks.filtersets import TaskFilterSet, period_condition
from tasks.forms import ReportForm, TaskForm
from tasks.models import (
    Evidence,
    ProgressReport,
    ReportValue,
    TargetActual,
    Task,
    TaskPeriod,
    TaskUnit,
    YearLock,
)
from tasks.rows import attach_rows

TASK_LIST_PREFETCH = (
    Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit")),
    Prefetch("periods", queryset=TaskPeriod.objects.order_by("year")),
)
# The task list's columns of a task (its page and its .xlsx): every column is a model attribute set
# and an expression hashed while the query is compiled, and the rows read a fifth of them.
TASK_ROWS_FIELDS = (
    "pairing_id",
    "parent_id",
    "area_id",
    "number",
    "title",
    "deadline_kind",
    "deadline_month",
    "deadline_day",
    "deadline_date",
    "deadline_text",
    "pairing__name",
    "area__name",
    "parent__number",
    "parent__title",
)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    if isinstance(exc, VersionConflict):
        return exc.message
    return str(exc.args[0]) if exc.args else _("操作未完成。")


def _respond(request, ok: bool, message: str, back: str, status: int = 200):
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message}, status=status)
    (messages.success if ok else messages.error)(request, message)
    return HttpResponseRedirect(back)


def _run(request, back: str, success: str, fn):
    """Run a service call; map refusals, bad input and conflicts to 403 / 400 / 409 with the message."""
    try:
        with transaction.atomic():
            fn()
    except PermissionDenied as exc:
        if not _wants_json(request):
            raise
        return _respond(request, False, _message(exc), back, 403)
    except ValidationError as exc:
        return _respond(request, False, _message(exc), back, 400)
    except VersionConflict as exc:
        return _respond(request, False, exc.message, back, 409)
    return _respond(request, True, success, back)


def current_period(task: Task, year: int, periods: list[TaskPeriod] | None = None):
    """The task's period of `year`, else its last one (`periods`: the task's, by year, if read)."""
    periods = list(task.periods.all()) if periods is None else periods
    for p in periods:
        if p.year == year:
            return p
    return periods[-1] if periods else None


class FreshCountPaginator(Paginator):
    """A paginator whose total (共 N 条) is kept in the cache under the figures' version token.

    Counting the tasks of a province's hundred pairings walked 50,000 index entries on every page
    (2 ms; 50 ms filtered by 逾期, an EXISTS per task). Every model the count can read — tasks,
    their periods and units, units, areas, pairings — changes the token when written
    (dashboards/figures.py FIGURE_SOURCES, core/freshness.py), and the key is the query, which
    holds the user's scope, the filters and today's date: the number is the one COUNT would give.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        try:
            # The rows counted: the joins for display and the order count nothing (and take four
            # times as long to write out).
            key = f"task-list-count:{queryset.select_related(None).order_by().query}"
        except EmptyResultSet:  # no rows can match (an invalid filter): nothing to count
            return queryset.count()
        return freshness.cached(key, queryset.count)


class TaskListView(XlsxExportMixin, ScopedPageMixin, FilterView):
    """All tasks of the user's pairings, filtered with the API's FilterSet, 30 a page (and as .xlsx)."""

    model = Task
    filterset_class = TaskFilterSet
    paginate_by = 30
    template_name = "tasks/task_list.html"
    export_title = _lazy("任务清单")
    export_columns = [
        Column(_lazy("结对"), 24, wrap=True),
        Column(_lazy("序号"), 10),
        Column(_lazy("任务"), 40, wrap=True),
        Column(_lazy("领域"), 12),
        Column(_lazy("牵头单位"), 24, wrap=True),
        Column(_lazy("配合单位"), 24, wrap=True),
        Column(_lazy("完成时限"), 20, wrap=True),
        Column(_lazy("本年度状态"), 16),
        Column(_lazy("截止日期"), 12, "date"),
        Column(_lazy("完成日期"), 12, "date"),
    ]

    def export_queryset(self):
        data = self.filterset.form.cleaned_data if self.filterset.is_bound else {}
        self.export_year = int(data.get("year") or timezone.localdate().year)
        self.export_columns = [
            *self.export_columns[:7],
            Column(_("%(year)d 年度状态") % {"year": self.export_year}, 16),
            *self.export_columns[8:],
        ]
        # Its periods and units as plain rows, as the page reads them (`tasks.rows`): two queries.
        tasks = list(self.object_list[:EXPORT_LIMIT])
        attach_rows(tasks)
        return tasks

    def export_row(self, task) -> list:
        period = current_period(task, self.export_year, task.period_list)
        units = task.unit_list
        return [
            task.pairing.name,
            task.number,
            task.title,
            task.area.name if task.area else "",
            "、".join(u.unit.name for u in units if u.role == TaskUnit.Role.LEAD),
            "、".join(u.unit.name for u in units if u.role != TaskUnit.Role.LEAD),
            task.deadline_display,
            period.standing().label if period else "",
            period.due_date if period else None,
            period.completed_on if period else None,
        ]

    def get_paginator(self, queryset, per_page, **kwargs):
        data = self.filterset.form.cleaned_data if self.filterset.is_bound else {}
        # A deleted policy document leaves its tasks with a cleared link and no signal (SET_NULL):
        # counted live when filtered by one.
        if data.get("document"):
            return super().get_paginator(queryset, per_page, **kwargs)
        return FreshCountPaginator(queryset, per_page, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("pairing", "area", "parent")
            .only(*TASK_ROWS_FIELDS)
            .order_by("pairing_id", "position", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.filterset.form.cleaned_data if self.filterset.is_bound else {}
        chosen = data.get("year")
        year = int(chosen or timezone.localdate().year)
        context["year"] = year
        page = list(context["page_obj"])
        # The page's periods and units as plain rows (`task.period_list`, `task.unit_list`): two
        # queries, as their prefetches were, without a model instance per period and unit.
        attach_rows(page)
        # Filtered by a period's state without a year ("逾期"): each row shows the period that
        # matched — the overdue year's, not this year's (one query for the page).
        matched: dict[int, int] = {}
        condition = period_condition(data) if data and not chosen else None
        if condition is not None:
            for task_id, period_id in (
                TaskPeriod.objects.filter(condition, task_id__in=[t.pk for t in page])
                .order_by("task_id", "-year")
                .values_list("task_id", "pk")
            ):
                matched.setdefault(task_id, period_id)
        context["matched_periods"] = condition is not None
        # Each row's link from one reversed URL (a reverse() per row was a tenth of the rows' time).
        task_url = pk_url("tasks:task_detail")
        for task in page:
            task.url = task_url(task.pk)
            if task.pk in matched:
                task.shown_period = next(p for p in task.period_list if p.pk == matched[task.pk])
            else:
                task.shown_period = current_period(task, year, task.period_list)
        return context


def continuing_work(user, periods) -> list[TaskPeriod]:
    """This year's open periods without a due date of the user's unit (持续推进), each with its latest
    report shown to the user and the reporting round open for it, if any (a constant number of queries).

    Most tasks of a plan are continuing work ("常态化开展"): without this list a unit whose tasks have
    no deadline would see nothing to do.
    """
    if not user.unit_id:
        return []
    year = timezone.localdate().year
    rows = list(
        periods.filter(year=year, due_date__isnull=True, task__task_units__unit_id=user.unit_id)
        .open()
        .select_related("task__pairing")
        .prefetch_related(
            "reports",
            "task__reporting_rounds",
            "task__pairing__reporting_rounds__tasks",
        )
        .order_by("task__pairing_id", "task__position", "task_id")
        .distinct()[:100]
    )
    today = timezone.localdate()
    for period in rows:
        shown = [
            r
            for r in period.reports.all()
            if r.status in (ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED)
            or r.unit_id == user.unit_id
        ]
        period.latest_report = max(shown, key=lambda r: (r.created, r.pk), default=None)
        task_rounds = {r.pk for r in period.task.reporting_rounds.all()}
        period.open_round = next(
            (
                r
                for r in sorted(period.task.pairing.reporting_rounds.all(), key=lambda r: r.due_date)
                if r.closed_on is None
                and r.year == year
                and r.opened_on <= today
                and (r.pk in task_rounds or not r.tasks.all())
            ),
            None,
        )
    return rows


# The columns 我的任务's lists show (tasks/templatetags/my_tasks.py renders them): rows as dicts,
# not instances, since each list holds up to 100 rows of three to five models.
PERIOD_ROW_FIELDS = (
    "pk",
    "task_id",
    "year",
    "due_date",
    "status",
    "completed_on",
    "task__number",
    "task__title",
    "task__pairing__name",
)
REPORT_ROW_FIELDS = ("pk", "period__task_id", "period__year", "period__task__number", "period__task__title")


class MyTasksView(LoginRequiredMixin, TemplateView):
    """我的任务: what the user's unit must do — due in 30 days, overdue, returned reports."""

    template_name = "tasks/my_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        periods = TaskPeriod.objects.visible_to(user).unlocked().select_related("task__pairing")
        if is_reporter(user) or not user.is_superuser and not is_liaison(user):
            periods = periods.filter(task__task_units__unit_id=user.unit_id).distinct()
        rows = periods.values(*PERIOD_ROW_FIELDS)
        context["due_soon"] = list(rows.due_within(SOON_DAYS).order_by("due_date")[:100])
        context["overdue"] = list(rows.overdue().order_by("due_date")[:100])
        context["continuing"] = continuing_work(user, periods)
        reports = ProgressReport.objects.manageable_by(user)
        # Only the returned reports name their reviewer (drafts have none to show).
        context["returned"] = list(
            reports.filter(status=ProgressReport.Status.RETURNED).values(
                *REPORT_ROW_FIELDS,
                "return_reason",
                "reviewed_by_id",
                "reviewed_by__full_name",
                "reviewed_by__username",
            )[:100]
        )
        context["drafts"] = list(
            reports.filter(status=ProgressReport.Status.DRAFT).values(*REPORT_ROW_FIELDS, "unit__name")[:100]
        )
        if liaison_or_superuser(user):
            context["to_review"] = list(
                ProgressReport.objects.manageable_by(user)
                .filter(status=ProgressReport.Status.SUBMITTED)
                .values(*REPORT_ROW_FIELDS, "unit__name", "created_by_id", "submitted_at")[:100]
            )
        return context


class PlanTreeView(ScopedPageMixin, DetailView):
    """A pairing's plan as a tree, with each task's status in the chosen year, and the year locks."""

    model = Pairing
    template_name = "tasks/plan_tree.html"
    context_object_name = "pairing"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairing = self.object
        try:
            year = int(self.request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        tasks = list(
            Task.objects.filter(pairing=pairing)
            .select_related("area")
            .prefetch_related(*TASK_LIST_PREFETCH)
            .order_by("position", "pk")
        )
        children: dict = {}
        for task in tasks:
            task.shown_period = current_period(task, year)
            children.setdefault(task.parent_id, []).append(task)
        rows = []

        def walk(parent_id, depth):
            for task in children.get(parent_id, []):
                rows.append((task, depth))
                walk(task.pk, depth + 1)

        walk(None, 0)
        context.update(
            rows=rows,
            year=year,
            years=list(pairing.active_years(until=timezone.localdate().year)),
            locks={lock.year: lock for lock in YearLock.objects.filter(pairing=pairing)},
            is_liaison=is_liaison_of(self.request.user, pairing.pk),
        )
        return context


class TaskDetailView(ScopedPageMixin, DetailView):
    """The task page: place in the tree, units, deadline, targets, periods, reports, evidence, history."""

    model = Task
    template_name = "tasks/task_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("pairing", "document", "parent", "area")
            .prefetch_related(
                Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit")),
                "required_evidence",
                "targets",
                Prefetch("children", queryset=Task.objects.order_by("position")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task, user = self.object, self.request.user
        periods = list(
            task.periods.order_by("year").prefetch_related(
                Prefetch("actuals", queryset=TargetActual.objects.select_related("target")),
                Prefetch(
                    "reports",
                    queryset=ProgressReport.objects.select_related(
                        "unit", "created_by", "reviewed_by"
                    ).prefetch_related(
                        Prefetch("values", queryset=ReportValue.objects.select_related("target")),
                        Prefetch("evidence", queryset=Evidence.objects.select_related("kind")),
                    ),
                ),
            )
        )
        targets = list(task.targets.all())
        required = list(task.required_evidence.all())
        locked = set(
            YearLock.objects.filter(pairing_id=task.pairing_id, locked=True).values_list("year", flat=True)
        )
        reportable = set(
            TaskPeriod.objects.manageable_by(user).filter(task=task).values_list("pk", flat=True)
        )
        manageable_reports = set(
            ProgressReport.objects.manageable_by(user).filter(period__task=task).values_list("pk", flat=True)
        )
        is_liaison = is_liaison_of(user, task.pairing_id)
        # Sections of other apps (the 催办 / 督办 of these periods: reminders/panels.py).
        context["task_panels"] = task_panels(self.request, task, periods)
        # The page opens on the period of this year (or the nearest one); the others are one line each.
        this_year = timezone.localdate().year
        current = min(periods, key=lambda p: (abs(p.year - this_year), -p.year), default=None)
        context["current_period_id"] = current.pk if current else None
        for period in periods:
            period.standing_label = period.standing().label
            actuals = {a.target_id: a.value for a in period.actuals.all()}
            period.locked = period.year in locked
            period.can_report = period.pk in reportable and not period.locked
            # A ledger-kept period says where its truth lives instead of offering a status control.
            period.ledger_url = fulfilment.ledger_url(task, period.year) if task.is_ledger_kept else ""
            period.target_rows = [
                {
                    "target": t,
                    "actual": actuals.get(t.pk),
                    "met": t.is_met(actuals.get(t.pk)),
                    "rate": t.completion_rate(actuals.get(t.pk)),
                }
                for t in targets
                if t.applies_to(period.year)
            ]
            # A draft is its unit's own until submitted (ReportQuerySet.visible_to).
            period.report_list = [
                r
                for r in period.reports.all()
                if r.status != ProgressReport.Status.DRAFT or user.is_superuser or r.unit_id == user.unit_id
            ]
            for report in period.report_list:
                report.can_edit = report.pk in manageable_reports and report.is_editable and not period.locked
                report.can_review = (
                    is_liaison
                    and report.status == "submitted"
                    and not period.locked
                    and report.created_by_id != user.pk
                )
                if report.can_edit:
                    # A returned report is corrected and submitted again on the same report.
                    report.edit_form = ReportForm(period=period, report=report, prefix=f"r{report.pk}")
                present = {e.kind_id for e in report.evidence.all()}
                report.missing = (
                    report.missing_evidence(required=required, present=present) if report.marks_done else []
                )
            if period.can_report:
                period.form = ReportForm(period=period, prefix=f"p{period.pk}")
        context.update(
            periods=periods,
            targets=targets,
            required=required,
            is_liaison=is_liaison,
            statuses=TaskPeriod.Status.choices,
            reporter_statuses=[TaskPeriod.Status.NOT_STARTED, TaskPeriod.Status.IN_PROGRESS],
            ancestors=task.ancestors(),
            history=_task_history(task, periods, targets),
        )
        return context


def _task_history(task, periods, targets, limit: int = 80):
    """History of the task, its periods, targets and reports, newest first, each labelled."""
    labelled = [(None, row) for row in history_rows(task, limit=20)]
    for period in periods:
        labelled += [
            (_("%(year)s年度") % {"year": period.year}, row) for row in history_rows(period, limit=20)
        ]
        for report in period.report_list:
            labelled += [
                (_("%(year)s年进展报告（%(unit)s）") % {"year": period.year, "unit": report.unit.name}, row)
                for row in history_rows(report, limit=20)
            ]
    for target in targets:
        labelled += [
            (_("指标：%(name)s") % {"name": target.name}, row) for row in history_rows(target, limit=5)
        ]
    labelled.sort(key=lambda pair: pair[1].when, reverse=True)
    rows = []
    for label, row in labelled[:limit]:
        if label:
            row.reason = f"{label} {row.reason}".strip()
        rows.append(row)
    return rows


class TaskFormViewMixin(VersionedFormViewMixin):
    form_class = TaskForm
    template_name = "cooperation/form.html"

    def form_valid(self, form):
        task = form.instance

        def persist(derived: dict) -> Task:
            for key, value in derived.items():
                setattr(task, key, value)
            task.full_clean(exclude=["pairing"])
            return form.save()

        try:
            services.save_task(
                persist,
                changed=form.changed_data,
                deadline_text=form.cleaned_data["deadline_text"],
                user=self.request.user,
                lead=form.cleaned_data["lead_units"],
                cooperating=form.cleaned_data["cooperating_units"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        except VersionConflict:
            return self.form_invalid(form)
        messages.success(self.request, _("任务已保存。"))
        return HttpResponseRedirect(task.get_absolute_url())


class TaskCreateView(LoginRequiredMixin, TaskFormViewMixin, TemplateView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.pairing = get_object_or_404(Pairing.objects.visible_to(request.user), pk=kwargs["pairing_pk"])
        if not is_liaison_of(request.user, self.pairing.pk):
            raise PermissionDenied(_("只有本结对的联络员可以新建或修改任务。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        initial = {"start_year": self.pairing.start_year, "end_year": self.pairing.end_year}
        if request.GET.get("parent"):
            initial["parent"] = request.GET["parent"]
        form = TaskForm(pairing=self.pairing, initial=initial)
        return render(request, self.template_name, {"form": form, "pairing": self.pairing})

    def post(self, request, *args, **kwargs):
        form = TaskForm(request.POST, pairing=self.pairing, instance=Task(pairing=self.pairing))
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_invalid(self, form):
        return render(self.request, self.template_name, {"form": form, "pairing": self.pairing})


class TaskUpdateView(TaskCreateView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.task = get_object_or_404(Task.objects.visible_to(request.user), pk=kwargs["pk"])
        kwargs["pairing_pk"] = self.task.pairing_id
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = TaskForm(instance=self.task)
        return render(
            request, self.template_name, {"form": form, "pairing": self.pairing, "object": self.task}
        )

    def post(self, request, *args, **kwargs):
        form = TaskForm(request.POST, instance=self.task)
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_invalid(self, form):
        return render(
            self.request, self.template_name, {"form": form, "pairing": self.pairing, "object": self.task}
        )


# --- Actions ---------------------------------------------------------------------------------


def _period(request, pk) -> TaskPeriod:
    return get_object_or_404(TaskPeriod.objects.visible_to(request.user).select_related("task"), pk=pk)


def _report(request, pk) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.visible_to(request.user).select_related("period__task"), pk=pk
    )


def _version(request):
    try:
        return int(request.POST["version"]) if request.POST.get("version") else None
    except ValueError:
        return None


@login_required
@require_POST
def period_status(request, pk):
    period = _period(request, pk)
    back = period.get_absolute_url()
    return _run(
        request,
        back,
        _("%(year)s 年度状态已更新。") % {"year": period.year},
        lambda: services.update_period(
            period,
            request.user,
            expected_version=_version(request),
            status=request.POST.get("status") or None,
            note=request.POST.get("note") if "note" in request.POST else None,
        ),
    )


@login_required
@require_POST
def report_save(request, period_pk, pk=None):
    """Create (or edit) a report from the page's form, attach the evidence file, optionally submit."""
    period = _period(request, period_pk)
    report = _report(request, pk) if pk else None
    if report is not None and report.period_id != period.pk:
        raise PermissionDenied
    prefix = request.POST.get("prefix") or None
    form = ReportForm(request.POST, request.FILES, period=period, report=report, prefix=prefix)
    back = period.get_absolute_url()
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[f].label if f in form.fields else ''}：{' '.join(e)}"
            for f, e in form.errors.items()
        )
        return _respond(request, False, errors, back, 400)
    submit = request.POST.get("action") == "submit"
    data = form.cleaned_data

    def work():
        saved = services.save_report(
            period,
            request.user,
            report=report,
            text=data["text"],
            marks_done=data["marks_done"],
            completed_on=data["completed_on"],
            values=form.values(),
            expected_version=data.get("version"),
        )
        if data.get("evidence"):
            services.add_evidence(saved, data["evidence"], request.user, kind=data.get("evidence_kind"))
        if submit:
            services.submit_report(saved, request.user)

    return _run(request, back, _("报告已提交，等待联络员审核。") if submit else _("报告已保存为草稿。"), work)


@login_required
@require_POST
def report_action(request, pk, action):
    report = _report(request, pk)
    back = report.get_absolute_url()
    version = _version(request)
    if action == "submit":
        return _run(
            request,
            back,
            _("报告已提交，等待联络员审核。"),
            lambda: services.submit_report(report, request.user, expected_version=version),
        )
    if action == "approve":
        return _run(
            request,
            back,
            _("报告已审核通过。"),
            lambda: services.approve_report(report, request.user, expected_version=version),
        )
    if action == "return":
        return _run(
            request,
            back,
            _("报告已退回。"),
            lambda: services.return_report(
                report, request.user, reason=request.POST.get("reason", ""), expected_version=version
            ),
        )
    if action == "evidence":
        upload = request.FILES.get("evidence")
        if upload is None:
            return _respond(request, False, _("请选择要上传的文件。"), back, 400)
        kind = report.period.task.pairing.evidence_kinds.filter(
            pk=request.POST.get("evidence_kind") or 0
        ).first()
        return _run(
            request,
            back,
            _("佐证材料已上传。"),
            lambda: services.add_evidence(report, upload, request.user, kind=kind),
        )
    if action == "delete":
        return _run(
            request,
            report.period.get_absolute_url(),
            _("报告已删除。"),
            lambda: services.delete_report(report, request.user),
        )
    raise PermissionDenied


@login_required
@require_POST
def year_lock(request, pk):
    pairing = get_object_or_404(Pairing.objects.visible_to(request.user), pk=pk)
    back = reverse("tasks:plan_tree", args=[pairing.pk])
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return _respond(request, False, _("请选择年度。"), back, 400)
    if request.POST.get("unlock"):
        return _run(
            request,
            back,
            _("%(year)s 年度已解锁。") % {"year": year},
            lambda: services.unlock_year(pairing, year, request.user, reason=request.POST.get("reason", "")),
        )
    return _run(
        request,
        back,
        _("%(year)s 年度已锁定。") % {"year": year},
        lambda: services.lock_year(pairing, year, request.user, reason=request.POST.get("reason", "")),
    )


@login_required
def evidence_download(request, pk):
    """Serve an evidence file under its original name, to people who may see its task only."""
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    return protected_download(evidence.file, evidence.original_name)


@login_required
@require_POST
def report_bulk_review(request):
    """Approve or return several submitted reports at once (liaison staff): all or nothing.

    Each report goes through the same service as one by one — its own history row, its own
    notification, the four-eyes rule — inside one transaction: a refusal on any report (another
    pairing's, not submitted any more, his own) changes none of them and names the report.
    """
    back = reverse("tasks:my_tasks") + "#to-review"
    action = request.POST.get("bulk_action")
    ids = []
    for raw in request.POST.getlist("report"):
        try:
            ids.append(int(raw))
        except ValueError:
            return _respond(request, False, _("所选报告无效。"), back, 400)
    if action not in ("approve", "return") or not ids:
        return _respond(request, False, _("请选择报告，并选择“批量通过”或“批量退回”。"), back, 400)
    reason = request.POST.get("reason", "")
    reports = list(
        ProgressReport.objects.visible_to(request.user).filter(pk__in=ids).select_related("period__task")
    )
    if len(reports) != len(set(ids)):
        missing = _("所选报告中有不存在或无权查看的报告，未做任何修改。")
        if _wants_json(request):
            return _respond(request, False, missing, back, 404)
        raise Http404(missing)

    def work():
        for report in reports:
            try:
                if action == "approve":
                    services.approve_report(report, request.user)
                else:
                    services.return_report(report, request.user, reason=reason)
            except (PermissionDenied, ValidationError) as exc:
                named = _("“%(task)s”（%(year)s年，%(unit)s）：%(why)s；未做任何修改。") % {
                    "task": report.period.task.title,
                    "year": report.period.year,
                    "unit": report.unit.name,
                    "why": _message(exc),
                }
                raise type(exc)(named) from exc

    done = _("已批量通过 %(n)d 份报告。") if action == "approve" else _("已批量退回 %(n)d 份报告。")
    return _run(request, back, done % {"n": len(reports)}, work)
