"""The indicator API as each role meets it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Region
from indicators.models import IndicatorDefinition, RegionIndicator
from indicators.services import record_figure

pytestmark = pytest.mark.django_db

URL = "/api/v1/region-indicators/"


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def payload(definitions, **extra):
    return {
        "region": Region.objects.get(name="尤溪县").pk,
        "indicator": definitions["地区生产总值"].pk,
        "year": 2024,
        "actual_value": "420.5",
        **extra,
    }


def test_list_reads_with_names_and_sources(api_for, demo):
    rows = results(
        api_for("yx_reporter").get(
            URL, {"year": 2024, "indicator": IndicatorDefinition.objects.get(name="地区生产总值").pk}
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["region_name"], row["indicator_name"], row["unit"]) == ("晋江市", "地区生产总值", "亿元")
    assert row["actual_display"] == "≥3,500 亿元" and row["actual_comparator_display"] == "以上 ≥"
    assert row["source_document_name"] == "2024年晋江市人民政府工作报告"
    assert "站上3500亿元新台阶" in row["source_text"]


def test_filters_and_search_never_reach_other_pairings_figures(api_for, demo):
    client = api_for("yx_liaison")
    zone = Region.objects.get(name="闽西南协同发展区")
    assert results(client.get(URL, {"region": zone.pk})) == []
    assert results(client.get(URL, {"q": "闽西南"})) == []
    foreign, unknown = client.get(URL, {"pairing": demo["wz"].pk}), client.get(URL, {"pairing": 99999})
    assert foreign.status_code == unknown.status_code == 400 and foreign.json() == unknown.json()
    other = RegionIndicator.objects.filter(region=zone).first()
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    # jj_liaison sees the zone's figures: they come from the plan of his 晋江（长汀） pairing.
    assert len(results(api_for("jj_liaison").get(URL, {"region": zone.pk}))) == 9
    mine = results(client.get(URL, {"pairing": demo["jy"].pk, "year": 2025}))
    assert {r["region_name"] for r in mine} == {"晋江市"} and len(mine) == 6


def test_liaison_enters_youxis_figure_and_history_names_him(api_for, demo, users, definitions):
    response = api_for("yx_liaison").post(URL, payload(definitions), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["region_name"] == "尤溪县" and response.json()["actual_display"] == "420.5 亿元"
    figure = RegionIndicator.objects.get(pk=response.json()["id"])
    assert figure.history.get().history_user == users["yx_liaison"]
    patch = api_for("jj_liaison").patch(f"{URL}{figure.pk}/", {"actual_value": "421"}, format="json")
    assert patch.status_code == 200, patch.content
    figure.refresh_from_db()
    assert figure.actual_value == 421 and figure.history.count() == 2


@pytest.mark.parametrize("persona", ["yx_reporter", "leader", "outsider", "wz_liaison"])
def test_others_cannot_enter_figures_and_nothing_changes(api_for, demo, definitions, persona):
    before = RegionIndicator.history.count()
    response = api_for(persona).post(URL, payload(definitions), format="json")
    assert response.status_code == 403
    assert "联络员" in response.json()["detail"]
    assert RegionIndicator.history.count() == before


def test_liaison_cannot_enter_figures_outside_his_sides(api_for, demo, definitions):
    zone = Region.objects.get(name="闽西南协同发展区")
    response = api_for("yx_liaison").post(URL, payload(definitions, region=zone.pk, year=2030), format="json")
    assert response.status_code == 403
    assert not RegionIndicator.objects.filter(region=zone, year=2030).exists()


def test_viewer_cannot_change_or_delete(api_for, demo):
    figure = RegionIndicator.objects.get(region__name="晋江市", indicator__name="地区生产总值", year=2024)
    client = api_for("leader")
    assert client.patch(f"{URL}{figure.pk}/", {"actual_value": "1"}, format="json").status_code == 403
    assert client.delete(f"{URL}{figure.pk}/").status_code == 403
    figure.refresh_from_db()
    assert figure.actual_value == 3500


def test_bad_values_get_chinese_errors(api_for, demo, definitions):
    client = api_for("yx_liaison")
    response = client.post(URL, payload(definitions, actual_value=None), format="json")
    assert response.status_code == 400 and "至少填写一项" in str(response.json())
    client.post(URL, payload(definitions), format="json")
    again = client.post(URL, payload(definitions), format="json")
    assert again.status_code == 400
    figure = RegionIndicator.objects.get(region__name="尤溪县")
    moved = client.patch(f"{URL}{figure.pk}/", {"year": 2023}, format="json")
    assert moved.status_code == 400 and "不能更改" in str(moved.json())


def test_liaison_deletes_a_figure_and_history_keeps_it(api_for, demo, users, definitions):
    created = api_for("yx_liaison").post(URL, payload(definitions), format="json").json()
    assert api_for("yx_liaison").delete(f"{URL}{created['id']}/").status_code == 204
    record = RegionIndicator.history.filter(id=created["id"]).latest("history_date")
    assert record.history_type == "-" and record.history_user == users["yx_liaison"]


def test_indicator_definitions_are_read_by_all_and_changed_by_superusers_only(api_for, demo):
    names = [r["name"] for r in results(api_for("leader").get("/api/v1/indicator-definitions/"))]
    assert names[:3] == ["地区生产总值", "地区生产总值增速", "人均地区生产总值"]
    refused = api_for("jj_liaison").post(
        "/api/v1/indicator-definitions/", {"name": "森林覆盖率", "unit": "%", "nature": "rate"}
    )
    assert refused.status_code == 403 and "系统管理员" in refused.json()["detail"]
    assert (
        api_for("admin")
        .post("/api/v1/indicator-definitions/", {"name": "森林覆盖率", "unit": "%", "nature": "rate"})
        .status_code
        == 201
    )


def test_list_endpoint_runs_a_constant_number_of_queries(api_for, demo, definitions):
    client = api_for("yx_liaison")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    youxi = Region.objects.get(name="尤溪县")
    for year in range(2010, 2024):
        for name in ["地区生产总值", "常住人口"]:
            record_figure(
                None, region=youxi, indicator=definitions[name], year=year, actual_value=year - 2000
            )
    assert count() == small
