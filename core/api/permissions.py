"""DRF side of the permission rules of core/permissions.py."""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from core.permissions import can_manage, denied_message
from core.roles import Role


class ScopedPermission(permissions.IsAuthenticated):
    """DRF: authenticated users read what their scope shows; writes need `can_manage`.

    A view may name the roles allowed to write at all in `write_roles` (default: liaison staff);
    anybody else is refused before the request body is even looked at.
    """

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS or request.user.is_superuser:
            return True
        if request.user.role in getattr(view, "write_roles", {Role.LIAISON}):
            return True
        raise PermissionDenied(denied_message())

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if can_manage(request.user, obj):
            return True
        raise PermissionDenied(denied_message())
