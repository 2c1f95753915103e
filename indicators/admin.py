from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import IndicatorDefinition, RegionIndicator


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "nature", "growth_of", "ordering"]
    list_editable = ["ordering"]
    list_filter = ["nature"]
    search_fields = ["name", "description"]
    list_select_related = ["growth_of"]
    autocomplete_fields = ["growth_of"]


@admin.register(RegionIndicator)
class RegionIndicatorAdmin(SimpleHistoryAdmin):
    list_display = [
        "region",
        "indicator",
        "year",
        "target_comparator",
        "target_value",
        "actual_comparator",
        "actual_value",
        "source_document",
    ]
    list_filter = ["year", "indicator", "region__level"]
    search_fields = ["region__name", "region__code", "indicator__name", "source_text"]
    autocomplete_fields = ["region", "indicator", "source_document"]
    list_select_related = ["region", "indicator", "source_document"]
