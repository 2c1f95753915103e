"""In Chromium: Youxi's liaison officer exports the 2025 assessment of Jinjiang–Youxi, watches the
progress bar reach 100 % and downloads the workbook."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessment.models import AssessmentExport

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_exports_with_a_progress_bar_and_opens_the_file(page, live_server, monkeypatch, tmp_path):
    from assessment import tasks
    from assessment.services import run_export

    call_command("load_demo", "--quiet")
    # Hold the job back (no worker here), so the page is seen polling before the job runs.
    monkeypatch.setattr(tasks.export_assessment, "delay", lambda **kwargs: None)

    login(page, live_server, "yx_liaison")
    page.goto(f"{live_server.url}/assessment/")
    page.select_option("#id_year", "2025")
    page.get_by_label("晋江市—尤溪县山海协作").check()
    page.click("#assessment-submit")
    page.wait_for_selector("#assessment-progress")
    assert page.locator("#assessment-percent").inner_text() == "0%"
    assert page.locator("#assessment-download").is_hidden()

    export = AssessmentExport.objects.get()
    assert [p.name for p in export.pairings.all()] == ["晋江市—尤溪县山海协作"] and export.year == 2025
    assert run_export(export.pk) == "done"  # what the worker does

    page.wait_for_selector("#assessment-download-link", state="visible")
    assert page.locator("#assessment-percent").inner_text() == "100%"
    assert page.locator("#assessment-bar").get_attribute("value") == "100"
    screenshot(page, "reports_assessment_done")
    with page.expect_download() as download_info:
        page.click("#assessment-download-link")
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    assert target.name == "2025年度山海协作考核表.xlsx"
    workbook = load_workbook(target)
    assert workbook["汇总"]["A3"].value == "晋江市—尤溪县山海协作"
    assert page.outside_requests == []
