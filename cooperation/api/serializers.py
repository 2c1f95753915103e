"""API representations: every id travels with a readable name, so a list reads on its own."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Unit, User


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    # allow_null, not default=None: DRF leaves a field answered by its default out of PATCH
    # responses, and the schema must say the name can be null (both found by the API fuzzing).
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "name", "level", "level_display", "code", "parent", "parent_name"]


class UnitSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "kind_display", "region", "region_name"]


class PairingSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    coastal_region_name = serializers.CharField(source="coastal_region.name", read_only=True)
    mountain_region_name = serializers.CharField(source="mountain_region.name", read_only=True)
    coastal_liaison_name = serializers.CharField(
        source="coastal_liaison.name", read_only=True, allow_null=True
    )
    mountain_liaison_name = serializers.CharField(
        source="mountain_liaison.name", read_only=True, allow_null=True
    )
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "coastal_region",
            "coastal_region_name",
            "mountain_region",
            "mountain_region_name",
            "coastal_liaison",
            "coastal_liaison_name",
            "mountain_liaison",
            "mountain_liaison_name",
            "start_year",
            "end_year",
            "parent",
            "parent_name",
            "notes",
        ]
        extra_kwargs = {"name": {"required": False}}

    def validate(self, attrs):
        start = attrs.get("start_year", getattr(self.instance, "start_year", None))
        end = attrs.get("end_year", getattr(self.instance, "end_year", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"end_year": _("截止年份不能早于起始年份。")})
        return attrs


class PolicyDocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    pairing_names = serializers.SerializerMethodField()

    class Meta:
        model = PolicyDocument
        fields = [
            "id",
            "doc_number",
            "title",
            "kind",
            "kind_display",
            "issuers",
            "issued",
            "horizon_start",
            "horizon_end",
            "pairings",
            "pairing_names",
            "full_text",
        ]

    def get_pairing_names(self, obj) -> list[str]:
        return [p.name for p in obj.pairings.all()]


class ActivitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    pairing_name = serializers.CharField(source="pairing.name", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "pairing",
            "pairing_name",
            "kind",
            "kind_display",
            "title",
            "date",
            "place",
            "field",
            "participants",
            "headcount",
            "notes",
        ]


class MeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "unit", "unit_name", "role", "role_display", "is_superuser"]
