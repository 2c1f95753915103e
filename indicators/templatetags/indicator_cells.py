"""The pairing page's indicator table cells, written in Python (see `indicator_cells`)."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def indicator_cells(cell) -> str:
    """One side's two cells of a year's row (the value, the growth) of the pairing page's indicator
    table (indicators/_pairing_indicators.html, an `indicators.services.Cell`): an included template
    per cell, two a row for every indicator and year, was a third of the indicator section's time."""
    # Our own words, written as {% translate %} writes a literal: not escaped.
    estimated_word = gettext("预计")  # outside the f-string: xgettext does not read calls inside one
    estimate = f' <em class="muted small">{estimated_word}</em>'
    target = gettext("目标")

    def figure(found, kind: str, otherwise: str) -> str:
        title = f' title="{escape(found.source_text)}"' if found is not None and found.source_text else ""
        if found is None:
            return f'<td class="num {kind}"{title}>{otherwise}</td>'
        text = escape(found.actual_display) if found.actual_value is not None else "—"
        if found.actual_value is not None and found.actual_is_estimate:
            text += estimate
        if found.target_value is not None:
            text += f'<div class="target small">{target} {escape(found.target_display)}</div>'
        return f'<td class="num {kind}"{title}>{text}</td>'

    estimated = gettext("按上年数值推算")  # outside the f-string: xgettext does not read calls inside one
    computed = (
        f'<span title="{estimated}">{escape(localize(cell.computed_growth))}%*</span>'
        if cell.computed_growth is not None
        else "—"
    )
    return mark_safe(f"{figure(cell.figure, 'value', '—')}\n{figure(cell.growth, 'growth', computed)}\n")
