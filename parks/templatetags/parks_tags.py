"""Plan figures in 万元 as entered: 450000 → 450,000; 2.5 → 2.5 (no trailing zeros, no rounding)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def wan(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    text = f"{amount:,f}".rstrip("0").rstrip(".")
    return text
