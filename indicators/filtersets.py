"""One FilterSet per model, used by the indicator list page and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperation.filtersets import RegionFilter, SearchFilterSet
from cooperation.models import Pairing
from core.widgets import FilterNullBooleanSelect
from indicators.models import IndicatorDefinition, RegionIndicator


@extend_schema_field(OpenApiTypes.INT)
class PairingFilter(django_filters.ModelChoiceFilter):
    """A pairing id; the figures of its two sides."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Pairing.objects.all(), **kwargs)


class IndicatorDefinitionFilterSet(SearchFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = IndicatorDefinition
        fields = ["nature"]


class RegionIndicatorFilterSet(SearchFilterSet):
    search_fields = ("region__name", "region__code", "indicator__name", "source_text")
    region = RegionFilter(method="in_region", label=_("地区（含下级）"))
    region_code = django_filters.CharFilter(field_name="region__code", label=_("行政区划代码"))
    indicator = django_filters.ModelChoiceFilter(queryset=IndicatorDefinition.objects.all(), label=_("指标"))
    nature = django_filters.ChoiceFilter(
        field_name="indicator__nature", choices=IndicatorDefinition.Nature.choices, label=_("性质")
    )
    year = django_filters.NumberFilter(label=_("年份"))
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("起始年份"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("截止年份"))
    # Another pairing's id narrows nothing open: the list has already gone through visible_to.
    pairing = PairingFilter(method="of_pairing", label=_("结对（两侧地区）"))
    has_target = django_filters.BooleanFilter(
        field_name="target_value",
        lookup_expr="isnull",
        exclude=True,
        label=_("有预期目标"),
        widget=FilterNullBooleanSelect,
    )
    has_actual = django_filters.BooleanFilter(
        field_name="actual_value",
        lookup_expr="isnull",
        exclude=True,
        label=_("有实际值"),
        widget=FilterNullBooleanSelect,
    )

    class Meta:
        model = RegionIndicator
        fields = [
            "region",
            "region_code",
            "indicator",
            "nature",
            "year",
            "year_from",
            "year_to",
            "pairing",
            "source_document",
        ]

    def in_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)

    def of_pairing(self, queryset, name, value):
        return queryset.filter(Q(region_id=value.coastal_region_id) | Q(region_id=value.mountain_region_id))
