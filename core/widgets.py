"""Form widgets every app's forms share."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO date it expects (2025-04-30)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MoneyInput(forms.TextInput):
    """An amount typed with thousands separators (12,000,000), shown again in 万元 beside it.

    `static/js/money.js` groups the digits as the user types and writes "= 1,200 万元" next to an
    amount in 元 (`unit="yuan"`); an amount already in 万元 (`unit="wan"`) is only grouped. The
    server reads the text with `core.money.parse_money`, which accepts exactly these separators.
    A text input, not type=number: a number input cannot hold the separators.
    """

    def __init__(self, unit: str = "yuan", attrs=None):
        from django.utils.translation import gettext_lazy as _

        base = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "class": "money",
            "data-money": unit,
            # {n} is the amount in 万元, grouped; the script fills it in.
            "data-wan-format": _("= {n} 万元"),
        }
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value):
        """A stored amount as the user types it: 12000000.00 → 12,000,000 (cents kept when any)."""
        from decimal import Decimal, InvalidOperation

        if value in (None, ""):
            return None
        if isinstance(value, str):
            return value  # what the user typed, shown back as typed (with its error, if any)
        try:
            amount = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
        if not amount.is_finite():
            return str(value)
        if amount == amount.to_integral_value():
            return f"{amount:,.0f}"
        return f"{amount:,f}".rstrip("0")
