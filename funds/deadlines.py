"""Deadlines of the funds app for the reminder registry (core/deadlines.py).

Per commitment: the money, due by `due` (unpaid as of the day: the ledger's rows dated up to
that day leave something outstanding), and the receiving side's fund-use project list, due by
`use_list_due` (not submitted by that day). Where the commitment proves a task "confirmed on
arrival" (`Task.Fulfilment.FUND_CONFIRMED`), the money paid in full but not yet confirmed in full by
the receiving side is chased from the receiving unit, by the same due date: that task's period is
overdue until then, and the tasks app leaves fund-kept periods to this one. The money is chased
once: from the payer while unpaid, then from the receiver while unconfirmed. A commitment of a
locked year is not chased: the lock recorded the year's outcome.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from core.deadlines import DeadlineItem
from core.money import yuan
from core.queries import in_one_param
from funds.models import FundCommitment
from tasks.models import Task, YearLock


def deadlines(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Iterator[DeadlineItem]:
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
    commitments = (
        FundCommitment.objects.filter(Q(due__range=(start, end)) | Q(use_list_due__range=(start, end)))
        .exclude(
            Exists(
                YearLock.objects.filter(pairing_id=OuterRef("pairing_id"), year=OuterRef("year"), locked=True)
            )
        )
        .select_related("receiver_region")
        .annotate(
            paid_then=Coalesce(Sum("disbursements__amount", filter=Q(disbursements__date__lte=as_of)), zero),
            proves_arrival=Exists(
                Task.objects.filter(
                    fund_rule_id=OuterRef("rule_id"), fulfilment=Task.Fulfilment.FUND_CONFIRMED
                )
            ),
        )
    )
    # Arrivals confirmed by the day, for the commitments that prove a task on arrival (one query).
    confirmed_then = dict(
        FundCommitment.objects.filter(
            pk__in=in_one_param([c.pk for c in commitments if c.proves_arrival], integers=True)
        )
        .annotate(
            total=Coalesce(Sum("confirmations__amount", filter=Q(confirmations__date__lte=as_of)), zero)
        )
        .values_list("pk", "total")
    )
    for c in commitments:
        url = c.get_absolute_url()
        if start <= c.due <= end and c.paid_then < c.amount and c.payer_unit_id:
            yield DeadlineItem(
                key=f"funds.commitment:{c.pk}",
                due=c.due,
                pairing_id=c.pairing_id,
                unit_ids=(c.payer_unit_id,),
                summary=f"{c.receiver_region.name}：{yuan(c.amount)} 应于 {c.due:%Y-%m-%d} 前到位 — 已付 {yuan(c.paid_then)}",
                url=url,
                kind="fund",
            )
        unconfirmed = c.proves_arrival and c.paid_then >= c.amount and confirmed_then.get(c.pk, 0) < c.amount
        if start <= c.due <= end and unconfirmed and c.receiver_unit_id:
            yield DeadlineItem(
                key=f"funds.confirmation:{c.pk}",
                due=c.due,
                pairing_id=c.pairing_id,
                unit_ids=(c.receiver_unit_id,),
                summary=f"{c.receiver_region.name}：{yuan(c.amount)} 已拨付，应于 {c.due:%Y-%m-%d} 前确认到账 — 已确认 {yuan(confirmed_then.get(c.pk, 0))}",
                url=url,
                kind="fund_confirmation",
            )
        submitted = c.use_list_submitted is not None and c.use_list_submitted <= as_of
        if c.use_list_due and start <= c.use_list_due <= end and not submitted and c.receiver_unit_id:
            yield DeadlineItem(
                key=f"funds.use_list:{c.pk}",
                due=c.use_list_due,
                pairing_id=c.pairing_id,
                unit_ids=(c.receiver_unit_id,),
                summary=f"{c.receiver_region.name}：{c.year}年资金使用项目清单 应于 {c.use_list_due:%Y-%m-%d} 前报送",
                url=url,
                kind="fund_use_list",
            )
