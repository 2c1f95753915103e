"""Amounts are read by one strict rule (core.money.parse_money) on the API, the pages and the imports:
ASCII digits, at most two decimals, no exponent, underscore, full-width or Arabic-Indic digits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from core.money import MoneyError, parse_money

REFUSED = [
    "1e3",
    "1E+3",
    "１２３",
    "١٢٣",
    "۱۲۳",
    "1_000",
    "12.345",
    "NaN",
    "Infinity",
    "1,00",
    "12 000",
    "0x10",
    "",
]
ACCEPTED = {
    "12000000": Decimal("12000000"),
    " 12000000.5 ": Decimal("12000000.5"),
    "12,000,000.50": Decimal("12000000.50"),
    "-3.25": Decimal("-3.25"),
    "0.01": Decimal("0.01"),
    12000000: Decimal("12000000"),
    1000.0: Decimal("1000.0"),
    12.5: Decimal("12.5"),
    Decimal("7.10"): Decimal("7.10"),
}


@pytest.mark.parametrize("text", REFUSED)
def test_amounts_not_written_in_ascii_digits_are_refused_with_a_message(text):
    with pytest.raises(MoneyError) as refused:
        parse_money(text)
    assert "数值" in str(refused.value) or "小数" in str(refused.value)


@pytest.mark.parametrize(("value", "amount"), list(ACCEPTED.items()), ids=[repr(v) for v in ACCEPTED])
def test_amounts_as_people_write_them_are_read_exactly(value, amount):
    assert parse_money(value) == amount


@pytest.mark.parametrize("value", [1e-07, 1e20, float("nan"), float("inf"), True, Decimal("1.005"), None])
def test_numbers_that_are_no_amount_are_refused(value):
    with pytest.raises(MoneyError):
        parse_money(value)


def test_more_decimals_are_read_where_the_field_has_them():
    assert parse_money("2.0625", places=4) == Decimal("2.0625")
    assert parse_money("2.0625", places=None) == Decimal("2.0625")


# --- where users meet the rule ---------------------------------------------------------------


@pytest.fixture
def open_commitment(demo):
    from funds.models import FundCommitment

    return FundCommitment.objects.filter(pairing=demo["jy"], paid_total=0).order_by("year").first()


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["1e7", "１２０００００", "١٢٠٠٠٠٠", "12_000_000"])
def test_the_api_refuses_a_commitment_amount_not_in_ascii_digits(users, open_commitment, amount):
    client = Client()
    client.force_login(users["admin"])
    response = client.patch(
        f"/api/v1/fund-commitments/{open_commitment.pk}/", {"amount": amount}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "半角数字" in response.json()["amount"][0]
    before = open_commitment.amount
    open_commitment.refresh_from_db()
    assert open_commitment.amount == before


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["1e3", "１０００", "1_000"])
def test_the_api_refuses_a_payment_amount_not_in_ascii_digits(users, open_commitment, amount):
    from funds.models import Disbursement

    client = Client()
    client.force_login(users["admin"])
    before = Disbursement.objects.count()
    response = client.post(
        "/api/v1/disbursements/",
        {"commitment": open_commitment.pk, "date": "2026-01-05", "amount": amount, "voucher_no": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "amount" in response.json()
    assert Disbursement.objects.count() == before


@pytest.mark.django_db
def test_the_payment_page_refuses_arabic_indic_digits(users, open_commitment):
    from funds.models import Disbursement

    client = Client()
    client.force_login(users["jj_liaison"])
    before = Disbursement.objects.count()
    response = client.post(
        f"/funds/{open_commitment.pk}/pay/", {"date": "2026-01-05", "amount": "١٠٠٠", "voucher_no": "x"}
    )
    assert response.status_code in (200, 400)
    assert "半角数字" in response.content.decode()
    assert Disbursement.objects.count() == before


@pytest.mark.django_db
def test_the_payment_service_refuses_an_exponent(users, open_commitment):
    import datetime

    from django.core.exceptions import ValidationError

    from funds import services

    with pytest.raises(ValidationError) as refused:
        services.record_disbursement(
            open_commitment, user=users["admin"], date=datetime.date(2026, 1, 5), amount="1e3", voucher_no="x"
        )
    assert "半角数字" in str(refused.value)


def test_the_park_plan_import_refuses_full_width_figures():
    from parks.importers import _number

    with pytest.raises(ValueError):
        _number("１２０")
    assert _number("12,000.5") == Decimal("12000.5")


# --- the money input: separators as the widget adds them, 万元 beside the field -----------------


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("12,000,000", Decimal("12000000")),
        ("1,200,000.50", Decimal("1200000.50")),
        ("-3,000", Decimal("-3000")),
        ("999", Decimal("999")),
        ("1,000.5", Decimal("1000.5")),
    ],
)
def test_the_separators_the_money_input_adds_are_read(typed, amount):
    assert parse_money(typed) == amount


def test_the_money_input_shows_a_stored_amount_with_separators_and_a_typed_one_as_typed():
    from core.widgets import MoneyInput

    widget = MoneyInput()
    html = widget.render("amount", Decimal("12000000.00"), attrs={"id": "id_amount"})
    assert 'value="12,000,000"' in html and 'type="text"' in html and 'data-money="yuan"' in html
    assert 'inputmode="decimal"' in html and "{n} 万元" in html
    assert 'value="1,200,000.5"' in widget.render("amount", Decimal("1200000.50"))
    assert 'value="1e3"' in widget.render("amount", "1e3")  # shown back as typed, with its error
    assert 'data-money="wan"' in MoneyInput(unit="wan").render("planned_total", Decimal("450000"))


@pytest.mark.django_db
def test_the_payment_page_takes_an_amount_typed_with_separators(users, open_commitment):
    from funds.models import Disbursement

    client = Client()
    client.force_login(users["jj_liaison"])
    form = client.get(f"/funds/{open_commitment.pk}/pay/").content.decode()
    assert 'data-money="yuan"' in form and "js/money.js" in form
    response = client.post(
        f"/funds/{open_commitment.pk}/pay/", {"date": "2026-01-05", "amount": "1,200,000", "voucher_no": "x"}
    )
    assert response.status_code == 302
    payment = Disbursement.objects.filter(commitment=open_commitment).latest("pk")
    assert payment.amount == Decimal("1200000")
