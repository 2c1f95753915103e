"""Money as users write it and read it: one strict reading of an amount (`parse_money`, used by the
API's and the pages' decimal fields and by the imports), and yuan (元) with thousands separators, or
万元 where a document speaks in 万元.

Amounts are `Decimal` in yuan everywhere in the product.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# ASCII digits only (re.ASCII: \d would take full-width ０-９ and Arabic-Indic ٠-٩, which Decimal()
# reads as digits), an optional sign, thousands separators only in groups of three, a decimal point;
# no exponent, no underscore, no spaces inside.
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.([0-9]+))?", re.ASCII)


class MoneyError(ValueError):
    """An amount that is not written as the tracker reads amounts; str() is the message, in Chinese."""


def parse_money(value, *, places: int | None = 2, label: str | None = None) -> Decimal:
    """The amount written in `value`, exactly, or a MoneyError saying what is wrong.

    Text: ASCII digits 0–9 with an optional sign, a decimal point and at most `places` decimals;
    thousands separators only as 12,000,000. Refused: exponents (1e3), underscores (1_000),
    full-width (１２３) or Arabic-Indic (١٢٣) digits, NaN and infinity. Numbers from JSON or a
    workbook (int, float, Decimal) follow the same rules (a float by its shortest spelling).
    `label` names the value in the messages (“金额”; default “数值”).
    """
    label = label or _("数值")
    if isinstance(value, bool):
        raise MoneyError(_("“%(value)s”不是有效的%(label)s。") % {"value": value, "label": label})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError(_("“%(value)s”不是有效的%(label)s。") % {"value": value, "label": label})
        value = repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(_("“%(value)s”不是有效的%(label)s。") % {"value": value, "label": label})
        if places is not None and value.as_tuple().exponent < -places:
            raise MoneyError(
                _("“%(value)s”最多保留 %(places)d 位小数。") % {"value": value, "places": places}
            )
        return value
    if not isinstance(value, str):
        raise MoneyError(_("“%(value)s”不是有效的%(label)s。") % {"value": value, "label": label})
    text = value.strip()
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise MoneyError(
            _(
                "“%(value)s”不是有效的%(label)s：请只用半角数字 0–9 和小数点（如 12000000 或 12,000,000.50），不用科学计数法、全角数字或其他文字的数字。"
            )
            % {"value": text[:40], "label": label}
        )
    if places is not None and match.group(1) and len(match.group(1)) > places:
        raise MoneyError(
            _("“%(value)s”最多保留 %(places)d 位小数。") % {"value": text[:40], "places": places}
        )
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise MoneyError(
            _("“%(value)s”不是有效的%(label)s。") % {"value": text[:40], "label": label}
        ) from None


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
