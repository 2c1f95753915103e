"""Every seed system whole in the demo (issue 20), loaded through the product's own path where a
plan's text is the source: what a liaison officer opening the demo would check against the
documents."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_000_is_imported_through_the_confirm_service_and_keeps_each_source_paragraph(demo, users):
    from tasks.models import Task

    tasks = Task.objects.filter(pairing=demo["jy"], document__doc_number="晋政文〔2024〕102号")
    assert tasks.count() == 31
    first = tasks.get(title="推动产业园区合作共建")
    assert "对两地的补充耕地、工业用地、林业用地" in first.body
    # written by the confirm service as the liaison who confirmed the preview
    assert first.history.earliest().history_user == users["jj_liaison"]
    assert not tasks.filter(title="总体要求").exists()  # dropped in the preview
    safeguard = tasks.get(number="（四）", title="推进任务落实")
    assert "晋江市每年4月底前安排山海协作专项资金1200万元" in safeguard.body
    fund = tasks.get(parent=safeguard, title__startswith="落实帮扶资金")
    assert (fund.deadline_kind, fund.deadline_month, fund.deadline_day) == ("yearly", 4, 30)
    target = fund.targets.get()
    assert (target.comparator, target.value, target.year) == (">=", Decimal("12000000"), None)
    assert [k.name for k in fund.required_evidence.all()] == ["拨付凭证"]


def test_004_minning_pairing_whole(demo):
    from cooperation.models import Activity
    from parks.models import Park
    from tasks.models import Task, TaskUnit

    mn = demo["mn"]
    assert (mn.coastal_liaison.name, mn.mountain_liaison.name) == (
        "福建省东西部扶贫协作工作办公室",
        "宁夏回族自治区农业农村厅",
    )
    doc = mn.documents.get()
    assert doc.doc_number == "闽扶协函〔2024〕8号"
    assert doc.title.startswith(
        "福建省东西部扶贫协作工作办公室关于征求《关于深入学习贯彻习近平总书记重要指示精神"
    )
    assert doc.issuers == "福建省东西部扶贫协作工作办公室"
    assert doc.issued == datetime.date(2024, 10, 14)
    assert "宁夏农业农村厅起草了" in doc.full_text
    tasks = Task.objects.filter(pairing=mn, document=doc)
    numbered = tasks.filter(number__regex=r"^\d+\.$")
    assert numbered.count() == 11
    assert tasks.filter(number__startswith="（").count() == 4
    first = numbered.get(number="1.")
    leads = {r.unit.name for r in first.task_units.filter(role=TaskUnit.Role.LEAD)}
    assert leads == {"福建省农业农村厅", "宁夏回族自治区农业农村厅"}
    co = {r.unit.name: r.unit.region.name for r in first.task_units.filter(role=TaskUnit.Role.COOPERATING)}
    assert co["福建省发展和改革委员会"] == "福建省" and co["宁夏回族自治区商务厅"] == "宁夏回族自治区"
    parks = numbered.get(number="6.")
    target = parks.targets.get()
    assert (target.value, target.unit) == (12, "个") and "现有12个闽宁产业园" in target.source_text
    feedback = tasks.get(title__contains="书面反馈")
    assert (feedback.deadline_kind, feedback.deadline_date) == ("once", datetime.date(2024, 10, 18))
    assert Park.objects.filter(pairing=mn, name="贺兰山东麓葡萄酒产业园区").exists()
    assert Activity.objects.filter(pairing=mn, title="闽宁协作第28次联席会议", kind="meeting").exists()


def test_003_all_eleven_parks_of_box_6_count_fully_for_both(demo):
    from parks.models import Park

    box6 = Park.objects.filter(document__title="闽西南协同发展区发展规划")
    assert box6.count() == 11
    haitou = box6.get(name="海投（长泰）科技创业园")
    assert (haitou.pairing.coastal_region.name, haitou.pairing.mountain_region.name) == ("厦门市", "长泰区")
    assert all(p.counts_fully_for_both for p in box6)
    assert not Park.objects.get(pairing=demo["jy"]).counts_fully_for_both  # 000 has no such rule


def test_001_body_obligations_and_the_tables_merged_unit_cells(demo):
    from tasks.models import Task

    wz = demo["wz"]
    visits = Task.objects.get(pairing=wz, title="内对双方主要领导带队开展高层互访")
    assert [(t.comparator, t.value, t.unit, t.year) for t in visits.targets.all()] == [
        (">=", Decimal("2"), "次", None)
    ]
    plan = Task.objects.get(pairing=wz, title__startswith="完成下一年度合作重点领域")
    assert (plan.deadline_kind, plan.deadline_month, plan.deadline_day) == ("yearly", 10, 31)
    assert "报省、市山海协作工程工作领导小组备案" in plan.body
    milestone = Task.objects.get(pairing=wz, title__startswith="基本完成产业园核心区")
    assert milestone.deadline_date == datetime.date(2019, 12, 31)
    invest = Task.objects.get(pairing=wz, title="五个生态旅游文化产业园2020年计划总投资").targets.get()
    assert (invest.value, invest.year) == (Decimal("23770000000"), 2020)
    # 附件2: 2.2 shares 2.1's unit cell; 2.4 and 2.5 share 2.3's
    item = Task.objects.get(pairing=wz, parent__number="2", number="2.")
    assert {r.unit.name for r in item.task_units.all()} == {
        r.unit.name for r in Task.objects.get(pairing=wz, parent__number="2", number="1.").task_units.all()
    }
    for number in ("4.", "5."):
        item = Task.objects.get(pairing=wz, parent__number="2", number=number)
        assert "温州市文化广电新闻出版局" in {r.unit.name for r in item.task_units.all()}
    assert (
        "组建五个生态旅游文化产业园管委会"
        in Task.objects.get(pairing=wz, parent__number="2", number="2.").body
    )
