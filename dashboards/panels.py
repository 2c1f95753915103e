"""The pairing page's link to the pairing's dashboard (the leader's one page)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.panels import Panel


def pairing_panels(request, pairing) -> list[Panel]:
    """No query: the linked page computes its figures."""
    return [
        Panel(
            template="dashboards/dashboard_panel.html",
            context={"pairing": pairing, "year": timezone.localdate().year},
            order=15,
            title=_("数据看板"),
        )
    ]
