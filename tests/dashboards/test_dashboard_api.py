"""`/api/v1/dashboard/`: the same figures as the pages, scoped, with clear errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from cooperation.models import Pairing
from funds.models import Disbursement
from tasks.models import TaskPeriod

pytestmark = pytest.mark.django_db


def test_jinjiang_youxi_2025_as_json(api_for, demo):
    jy = demo["jy"]
    response = api_for("leader").get(f"/api/v1/dashboard/?year=2025&pairing={jy.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2025 and [p["name"] for p in data["pairings"]] == ["晋江市—尤溪县山海协作"]
    money = next(f for f in data["funds_by_year"] if f["year"] == 2025)
    paid = Disbursement.objects.filter(commitment__pairing=jy, commitment__year=2025).aggregate(
        s=Sum("amount")
    )["s"]
    assert Decimal(money["promised"]) == Decimal("12000000") and Decimal(money["paid"]) == paid
    today = timezone.localdate()
    periods = list(TaskPeriod.objects.filter(task__pairing=jy, year=2025))
    by_status = {s["key"]: s["count"] for s in data["tasks"]["by_status"]}
    assert by_status["overdue"] == sum(1 for p in periods if p.is_overdue(today))
    assert data["tasks"]["total"] == len(periods) == sum(by_status.values())
    # With a pairing: the leader view's lights (one per period) and the year's commitments.
    lights = data["leader"]["light_counts"]
    assert (
        sum(lights.values()) == len(periods)
        and lights["overdue"] + lights["escalated"] == by_status["overdue"]
    )
    assert [c["amount"] for c in data["leader"]["commitments"]] == ["12000000.00"]


def test_the_json_and_the_page_agree(api_for, client_for, demo):
    data = api_for("wz_liaison").get("/api/v1/dashboard/?year=2019").json()
    html = client_for("wz_liaison").get("/dashboard/?year=2019").content.decode()
    for unit in data["overdue_by_unit"]:
        assert f'data-unit="{unit["name"]}"' in html
    assert {p["year"] for p in data["parks_by_year"]} == {2018, 2019, 2020}
    assert len(data["parks"]) == 5 and all(p["actual"] is None for p in data["parks"])


def test_scope_another_pairing_is_a_404_and_never_in_the_figures(api_for, demo):
    assert api_for("leader").get(f"/api/v1/dashboard/?pairing={demo['wz'].pk}").status_code == 404
    data = api_for("wz_liaison").get("/api/v1/dashboard/?year=2025").json()
    assert "晋江市—尤溪县山海协作" not in {p["name"] for p in data["pairings"]}
    # Jinjiang–Youxi's money is not counted for Wenzhou: only Wenzhou's own 2018–2020 commitments
    assert [(f["year"], f["commitments"]) for f in data["funds_by_year"]] == [(2018, 5), (2019, 5), (2020, 5)]
    wenzhou = set(Pairing.objects.filter(parent=demo["wz"]).values_list("pk", flat=True)) | {demo["wz"].pk}
    assert {p["id"] for p in data["pairings"]} == wenzhou


def test_bad_parameters_get_a_clear_message(api_for, demo):
    api = api_for("leader")
    response = api.get("/api/v1/dashboard/?year=abc")
    assert response.status_code == 400 and "year" in response.json()
    assert api.get("/api/v1/dashboard/?year=1800").status_code == 400
    assert api.get("/api/v1/dashboard/?pairing=x").status_code == 400


def test_anonymous_requests_are_refused(api_for, demo):
    assert api_for(None).get("/api/v1/dashboard/").status_code in (401, 403)


def test_the_endpoint_is_in_the_openapi_schema(client_for, demo):
    schema = client_for("leader").get("/api/schema/").content.decode()
    assert "/api/v1/dashboard/" in schema and "DashboardResponse" in schema
    # The indicator endpoints are still there.
    assert "/api/v1/region-indicators/" in schema
