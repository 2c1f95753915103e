from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperation.api.permissions import PairingPermission
from cooperation.api.serializers import (
    ActivitySerializer,
    MeSerializer,
    PairingSerializer,
    PolicyDocumentSerializer,
    RegionSerializer,
    UnitSerializer,
)
from cooperation.filtersets import (
    ActivityFilterSet,
    PairingFilterSet,
    PolicyDocumentFilterSet,
    RegionFilterSet,
    UnitFilterSet,
)
from cooperation.models import Activity, Pairing, PolicyDocument, Region, Unit
from cooperation.permissions import can_create_pairing, create_pairing_denied_message
from core.api.viewsets import ScopedModelViewSet


class RegionViewSet(ScopedModelViewSet):
    """行政区划。所有登录用户可读，仅超级管理员可改。"""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["name", "code", "path"]


class UnitViewSet(ScopedModelViewSet):
    """单位（责任单位）。所有登录用户可读；联络员可增改本结对地区内的单位。"""

    queryset = Unit.objects.select_related("region")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "region__path"]


class PairingViewSet(ScopedModelViewSet):
    """结对关系：只列出本人单位参与的结对。新建（含下级结对）和删除仅限系统管理员；联络员可修改本结对。"""

    queryset = Pairing.objects.select_related(
        "coastal_region", "mountain_region", "coastal_liaison", "mountain_liaison", "parent"
    )
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet
    ordering_fields = ["name", "start_year", "kind"]
    permission_classes = [PairingPermission]

    def get_serializer(self, *args, **kwargs):
        if getattr(self, "action", None) == "create" and can_create_pairing(self.request.user):
            # Setting up a pairing is the admin's work, as in the admin site: any side, any parent.
            return super(ScopedModelViewSet, self).get_serializer(*args, **kwargs)
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer) -> None:
        # The admin may create any pairing (no scope to stay within); checked again here so that
        # dropping PairingPermission could never let anybody else through.
        if not can_create_pairing(self.request.user):
            raise PermissionDenied(create_pairing_denied_message())
        serializer.save()


class PolicyDocumentViewSet(ScopedModelViewSet):
    """政策文件（实施方案、实施意见、规划、年度计划）。"""

    queryset = PolicyDocument.objects.all()
    serializer_class = PolicyDocumentSerializer
    filterset_class = PolicyDocumentFilterSet
    ordering_fields = ["issued", "doc_number"]

    def get_queryset(self):
        # A shared document lists only the pairings this user may see, by id and by name.
        visible = Pairing.objects.visible_to(self.request.user).only("id", "name")
        return super().get_queryset().prefetch_related(Prefetch("pairings", queryset=visible))


class ActivityViewSet(ScopedModelViewSet):
    """交流活动：互访、联席会议、培训、文体旅活动。"""

    queryset = Activity.objects.select_related("pairing")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ["date", "kind"]


class MeView(APIView):
    """当前用户：单位与角色。"""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
