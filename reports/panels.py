"""The pairing page's sections of the reports app: regional indicators (both sides, their ratio, and
its chart) and the link to the pairing's dashboard (the leader's one page)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.panels import Panel

from .indicators import pairing_comparison
from .models import manageable_regions


def pairing_panels(request, pairing) -> list[Panel]:
    """The link to the pairing's dashboard, the regional indicators, and (for liaison staff) the
    responsibility-table import, whose module cooperation/panels.py does not look up by itself."""
    panels = [_indicator_panel(request, pairing), _dashboard_panel(pairing)]
    if find_spec("reports.task_import_panels") is not None:
        panels += import_module("reports.task_import_panels").pairing_panels(request, pairing)
    return panels


def _dashboard_panel(pairing) -> Panel:
    """A link to the leader's one page of the pairing (no query: the page computes its figures)."""
    return Panel(
        template="reports/dashboard_panel.html",
        context={"pairing": pairing, "year": timezone.localdate().year},
        order=15,
        title=_("数据看板"),
    )


def _indicator_panel(request, pairing) -> Panel:
    """The years come from `?indicator_year=…` (default: the pairing's years with figures).

    The pairing is already visible to the user, so its sides' figures are too (see
    RegionIndicatorQuerySet): no further scoping is needed here.
    """
    chosen = [int(y) for y in request.GET.getlist("indicator_year") if y.isdigit()]
    comparison = pairing_comparison(pairing, years=chosen or None)
    sides = manageable_regions(request.user).filter(
        pk__in=[pairing.coastal_region_id, pairing.mountain_region_id]
    )
    return Panel(
        template="reports/_pairing_indicators.html",
        context={
            "comparison": comparison,
            "chart": comparison.chart(),
            "pairing": pairing,
            "enter_regions": list(sides),
            "entry_year": comparison.years[-1] if comparison.years else pairing.start_year,
        },
        order=60,
        title=_("发展指标"),
    )
