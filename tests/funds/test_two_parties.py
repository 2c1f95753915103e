"""Two-party money: the paying side records and reverses payments, the receiving side confirms
arrival and keeps its fund-use list; neither does the other's step (the High finding).

Jinjiang–Youxi: 晋江市 pays (jj_liaison, 晋江市财政局), 尤溪县 receives (yx_liaison, 尤溪县财政局).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from funds import services
from funds.models import Disbursement, FundCommitment, FundUseProject

pytestmark = pytest.mark.django_db

PAYMENT = {"date": "2026-04-20", "amount": "1000000.00"}


@pytest.fixture
def paid(open_2026, finance):
    """¥1,000,000 paid on the 2026 commitment by 晋江市财政局."""
    return services.record_disbursement(
        open_2026, user=finance, date=datetime.date(2026, 4, 20), amount=Decimal("1000000")
    )


def test_the_receiving_liaison_cannot_record_a_payment(api_for, client_for, open_2026):
    response = api_for("yx_liaison").post(
        "/api/v1/disbursements/", {"commitment": open_2026.pk, **PAYMENT}, format="json"
    )
    assert response.status_code == 403
    assert "拨付方" in response.json()["detail"]
    page = client_for("yx_liaison").post(f"/funds/{open_2026.pk}/pay/", PAYMENT)
    assert page.status_code == 403
    open_2026.refresh_from_db()
    assert open_2026.paid_total == 0 and not open_2026.disbursements.exists()


def test_the_receiving_liaison_cannot_reverse_a_payment(api_for, client_for, paid):
    response = api_for("yx_liaison").post(
        f"/api/v1/disbursements/{paid.pk}/reverse/", {"note": "未收到"}, format="json"
    )
    assert response.status_code == 403
    assert (
        client_for("yx_liaison")
        .post(f"/funds/disbursements/{paid.pk}/reverse/", {"note": "未收到"})
        .status_code
        == 403
    )
    assert not Disbursement.objects.filter(reverses=paid).exists()


def test_the_paying_side_records_and_reverses(api_for, open_2026):
    client = api_for("jj_liaison")
    response = client.post("/api/v1/disbursements/", {"commitment": open_2026.pk, **PAYMENT}, format="json")
    assert response.status_code == 201, response.content
    reversal = client.post(
        f"/api/v1/disbursements/{response.json()['id']}/reverse/", {"note": "凭证错误"}, format="json"
    )
    assert reversal.status_code == 201, reversal.content


def test_the_paying_side_cannot_confirm_arrival(api_for, finance, paid):
    for persona in ["jj_liaison", "jj_finance"]:
        response = api_for(persona).post(
            "/api/v1/arrival-confirmations/", {"commitment": paid.commitment_id, **PAYMENT}, format="json"
        )
        assert response.status_code == 403, persona
    paid.commitment.refresh_from_db()
    assert paid.commitment.confirmed_total == 0


def test_the_receiving_side_confirms(api_for, paid):
    response = api_for("yx_liaison").post(
        "/api/v1/arrival-confirmations/", {"commitment": paid.commitment_id, **PAYMENT}, format="json"
    )
    assert response.status_code == 201, response.content


def test_the_paying_side_does_not_change_the_receivers_use_list(api_for, client_for, commitment):
    project = FundUseProject.objects.filter(commitment=commitment).first()
    before = FundUseProject.objects.values().get(pk=project.pk)
    response = api_for("jj_liaison").patch(
        f"/api/v1/fund-use-projects/{project.pk}/", {"spent_amount": "0.00"}, format="json"
    )
    assert response.status_code == 403
    created = api_for("jj_liaison").post(
        "/api/v1/fund-use-projects/",
        {"commitment": commitment.pk, "name": "晋江代报项目", "planned_amount": "1.00"},
        format="json",
    )
    assert created.status_code == 403
    assert client_for("jj_liaison").get(f"/funds/{commitment.pk}/use-projects/new/").status_code == 403
    assert (
        client_for("jj_liaison")
        .post(f"/funds/{commitment.pk}/submit-list/", {"date": "2025-03-01"})
        .status_code
        == 403
    )
    assert FundUseProject.objects.values().get(pk=project.pk) == before
    assert not FundUseProject.objects.filter(name="晋江代报项目").exists()


def test_the_receiving_side_keeps_its_use_list(api_for, commitment):
    project = FundUseProject.objects.filter(commitment=commitment).first()
    response = api_for("yx_liaison").patch(
        f"/api/v1/fund-use-projects/{project.pk}/", {"notes": "尤溪县核实"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_a_liaison_office_above_both_sides_does_neither_step(open_2026, users):
    """An office whose unit contains both sides (a city of two of its counties) is no party."""
    from cooperation.models import Region, Role, Unit, User

    province = Unit.objects.create(name="福建省山海协作办（测试）", region=Region.objects.get(code="350000"))
    office = User.objects.create_user("fj_office", password="x-pass-12345", unit=province, role=Role.LIAISON)
    assert FundCommitment.objects.visible_to(office).filter(pk=open_2026.pk).exists()
    with pytest.raises(PermissionDenied):
        services.record_disbursement(open_2026, user=office, date=datetime.date(2026, 4, 20), amount=1)
    assert not FundCommitment.objects.confirmable_by(office).filter(pk=open_2026.pk).exists()
