"""API representations of parks, plans and projects: ids travel with readable names."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.scoping import document_problem
from parks.models import Park, ParkInvestmentPlan, Project, ProjectInvestment


class ParkSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    pairing_name = serializers.CharField(source="pairing.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    # allow_null, not default=None: DRF leaves a field answered by its default out of PATCH
    # responses, and the schema must say the name can be null (both found by the API fuzzing).
    committee_name = serializers.CharField(source="committee.name", read_only=True, allow_null=True)
    partner_committee_name = serializers.CharField(
        source="partner_committee.name", read_only=True, allow_null=True
    )

    class Meta:
        model = Park
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "pairing",
            "pairing_name",
            "region",
            "region_name",
            "core_area_km2",
            "committee",
            "committee_name",
            "partner_committee",
            "partner_committee_name",
            "company_name",
            "company_capital",
            "coastal_indicator_share",
            "coastal_tax_share",
            "share_agreement",
            "counts_fully_for_both",
            "established",
            "document",
            "notes",
        ]

    def validate(self, attrs):
        pairing = attrs.get("pairing", getattr(self.instance, "pairing", None))
        problem = document_problem(attrs.get("document", getattr(self.instance, "document", None)), pairing)
        if problem:
            raise serializers.ValidationError({"document": problem})
        return attrs


class ParkInvestmentPlanSerializer(serializers.ModelSerializer):
    park_name = serializers.CharField(source="park.name", read_only=True)
    pairing = serializers.IntegerField(source="park.pairing_id", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    completion_rate = serializers.DecimalField(
        max_digits=8, decimal_places=4, read_only=True, allow_null=True
    )

    class Meta:
        model = ParkInvestmentPlan
        fields = [
            "id",
            "park",
            "park_name",
            "pairing",
            "year",
            "kind",
            "kind_display",
            "project_count",
            "planned_total",
            "planned_completion",
            "actual_completion",
            "completion_rate",
            "source",
        ]


class ProjectInvestmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectInvestment
        fields = ["id", "year", "amount", "notes"]


class ProjectSerializer(serializers.ModelSerializer):
    pairing_name = serializers.CharField(source="pairing.name", read_only=True)
    park_name = serializers.CharField(source="park.name", read_only=True, allow_null=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    investments = ProjectInvestmentSerializer(many=True, read_only=True)
    invested_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "pairing",
            "pairing_name",
            "park",
            "park_name",
            "industry",
            "enterprise",
            "stage",
            "stage_display",
            "planned_on",
            "signed_on",
            "started_on",
            "producing_on",
            "completed_on",
            "total_investment",
            "invested_total",
            "investments",
            "hematopoietic",
            "notes",
        ]

    def validate(self, attrs):
        # The model's rules (stage dates in order, park of the same pairing) with the API's fields.
        instance = Project(**{**self._current(), **attrs})
        try:
            instance.clean()
        except Exception as exc:  # django ValidationError → DRF's
            if hasattr(exc, "message_dict"):
                raise serializers.ValidationError(exc.message_dict) from None
            raise
        total = attrs.get("total_investment")
        if total is not None and total < Decimal("0"):
            raise serializers.ValidationError({"total_investment": _("金额不能为负数。")})
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        names = [f.name for f in Project._meta.concrete_fields if f.name != "id"]
        return {name: getattr(self.instance, name) for name in names}
