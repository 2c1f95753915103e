"""In Chromium: Jinjiang's liaison officer opens the 2025 self-assessment report from the pairing
page, rewrites a paragraph, downloads the Word file and finds his words in it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from docx import Document

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_edits_the_draft_and_downloads_the_docx(page, live_server, tmp_path):
    call_command("load_demo", "--quiet")
    login(page, live_server, "jj_liaison")
    page.goto(f"{live_server.url}/pairings/")
    page.get_by_role("link", name="晋江市—尤溪县山海协作").first.click()
    page.click("#pairing-selfreport")
    page.select_option("#id_report_year", "2025")
    page.click("#selfreport-year button[type=submit]")
    page.wait_for_selector("#selfreport-form")

    title = page.locator("#id_title")
    assert title.input_value() == "晋江市农业农村局关于2025年度晋江市—尤溪县山海协作工作的自评报告"
    funds = page.locator("#id_sections-2-body")
    assert "于2025年5月20日足额拨付，逾期20天" in funds.input_value()

    # The liaison rewrites the first paragraph of the funds section and the date.
    lines = funds.input_value().splitlines()
    lines[1] = "1. 资金拨付：1200万元已于2025年5月20日全部拨付，较时限晚20天，已督促财政部门改进调度。"
    funds.fill("\n".join(lines))
    page.fill("#id_date", "2026年1月15日")
    screenshot(page, "selfreport_preview")
    with page.expect_download() as download_info:
        page.click("#selfreport-download")
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    assert target.name == "2025年度晋江市—尤溪县山海协作工作自评报告.docx"

    texts = [p.text for p in Document(target).paragraphs]
    assert "1. 资金拨付：1200万元已于2025年5月20日全部拨付，较时限晚20天，已督促财政部门改进调度。" in texts
    assert not any("累计拨付1200万元" in t for t in texts)  # the drafted line was replaced
    assert texts[-1] == "2026年1月15日"
    assert "三、协作资金保障情况" in texts
    assert page.outside_requests == []
