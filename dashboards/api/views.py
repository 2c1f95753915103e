"""`/api/v1/dashboard/`: the dashboards' figures as JSON, over the pairings the user sees.

The same figures as the pages (`dashboards/figures.py`), in the same constant number of queries.
`?pairing=` narrows them to a pairing and its sub-pairings and adds the leader view's traffic lights
and the year's commitments; a pairing the user does not see is a 404.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.figures import build_dashboard, build_leader_view, with_descendants
from dashboards.views import visible_pairings

MONEY = {"max_digits": 16, "decimal_places": 2}
WAN = {"max_digits": 18, "decimal_places": 4}
RATE = {"max_digits": 7, "decimal_places": 1, "allow_null": True}


class DashboardQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        label=gettext_lazy("年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=gettext_lazy("默认：今年（北京时间）"),
    )
    pairing = serializers.IntegerField(
        label=gettext_lazy("结对"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("只看该结对及其下属结对"),
    )


class DashboardPairingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class DashboardStatusCountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="done / in_progress / not_started / overdue / paused")
    label = serializers.CharField()
    count = serializers.IntegerField()


class DashboardAreaSerializer(serializers.Serializer):
    name = serializers.CharField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=gettext_lazy("按状态（key）计数")
    )
    total = serializers.IntegerField()


class DashboardUnitSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    lead = serializers.IntegerField(help_text=gettext_lazy("作为牵头单位的逾期任务数"))
    cooperating = serializers.IntegerField(help_text=gettext_lazy("作为配合单位的逾期任务数"))
    total = serializers.IntegerField()


class DashboardFundYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    commitments = serializers.IntegerField()
    promised = serializers.DecimalField(**MONEY, help_text=gettext_lazy("承诺（元）"))
    paid = serializers.DecimalField(**MONEY, help_text=gettext_lazy("已拨付（元）"))
    confirmed = serializers.DecimalField(**MONEY, help_text=gettext_lazy("已确认到账（元）"))
    outstanding = serializers.DecimalField(**MONEY, help_text=gettext_lazy("未拨付（元）"))
    overdue = serializers.DecimalField(**MONEY, help_text=gettext_lazy("已过到位时限仍未拨付（元）"))
    paid_rate = serializers.DecimalField(**RATE, help_text=gettext_lazy("拨付率（%）"))


class DashboardParkFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    park_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(allow_blank=True)
    pairing_id = serializers.IntegerField(allow_null=True)
    lines = serializers.IntegerField()
    reported = serializers.IntegerField(help_text=gettext_lazy("已填报实际完成数的计划条目"))
    project_count = serializers.IntegerField()
    planned_total = serializers.DecimalField(**WAN, help_text=gettext_lazy("计划总投资（万元）"))
    planned = serializers.DecimalField(**WAN, help_text=gettext_lazy("计划完成数（万元）"))
    actual = serializers.DecimalField(
        **WAN, allow_null=True, help_text=gettext_lazy("实际完成数（万元），未填报为 null")
    )
    rate = serializers.DecimalField(**RATE, help_text=gettext_lazy("完成率（%），只计已填报的条目"))


class DashboardMinimumRowSerializer(serializers.Serializer):
    pairing_id = serializers.IntegerField()
    pairing = serializers.CharField()
    name = serializers.CharField()
    source_text = serializers.CharField(allow_blank=True)
    required = serializers.IntegerField()
    count = serializers.IntegerField()
    met = serializers.BooleanField()
    activities = serializers.ListField(child=serializers.CharField())


class DashboardMinimumGroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    required = serializers.IntegerField()
    count = serializers.IntegerField()
    met = serializers.IntegerField(help_text=gettext_lazy("达标的结对数"))
    total = serializers.IntegerField(help_text=gettext_lazy("有此要求的结对数"))


class DashboardActivityKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()

    def to_representation(self, instance):
        kind, label, count = instance
        return {"kind": kind, "label": label, "count": count}


class DashboardPairingRowSerializer(serializers.Serializer):
    pairing = serializers.IntegerField(source="pairing.pk")
    pairing_name = serializers.CharField(source="pairing.name")
    periods = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()
    escalated = serializers.IntegerField()
    promised = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    park_planned = serializers.DecimalField(**WAN)
    park_actual = serializers.DecimalField(**WAN, allow_null=True)
    minimums = serializers.IntegerField()
    minimums_met = serializers.IntegerField()


class DashboardLightSerializer(serializers.Serializer):
    period = serializers.IntegerField(source="period.pk")
    task = serializers.IntegerField(source="period.task_id")
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField(source="period.task.title")
    pairing = serializers.CharField()
    due_date = serializers.DateField(source="period.due_date", allow_null=True)
    status = serializers.CharField(source="period.status")
    light = serializers.CharField(
        help_text=gettext_lazy("ok 按时 / soon 即将到期 / overdue 逾期 / escalated 督办 / paused 暂缓")
    )
    label = serializers.CharField()
    state = serializers.CharField(
        help_text="done / done_late / on_track / soon / overdue / paused / continuing / na（core.states）"
    )
    detail = serializers.CharField()
    lead_units = serializers.ListField(child=serializers.CharField())
    cooperating_units = serializers.ListField(child=serializers.CharField())


class DashboardCommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    pairing = serializers.IntegerField(source="pairing_id")
    purpose = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    due = serializers.DateField()
    due_text = serializers.CharField(allow_blank=True)
    paid = serializers.DecimalField(**MONEY)
    confirmed = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)
    state = serializers.CharField(help_text="on_time / late / overdue / soon / open")
    state_label = serializers.CharField()


class DashboardTasksSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    escalated = serializers.IntegerField()
    by_status = DashboardStatusCountSerializer(source="status", many=True)
    by_area = DashboardAreaSerializer(source="areas", many=True)


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    today = serializers.DateField()
    pairings = DashboardPairingRefSerializer(many=True)
    tasks = DashboardTasksSerializer(source="*")
    overdue_by_unit = DashboardUnitSerializer(source="units", many=True)
    funds_by_year = DashboardFundYearSerializer(source="funds", many=True)
    parks_by_year = DashboardParkFiguresSerializer(source="parks", many=True)
    parks = DashboardParkFiguresSerializer(source="park_lines", many=True)
    activity_minimums = DashboardMinimumRowSerializer(source="minimums", many=True)
    activity_minimum_groups = DashboardMinimumGroupSerializer(source="minimum_groups", many=True)
    activities_by_kind = DashboardActivityKindSerializer(source="activity_kinds", many=True)
    pairing_rows = DashboardPairingRowSerializer(source="rows", many=True)


class DashboardLeaderSerializer(serializers.Serializer):
    lights = DashboardLightSerializer(many=True)
    light_counts = serializers.SerializerMethodField()
    commitments = DashboardCommitmentSerializer(many=True)
    older_overdue = serializers.IntegerField(help_text=gettext_lazy("往年逾期仍未完成的任务数"))

    def get_light_counts(self, leader) -> dict[str, int]:
        return {light: n for light, _label, n in leader.light_counts}


class DashboardResponseSerializer(DashboardSerializer):
    leader = DashboardLeaderSerializer(
        required=False, help_text=gettext_lazy("只在指定 pairing 时返回：任务红绿灯与本年度资金")
    )


class DashboardView(APIView):
    """数据看板：本人可见结对某年度的任务状态与领域、逾期责任单位、资金承诺与拨付、园区计划完成、交流活动与最低次数。"""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description=gettext_lazy("年度，默认今年")),
            OpenApiParameter(
                "pairing", int, description=gettext_lazy("结对 id：只看该结对及其下属结对，并返回红绿灯")
            ),
        ],
        responses=DashboardResponseSerializer,
    )
    def get(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        year = query.validated_data.get("year") or today.year
        pairing_id = query.validated_data.get("pairing")
        pairings = visible_pairings(request.user)
        if pairing_id is not None:
            if pairing_id not in {p.pk for p in pairings}:
                raise NotFound(_("结对不存在或您无权查看。"))
            pairings = with_descendants(pairings, pairing_id)
        data = DashboardSerializer(build_dashboard(pairings, year, today)).data
        if pairing_id is not None:
            data["leader"] = DashboardLeaderSerializer(build_leader_view(pairings, year, today)).data
        return Response(data)
