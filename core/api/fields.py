"""Serializer fields every API shares."""

from __future__ import annotations

from rest_framework import serializers

from core.money import MoneyError, parse_money


class StrictDecimalField(serializers.DecimalField):
    """DRF's DecimalField reading its input with `parse_money`: no exponent, underscore, full-width
    or Arabic-Indic digit, at most `decimal_places` decimals. Every model DecimalField of a
    ModelSerializer gets this field (core/apps.py), declared ones name it."""

    def to_internal_value(self, data):
        try:
            value = parse_money(data, places=self.decimal_places)
        except MoneyError as error:
            raise serializers.ValidationError(str(error), code="invalid") from None
        return super().to_internal_value(value)
