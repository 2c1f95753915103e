"""Each rule of the plan parser on short texts of its own (seeds are tested end to end elsewhere)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planparser import parse_plan
from planparser.deadlines import find_deadlines
from planparser.headings import detect_heading
from planparser.metadata import match_doc_number_line, parse_date_line, tidy_title
from planparser.targets import find_targets
from planparser.text import cn_to_int
from planparser.units import extract_units, split_units


def outline(tree) -> list[tuple[int, str, str]]:
    return [(n.level, n.number, n.title) for n in tree.walk()]


# --- headings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "style", "number", "rest"),
    [
        ("一、总体要求", "cn", "一、", "总体要求"),
        ("十二、其他", "cn", "十二、", "其他"),
        ("（一）产业协作", "paren_cn", "（一）", "产业协作"),
        ("(三) 促进群众增收。", "paren_cn", "（三）", "促进群众增收。"),
        ("1. 推动园区共建。", "arabic", "1.", "推动园区共建。"),
        ("3.高标准建设", "arabic", "3.", "高标准建设"),
        ("2．规范编制", "arabic", "2.", "规范编制"),
        ("4、推进合作", "arabic", "4.", "推进合作"),
        ("（2）开展培训", "paren_arabic", "（2）", "开展培训"),
        ("(10)开展培训", "paren_arabic", "（10）", "开展培训"),
        ("①建立台账", "circled", "①", "建立台账"),
        ("第一章  规划背景", "chapter", "第一章", "规划背景"),
        ("第十节 营造环境", "section", "第十节", "营造环境"),
        ("专栏6  闽西南共建园区", "box", "专栏6", "闽西南共建园区"),
        ("１．全角数字", "arabic", "1.", "全角数字"),
        ("1.2018—2020年投资计划表", "arabic", "1.", "2018—2020年投资计划表"),
    ],
)
def test_heading_markers_in_every_spelling(line, style, number, rest):
    from planparser.text import normalise

    heading = detect_heading(normalise(line))
    assert heading is not None
    assert (heading.style, heading.number, heading.rest) == (style, number, rest)


@pytest.mark.parametrize(
    "line",
    ["2.6万亿元的产值", "2018年全市完成", "一是品牌共建。", "（此件主动公开）", "第三方机构参与", "3.5亿元"],
)
def test_text_that_only_looks_numbered_is_not_a_heading(line):
    assert detect_heading(line) is None


def test_levels_follow_first_appearance_not_a_fixed_order():
    # This plan puts 1. directly under 一、 and uses （一） one level lower.
    tree = parse_plan(
        "一、目标\n1. 产业。做产业。\n（一）园区。建园区。\n（二）招商。\n2. 人才。\n二、保障\n1. 组织。"
    )
    assert outline(tree) == [
        (0, "一、", "目标"),
        (1, "1.", "产业"),
        (2, "（一）", "园区"),
        (2, "（二）", "招商"),
        (1, "2.", "人才"),
        (0, "二、", "保障"),
        (1, "1.", "组织"),
    ]


def test_a_skipped_level_nests_under_the_nearest_heading():
    tree = parse_plan("一、任务\n（一）甲。\n1. 甲一。\n二、保障\n（一）乙。\n（二）丙。")
    assert [len(n.children) for n in tree.nodes] == [1, 2]
    assert tree.nodes[1].children[1].title == "丙"


def test_lead_sentence_is_the_title_and_the_rest_the_body():
    tree = parse_plan("一、任务\n1. 推动园区共建。积极推动两地共建。支持开展联合招商。\n补充说明一段。")
    node = tree.nodes[0].children[0]
    assert node.title == "推动园区共建"
    assert node.body == "积极推动两地共建。支持开展联合招商。\n补充说明一段。"


def test_a_title_only_heading_takes_the_next_paragraph_as_body():
    tree = parse_plan("一、总体要求\n\n以习近平新时代中国特色社会主义思想为指导，推动协作。\n二、重点任务")
    assert tree.nodes[0].title == "总体要求"
    assert tree.nodes[0].body.startswith("以习近平")
    assert tree.nodes[1].body == ""


def test_paragraph_cut_by_a_page_break_is_joined_back():
    text = (
        "一、任务\n1. 推动园区共建。对两地的补充耕\n\n— 3 —\n\n地、工业用地等要素指标，优先安排。\n"
        "2. 加强保障。各受援县要加强工作专班建\n\n设，保证必要的人员力量。"
    )
    tree = parse_plan(text)
    first, second = tree.nodes[0].children
    assert first.body == "对两地的补充耕地、工业用地等要素指标，优先安排。"
    assert second.body == "各受援县要加强工作专班建设，保证必要的人员力量。"


def test_running_heads_and_page_numbers_are_dropped():
    head = "晋江市人民政府文件"
    text = (
        f"{head}\n一、任务\n1. 甲。甲的正文没有写\n- 2 -\n{head}\n完。\n2. 乙。\n第 3 页\n{head}\n乙的正文。"
    )
    tree = parse_plan(text)
    first, second = tree.nodes[0].children
    assert first.body == "甲的正文没有写完。"
    assert second.body == "乙的正文。"


def test_short_labels_are_not_glued_to_the_next_line():
    tree = parse_plan(
        "第一章 格局\n专栏1  重点湾区\n厦门湾区\n涉及厦门、漳州。\n\n\n厦门湾区。发挥引领作用。"
    )
    chapter = tree.nodes[0]
    box = chapter.children[0]
    assert box.number == "专栏1" and box.body == "厦门湾区\n涉及厦门、漳州。"
    assert chapter.body == "厦门湾区。发挥引领作用。"  # two blank lines closed the box


def test_preamble_signatures_and_cc_are_not_tasks():
    text = (
        "某县人民政府文件\n某政发〔2024〕1号\n某县人民政府关于印发协作方案的通知\n各乡镇：\n现将方案印发给你们。\n"
        "某县人民政府\n2024年3月1日\n（此件主动公开）\n协作方案\n一、任务\n（一）做事。做很多事。\n"
        "抄送：市发改委。\n某县人民政府办公室\n2024年3月2日印发"
    )
    tree = parse_plan(text)
    assert outline(tree) == [(0, "一、", "任务"), (1, "（一）", "做事")]
    assert tree.nodes[0].children[0].body == "做很多事。"
    assert "现将方案印发给你们" in tree.preamble and "抄送" not in tree.preamble


def test_tables_in_the_body_stay_rows_and_are_not_parsed_as_headings():
    tree = parse_plan("一、任务\n1. 建立台账。\n序号\t项目\t单位\n1.\t园区\t市发改委\n2. 其他。")
    first, second = tree.nodes[0].children
    assert first.body == "序号\t项目\t单位\n1.\t园区\t市发改委"
    assert second.title == "其他"


# --- units ----------------------------------------------------------------------------------


def test_units_of_a_note_with_shared_qualifier_and_inner_brackets():
    units, notes, rest = extract_units(
        "推动签约落地。（责任单位：市招商局〈经合办〉，结对县〈市、区〉党委、政府）"
    )
    assert units == ["市招商局〈经合办〉", "结对县〈市、区〉党委", "结对县〈市、区〉政府"]
    assert rest == "推动签约落地。"
    assert notes[0].role == "责任单位"


def test_half_width_note_with_ascii_commas():
    units, _, _ = extract_units(
        "建成使用。(责任单位:市招商局〈经合办〉、市发改委,结对县〈市、区〉党委、政府)"
    )
    assert units == ["市招商局〈经合办〉", "市发改委", "结对县〈市、区〉党委", "结对县〈市、区〉政府"]


def test_full_width_parentheses_inside_a_unit_do_not_end_the_note():
    units, _, rest = extract_units(
        "做好。（责任单位：市农办（农业局）、市招商局（经合办）、结对县（市、区）党委和政府）后文。"
    )
    assert units == ["市农办（农业局）", "市招商局（经合办）", "结对县（市、区）党委", "结对县（市、区）政府"]
    assert rest == "做好。后文。"


def test_lead_and_cooperating_units_lead_first():
    units, notes, _ = extract_units("做好。（配合单位：市财政局、教育局；牵头单位：市发改委）")
    assert units == ["市发改委", "市财政局", "市教育局"]
    assert [n.role for n in notes] == ["配合单位", "牵头单位"]


def test_a_note_on_its_own_line_without_brackets():
    units, _, rest = extract_units("加强培训。\n牵头单位：市人力社保局、市教育局等\n下一段。")
    assert units == ["市人力社保局", "市教育局"]
    assert rest == "加强培训。\n下一段。"


def test_a_note_split_over_a_page_break_is_read_whole():
    tree = parse_plan(
        "一、任务\n1. 建设平台。做好建设。（责任单位：市发改委、市\n\n— 4 —\n\n财政局，某县政府）\n2. 下一项。"
    )
    assert tree.nodes[0].children[0].units == ["市发改委", "市财政局", "某县政府"]
    assert tree.nodes[0].children[0].body == "做好建设。"


def test_and_inside_a_real_name_is_not_split():
    assert split_units("市人力资源和社会保障局、市住房和城乡建设局") == [
        "市人力资源和社会保障局",
        "市住房和城乡建设局",
    ]
    assert split_units("泉州市晋江市教育局、文体旅游局") == ["泉州市晋江市教育局", "泉州市晋江市文体旅游局"]


# --- deadlines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("每年4月底前安排资金", 4, 30),
        ("每年3月底前制定清单", 3, 31),
        ("每年10月底前完成研究", 10, 31),
        ("年度帮扶资金在当年5月底前到位", 5, 31),
        ("每年年底前共同研究部署", 12, 31),
        ("每年2月底前报送", 2, 28),
        ("每年6月15日前报送", 6, 15),
        ("每年一季度前完成", 3, 31),
    ],
)
def test_yearly_deadlines(text, month, day):
    [deadline] = find_deadlines(text)
    assert (deadline.kind, deadline.month, deadline.day, deadline.date) == ("yearly", month, day, None)
    assert deadline.text in text


@pytest.mark.parametrize(
    ("text", "source", "when"),
    [
        ("2018 年 7 月底前，按照要求", "2018 年 7 月底前", date(2018, 7, 31)),
        ("2020年前建成并投入使用", "2020年前", date(2020, 12, 31)),
        ("到2020年帮助建立窗口", "到2020年", date(2020, 12, 31)),
        ("力争2030年两地深度互融", "力争2030年", date(2030, 12, 31)),
        ("力争到2030年，两地", "力争到2030年", date(2030, 12, 31)),
        ("于 2018 年四季度前完成评审", "2018 年四季度前", date(2018, 12, 31)),
        ("2018年三季度前编制完成", "2018年三季度前", date(2018, 9, 30)),
        ("2025年上半年完成", "2025年上半年", date(2025, 6, 30)),
        ("2024年底前完成", "2024年底前", date(2024, 12, 31)),
    ],
)
def test_one_off_deadlines_keep_their_source_text(text, source, when):
    [deadline] = find_deadlines(text)
    assert (deadline.kind, deadline.text, deadline.date) == ("once", source, when)


@pytest.mark.parametrize(
    "text",
    [
        "2018年全市将安排",
        "规划期限为2018-2025年",
        "在2018年的基础上",
        "2024年12月30日在会议上",
        "年度建设计划",
    ],
)
def test_years_in_passing_are_not_deadlines(text):
    assert find_deadlines(text) == []


def test_a_month_without_year_takes_the_issue_year_or_the_next():
    assert find_deadlines("6月底前完成", issued=date(2024, 3, 1))[0].date == date(2024, 6, 30)
    assert find_deadlines("3月底前完成", issued=date(2024, 6, 12))[0].date == date(2025, 3, 31)
    undated = find_deadlines("6月底前完成")[0]
    assert (undated.date, undated.month, undated.day) == (None, 6, 30)


# --- targets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit", "yearly"),
    [
        ("晋江市每年4月底前安排专项资金1200万元", "=", Decimal(12000000), "元", True),
        ("全市每年实现到位资金不少于 40 亿元（含 3 年内续建项目）", ">=", Decimal(4000000000), "元", True),
        ("计划总投资2.6万亿元", "=", Decimal(2600000000000), "元", False),
        ("全市每年实现培训就业6000人次", "=", Decimal(6000), "人次", True),
        ("全年培训2.6万人次", "=", Decimal(26000), "人次", False),
        ("其中八大产业到位资金占 65%", "=", Decimal(65), "%", False),
        ("领导每年至少 1 次共同研究", ">=", Decimal(1), "次", True),
        ("每年共同举办一次文体旅活动", ">=", Decimal(1), "次", True),
        ("每年召开联席会议两次", ">=", Decimal(2), "次", True),
        ("每年分别开展不少于一次的交流活动", ">=", Decimal(1), "次", True),
        ("每年召开联席会议2次以上", ">=", Decimal(2), "次", True),
        ("首期到位注册资金不少 2 亿元", ">=", Decimal(200000000), "元", False),
        ("建立销售窗口和平台30个以上", ">=", Decimal(30), "个", False),
        ("负债率控制在5%以内", "<=", Decimal(5), "%", False),
        ("单个项目补助不超过50万元", "<=", Decimal(500000), "元", False),
        ("每年新增就业岗位十个", "=", Decimal(10), "个", True),
        ("年均增长3.5%", "=", Decimal("3.5"), "%", True),
    ],
)
def test_targets(text, comparator, value, unit, yearly):
    [target] = find_targets(text)
    assert (target.comparator, target.value, target.unit, target.yearly) == (comparator, value, unit, yearly)


@pytest.mark.parametrize(
    "text",
    [
        "五个经济发达的区（市）要加大支持",
        "2020 年 5 个生态旅游文化产业园",
        "按照《浙江省山海协作产业园管理办法》（浙山海办〔2018〕23 号）的要求",
        "共同建设一批“造血式”产业类项目",
        "努力形成一个更加完善的产业链条",
        "3个月内完成",
        "第3次会议",
    ],
)
def test_counts_in_passing_are_not_targets(text):
    assert find_targets(text) == []


def test_yearly_reaches_back_through_the_sentence_not_past_it():
    targets = find_targets("全市每年实现到位资金不少于40亿元，其中八大产业占65%。到2020年建成窗口30个以上。")
    assert [(t.value, t.yearly) for t in targets] == [
        (Decimal(4000000000), True),
        (Decimal(65), True),
        (Decimal(30), False),
    ]
    assert targets[0].text == "全市每年实现到位资金不少于40亿元"


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("二十三", 23), ("两", 2), ("一百零五", 105), ("二〇一八", 2018), ("12", 12), ("甲", None)],
)
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


# --- metadata -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("晋政文〔2024〕102号", "晋政文〔2024〕102号"),
        ("温政发[2018]26号", "温政发〔2018〕26号"),
        ("温政发（2018）26号", "温政发〔2018〕26号"),
        ("闽政办〔2019〕 8 号    签发人：张三", "闽政办〔2019〕8号"),
        ("按照浙委发〔2018〕3号要求", None),
    ],
)
def test_doc_numbers(line, number):
    assert match_doc_number_line(line) == number


def test_title_issuers_and_issue_date_from_the_document_head():
    text = "某市人民政府 某县人民政府关于印发 协作方案的通知\n各单位：\n现印发。\n某市人民政府\n某县人民政府\n二〇一八年十二月七日\n一、任务"
    tree = parse_plan(text)
    doc = tree.document
    assert doc.title == "某市人民政府 某县人民政府关于印发协作方案的通知"
    assert doc.issuers == ["某市人民政府", "某县人民政府"]
    assert doc.issued == date(2018, 12, 7)
    assert doc.plan_title == "协作方案"
    assert doc.doc_number is None


def test_issuers_fall_back_to_signatures_then_header():
    signed = parse_plan("协作实施方案\n一、任务\n（一）做事。\n某县发展和改革局\n2024年1月5日")
    assert signed.document.issuers == ["某县发展和改革局"] and signed.document.issued == date(2024, 1, 5)
    headed = parse_plan("某市人民政府文件\n某政〔2020〕5号\n一、任务")
    assert headed.document.issuers == ["某市人民政府"] and headed.document.doc_number == "某政〔2020〕5号"


def test_wrapped_title_is_joined():
    tree = parse_plan("某政发〔2020〕5号\n某市人民政府关于深入推进山海协作\n工程的实施意见\n各县：\n一、任务")
    assert tree.document.title == "某市人民政府关于深入推进山海协作工程的实施意见"


def test_printing_date_is_used_only_without_a_signature_date():
    assert parse_date_line("晋江市人民政府办公室  2024年6月12日印发") == (date(2024, 6, 12), True)
    tree = parse_plan("一、任务\n抄送：某局。\n某办公室\n2024年6月12日印发")
    assert tree.document.issued == date(2024, 6, 12)


def test_title_without_about_keeps_its_text():
    assert tidy_title("晋江市与尤溪县山海协作实施方案") == ("晋江市与尤溪县山海协作实施方案", [])


def test_attachments_are_kept_out_of_the_tree():
    text = (
        "一、任务\n（一）做事。做很多事。\n附件：1.投资计划表\n2.责任分解表\n某市人民政府\n2018年12月7日\n"
        "附件 1\n投资计划表\n序号\t名称\t投资\n1\t园区\t100\n附件 2\n责任分解表\n序号\t任务\n1. 推进合作\t市发改委\n"
        "抄送：省发改委。"
    )
    tree = parse_plan(text)
    assert outline(tree) == [(0, "一、", "任务"), (1, "（一）", "做事")]
    assert tree.nodes[0].children[0].body == "做很多事。"
    assert [(a.number, a.title) for a in tree.document.attachments] == [
        ("1", "投资计划表"),
        ("2", "责任分解表"),
    ]
    assert tree.document.attachments[0].text == "序号\t名称\t投资\n1\t园区\t100"
    assert "抄送" not in tree.document.attachments[1].text


def test_empty_and_unstructured_text_give_an_empty_tree():
    assert parse_plan("").nodes == []
    tree = parse_plan("只有一段话，没有任何编号。")
    assert tree.nodes == [] and tree.preamble == "只有一段话，没有任何编号。"


@pytest.mark.parametrize("module", ["text", "units", "deadlines", "targets", "headings", "metadata"])
def test_docstring_examples_are_true(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"planparser.{module}"))
    assert result.attempted > 0 and result.failed == 0
