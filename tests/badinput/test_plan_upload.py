"""The plan upload (/pairings/<id>/plans/import/): bad text files, and bad values typed into the
preview before confirming — a NUL byte, 31 February, script — are refused and nothing is created.

The confirm step reads the officer's edits straight from the POST (no Django form), so these
values reach `tasks.importing.plan.import_plan` unfiltered; on PostgreSQL a NUL byte there was a 500.
Covered in tests/tasks/importing/test_plan_import*.py and not repeated: overlong titles, numbers and units,
a tampered tree, a unit outside the pairing's regions, a second confirm of the same tree.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tasks.importing.test_plan_import_pages import SEED_000, confirm_data, url

from .corpus import SCRIPT, SCRIPT_ESCAPED

pytestmark = pytest.mark.django_db


@pytest.fixture
def preview(client_for, fresh):
    client = client_for("yx_liaison")
    response = client.post(url(fresh), {"action": "preview", "text": SEED_000})
    assert response.status_code == 200
    return client, response


def node(response, title: str) -> str:
    return next(r["id"] for r in response.context["rows"] if r["title"] == title)


@pytest.mark.parametrize(
    "field",
    ["title", "units", "deadline", "doc_title", "doc_number", "doc_issuers", "target_name", "preview_token"],
)
def test_a_nul_byte_typed_into_the_preview_is_refused(preview, fresh, unchanged, field):
    client, response = preview
    fund = next(r for r in response.context["rows"] if r["targets"])
    key = {
        "title": f"n-{fund['id']}-title",
        "units": f"n-{fund['id']}-units",
        "deadline": f"n-{fund['id']}-deadline",
        "doc_title": "doc_title",
        "doc_number": "doc_number",
        "doc_issuers": "doc_issuers",
        "target_name": f"n-{fund['id']}-t0-name",
        "preview_token": "preview_token",
    }[field]
    data = confirm_data(response)
    data[key] = (data.get(key) or "") + "\x00"
    with unchanged():
        done = client.post(url(fresh), data)
    assert done.status_code == 400, done.status_code
    html = done.content.decode()
    assert "空字符" in html or "已被改动" in html, html[-3000:]


@pytest.mark.parametrize(
    "deadline, message",
    [
        ("2026年2月31日前", "期限：无法识别“2026年2月31日前”"),
        ("每年2月31日前", "期限：无法识别“每年2月31日前”"),
        ("每年4月31日前", "期限：无法识别“每年4月31日前”"),
    ],
)
def test_a_deadline_of_31_february_typed_into_the_preview_is_refused(
    preview, fresh, unchanged, deadline, message
):
    client, response = preview
    talent = node(response, "推动人才交流合作")
    with unchanged():
        done = client.post(url(fresh), confirm_data(response, **{f"n-{talent}-deadline": deadline}))
    assert done.status_code == 400 and message in done.content.decode()


def test_an_issue_date_of_31_february_is_refused(preview, fresh, unchanged):
    client, response = preview
    with unchanged():
        done = client.post(url(fresh), confirm_data(response, doc_issued="2024-02-31", document="new"))
    assert done.status_code == 400
    assert "来源文件，发布日期：“2024-02-31”不是日期" in done.content.decode()


def test_script_typed_into_the_preview_becomes_text_on_the_task_pages(preview, fresh, client_for):
    from tasks.models import Task

    client, response = preview
    talent = node(response, "推动人才交流合作")
    done = client.post(url(fresh), confirm_data(response, **{f"n-{talent}-title": SCRIPT[:200]}))
    assert done.status_code == 302
    task = Task.objects.get(pairing=fresh, title=SCRIPT[:200])
    for page in (f"/tasks/{task.pk}/", f"/tasks/plan/{fresh.pk}/"):
        html = client.get(page).content.decode()
        assert SCRIPT_ESCAPED in html and SCRIPT not in html


@pytest.mark.parametrize(
    "content, message",
    [
        # Windows Notepad's "Unicode": UTF-16 with a byte-order mark. Read as UTF-8 it would be
        # every other character a NUL; it is decoded as what it is.
        ("utf16", None),
        # A binary file renamed .txt (NUL bytes): refused, not parsed into tasks.
        ("binary", "空字符"),
    ],
)
def test_text_files_are_read_in_their_encoding_or_refused(client_for, fresh, unchanged, content, message):
    data = (
        SEED_000.encode("utf-16")
        if content == "utf16"
        else b"\x00\x01\x02PK" + SEED_000.encode() + b"\x00" * 64
    )
    client = client_for("yx_liaison")
    with unchanged():
        response = client.post(
            url(fresh), {"action": "preview", "file": SimpleUploadedFile("方案.txt", data)}
        )
    if message is None:
        assert response.status_code == 200 and response.context["node_count"] == 30
    else:
        assert response.status_code == 400 and message in response.content.decode()
