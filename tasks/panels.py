"""The pairing page's sections of tasks: this year's periods by status and overdue ones, and (for
liaison staff) the link to the responsibility-table import."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.scoping import is_liaison_of
from core.panels import Panel


def pairing_panels(request, pairing) -> list[Panel]:
    return [*_tasks_panel(request, pairing), *table_import_panel(request, pairing)]


def _tasks_panel(request, pairing) -> list[Panel]:
    from tasks.views import status_counts

    year = timezone.localdate().year
    context = {"pairing": pairing, "year": year, **status_counts(pairing, year)}
    if context["total"] == 0 and context["overdue"] == 0:
        return []
    return [Panel(template="tasks/panel.html", context=context, order=20, title=_("任务"))]


def table_import_panel(request, pairing) -> list[Panel]:
    """One query (the liaison check), whatever the pairing's size."""
    if not is_liaison_of(request.user, pairing.pk):
        return []
    return [
        Panel(
            template="tasks/importing/task_import_panel.html",
            context={"pairing": pairing},
            order=35,
            title=_("导入责任分解表"),
        )
    ]
