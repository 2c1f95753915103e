"""Plans come in more shapes than the seeds show: each form of responsibility note, each rule of
targets, a plan inside a notice, and a conflict — on small documents the parser has never seen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planparser import parse_plan
from planparser.targets import find_targets
from planparser.units import split_units, unit_side, units_and_roles


def units_of(text: str) -> dict[str, list[str]]:
    return {n.title: n.units for n in parse_plan(text).walk()}


# --- item 2: units in the forms real plans use ------------------------------------------------


def test_note_after_the_title():
    tree = parse_plan("一、任务\n（一）修建道路（责任单位：县交通局、县财政局）。年内完成主干道。\n")
    [task] = tree.nodes[0].children
    assert task.units == ["县交通局", "县财政局"] and task.title == "修建道路"


def test_note_at_the_end_of_the_paragraph():
    assert units_of("一、任务\n1.培训教师。每年培训200人次。（责任单位：市教育局）\n")["培训教师"] == [
        "市教育局"
    ]


def test_note_on_a_line_of_its_own_after_the_heading():
    tree = parse_plan("一、任务\n1.建设园区\n（责任单位：市发改委）\n园区面积扩大。\n")
    assert tree.nodes[0].children[0].units == ["市发改委"]


def test_note_on_a_line_of_its_own_after_the_sub_items_belongs_to_their_parent():
    tree = parse_plan(
        "一、任务\n（一）产业合作\n1.引进企业。\n2.共建园区。\n（责任单位：市商务局、市发改委）\n（二）人才交流\n"
    )
    group = tree.nodes[0].children[0]
    assert group.units == ["市商务局", "市发改委"]
    assert [c.units for c in group.children] == [[], []]


def test_lead_and_co_operating_units_on_separate_lines():
    tree = parse_plan("一、任务\n1.修建水库。\n牵头单位：县水利局\n配合单位：县财政局、县自然资源局\n")
    task = tree.nodes[0].children[0]
    assert task.units == ["县水利局", "县财政局", "县自然资源局"] and task.leads == 1


def test_lead_and_co_operating_units_in_one_bracket():
    units, _roles, leads, _notes, _text = units_and_roles(
        "做好。（牵头单位：市发改委、市财政局；配合单位：市审计局）"
    )
    assert (units, leads) == (["市发改委", "市财政局", "市审计局"], 2)


def test_lead_suffix_form():
    units, roles, leads, _notes, text = units_and_roles(
        "加强督查。（市委办、市政府办牵头，各县（市、区）配合）"
    )
    assert (units, roles, leads, text) == (["市委办", "市政府办"], ["各县（市、区）"], 2, "加强督查。")


def test_square_brackets_and_commas():
    units, *_ = units_and_roles("开展交流〔责任单位：区教育局，区卫健局〕")
    assert units == ["区教育局", "区卫健局"]


def test_nested_brackets_stay_one_name_and_are_a_role():
    units, roles, *_ = units_and_roles("（责任单位：市住建局、各县（市、区）人民政府）")
    assert units == ["市住建局"] and roles == ["各县（市、区）人民政府"]


def test_two_sides_departments_are_one_unit_of_each_side():
    names = split_units("两市教育局、卫生健康委、人力资源和社会保障局，各县（区）")
    assert names == ["两市教育局", "两市卫生健康委", "两市人力资源和社会保障局", "各县（区）"]
    assert unit_side("两市卫生健康委") == ("both", "卫生健康委")
    assert unit_side("市卫健委") == (None, "市卫健委")


def test_a_role_of_the_supported_side_is_not_a_unit():
    units, roles, *_ = units_and_roles("（责任单位：两省区商务厅，各市、县〔区〕）")
    assert units == ["两省区商务厅"] and roles == ["各市、县〔区〕"]


def test_a_place_in_brackets_names_two_units():
    assert split_units("福州〔定西〕大学") == ["福州大学", "定西大学"]


# --- item 3: targets that mean what they say ---------------------------------------------------


def summary(text: str, **kw) -> list[tuple]:
    return [(t.comparator, t.value, t.unit, t.yearly, t.year) for t in find_targets(text, **kw)]


def test_results_of_a_past_year_are_facts():
    tree = parse_plan(
        "一、2023年工作回顾\n全年新增企业300家，税收增长8%。\n二、2024年工作安排\n新增企业350家。\n"
    )
    review, plan = tree.nodes
    assert review.targets == [] and [f.value for f in review.facts] == [300, 8]
    assert [(t.value, t.year) for t in plan.targets] == [(350, 2024)]


def test_a_target_carries_its_year():
    assert summary("到2022年，森林覆盖率达到60%；到2027年，森林覆盖率达到62%。") == [
        (">=", 60, "%", False, 2022),
        (">=", 62, "%", False, 2027),
    ]
    assert summary("新增企业20家", default_year=2026) == [("=", 20, "家", False, 2026)]
    assert summary("每年新增企业20家", default_year=2026) == [("=", 20, "家", True, None)]


def test_a_decrease_keeps_its_sign():
    assert summary("单位地区生产总值能耗下降3.5%") == [("<=", Decimal("-3.5"), "%", False, None)]
    assert summary("贫困发生率降低到1%以下") == [("<=", 1, "%", False, None)]


@pytest.mark.parametrize("text", ["城镇登记失业率控制在4%左右", "粮食产量约50万吨", "居民收入增长7%左右"])
def test_about_is_one_rule_everywhere(text):
    [target] = find_targets(text)
    assert target.comparator == "≈"


def test_respectively_makes_one_target_per_field():
    targets = find_targets("文化、体育、卫生领域每年分别举办不少于2次交流活动。")
    assert [(t.text.split("：")[0], t.comparator, t.value) for t in targets] == [
        ("文化", ">=", 2),
        ("体育", ">=", 2),
        ("卫生", ">=", 2),
    ]


def test_each_field_makes_one_target_per_field():
    targets = find_targets("在农业、旅游等领域开展合作，每个领域每年至少达成合作项目1个。")
    assert [t.text.split("：")[0] for t in targets] == ["农业", "旅游"]


@pytest.mark.parametrize(
    "text", ["每年至少组织2次互访", "培训人数不少于500人", "新增就业岗位1000个以上", "每年开展活动3次及以上"]
)
def test_at_least_words_are_minimums(text):
    [target] = find_targets(text)
    assert target.comparator == ">="


@pytest.mark.parametrize(
    "text",
    [
        "深入学习贯彻党的二十大精神",
        "推进“高效办成一件事”改革",
        "召开第28次联席会议",
        "落实中央八项规定精神",
        "完善三次分配制度",
        "争取“十四五”规划中的“双百工程”",
    ],
)
def test_no_targets_from_ordinals_or_names(text):
    assert find_targets(text) == []


def test_an_amount_that_only_says_which_projects_count_is_not_a_target():
    assert summary("引进超10亿元项目5个以上") == [(">=", 5, "个", False, None)]


# --- item 1: a plan in a notice's attachment ----------------------------------------------------


NOTICE = """某县人民政府办公室

某政办〔2025〕3号

某县人民政府办公室关于印发某县乡村振兴三年行动方案的通知

各乡镇人民政府，县直有关单位：

现将《某县乡村振兴三年行动方案》印发给你们，请认真贯彻执行，并于2025年3月31日前报送落实情况。

附件：某县乡村振兴三年行动方案

某县人民政府办公室
2025年2月10日

附件

某县乡村振兴三年行动方案

一、发展产业
1.建设茶叶基地。（责任单位：县农业农村局）
2.培育龙头企业。（责任单位：县工信局）
二、改善环境
1.整治村庄。（责任单位：县住建局）
"""


def test_a_plan_in_the_attachment_of_a_notice_is_the_plan():
    tree = parse_plan(NOTICE)
    assert tree.document.doc_number == "某政办〔2025〕3号"
    assert tree.document.issued == date(2025, 2, 10)
    assert tree.plan_attachment == "1"
    assert [n.title for n in tree.nodes] == ["发展产业", "改善环境"]
    assert tree.nodes[0].children[0].units == ["县农业农村局"]
    [request] = tree.notice_items
    assert request.deadlines[0].date == date(2025, 3, 31)


def test_a_plan_in_the_body_is_not_replaced_by_its_attachment():
    text = "一、任务\n1.甲。\n2.乙。\n3.丙。\n附件：表\n附件\n表\n一、A\n二、B\n三、C\n四、D\n"
    tree = parse_plan(text)
    assert tree.plan_attachment is None and [n.title for n in tree.nodes] == ["任务"]


# --- item 4: conflicts inside one document ------------------------------------------------------


def test_two_deadlines_for_one_deliverable_are_shown_with_both_sentences():
    text = (
        "一、任务\n1.编制全域旅游发展总体规划。2025年6月底前完成全域旅游发展总体规划编制。\n"
        "二、保障\n1.加快进度。2025年9月底前完成全域旅游发展总体规划编制并报批。\n"
    )
    [conflict] = parse_plan(text).conflicts
    assert conflict.kind == "deadline"
    assert (conflict.first_value, conflict.second_value) == ("2025年6月底前", "2025年9月底前")
    assert "6月底前完成全域旅游" in conflict.first and "9月底前完成全域旅游" in conflict.second


def test_two_figures_for_one_investment_are_shown():
    text = (
        "一、任务\n1.建设园区。三大产业园计划总投资50亿元。\n"
        "二、保障\n1.落实投资。三大产业园计划总投资80亿元。\n"
    )
    [conflict] = parse_plan(text).conflicts
    assert (conflict.kind, conflict.first_value, conflict.second_value) == ("figure", "50亿元", "80亿元")
