"""The tasks section of the pairing page: this year's periods by status, overdue ones, links."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.panels import Panel


def pairing_panels(request, pairing) -> list[Panel]:
    from .views import status_counts

    year = timezone.localdate().year
    context = {"pairing": pairing, "year": year, **status_counts(pairing, year)}
    if context["total"] == 0 and context["overdue"] == 0:
        return []
    return [Panel(template="tasks/panel.html", context=context, order=20, title=_("任务"))]
