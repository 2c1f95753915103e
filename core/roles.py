"""The roles a user holds in the product; every permission rule reads them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LIAISON = "liaison", _("联络员")
    REPORTER = "reporter", _("填报员")
    VIEWER = "viewer", _("只读（领导）")
