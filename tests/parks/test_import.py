"""Importing a park investment plan workbook (附件1 layout): all rows pass or nothing is written."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from parks.importers import ImportRefused, import_plans
from parks.models import Park, ParkInvestmentPlan

from .conftest import build_workbook, seed_rows

pytestmark = pytest.mark.django_db


def run(data: bytes, *, dry_run=False, user=None):
    return import_plans(io.BytesIO(data), parks=Park.objects.all(), user=user, dry_run=dry_run)


def snapshot():
    return sorted(
        ParkInvestmentPlan.objects.values_list(
            "park__short_name", "year", "kind", "project_count", "planned_total", "planned_completion"
        )
    )


def test_the_attachment_1_layout_with_merged_headers_imports_exactly(demo, users):
    ParkInvestmentPlan.objects.all().delete()
    result = run(build_workbook(), user=users["wz_liaison"])
    assert result.ok, result.errors
    assert result.created == 30 and result.sheet == "附件1"
    wenchang = Park.objects.get(short_name="文成-瑞安")
    plan = ParkInvestmentPlan.objects.get(park=wenchang, year=2020, kind="attracted")
    assert (plan.project_count, plan.planned_total, plan.planned_completion) == (
        9,
        Decimal("500000"),
        Decimal("35000"),
    )
    assert plan.history.get().history_user == users["wz_liaison"]
    assert Park.objects.get(short_name="泰顺-鹿城").core_area_km2 == Decimal("2.06")


def test_importing_the_demo_figures_again_changes_nothing(demo):
    before = snapshot()
    history = ParkInvestmentPlan.history.count()
    result = run(build_workbook())
    assert result.ok and result.unchanged == 30 and result.created == result.updated == 0
    assert snapshot() == before and ParkInvestmentPlan.history.count() == history


def test_a_dry_run_writes_nothing(demo):
    ParkInvestmentPlan.objects.all().delete()
    result = run(build_workbook(), dry_run=True)
    assert result.ok and len(result.lines) == 30
    assert not ParkInvestmentPlan.objects.exists()


def bad_rows():
    rows = seed_rows()
    rows[1][4] = "-29221"  # 苍南-龙湾 2018 政府性 计划总投资
    rows[2][5] = "约五千"  # 文成-瑞安 2018 政府性 计划完成数
    rows[3][3] = "2.5"  # 泰顺-鹿城 2018 政府性 项目数 (not a whole number)
    return rows


def test_every_bad_row_is_reported_with_sheet_row_and_column_and_nothing_is_written(demo):
    before = snapshot()
    result = run(build_workbook(bad_rows()))
    assert not result.ok
    assert result.errors == [
        "工作表“附件1”第 5 行，2018年度政府性投资计划(万元)·计划总投资：不能为负数（-29221）",
        "工作表“附件1”第 6 行，2018年度政府性投资计划(万元)·计划完成数：应为数字，实为“约五千”",
        "工作表“附件1”第 7 行，2018年度政府性投资计划(万元)·项目数：应为整数（2.5）",
    ]
    assert snapshot() == before


def test_a_formula_in_the_name_column_is_refused_not_evaluated(demo):
    def tweak(ws):
        ws["B4"] = '=HYPERLINK("http://evil","永嘉-瓯海")'
        ws["E5"] = "=1+1"

    result = run(build_workbook(tweak=tweak))
    assert result.errors[0] == "工作表“附件1”第 4 行，产业园名称：不接受公式，请填写文字"
    assert "第 5 行" in result.errors[1] and "不接受公式" in result.errors[1]


def test_an_unknown_park_or_a_repeated_one_is_an_error(demo):
    rows = seed_rows()
    rows[0][1] = "龙港-某区"
    rows[2][1] = "苍南 —龙湾"  # the same park as row 5, written differently
    result = run(build_workbook(rows))
    assert "第 4 行，产业园名称：找不到您可管理的园区“龙港-某区”" in result.errors[0]
    assert "第 6 行，产业园名称：园区“苍南 —龙湾”与第 5 行重复" in result.errors[1]


def test_parks_the_user_may_not_manage_are_not_found(demo, users):
    result = import_plans(
        io.BytesIO(build_workbook()),
        parks=Park.objects.manageable_by(users["jj_liaison"]),
        user=users["jj_liaison"],
    )
    assert len(result.errors) == 5 and all("找不到您可管理的园区" in e for e in result.errors)


def test_wrong_headers_are_named_by_row_and_column(demo):
    with pytest.raises(ImportRefused) as info:
        run(build_workbook(subheaders=["项目数", "总投资", "计划完成数"]))
    assert info.value.errors[0] == (
        "工作表“附件1”第 3 行，第 E 列：表头应为“项目数”“计划总投资”“计划完成数”或“实际完成数”，实为“总投资”。"
    )


def test_a_file_that_is_not_a_workbook_is_refused(demo):
    with pytest.raises(ImportRefused, match="不是有效的 Excel"):
        run(b"%PDF-1.4 this is not a spreadsheet")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "a zip, but no workbook inside")
    with pytest.raises(ImportRefused, match="xl/workbook.xml"):
        run(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_opened(demo):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(ImportRefused, match="压缩炸弹"):
        run(buffer.getvalue())


def test_the_command_imports_and_refuses_the_same_way(demo, tmp_path):
    ParkInvestmentPlan.objects.all().delete()
    good = tmp_path / "附件1.xlsx"
    good.write_bytes(build_workbook())
    out = io.StringIO()
    call_command("import_park_plan", str(good), "--dry-run", stdout=out)
    assert "检查通过（未写入）：30 条计划" in out.getvalue() and not ParkInvestmentPlan.objects.exists()
    call_command("import_park_plan", str(good), stdout=out)
    assert ParkInvestmentPlan.objects.count() == 30
    assert ParkInvestmentPlan.objects.first().history.get().history_user is None  # shown as “系统”
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(build_workbook(bad_rows()))
    err = io.StringIO()
    with pytest.raises(CommandError, match="共 3 处错误，未写入任何数据"):
        call_command("import_park_plan", str(bad), stderr=err)
    assert "第 5 行" in err.getvalue()
    assert (
        ParkInvestmentPlan.objects.get(
            park__short_name="苍南-龙湾", year=2018, kind="government"
        ).planned_total
        == 29221
    )
