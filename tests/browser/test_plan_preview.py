"""The plan-text import in headless Chromium: a liaison officer pastes seed 000 for a fresh pairing, sees the
30 nodes, drops one, edits a title, confirms, and finds the tasks in the pairing's task tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_000 = (
    Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "000_jinjiang_youxi_plan.txt"
).read_text(encoding="utf-8")


def test_liaison_pastes_previews_edits_and_confirms(browser, page, live_server):
    from cooperation.models import Pairing, Region
    from tasks.models import Task

    call_command("load_demo", "--quiet")
    pairing = Pairing.objects.create(
        name="晋江市—尤溪县（浏览器导入）",
        coastal_region=Region.objects.get(name="晋江市"),
        mountain_region=Region.objects.get(name="尤溪县"),
        start_year=2024,
        end_year=2030,
    )

    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, "yx_liaison")
    page.goto(f"{live_server.url}/pairings/{pairing.pk}/plans/import/")
    page.fill("textarea[name=text]", SEED_000)
    page.get_by_role("button", name="解析并预览").click()
    page.wait_for_selector("#plan-tree")
    page.wait_for_load_state("load")  # the preview's script has run
    assert page.locator(".plan-node").count() == 30
    assert page.locator("input[name=doc_number]").input_value() == "晋政文〔2024〕102号"
    assert "共 30 个节点，将创建 30 个任务" in page.locator("#plan-count").inner_text()

    # Drop 二、（五）生态文明共建共享 and its three tasks; the page greys out the subtree.
    eco = page.locator(".plan-node", has=page.locator("input[value=生态文明共建共享]"))
    eco.locator(".plan-drop input").check()
    assert "将创建 26 个任务" in page.locator("#plan-count").inner_text()
    assert page.locator(".plan-node.under-dropped").count() == 3

    talent = page.locator("input[value=推动人才交流合作]")
    talent.fill("推动干部人才双向交流")
    unit_field = page.locator(".plan-node", has=talent).locator("input.plan-units")
    unit_field.fill("尤溪县人力资源和社会保障局、晋江市人力资源和社会保障局")
    screenshot(page, "plan_preview")

    page.get_by_role("button", name="确认并创建任务").click()
    page.wait_for_url(f"{live_server.url}/tasks/plan/{pairing.pk}/")
    assert "已从“晋政文〔2024〕102号" in page.locator(".messages").inner_text()
    tree = page.locator(".tasktree").inner_text()
    assert "推动干部人才双向交流" in tree and "推动人才交流合作" not in tree
    assert "生态文明共建共享" not in tree and "推进任务落实" in tree
    screenshot(page, "plan_confirmed")

    assert Task.objects.filter(pairing=pairing).count() == 26
    talent_task = Task.objects.get(pairing=pairing, title="推动干部人才双向交流")
    assert talent_task.task_units.get(role="lead").unit.name == "尤溪县人力资源和社会保障局"
    assert page.outside_requests == [] and errors == []
