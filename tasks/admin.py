from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import VersionConflict, save_versioned
from tasks.models import (
    Area,
    Evidence,
    EvidenceKind,
    ProgressReport,
    ReportValue,
    Target,
    TargetActual,
    Task,
    TaskPeriod,
    TaskUnit,
    YearLock,
)


class VersionedAdmin(SimpleHistoryAdmin):
    """Saving a versioned row in the admin raises its version like every other write.

    Otherwise a page or API client holding the version read before the admin's edit could save
    over it without a conflict. A save racing another one in the same instant is refused.
    """

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        try:
            save_versioned(obj)
        except VersionConflict as conflict:
            raise PermissionDenied(conflict.message) from conflict


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0
    autocomplete_fields = ["unit"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Task)
class TaskAdmin(VersionedAdmin):
    list_display = [
        "number",
        "title",
        "pairing",
        "area",
        "deadline_kind",
        "deadline_text",
        "start_year",
        "end_year",
    ]
    list_filter = ["deadline_kind", "pairing"]
    search_fields = ["number", "title", "body"]
    list_select_related = ["pairing", "area"]
    raw_id_fields = ["parent", "document"]
    inlines = [TaskUnitInline, TargetInline]


@admin.register(TaskPeriod)
class TaskPeriodAdmin(VersionedAdmin):
    list_display = ["task", "year", "due_date", "status", "completed_on"]
    list_filter = ["status", "year"]
    search_fields = ["task__title"]
    list_select_related = ["task"]
    raw_id_fields = ["task"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]


class ReportValueInline(admin.TabularInline):
    model = ReportValue
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(VersionedAdmin):
    list_display = ["period", "unit", "status", "marks_done", "submitted_at", "reviewed_by"]
    list_filter = ["status"]
    search_fields = ["text", "period__task__title"]
    raw_id_fields = ["period"]
    list_select_related = ["period__task", "unit", "reviewed_by"]
    inlines = [ReportValueInline, EvidenceInline]


for model in (Area, EvidenceKind, YearLock, Target, TargetActual):
    admin.site.register(model, SimpleHistoryAdmin)
