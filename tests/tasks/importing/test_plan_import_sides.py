"""Units of both sides, matched on the right side and region (issue 20): the 闽宁 implementation
opinions (seed 004, a letter whose 附件1 is the plan) into the demo's 闽宁 pairing, and short
names of units matched to their full names."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from planparser import parse_plan, to_json
from tasks.importing.plan import PlanImportRefused, UnitMatcher, canonical_unit_name, import_plan

SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"


@pytest.fixture
def plan_004():
    return to_json(parse_plan((SEEDS / "004_minning_letter.txt").read_text(encoding="utf-8")))


@pytest.fixture
def minning(demo):
    """The 闽宁 pairing without the demo's own tasks, so the document's tree goes in whole."""
    return fresh_minning(demo)


def fresh_minning(demo):
    """The 闽宁 pairing as before the demo imported seed 004: no tasks, no document's units."""
    from cooperation.demo import UNITS
    from cooperation.models import Unit
    from tasks.models import Task

    pairing = demo["mn"]
    Task.objects.filter(pairing=pairing).delete()
    pairing.documents.filter(doc_number="闽扶协函〔2024〕8号").delete()
    backbone = {name for name, *_rest in UNITS}
    sides = Unit.objects.filter(region__path__startswith=pairing.coastal_region.path) | Unit.objects.filter(
        region__path__startswith=pairing.mountain_region.path
    )
    sides.exclude(name__in=backbone).filter(task_units__isnull=True, users__isnull=True).delete()
    return pairing


def test_short_department_names_read_in_full():
    assert (
        canonical_unit_name("宁夏发改委") == canonical_unit_name("宁夏发展改革委") == "宁夏发展和改革委员会"
    )
    assert canonical_unit_name("市人社局") == canonical_unit_name("市人力社保局")
    assert canonical_unit_name("两省区卫生健康委") == "两省区卫生健康委员会"
    assert canonical_unit_name("福建省卫生健康委员会") == "福建省卫生健康委员会"


def test_two_sides_name_matches_one_existing_unit_of_each_province(minning):
    matcher = UnitMatcher(minning)
    [(fj_name, fj, fj_region), (nx_name, nx, nx_region)] = matcher.resolve("两省区发展改革委")
    assert (fj.name, nx.name) == ("福建省发展和改革委员会", "宁夏回族自治区发展和改革委员会")
    assert (fj_region.name, nx_region.name) == ("福建省", "宁夏回族自治区")
    # a name with a side's place matches only that side's unit
    assert matcher.match("宁夏农业农村厅").name == "宁夏回族自治区农业农村厅"
    assert matcher.match("福建发改委").name == "福建省发展和改革委员会"
    # one not registered: proposed new, in the side its place says, or in no region (the user picks)
    [(name, unit, region), _] = matcher.resolve("两省区商务厅")
    assert (name, unit, region.name) == ("福建省商务厅", None, "福建省")
    assert matcher.resolve("宁东管委会") == [("宁东管委会", None, None)]


def test_new_units_only_as_confirmed_in_the_region_shown(minning, plan_004):
    from cooperation.models import Unit

    before = Unit.objects.count()
    with pytest.raises(PlanImportRefused) as refused:
        import_plan(minning, plan_004, None)
    [message] = refused.value.errors
    assert "宁东管委会" in message and "福建省商务厅" in message and "宁夏回族自治区商务厅" in message
    assert "各市" not in message and "县〔区〕" not in message  # a role, never a unit
    assert Unit.objects.count() == before


def test_seed_004_into_the_minning_pairing_with_units_of_both_provinces(minning, plan_004):
    from cooperation.models import Region
    from tasks.importing.plan import preview_unit_rows
    from tasks.models import Task, TaskUnit

    matcher = UnitMatcher(minning)
    names = list(
        dict.fromkeys(
            u for n in parse_plan((SEEDS / "004_minning_letter.txt").read_text()).walk() for u in n.units
        )
    )
    rows = preview_unit_rows(matcher, names)
    ningxia = Region.objects.get(name="宁夏回族自治区")
    # the user confirms every new unit in the region the preview shows, and picks 宁夏 for the
    # two Ningxia committees the preview cannot place
    regions = {r["name"]: r["region_id"] or ningxia.pk for r in rows if r["match"] is None}
    result = import_plan(minning, plan_004, None, unit_regions=regions)

    tasks = list(Task.objects.filter(pairing=minning))
    assert len(tasks) == 3 + 4 + 11
    assert result.document.doc_number == "闽扶协函〔2024〕8号"
    first = next(t for t in tasks if t.number == "1." and t.title == "提升产业质效")
    rows = sorted(first.task_units.select_related("unit__region"), key=lambda r: (r.role != "lead", r.order))
    assert [(r.role, r.unit.name) for r in rows] == [
        (TaskUnit.Role.LEAD, "福建省农业农村厅"),
        (TaskUnit.Role.LEAD, "宁夏回族自治区农业农村厅"),
        (TaskUnit.Role.COOPERATING, "福建省发展和改革委员会"),
        (TaskUnit.Role.COOPERATING, "宁夏回族自治区发展和改革委员会"),
        (TaskUnit.Role.COOPERATING, "福建省商务厅"),
        (TaskUnit.Role.COOPERATING, "宁夏回族自治区商务厅"),
        (TaskUnit.Role.COOPERATING, "福建省农业科学院"),
        (TaskUnit.Role.COOPERATING, "宁夏回族自治区农业科学院"),
    ]
    created = {u.name: u.region.name for u in result.units_created}
    assert created["宁东管委会"] == "宁夏回族自治区"
    assert created["福建省工业和信息化厅"] == "福建省"
    assert created["宁夏回族自治区工业和信息化厅"] == "宁夏回族自治区"
    assert not any(name.startswith(("两省区", "各市")) or name == "县〔区〕" for name in created)
    # "厦门〔宁夏〕大学" is two units, each placed by its own name: 厦门 is a city of the Fujian side
    assert (created["厦门大学"], created["宁夏大学"]) == ("厦门市", "宁夏回族自治区")
    assert {n: r for n, r in created.items() if r not in ("福建省", "宁夏回族自治区", "厦门市")} == {}


def test_targets_keep_about_sign_and_year_through_the_import(minning):
    from tasks.models import Target

    text = (
        "一、目标\n（一）经济增长。地区生产总值增长6%左右。\n（二）节能降耗。单位地区生产总值能耗下降3%。\n"
        "（三）城镇化。到2025年，常住人口城镇化率达到80%。\n"
    )
    import_plan(minning, to_json(parse_plan(text)), None, new_document={"title": "某实施意见"})
    growth = Target.objects.get(task__pairing=minning, source_text__contains="增长6%左右")
    assert (growth.comparator, growth.value) == ("≈", 6)
    # one rule for "左右" everywhere (core.figures.about_met): half a point below still meets it
    assert growth.is_met(Decimal("5.6")) and not growth.is_met(Decimal("5.4"))
    energy = Target.objects.get(task__pairing=minning, source_text__contains="能耗")
    assert (energy.comparator, energy.value) == ("<=", Decimal("-3"))
    assert energy.is_met(Decimal("-3.2")) and not energy.is_met(Decimal("-1"))
    urban = Target.objects.get(task__pairing=minning, source_text__contains="城镇化率")
    assert (urban.comparator, urban.value, urban.year) == (">=", 80, 2025)
