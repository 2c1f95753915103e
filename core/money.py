"""Money as users read it: yuan (元) with thousands separators, or 万元 where a document speaks in 万元.

Amounts are `Decimal` in yuan everywhere in the product; these functions only format them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def _decimal(value) -> Decimal | None:
    try:
        return value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def yuan(value) -> str:
    """12000000 → ¥12,000,000 (cents shown only when there are any); nothing → “—”."""
    if value is None or value == "":
        return "—"
    amount = _decimal(value)
    if amount is None:
        return str(value)
    if amount == amount.to_integral():
        return f"¥{amount:,.0f}"
    return f"¥{amount:,.2f}"


def yuan_cents(value: Decimal) -> str:
    """¥12,000,000.00: always two decimals, for messages that confirm an amount to the cent."""
    return f"¥{value:,.2f}"


def wan(value) -> str:
    """A figure in 万元 as entered: 450000 → 450,000; 2.5 → 2.5 (no trailing zeros, no rounding)."""
    if value is None or value == "":
        return "—"
    amount = _decimal(value)
    if amount is None:
        return str(value)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,f}".rstrip("0").rstrip(".")
