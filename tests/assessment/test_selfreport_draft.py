"""The self-assessment report (自评报告) drafted from the demo's records of 晋江—尤溪 2025.

The figures are the demo's: ¥12,000,000 promised by 30 April 2025, paid 5,000,000 on 28 April and
7,000,000 on 20 May (in full on 20 May, 20 days late), confirmed on 26 May; the fund-use list sent on
8 April (8 days late); 推动教育医疗合作 due 31 December and not done (1 day overdue as of 1 January,
the day a finished year is judged on), with the report the liaison returned.
"""

from __future__ import annotations

import datetime

import pytest

from assessment.selfreport import draft
from reminders.models import UrgingNotice
from tasks.models import TaskPeriod, period_key

pytestmark = pytest.mark.django_db

AFTER_THE_YEAR = datetime.date(2026, 1, 10)


def section(report, heading: str) -> str:
    for part in report.sections:
        if part.heading == heading:
            return part.text
    raise AssertionError(f"no section {heading!r} in {[p.heading for p in report.sections]}")


def test_the_funds_chain_gives_each_payment_its_date_and_the_days_late(demo, users):
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=AFTER_THE_YEAR)
    funds = section(report, "协作资金保障情况")
    assert "1200万元，应于2025年4月30日前拨付到位（每年4月底前）" in funds
    assert "实际2025年4月28日拨付500万元、2025年5月20日拨付700万元，累计拨付1200万元" in funds
    assert "于2025年5月20日足额拨付，逾期20天" in funds
    assert "尤溪县财政局2025年5月26日确认到账1200万元" in funds
    assert "资金使用项目清单于2025年4月8日报送（时限2025年3月31日，逾期8天）" in funds
    # The 2025 fund-use list: five projects, 12,000,000 planned, 5,600,000 spent.
    assert "清单共5个项目，计划安排1200万元" in funds and "已支出560万元" in funds
    assert "（1）尤溪县纺织产业链延链补链项目（造血式产业类）：计划安排500万元，已支出260万元" in funds


def test_problems_name_the_late_money_and_the_overdue_task_with_the_reasons_given(demo, users):
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=AFTER_THE_YEAR)
    problems = section(report, "存在的问题").splitlines()
    late_money = next(line for line in problems if "专项资金" in line)
    assert "2025年5月20日足额拨付，逾期20天" in late_money
    # The reason is what 晋江市财政局 wrote in its report on the funds task.
    assert "晋江市财政局报告：“2025年4月28日拨付500万元、5月20日拨付700万元" in late_money
    assert any(
        "资金使用项目清单应于2025年3月31日前报送，实际2025年4月8日报送，逾期8天" in line for line in problems
    )
    overdue = next(line for line in problems if "推动教育医疗合作" in line)
    assert "截至2026年1月1日已逾期1天" in overdue
    assert "尤溪县教育局报告：“2025年上半年尤溪一中教师赴晋江一中跟岗学习" in overdue
    assert "报告已退回，意见：“请补充跟岗学习的时间、人数和现场照片。”" in overdue
    # A draft the unit never submitted is not its word.
    assert "名师送教" not in "\n".join(problems)


def test_an_urging_notice_reply_and_a_progress_note_are_reasons_too(demo, users):
    period = TaskPeriod.objects.get(task__pairing=demo["jy"], task__title="推动教育医疗合作", year=2025)
    period.note = "受学期安排影响，医疗专家交流延至2026年一季度。"
    period.save()
    UrgingNotice.objects.create(
        item_key=period_key(period.pk),
        due=period.due_date,
        unit=users["yx_reporter"].unit,
        pairing=demo["jy"],
        summary="推动教育医疗合作",
        url=period.get_absolute_url(),
        issued_on=datetime.date(2026, 1, 2),
        sign_by=datetime.date(2026, 1, 4),
        reply_by=datetime.date(2026, 1, 7),
        status=UrgingNotice.Status.ANSWERED,
        reply="教师跟岗学习材料正在补充，1月15日前重新报送。",
    )
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=AFTER_THE_YEAR)
    overdue = next(line for line in section(report, "存在的问题").splitlines() if "推动教育医疗合作" in line)
    assert "进展说明：“受学期安排影响，医疗专家交流延至2026年一季度。”" in overdue
    assert "尤溪县教育局在催办单反馈中说明：“教师跟岗学习材料正在补充，1月15日前重新报送。”" in overdue


def test_the_work_by_area_counts_states_as_core_states_judges_them(demo, users):
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=AFTER_THE_YEAR)
    work = section(report, "2025年度重点工作推进情况")
    assert work.startswith(
        "2025年列入年度考核的任务5项（截至2026年1月1日），其中按时完成2项、逾期完成2项、已逾期未完成1项、尚未到期0项"
    )
    lines = work.splitlines()
    assert "（一）产业协作" in lines and "（六）保障措施" in lines
    assert any(
        line.startswith("1. 推进文旅康养产业合作") and "按时完成（2025年4月18日完成）" in line
        for line in lines
    )
    # While the year runs, the same task is judged on that day: due in 30 days, not overdue.
    running = draft(demo["jy"], 2025, users["jj_liaison"], today=datetime.date(2025, 12, 1))
    work = section(running, "2025年度重点工作推进情况")
    assert "已逾期未完成0项" in work
    assert any("推动教育医疗合作" in line and "30天后到期" in line for line in work.splitlines())


def test_targets_are_set_against_actuals(demo, users):
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=AFTER_THE_YEAR)
    targets = section(report, "量化指标完成情况")
    assert "2025年度量化指标5项，已达标3项、未达标2项。" in targets
    assert "山海协作专项资金：目标≥1200万元，完成1200万元，已达标（完成率100%）。" in targets
    assert "教育领域专技人员交流活动：目标≥1次，无完成记录，未达标。" in targets


def test_parks_projects_exchanges_and_next_year(demo, users):
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=AFTER_THE_YEAR)
    parks = section(report, "园区共建和项目推进情况")
    assert "晋江—尤溪共建产业园区（共建产业园）" in parks
    assert "2025年项目到位资金8500万元" in parks  # 65,000,000 + 20,000,000
    exchanges = section(report, "交流互访情况")
    assert "2025年两地共开展交流活动2次" in exchanges
    assert "2025年4月18日，晋江尤溪朱子文化旅游节（文体旅活动" in exchanges
    nxt = section(report, "2026年工作打算")
    assert (
        "山海协作专项资金（支持尤溪县项目建设和兜底救助性支出等）1200万元于2026年4月30日前足额拨付到位" in nxt
    )


def test_title_addressee_and_issuer_follow_the_side_of_the_liaison(demo, users):
    coastal = draft(demo["jy"], 2025, users["jj_liaison"], today=AFTER_THE_YEAR)
    assert coastal.title == "晋江市农业农村局关于2025年度晋江市—尤溪县山海协作工作的自评报告"
    assert coastal.addressee == "泉州市山海协作工作领导小组办公室："
    assert coastal.issuer == "晋江市农业农村局" and coastal.date == "2026年1月10日"
    assert "（晋政文〔2024〕102号）" in coastal.opening
    mountain = draft(demo["jy"], 2025, users["yx_liaison"], today=AFTER_THE_YEAR)
    assert mountain.issuer == "尤溪县发展和改革局"
    assert mountain.addressee == "三明市山海协作工作领导小组办公室："


def test_a_year_without_records_says_so(demo, users):
    report = draft(demo["jy"], 2023, users["jj_liaison"], today=AFTER_THE_YEAR)
    assert "2023年度无协作资金安排记录。" in section(report, "协作资金保障情况")
    assert "2023年度无交流活动记录。" in section(report, "交流互访情况")


def test_every_demo_pairing_and_year_drafts_and_builds_a_file(demo, users):
    from assessment.reportdocx import build_docx
    from cooperation.models import Pairing

    for pairing in Pairing.objects.all():
        for year in (2018, 2024, 2025):
            report = draft(pairing, year, users["admin"], today=AFTER_THE_YEAR)
            assert pairing.name in report.title and len(report.sections) == 7
            assert build_docx(report).startswith(b"PK")


def test_money_reads_in_wan_and_yi_yuan():
    from decimal import Decimal

    from assessment.selfreport import wan_text

    assert wan_text(Decimal("12000000.00")) == "1200万元"
    assert wan_text(Decimal("5600000")) == "560万元"
    assert wan_text(Decimal("12345")) == "1.2345万元"
    assert wan_text(Decimal("120000000")) == "1.2亿元"
    assert wan_text(Decimal("4000000000")) == "40亿元"
