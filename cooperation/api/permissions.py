"""DRF side of the permission rules of cooperation/permissions.py."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from ..models import Role
from ..permissions import (
    can_create_pairing,
    can_delete_pairing,
    can_manage,
    create_pairing_denied_message,
    denied_message,
)


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


class PairingPermission(ScopedPermission):
    """Pairings: the admin creates and deletes them (pairings and sub-pairings alike, as in the admin
    site: no page offers it to anybody else); their liaison staff change them (`ScopedPermission`)."""

    def has_permission(self, request, view) -> bool:
        if request.user.is_authenticated:
            if request.method == "POST":
                # Refused before the body is read.
                if can_create_pairing(request.user):
                    return True
                raise PermissionDenied(create_pairing_denied_message())
            if request.method == "DELETE" and can_delete_pairing(request.user):
                return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method == "DELETE":
            if can_delete_pairing(request.user):
                return True
            raise PermissionDenied(_("只有系统管理员可以删除结对关系，请联系管理员。"))
        return super().has_object_permission(request, view, obj)
