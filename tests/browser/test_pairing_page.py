from __future__ import annotations

import pytest
from django.core.management import call_command

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_logs_in_and_opens_the_jinjiang_youxi_page(page, live_server):
    call_command("load_demo", "--quiet")
    login(page, live_server, "jj_liaison")
    assert "工作台" in page.title()  # each role lands on its own workbench
    page.click(".mainnav >> text=结对关系")
    page.wait_for_load_state("networkidle")
    assert "结对关系" in page.title()
    page.click("text=晋江市—尤溪县山海协作")
    page.wait_for_load_state("networkidle")
    heading = page.locator("h1").inner_text()
    assert "晋江市—尤溪县山海协作" in heading
    liaison = page.locator(".liaison").all_inner_texts()
    assert liaison == ["晋江市农业农村局", "尤溪县发展和改革局"]
    assert page.locator("#documents").get_by_text("晋政文〔2024〕102号").is_visible()
    # The stylesheet came from the app and applied (the top bar is the brand colour).
    colour = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert colour == "rgb(47, 111, 79)"
    screenshot(page, "jinjiang_youxi_page")
    assert page.outside_requests == []


def test_wrong_password_shows_a_chinese_message(page, live_server):
    call_command("load_demo", "--quiet")
    login(page, live_server, "jj_liaison", password="wrong-password")
    assert page.locator(".error").inner_text() == "用户名或密码不正确，请重试。"
