"""The pairing page's section of regional indicators: both sides, their ratio, and its chart."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cooperation.scoping import is_liaison_of
from core.panels import Panel
from indicators.models import manageable_regions
from indicators.services import pairing_comparison


def pairing_panels(request, pairing) -> list[Panel]:
    return [_indicator_panel(request, pairing)]


def _indicator_panel(request, pairing) -> Panel:
    """The years come from `?indicator_year=…` (default: the pairing's years with figures).

    The pairing is already visible to the user, so its sides' figures are too (see
    RegionIndicatorQuerySet): no further scoping is needed here.
    """
    chosen = [int(y) for y in request.GET.getlist("indicator_year") if y.isdigit()]
    comparison = pairing_comparison(pairing, years=chosen or None)
    if is_liaison_of(request.user, pairing.pk):
        # Liaison staff of this pairing may enter both its sides (`manageable_regions` holds the
        # sides of every pairing they manage): no query over the regions of all their pairings.
        sides = sorted(
            {r.pk: r for r in (pairing.coastal_region, pairing.mountain_region)}.values(),
            key=lambda r: r.path,
        )
    else:
        sides = manageable_regions(request.user).filter(
            pk__in=[pairing.coastal_region_id, pairing.mountain_region_id]
        )
    return Panel(
        template="indicators/_pairing_indicators.html",
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
