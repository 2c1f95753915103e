"""Pages of parks: the parks list, a park's plans against completion, projects, the plan import."""

from __future__ import annotations

import io
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from cooperation.choices import ScopedChoicesMixin
from cooperation.models import Pairing
from core.excel import Column
from core.history import history_rows
from core.importflow import ImportFlowMixin, PreviewFlow, pack_file, unpack_file
from core.listexport import XlsxExportMixin
from core.permissions import ScopedPageMixin, can_manage
from core.roles import liaison_or_superuser
from core.uploads import validate_upload
from parks import services
from parks.filtersets import ParkFilterSet, ProjectFilterSet
from parks.forms import InvestmentForm, PlanActualForm, PlanImportForm, ProjectCreateForm, ProjectForm
from parks.importers import ImportRefused, import_plans
from parks.models import Park, ParkInvestmentPlan, Project, ProjectInvestment


def projects_by_stage(projects) -> list[tuple[str, list[Project]]]:
    """Projects grouped by stage in the stages' order (策划 → 竣工), empty stages left out."""
    groups: OrderedDict[str, list] = OrderedDict((value, []) for value, _label in Project.Stage.choices)
    for project in projects:
        groups[project.stage].append(project)
    return [(Project.Stage(stage).label, rows) for stage, rows in groups.items() if rows]


class ParkListView(XlsxExportMixin, ScopedChoicesMixin, ScopedPageMixin, FilterView):
    model = Park
    filterset_class = ParkFilterSet
    paginate_by = 50
    template_name = "parks/park_list.html"
    export_title = _lazy("园区")
    export_columns = [
        Column(_lazy("名称"), 30, wrap=True),
        Column(_lazy("简称"), 14),
        Column(_lazy("类型"), 14),
        Column(_lazy("结对"), 24, wrap=True),
        Column(_lazy("所在地"), 12),
        Column(_lazy("核心区面积（km²）"), 14, "number"),
        Column(_lazy("计划年度"), 16),
        Column(_lazy("协作项目"), 10, "int"),
    ]

    def export_row(self, p) -> list:
        years = sorted({plan.year for plan in p.plans.all()})
        return [
            p.name,
            p.short_name,
            p.get_kind_display(),
            p.pairing.name,
            p.region.name,
            p.core_area_km2,
            "、".join(str(year) for year in years),
            p.project_count,
        ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("pairing", "region", "committee")
            .prefetch_related("plans")
            .annotate(project_count=Count("projects", distinct=True))
            .order_by("pairing__name", "name")
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(may_import=liaison_or_superuser(user), **kwargs)


class ParkDetailView(ScopedPageMixin, DetailView):
    model = Park
    template_name = "parks/park_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("pairing", "region", "committee", "partner_committee", "document")
            .prefetch_related(
                "plans",
                Prefetch(
                    "projects", queryset=Project.objects.prefetch_related("investments").order_by("name")
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        park = self.object
        context.update(
            plan_years=park.plan_years(),
            stages=projects_by_stage(park.projects.all()),
            can_manage=can_manage(self.request.user, park),
            history=history_rows(park, limit=20),
        )
        return context


class ProjectListView(XlsxExportMixin, ScopedChoicesMixin, ScopedPageMixin, FilterView):
    model = Project
    export_title = _lazy("协作项目")
    export_columns = [
        Column(_lazy("项目名称"), 36, wrap=True),
        Column(_lazy("企业"), 24, wrap=True),
        Column(_lazy("结对"), 24, wrap=True),
        Column(_lazy("园区"), 24, wrap=True),
        Column(_lazy("产业"), 14),
        Column(_lazy("阶段"), 10),
        Column(_lazy("总投资（元）"), 16, "yuan"),
        Column(_lazy("累计到位资金（元）"), 16, "yuan"),
        Column(_lazy("造血式"), 8),
    ]

    def export_row(self, p) -> list:
        return [
            p.name,
            p.enterprise,
            p.pairing.name,
            p.park.name if p.park else "",
            p.industry,
            p.get_stage_display(),
            p.total_investment,
            p.invested_total,
            _("是") if p.hematopoietic else _("否"),
        ]

    def scoped_choices(self) -> dict:
        return {**super().scoped_choices(), "park": Park.objects.visible_to(self.request.user)}

    filterset_class = ProjectFilterSet
    paginate_by = 50
    template_name = "parks/project_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("pairing", "park")
            .prefetch_related(Prefetch("investments", queryset=ProjectInvestment.objects.order_by("year")))
            .order_by("pairing__name", "name")
        )


class ProjectDetailView(ScopedPageMixin, DetailView):
    model = Project
    template_name = "parks/project_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("pairing", "park").prefetch_related("investments")

    def get_context_data(self, **kwargs):
        may = can_manage(self.request.user, self.object)
        return super().get_context_data(
            history=history_rows(self.object, limit=20),
            can_manage=may,
            investment_form=InvestmentForm() if may else None,
            **kwargs,
        )


class PlanImportView(ImportFlowMixin, LoginRequiredMixin, View):
    """Upload → preview (every row checked, errors by sheet/row/column) → confirm (all or nothing).

    The preview's token carries the uploaded file (``core.importflow``); the confirm step reads it
    again with the same checks.
    """

    template_name = "parks/plan_import.html"
    flow = PreviewFlow("parks.plan", command="import_park_plan")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (liaison_or_superuser(request.user)):
            raise PermissionDenied(_("只有联络员可以导入园区投资计划。"))
        return super().dispatch(request, *args, **kwargs)

    def parks(self):
        return Park.objects.manageable_by(self.request.user)

    def upload_context(self) -> dict:
        return {"form": PlanImportForm()}

    def get(self, request):
        return render(request, self.template_name, self.upload_context())

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                validate_upload(form.cleaned_data["file"], extensions=(".xlsx",))
            except ValidationError as exc:
                form.add_error("file", exc)
        if not form.is_valid():
            return self.refuse_form(form)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = import_plans(io.BytesIO(data), parks=self.parks(), user=request.user, dry_run=True)
            if result.errors:
                raise ImportRefused(result.errors)
            token = self.sign_preview({"name": upload.name, "file": pack_file(data)})
        except ImportRefused as refused:
            return self.refuse(refused, filename=upload.name)
        context = {
            **self.upload_context(),
            "filename": upload.name,
            "result": result,
            "plan_kinds": dict(ParkInvestmentPlan.Kind.choices),
            "preview_token": token,
        }
        return render(request, self.template_name, context)

    def confirm(self, request):
        try:
            state = self.open_preview()
            if state is None:
                return self.no_preview()
            result = import_plans(
                io.BytesIO(unpack_file(state["file"])), parks=self.parks(), user=request.user
            )
            if result.errors:
                raise ImportRefused(result.errors)
        except ImportRefused as refused:
            return self.refuse(refused)
        messages.success(
            request,
            _("已导入园区投资计划：新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect("parks:park_list")


class ProjectCreateView(LoginRequiredMixin, CreateView):
    """Liaison staff add a project to one of the pairings they manage."""

    model = Project
    form_class = ProjectCreateForm
    template_name = "parks/form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not Pairing.objects.manageable_by(request.user).exists():
            raise PermissionDenied(_("只有联络员可以登记协作项目。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        user = self.request.user
        # Only pairings and parks he manages are offered (and accepted).
        form.fields["pairing"].queryset = Pairing.objects.manageable_by(user)
        form.fields["park"].queryset = Park.objects.manageable_by(user)
        return form

    def form_valid(self, form):
        messages.success(self.request, _("协作项目已登记。"))
        return super().form_valid(form)


class ProjectUpdateView(ScopedPageMixin, UpdateView):
    model = Project
    form_class = ProjectForm
    manage = True
    template_name = "parks/form.html"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["park"].queryset = Park.objects.filter(pairing_id=self.object.pairing_id)
        return form

    def form_valid(self, form):
        messages.success(self.request, _("协作项目已保存。"))
        return super().form_valid(form)


class InvestmentRecordView(ScopedPageMixin, DetailView):
    """POST: the investment in place of one year for a project (liaison staff of its pairing)."""

    model = Project
    manage = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        project = self.get_object()
        form = InvestmentForm(request.POST)
        if form.is_valid():
            try:
                services.record_investment(project, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("到位资金已登记。"))
        else:
            messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(project.get_absolute_url())


class PlanUpdateView(ScopedPageMixin, UpdateView):
    """Liaison staff enter a plan line's actual completion (or correct its figures)."""

    model = ParkInvestmentPlan
    form_class = PlanActualForm
    manage = True
    template_name = "parks/form.html"

    def get_success_url(self):
        return self.object.park.get_absolute_url() + "#plans"

    def form_valid(self, form):
        messages.success(self.request, _("投资计划已保存。"))
        return super().form_valid(form)
