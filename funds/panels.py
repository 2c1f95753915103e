"""The funds section of the pairing page: each year's promise, payment and whether it was on time."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.panels import Panel
from funds.models import Disbursement, FundCommitment


def pairing_panels(request, pairing) -> list[Panel]:
    """Two queries: the commitments and their payments. The panel shows the amount, the paid total
    (a column of the commitment) and the payment's state (`payment_state`, judged from the payments'
    ledger): the arrivals and the use projects of the funds page are not read here."""
    commitments = list(
        FundCommitment.objects.visible_to(request.user)
        .filter(pairing=pairing)
        .prefetch_related(Prefetch("disbursements", queryset=Disbursement.objects.order_by("date", "pk")))
        .order_by("-year", "due")
    )
    if not commitments:
        return []
    return [
        Panel("funds/panel.html", {"commitments": commitments, "pairing": pairing}, order=30, title=_("资金"))
    ]
