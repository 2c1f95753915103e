"""The confirm service of the plan-text import (tasks/importing/plan.py): a checked plan tree becomes tasks.

Seed 000 goes into a fresh Jinjiang–Youxi pairing, seed 001 into the demo's Wenzhou programme.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from planparser import parse_plan, to_json
from tasks.importing.plan import PlanImportRefused, import_plan

SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"


def seed(name: str) -> dict:
    return to_json(parse_plan((SEEDS / name).read_text(encoding="utf-8")))


@pytest.fixture
def plan_000():
    return seed("000_jinjiang_youxi_plan.txt")


@pytest.fixture
def plan_001():
    return seed("001_wenzhou_programme.txt")


@pytest.fixture
def fresh(demo):
    """A new pairing of 晋江市 and 尤溪县 with no documents or tasks (both liaison offices see it)."""
    from cooperation.models import Pairing, Region

    return Pairing.objects.create(
        name="晋江市—尤溪县（方案导入）",
        coastal_region=Region.objects.get(name="晋江市"),
        mountain_region=Region.objects.get(name="尤溪县"),
        start_year=2024,
        end_year=2030,
    )


def counts() -> tuple:
    from cooperation.models import PolicyDocument, Unit
    from tasks.models import Area, Target, Task, TaskPeriod, TaskUnit

    return tuple(m.objects.count() for m in (Task, TaskUnit, Target, TaskPeriod, Area, Unit, PolicyDocument))


def ordered_units(task):
    """The task's units as printed: the lead first, then the co-operating ones in order."""
    rows = task.task_units.select_related("unit")
    return sorted(rows, key=lambda r: (r.role != "lead", r.order))


def by_number(tasks, *path):
    """The task reached by printed numbers from the top: by_number(tasks, "三、", "（四）")."""
    node = None
    for number in path:
        node = next(t for t in tasks if t.number == number and t.parent_id == (node.pk if node else None))
    return node


def test_seed_000_into_a_fresh_pairing(fresh, users, plan_000):
    from tasks.models import Task

    result = import_plan(fresh, plan_000, users["yx_liaison"])

    doc = result.document
    assert doc.doc_number == "晋政文〔2024〕102号"
    assert doc.issued == datetime.date(2024, 6, 12)
    assert doc.issuers == "晋江市人民政府、尤溪县人民政府"
    assert list(doc.pairings.all()) == [fresh]

    tasks = list(Task.objects.filter(pairing=fresh).select_related("area"))
    assert len(tasks) == 30 and all(t.document_id == doc.pk for t in tasks)
    key_tasks = by_number(tasks, "二、")
    groups = [t for t in tasks if t.parent_id == key_tasks.pk]
    assert [g.number for g in groups] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert [sum(1 for t in tasks if t.parent_id == g.pk) for g in groups] == [6, 3, 2, 3, 3]
    safeguards = by_number(tasks, "三、")
    assert sum(1 for t in tasks if t.parent_id == safeguards.pk) == 5

    # Areas: the five groups of 二、 and 三、保障措施 itself; 一、总体要求 has none.
    assert [a.name for a in fresh.task_areas.order_by("order")] == [
        "产业协作共兴共融",
        "创新平台协同共建",
        "基础设施互联互通",
        "社会事业交流合作",
        "生态文明共建共享",
        "保障措施",
    ]
    first = by_number(tasks, "二、", "（一）", "1.")
    assert first.title == "推动产业园区合作共建" and first.area.name == "产业协作共兴共融"
    assert by_number(tasks, "三、", "（四）").area.name == "保障措施"
    assert by_number(tasks, "一、").area is None and key_tasks.area is None

    # The fund: ¥12,000,000 every year, due every 30 April, one period per year 2024–2030.
    fund = by_number(tasks, "三、", "（四）")
    assert (fund.deadline_kind, fund.deadline_month, fund.deadline_day) == ("yearly", 4, 30)
    assert fund.deadline_text == "每年4月底前"
    target = fund.targets.get(unit="元")
    assert (target.comparator, target.value, target.year) == ("=", Decimal("12000000"), None)
    assert "1200万元" in target.source_text
    periods = list(fund.periods.order_by("year"))
    assert [p.year for p in periods] == list(range(2024, 2031))
    assert periods[0].due_date == datetime.date(2024, 4, 30)

    # History names the officer on every row written.
    assert {t.history.earliest().history_user for t in tasks} == {users["yx_liaison"]}
    assert target.history.earliest().history_user == users["yx_liaison"]
    assert periods[0].history.earliest().history_user == users["yx_liaison"]
    assert doc.history.earliest().history_user == users["yx_liaison"]


def test_seed_001_into_the_wenzhou_programme_matches_units_from_the_notes(demo, users, plan_001):
    from cooperation.models import Region, Unit
    from tasks.models import Task, TaskUnit

    wz = demo["wz"]
    document = wz.documents.get(doc_number="温政发〔2018〕26号")
    before = set(Task.objects.filter(pairing=wz).values_list("pk", flat=True))
    # Units found nowhere are created only as the user confirmed them in the preview (issue 20):
    # without a region for them, nothing is written and the message names them.
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(wz, plan_001, users["wz_liaison"], document=document)
    assert refused.value.errors == [
        "这些单位在本结对的地区中找不到，须在预览中确认新建并选择所在地区：结对县〈市、区〉党委、结对县〈市、区〉政府。"
    ]
    wenzhou = Region.objects.get(name="温州市")
    result = import_plan(
        wz,
        plan_001,
        users["wz_liaison"],
        document=document,
        unit_regions={"结对县〈市、区〉党委": wenzhou.pk, "结对县〈市、区〉政府": wenzhou.pk},
    )

    tasks = [t for t in Task.objects.filter(pairing=wz) if t.pk not in before]
    assert len(tasks) == 18 == len(result.tasks)
    plans = by_number(tasks, "二、", "（二）", "2.")
    rows = ordered_units(plans)
    assert [(r.role, r.unit.name) for r in rows[:2]] == [
        (TaskUnit.Role.LEAD, "温州市招商局（经合办）"),
        (TaskUnit.Role.COOPERATING, "温州市发展和改革委员会"),
    ]
    names = {r.unit.name for r in rows}
    assert {"温州市国土资源局", "温州市规划局", "温州市旅游局"} <= names
    # "结对县〈市、区〉党委、政府" is no unit of the demo: created as new, under the region confirmed.
    created = {u.name: u for u in result.units_created}
    assert set(created) == {"结对县〈市、区〉党委", "结对县〈市、区〉政府"}
    assert {u.region.name for u in created.values()} == {"温州市"}
    assert {u.kind for u in created.values()} == {Unit.Kind.PARTY, Unit.Kind.GOVERNMENT}

    projects = by_number(tasks, "二、", "（一）")
    money = projects.targets.get(unit="元")
    assert (money.comparator, money.value, money.year) == (">=", Decimal("4000000000"), None)
    company = by_number(tasks, "二、", "（二）", "1.")
    assert (company.deadline_kind, company.deadline_date) == ("once", datetime.date(2018, 7, 31))
    assert [p.year for p in company.periods.all()] == [2018]
    capital = company.targets.get()
    assert capital.year == 2018 and capital.value == Decimal("200000000")


def test_edits_titles_units_deadlines_targets_and_dropped_subtrees(fresh, users, plan_000):
    from cooperation.models import Region
    from tasks.models import Task

    youxi = Region.objects.get(name="尤溪县")
    edits = {
        "0": {"drop": True},  # 一、总体要求
        "1.0": {"drop": True},  # 二、（一） and its six tasks
        "1.3.1": {
            "title": "推动教育医疗合作（修订）",
            "units": "尤溪县教育局、晋江市教育局，尤溪县卫生健康局",
        },
        "1.2.0": {"units": "尤溪县交通运输局、晋江市交通运输局、尤溪县新能源办", "deadline": "2026年6月底前"},
        "1.3.2": {"units": "福建省山海办"},
        "2.3": {"targets": [{"drop": True, "text": "x"}]},
    }
    result = import_plan(
        fresh,
        plan_000,
        users["jj_liaison"],
        edits=edits,
        unit_regions={"晋江市交通运输局": youxi.pk, "福建省山海办": youxi.pk, "尤溪县新能源办": youxi.pk},
    )
    tasks = list(Task.objects.filter(pairing=fresh))
    assert len(tasks) == 30 - 1 - 7
    assert not any(t.title == "总体要求" or t.title == "推动产业园区合作共建" for t in tasks)
    edu = by_number(tasks, "二、", "（四）", "2.")
    assert edu.title == "推动教育医疗合作（修订）"
    assert [(r.unit.name, r.role) for r in ordered_units(edu)] == [
        ("尤溪县教育局", "lead"),
        ("晋江市教育局", "cooperating"),
        ("尤溪县卫生健康局", "cooperating"),
    ]
    road = by_number(tasks, "二、", "（三）", "1.")
    assert (road.deadline_kind, road.deadline_date, road.deadline_text) == (
        "once",
        datetime.date(2026, 6, 30),
        "2026年6月底前",
    )
    assert [p.year for p in road.periods.all()] == [2026]
    # Known units are matched (the transport bureaus exist in the demo, so the region given for
    # 晋江市交通运输局 is not used); only the unknown ones are created, under the region confirmed.
    assert {u.name: u.region.name for u in result.units_created} == {
        "尤溪县新能源办": "尤溪县",
        "福建省山海办": "尤溪县",
    }
    assert by_number(tasks, "二、", "（四）", "3.").task_units.get().unit.name == "福建省山海办"
    assert not by_number(tasks, "三、", "（四）").targets.exists()


def test_a_new_unit_outside_the_pairings_regions_is_refused(fresh, users, plan_000):
    from cooperation.models import Region

    before = counts()
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(
            fresh,
            plan_000,
            users["yx_liaison"],
            edits={"1.3.2": {"units": "福建省山海办"}},
            unit_regions={"福建省山海办": Region.objects.get(name="泉州市").pk},
        )
    assert refused.value.errors == ["新单位“福建省山海办”：所选地区不在本结对的两侧地区内。"]
    assert counts() == before


def test_a_bad_node_writes_nothing(fresh, users, plan_000):
    before = counts()
    edits = {
        "1.0.2": {"title": ""},
        "1.3.1": {"deadline": "择机推进"},
        "2.3": {"targets": [{"name": "专项资金", "comparator": ">=", "value": "一千二百万", "unit": "元"}]},
    }
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(fresh, plan_000, users["yx_liaison"], edits=edits)
    errors = refused.value.errors
    assert any("二、（一）3." in e and "标题：不能为空" in e for e in errors)
    assert any("二、（四）2." in e and "无法识别“择机推进”" in e for e in errors)
    assert any("三、（四）" in e and "不是数字" in e for e in errors)
    assert counts() == before


def test_a_number_too_long_for_the_field_is_refused(fresh, users, plan_000):
    plan = copy.deepcopy(plan_000)
    plan["nodes"][2]["children"][4]["number"] = "（五）" * 10
    before = counts()
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(fresh, plan, users["yx_liaison"])
    assert any("三、（五）（五）" in e and "序号：最多 20 个字" in e for e in refused.value.errors)
    assert counts() == before


def test_a_failure_halfway_through_writing_rolls_everything_back(fresh, users, plan_000, monkeypatch):
    from django.core.exceptions import ValidationError

    from tasks import services

    real, calls = services.new_periods, []

    # The periods are built after the tasks, their units and targets are inserted.
    def failing(task):
        calls.append(task)
        if len(calls) == 12:
            raise ValidationError("第 12 个任务的年度无法生成")
        return real(task)

    monkeypatch.setattr(services, "new_periods", failing)
    before = counts()
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(fresh, plan_000, users["yx_liaison"])
    assert refused.value.errors == ["第 12 个任务的年度无法生成"]
    assert counts() == before


def test_confirming_the_same_tree_twice_is_refused(fresh, users, plan_000):
    first = import_plan(fresh, plan_000, users["yx_liaison"])
    before = counts()
    with pytest.raises(PlanImportRefused) as again:
        import_plan(fresh, plan_000, users["yx_liaison"])
    assert "本结对已有文号为 晋政文〔2024〕102号 的文件" in again.value.errors[0]
    with pytest.raises(PlanImportRefused) as same_doc:
        import_plan(fresh, plan_000, users["yx_liaison"], document=first.document)
    assert any("已从该文件导入过" in e and "二、重点任务" in e for e in same_doc.value.errors)
    assert counts() == before


def test_a_tree_that_breaks_the_schema_is_refused(fresh, users, plan_000):
    plan = copy.deepcopy(plan_000)
    plan["nodes"][0]["owner"] = "someone"
    before = counts()
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(fresh, plan, users["yx_liaison"])
    assert "预览数据无效" in refused.value.errors[0]
    assert counts() == before


def test_only_liaison_staff_of_the_pairing_confirm(fresh, users, plan_000):
    before = counts()
    for name in ("yx_reporter", "leader", "wz_liaison"):
        with pytest.raises(PermissionDenied):
            import_plan(fresh, plan_000, users[name])
    assert counts() == before


def test_confirm_runs_a_bounded_number_of_queries(fresh, users, plan_000, django_assert_max_num_queries):
    # About 30 per task (task, history, periods with their histories, the tree's lookups): a few
    # hundred for a 30-node plan, independent of the text's length.
    with django_assert_max_num_queries(30 * 40):
        import_plan(fresh, plan_000, users["yx_liaison"])


def test_a_title_with_a_hidden_character_is_refused(fresh, users, plan_000):
    """A zero-width space copied from a document would make a task that reads like another."""
    before = counts()
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(fresh, plan_000, users["yx_liaison"], edits={"1.0.2": {"title": "推动\u200b产业合作"}})
    assert any("二、（一）3." in e and "看不见的字符（U+200B" in e for e in refused.value.errors)
    assert counts() == before


def test_the_import_links_minimums_to_activities_and_the_money_to_its_fund_rule(fresh, users, plan_000):
    """Where a plan makes a task, the task is linked to the record that will prove it: the yearly
    minimums to activities, "安排山海协作专项资金1200万元" to the pairing's fund rule of that amount."""
    from decimal import Decimal

    from cooperation.models import Region
    from funds.models import FundRule
    from tasks.models import Task

    rule = FundRule.objects.create(
        pairing=fresh,
        purpose="山海协作专项资金",
        payer_region=Region.objects.get(name="晋江市"),
        receiver_region=Region.objects.get(name="尤溪县"),
        amount=Decimal("12000000"),
        due_month=4,
        due_day=30,
        due_text="每年4月底前",
        first_year=2024,
    )
    import_plan(fresh, plan_000, users["yx_liaison"])
    kept = {
        t.title: (t.fulfilment, t.fund_rule_id)
        for t in Task.objects.filter(pairing=fresh).exclude(fulfilment="")
    }
    money = [title for title, (kind, rule_id) in kept.items() if kind == "fund_paid" and rule_id == rule.pk]
    assert len(money) == 1
    minimums = Task.objects.filter(pairing=fresh, fulfilment="activities")
    assert {"推进文旅康养产业合作", "推动教育医疗合作", "加强组织领导"} <= {t.title for t in minimums}
    kinds = {t.activity_kinds for task in minimums for t in task.targets.all()}
    assert {"event", "meeting,visit", "exchange,training"} <= kinds
