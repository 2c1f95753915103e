"""One rule for a figure a document words as "左右" (about): when it counts as met.

"增长6%左右" is met by 5.6 %: an about-target is met from half a point below it for rates and
growths, and from 2 % below it for amounts and counts. Task targets (``tasks.Target``) and
indicator figures (``indicators.IndicatorValue``) both ask this function.
"""

from __future__ import annotations

from decimal import Decimal

ABOUT_POINTS = Decimal("0.5")
ABOUT_SHARE = Decimal("0.02")


def about_met(actual: Decimal, target: Decimal, *, rate: bool) -> bool:
    """Whether ``actual`` reaches an about-``target`` (a rate in percent when ``rate``)."""
    margin = ABOUT_POINTS if rate else abs(target) * ABOUT_SHARE
    return actual >= target - margin
