"""API representations of funds: ids travel with readable names; derived figures are read-only."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.scoping import document_problem
from core.api.fields import StrictDecimalField
from funds.models import (
    ArrivalConfirmation,
    Disbursement,
    FundCommitment,
    FundUseProject,
    money_sides_problems,
)


class FundCommitmentSerializer(serializers.ModelSerializer):
    pairing_name = serializers.CharField(source="pairing.name", read_only=True)
    payer_region_name = serializers.CharField(source="payer_region.name", read_only=True)
    # allow_null, not default=None: DRF leaves a field answered by its default out of PATCH
    # responses, and the schema must say the name can be null (both found by the API fuzzing).
    payer_unit_name = serializers.CharField(source="payer_unit.name", read_only=True, allow_null=True)
    receiver_region_name = serializers.CharField(source="receiver_region.name", read_only=True)
    receiver_unit_name = serializers.CharField(source="receiver_unit.name", read_only=True, allow_null=True)
    paid = serializers.DecimalField(source="paid_total", max_digits=14, decimal_places=2, read_only=True)
    confirmed = serializers.DecimalField(
        source="confirmed_total", max_digits=14, decimal_places=2, read_only=True
    )
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    paid_in_full_on = serializers.DateField(read_only=True, allow_null=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="state_label", read_only=True)
    days_late = serializers.SerializerMethodField()

    class Meta:
        model = FundCommitment
        fields = [
            "id",
            "pairing",
            "pairing_name",
            "year",
            "purpose",
            "payer_region",
            "payer_region_name",
            "payer_unit",
            "payer_unit_name",
            "receiver_region",
            "receiver_region_name",
            "receiver_unit",
            "receiver_unit_name",
            "amount",
            "due",
            "due_text",
            "use_list_due",
            "use_list_due_text",
            "use_list_submitted",
            "document",
            "notes",
            "paid",
            "confirmed",
            "outstanding",
            "paid_in_full_on",
            "state",
            "state_display",
            "days_late",
        ]
        read_only_fields = ["use_list_submitted"]

    def get_days_late(self, obj) -> int:
        return obj.days_late()

    def validate(self, attrs):
        def current(name):
            return attrs.get(name, getattr(self.instance, name, None))

        problems = money_sides_problems(
            *(
                current(n)
                for n in ("pairing", "payer_region", "payer_unit", "receiver_region", "receiver_unit")
            )
        )
        problem = document_problem(current("document"), current("pairing"))
        if problem:
            problems["document"] = problem
        if problems:
            raise serializers.ValidationError(problems)
        amount = attrs.get("amount")
        if self.instance is not None and amount is not None and amount < self.instance.paid_total:
            raise serializers.ValidationError(
                {
                    "amount": _("承诺金额不能低于已拨付的 %(paid)s 元。")
                    % {"paid": f"{self.instance.paid_total:,.2f}"}
                }
            )
        return attrs


class DisbursementSerializer(serializers.ModelSerializer):
    """A ledger row. Create one to record a payment; rows are never changed (reverse instead)."""

    commitment_name = serializers.CharField(source="commitment.__str__", read_only=True)
    pairing = serializers.IntegerField(source="commitment.pairing_id", read_only=True)
    pairing_name = serializers.CharField(source="commitment.pairing.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    recorded_by_name = serializers.StringRelatedField(source="recorded_by", allow_null=True)  # null: a job
    amount = StrictDecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    # Written only: read back, DRF's FileField would answer the file's raw /media/ URL. The file is
    # downloaded through the permission-checked `evidence_url` (…/disbursements/{id}/evidence/).
    evidence = serializers.FileField(required=False, allow_null=True, write_only=True)
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "commitment",
            "commitment_name",
            "pairing",
            "pairing_name",
            "kind",
            "kind_display",
            "date",
            "amount",
            "voucher_no",
            "evidence",
            "evidence_name",
            "evidence_url",
            "reverses",
            "note",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = ["kind", "reverses", "evidence_name", "recorded_by", "recorded_at"]

    def get_evidence_url(self, obj) -> str | None:
        return f"/api/v1/disbursements/{obj.pk}/evidence/" if obj.evidence else None


class ReversalSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    note = serializers.CharField(max_length=255)


class ArrivalConfirmationSerializer(serializers.ModelSerializer):
    commitment_name = serializers.CharField(source="commitment.__str__", read_only=True)
    confirmed_by_name = serializers.StringRelatedField(source="confirmed_by", allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    amount = StrictDecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = ArrivalConfirmation
        fields = [
            "id",
            "commitment",
            "commitment_name",
            "date",
            "amount",
            "note",
            "confirmed_by",
            "confirmed_by_name",
            "unit",
            "unit_name",
            "recorded_at",
        ]
        read_only_fields = ["confirmed_by", "unit", "recorded_at"]


class FundUseProjectSerializer(serializers.ModelSerializer):
    commitment_name = serializers.CharField(source="commitment.__str__", read_only=True)
    year = serializers.IntegerField(source="commitment.year", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)

    class Meta:
        model = FundUseProject
        fields = [
            "id",
            "commitment",
            "commitment_name",
            "year",
            "name",
            "kind",
            "kind_display",
            "planned_amount",
            "spent_amount",
            "status",
            "status_display",
            "unit",
            "unit_name",
            "notes",
        ]

    def validate(self, attrs):
        planned = attrs.get("planned_amount", getattr(self.instance, "planned_amount", None))
        spent = attrs.get("spent_amount", getattr(self.instance, "spent_amount", Decimal("0")))
        if planned is not None and spent is not None and spent > planned:
            raise serializers.ValidationError({"spent_amount": _("已支出不能超过计划安排金额。")})
        for field in ("planned_amount", "spent_amount"):
            if attrs.get(field) is not None and attrs[field] < 0:
                raise serializers.ValidationError({field: _("金额不能为负数。")})
        return attrs
