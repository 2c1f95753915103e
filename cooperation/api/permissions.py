"""The API's rule for pairings themselves: created and deleted by the admin only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied

from cooperation.permissions import (
    can_create_pairing,
    can_delete_pairing,
    create_pairing_denied_message,
)
from core.api.permissions import ScopedPermission


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
