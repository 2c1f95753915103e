"""One FilterSet per model of parks, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.filtersets import RegionFilter, SearchFilterSet
from cooperation.models import Pairing
from parks.models import Park, ParkInvestmentPlan, Project, ProjectInvestment


class ParkFilterSet(SearchFilterSet):
    search_fields = ("name", "short_name", "company_name", "pairing__name", "region__name")
    pairing = django_filters.ModelChoiceFilter(queryset=Pairing.objects.all(), label=_("结对"))
    region = RegionFilter(method="in_region", label=_("所在地（含下级）"))

    class Meta:
        model = Park
        fields = ["kind", "pairing", "region", "counts_fully_for_both"]

    def in_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)


class ParkInvestmentPlanFilterSet(SearchFilterSet):
    search_fields = ("park__name", "park__short_name", "source")
    pairing = django_filters.ModelChoiceFilter(
        queryset=Pairing.objects.all(), field_name="park__pairing", label=_("结对")
    )
    park = django_filters.ModelChoiceFilter(queryset=Park.objects.all(), label=_("园区"))

    class Meta:
        model = ParkInvestmentPlan
        fields = ["park", "pairing", "year", "kind"]


class ProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "enterprise", "industry", "notes")
    pairing = django_filters.ModelChoiceFilter(queryset=Pairing.objects.all(), label=_("结对"))
    park = django_filters.ModelChoiceFilter(queryset=Park.objects.all(), label=_("园区"))
    industry = django_filters.CharFilter(lookup_expr="icontains", label=_("产业"))

    class Meta:
        model = Project
        fields = ["pairing", "park", "stage", "industry", "hematopoietic"]


class ProjectInvestmentFilterSet(SearchFilterSet):
    class Meta:
        model = ProjectInvestment
        fields = ["project", "year"]
