"""Excel import of indicators: a good sheet goes in whole, a bad one changes nothing and says why, row by row."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from indicators.importer import import_workbook, parse_number
from indicators.models import RegionIndicator

pytestmark = pytest.mark.django_db

HEADER = ["地区", "行政区划代码", "指标", "年份", "预期目标", "实际值", "来源", "原文"]


def good_rows():
    return [
        HEADER,
        ["尤溪县", "350426", "地区生产总值", 2024, None, 420.5, None, None],
        ["尤溪县", None, "地区生产总值增速", "2024年", None, "6.1%", None, None],
        ["", "350426", "城镇化率", 2025, "58%以上", None, None, None],
        [
            "晋江市",
            "350582",
            "地区生产总值增速",
            2025,
            "6%左右",
            None,
            "2024年晋江市人民政府工作报告",
            "地区生产总值增长 6%左右",
        ],
    ]


def test_liaison_imports_a_good_sheet_with_history(users, demo, xlsx):
    before = RegionIndicator.objects.count()
    preview = import_workbook(xlsx(good_rows()), users["yx_liaison"])
    assert preview.errors == []
    assert (preview.created, preview.updated, preview.applied) == (3, 1, True)
    assert RegionIndicator.objects.count() == before + 3
    gdp = RegionIndicator.objects.get(region__name="尤溪县", indicator__name="地区生产总值", year=2024)
    assert gdp.actual_value == Decimal("420.5")
    assert gdp.history.get().history_user == users["yx_liaison"]
    urban = RegionIndicator.objects.get(region__name="尤溪县", indicator__name="城镇化率", year=2025)
    assert (urban.target_comparator, urban.target_value) == ("gte", Decimal("58"))
    jj = RegionIndicator.objects.get(region__name="晋江市", indicator__name="地区生产总值增速", year=2025)
    assert jj.source_text == "地区生产总值增长 6%左右"


def test_dry_run_checks_and_writes_nothing(users, demo, xlsx):
    before = RegionIndicator.history.count()
    preview = import_workbook(xlsx(good_rows()), users["yx_liaison"], dry_run=True)
    assert preview.ok and not preview.applied and len(preview.rows) == 4
    assert RegionIndicator.history.count() == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["婺源县", None, "地区生产总值", 2024, None, 1, None, None], "第 3 行，地区：找不到地区“婺源县”"),
        (
            ["尤溪县", "999999", "地区生产总值", 2024, None, 1, None, None],
            "第 3 行，行政区划代码：找不到行政区划代码“999999”",
        ),
        (["尤溪县", None, "幸福指数", 2024, None, 1, None, None], "第 3 行，指标：找不到指标“幸福指数”"),
        (
            ["尤溪县", None, "常住人口", 2024, None, "约三十万", None, None],
            "第 3 行，实际值：“约三十万”不是数字",
        ),
        (["尤溪县", None, "常住人口", "去年", None, 30, None, None], "第 3 行，年份：“去年”不是有效的年份"),
        (
            ["尤溪县", None, "常住人口", 2024, None, None, None, None],
            "第 3 行，实际值：预期目标和实际值至少填写一项",
        ),
        (
            ["尤溪县", None, "常住人口", 2024, None, 30, "不存在的文件", None],
            "第 3 行，来源：找不到文件“不存在的文件”",
        ),
        (
            ["温州市", None, "常住人口", 2024, None, 30, None, None],
            "第 3 行，地区：您没有权限填报“温州市”的指标",
        ),
        (["尤溪县", None, "地区生产总值", 2024, None, 2, None, None], "第 3 行，指标：与第 2 行重复"),
    ],
)
def test_a_bad_row_refuses_the_whole_sheet(users, demo, xlsx, row, message):
    before = RegionIndicator.history.count()
    rows = [HEADER, ["尤溪县", None, "地区生产总值", 2024, None, 400, None, None], row]
    preview = import_workbook(xlsx(rows), users["yx_liaison"])
    assert not preview.applied
    assert any(e.startswith(message) for e in preview.errors), preview.errors
    assert RegionIndicator.history.count() == before  # the good first row was not saved either


def test_every_bad_row_is_listed_not_just_the_first(users, demo, xlsx):
    rows = [
        HEADER,
        ["婺源县", None, "地区生产总值", 2024, None, 1, None, None],
        ["尤溪县", None, "幸福指数", 2024, None, 1, None, None],
        ["尤溪县", None, "常住人口", 2024, None, "abc", None, None],
    ]
    errors = import_workbook(xlsx(rows), users["yx_liaison"]).errors
    assert [e[:5] for e in errors] == ["第 2 行", "第 3 行", "第 4 行"]


def test_a_formula_cell_is_refused_not_evaluated(users, demo, xlsx):
    rows = [HEADER, ["尤溪县", None, "地区生产总值", 2024, None, 400, None, None]]
    preview = import_workbook(xlsx(rows, formula_at="F2"), users["yx_liaison"])
    assert preview.errors == ["第 2 行，实际值：不接受公式，请填写数值或文字"]
    assert not RegionIndicator.objects.filter(region__name="尤溪县").exists()


def test_a_file_that_is_not_a_workbook_is_refused(users, demo):
    not_zip = io.BytesIO(b"PK\x03\x04 this is not really a zip")
    assert "不是有效的 Excel" in import_workbook(not_zip, users["yx_liaison"]).errors[0]
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "缺少 xl/workbook.xml" in import_workbook(plain_zip, users["yx_liaison"]).errors[0]


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(users, demo):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (20 * 1024 * 1024))
    assert "压缩炸弹" in import_workbook(bomb, users["yx_liaison"]).errors[0]
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(600):
            archive.writestr(f"xl/x{i}.xml", "x")
    assert "601 个条目" in import_workbook(many, users["yx_liaison"]).errors[0]


def test_too_many_rows_are_refused(users, demo, xlsx, monkeypatch):
    monkeypatch.setattr("indicators.importer.MAX_ROWS", 3)
    rows = [HEADER] + [["尤溪县", None, "常住人口", 2000 + i, None, 30, None, None] for i in range(5)]
    assert import_workbook(xlsx(rows), users["yx_liaison"]).errors == ["表格超过 3 行数据，请分批导入。"]


def test_a_sheet_without_the_needed_columns_says_which(users, demo, xlsx):
    errors = import_workbook(xlsx([["名称", "数值"], ["尤溪县", 1]]), users["yx_liaison"]).errors
    assert errors == ["第 1 行（表头）缺少列：地区 或 行政区划代码、指标、年份、预期目标 或 实际值。"]


def test_viewer_cannot_import(users, demo, xlsx):
    preview = import_workbook(xlsx(good_rows()), users["leader"])
    assert not preview.applied and "联络员" in preview.errors[0]


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (6, "%", ("", Decimal(6))),
        (0.1, "%", ("", Decimal("0.1"))),
        ("6%左右", "%", ("about", Decimal(6))),
        ("增长7%以上", "%", ("gte", Decimal(7))),
        ("3,500亿元", "亿元", ("", Decimal(3500))),
        ("≤ 3", "%", ("lte", Decimal(3))),
    ],
)
def test_numbers_are_read_with_the_documents_wording(raw, unit, expected):
    assert parse_number(raw, unit) == expected


def test_wan_yi_in_a_yi_column_is_not_silently_misread():
    with pytest.raises(ValueError, match="请按指标单位“亿元”填写"):
        parse_number("3.64万亿元左右", "亿元")


def test_management_command_imports_and_dry_runs(demo, xlsx, tmp_path, capsys):
    path = tmp_path / "指标.xlsx"
    path.write_bytes(xlsx(good_rows()).getvalue())
    call_command("import_indicators", str(path), "--dry-run")
    assert "检查通过" in capsys.readouterr().out
    assert not RegionIndicator.objects.filter(region__name="尤溪县").exists()
    call_command("import_indicators", str(path))
    gdp = RegionIndicator.objects.get(region__name="尤溪县", indicator__name="地区生产总值", year=2024)
    assert gdp.history.get().history_user is None  # shown as “系统”


def test_management_command_lists_errors_and_fails(demo, xlsx, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([HEADER, ["婺源县", None, "地区生产总值", 2024, None, 1, None, None]]).getvalue())
    with pytest.raises(CommandError, match="未做任何修改"):
        call_command("import_indicators", str(path))
    assert "第 2 行，地区：找不到地区“婺源县”" in capsys.readouterr().err
