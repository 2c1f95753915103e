"""The reminders sections: on the pairing page its reporting rounds, urging notices and reminder
rules; on a task's page the 催办 / 督办 of its periods."""

from __future__ import annotations

from core.panels import Panel
from core.permissions import can_manage
from reminders.models import ReportingRound, UrgingNotice
from tasks.models import period_key


def pairing_panels(request, pairing) -> list[Panel]:
    rounds = list(ReportingRound.objects.filter(pairing=pairing).order_by("-due_date")[:5])
    open_notices = (
        UrgingNotice.objects.filter(pairing=pairing).exclude(status=UrgingNotice.Status.ANSWERED).count()
    )
    context = {
        "rounds": rounds,
        "open_notices": open_notices,
        "can_manage": can_manage(request.user, pairing),
        "pairing": pairing,
    }
    return [Panel("reminders/panel.html", context, order=45)]


def task_panels(request, task, periods) -> list[Panel]:
    """The 催办 / 督办 steps of the task's periods (reminders/engine.py issues them); one query."""
    notices = list(
        UrgingNotice.objects.filter(
            item_key__in=[period_key(period.pk) for period in periods]
        ).select_related("unit")
    )
    if not notices:
        return []
    return [Panel("reminders/task_notices.html", {"notices": notices}, order=50)]
