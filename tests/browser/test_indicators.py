"""In Chromium: Youxi's liaison officer enters his county's figures and sees the gap drawn."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cooperation.models import Region

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_enters_youxi_figures_and_sees_the_ratio_chart(page, live_server):
    call_command("load_demo", "--quiet")
    youxi = Region.objects.get(name="尤溪县")
    login(page, live_server, "yx_liaison")
    page.goto(f"{live_server.url}/indicators/entry/?region={youxi.pk}&year=2024")
    assert "尤溪县 2024" in page.locator("h1").inner_text()
    page.fill('tr[data-indicator="地区生产总值"] input[name$="-actual_value"]', "420")
    page.fill('tr[data-indicator="地区生产总值增速"] input[name$="-actual_value"]', "6.1")
    page.fill('tr[data-indicator="城镇化率"] input[name$="-actual_value"]', "55")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert "已保存 尤溪县 2024 年的指标：3 项" in page.locator(".messages").inner_text()

    page.goto(live_server.url + "/pairings/")
    page.click("text=晋江市—尤溪县山海协作")
    page.wait_for_load_state("networkidle")
    panel = page.locator("#indicators")
    gdp = panel.locator('tbody[data-indicator="地区生产总值"] tr[data-year="2024"]')
    assert gdp.locator("td.ratio").inner_text() == "12.0%"  # 420 ÷ 3500
    assert "≥3,500 亿元" in gdp.inner_text() and "420 亿元" in gdp.inner_text()
    assert "6.1%" in gdp.inner_text() and "≥7%" in gdp.inner_text()
    # Chart.js came from the app and drew on the canvas.
    canvas = page.locator("#indicator-ratio-chart")
    canvas.scroll_into_view_if_needed()
    assert canvas.get_attribute("data-drawn") == "1"
    painted = page.evaluate(
        """() => {
            const c = document.getElementById('indicator-ratio-chart');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
            return n;
        }"""
    )
    assert painted > 500
    screenshot(page, "reports_indicators_pairing_panel")
    assert page.outside_requests == []


def test_jinjiang_and_minxinan_figures_show_with_their_sources(page, live_server):
    call_command("load_demo", "--quiet")
    login(page, live_server, "jj_liaison")
    page.click("nav.mainnav >> text=发展指标")
    page.wait_for_load_state("networkidle")
    gdp = page.locator('tr[data-region="晋江市"][data-indicator="地区生产总值"][data-year="2024"]')
    assert "≥3,500 亿元" in gdp.inner_text() and "站上3500亿元新台阶" in gdp.inner_text()
    target = page.locator(
        'tr[data-region="闽西南协同发展区"][data-indicator="地区生产总值"][data-year="2025"]'
    )
    assert "≈36,400 亿元" in target.inner_text() and "闽西南协同发展区发展规划" in target.inner_text()
    screenshot(page, "reports_indicator_list")
    assert page.outside_requests == []
