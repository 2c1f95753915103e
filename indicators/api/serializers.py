"""API representations of indicators: ids travel with readable names, figures with their display."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Comparator, IndicatorDefinition, RegionIndicator


# Described without an `enum`: drf-spectacular would name the one choice set twice
# (TargetComparatorEnum / ActualComparatorEnum) and warn, failing `check --deploy`.
# The pattern leaves out "": drf-spectacular adds the blank value itself (allow_blank), and "" matching
# both made every blank comparator violate the schema's oneOf (found by the API fuzzing).
@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(eq|about|gte|lte)$",
        "description": "eq =；about ≈（左右）；gte ≥（以上）；lte ≤（以下）；空：无",
    }
)
class ComparatorField(serializers.ChoiceField):
    """The comparator of a target or an actual value, as the document words it."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("", "—"), *Comparator.choices], required=False, allow_blank=True, **kwargs)


class IndicatorDefinitionSerializer(serializers.ModelSerializer):
    nature_display = serializers.CharField(source="get_nature_display", read_only=True)
    # allow_null, not default=None: DRF leaves a field answered by its default out of PATCH
    # responses, and the schema must say the name can be null (both found by the API fuzzing).
    growth_of_name = serializers.CharField(source="growth_of.name", read_only=True, allow_null=True)

    class Meta:
        model = IndicatorDefinition
        fields = [
            "id",
            "name",
            "unit",
            "nature",
            "nature_display",
            "growth_of",
            "growth_of_name",
            "ordering",
            "description",
        ]


class RegionIndicatorSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    target_comparator_display = serializers.CharField(source="get_target_comparator_display", read_only=True)
    actual_comparator_display = serializers.CharField(source="get_actual_comparator_display", read_only=True)
    target_display = serializers.CharField(read_only=True)
    actual_display = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    target_comparator = ComparatorField(label=_("目标口径"))
    actual_comparator = ComparatorField(label=_("实际值口径"))
    source_document_name = serializers.StringRelatedField(source="source_document", allow_null=True)

    class Meta:
        model = RegionIndicator
        fields = [
            "id",
            "region",
            "region_name",
            "region_code",
            "indicator",
            "indicator_name",
            "unit",
            "year",
            "target_comparator",
            "target_comparator_display",
            "target_value",
            "target_display",
            "actual_comparator",
            "actual_comparator_display",
            "actual_value",
            "actual_display",
            "actual_is_estimate",
            "status",
            "source_document",
            "source_document_name",
            "source_text",
        ]

    def validate(self, attrs):
        if self.instance is not None:
            for key in ("region", "indicator", "year"):
                if key in attrs and attrs[key] != getattr(self.instance, key):
                    raise serializers.ValidationError(
                        {key: _("地区、指标和年份填报后不能更改；如有错误请删除后重新填报。")}
                    )
        return attrs
