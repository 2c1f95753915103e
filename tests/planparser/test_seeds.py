"""The two reference plans parsed end to end: what a liaison officer would check in the preview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from planparser import parse_plan

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def jinjiang():
    return parse_plan((SEEDS / "000_jinjiang_youxi_plan.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wenzhou():
    return parse_plan((SEEDS / "001_wenzhou_programme.txt").read_text(encoding="utf-8"))


def node(tree, *path: str):
    """The node reached by numbers, e.g. node(tree, "二、", "（一）", "1.")."""
    nodes, found = tree.nodes, None
    for number in path:
        found = next(n for n in nodes if n.number == number)
        nodes = found.children
    return found


# --- 000 晋江—尤溪 ------------------------------------------------------------------------------


def test_jinjiang_metadata(jinjiang):
    doc = jinjiang.document
    assert doc.doc_number == "晋政文〔2024〕102号"
    assert doc.title == "晋江市人民政府 尤溪县人民政府关于印发晋江市与尤溪县山海协作实施方案的通知"
    assert doc.plan_title == "晋江市与尤溪县山海协作实施方案"
    assert doc.issuers == ["晋江市人民政府", "尤溪县人民政府"]
    assert doc.issued == date(2024, 6, 12)
    assert doc.attachments == []


def test_jinjiang_tree_has_three_parts_five_areas_and_five_safeguards(jinjiang):
    assert [(n.number, n.title) for n in jinjiang.nodes] == [
        ("一、", "总体要求"),
        ("二、", "重点任务"),
        ("三、", "保障措施"),
    ]
    areas = node(jinjiang, "二、").children
    assert [a.title for a in areas] == [
        "产业协作共兴共融",
        "创新平台协同共建",
        "基础设施互联互通",
        "社会事业交流合作",
        "生态文明共建共享",
    ]
    assert [len(a.children) for a in areas] == [6, 3, 2, 3, 3]
    safeguards = node(jinjiang, "三、").children
    assert [s.title for s in safeguards] == [
        "加强组织领导",
        "共同争取政策",
        "提升惠企服务",
        "推进任务落实",
        "强化督查考评",
    ]
    assert all(s.children == [] for s in safeguards)
    assert jinjiang.level_counts() == [3, 10, 17]


def test_jinjiang_task_titles_and_bodies_survive_page_breaks(jinjiang):
    first = node(jinjiang, "二、", "（一）", "1.")
    assert first.title == "推动产业园区合作共建"
    assert "对两地的补充耕地、工业用地、林业用地" in first.body
    assert node(jinjiang, "二、", "（二）", "3.").body.endswith(
        "鼓励两地国资国企重点围绕国资国企改革、产业对接互补、创业创新合作等方面开展协作。"
    )
    assert "\n" not in node(jinjiang, "二、", "（四）", "3.").body


def test_jinjiang_preamble_signatures_and_cc_are_not_tasks(jinjiang):
    titles = [n.title for n in jinjiang.walk()]
    assert not any("人民政府" == t[-4:] or "抄送" in t for t in titles)
    assert "特制定本实施方案" in jinjiang.preamble
    assert "抄送" not in node(jinjiang, "三、", "（五）").body
    assert node(jinjiang, "三、", "（五）").body.endswith("给予重点支持。")


def test_jinjiang_funds_yearly_by_30_april_and_project_list_by_31_march(jinjiang):
    tasks = node(jinjiang, "三、", "（四）")
    assert [(d.kind, d.month, d.day, d.text) for d in tasks.deadlines] == [
        ("yearly", 4, 30, "每年4月底前"),
        ("yearly", 3, 31, "每年3月底前"),
    ]
    [money] = tasks.targets
    assert (money.comparator, money.value, money.unit, money.yearly) == ("=", Decimal(12000000), "元", True)
    assert "资金使用项目清单" in tasks.body


def test_jinjiang_yearly_minimums_and_horizon(jinjiang):
    leaders = node(jinjiang, "三、", "（一）").targets
    assert [(t.comparator, t.value, t.unit, t.yearly) for t in leaders] == [(">=", 1, "次", True)]
    # "每年共同举办一次文体旅活动" is a yearly minimum: a second event is no failure (issue 20)
    event = node(jinjiang, "二、", "（一）", "5.").targets
    assert [(t.comparator, t.value, t.unit, t.yearly) for t in event] == [(">=", 1, "次", True)]
    # "教育、医疗领域每年分别开展不少于一次的…交流活动": one minimum per field, not one for both
    exchange = node(jinjiang, "二、", "（四）", "2.").targets
    assert [(t.text.split("：")[0], t.comparator, t.value, t.unit, t.yearly) for t in exchange] == [
        ("教育", ">=", 1, "次", True),
        ("医疗", ">=", 1, "次", True),
    ]
    [horizon] = node(jinjiang, "一、").deadlines
    assert (horizon.text, horizon.date) == ("力争到2030年", date(2030, 12, 31))


# --- 001 温州 --------------------------------------------------------------------------------


def test_wenzhou_metadata_and_attachments(wenzhou):
    doc = wenzhou.document
    assert doc.doc_number == "温政发〔2018〕26号"
    assert doc.title == "温州市人民政府关于打造山海协作工程升级版的实施意见"
    assert doc.issuers == ["温州市人民政府"]
    assert doc.issued == date(2018, 12, 7)
    assert [(a.number, a.title) for a in doc.attachments] == [
        ("1", "2018—2020 年生态旅游文化产业园投资计划表"),
        ("2", "打造山海协作工程升级版行动计划责任分解表"),
    ]
    assert "永嘉 -瓯海\t3.5" in doc.attachments[0].text
    assert doc.attachments[1].text.startswith("序号\t任务\t事项\t责任单位")
    assert "抄送" not in doc.attachments[1].text


def test_wenzhou_tree_structure(wenzhou):
    assert [(n.number, n.title) for n in wenzhou.nodes] == [
        ("一、", "指导思想"),
        ("二、", "主要任务"),
        ("三、", "保障措施"),
    ]
    groups = node(wenzhou, "二、").children
    assert [(g.number, g.title, len(g.children)) for g in groups] == [
        ("（一）", "推进产业项目合作", 0),
        ("（二）", "建好山海协作发展新平台", 3),
        ("（三）", "促进群众增收和社会事业合作", 4),
    ]
    assert [c.title for c in node(wenzhou, "二、", "（三）").children] == [
        "促进低收入群众增收致富",
        "加强山海协作人力资源合作",
        "开展社会事业合作",
        "帮助建立营销网络",
    ]
    assert [s.title for s in node(wenzhou, "三、").children] == [
        "加强组织领导",
        "加强对接交流",
        "强化工作保障",
        "强化政策保障",
        "强化督查考核",
    ]
    assert wenzhou.level_counts() == [3, 8, 7]
    # the attachment tables (numbered rows "1. 围绕…") did not leak into the tree
    assert not any("围绕提升 5 县" in n.title for n in wenzhou.walk())


def test_wenzhou_units_of_every_responsibility_note(wenzhou):
    paired = ["结对县〈市、区〉党委", "结对县〈市、区〉政府"]
    expected = {
        ("二、", "（一）"): ["市招商局〈经合办〉", *paired],
        ("二、", "（二）", "1."): paired,
        ("二、", "（二）", "2."): [
            "市招商局〈经合办〉",
            "市发改委",
            "市国土资源局",
            "市规划局",
            "市旅游局",
            *paired,
        ],
        ("二、", "（二）", "3."): [
            "市招商局〈经合办〉",
            "市发改委",
            "市财政局",
            "市国土资源局",
            "市规划局",
            *paired,
        ],
        ("二、", "（三）", "1."): ["市农业局", "市发改委", "市旅游局", "市招商局〈经合办〉", *paired],
        ("二、", "（三）", "2."): ["市人力社保局", "市招商局〈经合办〉", *paired],
        ("二、", "（三）", "3."): ["市教育局", "市财政局", "市人力社保局", "市卫计委", *paired],
        ("二、", "（三）", "4."): ["市农业局", "市商务局", "市招商局〈经合办〉", *paired],
    }
    for path, units in expected.items():
        found = node(wenzhou, *path)
        assert found.units == units, path
        assert "责任单位" not in found.body, path
    noted = [n for n in wenzhou.walk() if n.units]
    assert len(noted) == len(expected)


def test_wenzhou_yearly_investment_target_and_deadlines(wenzhou):
    industry = node(wenzhou, "二、", "（一）")
    assert [(t.comparator, t.value, t.unit, t.yearly) for t in industry.targets] == [
        (">=", 1, "次", True),
        (">=", Decimal(4000000000), "元", True),
        ("=", 65, "%", True),
    ]
    assert [(d.kind, d.month, d.day) for d in industry.deadlines] == [("yearly", 12, 31)]
    [founded] = node(wenzhou, "二、", "（二）", "1.").deadlines
    assert (founded.kind, founded.date, founded.text) == ("once", date(2018, 7, 31), "2018 年 7 月底前")
    [capital] = node(wenzhou, "二、", "（二）", "1.").targets
    assert (capital.comparator, capital.value) == (">=", Decimal(200000000))
    [plan] = node(wenzhou, "二、", "（二）", "2.").deadlines
    assert (plan.text, plan.date) == ("2018 年四季度前", date(2018, 12, 31))


def test_wenzhou_other_yearly_targets(wenzhou):
    def summary(*path):
        return [(t.comparator, t.value, t.unit, t.yearly) for t in node(wenzhou, *path).targets]

    assert summary("二、", "（三）", "1.") == [("=", 20, "个", True), (">=", Decimal(10000000), "元", True)]
    assert summary("二、", "（三）", "2.") == [("=", 6000, "人次", True)]
    # "在科技、医疗、教育、文化等领域…每年每个领域至少达成合作项目（协议）1个以上": one per field
    assert summary("二、", "（三）", "3.") == [(">=", 1, "个", True)] * 4
    assert [t.text.split("：")[0] for t in node(wenzhou, "二、", "（三）", "3.").targets] == [
        "科技",
        "医疗",
        "教育",
        "文化",
    ]
    assert summary("二、", "（三）", "4.") == [(">=", 30, "个", False)]
    assert summary("三、", "（二）") == [(">=", 2, "次", True), (">=", 2, "次", True)]
    assert [(d.kind, d.month, d.day) for d in node(wenzhou, "三、", "（二）").deadlines] == [
        ("yearly", 10, 31)
    ]
    assert [(d.kind, d.month, d.day, d.text) for d in node(wenzhou, "三、", "（四）").deadlines] == [
        ("yearly", 5, 31, "当年5月底前")
    ]


def test_wenzhou_text_cut_by_page_breaks_is_whole(wenzhou):
    assert node(wenzhou, "一、").body.startswith(
        "以习近平新时代中国特色社会主义思想 and 党的十九大精神为指引，"
    )
    assert "不少于 1 次" in node(wenzhou, "二、", "（一）").body
    assert "销售窗口和平台30个以上；" in node(wenzhou, "二、", "（三）", "4.").body
    assert node(wenzhou, "三、", "（三）").body.startswith("各受援县要加强山海协作工作专班建设，")


# --- 003 闽西南 (another shape) ---------------------------------------------------------------


def test_minxinan_chapters_sections_and_boxes():
    tree = parse_plan((SEEDS / "003_minxinan_plan.txt").read_text(encoding="utf-8"))
    assert [n.number for n in tree.nodes] == [f"第{n}章" for n in "一二三四五六七八九十"]
    assert [n.title for n in tree.nodes][:2] == ["规划背景", "总体要求"]
    boxes = [n for n in tree.walk() if n.style == "box"]
    assert [b.number for b in boxes] == [f"专栏{i}" for i in range(1, 8)]
    park_box = next(b for b in boxes if b.number == "专栏6")
    assert park_box.title == "闽西南共建园区" and "晋江（长汀）工业园区" in park_box.body
    transfer = next(n for n in tree.walk() if n.title == "推动跨区域产业转移与承接")
    assert park_box in transfer.children and transfer.level == 1
    assert not any(n.title.startswith("图") for n in tree.walk())
    assert tree.preamble.startswith("前 言")
