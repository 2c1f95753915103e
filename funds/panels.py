"""The funds section of the pairing page: each year's promise, payment and whether it was on time."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.panels import Panel
from funds.models import FundCommitment


def pairing_panels(request, pairing) -> list[Panel]:
    from funds.views import commitments_with_ledger

    commitments = list(
        commitments_with_ledger(
            FundCommitment.objects.visible_to(request.user).filter(pairing=pairing)
        ).order_by("-year", "due")
    )
    if not commitments:
        return []
    return [
        Panel("funds/panel.html", {"commitments": commitments, "pairing": pairing}, order=30, title=_("资金"))
    ]
