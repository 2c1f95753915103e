"""The API as each role meets it: what it may read and change, and what it may not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Activity, Pairing, Region

pytestmark = pytest.mark.django_db


def activity_payload(pairing, **extra):
    return {
        "pairing": pairing.pk,
        "kind": "training",
        "title": "电商人才培训班",
        "date": "2025-05-20",
        **extra,
    }


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_anonymous_gets_nothing(api_for, demo):
    for url in ["/api/v1/pairings/", "/api/v1/activities/", "/api/v1/units/", "/api/v1/me/"]:
        assert api_for(None).get(url).status_code in (401, 403), url


def test_pairing_list_shows_only_the_users_pairings_with_readable_names(api_for, demo):
    rows = results(api_for("yx_reporter").get("/api/v1/pairings/"))
    assert [r["name"] for r in rows] == ["晋江市—尤溪县山海协作"]
    row = rows[0]
    assert row["coastal_region_name"] == "晋江市" and row["mountain_region_name"] == "尤溪县"
    assert row["coastal_liaison_name"] == "晋江市农业农村局"
    assert row["kind_display"] == "山海协作"


def test_a_filter_or_search_for_another_pairing_returns_none(api_for, demo):
    client = api_for("yx_liaison")
    wz = demo["wz"]
    assert results(client.get("/api/v1/pairings/", {"q": "温州"})) == []
    # Another pairing's id reads exactly like an id that does not exist.
    for url, name in [("/api/v1/pairings/", "parent"), ("/api/v1/activities/", "pairing")]:
        foreign, unknown = client.get(url, {name: wz.pk}), client.get(url, {name: 99999})
        assert foreign.status_code == unknown.status_code == 400
        assert foreign.json() == unknown.json()
    assert results(client.get("/api/v1/documents/", {"q": "温政发"})) == []
    assert client.get(f"/api/v1/pairings/{wz.pk}/").status_code == 404


def test_filters_narrow_the_list(api_for, demo):
    client = api_for("admin")
    east_west = results(client.get("/api/v1/pairings/", {"kind": "east_west"}))
    assert [r["mountain_region_name"] for r in east_west] == ["宁夏回族自治区"]
    in_2025 = results(client.get("/api/v1/activities/", {"year": 2025, "pairing": demo["jy"].pk}))
    assert {r["date"][:4] for r in in_2025} == {"2025"}
    fujian = Region.objects.get(code="350000")
    units = results(client.get("/api/v1/units/", {"region": fujian.pk, "q": "尤溪"}))
    assert units and all("尤溪" in u["name"] or "尤溪" in u["short_name"] for u in units)


def test_liaison_records_an_activity_and_history_names_him(api_for, demo, users):
    response = api_for("yx_liaison").post("/api/v1/activities/", activity_payload(demo["jy"]), format="json")
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["id"])
    assert response.json()["pairing_name"] == "晋江市—尤溪县山海协作"
    record = activity.history.get()
    assert record.history_user == users["yx_liaison"] and record.history_type == "+"


@pytest.mark.parametrize("persona", ["yx_reporter", "leader", "outsider"])
def test_non_liaison_cannot_create_and_nothing_changes(api_for, demo, persona):
    before = Activity.objects.count()
    response = api_for(persona).post("/api/v1/activities/", activity_payload(demo["jy"]), format="json")
    assert response.status_code == 403
    assert "联络员" in response.json()["detail"]
    assert Activity.objects.count() == before


def test_liaison_of_another_pairing_cannot_write_into_this_one(api_for, demo):
    before = Activity.objects.count()
    client = api_for("wz_liaison")
    response = client.post("/api/v1/activities/", activity_payload(demo["jy"]), format="json")
    unknown = client.post(
        "/api/v1/activities/", {**activity_payload(demo["jy"]), "pairing": 99999}, format="json"
    )
    # Another pairing reads like one that does not exist: the same 400, the same words.
    assert response.status_code == unknown.status_code == 400
    assert response.json()["pairing"][0] == unknown.json()["pairing"][0].replace("99999", str(demo["jy"].pk))
    assert Activity.objects.count() == before
    activity = Activity.objects.filter(pairing=demo["jy"]).first()
    assert (
        client.patch(f"/api/v1/activities/{activity.pk}/", {"title": "改"}, format="json").status_code == 404
    )
    assert client.delete(f"/api/v1/activities/{activity.pk}/").status_code == 404
    activity.refresh_from_db()
    assert activity.title != "改"


def test_liaison_cannot_move_a_row_into_a_pairing_he_does_not_manage(api_for, demo):
    activity = Activity.objects.filter(pairing=demo["jy"]).first()
    response = api_for("yx_liaison").patch(
        f"/api/v1/activities/{activity.pk}/", {"pairing": demo["wz"].pk}, format="json"
    )
    assert response.status_code == 400  # Wenzhou's pairing is not his to name: "does not exist"
    activity.refresh_from_db()
    assert activity.pairing_id == demo["jy"].pk
    assert activity.history.count() == 1  # the refused change left no history row


def test_viewer_reads_but_cannot_edit_the_pairing(api_for, demo):
    client = api_for("leader")
    url = f"/api/v1/pairings/{demo['jy'].pk}/"
    assert client.get(url).json()["name"] == "晋江市—尤溪县山海协作"
    assert client.patch(url, {"notes": "x"}, format="json").status_code == 403
    demo["jy"].refresh_from_db()
    assert demo["jy"].notes != "x"


def test_liaison_edits_his_pairing_with_a_clear_error_on_bad_years(api_for, demo):
    client = api_for("jj_liaison")
    url = f"/api/v1/pairings/{demo['jy'].pk}/"
    bad = client.patch(url, {"end_year": 2020}, format="json")
    assert bad.status_code == 400 and "截止年份" in bad.json()["end_year"][0]
    ok = client.patch(url, {"notes": "2025年度计划已共同编制"}, format="json")
    assert ok.status_code == 200
    assert demo["jy"].history.first().history_user.username == "jj_liaison"


def test_regions_are_read_by_all_and_written_by_superusers_only(api_for, demo):
    assert results(api_for("leader").get("/api/v1/regions/", {"code": "350426"}))[0]["name"] == "尤溪县"
    payload = {"name": "某县", "level": "county"}
    assert api_for("jj_liaison").post("/api/v1/regions/", payload, format="json").status_code == 403
    assert api_for("admin").post("/api/v1/regions/", payload, format="json").status_code == 201


def test_token_authentication(client, demo):
    response = client.post("/api/v1/auth/token/", {"username": "yx_reporter", "password": "shanhai-demo"})
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert me["unit_name"] == "尤溪县教育局" and me["role"] == "reporter"


def test_session_writes_need_the_csrf_token(demo, users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["yx_liaison"])
    response = client.post(
        "/api/v1/activities/", activity_payload(demo["jy"]), content_type="application/json"
    )
    assert response.status_code == 403


def test_list_endpoints_run_a_constant_number_of_queries(api_for, demo):
    jy = demo["jy"]
    client = api_for("yx_liaison")

    def query_count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/api/v1/pairings/", "/api/v1/activities/", "/api/v1/documents/", "/api/v1/units/"]
    small = {url: query_count(url) for url in urls}
    for i in range(40):
        Activity.objects.create(pairing=jy, kind="training", title=f"培训{i}", date="2025-03-01")
    for i in range(12):
        Pairing.objects.create(
            name=f"尤溪镇结对{i}",
            kind="township",
            coastal_region=jy.coastal_region,
            mountain_region=jy.mountain_region,
            start_year=2025,
            parent=jy,
        ).documents.add(*jy.documents.all())
    assert {url: query_count(url) for url in urls} == small


def test_openapi_schema_and_docs_work_offline(client, demo, users):
    client.force_login(users["yx_liaison"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in [
        "/api/v1/pairings/",
        "/api/v1/regions/",
        "/api/v1/units/",
        "/api/v1/documents/",
        "/api/v1/activities/",
    ]:
        assert path in text
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "https://" not in docs and "http://cdn" not in docs


def test_liaison_adds_a_unit_in_his_pairings_regions_only(api_for, demo):
    from cooperation.models import Unit

    client = api_for("yx_liaison")
    youxi = Region.objects.get(code="350426")
    wenzhou = Region.objects.get(code="330300")
    created = client.post(
        "/api/v1/units/",
        {"name": "尤溪县工业和信息化局", "region": youxi.pk, "kind": "department"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["region_name"] == "尤溪县"
    refused = client.post(
        "/api/v1/units/", {"name": "温州市某局", "region": wenzhou.pk, "kind": "department"}, format="json"
    )
    assert refused.status_code == 403
    assert not Unit.objects.filter(name="温州市某局").exists()
    assert (
        api_for("yx_reporter")
        .post("/api/v1/units/", {"name": "x", "region": youxi.pk}, format="json")
        .status_code
        == 403
    )
