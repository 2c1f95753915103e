"""Funds pages as the liaison, the finance officer, the receiving side and a leader see them."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from funds.models import Disbursement, FundCommitment

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def row_of(page: str, year: int) -> str:
    match = re.search(rf'<tr data-year="{year}">(.*?)</tr>', page)
    assert match, f"no row for {year}"
    return match.group(1)


def test_the_jinjiang_youxi_page_shows_2025_promised_paid_outstanding_and_lateness(client_for, demo):
    page = text(client_for("leader").get(f"/pairings/{demo['jy'].pk}/"))
    row = row_of(page, 2025)
    assert "¥12,000,000" in re.search(r'class="num promised">(.*?)<', row).group(1)
    assert re.search(r'class="num paid">(.*?)<', row).group(1) == "¥12,000,000"
    assert re.search(r'class="num outstanding">(.*?)<', row).group(1) == "¥0"
    assert "足额拨付，逾期 20 天" in row and "每年4月底前" in row
    assert "按时足额拨付" in row_of(page, 2024)
    row_2026 = row_of(page, 2026)
    assert "¥12,000,000" in re.search(r'class="num outstanding[^"]*">(.*?)<', row_2026).group(1)
    if timezone.localdate() > datetime.date(2026, 4, 30):
        assert "outstanding overdue" in row_2026  # nothing paid after the due date: red


def test_a_pairing_without_funds_has_no_funds_panel(client_for, demo):
    page = text(client_for("admin").get(f"/pairings/{demo['mn'].pk}/"))
    assert 'id="funds"' not in page


def test_fund_list_groups_by_pairing_and_shows_the_chain(client_for, demo):
    page = text(client_for("yx_liaison").get("/funds/"))
    assert "晋江市—尤溪县山海协作" in page and "温州" not in page
    assert 'data-step="use_list"' in page and "前序环节逾期" not in page  # mini chain: no details
    assert text(client_for("wz_liaison").get("/funds/")).count("晋江市—尤溪县山海协作") == 0


def test_the_commitment_page_shows_the_ledger_chain_and_use_list(client_for, commitment):
    page = text(client_for("yx_liaison").get(f"/funds/{commitment.pk}/"))
    assert 'id="promised">¥12,000,000<' in page and 'id="outstanding" class="">¥0<' in page
    assert "晋财拨〔2025〕0520号（演示）" in page
    assert "前序环节逾期" in page  # the list came late, so the payment step is flagged
    assert "尤溪县纺织产业链延链补链项目" in page and "逾期报送" in page
    assert "晋江市每年4月底前安排山海协作专项资金1200万元" in page
    assert 'id="payment-form"' not in page  # fully paid: nothing left to pay


def test_another_pairings_commitment_is_404(client_for, commitment):
    assert client_for("wz_liaison").get(f"/funds/{commitment.pk}/").status_code == 404
    assert client_for("wz_liaison").post(f"/funds/{commitment.pk}/pay/", {}).status_code == 404


def test_finance_officer_records_a_payment_through_the_page(client_for, open_2026, finance):
    client = client_for(None)
    client.force_login(finance)
    page = text(client.get(f"/funds/{open_2026.pk}/"))
    assert 'id="payment-form"' in page
    response = client.post(
        f"/funds/{open_2026.pk}/pay/",
        {"date": "2026-05-06", "amount": "4000000", "voucher_no": "晋财拨〔2026〕0506号"},
    )
    assert response.status_code == 302
    open_2026.refresh_from_db()
    assert open_2026.paid == Decimal("4000000")
    page = text(client.get(f"/funds/{open_2026.pk}/"))
    assert re.search(r'id="outstanding" class="(overdue)?">¥8,000,000<', page)


def test_overpaying_on_the_page_shows_the_message_and_changes_nothing(client_for, open_2026, finance):
    client = client_for(None)
    client.force_login(finance)
    response = client.post(f"/funds/{open_2026.pk}/pay/", {"date": "2026-05-06", "amount": "12000000.01"})
    assert response.status_code == 400
    assert "超过尚未拨付的 ¥12,000,000.00" in response.content.decode()
    response = client.post(f"/funds/{open_2026.pk}/pay/", {"date": "2026-05-06", "amount": "-1"})
    assert "金额必须大于零" in response.content.decode()
    assert not Disbursement.objects.filter(commitment=open_2026).exists()


@pytest.mark.parametrize("persona", ["leader", "yx_reporter", "jj_reporter"])
def test_readers_cannot_record_payments_and_see_no_form(client_for, open_2026, persona):
    client = client_for(persona)
    assert 'id="payment-form"' not in text(client.get(f"/funds/{open_2026.pk}/"))
    response = client.post(f"/funds/{open_2026.pk}/pay/", {"date": "2026-05-06", "amount": "1"})
    assert response.status_code == 403 and "拨付单位" in response.content.decode()
    assert not open_2026.disbursements.exists()


def test_receiving_side_confirms_arrival_paying_side_cannot(client_for, open_2026, finance):
    from funds import services

    services.record_disbursement(open_2026, user=finance, date=open_2026.due, amount=1000)
    assert client_for("jj_liaison").post(f"/funds/{open_2026.pk}/confirm/", {}).status_code == 403
    response = client_for("yx_liaison").post(
        f"/funds/{open_2026.pk}/confirm/", {"date": "2026-05-02", "amount": "1000"}
    )
    assert response.status_code == 302
    open_2026.refresh_from_db()
    assert open_2026.confirmed == 1000


def test_reversal_through_the_page_appends_a_row(client_for, open_2026, finance):
    from funds import services

    payment = services.record_disbursement(open_2026, user=finance, date=open_2026.due, amount=500)
    client = client_for(None)
    client.force_login(finance)
    assert client.post(f"/funds/disbursements/{payment.pk}/reverse/", {"note": ""}).status_code == 400
    assert client.post(f"/funds/disbursements/{payment.pk}/reverse/", {"note": "录入错误"}).status_code == 302
    assert open_2026.disbursements.count() == 2
    open_2026.refresh_from_db()
    assert open_2026.paid == 0
    assert (
        client_for("leader").post(f"/funds/disbursements/{payment.pk}/reverse/", {"note": "x"}).status_code
        == 403
    )


def test_receiving_side_adds_a_use_project_and_history_names_him(client_for, open_2026, users):
    response = client_for("yx_liaison").post(
        f"/funds/{open_2026.pk}/use-projects/new/",
        {
            "name": "尤溪竹加工绿色化改造项目",
            "kind": "hematopoietic",
            "planned_amount": "500000",
            "spent_amount": "0",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    project = open_2026.use_projects.get(name="尤溪竹加工绿色化改造项目")
    assert project.history.get().history_user == users["yx_liaison"]
    bad = client_for("yx_liaison").post(
        f"/funds/use-projects/{project.pk}/edit/",
        {
            "name": project.name,
            "kind": "hematopoietic",
            "planned_amount": "500000",
            "spent_amount": "600000",
            "status": "planned",
        },
    )
    assert bad.status_code == 200 and "已支出不能超过计划安排金额" in bad.content.decode()
    assert client_for("leader").get(f"/funds/use-projects/{project.pk}/edit/").status_code == 403


def test_fund_list_and_pairing_page_run_a_constant_number_of_queries(client_for, demo, jy_rule, finance):
    from funds import services

    client = client_for("yx_liaison")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/funds/", f"/pairings/{demo['jy'].pk}/", "/funds/use-projects/"]
    before = {url: count(url) for url in urls}
    for year in range(2027, 2031):
        c, _ = services.ensure_yearly_commitment(jy_rule, year)
        for i in range(3):
            services.record_disbursement(c, user=finance, date=c.due.replace(year=2026), amount=1000 + i)
        c.use_projects.create(name=f"项目{year}", kind="other", planned_amount=1000)
    assert FundCommitment.objects.filter(pairing=demo["jy"]).count() == 7
    assert {url: count(url) for url in urls} == before


def test_a_commitments_terms_are_corrected_by_a_superuser_only_liaisons_keep_notes(client_for, api_for, demo):
    """Either side moving the terms could make itself on time: jj_liaison lowering the amount to
    what was paid, yx_liaison moving the list's deadline. Both see the terms read-only; their posts
    change the notes only; the API refuses the terms with the reason; a superuser corrects them."""
    c = FundCommitment.objects.get(pairing=demo["jy"], year=2026)
    data = {
        "purpose": c.purpose,
        "amount": "7000000",
        "due": "2026-05-15",
        "due_text": "每年4月底前（经商定延至5月15日）",
        "use_list_due": "2026-12-31",
        "notes": "已与尤溪县财政局核对",
    }
    assert client_for("leader").post(f"/funds/{c.pk}/edit/", data).status_code == 403
    page = client_for("jj_liaison").get(f"/funds/{c.pk}/edit/")
    assert "承诺条款以文件为准，只有系统管理员可以修改。" in page.content.decode()
    assert 'name="amount"' in page.content.decode() and "disabled" in page.content.decode()
    for liaison in ("jj_liaison", "yx_liaison"):
        assert client_for(liaison).post(f"/funds/{c.pk}/edit/", data).status_code == 302
        c.refresh_from_db()
        assert (c.amount, str(c.due), c.use_list_due.isoformat()) == (12000000, "2026-04-30", "2026-03-31")
        assert c.notes == "已与尤溪县财政局核对"
    for liaison, field, value in (
        ("jj_liaison", "amount", "7000000"),
        ("yx_liaison", "use_list_due", "2026-12-31"),
    ):
        answer = api_for(liaison).patch(f"/api/v1/fund-commitments/{c.pk}/", {field: value}, format="json")
        assert answer.status_code == 400 and "只有系统管理员可以修改" in answer.json()[field][0]
    assert (
        api_for("jj_liaison")
        .patch(f"/api/v1/fund-commitments/{c.pk}/", {"notes": "补充说明"}, format="json")
        .status_code
        == 200
    )
    assert client_for("admin").post(f"/funds/{c.pk}/edit/", data).status_code == 302
    c.refresh_from_db()
    assert (c.amount, str(c.due)) == (7000000, "2026-05-15")
    assert c.history.first().history_user.username == "admin"
