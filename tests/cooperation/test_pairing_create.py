"""Who may set up a pairing or a sub-pairing through the API: the admin only, as on the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from cooperation.models import Pairing, Region

pytestmark = pytest.mark.django_db


def sub_pairing(parent: Pairing) -> dict:
    """A township pairing under 晋江—尤溪 (the plan encourages township pairings)."""
    return {
        "name": "晋江市—尤溪县乡镇结对（测试）",
        "kind": "township",
        "coastal_region": parent.coastal_region_id,
        "mountain_region": parent.mountain_region_id,
        "start_year": 2026,
        "parent": parent.pk,
    }


@pytest.mark.parametrize("persona", ["yx_liaison", "jj_liaison", "wz_liaison", "yx_reporter", "leader"])
def test_nobody_but_the_admin_creates_a_sub_pairing_and_nothing_is_created(api_for, demo, persona):
    before = Pairing.objects.count(), Pairing.history.count()
    response = api_for(persona).post("/api/v1/pairings/", sub_pairing(demo["jy"]), format="json")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "管理员" in detail or "联络员" in detail  # the liaison is told to ask the admin
    assert (Pairing.objects.count(), Pairing.history.count()) == before


def test_a_liaison_is_told_to_ask_the_admin_even_for_a_top_level_pairing_of_his_regions(api_for, demo):
    body = {**sub_pairing(demo["jy"]), "parent": None, "name": "晋江市—尤溪县第二轮结对（测试）"}
    response = api_for("jj_liaison").post("/api/v1/pairings/", body, format="json")
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "只有系统管理员可以新建结对关系（含下级结对），请联系管理员在管理后台添加。"
    )
    assert not Pairing.objects.filter(name=body["name"]).exists()


def test_the_admin_creates_a_sub_pairing_with_history(api_for, demo, users):
    response = api_for("admin").post("/api/v1/pairings/", sub_pairing(demo["jy"]), format="json")
    assert response.status_code == 201, response.content
    created = Pairing.objects.get(pk=response.json()["id"])
    assert created.parent == demo["jy"] and response.json()["parent_name"] == "晋江市—尤溪县山海协作"
    assert created.history.get().history_user == users["admin"]
    # The pairing's liaison staff see it under their pairing at once, and may edit it.
    client = api_for("yx_liaison")
    assert client.get(f"/api/v1/pairings/{created.pk}/").status_code == 200
    assert (
        client.patch(f"/api/v1/pairings/{created.pk}/", {"notes": "西城镇—英林镇"}, format="json").status_code
        == 200
    )


def test_staff_with_the_admins_permission_may_create_too(api_for, demo, users):
    staff = users["outsider"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="add_pairing"))
    response = api_for("outsider").post("/api/v1/pairings/", sub_pairing(demo["jy"]), format="json")
    assert response.status_code == 201, response.content


def test_a_liaison_cannot_delete_a_pairing_but_the_admin_can(api_for, demo):
    youxi = Region.objects.get(name="尤溪县")
    empty = Pairing.objects.create(
        name="晋江市—尤溪县空结对（测试）",
        kind="township",
        coastal_region=demo["jy"].coastal_region,
        mountain_region=youxi,
        start_year=2026,
        parent=demo["jy"],
    )
    response = api_for("yx_liaison").delete(f"/api/v1/pairings/{empty.pk}/")
    assert response.status_code == 403 and "管理员" in response.json()["detail"]
    assert Pairing.objects.filter(pk=empty.pk).exists()
    assert api_for("wz_liaison").delete(f"/api/v1/pairings/{empty.pk}/").status_code == 404
    assert api_for("admin").delete(f"/api/v1/pairings/{empty.pk}/").status_code == 204
    assert not Pairing.objects.filter(pk=empty.pk).exists()
