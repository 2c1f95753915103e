"""Pages of the regional indicators: the list with sources, the region × year grid, the Excel import."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.history import history_rows
from core.importflow import ImportFlowMixin, ImportRefused, PreviewFlow, pack_file, unpack_file
from core.permissions import ScopedPageMixin
from indicators.filtersets import RegionIndicatorFilterSet
from indicators.forms import FigureRowFormSet, GridForm, ImportUploadForm, RegionYearForm
from indicators.importer import import_workbook, parse_workbook, row_display
from indicators.models import IndicatorDefinition, RegionIndicator, manageable_regions
from indicators.services import RowInput, save_region_year


def may_enter(user) -> bool:
    return manageable_regions(user).exists()


def refuse() -> PermissionDenied:
    return PermissionDenied(_("您没有权限填报指标：只有结对的联络员可以填报其两侧地区的指标。"))


class IndicatorListView(ScopedPageMixin, FilterView):
    model = RegionIndicator
    filterset_class = RegionIndicatorFilterSet
    paginate_by = 50
    template_name = "indicators/indicator_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "indicator", "source_document")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_enter"] = may_enter(self.request.user)
        return context


class IndicatorDetailView(ScopedPageMixin, DetailView):
    model = RegionIndicator
    template_name = "indicators/indicator_detail.html"
    context_object_name = "figure"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "indicator", "source_document")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figure = self.object
        context["history"] = history_rows(figure)
        context["may_enter"] = manageable_regions(self.request.user).filter(pk=figure.region_id).exists()
        return context


class IndicatorEntryView(LoginRequiredMixin, View):
    """The grid of every indicator for one region and year; saved all or nothing."""

    template_name = "indicators/indicator_entry.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_enter(request.user):
            raise refuse()
        return super().dispatch(request, *args, **kwargs)

    def _choice(self, request):
        chooser = RegionYearForm(request.GET or None, user=request.user)
        if not request.GET or not chooser.is_valid():
            return chooser, None, None
        return chooser, chooser.cleaned_data["region"], chooser.cleaned_data["year"]

    def _definitions(self):
        return list(IndicatorDefinition.objects.order_by("ordering", "name"))

    def _initial(self, region, year, definitions):
        existing = {f.indicator_id: f for f in RegionIndicator.objects.filter(region=region, year=year)}
        rows = []
        for d in definitions:
            f = existing.get(d.pk)
            rows.append(
                {
                    "indicator": d.pk,
                    "target_comparator": f.target_comparator if f else "",
                    "target_value": f.target_value.normalize() if f and f.target_value is not None else None,
                    "actual_comparator": f.actual_comparator if f else "",
                    "actual_value": f.actual_value.normalize() if f and f.actual_value is not None else None,
                    "actual_is_estimate": f.actual_is_estimate if f else False,
                    "source_text": f.source_text if f else "",
                }
            )
        return rows, existing

    def _render(self, request, chooser, region, year, grid=None, formset=None, errors=None):
        definitions = self._definitions()
        existing = {}
        if region is not None and formset is None:
            initial, existing = self._initial(region, year, definitions)
            formset = FigureRowFormSet(initial=initial, prefix="fig")
            grid = GridForm(user=request.user)
        elif region is not None:
            existing = {f.indicator_id: f for f in RegionIndicator.objects.filter(region=region, year=year)}
        lines = []
        if formset is not None:
            by_pk = {d.pk: d for d in definitions}
            for form in formset.forms:
                pk = form.initial.get("indicator") or form.data.get(f"{form.prefix}-indicator")
                definition = by_pk.get(int(pk)) if str(pk).isdigit() else None
                lines.append(
                    {
                        "form": form,
                        "definition": definition,
                        "figure": existing.get(getattr(definition, "pk", None)),
                    }
                )
        return render(
            request,
            self.template_name,
            {
                "chooser": chooser,
                "region": region,
                "year": year,
                "grid": grid,
                "formset": formset,
                "lines": lines,
                "errors": errors or [],
            },
        )

    def get(self, request):
        chooser, region, year = self._choice(request)
        return self._render(request, chooser, region, year)

    def post(self, request):
        chooser, region, year = self._choice(request)
        if region is None:
            return self._render(request, chooser, None, None)
        definitions = self._definitions()
        initial, _existing = self._initial(region, year, definitions)
        formset = FigureRowFormSet(request.POST, initial=initial, prefix="fig")
        grid = GridForm(request.POST, user=request.user)
        if not (formset.is_valid() and grid.is_valid()):
            return self._render(
                request, chooser, region, year, grid, formset, [_("请修改下面标红的内容，未做任何修改。")]
            )
        rows = []
        for form in formset.forms:
            data = form.cleaned_data
            values = {k: v for k, v in data.items() if k != "indicator"}
            rows.append(RowInput(data["indicator"], values))
        try:
            saved, deleted = save_region_year(
                request.user,
                region=region,
                year=year,
                rows=rows,
                source_document=grid.cleaned_data.get("source_document"),
            )
        except ValidationError as error:
            return self._render(request, chooser, region, year, grid, formset, error.messages)
        messages.success(
            request,
            _("已保存 %(region)s %(year)d 年的指标：%(saved)d 项，删除 %(deleted)d 项。")
            % {"region": region.name, "year": year, "saved": saved, "deleted": deleted},
        )
        return redirect(f"{reverse('indicators:indicator_list')}?region={region.pk}&year={year}")


class IndicatorImportView(ImportFlowMixin, LoginRequiredMixin, View):
    """Upload → preview (nothing written) → confirm (the same checks again, then all rows in one transaction).

    The preview's token carries the uploaded file (``core.importflow``); the confirm step reads it again.
    """

    template_name = "indicators/indicator_import.html"
    flow = PreviewFlow("indicators", command="import_indicators")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_enter(request.user):
            raise refuse()
        return super().dispatch(request, *args, **kwargs)

    def upload_context(self) -> dict:
        return {"form": ImportUploadForm()}

    def get(self, request):
        return render(request, self.template_name, self.upload_context())

    def post(self, request):
        if "confirm" in request.POST:
            return self._confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refuse_form(form)
        uploaded = form.cleaned_data["file"]
        uploaded.seek(0)
        data = uploaded.read()
        preview = parse_workbook(io.BytesIO(data), request.user)
        try:
            if not preview.ok:
                # Row errors or an unreadable file: every one listed (nothing written).
                raise ImportRefused(preview.errors)
            token = self.sign_preview({"name": uploaded.name, "file": pack_file(data)})
        except ImportRefused as refused:
            return self.refuse(refused, filename=uploaded.name)
        context = {
            **self.upload_context(),
            "preview": preview,
            "filename": uploaded.name,
            "lines": [row_display(r) for r in preview.rows],
            "preview_token": token,
        }
        return render(request, self.template_name, context)

    def _confirm(self, request):
        try:
            state = self.open_preview()
            if state is None:
                return self.no_preview()
            preview = import_workbook(io.BytesIO(unpack_file(state["file"])), request.user)
            if not preview.applied:
                raise ImportRefused(preview.errors)
        except ImportRefused as refused:
            return self.refuse(refused)
        messages.success(
            request,
            _("导入完成：新增 %(created)d 条，更新 %(updated)d 条。")
            % {"created": preview.created, "updated": preview.updated},
        )
        return redirect("indicators:indicator_list")
