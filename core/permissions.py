"""Permissions, declared once and read by every API view and page.

One entry point, `restrict(queryset, user, action)`: "view" gives the rows the user may see,
"change" (and "add", "delete") the rows he may change. The rule itself belongs to the model's
queryset (`visible_to(user)` / `manageable_by(user)`; for pairing data, cooperation/scoping.py), so
lists, filters, exports and writes all ask the same question. A new or changed object must land in
what the user may manage (nobody moves a row into a pairing he does not manage). A refusal is a 403
with a message in the user's language and changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """The rows of `queryset` on which `user` may perform `action`."""
    if action == VIEW:
        return queryset.visible_to(user)
    if action in (ADD, CHANGE, DELETE):
        return queryset.manageable_by(user)
    raise ValueError(f"unknown action {action!r}; one of {ACTIONS}")


def set_once_fields(model) -> tuple[str, ...]:
    """Fields that decide who sees or manages a row: set when it is created, then only by superusers.

    A model names them in `scope_defining_fields` (a unit's region, a pairing's sides and parent,
    a commitment's payer and receiver), and the terms of a two-party promise in `promise_fields` (a
    commitment's amount and deadlines: either side changing them could make itself on time); the first step of its `scope_field` (the pairing, the
    commitment, the task a row belongs to) is always one of them: moving a row to another pairing
    would show it to people who did not see it.
    """
    names = list(getattr(model, "scope_defining_fields", ())) + list(getattr(model, "promise_fields", ()))
    first = (getattr(model, "scope_field", "") or "").split("__")[0]
    if first and first not in names and model._meta.get_field(first).many_to_one:
        names.append(first)
    return tuple(names)


def freeze_scope(queryset: QuerySet, user) -> None:
    """From now on in this request, `user`'s scope is read as it is now (see `restrict`)."""
    freeze = getattr(queryset, "freeze_scope", None)
    if freeze is not None and user is not None and user.is_authenticated:
        freeze(user)


def denied_message() -> str:
    return _("您没有权限修改此内容：只有本结对的联络员可以修改。")


def can_manage(user, obj: Model) -> bool:
    """True when `user` may change or delete `obj` (one query)."""
    return restrict(type(obj)._default_manager.all(), user, CHANGE).filter(pk=obj.pk).exists()


class ScopedPageMixin(LoginRequiredMixin):
    """Pages: `get_queryset` is the user's scope; `manage = True` narrows it to what he may change.

    An object outside what the user may see is a 404; one he may see but not change is a 403.
    """

    manage = False

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, VIEW)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.manage and not can_manage(self.request.user, obj):
            raise PermissionDenied(denied_message())
        return obj
