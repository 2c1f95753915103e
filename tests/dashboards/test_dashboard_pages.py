"""The dashboard pages: who sees which pairings, the figures as a user reads them in the tables, a table
for every chart, the print stylesheet, the link from the pairing page, and a constant number of queries."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cooperation.models import Activity, Pairing, Unit
from dashboards.figures import minimum_figures
from funds.models import Disbursement, FundCommitment
from parks.models import Park, ParkInvestmentPlan
from reminders.models import UrgingNotice
from tasks.models import Area, Target, Task, TaskPeriod, TaskUnit

pytestmark = pytest.mark.django_db

CHARTS = ["status", "areas", "units", "funds", "parks", "minimums"]
TEMPLATES = Path(settings.BASE_DIR) / "templates" / "dashboards"


def text(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def table(html: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table #{table_id}"
    return match.group(0)


def row(html: str, table_id: str, attr: str, value: str) -> dict[str, str]:
    """The cells (by their data-key) of the row of table #table_id whose `attr` is `value`."""
    match = re.search(rf'<tr[^>]*{attr}="{re.escape(value)}"[^>]*>(.*?)</tr>', table(html, table_id), re.S)
    assert match, f"no row {attr}={value} in #{table_id}"
    return {
        key: text(cell)
        for key, cell in re.findall(r'<td[^>]*data-key="([^"]+)"[^>]*>(.*?)</td>', match.group(1), re.S)
    }


def rows(html: str, table_id: str, attr: str) -> list[str]:
    return re.findall(rf'<tr[^>]*{attr}="([^"]+)"', table(html, table_id))


def by_id(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no #{element_id}"
    return text(match.group(1))


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.0f}"


# --------------------------------------------------------------------------------------------
# Scope
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "yx_reporter", "yx_liaison"])
def test_youxi_users_see_jinjiang_youxi_only(client_for, demo, persona):
    response = client_for(persona).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html, "table-pairings", "data-pairing") == [str(demo["jy"].pk)]
    assert "温州" not in html


def test_wenzhous_liaison_sees_the_programme_and_its_five_pairings_not_jinjiang_youxi(client_for, demo):
    html = client_for("wz_liaison").get("/dashboard/").content.decode()
    shown = set(rows(html, "table-pairings", "data-pairing"))
    expected = {str(demo["wz"].pk)} | {str(p.pk) for p in Pairing.objects.filter(parent=demo["wz"])}
    assert shown == expected and len(shown) == 6
    assert "晋江市—尤溪县" not in html


def test_jinjiangs_liaison_also_sees_the_changting_park_pairing(client_for, demo):
    html = client_for("jj_liaison").get("/dashboard/").content.decode()
    names = {Pairing.objects.get(pk=pk).name for pk in rows(html, "table-pairings", "data-pairing")}
    assert names == {"晋江市—尤溪县山海协作", "晋江市—长汀县（晋江（长汀）工业园区）"}


def test_another_pairings_dashboard_is_a_404(client_for, demo):
    client = client_for("leader")
    assert client.get(f"/dashboard/pairings/{demo['wz'].pk}/").status_code == 404
    assert client.get(f"/dashboard/?pairing={demo['wz'].pk}").status_code == 404
    assert client_for("wz_liaison").get(f"/dashboard/pairings/{demo['jy'].pk}/").status_code == 404
    assert client.get(f"/dashboard/pairings/{demo['jy'].pk}/").status_code == 200


def test_anonymous_users_are_sent_to_the_login(client_for, demo):
    for url in ["/dashboard/", f"/dashboard/pairings/{demo['jy'].pk}/"]:
        response = client_for(None).get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_user_without_pairings_gets_a_clear_empty_page(client_for, demo):
    response = client_for("outsider").get("/dashboard/")
    assert response.status_code == 200
    assert "您还没有可以查看的结对" in response.content.decode()


# --------------------------------------------------------------------------------------------
# Figures as the tables show them
# --------------------------------------------------------------------------------------------


def test_the_year_defaults_to_this_year_and_can_be_chosen(client_for, demo):
    client = client_for("leader")
    this_year = timezone.localdate().year
    assert f"{this_year} 年度数据看板" in client.get("/dashboard/").content.decode()
    html = client.get("/dashboard/?year=2024").content.decode()
    assert "2024 年度数据看板" in html and 'value="2024" selected' in html


def test_a_wrong_year_is_a_clear_message_and_shows_the_default(client_for, demo):
    response = client_for("leader").get("/dashboard/?year=abc")
    assert response.status_code == 400
    html = response.content.decode()
    assert "年度：" in by_id(html, "dashboard-errors") and "有效" in by_id(html, "dashboard-errors")
    assert f"{timezone.localdate().year} 年度数据看板" in html


def test_the_status_table_shows_the_periods_of_the_year(client_for, demo):
    jy = demo["jy"]
    html = client_for("leader").get(f"/dashboard/?year=2025&pairing={jy.pk}").content.decode()
    today = timezone.localdate()
    periods = list(TaskPeriod.objects.filter(task__pairing=jy, year=2025))
    overdue = sum(1 for p in periods if p.is_overdue(today))
    not_started = sum(1 for p in periods if p.status == "not_started" and not p.is_overdue(today))
    assert row(html, "table-status", "data-status", "overdue") == {"count": str(overdue)}
    assert row(html, "table-status", "data-status", "not_started") == {"count": str(not_started)}
    assert row(html, "table-status", "data-status", "total") == {"count": str(len(periods))}
    assert by_id(html, "tile-overdue") == str(overdue)
    industry = row(html, "table-areas", "data-area", "产业协作")
    assert industry["total"] == str(sum(1 for p in periods if p.task.area and p.task.area.name == "产业协作"))


def test_the_leader_view_shows_jinjiang_youxis_twelve_million_and_what_was_paid(client_for, demo):
    jy = demo["jy"]
    html = client_for("leader").get(f"/dashboard/pairings/{jy.pk}/?year=2025").content.decode()
    paid = Disbursement.objects.filter(commitment__pairing=jy, commitment__year=2025).aggregate(
        s=Sum("amount")
    )["s"]
    assert by_id(html, "money-due") == "¥12,000,000"
    assert by_id(html, "money-paid") == yuan(paid)
    commitment = FundCommitment.objects.get(pairing=jy, year=2025)
    cells = row(html, "table-commitments", "data-commitment", str(commitment.pk))
    assert cells["promised"] == "¥12,000,000" and cells["paid"] == yuan(paid)
    assert commitment.state_label in table(html, "table-commitments")  # e.g. 足额拨付，逾期 20 天
    funds = row(html, "table-funds", "data-year", "2025")
    assert funds["promised"] == "¥12,000,000" and funds["paid"] == yuan(paid)


def test_the_leader_view_lights_and_lists_what_needs_attention(client_for, demo):
    jy = demo["jy"]
    today = timezone.localdate()
    html = client_for("leader").get(f"/dashboard/pairings/{jy.pk}/?year=2025").content.decode()
    overdue = [p for p in TaskPeriod.objects.filter(task__pairing=jy, year=2025) if p.is_overdue(today)]
    assert by_id(html, "light-overdue-count") == str(len(overdue))
    listed = re.findall(r'data-period="(\d+)"', table(html, "table-attention"))
    assert set(listed) == {str(p.pk) for p in overdue}
    assert "逾期" in table(html, "table-attention")


def test_wenzhou_park_plans_per_park_in_wan_yuan(client_for, demo):
    html = client_for("wz_liaison").get(f"/dashboard/pairings/{demo['wz'].pk}/?year=2019").content.decode()
    park = Park.objects.get(short_name__startswith="文成")
    planned = ParkInvestmentPlan.objects.filter(park=park, year=2019).aggregate(s=Sum("planned_completion"))[
        "s"
    ]
    cells = row(html, "table-park-lines", "data-park", park.name)
    assert cells["planned"] == f"{planned:,.0f}" and cells["actual"] == "未填报"
    assert "含下属结对" in html  # the programme's page covers its five pairings


# --------------------------------------------------------------------------------------------
# Charts, tables, print, no inline code
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/dashboard/?year=2025", "/dashboard/pairings/{jy}/?year=2025"])
def test_every_chart_has_its_numbers_as_a_table(client_for, demo, url):
    html = client_for("leader").get(url.format(jy=demo["jy"].pk)).content.decode()
    for chart in CHARTS:
        assert f'data-chart-table="{chart}"' in html
    drawn = re.findall(r'<canvas data-chart="(\w+)"[^>]*aria-describedby="table-(\w+)"', html)
    assert drawn and all(chart == described for chart, described in drawn)
    assert {"status", "areas", "units", "funds", "minimums"} <= {chart for chart, _ in drawn}
    assert 'id="dashboard-charts" type="application/json"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "dashboards/dashboard.js" in html


def test_the_pages_use_a_print_stylesheet_for_a4(client_for, demo):
    html = client_for("leader").get(f"/dashboard/pairings/{demo['jy'].pk}/").content.decode()
    assert "css/dashboard.css" in html
    css = Path(finders.find("css/dashboard.css")).read_text()
    assert "@media print" in css and "size: A4" in css
    printed = css[css.index("@media print") :]
    assert ".topbar" in printed and "display: none" in printed  # no navigation on paper
    assert "break-inside: avoid" in printed  # a chart and its table stay on one page


def test_the_dashboard_templates_have_no_inline_scripts_styles_or_handlers():
    for path in TEMPLATES.glob("dashboard*.html"):
        source = path.read_text()
        assert "<script>" not in source and not re.search(r"<script(?![^>]*\bsrc=)", source), path
        assert "style=" not in source and "<style" not in source, path
        assert not re.search(r"\son[a-z]+=", source), path


def test_the_pairing_page_links_the_leader_view(client_for, demo):
    jy = demo["jy"]
    html = client_for("leader").get(f"/pairings/{jy.pk}/").content.decode()
    assert f"/dashboard/pairings/{jy.pk}/?year={timezone.localdate().year}" in html
    assert 'id="indicators"' in html  # the indicator panel is still there


def test_the_navigation_links_the_dashboard(client_for, demo):
    html = client_for("leader").get("/pairings/").content.decode()
    assert 'href="/dashboard/"' in html and "报表与考核" in html


# --------------------------------------------------------------------------------------------
# A constant number of queries
# --------------------------------------------------------------------------------------------


def grow(demo, pairings: int = 12, tasks: int = 15) -> None:
    """Many more pairings, each with areas, tasks and periods (some overdue, escalated, done), units,
    targets, money and payments, parks with plans, and exchanges."""
    jy = demo["jy"]
    year = 2025
    units = list(Unit.objects.filter(region__in=[jy.coastal_region, jy.mountain_region])[:4])
    for i in range(pairings):
        pairing = Pairing.objects.create(
            name=f"尤溪县乡镇结对{i}",
            kind=Pairing.Kind.TOWNSHIP,
            coastal_region=jy.coastal_region,
            mountain_region=jy.mountain_region,
            start_year=2024,
            end_year=2026,
            parent=jy,
        )
        area = Area.objects.create(pairing=pairing, name=f"领域{i % 3}")
        created = Task.objects.bulk_create(
            Task(pairing=pairing, title=f"任务{i}-{n}", area=area, start_year=2024, end_year=2026, position=n)
            for n in range(tasks)
        )
        TaskUnit.objects.bulk_create(
            TaskUnit(task=task, unit=units[n % len(units)], role="lead" if n % 2 else "cooperating")
            for n, task in enumerate(created)
        )
        Target.objects.bulk_create(
            Target(
                task=task, name="两地领导互访", value=Decimal("1"), unit="次", activity_kinds="meeting,visit"
            )
            for task in created[:2]
        )
        periods = TaskPeriod.objects.bulk_create(
            TaskPeriod(
                task=task,
                year=year,
                due_date=datetime.date(year, 1 + n % 12, 15),
                status=["not_started", "in_progress", "done", "paused"][n % 4],
                completed_on=datetime.date(year, 1 + n % 12, 10) if n % 4 == 2 else None,
            )
            for n, task in enumerate(created)
        )
        UrgingNotice.objects.bulk_create(
            UrgingNotice(
                item_key=f"tasks.period:{period.pk}",
                due=period.due_date,
                unit=units[0],
                pairing=pairing,
                summary="催办",
                url="/",
                issued_on=period.due_date,
                sign_by=period.due_date,
                reply_by=period.due_date,
                escalated_on=period.due_date,
            )
            for period in periods[:3]
        )
        commitment = FundCommitment.objects.create(
            pairing=pairing,
            year=year,
            purpose="乡镇结对资金",
            payer_region=jy.coastal_region,
            receiver_region=jy.mountain_region,
            amount=Decimal("1000000"),
            due=datetime.date(year, 4, 30),
        )
        Disbursement.objects.create(
            commitment=commitment, date=datetime.date(year, 4, 1), amount=Decimal("400000")
        )
        park = Park.objects.create(name=f"乡镇园区{i}", pairing=pairing, region=jy.mountain_region)
        ParkInvestmentPlan.objects.bulk_create(
            ParkInvestmentPlan(
                park=park,
                year=year,
                kind=kind,
                project_count=2,
                planned_total=Decimal("1000"),
                planned_completion=Decimal("500"),
                actual_completion=Decimal("250") if kind == "government" else None,
            )
            for kind in ("government", "attracted")
        )
        Activity.objects.bulk_create(
            Activity(pairing=pairing, kind="visit", title=f"互访{n}", date=datetime.date(year, 5, 1 + n))
            for n in range(3)
        )


def test_the_pages_and_the_api_run_a_constant_number_of_queries(client_for, api_for, demo):
    jy = demo["jy"]
    client, api = client_for("admin"), api_for("admin")
    urls = [
        "/dashboard/?year=2025",
        f"/dashboard/?year=2025&pairing={jy.pk}",
        f"/dashboard/pairings/{jy.pk}/?year=2025",
    ]
    api_urls = ["/api/v1/dashboard/?year=2025", f"/api/v1/dashboard/?year=2025&pairing={jy.pk}"]

    def counts() -> dict[str, int]:
        result = {}
        for url in urls + api_urls:
            with CaptureQueriesContext(connection) as ctx:
                response = (api if url.startswith("/api/") else client).get(url)
                assert response.status_code == 200, url
            result[url] = len(ctx.captured_queries)
        return result

    small = counts()
    before = TaskPeriod.objects.count()
    grow(demo)
    assert TaskPeriod.objects.count() == before + 12 * 15
    large = counts()
    assert large == small
    # The sub-pairings' figures are in the leader view of Jinjiang–Youxi (it covers its sub-pairings).
    html = client.get(f"/dashboard/pairings/{jy.pk}/?year=2025").content.decode()
    assert "尤溪县乡镇结对11" in html and "乡镇园区11" in html
    # The grown pairings' yearly minimums (两地领导互访 ≥ 1, three visits each) are met, as the assessment judges.
    pairings = list(Pairing.objects.all())
    assessed = model_minimums(pairings, 2025)
    assert [
        (r.pairing_id, r.name, r.required, r.count, r.met) for r in minimum_figures(pairings, 2025)[0]
    ] == assessed
    assert sum(1 for row in assessed if row[1] == "两地领导互访" and row[4]) == 12 * 2


def model_minimums(pairings, year: int) -> list[tuple[int, str, int, int, bool]]:
    """The yearly minimums by the model's own rule (`Target.counts` over every activity), slowly."""
    from django.db.models import Q

    from cooperation.models import Activity
    from tasks.models import Target

    rows = []
    for target in (
        Target.objects.filter(task__pairing__in=pairings, task__periods__year=year)
        .exclude(activity_kinds="")
        .filter(Q(year__isnull=True) | Q(year=year))
        .distinct()
        .select_related("task")
        .order_by("task__pairing_id", "task__position", "task_id", "pk")
    ):
        activities = Activity.objects.filter(pairing_id=target.task.pairing_id, date__year=year)
        count = sum(1 for a in activities if target.counts(a.kind, a.field, a.title))
        rows.append((target.task.pairing_id, target.name, int(target.value), count, count >= target.value))
    return rows
