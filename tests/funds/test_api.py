"""The funds API: readable names, filters, scope, the append-only ledger, the clear refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from funds import services
from funds.models import Disbursement, FundCommitment

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def finance_api(finance):
    client = APIClient()
    client.force_authenticate(finance)
    return client


def test_commitments_carry_names_and_derived_figures(api_for, demo):
    rows = results(api_for("leader").get("/api/v1/fund-commitments/", {"year": 2025}))
    assert len(rows) == 1
    row = rows[0]
    assert row["pairing_name"] == "晋江市—尤溪县山海协作"
    assert row["payer_unit_name"] == "晋江市财政局" and row["receiver_region_name"] == "尤溪县"
    assert (row["amount"], row["paid"], row["outstanding"]) == ("12000000.00", "12000000.00", "0.00")
    assert row["due"] == "2025-04-30" and row["due_text"] == "每年4月底前"
    assert (
        row["state"] == "late" and row["days_late"] == 20 and row["state_display"] == "足额拨付，逾期 20 天"
    )


def test_another_pairings_funds_never_show(api_for, demo, commitment):
    client = api_for("wz_liaison")
    # Another pairing's id reads exactly like one that does not exist (it was an empty list, and an
    # unknown id a 400: the difference told that the pairing exists).
    foreign = client.get("/api/v1/fund-commitments/", {"pairing": demo["jy"].pk})
    unknown = client.get("/api/v1/fund-commitments/", {"pairing": 99999})
    assert foreign.status_code == unknown.status_code == 400 and foreign.json() == unknown.json()
    assert results(client.get("/api/v1/disbursements/", {"q": "晋财拨"})) == []
    assert results(client.get("/api/v1/fund-use-projects/", {"q": "尤溪"})) == []
    assert client.get(f"/api/v1/fund-commitments/{commitment.pk}/").status_code == 404


def test_finance_reporter_posts_a_payment_and_gets_the_row_back(finance_api, open_2026):
    response = finance_api.post(
        "/api/v1/disbursements/",
        {"commitment": open_2026.pk, "date": "2026-05-06", "amount": "2500000.50", "voucher_no": "V-2026-1"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "payment" and body["recorded_by_name"] == "晋江财政填报员"
    assert body["pairing_name"] == "晋江市—尤溪县山海协作"
    open_2026.refresh_from_db()
    assert open_2026.paid == Decimal("2500000.50")


@pytest.mark.parametrize(
    "amount, message", [("0", "0.01"), ("-100", "0.01"), ("12000000.01", "超过尚未拨付")]
)
def test_bad_amounts_get_a_400_with_a_clear_message(finance_api, open_2026, amount, message):
    response = finance_api.post(
        "/api/v1/disbursements/",
        {"commitment": open_2026.pk, "date": "2026-05-06", "amount": amount},
        format="json",
    )
    assert response.status_code == 400
    assert message in str(response.json())
    assert not open_2026.disbursements.exists()


def test_the_ledger_cannot_be_edited_or_deleted_only_reversed(finance_api, open_2026, finance):
    row = services.record_disbursement(open_2026, user=finance, date=open_2026.due, amount=1000)
    assert (
        finance_api.patch(f"/api/v1/disbursements/{row.pk}/", {"amount": "1"}, format="json").status_code
        == 405
    )
    assert finance_api.delete(f"/api/v1/disbursements/{row.pk}/").status_code == 405
    response = finance_api.post(f"/api/v1/disbursements/{row.pk}/reverse/", {"note": "录错"}, format="json")
    assert response.status_code == 201 and response.json()["amount"] == "-1000.00"
    assert Disbursement.objects.filter(commitment=open_2026).count() == 2


@pytest.mark.parametrize("persona", ["leader", "yx_reporter", "jj_reporter"])
def test_others_may_not_post_payments(api_for, open_2026, persona):
    response = api_for(persona).post(
        "/api/v1/disbursements/",
        {"commitment": open_2026.pk, "date": "2026-05-06", "amount": "1"},
        format="json",
    )
    assert response.status_code == 403
    assert "拨付" in response.json()["detail"] or "联络员" in response.json()["detail"]
    assert not open_2026.disbursements.exists()


def test_a_payment_into_another_pairings_commitment_is_not_found(api_for, open_2026):
    response = api_for("wz_liaison").post(
        "/api/v1/disbursements/",
        {"commitment": open_2026.pk, "date": "2026-05-06", "amount": "1"},
        format="json",
    )
    assert response.status_code in (400, 404)
    assert not open_2026.disbursements.exists()


def test_arrival_is_confirmed_by_the_receiving_side(api_for, open_2026, finance):
    services.record_disbursement(open_2026, user=finance, date=open_2026.due, amount=5000)
    payload = {"commitment": open_2026.pk, "date": "2026-05-10", "amount": "5000"}
    assert (
        api_for("jj_liaison").post("/api/v1/arrival-confirmations/", payload, format="json").status_code
        == 403
    )
    response = api_for("yx_liaison").post("/api/v1/arrival-confirmations/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["unit_name"] == "尤溪县发展和改革局"


def test_use_projects_filter_by_year_and_kind(api_for, demo):
    rows = results(api_for("yx_liaison").get("/api/v1/fund-use-projects/", {"year": 2025, "kind": "relief"}))
    assert [(r["name"], r["kind_display"], r["year"]) for r in rows] == [
        ("低收入群众兜底救助", "兜底救助", 2025)
    ]


def test_use_project_spent_above_planned_is_refused(api_for, open_2026):
    payload = {
        "commitment": open_2026.pk,
        "name": "x",
        "kind": "other",
        "planned_amount": "10",
        "spent_amount": "11",
    }
    response = api_for("yx_liaison").post("/api/v1/fund-use-projects/", payload, format="json")
    assert response.status_code == 400 and "已支出不能超过" in str(response.json())


def test_fund_endpoints_run_a_constant_number_of_queries(api_for, demo, jy_rule, finance):
    client = api_for("yx_liaison")
    urls = ["/api/v1/fund-commitments/", "/api/v1/disbursements/", "/api/v1/fund-use-projects/"]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: count(url) for url in urls}
    for year in range(2027, 2031):
        c, _ = services.ensure_yearly_commitment(jy_rule, year)
        for i in range(3):
            services.record_disbursement(c, user=finance, date=c.due.replace(year=2026), amount=100 + i)
        c.use_projects.create(name=f"项目{year}", kind="other", planned_amount=1000)
    assert FundCommitment.objects.count() >= 7
    assert {url: count(url) for url in urls} == before


def test_funds_and_parks_endpoints_are_in_the_schema(client, users):
    client.force_login(users["yx_liaison"])
    text = client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/fund-commitments/",
        "/api/v1/disbursements/",
        "/api/v1/fund-use-projects/",
        "/api/v1/parks/",
        "/api/v1/park-plans/",
        "/api/v1/projects/",
    ]:
        assert path in text
