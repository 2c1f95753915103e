"""The base viewset of every API endpoint: scoped reads, writes that must stay in scope."""

from __future__ import annotations

from django.db import transaction
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from ..permissions import can_manage, denied_message


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A viewset whose every query goes through the scope, and whose writes must stay in it."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

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
