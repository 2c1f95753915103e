"""Template helpers shared by every app: money in yuan, verbose names."""

from __future__ import annotations

from django import template

from core import money

register = template.Library()


register.filter("yuan", money.yuan)


@register.filter
def verbose_name(obj) -> str:
    return str(obj._meta.verbose_name)


@register.filter
def verbose_name_plural(obj) -> str:
    return str(obj._meta.verbose_name_plural)


@register.filter
def workday_note(due) -> str:
    """“（非工作日，最后工作日 2025-05-30）” when a due date falls on a weekend or statutory holiday."""
    if not due:
        return ""
    from django.utils.translation import gettext as _

    from core.calendar import last_workday_on_or_before

    effective = last_workday_on_or_before(due)
    if effective == due:
        return ""
    return _("（非工作日，最后工作日 %(day)s）") % {"day": effective.isoformat()}
