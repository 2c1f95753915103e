"""One FilterSet per model of funds, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.filtersets import SearchFilterSet
from cooperation.models import Pairing
from core.widgets import ListSelect
from funds.models import ArrivalConfirmation, Disbursement, FundCommitment, FundUseProject


class FundCommitmentFilterSet(SearchFilterSet):
    search_fields = ("purpose", "pairing__name", "payer_region__name", "receiver_region__name", "due_text")
    # The funds page lists the user's pairings in this select (ListSelect: written without a
    # template per option).
    pairing = django_filters.ModelChoiceFilter(
        queryset=Pairing.objects.all(), label=_("结对"), widget=ListSelect
    )
    year = django_filters.NumberFilter(label=_("年度"))
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label=_("起始年度"))
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("截止年度"))
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("到位时限不晚于"))

    class Meta:
        model = FundCommitment
        fields = ["pairing", "year", "year_from", "year_to", "due_before"]


class DisbursementFilterSet(SearchFilterSet):
    search_fields = ("voucher_no", "note", "commitment__purpose")
    pairing = django_filters.ModelChoiceFilter(
        queryset=Pairing.objects.all(), field_name="commitment__pairing", label=_("结对")
    )
    year = django_filters.NumberFilter(field_name="commitment__year", label=_("年度"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期起"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期止"))

    class Meta:
        model = Disbursement
        fields = ["commitment", "kind", "pairing", "year", "date_after", "date_before"]


class ArrivalConfirmationFilterSet(SearchFilterSet):
    search_fields = ("note",)
    pairing = django_filters.ModelChoiceFilter(
        queryset=Pairing.objects.all(), field_name="commitment__pairing", label=_("结对")
    )
    year = django_filters.NumberFilter(field_name="commitment__year", label=_("年度"))

    class Meta:
        model = ArrivalConfirmation
        fields = ["commitment", "pairing", "year"]


class FundUseProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "notes", "unit__name")
    pairing = django_filters.ModelChoiceFilter(
        queryset=Pairing.objects.all(), field_name="commitment__pairing", label=_("结对")
    )
    year = django_filters.NumberFilter(field_name="commitment__year", label=_("年度"))

    class Meta:
        model = FundUseProject
        fields = ["commitment", "pairing", "year", "kind", "status"]
