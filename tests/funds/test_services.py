"""Recording payments, reversals and arrivals: who may, what is refused, what the ledger keeps."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from funds import services
from funds.models import Disbursement

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 8)


def pay(commitment, user, amount, **kw):
    return services.record_disbursement(
        commitment, user=user, date=DAY, amount=amount, voucher_no="V-1", **kw
    )


def test_finance_reporter_of_the_paying_unit_records_a_partial_payment(open_2026, finance):
    row = pay(open_2026, finance, Decimal("4000000"))
    open_2026.refresh_from_db()
    assert open_2026.paid == Decimal("4000000") and open_2026.outstanding == Decimal("8000000")
    assert row.recorded_by == finance
    assert row.history.get().history_user == finance


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.001"])
def test_zero_negative_or_malformed_amounts_are_refused(open_2026, finance, amount):
    with pytest.raises(ValidationError) as info:
        pay(open_2026, finance, amount)
    assert "金额" in str(info.value)
    open_2026.refresh_from_db()
    assert open_2026.paid == 0 and not open_2026.disbursements.exists()


def test_paying_more_than_is_outstanding_is_refused_with_the_figures(open_2026, finance):
    pay(open_2026, finance, Decimal("10000000"))
    with pytest.raises(ValidationError) as info:
        pay(open_2026, finance, Decimal("2000000.01"))
    message = " ".join(info.value.messages)
    assert "超过尚未拨付的 ¥2,000,000.00" in message and "未做任何修改" in message
    open_2026.refresh_from_db()
    assert open_2026.paid == Decimal("10000000") and open_2026.disbursements.count() == 1
    pay(open_2026, finance, Decimal("2000000"))  # the exact rest is fine
    open_2026.refresh_from_db()
    assert open_2026.outstanding == 0


def test_a_future_date_is_refused(open_2026, finance):
    with pytest.raises(ValidationError, match="晚于今天"):
        services.record_disbursement(
            open_2026, user=finance, date=datetime.date(2099, 1, 1), amount=1, voucher_no="x"
        )


@pytest.mark.parametrize("persona", ["yx_reporter", "jj_reporter", "leader", "wz_liaison", "outsider"])
def test_others_cannot_record_a_payment(open_2026, users, persona):
    with pytest.raises(PermissionDenied):
        pay(open_2026, users[persona], 100)
    assert not open_2026.disbursements.exists()


def test_liaison_of_the_pairing_may_record_a_payment(open_2026, users):
    pay(open_2026, users["jj_liaison"], 100)
    assert open_2026.disbursements.count() == 1


def test_a_correction_is_a_reversal_row_and_the_payment_stays(open_2026, finance):
    payment = pay(open_2026, finance, Decimal("3000000"))
    reversal = services.reverse_disbursement(payment, user=finance, date=DAY, note="金额录错")
    open_2026.refresh_from_db()
    assert open_2026.paid == 0
    assert reversal.amount == Decimal("-3000000") and reversal.reverses == payment
    payment.refresh_from_db()
    assert payment.amount == Decimal("3000000") and payment.is_reversed
    with pytest.raises(ValidationError, match="已经冲销"):
        services.reverse_disbursement(payment, user=finance, date=DAY, note="再来一次")
    with pytest.raises(ValidationError, match="不能再被冲销"):
        services.reverse_disbursement(reversal, user=finance, date=DAY, note="x")
    assert Disbursement.objects.filter(commitment=open_2026).count() == 2


def test_confirmed_money_cannot_be_reversed_away(open_2026, finance, users):
    payment = pay(open_2026, finance, Decimal("3000000"))
    services.confirm_arrival(open_2026, user=users["yx_liaison"], date=DAY, amount=Decimal("3000000"))
    with pytest.raises(ValidationError, match="已确认到账"):
        services.reverse_disbursement(payment, user=finance, date=DAY, note="x")
    open_2026.refresh_from_db()
    assert open_2026.paid == Decimal("3000000")


def test_only_the_receiving_side_confirms_arrival_and_never_more_than_paid(
    open_2026, finance, users, yx_finance
):
    pay(open_2026, finance, Decimal("5000000"))
    for persona in ["jj_liaison", "leader", "yx_reporter"]:
        with pytest.raises(PermissionDenied):
            services.confirm_arrival(open_2026, user=users[persona], date=DAY, amount=1)
    with pytest.raises(PermissionDenied):
        services.confirm_arrival(open_2026, user=finance, date=DAY, amount=1)
    with pytest.raises(ValidationError, match="超过已拨付但未确认"):
        services.confirm_arrival(open_2026, user=yx_finance, date=DAY, amount=Decimal("5000000.01"))
    row = services.confirm_arrival(open_2026, user=yx_finance, date=DAY, amount=Decimal("5000000"))
    open_2026.refresh_from_db()
    assert open_2026.confirmed == Decimal("5000000")
    assert row.confirmed_by == yx_finance and row.unit.name == "尤溪县财政局"


def test_evidence_is_checked_and_kept_under_its_original_name(open_2026, finance):
    fake = SimpleUploadedFile("凭证.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError, match="内容与扩展名"):
        pay(open_2026, finance, 100, evidence=fake)
    assert not open_2026.disbursements.exists()
    good = SimpleUploadedFile("拨款凭证.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    row = pay(open_2026, finance, 100, evidence=good)
    assert row.evidence_name == "拨款凭证.pdf" and "拨款凭证" not in row.evidence.name


def test_submitting_the_use_list_after_31_march_is_late(open_2026, users):
    services.submit_use_list(open_2026, user=users["yx_liaison"], date=datetime.date(2026, 4, 2))
    assert open_2026.use_list_state() == "late"
    assert open_2026.history.first().history_user == users["yx_liaison"]
    with pytest.raises(PermissionDenied):
        services.submit_use_list(open_2026, user=users["leader"], date=DAY)


def test_the_demo_loads_twice_without_new_rows_or_history(demo):
    from django.core.management import call_command

    from funds.models import ArrivalConfirmation, FundCommitment, FundUseProject

    models = [FundCommitment, Disbursement, ArrivalConfirmation, FundUseProject]
    before = [(m.objects.count(), m.history.count()) for m in models]
    call_command("load_demo", "--quiet")
    assert [(m.objects.count(), m.history.count()) for m in models] == before
