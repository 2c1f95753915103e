"""Parks API: parks, their yearly plans, cooperation projects."""

from __future__ import annotations

from django.db.models import Prefetch

from core.api.viewsets import ScopedModelViewSet
from parks.api.serializers import ParkInvestmentPlanSerializer, ParkSerializer, ProjectSerializer
from parks.filtersets import ParkFilterSet, ParkInvestmentPlanFilterSet, ProjectFilterSet
from parks.models import Park, ParkInvestmentPlan, Project, ProjectInvestment


class ParkViewSet(ScopedModelViewSet):
    """园区：共建产业园、飞地园区、生态旅游文化产业园、山海协作产业园。"""

    queryset = Park.objects.select_related("pairing", "region", "committee", "partner_committee")
    serializer_class = ParkSerializer
    filterset_class = ParkFilterSet
    ordering_fields = ["name", "core_area_km2"]


class ParkInvestmentPlanViewSet(ScopedModelViewSet):
    """园区年度投资计划（万元，按原表数值保存）。"""

    queryset = ParkInvestmentPlan.objects.select_related("park")
    serializer_class = ParkInvestmentPlanSerializer
    filterset_class = ParkInvestmentPlanFilterSet
    ordering_fields = ["year", "planned_total"]


class ProjectViewSet(ScopedModelViewSet):
    """协作项目：阶段（策划、签约、开工、投产、竣工）及各年度到位资金。"""

    queryset = Project.objects.select_related("pairing", "park").prefetch_related(
        Prefetch("investments", queryset=ProjectInvestment.objects.order_by("year"))
    )
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["name", "stage", "total_investment"]
