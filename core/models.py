"""Models of the platform: the version tokens of derived figures (see core/freshness.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """The version of one family of derived figures (e.g. "figures": the dashboards' aggregates).

    `token` is a new random value after every committed write the figures depend on; cached
    figures are keyed by it, so a write makes every older entry unreachable (core/freshness.py).
    """

    name = models.CharField(_("名称"), max_length=40, primary_key=True)
    token = models.CharField(_("版本标识"), max_length=32)

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
