"""Bonus and deduction items (加分 / 扣分): each item's entries count up to its cap, they move the
total, the ranking and the grade, and the workbook prints them (汇总, 考核情况表, 评分标准, on paper)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.models import (
    AssessmentAdjustment,
    AssessmentAdjustmentEntry,
    AssessmentScheme,
    AssessmentSection,
)
from assessment.scoring import Facts, ensure_default_scheme, total_score
from assessment.services import build

pytestmark = pytest.mark.django_db

JUDGED_ON = datetime.date(2026, 1, 15)
D = Decimal


def year_scheme() -> AssessmentScheme:
    """The assessing office's 2025 scheme: the default's sections, one bonus and one deduction item."""
    default = ensure_default_scheme()
    scheme = AssessmentScheme.objects.create(name="2025年度考核办法", year_from=2025, year_to=2025)
    for section in default.sections.all():
        AssessmentSection.objects.create(
            scheme=scheme,
            order=section.order,
            name=section.name,
            rule=section.rule,
            weight=section.weight,
            deduction=section.deduction,
        )
    AssessmentAdjustment.objects.create(
        scheme=scheme,
        kind="bonus",
        order=1,
        name="获省级及以上表彰",
        points=D("2"),
        cap=D("3"),
        criterion="协作工作获省级及以上表彰",
    )
    AssessmentAdjustment.objects.create(
        scheme=scheme, kind="deduction", order=1, name="被省级通报批评", points=D("1"), cap=D("5")
    )
    return scheme


def enter(pairing, side, name, points, reason, admin=None):
    return AssessmentAdjustmentEntry.objects.create(
        item=AssessmentAdjustment.objects.get(name=name),
        pairing=pairing,
        side=side,
        year=2025,
        points=D(points),
        reason=reason,
        evidence="浙协办〔2025〕12号",
        entered_by=admin,
    )


@pytest.fixture
def export(tmp_path):
    def make(pairings, data_only=False):
        path = build(2025, pairings, dest=tmp_path / "考核表.xlsx", today=JUDGED_ON)
        return load_workbook(path, data_only=data_only), path

    return make


def table(sheet) -> list[dict]:
    head = [c.value for c in sheet[2]]
    return [dict(zip(head, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)]


def test_each_item_counts_up_to_its_cap():
    sections = [AssessmentSection(name="重点任务按时完成", rule="tasks_on_time", weight=D("100"))]
    bonus = AssessmentAdjustment(pk=1, kind="bonus", name="表彰", points=D("2"), cap=D("3"))
    minus = AssessmentAdjustment(pk=2, kind="deduction", name="通报", points=D("1"), cap=D("2"))
    facts = Facts(tasks_counted=4, tasks_on_time=3)  # 75
    assert total_score(sections, facts) == D("75.00")
    assert total_score(sections, facts, [bonus, minus]) == D("75.00")  # items without entries
    facts.adjusted = {1: D("4"), 2: D("1")}
    assert total_score(sections, facts, [bonus, minus]) == D("77.00")  # 75 + min(4, 3) − 1
    facts.adjusted = {1: D("2"), 2: D("9")}
    assert total_score(sections, facts, [bonus, minus]) == D("75.00")  # 75 + 2 − min(9, 2)
    # A side with nothing to assess stays 不适用, whatever was entered for it.
    assert total_score(sections, Facts(adjusted={1: D("2")}), [bonus, minus]) is None


def test_a_scheme_with_items_but_no_entries_scores_as_the_default(demo, export):
    wb, _path = export([demo["jy"]], data_only=True)
    before = [(r["方"], r["总分"]) for r in table(wb["汇总"])]
    year_scheme()
    wb, _path = export([demo["jy"]], data_only=True)
    after = table(wb["汇总"])
    assert [(r["方"], r["总分"]) for r in after] == before == [("支援方", 37.5), ("受援方", 37.5)]
    assert [(r["加分"], r["扣分"]) for r in after] == [(0, 0), (0, 0)]


def test_entries_move_the_total_the_ranking_and_the_grade(demo, users, export):
    jy, mn = demo["jy"], demo["mn"]

    def ranking():
        wb, _path = export([jy, mn], data_only=True)
        return [(r["结对"], r["名次"], r["总分"]) for r in table(wb["排名"]) if r["方"] == "受援方"]

    assert ranking() == [(jy.name, 1, 37.5), (mn.name, 2, 33.33)]

    year_scheme()
    admin = users["admin"]
    enter(jy, "coastal", "获省级及以上表彰", "2", "获省级山海协作先进集体表彰", admin)
    enter(jy, "coastal", "获省级及以上表彰", "2", "产业飞地项目获省级通报表扬", admin)
    enter(jy, "mountain", "被省级通报批评", "3", "资金使用项目清单迟报被省级通报", admin)
    enter(jy, "mountain", "被省级通报批评", "3", "年度任务逾期被省级通报", admin)

    # 尤溪: 37.5 − min(6, 5) = 32.5, now behind 闽宁's 33.33.
    assert ranking() == [(mn.name, 1, 33.33), (jy.name, 2, 32.5)]
    wb, _path = export([jy], data_only=True)
    summary = {r["方"]: r for r in table(wb["汇总"])}
    # Two bonuses of 2 entered, the item capped at 3: 37.5 + 3.
    coastal = summary["支援方"]
    assert (coastal["加分"], coastal["扣分"], coastal["总分"]) == (3, 0, 40.5)
    assert "获省级山海协作先进集体表彰 +2" in coastal["计分依据"] and "按上限计 3 分" in coastal["计分依据"]
    mountain = summary["受援方"]
    assert (mountain["加分"], mountain["扣分"], mountain["总分"]) == (0, -5, 32.5)
    # The total of 汇总 is a formula: the base score plus the 加分 and (negative) 扣分 cells.
    formulas, _path = export([jy])
    total = next(r for r in table(formulas["汇总"]) if r["方"] == "受援方")["总分"]
    assert re.fullmatch(r"=ROUND\(SUM\(D\d+:H\d+\)/\d+\*100,2\)\+K\d+\+L\d+", total), total


def test_the_grade_follows_the_adjusted_total(demo, users, export):
    from assessment.models import AssessmentGrade

    scheme = year_scheme()
    AssessmentGrade.objects.create(scheme=scheme, name="合格", threshold=D("40"))
    AssessmentGrade.objects.create(scheme=scheme, name="不合格", threshold=D("0"))
    jy = demo["jy"]

    def grade():
        wb, _path = export([jy, demo["mn"]], data_only=True)
        return next(r for r in table(wb["排名"]) if r["地区"] == "尤溪县")["等次"]

    assert grade() == "不合格"  # 37.5
    enter(jy, "mountain", "获省级及以上表彰", "3", "获省级山海协作先进集体表彰", users["admin"])
    assert grade() == "合格"  # 40.5


def test_the_official_table_and_the_scheme_sheet_print_the_items(demo, users, export):
    year_scheme()
    enter(demo["jy"], "mountain", "获省级及以上表彰", "2", "获省级山海协作先进集体表彰", users["admin"])
    wb, _path = export([demo["jy"]])
    rows = [list(r) for r in wb["考核情况表"].iter_rows(values_only=True)]
    mountain = rows[rows.index(next(r for r in rows if r[0] == "二、受援方：尤溪县")) :]
    bonus = next(r for r in mountain if r[1] == "加分项：获省级及以上表彰")
    assert bonus[0] == "6" and bonus[3] == "上限 3" and bonus[4] == "每次加 2 分，最多加 3 分"
    assert bonus[5] == 2 and bonus[7] == "获省级山海协作先进集体表彰 +2"
    minus = next(r for r in mountain if r[1] == "扣分项：被省级通报批评")
    assert minus[5] == 0 and minus[7] == "无"
    total = next(r for r in mountain if r[1] == "合计")
    # The sections' SUM brought to full marks, plus the bonus and the (negative) deduction rows.
    assert re.fullmatch(r"=ROUND\(SUM\(F\d+:F\d+\)/40\*100,2\)\+F\d+\+F\d+", total[5]), total[5]
    assert total[3].startswith("=SUM(D") and total[7].endswith("，加分 2，扣分 0")
    cached = load_workbook(_path, data_only=True)["考核情况表"]
    assert any(r[1] == "合计" and r[5] == 39.5 for r in cached.iter_rows(values_only=True))

    lines = table(wb["评分标准"])
    items = [(r["类别"], r["名称"], r["分值 / 分数线"]) for r in lines if r["类别"] in ("加分项", "扣分项")]
    assert items == [("加分项", "获省级及以上表彰", "上限 3 分"), ("扣分项", "被省级通报批评", "上限 5 分")]
    assert "再加各加分项、减各扣分项" in next(r for r in lines if r["类别"] == "总分")["评分标准"]


def test_an_entry_must_use_an_item_of_the_years_scheme(demo):
    from django.core.exceptions import ValidationError

    year_scheme()
    entry = AssessmentAdjustmentEntry(
        item=AssessmentAdjustment.objects.get(name="获省级及以上表彰"),
        pairing=demo["jy"],
        side="mountain",
        year=2024,  # 2024 is scored by the default scheme
        points=D("2"),
        reason="获省级表彰",
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "2024 年度适用的考核方案是“山海协作年度考核默认方案”" in str(error.value)


def test_the_printed_workbook_shows_the_items(demo, users, export, tmp_path):
    from tests.assessment.test_assessment_libreoffice import poppler, to_pdf

    year_scheme()
    enter(demo["jy"], "mountain", "获省级及以上表彰", "2", "获省级山海协作先进集体表彰", users["admin"])
    _wb, path = export([demo["jy"]])
    printed = re.sub(r"\s+", "", poppler("pdftotext", "-raw", str(to_pdf(path, tmp_path)), "-"))
    for text in (
        "加分项：获省级及以上表彰",
        "扣分项：被省级通报批评",
        "每次加2分，最多加3分",
        "获省级山海协作先进集体表彰+2",
        "上限3",
    ):
        assert text in printed, text


def test_the_assessing_office_enters_an_entry_in_the_admin_and_its_history_is_kept(demo, client_for):
    year_scheme()
    item = AssessmentAdjustment.objects.get(name="获省级及以上表彰")
    admin = client_for("admin")
    data = {
        "year": "2025",
        "pairing": str(demo["jy"].pk),
        "side": "mountain",
        "item": str(item.pk),
        "points": "2",
        "reason": "获省级山海协作先进集体表彰",
        "evidence": "闽协办〔2025〕12号",
    }
    url = "/admin/assessment/assessmentadjustmententry/add/"
    assert admin.post(url, data).status_code == 302
    entry = AssessmentAdjustmentEntry.objects.get()
    assert entry.entered_by.username == "admin" and entry.reason == "获省级山海协作先进集体表彰"
    change = f"/admin/assessment/assessmentadjustmententry/{entry.pk}/change/"
    assert admin.post(change, {**data, "points": "1"}).status_code == 302
    # Who changed what and when: the history keeps both versions with the user.
    history = list(
        entry.history.order_by("history_id").values_list("history_type", "points", "history_user__username")
    )
    assert history == [("+", D("2"), "admin"), ("~", D("1"), "admin")]
    # An entry for a year another scheme scores is refused with the reason, nothing saved.
    refused = admin.post(url, {**data, "year": "2024"})
    assert refused.status_code == 200 and "2024 年度适用的考核方案是" in refused.content.decode()
    assert AssessmentAdjustmentEntry.objects.count() == 1
    # Liaison staff do not reach the entries at all.
    assert client_for("yx_liaison").get(url).status_code in (302, 403)
