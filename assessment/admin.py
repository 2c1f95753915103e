"""Admin of the assessment scheme (sections and grade bands inline) and of the export jobs (read-only).

Imported by indicators/admin.py (`from . import assessment_admin  # noqa: F401`).
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessment.models import AssessmentExport, AssessmentGrade, AssessmentScheme, AssessmentSection


class AssessmentSectionInline(admin.TabularInline):
    model = AssessmentSection
    extra = 0
    fields = ["order", "name", "rule", "weight", "deduction"]


class AssessmentGradeInline(admin.TabularInline):
    model = AssessmentGrade
    extra = 0
    fields = ["name", "threshold"]


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_default", "year_from", "year_to", "total_weight"]
    list_filter = ["is_default"]
    search_fields = ["name", "notes"]
    inlines = [AssessmentSectionInline, AssessmentGradeInline]


@admin.register(AssessmentExport)
class AssessmentExportAdmin(admin.ModelAdmin):
    list_display = ["pk", "year", "requested_by", "status", "percent", "created", "finished"]
    list_filter = ["status", "year"]
    readonly_fields = [f.name for f in AssessmentExport._meta.fields] + ["pairings"]

    def has_add_permission(self, request) -> bool:
        return False
