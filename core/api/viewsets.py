"""The base viewset of every API endpoint: scoped reads, writes that must stay in scope."""

from __future__ import annotations

from django.db import transaction
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from core.permissions import VIEW, can_manage, denied_message, restrict


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A viewset whose every query goes through the scope, and whose writes must stay in it."""

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, VIEW)

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
