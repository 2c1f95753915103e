"""Regional indicators: who sees and enters which figures, targets against actuals, the two sides compared."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from cooperation.models import Pairing, Region
from indicators.models import IndicatorDefinition, RegionIndicator
from indicators.services import RowInput, assessment_rows, pairing_comparison, record_figure, save_region_year

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"


def region(name: str) -> Region:
    return Region.objects.get(name=name)


def figure(region_name: str, indicator: str, year: int) -> RegionIndicator:
    return RegionIndicator.objects.select_related("indicator").get(
        region__name=region_name, indicator__name=indicator, year=year
    )


# --- Demo data from the seeds ----------------------------------------------------------------


def test_jinjiang_2024_actuals_and_2025_targets_as_in_the_work_report(demo):
    gdp = figure("晋江市", "地区生产总值", 2024)
    assert (gdp.actual_comparator, gdp.actual_value, gdp.actual_is_estimate) == ("gte", Decimal("3500"), True)
    assert gdp.actual_display == "≥3,500 亿元"
    assert figure("晋江市", "地区生产总值增速", 2024).actual_display == "≥7%"
    assert figure("晋江市", "一般公共预算总收入增速", 2024).actual_value == Decimal("1.7")
    assert figure("晋江市", "人均可支配收入增速", 2024).actual_value == Decimal("5.5")
    assert figure("晋江市", "规上工业增加值增速", 2024).actual_value == Decimal("10.5")
    assert figure("晋江市", "全社会固定资产投资增速", 2024).actual_value == Decimal("10")
    targets_2025 = {
        f.indicator.name: f.target_display
        for f in RegionIndicator.objects.filter(region__name="晋江市", year=2025).select_related("indicator")
    }
    assert targets_2025 == {
        "地区生产总值增速": "≈6%",
        "一般公共预算总收入增速": "3%",
        "本级收入增速": "3%",
        "规上工业增加值增速": "7.5%",
        "全社会固定资产投资增速": "7.5%",
        "人均可支配收入增速": "6.5%",
    }


def test_minxinan_zone_base_and_targets_as_in_the_plan(demo):
    zone = region("闽西南协同发展区")
    assert zone.level == Region.Level.ZONE and zone.parent.name == "福建省"
    base = {
        f.indicator.name: f.actual_value
        for f in RegionIndicator.objects.filter(region=zone, year=2018).select_related("indicator")
    }
    assert base == {
        "常住人口": Decimal("2317"),
        "城镇化率": Decimal("67.1"),
        "地区生产总值": Decimal("21954"),
        "人均地区生产总值": Decimal("95000"),
        "R&D投入强度": Decimal("1.73"),
    }
    assert figure("闽西南协同发展区", "城镇化率", 2020).target_display == "≥68%"
    assert figure("闽西南协同发展区", "地区生产总值", 2020).target_display == "≥26,000 亿元"
    assert figure("闽西南协同发展区", "城镇化率", 2025).target_display == "≈72%"
    assert figure("闽西南协同发展区", "地区生产总值", 2025).target_display == "≈36,400 亿元"


def test_every_demo_figure_quotes_a_sentence_of_its_source_document(demo):
    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", text)

    seeds = {
        "2024年晋江市人民政府工作报告": squeeze((SEEDS / "002_jinjiang_work_report.txt").read_text("utf-8")),
        "闽西南协同发展区发展规划": squeeze((SEEDS / "003_minxinan_plan.txt").read_text("utf-8")),
    }
    figures = list(RegionIndicator.objects.select_related("source_document"))
    assert len(figures) == 21
    for f in figures:
        assert f.source_document is not None, f
        assert f.source_text and squeeze(f.source_text) in seeds[f.source_document.title], f


def test_loading_the_demo_again_adds_no_figures_and_no_history(demo):
    figures, history = RegionIndicator.objects.count(), RegionIndicator.history.count()
    regions = Region.objects.count()
    call_command("load_demo", "--quiet")
    assert (RegionIndicator.objects.count(), RegionIndicator.history.count(), Region.objects.count()) == (
        figures,
        history,
        regions,
    )


# --- Who sees and who enters ------------------------------------------------------------------


def test_figures_are_visible_through_the_users_pairings(users, demo):
    def regions_seen(username):
        return set(RegionIndicator.objects.visible_to(users[username]).values_list("region__name", flat=True))

    assert regions_seen("yx_reporter") == {"晋江市"}  # the coastal side of his pairing
    assert regions_seen("leader") == {"晋江市"}
    # jj_liaison also has 晋江—长汀 (晋江（长汀）工业园区), whose document is the 闽西南 plan.
    assert regions_seen("jj_liaison") == {"晋江市", "闽西南协同发展区"}
    assert regions_seen("wz_liaison") == set()
    assert regions_seen("outsider") == set()
    assert regions_seen("admin") == {"晋江市", "闽西南协同发展区"}


def test_a_figure_of_a_region_containing_a_side_is_visible_to_that_pairing(users, demo, definitions):
    record_figure(
        users["admin"],
        region=region("福建省"),
        indicator=definitions["常住人口"],
        year=2024,
        actual_value=Decimal("4193"),
    )
    assert RegionIndicator.objects.visible_to(users["yx_reporter"]).filter(region__name="福建省").exists()
    assert not RegionIndicator.objects.visible_to(users["wz_liaison"]).filter(region__name="福建省").exists()


def test_liaison_enters_figures_for_his_pairings_sides_only(users, demo, definitions):
    youxi = region("尤溪县")
    saved = record_figure(
        users["yx_liaison"],
        region=youxi,
        indicator=definitions["地区生产总值"],
        year=2024,
        actual_value=Decimal("400"),
    )
    record = saved.history.get()
    assert record.history_user == users["yx_liaison"] and record.history_type == "+"
    for username in ["yx_reporter", "leader", "wz_liaison", "outsider"]:
        with pytest.raises(PermissionDenied, match="联络员"):
            record_figure(
                users[username],
                region=youxi,
                indicator=definitions["常住人口"],
                year=2024,
                actual_value=Decimal("1"),
            )
    with pytest.raises(PermissionDenied):
        record_figure(
            users["yx_liaison"],
            region=region("闽西南协同发展区"),
            indicator=definitions["常住人口"],
            year=2024,
            actual_value=Decimal("1"),
        )
    assert not RegionIndicator.objects.filter(indicator__name="常住人口", year=2024).exists()
    assert set(
        RegionIndicator.objects.manageable_by(users["yx_liaison"]).values_list("region__name", flat=True)
    ) == {
        "晋江市",
        "尤溪县",
    }
    assert not RegionIndicator.objects.manageable_by(users["leader"]).exists()


def test_a_figure_needs_a_value_and_is_unique_per_region_indicator_and_year(users, demo, definitions):
    youxi = region("尤溪县")
    with pytest.raises(ValidationError) as error:
        record_figure(users["yx_liaison"], region=youxi, indicator=definitions["常住人口"], year=2024)
    assert "至少填写一项" in str(error.value)
    with pytest.raises(ValidationError):
        record_figure(
            users["yx_liaison"],
            region=youxi,
            indicator=definitions["常住人口"],
            year=2024,
            target_comparator="gte",
        )
    RegionIndicator.objects.create(region=youxi, indicator=definitions["常住人口"], year=2024, actual_value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionIndicator.objects.create(
            region=youxi, indicator=definitions["常住人口"], year=2024, actual_value=2
        )


def test_saving_the_same_values_again_writes_no_history(users, demo, definitions):
    args = {"region": region("尤溪县"), "indicator": definitions["常住人口"], "year": 2024}
    record_figure(users["yx_liaison"], **args, actual_value=Decimal("37.5"))
    record_figure(users["yx_liaison"], **args, actual_value=Decimal("37.50"))
    changed = record_figure(users["jj_liaison"], **args, actual_value=Decimal("37.6"))
    assert [h.history_user.username for h in changed.history.order_by("history_id")] == [
        "yx_liaison",
        "jj_liaison",
    ]


def test_region_year_grid_is_all_or_nothing(users, demo, definitions):
    youxi = region("尤溪县")
    good = RowInput(definitions["地区生产总值"], {"actual_value": Decimal("400")})
    bad = RowInput(
        definitions["常住人口"], {"actual_value": None, "target_value": None, "target_comparator": "gte"}
    )
    bad.values["actual_comparator"] = "gte"  # a comparator without a number
    with pytest.raises(ValidationError):
        save_region_year(users["yx_liaison"], region=youxi, year=2024, rows=[good, bad])
    assert not RegionIndicator.objects.filter(region=youxi).exists()
    saved, deleted = save_region_year(users["yx_liaison"], region=youxi, year=2024, rows=[good])
    assert (saved, deleted) == (1, 0)
    cleared = RowInput(definitions["地区生产总值"], {"actual_value": None, "target_value": None})
    assert save_region_year(users["yx_liaison"], region=youxi, year=2024, rows=[cleared]) == (0, 1)
    assert not RegionIndicator.objects.filter(region=youxi).exists()


# --- Targets against actuals -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("nature", "comparator", "target", "actual", "status"),
    [
        ("growth", "about", "6", "5.6", "met"),  # 增长6%左右: half a point below still counts
        ("growth", "about", "6", "5.4", "missed"),
        ("rate", "gte", "68", "68", "met"),  # 68%以上
        ("rate", "gte", "68", "67.9", "missed"),
        ("amount", "about", "36400", "35800", "met"),  # 3.64万亿元左右: within 2 %
        ("amount", "about", "36400", "35000", "missed"),
        ("growth", "lte", "3", "3.5", "missed"),
        ("growth", "", "7.5", None, "open"),
    ],
)
def test_target_status(nature, comparator, target, actual, status):
    definition = IndicatorDefinition(name="x", unit="%", nature=nature)
    row = RegionIndicator(
        indicator=definition,
        year=2025,
        target_comparator=comparator,
        target_value=Decimal(target),
        actual_value=Decimal(actual) if actual else None,
    )
    assert row.status == status


# --- The two sides of a pairing -----------------------------------------------------------------


def enter_youxi(users, definitions):
    youxi = region("尤溪县")
    for name, year, value in [
        ("地区生产总值", 2024, "420"),
        ("地区生产总值增速", 2024, "6.1"),
        ("城镇化率", 2024, "55"),
    ]:
        record_figure(
            users["yx_liaison"],
            region=youxi,
            indicator=definitions[name],
            year=year,
            actual_value=Decimal(value),
        )
    record_figure(
        users["jj_liaison"],
        region=region("晋江市"),
        indicator=definitions["城镇化率"],
        year=2024,
        actual_value=Decimal("70"),
    )


def test_comparison_shows_value_growth_ratio_and_gap(users, demo, definitions):
    enter_youxi(users, definitions)
    comparison = pairing_comparison(demo["jy"])
    assert comparison.years == [2024, 2025]
    blocks = {b.indicator.name: b for b in comparison.blocks}
    gdp = blocks["地区生产总值"].rows[0]
    assert gdp.year == 2024
    assert gdp.coastal.figure.actual_value == 3500 and gdp.coastal.growth.actual_value == 7
    assert gdp.mountain.figure.actual_value == 420 and gdp.mountain.growth.actual_value == Decimal("6.1")
    assert gdp.ratio == Decimal("12.0")  # 420 ÷ 3500
    # The 2025 growth target sits in the GDP block, not in a block of its own.
    assert "地区生产总值增速" not in blocks
    assert blocks["地区生产总值"].rows[1].coastal.growth.target_display == "≈6%"
    assert blocks["城镇化率"].rows[0].gap == Decimal("-15")
    chart = comparison.chart()
    assert chart["labels"] == ["2024", "2025"]
    assert chart["datasets"] == [{"label": "地区生产总值", "data": [12.0, None]}]


def test_growth_is_computed_from_last_years_value_when_not_entered(users, demo, definitions):
    youxi = region("尤溪县")
    for year, value in [(2023, "400"), (2024, "420")]:
        record_figure(
            users["yx_liaison"],
            region=youxi,
            indicator=definitions["地区生产总值"],
            year=year,
            actual_value=Decimal(value),
        )
    comparison = pairing_comparison(demo["jy"], years=[2023, 2024])
    row = comparison.blocks[0].rows[-1]
    assert row.year == 2024 and row.mountain.computed_growth == Decimal("5.0")


def test_comparison_runs_a_constant_number_of_queries(users, demo, definitions):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            pairing_comparison(demo["jy"]).chart()
        return len(ctx.captured_queries)

    small = count()
    youxi = region("尤溪县")
    for year in range(2015, 2024):
        for name in ["地区生产总值", "常住人口", "城镇化率"]:
            record_figure(
                None, region=youxi, indicator=definitions[name], year=year, actual_value=Decimal(year - 2000)
            )
    assert count() == small


def test_assessment_rows_list_the_figures_of_each_pairings_sides(users, demo, definitions):
    enter_youxi(users, definitions)
    rows = list(assessment_rows(Pairing.objects.filter(pk=demo["jy"].pk), 2024))
    header, body = rows[0], rows[1:]
    assert header[:7] == ["结对", "方", "地区", "行政区划代码", "指标", "单位", "年份"]
    by_key = {(r[2], r[4]): r for r in body}
    gdp = by_key[("晋江市", "地区生产总值")]
    assert gdp[1] == "支援方" and gdp[9] == "≥" and gdp[10] == Decimal("3500")
    assert gdp[12] == "2024年晋江市人民政府工作报告"
    assert by_key[("尤溪县", "地区生产总值")][1] == "受援方"
    assert all(r[6] == 2024 for r in body)
    assert len(body) == 7 + 3  # Jinjiang's six 2024 figures and 城镇化率; Youxi's three
