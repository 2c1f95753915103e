"""Optimistic concurrency: two people saving the same row never silently overwrite each other.

Every protected row carries a version number (`VersionedModel.version`). Whoever edits it sends
back the version he read; the save is a conditional

    UPDATE … SET version = old + 1 WHERE id = … AND version = old

whose row count must be 1. Of two racing saves exactly one matches; the other changes nothing and
gets a conflict: `VersionConflict` in Python, a form error on a page (`VersionedFormMixin` with
`VersionedFormViewMixin`), HTTP 409 in the API (`VersionedSerializerMixin`, `VersionedViewSetMixin`).
The winner then saves the row normally, so django-simple-history writes exactly one history row.
It works the same on SQLite and PostgreSQL (no `select_for_update`, which SQLite ignores).

Use:

    class Report(VersionedModel): ...                      # adds `version`

    save_versioned(report, expected_version=3)             # raises VersionConflict when stale
    save_versioned(report, 3, conditions={"status": "submitted"})  # claim a state transition too

    class ReportForm(VersionedFormMixin, forms.ModelForm): ...
    class ReportUpdateView(VersionedFormViewMixin, UpdateView): ...

    class ReportSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
        class Meta: fields = [..., "version"]
    @versioned_schema(ReportSerializer)
    class ReportViewSet(VersionedViewSetMixin, ScopedModelViewSet): ...
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import APIException


def conflict_message() -> str:
    return _("保存失败：此记录已被其他人修改。请刷新页面查看最新内容后再修改，您这次的修改未保存。")


class VersionConflict(Exception):
    """The row changed (or left the expected state) since the caller read it; nothing was written."""

    def __init__(self, message: str | None = None):
        super().__init__(message or conflict_message())
        self.message = message or conflict_message()


class VersionedModel(models.Model):
    """Abstract base: a version number, raised by one on every versioned save."""

    version = models.PositiveIntegerField(gettext_lazy("版本号"), default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(
    instance: models.Model,
    expected_version: int | None = None,
    *,
    conditions: dict[str, Any] | None = None,
) -> None:
    """Save `instance` only if its row still has `expected_version` (and matches `conditions`).

    `expected_version` defaults to the version the instance was loaded with. A new instance is
    simply inserted. Raises `VersionConflict` and writes nothing when another save came first.
    """
    if instance.pk is None or instance._state.adding:
        instance.save()
        return
    if expected_version is None:
        expected_version = instance.version
    model = type(instance)
    with transaction.atomic():
        # The claim: on PostgreSQL a concurrent claim waits for this row lock, then matches nothing.
        claimed = model._base_manager.filter(
            pk=instance.pk, version=expected_version, **(conditions or {})
        ).update(version=F("version") + 1)
        if claimed != 1:
            raise VersionConflict()
        instance.version = expected_version + 1
        # A normal save: history (who, what) is written exactly once, by the winner only.
        instance.save()


# --- Pages -----------------------------------------------------------------------------------


class VersionedFormMixin:
    """For a ModelForm: carries the version it was shown with and refuses a stale one.

    `class TaskForm(VersionedFormMixin, forms.ModelForm)`; the hidden `version` field is added here.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        sent = cleaned.get("version")
        if self.instance.pk is not None and sent is not None and sent != self.instance.version:
            raise forms.ValidationError(conflict_message(), code="conflict")
        return cleaned

    def save(self, commit: bool = True):
        """Save under the version the user saw; a lost race becomes a form error (`VersionConflict`)."""
        instance = super().save(commit=False)
        if commit:
            sent = self.cleaned_data.get("version")
            try:
                save_versioned(instance, sent if sent is not None else None)
            except VersionConflict as conflict:
                self.add_error(None, conflict.message)
                raise
            self._save_m2m()
        return instance


class VersionedFormViewMixin:
    """For Create/UpdateViews of a `VersionedFormMixin` form: a lost race re-shows the form with the error."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except VersionConflict:
            return self.form_invalid(form)


# --- API -------------------------------------------------------------------------------------


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str | None = None):
        super().__init__(detail or conflict_message())


class VersionedSerializerMixin(serializers.Serializer):
    """`version` is read with the row and must be sent back with every change (PUT/PATCH)."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=gettext_lazy("读取时得到的版本号；修改时必须原样提交，他人已修改时返回 409。"),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            sent = attrs.get("version")
            if sent is None:
                raise serializers.ValidationError({"version": _("请提交读取时得到的版本号（version）。")})
            if sent != self.instance.version:
                raise ConflictError()
        return attrs

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        many = {}
        for name, value in validated_data.items():
            field = instance._meta.get_field(name)
            if field.many_to_many:
                many[name] = value
            else:
                setattr(instance, name, value)
        try:
            save_versioned(instance, expected)
        except VersionConflict as conflict:
            raise ConflictError(conflict.message) from conflict
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def create(self, validated_data):
        validated_data.pop("version", None)
        return super().create(validated_data)


class VersionedViewSetMixin:
    """A viewset whose writes (updates and custom actions calling services) answer a lost race with 409.

    Services raise `VersionConflict`; this turns it into `ConflictError` wherever it comes from.
    Decorate the viewset with `versioned_schema(SerializerClass)` to document the 409.
    """

    def handle_exception(self, exc):
        if isinstance(exc, VersionConflict):
            exc = ConflictError(exc.message)
        return super().handle_exception(exc)


def versioned_schema(serializer_class):
    """Class decorator: the OpenAPI schema of update/partial_update lists the 409 conflict."""
    conflict = OpenApiResponse(description="版本冲突：记录已被他人修改，未做任何修改")
    responses = {200: serializer_class, 409: conflict}
    return extend_schema_view(
        update=extend_schema(responses=responses), partial_update=extend_schema(responses=responses)
    )
