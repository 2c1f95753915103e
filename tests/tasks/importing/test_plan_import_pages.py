"""The preview and confirm pages of the plan-text import: /pairings/<id>/plans/import/."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.test_importflow import forge
from tests.planparser.test_command import _docx_xml, make_docx

from .test_plan_import import by_number, counts, fresh  # noqa: F401 — fixture

SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"
SEED_000 = (SEEDS / "000_jinjiang_youxi_plan.txt").read_text(encoding="utf-8")


def url(pairing) -> str:
    return reverse("plans:plan_import", args=[pairing.pk])


def confirm_data(response, **changes) -> dict:
    """The preview form as the browser would send it unchanged, plus `changes`."""
    html = response.content.decode()
    data = {"action": "confirm"}
    for name, value in re.findall(r'<input (?:type="hidden" )?name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'<input class="[^"]*" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name in re.findall(r'<input type="checkbox" name="([^"]+yearly)" value="1" checked', html):
        data[name] = "1"
    ctx = response.context
    data["preview_token"] = ctx["preview_token"]
    data["document"] = ctx["document_choice"]
    for row in ctx["rows"]:
        for t in row["targets"]:
            key = f"n-{row['id']}-t{t['i']}"
            data.update(
                {f"{key}-name": t["name"], f"{key}-comparator": t["comparator"], f"{key}-value": t["value"]}
            )
            data[f"{key}-unit"] = t["unit"]
            if t["yearly"]:
                data[f"{key}-yearly"] = "1"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_liaison_previews_seed_000_and_confirms(client_for, fresh, users):  # noqa: F811
    from tasks.models import Task

    client = client_for("yx_liaison")
    assert client.get(url(fresh)).status_code == 200
    preview = client.post(url(fresh), {"action": "preview", "text": SEED_000})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert html.count('class="plan-node ') == 30
    assert 'value="晋政文〔2024〕102号"' in html
    assert "每年4月30日（每年4月底前）" in html
    assert Task.objects.filter(pairing=fresh).count() == 0  # a preview writes nothing

    row = next(r for r in preview.context["rows"] if r["title"] == "推动人才交流合作")
    data = confirm_data(
        preview,
        **{
            f"n-{row['id']}-title": "推动干部人才交流合作",
            f"n-{row['id']}-units": "尤溪县人力资源和社会保障局、晋江市人力资源和社会保障局",
            "n-0-drop": "1",
        },
    )
    done = client.post(url(fresh), data)
    assert done.status_code == 302 and done["Location"] == reverse("tasks:plan_tree", args=[fresh.pk])
    tasks = list(Task.objects.filter(pairing=fresh))
    assert len(tasks) == 29
    talent = by_number(tasks, "二、", "（四）", "1.")
    assert talent.title == "推动干部人才交流合作"
    assert talent.task_units.get(role="lead").unit.name == "尤溪县人力资源和社会保障局"
    page = client.get(done["Location"])
    assert (
        "已从“晋政文〔2024〕102号" in page.content.decode()
        and "推动干部人才交流合作" in page.content.decode()
    )

    # The same form again: refused with a clear message, nothing duplicated.
    before = counts()
    again = client.post(url(fresh), data)
    assert again.status_code == 400
    assert "本结对已有文号为 晋政文〔2024〕102号 的文件" in again.content.decode()
    assert counts() == before


def test_reporter_is_refused_and_another_pairing_is_not_found(client_for, fresh, demo):  # noqa: F811
    before = counts()
    reporter = client_for("yx_reporter")
    for response in (
        reporter.get(url(fresh)),
        reporter.post(url(fresh), {"action": "preview", "text": SEED_000}),
    ):
        assert response.status_code == 403
        assert "只有本结对的联络员可以从方案文本生成任务" in response.content.decode()
    assert client_for("leader").get(url(fresh)).status_code == 403
    wz = client_for("wz_liaison")
    assert wz.get(url(fresh)).status_code == 404
    assert wz.post(url(demo["jy"]), {"action": "preview", "text": SEED_000}).status_code == 404
    assert client_for(None).get(url(fresh)).status_code == 302
    assert counts() == before


def test_a_tampered_preview_is_refused_and_writes_nothing(client_for, fresh):  # noqa: F811
    client = client_for("jj_liaison")
    preview = client.post(url(fresh), {"action": "preview", "text": SEED_000})
    data = confirm_data(preview)
    before = counts()
    data["preview_token"] = forge(data["preview_token"], "推动产业园区合作共建", "删除全部任务")
    response = client.post(url(fresh), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "未创建任何任务" in html and "预览数据已被改动或已损坏" in html
    data = confirm_data(preview, preview_token="{not json")
    assert client.post(url(fresh), data).status_code == 400
    assert counts() == before


def test_errors_are_listed_in_chinese_and_the_edits_stay_on_the_page(client_for, fresh):  # noqa: F811
    client = client_for("jj_liaison")
    preview = client.post(url(fresh), {"action": "preview", "text": SEED_000})
    fund = next(r for r in preview.context["rows"] if r["targets"] and r["number"] == "（四）")
    data = confirm_data(
        preview,
        **{
            f"n-{fund['id']}-t0-value": "一千二百万",
            f"n-{fund['id']}-deadline": "择机",
            "start_year": "二〇二四",
        },
    )
    before = counts()
    response = client.post(url(fresh), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "起始年份：“二〇二四”不是年份" in html
    data["start_year"] = "2024"
    response = client.post(url(fresh), data)
    html = response.content.decode()
    assert "节点 三、（四），期限：无法识别“择机”" in html
    assert "不是数字" in html
    assert 'value="择机"' in html and 'value="一千二百万"' in html  # nothing the officer typed is lost
    assert counts() == before


def test_upload_docx_txt_and_size_limit(client_for, fresh, settings):  # noqa: F811
    client = client_for("yx_liaison")
    docx = make_docx(_docx_xml(SEED_000.splitlines()))
    response = client.post(url(fresh), {"action": "preview", "file": SimpleUploadedFile("方案.docx", docx)})
    assert response.status_code == 200 and response.content.decode().count('class="plan-node ') == 30

    gbk = SimpleUploadedFile("方案.txt", SEED_000.encode("gb18030"))
    response = client.post(url(fresh), {"action": "preview", "file": gbk})
    assert response.status_code == 200 and response.context["node_count"] == 30

    bad = SimpleUploadedFile("方案.docx", b"PK\x03\x04 not a zip")
    response = client.post(url(fresh), {"action": "preview", "file": bad})
    assert response.status_code == 400 and "docx" in response.content.decode().lower()

    settings.UPLOAD_MAX_BYTES = 1024
    response = client.post(
        url(fresh), {"action": "preview", "file": SimpleUploadedFile("方案.txt", b"x" * 4096)}
    )
    assert response.status_code == 413 and "超过" in response.content.decode()

    response = client.post(url(fresh), {"action": "preview", "text": "没有编号的一段话。"})
    assert response.status_code == 400 and "没有识别出任何编号标题" in response.content.decode()


def test_units_are_shown_as_matched_or_new(client_for, demo):
    wenzhou = (SEEDS / "001_wenzhou_programme.txt").read_text(encoding="utf-8")
    response = client_for("wz_liaison").post(url(demo["wz"]), {"action": "preview", "text": wenzhou})
    assert response.status_code == 200
    units = {u["name"]: u for u in response.context["unit_rows"]}
    assert units["市发改委"]["match"].name == "温州市发展和改革委员会"
    assert units["市招商局〈经合办〉"]["match"].name == "温州市招商局（经合办）"
    assert units["结对县〈市、区〉党委"]["match"] is None
    assert response.context["document_choice"] == str(
        demo["wz"].documents.get(doc_number="温政发〔2018〕26号").pk
    )
