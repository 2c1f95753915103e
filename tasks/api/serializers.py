"""API representations of tasks, periods and reports: readable names beside every id.

Field-level rules live here and in the services: a reporter changes a period's status and note
(never its due date), and a task's units, deadline and targets are liaison staff's alone.
"""

from __future__ import annotations

import datetime
import functools

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.models import Unit
from cooperation.scoping import document_problem
from core.concurrency import VersionedSerializerMixin
from tasks.models import (
    Evidence,
    EvidenceKind,
    ProgressReport,
    ReportValue,
    Target,
    Task,
    TaskPeriod,
    TaskUnit,
)
from tasks.rows import PeriodRow


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField whose schema lists each value with its Chinese label ("lead = 牵头单位")."""
    schema = {
        "type": "string",
        "enum": [value for value, _label in choices],
        "description": "；".join(f"{value} = {label}" for value, label in choices),
    }
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class TaskUnitSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    role = choice(TaskUnit.Role.choices, required=False)

    class Meta:
        model = TaskUnit
        fields = ["unit", "unit_name", "role", "role_display"]


class TargetSerializer(serializers.ModelSerializer):
    comparator_display = serializers.CharField(source="get_comparator_display", read_only=True)
    comparator = choice(Target.Comparator.choices, read_only=True)

    class Meta:
        model = Target
        fields = ["id", "name", "comparator", "comparator_display", "value", "unit", "year", "source_text"]


class StandingFieldsMixin(serializers.Serializer):
    """The period's state by the one rule of `core.states`, as of today, with the date it is as of."""

    state = serializers.SerializerMethodField(
        help_text=gettext_lazy("done / done_late / on_track / soon / overdue / paused / continuing / na")
    )
    state_label = serializers.SerializerMethodField()
    as_of = serializers.SerializerMethodField()

    def _standing(self, obj):
        cache = self.context.setdefault("_standings", {})
        if obj.pk not in cache:
            cache[obj.pk] = obj.standing()
        return cache[obj.pk]

    def get_state(self, obj) -> str:
        return self._standing(obj).state.value

    def get_state_label(self, obj) -> str:
        return self._standing(obj).label

    def get_as_of(self, obj) -> datetime.date:
        return self._standing(obj).as_of


class PeriodBriefSerializer(StandingFieldsMixin, serializers.ModelSerializer):
    # Plain text here: the status enum is documented once, on TaskPeriod.
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = TaskPeriod
        fields = [
            "id",
            "year",
            "due_date",
            "status",
            "status_display",
            "is_overdue",
            "completed_on",
            "state",
            "state_label",
            "as_of",
        ]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _str_or_none(value) -> str | None:
    return None if value is None else str(value)


@functools.cache
def _decimal_field() -> serializers.DecimalField:
    return TargetSerializer().fields["value"]


@functools.cache
def _labels(model, field_name: str, language: str | None) -> dict:
    """A choice field's labels by value in `language` (built once, as `get_FOO_display` reads them)."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def _display(model, field_name: str, value, language: str | None) -> str:
    """`str(obj.get_FOO_display())`: the value's label, or the value itself when it has none."""
    try:
        return _labels(model, field_name, language)[value]
    except (KeyError, TypeError):
        return str(value)


def _target(target: Target, language: str | None) -> dict:
    """`TargetSerializer`'s representation, written out (see `TaskSerializer.to_representation`)."""
    return {
        "id": target.pk,
        "name": target.name,
        "comparator": target.comparator,
        "comparator_display": _display(Target, "comparator", target.comparator, language),
        "value": None if target.value is None else _decimal_field().to_representation(target.value),
        "unit": target.unit,
        "year": target.year,
        "source_text": target.source_text,
    }


def _period(period: TaskPeriod | PeriodRow, today: datetime.date, language: str | None) -> dict:
    """`PeriodBriefSerializer`'s representation, written out: the state judged once, as of `today`."""
    standing = period.standing(today)
    return {
        "id": period.pk,
        "year": period.year,
        "due_date": _iso(period.due_date),
        "status": period.status,
        "status_display": _display(TaskPeriod, "status", period.status, language),
        "is_overdue": standing.is_overdue,
        "completed_on": _iso(period.completed_on),
        "state": standing.state.value,
        "state_label": standing.label,
        "as_of": standing.as_of,
    }


def _related(task: Task, listed: str, relation: str) -> list:
    """The task's related rows: the list the task API's list prefetched, else the relation's."""
    rows = getattr(task, listed, None)
    return list(getattr(task, relation).all()) if rows is None else rows


class TaskSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    pairing_name = serializers.CharField(source="pairing.name", read_only=True)
    # allow_null, not default=None: DRF leaves a field answered by its default out of PATCH
    # responses, and the schema must say the name can be null (both found by the API fuzzing).
    document_name = serializers.CharField(source="document.doc_number", read_only=True, allow_null=True)
    parent_title = serializers.CharField(source="parent.title", read_only=True, allow_null=True)
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True)
    deadline_kind = choice(Task.DeadlineKind.choices, required=False)
    fulfilment = choice(Task.Fulfilment.choices, required=False, allow_blank=True)
    deadline_kind_display = serializers.CharField(source="get_deadline_kind_display", read_only=True)
    deadline_display = serializers.CharField(read_only=True)
    responsible_units = TaskUnitSerializer(source="task_units", many=True, required=False)
    required_evidence_names = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)
    periods = PeriodBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "pairing",
            "pairing_name",
            "document",
            "document_name",
            "parent",
            "parent_title",
            "number",
            "position",
            "title",
            "body",
            "area",
            "area_name",
            "responsible_units",
            "start_year",
            "end_year",
            "deadline_kind",
            "deadline_kind_display",
            "deadline_date",
            "deadline_month",
            "deadline_day",
            "deadline_text",
            "deadline_display",
            "required_evidence",
            "required_evidence_names",
            "targets",
            "periods",
            "fulfilment",
            "fund_rule",
            "version",
        ]
        extra_kwargs = {"required_evidence": {"required": False}}

    def get_required_evidence_names(self, obj) -> list[str]:
        return [k.name for k in obj.required_evidence.all()]

    def to_representation(self, task) -> dict:
        """The same keys, order and values as DRF's field-by-field representation, written out.

        A page of 50 tasks, each with its units, targets and periods (~1,500 nested values), spent
        most of its time in DRF's per-field machinery (docs/performance.md, "Page speed").
        `field_by_field` is DRF's own; tests/tasks/test_api_representation.py holds them equal.
        """
        today, language = timezone.localdate(), get_language()
        evidence = _related(task, "api_evidence", "required_evidence")
        return {
            "id": task.pk,
            "pairing": task.pairing_id,
            "pairing_name": task.pairing.name,
            "document": task.document_id,
            "document_name": _str_or_none(task.document.doc_number) if task.document_id else None,
            "parent": task.parent_id,
            "parent_title": _str_or_none(task.parent.title) if task.parent_id else None,
            "number": _str_or_none(task.number),
            "position": task.position,
            "title": task.title,
            "body": task.body,
            "area": task.area_id,
            "area_name": _str_or_none(task.area.name) if task.area_id else None,
            "responsible_units": [
                {
                    "unit": link.unit_id,
                    "unit_name": link.unit.name,
                    "role": link.role,
                    "role_display": _display(TaskUnit, "role", link.role, language),
                }
                for link in _related(task, "api_units", "task_units")
            ],
            "start_year": task.start_year,
            "end_year": task.end_year,
            "deadline_kind": task.deadline_kind,
            "deadline_kind_display": _display(Task, "deadline_kind", task.deadline_kind, language),
            "deadline_date": _iso(task.deadline_date),
            "deadline_month": task.deadline_month,
            "deadline_day": task.deadline_day,
            "deadline_text": task.deadline_text,
            "deadline_display": _str_or_none(task.deadline_display),
            "required_evidence": [kind.pk for kind in evidence],
            "required_evidence_names": [kind.name for kind in evidence],
            "targets": [_target(target, language) for target in _related(task, "api_targets", "targets")],
            "periods": [
                _period(period, today, language) for period in _related(task, "api_periods", "periods")
            ],
            "fulfilment": task.fulfilment,
            "fund_rule": task.fund_rule_id,
            "version": task.version,
        }

    def field_by_field(self, task) -> dict:
        """DRF's representation (what `to_representation` writes out)."""
        return super().to_representation(task)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # Model rules (deadline complete, parent and area in the same pairing) with the merged values.
        probe = Task(
            **{
                f.name: attrs.get(f.name, getattr(self.instance, f.name, None))
                for f in Task._meta.concrete_fields
                if f.name not in {"id"} and (f.name in attrs or self.instance is not None)
            }
        )
        if self.instance is not None:
            probe.pk = self.instance.pk
        probe.clean()
        pairing = attrs.get("pairing", getattr(self.instance, "pairing", None))
        problem = document_problem(attrs.get("document", getattr(self.instance, "document", None)), pairing)
        if problem:
            raise serializers.ValidationError({"document": problem})
        for kind in attrs.get("required_evidence", []):
            if pairing is not None and kind.pairing_id != pairing.pk:
                raise serializers.ValidationError({"required_evidence": _("材料类型不属于本结对。")})
        return attrs


class EvidenceSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind.name", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "kind_name", "original_name", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return f"/api/v1/progress-reports/{obj.report_id}/evidence/{obj.pk}/"


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="pdf、jpg、png、docx、xlsx")
    kind = serializers.PrimaryKeyRelatedField(
        queryset=EvidenceKind.objects.all(), required=False, allow_null=True
    )


class ReportValueSerializer(serializers.ModelSerializer):
    target_name = serializers.CharField(source="target.name", read_only=True)
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())

    class Meta:
        model = ReportValue
        fields = ["target", "target_name", "value"]


class ProgressReportSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    task = serializers.IntegerField(source="period.task_id", read_only=True)
    task_title = serializers.CharField(source="period.task.title", read_only=True)
    pairing_name = serializers.CharField(source="period.task.pairing.name", read_only=True)
    year = serializers.IntegerField(source="period.year", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = choice(ProgressReport.Status.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # null for a report without a person behind it (written by an import or a job): with a source of
    # "created_by.__str__" DRF rendered None's method wrapper ("<method-wrapper '__str__' …>").
    created_by_name = serializers.StringRelatedField(source="created_by", allow_null=True)
    reviewed_by_name = serializers.StringRelatedField(source="reviewed_by", allow_null=True)
    values = ReportValueSerializer(many=True, required=False)
    evidence = EvidenceSerializer(many=True, read_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "task",
            "task_title",
            "pairing_name",
            "year",
            "unit",
            "unit_name",
            "status",
            "status_display",
            "text",
            "marks_done",
            "completed_on",
            "values",
            "evidence",
            "created_by_name",
            "submitted_at",
            "reviewed_by_name",
            "reviewed_at",
            "return_reason",
            "version",
        ]
        read_only_fields = ["status", "submitted_at", "reviewed_at", "return_reason"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "period" in attrs and attrs["period"] != self.instance.period:
            raise serializers.ValidationError({"period": _("不能把报告移到其他任务年度。")})
        return attrs


class TaskPeriodSerializer(StandingFieldsMixin, VersionedSerializerMixin, serializers.ModelSerializer):
    task_title = serializers.CharField(source="task.title", read_only=True)
    task_number = serializers.CharField(source="task.number", read_only=True)
    pairing = serializers.IntegerField(source="task.pairing_id", read_only=True)
    pairing_name = serializers.CharField(source="task.pairing.name", read_only=True)
    status = choice(TaskPeriod.Status.choices, required=False)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    display_status = serializers.CharField(read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = TaskPeriod
        fields = [
            "id",
            "task",
            "task_number",
            "task_title",
            "pairing",
            "pairing_name",
            "year",
            "due_date",
            "status",
            "status_display",
            "display_status",
            "is_overdue",
            "completed_on",
            "state",
            "state_label",
            "as_of",
            "note",
            "version",
        ]
        read_only_fields = ["task", "year", "completed_on"]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="退回原因")
    version = serializers.IntegerField(required=False, min_value=1)


class VersionOnlySerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1)
