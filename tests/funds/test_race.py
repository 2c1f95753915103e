"""Twenty finance officers press "record payment" at the same moment (real PostgreSQL).

The total can never pass the commitment: each payment moves `paid_total` with a conditional
UPDATE in the same transaction as its ledger row, and a CHECK constraint backs it up.
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from funds import services
from funds.models import Disbursement, FundCommitment

from ..conftest import require

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_concurrently(n: int, work) -> list:
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = ("ok", work(i))
        except ValidationError as exc:
            outcomes[i] = ("refused", " ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 — any other outcome is the failure we look for
            outcomes[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a payment hung (deadlock?)"
    return outcomes


def test_twenty_concurrent_payments_never_pass_the_commitment(demo):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    from cooperation.models import User

    finance = User.objects.get(username="jj_finance")
    commitment = FundCommitment.objects.get(pairing=demo["jy"], year=2026)

    def pay(i: int):
        return services.record_disbursement(
            commitment,
            user=finance,
            date=datetime.date(2026, 4, 20),
            amount=Decimal("1000000"),
            voucher_no=f"RACE-{i}",
        ).pk

    outcomes = run_concurrently(20, pay)
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("error") == 0, outcomes
    assert kinds.count("ok") == 12 and kinds.count("refused") == 8
    assert all("超过尚未拨付" in detail for kind, detail in outcomes if kind == "refused")
    commitment.refresh_from_db()
    ledger = sum(d.amount for d in Disbursement.objects.filter(commitment=commitment))
    assert commitment.paid == ledger == commitment.amount == Decimal("12000000")


def test_twenty_concurrent_uneven_payments_stop_exactly_at_the_limit(demo):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    from cooperation.models import User

    finance = User.objects.get(username="jj_finance")
    commitment = FundCommitment.objects.get(pairing=demo["jy"], year=2026)
    amounts = [Decimal(700000 + 10000 * i) for i in range(20)]

    def pay(i: int):
        return services.record_disbursement(
            commitment, user=finance, date=datetime.date(2026, 4, 20), amount=amounts[i], voucher_no=f"U-{i}"
        ).pk

    outcomes = run_concurrently(20, pay)
    assert [k for k, _ in outcomes].count("error") == 0, outcomes
    commitment.refresh_from_db()
    paid = sum(amounts[i] for i, (k, _) in enumerate(outcomes) if k == "ok")
    assert commitment.paid == paid <= commitment.amount
    assert sum(d.amount for d in commitment.disbursements.all()) == paid
