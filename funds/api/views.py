"""Funds API: commitments, the payment ledger, arrival confirmations, the fund-use list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.serializers import ListSerializer

from cooperation.models import Role
from core.api.viewsets import ScopedModelViewSet, scope_choices
from core.uploads import DOWNLOAD_MEDIA_TYPES, protected_download
from funds import services
from funds.api.serializers import (
    ArrivalConfirmationSerializer,
    DisbursementSerializer,
    FundCommitmentSerializer,
    FundUseProjectSerializer,
    ReversalSerializer,
)
from funds.filtersets import (
    ArrivalConfirmationFilterSet,
    DisbursementFilterSet,
    FundCommitmentFilterSet,
    FundUseProjectFilterSet,
)
from funds.models import ArrivalConfirmation, Disbursement, FundCommitment, FundUseProject


class FundCommitmentViewSet(ScopedModelViewSet):
    """资金承诺：承诺、已拨付、已确认到账、未拨付、是否按时（派生值只读）。"""

    queryset = FundCommitment.objects.select_related(
        "pairing", "payer_region", "payer_unit", "receiver_region", "receiver_unit"
    ).prefetch_related("disbursements")
    serializer_class = FundCommitmentSerializer
    filterset_class = FundCommitmentFilterSet
    ordering_fields = ["year", "due", "amount"]


class LedgerViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Append-only: rows are created through a service and never changed or deleted."""

    # Reporters of the paying or receiving unit write here; the service decides on the row.
    write_roles = {Role.LIAISON, Role.REPORTER}

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.request is not None and not isinstance(serializer, ListSerializer):
            # Another pairing's commitment reads exactly like one that does not exist.
            scope_choices(serializer, self.request.user)
        return serializer

    def _commitment(self, serializer) -> FundCommitment:
        # Another pairing's commitment is "not found", exactly as in a list.
        pk = serializer.validated_data["commitment"].pk
        return get_object_or_404(FundCommitment.objects.visible_to(self.request.user), pk=pk)


class DisbursementViewSet(LedgerViewSet):
    """拨付记录（台账）：只能追加；更正请冲销（POST …/{id}/reverse/）。"""

    queryset = Disbursement.objects.select_related("commitment__pairing", "recorded_by")
    serializer_class = DisbursementSerializer
    filterset_class = DisbursementFilterSet
    ordering_fields = ["date", "amount"]

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.record_disbursement(
                self._commitment(serializer),
                user=self.request.user,
                date=data["date"],
                amount=data["amount"],
                voucher_no=data.get("voucher_no", ""),
                evidence=data.get("evidence"),
                note=data.get("note", ""),
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None

    @extend_schema(request=ReversalSerializer, responses={201: DisbursementSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        payment = self.get_object()
        params = ReversalSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            row = services.reverse_disbursement(
                payment,
                user=request.user,
                date=params.validated_data.get("date"),
                note=params.validated_data["note"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(
            DisbursementSerializer(row, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={(200, media): OpenApiTypes.BINARY for media in DOWNLOAD_MEDIA_TYPES})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        """下载凭证文件（以原文件名）；只有能查看该笔拨付的人可以下载。"""
        payment = self.get_object()
        if not payment.evidence:
            raise Http404
        return protected_download(payment.evidence, payment.evidence_name)


class ArrivalConfirmationViewSet(LedgerViewSet):
    """到账确认：由接收方登记；确认金额不能超过已拨付金额。"""

    queryset = ArrivalConfirmation.objects.select_related("commitment__pairing", "confirmed_by", "unit")
    serializer_class = ArrivalConfirmationSerializer
    filterset_class = ArrivalConfirmationFilterSet
    ordering_fields = ["date", "amount"]

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        try:
            serializer.instance = services.confirm_arrival(
                self._commitment(serializer),
                user=self.request.user,
                date=data["date"],
                amount=data["amount"],
                note=data.get("note", ""),
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None


class FundUseProjectViewSet(ScopedModelViewSet):
    """资金使用项目清单：接收方按年度列出资金投向的项目。"""

    queryset = FundUseProject.objects.select_related("commitment__pairing", "unit")
    serializer_class = FundUseProjectSerializer
    filterset_class = FundUseProjectFilterSet
    ordering_fields = ["planned_amount", "spent_amount", "name"]
    write_roles = {Role.LIAISON, Role.REPORTER}
