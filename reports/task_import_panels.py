"""A small section of the pairing page linking the responsibility-table import (liaison staff only).

Not picked up by cooperation/panels.py on its own (it reads ``reports.panels``): the owner of
reports/panels.py adds ``task_import_panels.pairing_panels(request, pairing)`` to its list.
One query (the liaison check), whatever the pairing's size.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cooperation.panels import Panel
from tasks import services as task_services


def pairing_panels(request, pairing) -> list[Panel]:
    if not task_services.is_liaison_of(request.user, pairing.pk):
        return []
    return [
        Panel(
            template="reports/task_import_panel.html",
            context={"pairing": pairing},
            order=35,
            title=_("导入责任分解表"),
        )
    ]
