"""The parks API: parks, plans and projects, scoped and filtered, with readable names."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parks.models import Park, ParkInvestmentPlan, Project

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_park_plans_filter_by_park_year_and_kind(api_for, demo):
    park = Park.objects.get(short_name="永嘉-瓯海")
    rows = results(
        api_for("wz_liaison").get(
            "/api/v1/park-plans/", {"park": park.pk, "year": 2018, "kind": "government"}
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["park_name"] == "永嘉—瓯海生态旅游文化产业园" and row["kind_display"] == "政府性投资"
    assert (row["project_count"], row["planned_total"], row["planned_completion"]) == (
        2,
        "200000.0000",
        "10000.0000",
    )


def test_parks_are_scoped(api_for, demo):
    names = {r["name"] for r in results(api_for("leader").get("/api/v1/parks/"))}
    assert names == {"晋江—尤溪共建产业园区"}
    assert results(api_for("leader").get("/api/v1/park-plans/", {"q": "永嘉"})) == []
    assert results(api_for("leader").get("/api/v1/projects/", {"q": "七都"})) == []


def test_liaison_records_actual_completion_and_history_keeps_it(api_for, demo, users):
    plan = ParkInvestmentPlan.objects.get(park__short_name="文成-瑞安", year=2018, kind="attracted")
    client = api_for("wz_liaison")
    bad = client.patch(f"/api/v1/park-plans/{plan.pk}/", {"actual_completion": "-1"}, format="json")
    assert bad.status_code == 400
    ok = client.patch(f"/api/v1/park-plans/{plan.pk}/", {"actual_completion": "9000.5"}, format="json")
    assert ok.status_code == 200 and ok.json()["completion_rate"] == "1.1251"
    assert plan.history.first().history_user == users["wz_liaison"]
    assert (
        api_for("jj_liaison")
        .patch(f"/api/v1/park-plans/{plan.pk}/", {"actual_completion": "1"}, format="json")
        .status_code
        == 404
    )


def test_project_stage_dates_are_checked(api_for, demo):
    client = api_for("jj_liaison")
    payload = {
        "name": "晋江—尤溪新项目",
        "pairing": demo["jy"].pk,
        "stage": "signed",
        "signed_on": "2025-05-01",
        "completed_on": "2025-06-01",
    }
    response = client.post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400 and "尚未到达“竣工”阶段" in str(response.json())
    wz_park = Park.objects.get(short_name="永嘉-瓯海")
    response = client.post(
        "/api/v1/projects/", {**payload, "completed_on": None, "park": wz_park.pk}, format="json"
    )
    assert response.status_code == 400  # another pairing's park is not a valid choice for him
    response = client.post("/api/v1/projects/", {**payload, "completed_on": None}, format="json")
    assert response.status_code == 201 and response.json()["stage_display"] == "签约"


def test_projects_carry_their_investment_in_place(api_for, demo):
    rows = results(api_for("yx_liaison").get("/api/v1/projects/", {"stage": "producing"}))
    assert [r["name"] for r in rows] == ["尤溪纺织产业数字化车间项目"]
    assert rows[0]["invested_total"] == "95000000.00"
    assert [i["year"] for i in rows[0]["investments"]] == [2024, 2025]


def test_reporters_and_viewers_cannot_change_parks(api_for, demo):
    park = Park.objects.get(pairing=demo["jy"])
    for persona in ["yx_reporter", "leader"]:
        assert (
            api_for(persona).patch(f"/api/v1/parks/{park.pk}/", {"notes": "x"}, format="json").status_code
            == 403
        )
    park.refresh_from_db()
    assert park.notes != "x"


def test_park_endpoints_run_a_constant_number_of_queries(api_for, demo):
    client = api_for("admin")
    urls = ["/api/v1/parks/", "/api/v1/park-plans/", "/api/v1/projects/"]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {url: count(url) for url in urls}
    jy = demo["jy"]
    park = Park.objects.get(pairing=jy)
    for i in range(10):
        extra = Park.objects.create(name=f"测试园区{i}", pairing=jy, region=park.region)
        ParkInvestmentPlan.objects.create(
            park=extra, year=2025, kind="attracted", project_count=1, planned_total=1, planned_completion=1
        )
        Project.objects.create(name=f"测试项目{i}", pairing=jy, park=extra).investments.create(
            year=2025, amount=1
        )
    assert {url: count(url) for url in urls} == before
