"""The official table (考核情况表), the ranking (排名), per-notice urging and the empty table, read
back with openpyxl."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.models import AssessmentGrade, AssessmentScheme, AssessmentSection
from assessment.official import grade, rank
from assessment.scoring import ensure_default_scheme
from assessment.services import build
from cooperation.models import Pairing, Unit, User
from tests.assessment.entered import entered_on, now

pytestmark = pytest.mark.django_db

JUDGED_ON = datetime.date(2026, 1, 15)


@pytest.fixture
def export(tmp_path):
    def make(pairings, data_only=False):
        path = build(2025, pairings, dest=tmp_path / "考核表.xlsx", today=JUDGED_ON)
        return load_workbook(path, data_only=data_only)

    return make


def values(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_official_table_of_one_pairing(demo, export):
    wb = export([demo["jy"]])
    assert wb.sheetnames[0] == "考核情况表"
    sheet = wb["考核情况表"]
    rows = values(sheet)
    # The title merged over the table; who reports, when, as of which day, under which scheme.
    assert rows[0][0] == "2025年度晋江市—尤溪县山海协作工作考核情况表"
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].font.name == "黑体" and sheet["A4"].font.name == "宋体"
    jy = Pairing.objects.select_related("coastal_liaison", "mountain_liaison").get(pk=demo["jy"].pk)
    units = "、".join(u.name for u in (jy.coastal_liaison, jy.mountain_liaison) if u)
    assert rows[1][0] == f"填报单位（盖章）：{units}" and rows[1][5] == "填报日期：2026-01-15"
    assert (
        rows[2][0].startswith("统计截至：2026-01-01") and rows[2][5] == "考核方案：山海协作年度考核默认方案"
    )
    assert rows[3] == ["序号", "考核项目", "考核内容", "分值", "评分标准", "自评分", "得分", "备注"]
    # Each side: its heading, the scheme's five items numbered 1…5, then 合计.
    assert rows[4][0] == "一、支援方：晋江市"
    items = rows[5:10]
    assert [r[0] for r in items] == ["1", "2", "3", "4", "5"]
    assert [r[1] for r in items] == [
        "重点任务按时完成",
        "量化指标完成",
        "帮扶资金按时到位",
        "交流活动达到最低次数",
        "催办督办",
    ]
    assert [r[3] for r in items] == [40, 20, 20, 10, 10]
    # 自评分 is the computed score (不适用 where there was nothing to assess); 得分 is left to the assessing office.
    assert [r[5] for r in items] == ["不适用", "不适用", 0, 5, 10]
    assert all(r[6] is None for r in items)
    assert items[2][7] == "按时 0/1" and items[4][4] == "满分 10 分，每次提请督办扣 2 分，扣完为止"
    total = rows[10]
    assert total[1] == "合计" and total[3] == "=SUM(D6:D10)"
    # Earned ÷ applicable weight × full marks, numerator and denominator written out.
    assert total[5] == "=ROUND(SUM(F6:F10)/40*100,2)" and total[7] == "得分 15 ÷ 适用分值 40 × 100"
    assert rows[11][0] == "二、受援方：尤溪县"
    assert rows[17][1] == "合计"
    assert rows[19][0].startswith("负责人：") and "填表人：" in rows[19][0] and "联系电话：" in rows[19][0]
    assert rows[19][5] == "（盖章）"
    # Print: A4 portrait, one page wide at 90 % or more, the column header repeated, page numbers.
    assert sheet.page_setup.orientation == "portrait" and str(sheet.page_setup.paperSize) == "9"
    assert 90 <= sheet.page_setup.scale <= 100
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert all(sheet.row_dimensions[r].height for r in range(1, 21) if r != 19)


def test_the_totals_carry_their_values(demo, export):
    sheet = export([demo["jy"]], data_only=True)["考核情况表"]
    assert sheet["D11"].value == 100 and sheet["F11"].value == 37.5
    assert sheet["F18"].value == 37.5


def test_a_multi_pairing_export_puts_each_pairings_table_on_a_new_page(demo, export):
    pairings = [demo["jy"], demo["wz"], demo["mn"]]
    sheet = export(pairings)["考核情况表"]
    titles = [r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value).endswith("考核情况表")]
    assert len(titles) == 3
    breaks = [b.id for b in sheet.row_breaks.brk]
    assert breaks == [t - 1 for t in titles[1:]]  # a page break before each table but the first
    # A programme with sub-pairings is not scored: 不适用 with the reason, no number.
    rows = values(sheet)
    wz = rows[titles[1] - 1 :]
    total = next(r for r in wz if r[1] == "合计")
    assert total[5] == "不适用" and "设有下级结对" in total[7]


def test_rank_shares_ties_and_leaves_not_applicable_unranked():
    D = Decimal
    ranked = rank([("a", D("80")), ("b", None), ("c", D("95")), ("d", D("80")), ("e", D("60"))])
    assert [(r.key, r.rank) for r in ranked] == [("c", 1), ("a", 2), ("d", 2), ("e", 4), ("b", None)]
    assert rank([("x", None)])[0].rank is None
    assert [grade(D(s)) for s in ("90", "89.99", "75", "60", "59.99", "0")] == [
        "好",
        "较好",
        "较好",
        "一般",
        "差",
        "差",
    ]
    assert grade(None) == ""


def test_the_ranking_sheet_is_in_multi_pairing_exports_only(demo, export):
    assert "排名" not in export([demo["jy"]]).sheetnames
    wb = export(list(Pairing.objects.all()), data_only=True)
    sheet = wb["排名"]
    assert wb.sheetnames.index("排名") == wb.sheetnames.index("汇总") + 1
    rows = [
        dict(zip([c.value for c in sheet[2]], r, strict=False))
        for r in sheet.iter_rows(min_row=3, values_only=True)
    ]
    for side in ("支援方", "受援方"):
        lines = [r for r in rows if r["方"] == side]
        ranked = [r for r in lines if r["名次"] is not None]
        unranked = [r for r in lines if r["名次"] is None]
        assert ranked and unranked
        assert lines == ranked + unranked  # 不适用 below, unranked
        assert all(r["总分"] == "不适用" and r["说明"].startswith("不适用，不参与排名") for r in unranked)
        scores = [r["总分"] for r in ranked]
        assert scores == sorted(scores, reverse=True)
        assert ranked[0]["名次"] == 1
        for before, after in zip(ranked, ranked[1:], strict=False):
            assert after["名次"] == (
                before["名次"] if after["总分"] == before["总分"] else ranked.index(after) + 1
            )
        assert all(r["等次"] == grade(Decimal(str(r["总分"]))) for r in ranked)


def test_each_urging_notice_is_a_row_with_who_signed_it(demo, export):
    from reminders.models import UrgingNotice

    jy = demo["jy"]
    unit = Unit.objects.get(name="尤溪县教育局")
    signer = User.objects.filter(unit=unit).first() or User.objects.get(username="yx_liaison")
    since = now()
    UrgingNotice.objects.create(
        item_key="test:sign",
        due=datetime.date(2025, 6, 30),
        unit=unit,
        pairing=jy,
        summary="推进教育共同体建设（逾期）",
        url="/",
        issued_on=datetime.date(2025, 7, 3),
        sign_by=datetime.date(2025, 7, 5),
        reply_by=datetime.date(2025, 7, 8),
        status=UrgingNotice.Status.SIGNED,
        signed_at=datetime.datetime(2025, 7, 4, 9, 30, tzinfo=datetime.UTC),
        signed_by=signer,
        escalated_on=datetime.date(2025, 7, 10),
    )
    entered_on(datetime.date(2025, 7, 10), since)
    sheet = export([jy])["催办督办"]
    head = [c.value for c in sheet[2]]
    lines = [dict(zip(head, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)]
    line = next(r for r in lines if r["事项"] == "推进教育共同体建设（逾期）")
    assert line["发出日期"].date() == datetime.date(2025, 7, 3)
    assert (line["责任单位"], line["计入方"], line["级别"], line["状态"]) == (
        "尤溪县教育局",
        "受援方",
        "督办",
        "已签收",
    )
    name = signer.get_full_name() or signer.get_username()
    assert line["签收"] == f"2025-07-04 {name}"
    assert line["是否计分"] == "是：2025-07-10 提请督办，扣 2 分"


def test_an_empty_table_says_so(demo, export):
    sheet = export([demo["mn"]])["资金到位情况"]
    assert sheet["A3"].value == "本年度无记录"
    merged = next(r for r in sheet.merged_cells.ranges if r.min_row == 3)
    assert merged.min_col == 1 and merged.max_col >= 6  # across the first page (the sheet is split)


def test_the_scheme_sheet_prints_the_default_scheme(demo, export):
    sheet = export([demo["jy"]])["评分标准"]
    head = [c.value for c in sheet[2]]
    lines = [dict(zip(head, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)]
    items = [line for line in lines if line["类别"] == "考核项目"]
    assert [(line["名称"], line["分值 / 分数线"]) for line in items] == [
        ("重点任务按时完成", "40 分"),
        ("量化指标完成", "20 分"),
        ("帮扶资金按时到位", "20 分"),
        ("交流活动达到最低次数", "10 分"),
        ("催办督办", "10 分"),
    ]
    total = next(line for line in lines if line["类别"] == "总分")
    assert total["分值 / 分数线"] == "100 分" and "÷ 适用项目分值之和 × 100" in total["评分标准"]
    grades = [(line["名称"], line["分值 / 分数线"]) for line in lines if line["类别"] == "等次"]
    assert grades == [("好", "≥ 90 分"), ("较好", "≥ 75 分"), ("一般", "≥ 60 分"), ("差", "其余")]


def test_a_years_scheme_sets_its_own_grade_bands(demo, export):
    """The assessing office's 2025 scheme: three bands of its own, used in 排名 and printed."""
    default = ensure_default_scheme()
    special = AssessmentScheme.objects.create(name="2025年度考核办法", year_from=2025, year_to=2025)
    for section in default.sections.all():
        AssessmentSection.objects.create(
            scheme=special,
            order=section.order,
            name=section.name,
            rule=section.rule,
            weight=section.weight,
            deduction=section.deduction,
        )
    AssessmentGrade.objects.create(scheme=special, name="优秀", threshold=Decimal("85"))
    AssessmentGrade.objects.create(scheme=special, name="合格", threshold=Decimal("30"))
    AssessmentGrade.objects.create(scheme=special, name="不合格", threshold=Decimal("0"))
    wb = export([demo["jy"], Pairing.objects.get(name__startswith="晋江市—长汀县")])
    ranking = wb["排名"]
    head = [c.value for c in ranking[2]]
    lines = [dict(zip(head, r, strict=False)) for r in ranking.iter_rows(min_row=3, values_only=True)]
    jy = [line for line in lines if line["结对"] == "晋江市—尤溪县山海协作"]
    assert [line["等次"] for line in jy] == ["合格", "合格"]  # 37.5: 好/较好/一般/差 would say 差
    scheme_sheet = wb["评分标准"]
    printed = {c.value for row in scheme_sheet.iter_rows() for c in row if c.value}
    assert {"优秀", "合格", "不合格", "2025年度考核办法"} <= printed
    assert wb["考核情况表"]["F3"].value == "考核方案：2025年度考核办法"


def test_park_lines_say_whether_the_scheme_scores_them(demo, export):
    from parks.models import Park, ParkInvestmentPlan

    jy = demo["jy"]
    since = now()
    park = Park.objects.create(name="尤溪测试园区", pairing=jy, region=jy.mountain_region)
    ParkInvestmentPlan.objects.create(
        park=park,
        year=2025,
        kind="government",
        project_count=1,
        planned_total=Decimal("100"),
        planned_completion=Decimal("50"),
        actual_completion=Decimal("40"),
    )
    entered_on(datetime.date(2025, 8, 2), since)

    def line():
        sheet = export([jy])["园区建设情况"]
        head = [c.value for c in sheet[2]]
        return next(
            dict(zip(head, r, strict=False))
            for r in sheet.iter_rows(min_row=3, values_only=True)
            if r[2] == "尤溪测试园区"
        )

    assert (line()["计入方"], line()["是否计分"]) == ("双方", "否：考核方案未设园区项目")
    AssessmentSection.objects.create(
        scheme=ensure_default_scheme(),
        name="园区建设",
        rule=AssessmentSection.Rule.PARKS_COMPLETION,
        weight=Decimal("10"),
    )
    assert line()["是否计分"] == "是"
