from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from cooperation.models import PolicyDocument
from core.api.viewsets import ScopedModelViewSet
from indicators.api.serializers import IndicatorDefinitionSerializer, RegionIndicatorSerializer
from indicators.filtersets import IndicatorDefinitionFilterSet, RegionIndicatorFilterSet
from indicators.models import IndicatorDefinition, RegionIndicator
from indicators.services import FIGURE_FIELDS, delete_figure, record_figure


class SuperuserWrites(permissions.IsAuthenticated):
    """Every signed-in user reads the indicator list; only superusers change it."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS or request.user.is_superuser:
            return True
        raise PermissionDenied(_("指标定义只能由系统管理员修改。"))


class IndicatorDefinitionViewSet(ScopedModelViewSet):
    """指标定义（地区生产总值、城镇化率……）：所有登录用户可读，仅系统管理员可改。"""

    queryset = IndicatorDefinition.objects.select_related("growth_of")
    serializer_class = IndicatorDefinitionSerializer
    filterset_class = IndicatorDefinitionFilterSet
    permission_classes = [SuperuserWrites]
    ordering_fields = ["ordering", "name"]


class RegionIndicatorViewSet(ScopedModelViewSet):
    """地区发展指标：本人结对两侧（及其上下级）地区的年度预期目标与实际值；联络员可填报本结对两侧地区。"""

    queryset = RegionIndicator.objects.select_related("region", "indicator", "source_document")
    serializer_class = RegionIndicatorSerializer
    filterset_class = RegionIndicatorFilterSet
    ordering_fields = ["year", "region__path", "indicator__ordering"]

    def _check_document(self, serializer) -> None:
        document = serializer.validated_data.get("source_document")
        if (
            document is not None
            and not PolicyDocument.objects.visible_to(self.request.user).filter(pk=document.pk).exists()
        ):
            # Only documents the user may read can be cited; another pairing's is as if absent.
            raise PermissionDenied(_("不能引用您无权查看的文件。"))

    def perform_create(self, serializer) -> None:
        self._check_document(serializer)
        data = serializer.validated_data
        values = {k: v for k, v in data.items() if k in FIGURE_FIELDS}
        serializer.instance = record_figure(
            self.request.user, region=data["region"], indicator=data["indicator"], year=data["year"], **values
        )

    def perform_update(self, serializer) -> None:
        self._check_document(serializer)
        instance = serializer.instance
        values = {k: v for k, v in serializer.validated_data.items() if k in FIGURE_FIELDS}
        serializer.instance = record_figure(
            self.request.user,
            region=instance.region,
            indicator=instance.indicator,
            year=instance.year,
            **values,
        )

    def perform_destroy(self, instance) -> None:
        delete_figure(self.request.user, instance)
