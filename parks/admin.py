from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parks.models import Park, ParkInvestmentPlan, Project, ProjectInvestment


class PlanInline(admin.TabularInline):
    model = ParkInvestmentPlan
    extra = 0


@admin.register(Park)
class ParkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "pairing", "region", "core_area_km2", "counts_fully_for_both"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    list_select_related = ["pairing", "region"]
    autocomplete_fields = ["pairing", "region", "committee", "partner_committee"]
    inlines = [PlanInline]


@admin.register(ParkInvestmentPlan)
class ParkInvestmentPlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "park",
        "year",
        "kind",
        "project_count",
        "planned_total",
        "planned_completion",
        "actual_completion",
    ]
    list_filter = ["year", "kind"]
    list_select_related = ["park"]


class InvestmentInline(admin.TabularInline):
    model = ProjectInvestment
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "pairing", "park", "stage", "industry", "total_investment", "hematopoietic"]
    list_filter = ["stage", "hematopoietic"]
    search_fields = ["name", "enterprise", "industry"]
    list_select_related = ["pairing", "park"]
    autocomplete_fields = ["pairing", "park"]
    inlines = [InvestmentInline]
