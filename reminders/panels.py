"""The pairing page's reminders section: its reporting rounds, urging notices and reminder rules."""

from __future__ import annotations

from cooperation.panels import Panel
from cooperation.permissions import can_manage

from .models import ReportingRound, UrgingNotice


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
