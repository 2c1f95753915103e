"""State changes of parks and projects that are more than a form save."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.history import as_actor
from parks.models import Project, ProjectInvestment


def record_investment(
    project: Project, *, year: int, amount: Decimal, user=None, notes: str = ""
) -> ProjectInvestment:
    """Set the investment in place (到位资金) of `project` for `year`: one row a year, kept with history.

    Entering a year again replaces its figure (the history keeps the old one).
    """
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("到位资金不能为负数。")})
    row = ProjectInvestment.objects.filter(project=project, year=year).first()
    if row is None:
        row = ProjectInvestment(project=project, year=year)
    elif row.amount == amount and row.notes == notes:
        return row
    row.amount = amount
    row.notes = notes
    as_actor(row, user)
    row.full_clean()
    row.save()
    return row
