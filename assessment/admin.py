"""Admin of the assessment scheme (sections and grade bands inline) and of the export jobs (read-only).

Imported by indicators/admin.py (`from . import assessment_admin  # noqa: F401`).
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessment.models import (
    AssessmentAdjustment,
    AssessmentAdjustmentEntry,
    AssessmentExport,
    AssessmentGrade,
    AssessmentScheme,
    AssessmentSection,
)


class AssessmentSectionInline(admin.TabularInline):
    model = AssessmentSection
    extra = 0
    fields = ["order", "name", "rule", "weight", "deduction"]


class AssessmentGradeInline(admin.TabularInline):
    model = AssessmentGrade
    extra = 0
    fields = ["name", "threshold"]


class AssessmentAdjustmentInline(admin.TabularInline):
    model = AssessmentAdjustment
    extra = 0
    fields = ["kind", "order", "name", "points", "cap", "criterion"]


class SuperuserOnly:
    """The assessing office's records: only superusers see or change them in the admin."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(AssessmentAdjustmentEntry)
class AssessmentAdjustmentEntryAdmin(SuperuserOnly, SimpleHistoryAdmin):
    """加分 / 扣分记录: entered by the assessing office for a side of a pairing and a year; who entered
    it is set here, every change is kept in the history (who, when, what)."""

    list_display = ["year", "pairing", "side", "item", "points", "reason", "entered_by", "entered_at"]
    list_filter = ["year", "side", "item__kind", "item__scheme"]
    search_fields = ["reason", "evidence", "pairing__name", "item__name"]
    autocomplete_fields = ["pairing"]
    readonly_fields = ["entered_by", "entered_at"]
    fields = ["year", "pairing", "side", "item", "points", "reason", "evidence", "entered_by", "entered_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "item":  # each item is shown with its scheme's name: read them together
            kwargs["queryset"] = AssessmentAdjustment.objects.select_related("scheme")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item__scheme", "pairing", "entered_by")

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_default", "year_from", "year_to", "total_weight"]
    list_filter = ["is_default"]
    search_fields = ["name", "notes"]
    inlines = [AssessmentSectionInline, AssessmentAdjustmentInline, AssessmentGradeInline]


@admin.register(AssessmentExport)
class AssessmentExportAdmin(admin.ModelAdmin):
    list_display = ["pk", "year", "requested_by", "status", "percent", "created", "finished"]
    list_filter = ["status", "year"]
    readonly_fields = [f.name for f in AssessmentExport._meta.fields] + ["pairings"]

    def has_add_permission(self, request) -> bool:
        return False
