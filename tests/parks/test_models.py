"""Parks and projects as the documents state them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parks.models import Park, ParkInvestmentPlan, Project

from .conftest import seed_rows

pytestmark = pytest.mark.django_db


def test_the_five_wenzhou_parks_hold_the_figures_of_attachment_1_exactly(demo):
    rows = seed_rows()
    assert len(rows) == 5
    for row in rows:
        park = Park.objects.get(short_name=row[1].replace(" ", ""))
        assert park.kind == Park.Kind.ECO_TOURISM
        assert park.core_area_km2 == Decimal(row[2])
        figures = [int(v) for v in row[3:]]
        for group, (year, kind) in enumerate(
            (y, k) for y in (2018, 2019, 2020) for k in ("government", "attracted")
        ):
            plan = ParkInvestmentPlan.objects.get(park=park, year=year, kind=kind)
            count, total, completion = figures[group * 3 : group * 3 + 3]
            assert (plan.project_count, plan.planned_total, plan.planned_completion) == (
                count,
                total,
                completion,
            )
            assert plan.source == "温政发〔2018〕26号 附件1"


def test_plan_years_give_each_years_lines_and_totals(demo):
    park = Park.objects.get(short_name="平阳-乐清")
    years = park.plan_years()
    assert [y["year"] for y in years] == [2018, 2019, 2020]
    y2018 = years[0]
    assert y2018["planned"] == Decimal("82980") + Decimal("9310")
    assert y2018["lines"]["government"].planned_completion == Decimal("23144")


def test_the_enclave_and_the_jinjiang_youxi_park(demo):
    enclave = Park.objects.get(kind=Park.Kind.ENCLAVE)
    assert enclave.region.name == "七都街道" and enclave.pairing.name == "鹿城区—泰顺县"
    jy = Park.objects.get(pairing=demo["jy"])
    assert jy.committee.name == "尤溪经济开发区管委会" and jy.partner_committee.name == "晋江经济开发区管委会"
    # The "each side counts 100 %" rule is 003's, set on 专栏6's parks, not on 000's (issue 20).
    assert not jy.counts_fully_for_both
    assert Park.objects.get(name="晋江（长汀）工业园区").counts_fully_for_both


def test_completion_rate_needs_an_actual_figure(demo):
    plan = ParkInvestmentPlan.objects.get(park__short_name="永嘉-瓯海", year=2018, kind="government")
    assert plan.completion_rate is None
    plan.actual_completion = Decimal("12000")
    assert plan.completion_rate == Decimal("1.2")


def test_stage_dates_must_follow_the_stage_and_each_other(demo):
    project = Project.objects.get(name="晋江鞋服配套产业链延伸项目")
    project.full_clean()
    project.completed_on = datetime.date(2025, 12, 1)
    with pytest.raises(ValidationError) as info:
        project.full_clean()
    assert "尚未到达“竣工”阶段" in str(info.value)
    project.completed_on = None
    project.started_on = datetime.date(2025, 1, 1)  # before it was signed
    with pytest.raises(ValidationError, match="不能早于“签约”日期"):
        project.full_clean()


def test_investment_in_place_is_summed_over_the_years(demo):
    project = Project.objects.get(name="尤溪纺织产业数字化车间项目")
    assert project.invested_total == Decimal("95000000")
    assert [s for s in project.stage_dates if s[2]][-1][0] == "投产"
