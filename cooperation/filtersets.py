"""One FilterSet per model, used by the HTML lists and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Unit
from core.widgets import ListTextInput


@extend_schema_field(OpenApiTypes.INT)
class RegionFilter(django_filters.ModelChoiceFilter):
    """A region id; the filter method decides whether its subregions count."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Region.objects.all(), **kwargs)


def _scoped(queryset, request):
    """The rows of a choice filter's queryset that the request's user may see (none without one)."""
    if callable(queryset):
        queryset = queryset(request)
    if not hasattr(queryset, "visible_to"):
        return queryset
    user = getattr(request, "user", None)
    return queryset.visible_to(user) if user is not None else queryset.none()


class SearchFilterSet(django_filters.FilterSet):
    """Adds `q`: a free-text search over the fields named in `search_fields`.

    Every choice filter offers only what the user may see: the select on the page and the browsable
    API list nothing of another pairing, and an id outside the user's scope is refused with the
    same words as an id that does not exist ("?pairing=<another pairing>" reads like "?pairing=99999").
    """

    search_fields: tuple[str, ...] = ()
    # Written in Python (core/widgets.py): the same markup without a template render per request.
    q = django_filters.CharFilter(method="search", label=_("搜索"), widget=ListTextInput)

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        for choice_filter in self.filters.values():
            if getattr(choice_filter, "queryset", None) is not None:
                choice_filter.queryset = _scoped(choice_filter.queryset, request)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class RegionFilterSet(SearchFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Region
        fields = ["level", "parent", "code"]


class UnitFilterSet(SearchFilterSet):
    search_fields = ("name", "short_name")
    region = RegionFilter(method="in_region", label=_("所在地区（含下级）"))

    class Meta:
        model = Unit
        fields = ["kind", "region"]

    def in_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)


class PairingFilterSet(SearchFilterSet):
    search_fields = ("name", "coastal_region__name", "mountain_region__name", "notes")
    region = RegionFilter(method="with_region", label=_("涉及地区（含下级）"))
    year = django_filters.NumberFilter(method="running_in", label=_("年份"))

    class Meta:
        model = Pairing
        fields = ["kind", "status", "parent", "region", "year"]

    def with_region(self, queryset, name, value):
        return queryset.filter(
            Q(coastal_region__path__startswith=value.path) | Q(mountain_region__path__startswith=value.path)
        )

    def running_in(self, queryset, name, value):
        return queryset.filter(Q(start_year__lte=value) & (Q(end_year__isnull=True) | Q(end_year__gte=value)))


class PolicyDocumentFilterSet(SearchFilterSet):
    search_fields = ("doc_number", "title", "issuers")
    pairing = django_filters.ModelChoiceFilter(
        queryset=Pairing.objects.all(), field_name="pairings", label=_("结对")
    )
    issued_after = django_filters.DateFilter(field_name="issued", lookup_expr="gte", label=_("发布日期起"))
    issued_before = django_filters.DateFilter(field_name="issued", lookup_expr="lte", label=_("发布日期止"))

    class Meta:
        model = PolicyDocument
        fields = ["kind", "pairing", "issued_after", "issued_before"]


class ActivityFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "participants", "notes", "field")
    # A calendar year: 0, negative or fractional years crashed the date lookup (found by the API fuzzing).
    year = django_filters.NumberFilter(
        field_name="date__year", label=_("年份"), min_value=1, max_value=9999, decimal_places=0
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期起"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期止"))

    class Meta:
        model = Activity
        fields = ["pairing", "kind", "year", "date_after", "date_before"]
