"""API of tasks, periods and progress reports. Every change goes through tasks/services.py."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperation.models import Role
from core.api.parsers import JSONParser
from core.api.permissions import ScopedPermission
from core.api.viewsets import ScopedModelViewSet
from core.concurrency import VersionedViewSetMixin, versioned_schema
from core.permissions import can_manage, denied_message
from core.uploads import DOWNLOAD_MEDIA_TYPES, protected_download
from tasks import services
from tasks.api.serializers import (
    EvidenceUploadSerializer,
    ProgressReportSerializer,
    ReasonSerializer,
    TaskPeriodSerializer,
    TaskSerializer,
    VersionOnlySerializer,
)
from tasks.filtersets import ProgressReportFilterSet, TaskFilterSet, TaskPeriodFilterSet
from tasks.models import Evidence, ProgressReport, ReportValue, Task, TaskPeriod, TaskUnit
from tasks.rows import attach_rows

CONFLICT = OpenApiResponse(description="版本冲突：记录已被他人修改，未做任何修改")


def reporter_denied_message() -> str:
    return _("您没有权限修改此内容：只有责任单位的填报员或本结对的联络员可以修改。")


class ResponsibleUnitPermission(ScopedPermission):
    """Writes by liaison staff of the pairing, or by reporters of a unit responsible for the task."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS") or can_manage(request.user, obj):
            return True
        raise PermissionDenied(reporter_denied_message())


@versioned_schema(TaskSerializer)
class TaskViewSet(VersionedViewSetMixin, ScopedModelViewSet):
    """任务（重点任务 / 事项）：任务树、责任单位、完成时限、量化指标与各年度状态。

    只有本结对的联络员可以新建、修改或删除任务；填报员通过任务年度与进展报告更新进度。
    筛选：`pairing`、`unit`、`area`、`status`、`year`、`overdue`、`due_within`（天）、`q`。
    """

    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    ordering_fields = ["position", "number", "start_year"]
    queryset = Task.objects.select_related("pairing", "document", "parent", "area").prefetch_related(
        Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit")),
        "required_evidence",
        "targets",
        "periods",
    )
    # A page of the list reads its tasks' related rows as plain lists (`api_*`, what
    # `TaskSerializer.to_representation` reads first): no manager and queryset per task and relation.
    # Only for the list: a write's answer must not read lists prefetched before the write.
    list_prefetches = (
        Prefetch("required_evidence", to_attr="api_evidence"),
        Prefetch("targets", to_attr="api_targets"),
    )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.prefetch_related(None).prefetch_related(*self.list_prefetches)
        return queryset

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.action == "list" and page is not None:
            # The page's periods and units as plain rows, read once the page is known.
            attach_rows(page, periods="api_periods", units="api_units")
        return page

    def _save(self, serializer) -> None:
        units = serializer.validated_data.pop("task_units", None)
        user = self.request.user

        def persist(derived: dict) -> Task:
            task = serializer.save(**derived)
            if not can_manage(user, task):
                raise PermissionDenied(denied_message())
            return task

        services.save_task(
            persist,
            changed=serializer.validated_data.keys(),
            deadline_text=serializer.validated_data.get("deadline_text", ""),
            user=user,
            # `role` may be left out (the model's default: lead); reading it as required was a 500.
            lead=None
            if units is None
            else [u["unit"] for u in units if u.get("role", TaskUnit.Role.LEAD) == TaskUnit.Role.LEAD],
            cooperating=()
            if units is None
            else [u["unit"] for u in units if u.get("role", TaskUnit.Role.LEAD) != TaskUnit.Role.LEAD],
        )

    def perform_create(self, serializer) -> None:
        self._save(serializer)

    def perform_update(self, serializer) -> None:
        self._save(serializer)

    def perform_destroy(self, instance) -> None:
        services.delete_task(instance, self.request.user)


@versioned_schema(TaskPeriodSerializer)
class TaskPeriodViewSet(VersionedViewSetMixin, ScopedModelViewSet):
    """任务年度：每项任务每年一条（一次性任务一条），含截止日期、状态、完成日期。

    “逾期”由截止日期与状态推算（`is_overdue`），不能手工填写。责任单位的填报员可把状态设为
    未开始/推进中并填写进展说明；截止日期、已完成与暂缓由联络员决定。
    """

    serializer_class = TaskPeriodSerializer
    filterset_class = TaskPeriodFilterSet
    permission_classes = [ResponsibleUnitPermission]
    write_roles = {Role.LIAISON, Role.REPORTER}
    http_method_names = ["get", "put", "patch", "head", "options"]
    ordering_fields = ["due_date", "year"]
    queryset = TaskPeriod.objects.select_related("task__pairing").order_by("due_date", "task__position", "pk")

    def perform_update(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.update_period(
            serializer.instance,
            self.request.user,
            expected_version=data["version"],
            status=data.get("status"),
            note=data.get("note"),
            due_date=data.get("due_date", ...),
        )


@versioned_schema(ProgressReportSerializer)
class ProgressReportViewSet(VersionedViewSetMixin, ScopedModelViewSet):
    """进展报告：草稿 → 已提交 → 已通过 / 已退回（附原因）。

    责任单位的填报员在本单位负责的任务年度上填写；联络员审核（`approve` / `return`）。
    只有已通过的报告计入完成值。佐证材料用 `evidence`（multipart）上传，下载须有查看权限。
    """

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    permission_classes = [ResponsibleUnitPermission]
    write_roles = {Role.LIAISON, Role.REPORTER}
    ordering_fields = ["created", "submitted_at", "status"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = ProgressReport.objects.select_related(
        "period__task__pairing", "unit", "created_by", "reviewed_by"
    ).prefetch_related(
        Prefetch("values", queryset=ReportValue.objects.select_related("target")),
        Prefetch("evidence", queryset=Evidence.objects.select_related("kind")),
    )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        if "period" in fields and self.request is not None:
            # Another pairing's period is "not found", never a hint that it exists.
            fields["period"].queryset = TaskPeriod.objects.visible_to(self.request.user)
        return serializer

    def _values(self, data) -> dict | None:
        if "values" not in data:
            return None
        return {row["target"].pk: row["value"] for row in data["values"]}

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.save_report(
            data["period"],
            self.request.user,
            text=data.get("text", ""),
            marks_done=data.get("marks_done", False),
            completed_on=data.get("completed_on"),
            values=self._values(data),
            unit=data.get("unit"),
        )

    def perform_update(self, serializer) -> None:
        report = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.save_report(
            report.period,
            self.request.user,
            report=report,
            text=data.get("text", report.text),
            marks_done=data.get("marks_done", report.marks_done),
            completed_on=data.get("completed_on", report.completed_on),
            values=self._values(data),
            expected_version=data["version"],
        )

    def perform_destroy(self, instance) -> None:
        services.delete_report(instance, self.request.user)

    def _done(self, report, code=status.HTTP_200_OK) -> Response:
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data, status=code)

    @extend_schema(request=VersionOnlySerializer, responses={200: ProgressReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交报告（草稿或已退回 → 已提交）。标记为已完成的报告须附齐必需的佐证材料。"""
        report = self.get_object()
        body = VersionOnlySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.submit_report(report, request.user, expected_version=body.validated_data.get("version"))
        return self._done(report)

    @extend_schema(request=VersionOnlySerializer, responses={200: ProgressReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """审核通过（仅本结对联络员）：完成值计入任务年度；标记完成的报告使该年度“已完成”。"""
        report = self.get_object()
        body = VersionOnlySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.approve_report(report, request.user, expected_version=body.validated_data.get("version"))
        return self._done(report)

    @extend_schema(request=ReasonSerializer, responses={200: ProgressReportSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None):
        """退回报告（仅本结对联络员），须填写原因；填报员在“我的任务”中看到。"""
        report = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.return_report(
            report,
            request.user,
            reason=body.validated_data["reason"],
            expected_version=body.validated_data.get("version"),
        )
        return self._done(report)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="evidence")
    def upload_evidence(self, request, pk=None):
        """上传佐证材料（pdf、jpg、png、docx、xlsx），保留原文件名。"""
        report = self.get_object()
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.add_evidence(
            report, body.validated_data["file"], request.user, kind=body.validated_data.get("kind")
        )
        return self._done(report, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, media): OpenApiTypes.BINARY for media in DOWNLOAD_MEDIA_TYPES})
    @action(detail=True, methods=["get"], url_path=r"evidence/(?P<evidence_id>[0-9]+)")
    def download_evidence(self, request, pk=None, evidence_id=None):
        """下载佐证材料（以原文件名）；只有能查看该任务的人可以下载。"""
        report = self.get_object()
        evidence = get_object_or_404(Evidence, pk=evidence_id, report=report)
        return protected_download(evidence.file, evidence.original_name)
