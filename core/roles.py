"""The roles a user holds in the product; every permission rule reads them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LIAISON = "liaison", _("联络员")
    REPORTER = "reporter", _("填报员")
    VIEWER = "viewer", _("只读（领导）")


# Role predicates: the one way code asks which role a user holds (an anonymous user holds none).
def is_liaison(user) -> bool:
    """Liaison staff (联络员): manage their pairings' data."""
    return getattr(user, "role", None) == Role.LIAISON


def is_reporter(user) -> bool:
    """Reporters (填报员): report on their own unit's tasks."""
    return getattr(user, "role", None) == Role.REPORTER


def is_viewer(user) -> bool:
    """Read-only users (leaders)."""
    return getattr(user, "role", None) == Role.VIEWER


def liaison_or_superuser(user) -> bool:
    """Who may use the liaison's tools at all (whose pairings they reach is the scope's question)."""
    return bool(user.is_authenticated and (user.is_superuser or is_liaison(user)))
