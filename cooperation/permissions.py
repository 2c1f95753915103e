"""Permissions, declared once and read by every API view and page.

Seeing is decided by scoping the queryset (`Model.objects.visible_to(user)`): lists, filters and
searches can only return rows of the user's pairings. Changing is decided by
`Model.objects.manageable_by(user)`: an object may be changed or deleted only if it is in that
set, and a new or changed object must land in it (so nobody can move a row into a pairing he
does not manage). A refusal is a 403 with a message in the user's language and changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def denied_message() -> str:
    return _("您没有权限修改此内容：只有本结对的联络员可以修改。")


def can_manage(user, obj) -> bool:
    """True when `user` may change or delete `obj` (one query)."""
    return type(obj)._default_manager.manageable_by(user).filter(pk=obj.pk).exists()


class ScopedPageMixin(LoginRequiredMixin):
    """Pages: `get_queryset` is the user's scope; `manage = True` narrows it to what he may change.

    An object outside what the user may see is a 404; one he may see but not change is a 403.
    """

    manage = False

    def get_queryset(self):
        qs = super().get_queryset().visible_to(self.request.user)
        return qs

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.manage and not can_manage(self.request.user, obj):
            raise PermissionDenied(denied_message())
        return obj


def can_create_pairing(user) -> bool:
    """Pairings and sub-pairings are set up in the admin: superusers, or staff with the admin's permission.

    No page lets liaison staff create (or delete) a pairing; the API follows the same rule, so the
    liaison of a pairing cannot hang new sub-pairings under it (or anywhere else) by hand.
    """
    return user.is_authenticated and (
        user.is_superuser or (user.is_staff and user.has_perm("cooperation.add_pairing"))
    )


def create_pairing_denied_message() -> str:
    return _("只有系统管理员可以新建结对关系（含下级结对），请联系管理员在管理后台添加。")


def can_delete_pairing(user) -> bool:
    """Deleting a pairing is the admin's too (see `can_create_pairing`)."""
    return user.is_authenticated and (
        user.is_superuser or (user.is_staff and user.has_perm("cooperation.delete_pairing"))
    )
