"""The indicator pages as a liaison officer, a viewer and an outsider meet them."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Region
from indicators.models import IndicatorDefinition, RegionIndicator
from indicators.services import record_figure

pytestmark = pytest.mark.django_db


def text(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


def test_jinjiang_figures_and_minxinan_targets_show_with_their_sources(client_for, demo):
    page = text(client_for("jj_liaison").get("/indicators/"))
    assert "≥3,500 亿元" in page and "预计地区生产总值增长7%以上，站上3500亿元新台阶" in page
    assert "地区生产总值增长 6%左右" in page and "2024年晋江市人民政府工作报告" in page
    assert "闽西南协同发展区" in page and "≈36,400 亿元" in page and "常住人口城镇化率达72%左右" in page
    # The viewer of Jinjiang–Youxi sees Jinjiang's figures, not the zone's.
    leader = text(client_for("leader").get("/indicators/"))
    assert "≥3,500 亿元" in leader and "闽西南协同发展区" not in leader
    assert "填报指标" not in leader
    assert "≥3,500 亿元" not in text(client_for("wz_liaison").get("/indicators/"))


def test_list_filters_by_year_and_search(client_for, demo):
    page = text(client_for("admin").get("/indicators/", {"year": 2020}))
    assert page.count('data-region="闽西南协同发展区"') == 2 and 'data-region="晋江市"' not in page
    # The search reads the indicator's name and the quoted sentence.
    page = text(client_for("admin").get("/indicators/", {"q": "城镇化率", "year": 2025}))
    assert set(re.findall(r'data-indicator="([^"]+)"', page)) == {"城镇化率"}
    page = text(client_for("admin").get("/indicators/", {"q": "城镇化率", "year": 2018}))
    assert len(re.findall(r'data-indicator="([^"]+)"', page)) == 5


def test_list_runs_a_constant_number_of_queries(client_for, demo):
    client = client_for("yx_liaison")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/indicators/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    youxi = Region.objects.get(name="尤溪县")
    for d in IndicatorDefinition.objects.all()[:6]:
        for year in (2022, 2023, 2024):
            record_figure(None, region=youxi, indicator=d, year=year, actual_value=1)
    assert count() == small


def test_detail_shows_source_and_history(client_for, demo):
    figure = RegionIndicator.objects.get(region__name="闽西南协同发展区", indicator__name="常住人口")
    page = text(client_for("jj_liaison").get(f"/indicators/{figure.pk}/"))
    assert "2,317 万人" in page and "闽西南协同发展区2018年常住人口2317万人" in page and "系统" in page
    assert client_for("yx_liaison").get(f"/indicators/{figure.pk}/").status_code == 404


def test_liaison_enters_youxi_figures_in_the_grid(client_for, demo, users):
    client = client_for("yx_liaison")
    youxi = Region.objects.get(name="尤溪县")
    url = f"/indicators/entry/?region={youxi.pk}&year=2024"
    page = text(client.get(url))
    definitions = list(IndicatorDefinition.objects.order_by("ordering", "name"))
    assert f'<tr data-indicator="{definitions[0].name}"' in page
    data = {"fig-TOTAL_FORMS": len(definitions), "fig-INITIAL_FORMS": len(definitions), "source_document": ""}
    for i, d in enumerate(definitions):
        data[f"fig-{i}-indicator"] = d.pk
    data["fig-0-actual_value"] = "420"  # 地区生产总值
    data["fig-1-actual_value"] = "6.1"  # 地区生产总值增速
    response = client.post(url, data)
    assert response.status_code == 302
    gdp = RegionIndicator.objects.get(region=youxi, indicator__name="地区生产总值", year=2024)
    assert gdp.actual_value == 420 and gdp.history.get().history_user == users["yx_liaison"]
    pairing_page = text(client.get(f"/pairings/{demo['jy'].pk}/"))
    assert "12.0%" in pairing_page and 'id="indicator-ratio-chart"' in pairing_page
    assert "vendor/chartjs/chart.umd.min.js" in pairing_page


def test_grid_errors_are_in_chinese_and_save_nothing(client_for, demo):
    client = client_for("yx_liaison")
    youxi = Region.objects.get(name="尤溪县")
    definitions = list(IndicatorDefinition.objects.order_by("ordering", "name"))
    data = {"fig-TOTAL_FORMS": len(definitions), "fig-INITIAL_FORMS": len(definitions)}
    for i, d in enumerate(definitions):
        data[f"fig-{i}-indicator"] = d.pk
    data["fig-0-actual_value"] = "420"
    data["fig-2-target_comparator"] = "gte"  # a comparator without its number
    data["fig-3-actual_value"] = "很多"
    page = text(client.post(f"/indicators/entry/?region={youxi.pk}&year=2024", data))
    assert "请修改下面标红的内容，未做任何修改。" in page
    assert "填写了目标口径，请同时填写预期目标。" in page and "“很多”不是有效的数值" in page
    assert not RegionIndicator.objects.filter(region=youxi).exists()


@pytest.mark.parametrize("persona", ["yx_reporter", "leader", "outsider"])
def test_only_liaison_staff_open_the_entry_and_import_pages(client_for, demo, persona):
    for url in ["/indicators/entry/", "/indicators/import/"]:
        response = client_for(persona).get(url)
        assert response.status_code == 403
        assert "联络员" in response.content.decode()


def test_liaison_cannot_open_the_grid_of_another_region(client_for, demo):
    zone = Region.objects.get(name="闽西南协同发展区")
    page = text(client_for("yx_liaison").get(f"/indicators/entry/?region={zone.pk}&year=2025"))
    assert "选择一个有效的选项" in page and "<table" not in page
    before = RegionIndicator.history.count()
    client_for("yx_liaison").post(
        f"/indicators/entry/?region={zone.pk}&year=2025",
        {"fig-TOTAL_FORMS": 1, "fig-INITIAL_FORMS": 1, "fig-0-indicator": 1, "fig-0-actual_value": "1"},
    )
    assert RegionIndicator.history.count() == before


def test_upload_preview_then_confirm(client_for, demo, xlsx):
    client = client_for("yx_liaison")
    sheet = xlsx(
        [
            ["地区", "指标", "年份", "实际值"],
            ["尤溪县", "地区生产总值", 2024, 420],
            ["尤溪县", "常住人口", 2024, 37.5],
        ]
    )
    upload = SimpleUploadedFile("尤溪.xlsx", sheet.getvalue())
    preview = client.post("/indicators/import/", {"file": upload})
    page = text(preview)
    assert "将新增 2 条、更新 0 条" in page and "确认导入" in page
    assert not RegionIndicator.objects.filter(region__name="尤溪县").exists()
    response = client.post(
        "/indicators/import/", {"confirm": "1", "preview_token": preview.context["preview_token"]}
    )
    assert response.status_code == 302
    assert RegionIndicator.objects.filter(region__name="尤溪县").count() == 2


def test_upload_of_a_bad_sheet_lists_errors_and_changes_nothing(client_for, demo, xlsx):
    client = client_for("yx_liaison")
    sheet = xlsx(
        [["地区", "指标", "年份", "实际值"], ["尤溪县", "幸福指数", 2024, 1], ["婺源县", "常住人口", 2024, 1]]
    )
    # Refused (400, like the other import pages), with every row's error listed.
    page = text(
        client.post("/indicators/import/", {"file": SimpleUploadedFile("bad.xlsx", sheet.getvalue())}), 400
    )
    assert "第 2 行，指标：找不到指标“幸福指数”" in page and "第 3 行，地区：找不到地区“婺源县”" in page
    assert "确认导入" not in page
    assert client.post("/indicators/import/", {"confirm": "1"}).status_code == 302  # nothing pending
    assert not RegionIndicator.objects.filter(region__name="尤溪县").exists()


def test_upload_that_is_not_an_xlsx_is_refused(client_for, demo):
    page = text(
        client_for("yx_liaison").post(
            "/indicators/import/", {"file": SimpleUploadedFile("a.xlsx", b"hello")}
        ),
        400,
    )
    assert "内容与扩展名" in page and 'name="confirm"' not in page


def test_upload_over_the_size_limit_is_a_413_and_no_file_a_400(client_for, demo, settings, xlsx):
    client = client_for("yx_liaison")
    settings.UPLOAD_MAX_BYTES = 1024
    big = xlsx([["地区", "指标", "年份", "实际值"]] + [["尤溪县", "常住人口", 2024, n] for n in range(200)])
    page = text(
        client.post("/indicators/import/", {"file": SimpleUploadedFile("大.xlsx", big.getvalue())}), 413
    )
    assert "上限" in page
    assert "该字段是必填项" in text(client.post("/indicators/import/", {}), 400)
    assert not RegionIndicator.objects.filter(region__name="尤溪县").exists()


def test_pairing_panel_runs_a_constant_number_of_queries(client_for, demo):
    client = client_for("yx_liaison")
    url = f"/pairings/{demo['jy'].pk}/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    youxi = Region.objects.get(name="尤溪县")
    for d in IndicatorDefinition.objects.all():
        for year in (2023, 2024, 2025):
            record_figure(None, region=youxi, indicator=d, year=year, actual_value=2)
    assert count() == small


def test_pairing_panel_years_can_be_chosen(client_for, demo):
    page = text(client_for("yx_liaison").get(f"/pairings/{demo['jy'].pk}/", {"indicator_year": 2025}))
    page = page.split('id="indicators"', 1)[1].split("</section>", 1)[0]  # this panel only
    assert 'data-year="2025"' in page and 'data-year="2024"' not in page
    assert "目标 ≈6%" in page
