"""Who may create and delete pairings: the admin's work (the scope rules are in scoping.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _


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
