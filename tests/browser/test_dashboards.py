"""In Chromium: Youxi's leader opens the dashboard, sees the charts drawn beside their tables, opens the
one-page view of Jinjiang–Youxi for 2025 and prints it (A4, no navigation)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWN = """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {
    const chart = Chart.getChart(c);
    return [c.dataset.chart, chart ? chart.data.datasets.reduce((n, s) => n + s.data.length, 0) : 0];
})"""


def watch(page) -> list[str]:
    """Script errors and content-security-policy refusals (no inline script or style may be needed)."""
    seen: list[str] = []
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
    page.on(
        "console",
        lambda msg: (
            seen.append(msg.text)
            if msg.type == "error" and ("Content Security Policy" in msg.text or "Refused to" in msg.text)
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Refused to ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
    )
    return seen


def test_leader_reads_the_dashboard_and_prints_the_pairing_page(page, live_server):
    from tasks.models import TaskPeriod

    problems = watch(page)
    call_command("load_demo", "--quiet")
    periods = TaskPeriod.objects.filter(task__pairing__name="晋江市—尤溪县山海协作", year=2025).count()
    login(page, live_server, "leader")
    page.click("nav.mainnav >> text=报表与考核")
    page.wait_for_load_state("networkidle")
    assert f"{timezone.localdate().year} 年度数据看板" in page.locator("h1").inner_text()

    page.select_option("#id_year", "2025")
    page.click("#dashboard-filter button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "2025 年度数据看板" in page.locator("h1").inner_text()
    drawn = dict(page.evaluate(DRAWN))
    # Every chart with figures was drawn by Chart.js, served by the app.
    assert {"status", "areas", "units", "funds", "minimums"} <= set(drawn)
    assert all(n > 0 for n in drawn.values())
    status = page.locator("#table-status")
    assert status.is_visible()
    assert status.locator('tr[data-status="total"] td').inner_text() == str(periods)
    assert (
        page.locator('#table-funds tr[data-year="2025"] td[data-key="promised"]').inner_text()
        == "¥12,000,000"
    )
    screenshot(page, "reports_dashboard_overview")

    page.click("#table-pairings >> text=晋江市—尤溪县山海协作")
    page.wait_for_load_state("networkidle")
    assert "晋江市—尤溪县山海协作 · 2025 年度工作一览" in page.locator("h1").inner_text()
    assert page.locator("#money-due").inner_text() == "¥12,000,000"
    lights = {
        light: int(page.locator(f"#light-{light}-count").inner_text())
        for light in ("ok", "late", "continuing", "soon", "overdue", "escalated", "paused")
    }
    # 督办 is counted within 逾期 (其中督办), as in the status table: every period has one light.
    assert sum(n for light, n in lights.items() if light != "escalated") == periods and lights["overdue"] > 0
    assert lights["escalated"] <= lights["overdue"]
    assert page.locator("#table-attention tbody tr").count() == lights["soon"] + lights["overdue"]
    assert all(n > 0 for _chart, n in page.evaluate(DRAWN))
    screenshot(page, "reports_dashboard_leader_view")

    # Printing: the details with the exchanges' items open for the printout and close after it.
    details = page.locator("#minimum-details")
    assert details.get_attribute("open") is None
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert details.get_attribute("open") is not None
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert details.get_attribute("open") is None
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden() and page.locator("#dashboard-filter").is_hidden()
    assert page.locator("#dashboard-print").is_hidden()
    # The one-pager is one A4 page: the lights, what needs attention and the money; the charts stay on screen.
    assert page.locator("#lights").is_visible() and page.locator("#money").is_visible()
    assert page.locator("#table-status").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    assert page.outside_requests == []
    assert problems == []


def test_another_pairings_page_is_not_found_in_the_browser(page, live_server):
    from cooperation.models import Pairing

    call_command("load_demo", "--quiet")
    wenzhou = Pairing.objects.get(name="温州市山海协作工程升级版")
    login(page, live_server, "leader")
    response = page.goto(f"{live_server.url}/dashboard/pairings/{wenzhou.pk}/")
    assert response.status == 404
