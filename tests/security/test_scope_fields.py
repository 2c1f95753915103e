"""Nobody widens his own reach: the fields that decide who sees what are not the user's to change.

A unit's region, a pairing's sides, parent and liaison units, a commitment's payer, receiver and
pairing are set when the record is created and changed by superusers only, through the API and on
the pages alike (issue "Nobody widens their own reach": the Critical, High and Medium findings).
"""

from __future__ import annotations

import pytest

from cooperation.models import Pairing, Region, Unit
from funds.models import FundCommitment

pytestmark = pytest.mark.django_db


def visible_pairings(user) -> set[int]:
    return set(Pairing.objects.visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def changting(demo):
    """晋江市—长汀县 (the 晋江（长汀）工业园区 pairing): jj_liaison's second pairing."""
    return Pairing.objects.get(name__startswith="晋江市—长汀县")


# --- Critical: a liaison moves his own unit, or a pairing's side, and sees more -----------------


def test_a_liaison_cannot_move_his_own_unit_to_a_province_and_see_its_pairings(api_for, users):
    jj = users["jj_liaison"]
    before = visible_pairings(jj)
    fujian = Region.objects.get(code="350000")
    response = api_for("jj_liaison").patch(
        f"/api/v1/units/{jj.unit_id}/", {"region": fujian.pk}, format="json"
    )
    assert response.status_code == 400
    assert "系统管理员" in response.json()["region"][0]
    assert Unit.objects.get(pk=jj.unit_id).region.name == "晋江市"
    assert visible_pairings(jj) == before and len(before) == 2


def test_every_liaison_is_refused_moving_a_unit_and_nobody_inherits_a_wider_scope(api_for, users):
    fujian = Region.objects.get(code="350000")
    wz = users["wz_liaison"]
    before = {name: visible_pairings(users[name]) for name in ("wz_liaison", "jj_liaison", "yx_liaison")}
    response = api_for("wz_liaison").patch(
        f"/api/v1/units/{wz.unit_id}/", {"region": fujian.pk}, format="json"
    )
    assert response.status_code == 400
    assert {name: visible_pairings(users[name]) for name in before} == before


def test_sending_a_units_current_region_back_is_accepted(api_for, users):
    """A PUT of the whole row carries the region unchanged: that is not a move."""
    unit = Unit.objects.get(pk=users["jj_liaison"].unit_id)
    body = api_for("jj_liaison").get(f"/api/v1/units/{unit.pk}/").json()
    response = api_for("jj_liaison").put(
        f"/api/v1/units/{unit.pk}/", {**body, "short_name": "晋江农业农村局"}, format="json"
    )
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert unit.short_name == "晋江农业农村局" and unit.region.name == "晋江市"


def test_the_superuser_still_moves_a_unit(api_for, users):
    unit = Unit.objects.get(pk=users["jj_liaison"].unit_id)
    quanzhou = Region.objects.get(name="泉州市")
    response = api_for("admin").patch(f"/api/v1/units/{unit.pk}/", {"region": quanzhou.pk}, format="json")
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert unit.region == quanzhou


@pytest.mark.parametrize("side", ["mountain_region", "coastal_region"])
def test_a_liaison_cannot_move_a_side_of_his_pairing(api_for, users, changting, side):
    zhejiang = Region.objects.get(name="浙江省")
    before = {name: visible_pairings(users[name]) for name in ("jj_liaison", "wz_liaison")}
    response = api_for("jj_liaison").patch(
        f"/api/v1/pairings/{changting.pk}/", {side: zhejiang.pk}, format="json"
    )
    assert response.status_code == 400
    changting.refresh_from_db()
    assert getattr(changting, side).name in ("晋江市", "长汀县")
    assert {name: visible_pairings(users[name]) for name in before} == before


# --- Medium: a liaison hands his pairing to another programme ------------------------------------


def test_a_liaison_cannot_hang_his_pairing_under_another_programme(api_for, users, demo, changting):
    response = api_for("jj_liaison").patch(
        f"/api/v1/pairings/{changting.pk}/", {"parent": demo["wz"].pk}, format="json"
    )
    assert response.status_code == 400
    changting.refresh_from_db()
    assert changting.parent_id != demo["wz"].pk
    assert changting.pk not in visible_pairings(users["wz_liaison"])


@pytest.mark.parametrize("field", ["coastal_liaison", "mountain_liaison"])
def test_a_liaison_cannot_name_another_liaison_unit_through_the_api(api_for, users, changting, field):
    wenzhou_office = Unit.objects.get(pk=users["wz_liaison"].unit_id)
    response = api_for("jj_liaison").patch(
        f"/api/v1/pairings/{changting.pk}/", {field: wenzhou_office.pk}, format="json"
    )
    assert response.status_code == 400
    changting.refresh_from_db()
    assert getattr(changting, f"{field}_id") != wenzhou_office.pk
    assert changting.pk not in visible_pairings(users["wz_liaison"])


def test_the_pairing_page_form_has_no_liaison_unit_fields_for_a_liaison(client_for, users, changting):
    client = client_for("jj_liaison")
    page = client.get(f"/pairings/{changting.pk}/edit/")
    assert page.status_code == 200
    assert 'name="coastal_liaison"' not in page.content.decode()
    wenzhou_office = Unit.objects.get(pk=users["wz_liaison"].unit_id)
    response = client.post(
        f"/pairings/{changting.pk}/edit/",
        {
            "name": changting.name,
            "kind": changting.kind,
            "status": changting.status,
            "start_year": changting.start_year,
            "end_year": changting.end_year or "",
            "notes": "",
            "coastal_liaison": wenzhou_office.pk,
            "mountain_liaison": wenzhou_office.pk,
        },
    )
    assert response.status_code == 302
    changting.refresh_from_db()
    assert wenzhou_office.pk not in (changting.coastal_liaison_id, changting.mountain_liaison_id)
    assert changting.pk not in visible_pairings(users["wz_liaison"])


def test_the_superuser_sees_the_liaison_unit_fields_on_the_page(client_for, changting):
    page = client_for("admin").get(f"/pairings/{changting.pk}/edit/")
    assert 'name="coastal_liaison"' in page.content.decode()


# --- High: the payer points the receiver at himself ----------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("receiver_region", lambda: Region.objects.get(name="晋江市").pk),
        ("receiver_unit", lambda: Unit.objects.get(name="晋江市农业农村局").pk),
        ("payer_region", lambda: Region.objects.get(name="尤溪县").pk),
        ("payer_unit", lambda: Unit.objects.get(name="尤溪县财政局").pk),
        ("pairing", lambda: Pairing.objects.get(name__startswith="晋江市—长汀县").pk),
    ],
)
def test_a_liaison_cannot_rewrite_who_pays_or_who_receives(api_for, open_2026, field, value):
    before = FundCommitment.objects.values().get(pk=open_2026.pk)
    response = api_for("jj_liaison").patch(
        f"/api/v1/fund-commitments/{open_2026.pk}/", {field: value()}, format="json"
    )
    assert response.status_code == 400, response.content
    assert FundCommitment.objects.values().get(pk=open_2026.pk) == before


def test_the_payer_cannot_confirm_his_own_payment_by_any_route(api_for, open_2026):
    """The whole attack: receiver → himself, pay, confirm, receiver back. Only the payment stands."""
    client = api_for("jj_liaison")
    url = f"/api/v1/fund-commitments/{open_2026.pk}/"
    jinjiang = Region.objects.get(name="晋江市")
    assert client.patch(url, {"receiver_region": jinjiang.pk}, format="json").status_code == 400
    paid = client.post(
        "/api/v1/disbursements/",
        {"commitment": open_2026.pk, "date": "2026-04-20", "amount": "1000000.00"},
        format="json",
    )
    assert paid.status_code == 201, paid.content
    confirmed = client.post(
        "/api/v1/arrival-confirmations/",
        {"commitment": open_2026.pk, "date": "2026-04-21", "amount": "1000000.00"},
        format="json",
    )
    assert confirmed.status_code == 403
    open_2026.refresh_from_db()
    assert open_2026.confirmed_total == 0 and open_2026.receiver_region.name == "尤溪县"


def test_a_new_commitment_cannot_make_one_side_both_payer_and_receiver(api_for, demo):
    jinjiang = Region.objects.get(name="晋江市")
    response = api_for("jj_liaison").post(
        "/api/v1/fund-commitments/",
        {
            "pairing": demo["jy"].pk,
            "year": 2027,
            "purpose": "专项资金",
            "payer_region": jinjiang.pk,
            "receiver_region": jinjiang.pk,
            "amount": "100.00",
            "due": "2027-04-30",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "receiver_region" in response.json()
    assert not FundCommitment.objects.filter(pairing=demo["jy"], year=2027).exists()
