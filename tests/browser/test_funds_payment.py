"""In a real browser: the finance officer of 晋江市财政局 records a 2026 payment; the pairing page shows 2025."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_officer_records_a_payment_and_sees_it_on_the_funds_page(page, live_server):
    call_command("load_demo", "--quiet")
    from funds.models import FundCommitment

    commitment = FundCommitment.objects.get(pairing__name="晋江市—尤溪县山海协作", year=2026)
    login(page, live_server, "jj_finance")
    page.click("nav.mainnav >> text=资金")
    page.wait_for_load_state("networkidle")
    row_2025 = page.locator('tr[data-year="2025"]')
    assert row_2025.locator(".promised").inner_text() == "¥12,000,000"
    assert "足额拨付，逾期 20 天" in row_2025.inner_text()
    page.click('tr[data-year="2026"] >> a')
    page.wait_for_load_state("networkidle")
    assert page.locator("#outstanding").inner_text() == "¥12,000,000"
    # Too much first: the message comes back and nothing is recorded.
    page.fill("#id_date", "2026-05-06")
    page.fill("#id_amount", "13000000")
    page.click("#payment-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "超过尚未拨付的 ¥12,000,000.00" in page.locator(".error").first.inner_text() + page.content()
    commitment.refresh_from_db()
    assert commitment.paid == 0
    page.fill("#id_amount", "4000000")
    page.fill("#id_voucher_no", "晋财拨〔2026〕0506号")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert page.locator("#paid").inner_text() == "¥4,000,000"
    assert page.locator("#outstanding").inner_text() == "¥8,000,000"
    assert "晋财拨〔2026〕0506号" in page.locator("#ledger").inner_text()
    commitment.refresh_from_db()
    assert commitment.paid == Decimal("4000000")
    # The stylesheet of the funds pages came from the app itself.
    assert page.evaluate("getComputedStyle(document.querySelector('.chain')).display") == "flex"
    screenshot(page, "funds_commitment_2026")
    assert page.outside_requests == []
