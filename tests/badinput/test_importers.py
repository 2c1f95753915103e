"""Bad content inside a well-formed workbook: formulas, wrong or missing headers, merged cells over
the header, dates and years as text, negative or absurd money, unknown units, names and parks.

Each is refused with a “第 N 行，列名：…” message and nothing is written (all or nothing). Cases
the apps' own tests already hold are not repeated here:
tests/parks/test_import.py (negative money, text in a number column, a fractional project count,
a formula in the name column, an unknown or repeated park, a wrong sub-header, a file that is not
a workbook, a zip bomb) and tests/indicators/test_indicators_import.py (unknown region, code,
indicator or document, text numbers, a year as text, a formula cell, too many rows, missing columns).
"""

from __future__ import annotations

import datetime
import io

import pytest

from indicators.importer import import_workbook
from parks.importers import ImportRefused, import_plans
from parks.models import Park, ParkInvestmentPlan
from tests.parks.conftest import build_workbook, seed_rows

from . import corpus

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------------------------
# The park plan workbook (温政发〔2018〕26号 附件1)
# --------------------------------------------------------------------------------------------


def park_import(data: bytes, user=None):
    return import_plans(io.BytesIO(data), parks=Park.objects.all(), user=user)


# Row 4 is 永嘉-瓯海; column E its 2018 政府性 计划总投资 (万元), D its 项目数, C its core area (km²).
@pytest.mark.parametrize(
    "cell, value, message",
    [
        ("E4", "=SUM(E5:E8)", "不接受公式，请填写数值"),
        ("E4", '=HYPERLINK("http://evil","1")', "不接受公式，请填写数值"),
        ("E4", "+200000", None),  # a leading + is text to openpyxl; it reads as the number it spells
        ("E4", "＝1+1", "应为数字，实为“＝1+1”"),
        ("E4", "100000000000000000000", "数值过大"),
        ("E4", "1e3", "应为数字，实为“1e3”"),  # no exponent in a written figure (core.money)
        ("E4", "１２０", "应为数字，实为“１２０”"),  # nor full-width digits
        ("E4", 1e20, "数值过大"),
        ("E4", "12,000,000元", "应为数字，实为“12,000,000元”"),
        ("E4", "NaN", "应为数字"),
        ("E4", "Infinity", "应为数字"),
        ("E4", -5, "不能为负数（-5）"),
        ("E4", "二十万", "应为数字，实为“二十万”"),
        ("E4", datetime.datetime(2018, 2, 28), "应为数字"),
        ("E4", "2018-02-31", "应为数字，实为“2018-02-31”"),
        ("D4", 3_000_000_000, "数值过大"),
        ("C4", 12_345_678, "数值过大"),
        ("E4", "0.00001", "最多保留四位小数"),
    ],
)
def test_bad_numbers_in_the_park_plan_are_named_by_row_and_column(demo, unchanged, cell, value, message):
    def tweak(ws):
        ws[cell] = value

    with unchanged() if message else _nothing():
        result = park_import(build_workbook(tweak=tweak))
    if message is None:
        assert result.ok, result.errors
        return
    assert not result.ok
    assert result.errors[0].startswith("工作表“附件1”第 4 行，"), result.errors
    assert message in result.errors[0], result.errors


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_an_absurd_figure_is_an_error_not_a_database_overflow(demo, unchanged):
    """numeric(16,4) holds 12 digits before the point: 1e12 万元 overflows on PostgreSQL, and on
    SQLite (decimals kept as floats) 999999999999.9999 comes back as 1e12 and breaks the park page.
    The importer stops at 1e10 万元 (10¹⁴ yuan), which both store exactly."""
    rows = seed_rows()
    for absurd in ("1000000000000", "999999999999.9999", "10000000000"):
        rows[0][4] = absurd
        with unchanged():
            result = park_import(build_workbook(rows))
        assert "数值过大" in result.errors[0], absurd
    rows[0][4] = "9999999999.9999"
    result = park_import(build_workbook(rows))
    assert result.ok, result.errors
    plan = ParkInvestmentPlan.objects.get(park__short_name__startswith="永嘉", year=2018, kind="government")
    assert str(plan.planned_total) == "9999999999.9999"


@pytest.mark.parametrize(
    "top, subs, merges, message",
    [
        # No 序号 row at all: the header is not found.
        (["编号", "产业园名称"], None, (), "前 10 行中找不到以“序号”开头的表头行"),
        # The name header merged away into 序号 (A2:B3): the layout is named by row and column.
        (None, None, ("A2:B3",), "第 2 行，第 B 列：表头应为“产业园名称”"),
        # A year group without a year, or with the year written out in characters.
        (["序号", "产业园名称", "核心区面积", "二〇一八年度政府性投资计划(万元)"], None, (), "应写明年度"),
        # A group missing one of its columns.
        (None, ["项目数", "计划总投资", ""], (), "缺少列：计划完成数"),
    ],
)
def test_wrong_or_missing_headers_refuse_the_whole_file(demo, unchanged, top, subs, merges, message):
    def tweak(ws):
        if top is not None:
            for merged in list(ws.merged_cells.ranges):
                if merged.min_row == 2:
                    ws.unmerge_cells(str(merged))
            for col in range(1, 22):
                ws.cell(row=2, column=col).value = top[col - 1] if col <= len(top) else None
        for merge in merges:
            for merged in list(ws.merged_cells.ranges):
                if merged.min_col <= 2 and merged.min_row == 2:
                    ws.unmerge_cells(str(merged))
            ws.merge_cells(merge)

    with unchanged(), pytest.raises(ImportRefused) as info:
        park_import(build_workbook(subheaders=subs, tweak=tweak))
    assert any(message in error for error in info.value.errors), info.value.errors


# --------------------------------------------------------------------------------------------
# The indicator sheet
# --------------------------------------------------------------------------------------------

HEADER = ["地区", "指标", "年份", "实际值"]


@pytest.mark.parametrize(
    "year, value, message",
    [
        (2024, "100000000000000000000", "数值过大"),
        (2024, "1e3", "不是数字"),  # no exponent in a written figure (core.money)
        (2024, "١٢٠", "不是数字"),  # nor Arabic-Indic digits
        (2024, 1e20, "数值过大"),
        (2024, "NaN", "不是数字"),
        (2024, "Infinity", "不是数字"),
        (2024, "12,000,000元", "不是数字（请按指标单位“万人”填写数值）"),
        (2024, "37.5斤", "不是数字（请按指标单位“万人”填写数值）"),  # an unknown unit
        (2024, "=1+1", "不接受公式"),
        ("二〇二四", 37.5, "“二〇二四”不是有效的年份"),
        ("2024-02-31", 37.5, "“2024-02-31”不是有效的年份"),
        (datetime.datetime(2024, 12, 31), 37.5, "不是有效的年份"),
        (1800, 37.5, "“1800”不是有效的年份"),
    ],
)
def test_bad_values_in_the_indicator_sheet_are_named_by_row_and_column(
    users, demo, unchanged, year, value, message
):
    def tweak(ws):
        if isinstance(value, str) and value.startswith("="):
            ws["D2"] = value

    data = corpus.xlsx([HEADER, ["尤溪县", "常住人口", year, value]], tweak=tweak)
    with unchanged():
        preview = import_workbook(io.BytesIO(data), users["yx_liaison"])
    assert not preview.applied
    assert any(e.startswith("第 2 行，") and message in e for e in preview.errors), preview.errors


def test_a_negative_indicator_is_a_figure_not_an_error(users, demo):
    """Growth rates fall below zero: −2.3 is a value, unlike −5 yuan paid."""
    data = corpus.xlsx([HEADER, ["尤溪县", "常住人口", 2024, -2.3]])
    assert import_workbook(io.BytesIO(data), users["yx_liaison"]).applied


def test_header_cells_merged_together_lose_a_column_and_say_which(users, demo, unchanged):
    data = corpus.xlsx(
        [["地区", None, "年份", "实际值"], ["尤溪县", "常住人口", 2024, 37.5]], merges=("A1:B1",)
    )
    with unchanged():
        preview = import_workbook(io.BytesIO(data), users["yx_liaison"])
    assert preview.errors == ["第 1 行（表头）缺少列：指标。"]


def test_a_sheet_without_any_header_says_which_columns_are_missing(users, demo, unchanged):
    data = corpus.xlsx([["尤溪县", "常住人口", 2024, 37.5]])
    with unchanged():
        preview = import_workbook(io.BytesIO(data), users["yx_liaison"])
    assert preview.errors and preview.errors[0].startswith("第 1 行（表头）缺少列：")


def test_too_many_decimals_refuse_the_whole_sheet_at_confirm(users, demo, unchanged):
    data = corpus.xlsx([HEADER, ["尤溪县", "常住人口", 2024, 37.5], ["尤溪县", "常住人口", 2023, "1.234567"]])
    with unchanged():
        preview = import_workbook(io.BytesIO(data), users["yx_liaison"])
    assert not preview.applied and preview.errors, preview.errors


# --------------------------------------------------------------------------------------------
# The responsibility table (tasks/importing/table.py, 附件2 layout)
# --------------------------------------------------------------------------------------------

TASK_HEADER = ["序号", "任务", "事项", "责任单位", "完成时限"]


@pytest.mark.parametrize(
    "deadline, message",
    [
        ("2026年2月31日前", "无法识别“2026年2月31日前”"),
        ("每年2月31日前", "无法识别“每年2月31日前”"),  # not a silent "every 31 December"
        ("每年4月31日前", "无法识别“每年4月31日前”"),
        ("2026年13月底前", "无法识别“2026年13月底前”"),
        ("=DATE(2026,2,31)", "公式"),
    ],
)
def test_a_deadline_of_31_february_in_the_task_table_is_refused(demo, unchanged, deadline, message):
    from tasks.importing.table import read_task_table

    def tweak(ws):
        ws["E2"] = deadline

    data = corpus.xlsx(
        [TASK_HEADER, [1, "推进教育合作", "开展教师交流", "尤溪县教育局、晋江市教育局", "placeholder"]],
        tweak=tweak,
    )
    with unchanged():
        table = read_task_table(io.BytesIO(data), filename="责任分解表.xlsx")
    assert not table.ok
    assert any(e.startswith("第 2 行，") and message in e for e in table.errors), table.errors
