"""The years the tracker deals in: 2000–2100, for years and for dates alike.

A pairing, a task or a fund commitment outside them is a typing error (0, 20025, 1000–3000), and
an unbounded one is costly: a pairing spanning 1000–3000 would give every yearly task 2,001
periods, and year 0 is no date at all (a page computing a due date answered 500). The validators
are declared on the model fields, so the page forms, the API and the admin refuse the same values
with the same message.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

YEAR_MIN = 2000
YEAR_MAX = 2100
DATE_MIN = datetime.date(YEAR_MIN, 1, 1)
DATE_MAX = datetime.date(YEAR_MAX, 12, 31)


@deconstructible
class YearValidator:
    """A year within YEAR_MIN–YEAR_MAX (not a Min/MaxValueValidator: DRF would drop its message)."""

    message = _("年份应在 %(min)d 至 %(max)d 年之间（填写的是 %(value)s）。")
    code = "year_out_of_range"

    def __call__(self, value) -> None:
        if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
            raise ValidationError(
                self.message, code=self.code, params={"min": YEAR_MIN, "max": YEAR_MAX, "value": value}
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, YearValidator)


@deconstructible
class DateValidator:
    """A date within DATE_MIN–DATE_MAX."""

    message = _("日期应在 %(min)s 至 %(max)s 之间（填写的是 %(value)s）。")
    code = "date_out_of_range"

    def __call__(self, value) -> None:
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat(), "value": value},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DateValidator)


def check_year(value: int | None, field: str) -> None:
    """For services that take a year straight from a page: a ValidationError on `field`."""
    try:
        YearValidator()(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def check_date(value: datetime.date | None, field: str) -> None:
    """For services that take a date straight from a page: a ValidationError on `field`."""
    try:
        DateValidator()(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
