"""The pages of the responsibility-table import: /pairings/<id>/task-import/ (upload, preview, confirm,
template), their permissions, and all-or-nothing confirmation."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fixtures.samples import task_table_001
from tasks.importing.table import read_task_table

from .data.task_tables import table
from .test_plan_import import by_number, counts, ordered_units


def url(name: str, pairing) -> str:
    return reverse(f"task_import:{name}", args=[pairing.pk])


def sample_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(task_table_001.SAMPLE.name, task_table_001.SAMPLE.read_bytes())


def preview(client, pairing, upload=None):
    return client.post(url("upload", pairing), {"file": upload or sample_upload()})


def confirm_data(response, **changes) -> dict:
    """The preview's form as the browser sends it, plus ``changes``: unchanged, except that a
    region is chosen (温州市) for each new unit the preview shows with none — a new unit is only
    created as the user confirmed it (issue 20)."""
    html = response.content.decode()
    form = html[html.index('id="task-import-confirm-form"') :]
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data.pop("csrfmiddlewaretoken", None)
    for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', form):
        data[name] = value
    for name, value in re.findall(
        r'<select name="([^"]+)"[^>]*>.*?<option value="(\d+)" selected', form, re.S
    ):
        data[name] = value
    data["document"] = response.context["document_choice"]
    from cooperation.models import Region

    wenzhou = Region.objects.get(name="温州市")
    for row in response.context["unit_rows"]:
        if row["match"] is None and row["region_id"] is None:
            data[f"u{row['index']}-region"] = str(wenzhou.pk)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["upload", "template"])
def test_anonymous_users_are_sent_to_the_login_page(client, demo, name):
    response = client.get(url(name, demo["wz"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ["yx_reporter", "leader", "jj_reporter"])
@pytest.mark.parametrize("name", ["upload", "template", "confirm"])
def test_who_sees_the_pairing_but_does_not_manage_it_gets_403(client_for, demo, username, name):
    client = client_for(username)
    response = (
        client.post(url(name, demo["jy"]), {}) if name == "confirm" else client.get(url(name, demo["jy"]))
    )
    assert response.status_code == 403
    assert "只有本结对的联络员可以导入责任分解表" in response.content.decode()


def test_upload_by_a_non_liaison_writes_nothing(client_for, demo):
    before = counts()
    response = preview(client_for("yx_reporter"), demo["jy"])
    assert response.status_code == 403 and counts() == before


@pytest.mark.parametrize(
    "username, pairing", [("wz_liaison", "jy"), ("yx_liaison", "wz"), ("outsider", "wz")]
)
@pytest.mark.parametrize("name", ["upload", "template", "confirm"])
def test_another_pairing_is_a_404(client_for, demo, username, pairing, name):
    client = client_for(username)
    target = demo[pairing]
    response = client.post(url(name, target), {}) if name == "confirm" else client.get(url(name, target))
    assert response.status_code == 404


# --- the template -------------------------------------------------------------------------------


def test_the_template_workbook_has_the_header_and_an_example_row_of_seed_001(client_for, demo):
    response = client_for("wz_liaison").get(url("template", demo["wz"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[2]] == ["序号", "任务", "事项", "责任单位", "完成时限"]
    assert sheet["B3"].value == "建好山海协作发展新平台"
    # It imports as it stands: one task with one item, its units and deadline.
    result = read_task_table(io.BytesIO(data))
    assert result.ok, result.errors
    item = result.plan["nodes"][0]["children"][0]
    assert item["title"] == "规范编制生态旅游文化产业园发展规划及建设指标"
    assert item["units"][0] == "市招商局（经合办）" and len(item["units"]) == 8
    assert item["deadlines"][0]["date"] == "2018-09-30"


# --- upload → preview → confirm -----------------------------------------------------------------


def test_liaison_previews_seed_001_and_confirms(client_for, demo, users):
    from tasks.models import Task, TaskUnit

    wz = demo["wz"]
    client = client_for("wz_liaison")
    assert client.get(url("upload", wz)).status_code == 200
    before = counts()
    shown = preview(client, wz)
    assert shown.status_code == 200
    html = shown.content.decode()
    assert counts() == before  # a preview writes nothing
    assert "将创建 3 个任务、15 个事项。" in html
    assert html.count('class="import-node depth-0"') == 3 and html.count('class="import-node depth-1"') == 15
    assert 'value="打造山海协作工程升级版行动计划责任分解表"' in html
    units = {u["name"]: u["match"] for u in shown.context["unit_rows"]}
    assert units["市招商局（经合办）"].name == "温州市招商局（经合办）"
    assert units["市经信委"].name == "温州市经济和信息化委员会"
    assert units["结对县（市、区）党委"] is None and units["市招商局（综合办）"] is None
    assert "2018-07-31" in html and "2018 年 7 月底前" in html

    existing = set(Task.objects.filter(pairing=wz).values_list("pk", flat=True))
    done = client.post(url("confirm", wz), confirm_data(shown))
    assert done.status_code == 302 and done["Location"] == reverse("tasks:plan_tree", args=[wz.pk])
    tasks = [t for t in Task.objects.filter(pairing=wz) if t.pk not in existing]
    assert len(tasks) == 18
    company = by_number(tasks, "2", "2.")
    assert company.title == "建立产业园管理运营机制" and str(company.deadline_date) == "2018-07-31"
    assert [(r.role, r.unit.name) for r in ordered_units(company)] == [
        (TaskUnit.Role.LEAD, "结对县（市、区）党委"),
        (TaskUnit.Role.COOPERATING, "结对县（市、区）政府"),
    ]
    assert company.history.earliest().history_user == users["wz_liaison"]
    page = client.get(done["Location"]).content.decode()
    assert "已从“打造山海协作工程升级版行动计划责任分解表”导入 18 个任务（3 个任务、15 个事项）" in page
    assert "建立产业园管理运营机制" in page


def test_confirm_honours_the_document_years_and_regions_chosen(client_for, demo):
    from cooperation.models import Region, Unit
    from tasks.models import Task

    wz = demo["wz"]
    client = client_for("wz_liaison")
    shown = preview(client, wz)
    index = next(u["index"] for u in shown.context["unit_rows"] if u["name"] == "结对县（市、区）政府")
    taishun = Region.objects.get(name="泰顺县")
    data = confirm_data(
        shown,
        doc_title="温州市山海协作责任分解表（2019年修订）",
        doc_number="温山海办〔2019〕1号",
        start_year="2019",
        end_year="2020",
        **{f"u{index}-region": str(taishun.pk)},
    )
    assert client.post(url("confirm", wz), data).status_code == 302
    task = Task.objects.get(pairing=wz, document__doc_number="温山海办〔2019〕1号", number="1")
    assert (task.start_year, task.end_year) == (2019, 2020)
    assert Unit.objects.get(name="结对县（市、区）政府").region == taishun


def test_a_table_with_an_invalid_row_is_refused_at_preview_and_nothing_is_written(client_for, demo):
    buffer = table(
        [
            ["序号", "任务", "事项", "责任单位"],
            ["1", "推进产业项目合作", "1. 强化新兴产业培育。", "市经信委"],
            [None, None, "2. 推动合作项目签约落地。", None],
        ],
        merges=["A2:A3", "B2:B3"],
    )
    before = counts()
    response = preview(client_for("wz_liaison"), demo["wz"], SimpleUploadedFile("表.xlsx", buffer.getvalue()))
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 3 行，责任单位：为空。与上一行相同时，请合并单元格或再写一遍" in html
    assert "task-import-confirm-form" not in html  # nothing to confirm
    assert counts() == before


def test_a_refused_confirm_shows_the_preview_again_and_writes_nothing(client_for, demo):
    from cooperation.models import Region

    wz = demo["wz"]
    client = client_for("wz_liaison")
    shown = preview(client, wz)
    outside = Region.objects.get(name="晋江市")
    new = next(u for u in shown.context["unit_rows"] if u["match"] is None)
    before = counts()
    response = client.post(
        url("confirm", wz),
        confirm_data(shown, start_year="二〇一八", **{f"u{new['index']}-region": str(outside.pk)}),
    )
    assert response.status_code == 400
    assert "起始年份：“二〇一八”不是年份。" in response.content.decode()
    response = client.post(
        url("confirm", wz), confirm_data(shown, **{f"u{new['index']}-region": str(outside.pk)})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"新单位“{new['name']}”：所选地区不在本结对的两侧地区内。" in html
    assert "task-import-confirm-form" in html  # the preview again, to correct and confirm
    assert counts() == before


def test_confirming_the_same_preview_twice_creates_the_tasks_once(client_for, demo):
    wz = demo["wz"]
    client = client_for("wz_liaison")
    data = confirm_data(preview(client, wz))
    assert client.post(url("confirm", wz), data).status_code == 302
    before = counts()
    again = client.post(url("confirm", wz), data)
    assert again.status_code == 400
    assert "这张表格可能已经导入过" in again.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    "tamper, message",
    [
        (lambda p: p[:-3] + "abc", "预览数据已被改动或已损坏"),
        (lambda p: "", "预览数据已被改动或已损坏"),
    ],
)
def test_a_tampered_preview_is_refused(client_for, demo, tamper, message):
    wz = demo["wz"]
    client = client_for("wz_liaison")
    data = confirm_data(preview(client, wz))
    data["preview_token"] = tamper(data["preview_token"])
    before = counts()
    response = client.post(url("confirm", wz), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert counts() == before


def test_a_preview_cannot_be_confirmed_for_another_pairing_or_by_another_user(client_for, demo, users):
    from django.test import Client

    from cooperation.models import Pairing, Role, User

    wz = demo["wz"]
    data = confirm_data(preview(client_for("wz_liaison"), wz))
    child = Pairing.objects.filter(parent=wz).first()  # 瓯海区—永嘉县, also managed by wz_liaison
    before = counts()
    response = client_for("wz_liaison").post(url("confirm", child), data)
    assert response.status_code == 400 and "这份预览不属于本结对或当前用户" in response.content.decode()
    colleague = User.objects.create_user(
        "wz_liaison_2", password="x-pass-12345", unit=users["wz_liaison"].unit, role=Role.LIAISON
    )
    other = Client()
    other.force_login(colleague)
    response = other.post(url("confirm", wz), data)
    assert response.status_code == 400 and "这份预览不属于本结对或当前用户" in response.content.decode()
    assert counts() == before


def test_a_preview_too_large_for_a_browser_form_is_sent_to_the_command(client_for, demo, settings):
    # The page keeps 64 KB of the limit for the form's other fields: leave 100 bytes for the tree.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 + 100
    response = preview(client_for("wz_liaison"), demo["wz"])
    assert response.status_code == 400
    assert "请分成几个文件上传，或请管理员用命令 import_tasks 导入" in response.content.decode()


def test_get_on_confirm_goes_back_to_the_upload_page(client_for, demo):
    response = client_for("wz_liaison").get(url("confirm", demo["wz"]))
    assert response.status_code == 302 and response["Location"] == url("upload", demo["wz"])


# --- the pairing-page panel -----------------------------------------------------------------------


def test_the_panel_links_the_import_for_liaison_staff_only(rf, demo, users):
    from django.template.loader import render_to_string

    from tasks.panels import table_import_panel as pairing_panels

    request = rf.get("/")
    request.user = users["wz_liaison"]
    [panel] = pairing_panels(request, demo["wz"])
    html = render_to_string(panel.template, {"panel": panel.context})
    assert url("upload", demo["wz"]) in html and url("template", demo["wz"]) in html
    request.user = users["leader"]
    assert pairing_panels(request, demo["jy"]) == []
