"""The base viewset of every API endpoint: scoped reads, writes that must stay in scope."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from core.permissions import VIEW, can_manage, denied_message, freeze_scope, restrict, set_once_fields


def scope_choices(serializer, user) -> None:
    """Narrow every writable relation of `serializer` (nested ones too) to the rows `user` may see.

    The browsable API's selects list only those, and an id of a row outside the user's scope is
    refused with the very words of an id that does not exist ("对象不存在").
    """
    for field in serializer.fields.values():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            scope_choices(field, user)
            continue
        relation = getattr(field, "child_relation", field)
        queryset = getattr(relation, "queryset", None)
        if queryset is not None and hasattr(queryset, "visible_to"):
            relation.queryset = queryset.visible_to(user)


class SetOnce:
    """A serializer validator: the fields that decide who sees a row keep their value on update.

    Only superusers move a unit to another region or a pairing to other sides (`set_once_fields`);
    sending the current value back (a PUT of the whole row) is accepted.
    """

    requires_context = True

    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def __call__(self, attrs, serializer) -> None:
        instance = serializer.instance
        errors = {}
        for name in self.names:
            field = serializer.fields.get(name)
            if field is None or field.read_only or field.source not in attrs:
                continue
            new = attrs[field.source]
            old = getattr(instance, field.source)
            if hasattr(old, "all"):  # a many-to-many manager
                same = {getattr(v, "pk", v) for v in new} == set(old.values_list("pk", flat=True))
            else:
                same = getattr(new, "pk", new) == getattr(old, "pk", old)
            if not same and name in getattr(serializer.Meta.model, "promise_fields", ()):
                errors[name] = _(
                    "“%(field)s”是双方约定的承诺条款，以文件为准，只有系统管理员可以修改（修改请联系考核办）。"
                ) % {"field": field.label or name}
            elif not same:
                errors[name] = _("“%(field)s”决定谁能看到和管理这条记录，只有系统管理员可以修改。") % {
                    "field": field.label or name
                }
        if errors:
            raise serializers.ValidationError(errors)


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A viewset whose every query goes through the scope, and whose writes must stay in it."""

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, VIEW)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in permissions.SAFE_METHODS:
            # Every check of this write, the one after the save included, reads the user's scope as
            # it was before the write: a change can never approve itself.
            freeze_scope(type(self).queryset, request.user)

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        if user is None or user.is_superuser or isinstance(serializer, serializers.ListSerializer):
            return serializer
        if user.is_authenticated:
            scope_choices(serializer, user)
        if serializer.instance is not None:
            names = set_once_fields(serializer.Meta.model)
            if names:
                serializer.validators = [*serializer.validators, SetOnce(names)]
        return serializer

    def _save_within_scope(self, serializer) -> None:
        with transaction.atomic():
            instance = serializer.save()
            if not can_manage(self.request.user, instance):
                # Rolls back the save (and its history row) before anybody sees it.
                raise PermissionDenied(denied_message())

    def perform_create(self, serializer) -> None:
        self._save_within_scope(serializer)

    def perform_update(self, serializer) -> None:
        self._save_within_scope(serializer)
