"""The self-assessment report's preview page: who may draft it, the edit, the .docx it gives.

Liaison staff of the pairing draft and download; a pairing the user cannot see (another pairing's
liaison, a user of no unit) is a 404 like one that does not exist; reporters and leaders of the
pairing see it but may not draft its report (403, as the assessment export refuses reporters).
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(pairing, year=2025) -> str:
    return reverse("assessment:selfreport", args=[pairing.pk]) + f"?year={year}"


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def edited_post(page_context, **changes) -> dict:
    """The form as the page shows it, with `changes` (field name → value) typed in."""
    form, sections = page_context["form"], page_context["sections"]
    data = {"year": "2025"}
    for name in form.fields:
        data[name] = form.initial.get(name, "")
    data.update({f"sections-{k}": v for k, v in sections.management_form.initial.items()})
    for index, initial in enumerate(sections.initial):
        data[f"sections-{index}-heading"] = initial["heading"]
        data[f"sections-{index}-body"] = initial["body"]
    data.update(changes)
    return data


def test_liaison_sees_the_draft_in_text_boxes(demo, client_for):
    response = client_for("jj_liaison").get(url(demo["jy"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        'name="title"' in page and "晋江市农业农村局关于2025年度晋江市—尤溪县山海协作工作的自评报告" in page
    )
    assert 'name="sections-2-body"' in page and "于2025年5月20日足额拨付，逾期20天" in page
    assert 'name="issuer"' in page and 'name="date"' in page and 'name="attachments"' in page
    assert client_for("yx_liaison").get(url(demo["jy"])).status_code == 200


@pytest.mark.parametrize("who", ["wz_liaison", "outsider"])
def test_a_pairing_the_user_cannot_see_does_not_exist(demo, client_for, who):
    client = client_for(who)
    missing = client.get(reverse("assessment:selfreport", args=[999999]))
    other = client.get(url(demo["jy"]))
    assert missing.status_code == other.status_code == 404
    posted = client.post(url(demo["jy"]), {"year": "2025", "title": "x"})
    assert posted.status_code == 404 and posted.get("Content-Type") != DOCX


@pytest.mark.parametrize("who", ["yx_reporter", "jj_reporter", "leader"])
def test_reporters_and_leaders_may_not_draft_the_report(demo, client_for, who):
    client = client_for(who)
    assert client.get(url(demo["jy"])).status_code == 403
    assert client.get(url(demo["jy"]) + "&download=1").status_code == 403
    posted = client.post(url(demo["jy"]), {"year": "2025", "title": "x"})
    assert posted.status_code == 403 and posted.get("Content-Type") != DOCX


def test_anonymous_is_sent_to_the_login(demo):
    response = Client().get(url(demo["jy"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_download_carries_the_edited_text(demo, client_for):
    client = client_for("jj_liaison")
    context = client.get(url(demo["jy"])).context
    body = (
        context["sections"]
        .initial[0]["body"]
        .replace("（一）产业协作", "（一）产业协作\n全年引进协作项目落地的情况已由两地发改部门逐项核实。")
    )
    data = edited_post(
        context,
        title="关于2025年度山海协作工作的自评报告（修改稿）",
        **{"sections-0-body": body, "sections-5-heading": "", "sections-5-body": ""},
    )
    response = client.post(reverse("assessment:selfreport", args=[demo["jy"].pk]), data)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert "%E8%87%AA%E8%AF%84%E6%8A%A5%E5%91%8A.docx" in response["Content-Disposition"]  # 自评报告.docx
    text = text_of(response.content)
    assert "关于2025年度山海协作工作的自评报告（修改稿）" in text
    assert "全年引进协作项目落地的情况已由两地发改部门逐项核实。" in text
    # The emptied section (存在的问题) is left out and the next one takes its number.
    assert "存在的问题" not in text
    assert "六、2026年工作打算" in text


def test_the_draft_downloads_as_it_is(demo, client_for):
    response = client_for("yx_liaison").get(url(demo["jy"]) + "&download=1")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    text = text_of(response.content)
    assert "尤溪县发展和改革局关于2025年度晋江市—尤溪县山海协作工作的自评报告" in text
    assert "三明市山海协作工作领导小组办公室：" in text


def test_text_beyond_the_limits_is_refused_with_the_page_again(demo, client_for):
    client = client_for("jj_liaison")
    data = edited_post(client.get(url(demo["jy"])).context, title="长" * 201)
    response = client.post(reverse("assessment:selfreport", args=[demo["jy"].pk]), data)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'class="field has-error"><label for="id_title">' in page
    assert "不超过 200 字符" in page


def test_control_characters_pasted_into_the_text_do_not_break_the_file(demo, client_for):
    client = client_for("jj_liaison")
    data = edited_post(client.get(url(demo["jy"])).context, opening="开头\x0b第一段\x01。")
    response = client.post(reverse("assessment:selfreport", args=[demo["jy"].pk]), data)
    assert response.status_code == 200
    assert "开头第一段。" in text_of(response.content)


def test_the_post_needs_the_csrf_token(demo, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["jj_liaison"])
    response = client.post(
        reverse("assessment:selfreport", args=[demo["jy"].pk]), {"year": "2025", "title": "x"}
    )
    assert response.status_code == 403


def test_a_year_that_is_no_year_is_not_found(demo, client_for):
    client = client_for("jj_liaison")
    assert client.get(url(demo["jy"], "abc")).status_code == 404
    assert client.get(url(demo["jy"], 1900)).status_code == 404


def test_the_pairing_page_and_the_assessment_page_link_to_it(demo, client_for):
    link = reverse("assessment:selfreport", args=[demo["jy"].pk])
    liaison = client_for("jj_liaison")
    assert link in liaison.get(demo["jy"].get_absolute_url()).content.decode()
    assert link in liaison.get(reverse("assessment:export_form")).content.decode()
    reporter = client_for("yx_reporter")
    assert link not in reporter.get(demo["jy"].get_absolute_url()).content.decode()
    assert link not in client_for("leader").get(reverse("assessment:export_form")).content.decode()
