"""Form fields every app's pages share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.money import MoneyError, parse_money


class StrictDecimalField(forms.DecimalField):
    """Django's DecimalField reading its input with `parse_money` (the API's rule): no exponent,
    underscore, full-width or Arabic-Indic digit, at most `decimal_places` decimals."""

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_money(value, places=self.decimal_places)
        except MoneyError as error:
            raise ValidationError(str(error), code="invalid") from None
