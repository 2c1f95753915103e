"""The file corpus × every upload endpoint: each hostile file gets a clear Chinese message, a 4xx
(or a failed command), and changes nothing — no row, no history row, no file left behind.

Endpoints: the park-plan import (page and `import_park_plan`), the indicator import (page and
`import_indicators`), the responsibility-table import (page and `import_tasks`), the plan upload
(.docx, page and `parse_plan`), report evidence (page and API) and payment vouchers (page and API).

Evidence and vouchers are stored, never parsed: an .xlsx/.docx is checked as an archive (not a
renamed zip, not encrypted, no zip bomb, no unsafe names) but its XML is never read, so an entity
trick or damaged XML inside is stored as the user's own file (tested: it is kept under a random
name and served only as an attachment).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from . import corpus

pytestmark = pytest.mark.django_db


@dataclass
class Outcome:
    status: int  # the HTTP status; for a command 400 when it failed, 200 when it succeeded
    text: str


def _command(name: str, data: bytes, filename: str, tmp_path, *args) -> Outcome:
    path = tmp_path / filename
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return Outcome(400, f"{exc}\n{err.getvalue()}")
    return Outcome(200, out.getvalue())


def _page(response) -> Outcome:
    return Outcome(response.status_code, response.content.decode())


def _json(response) -> Outcome:
    return Outcome(response.status_code, json.dumps(response.json(), ensure_ascii=False))


@pytest.fixture
def send(client_for, api_for, tmp_path, draft_report, open_2026, fresh):
    """send(endpoint, data, filename) → Outcome, as the persona that may use that endpoint."""

    def parks_page(data, name):
        upload = SimpleUploadedFile(name, data)
        return _page(client_for("wz_liaison").post("/parks/import/", {"file": upload}))

    def indicators_page(data, name):
        upload = SimpleUploadedFile(name, data)
        return _page(client_for("yx_liaison").post("/indicators/import/", {"file": upload}))

    def evidence_api(data, name):
        url = f"/api/v1/progress-reports/{draft_report.pk}/evidence/"
        upload = SimpleUploadedFile(name, data)
        return _json(api_for("yx_reporter").post(url, {"file": upload}, format="multipart"))

    def evidence_page(data, name):
        url = f"/tasks/reports/{draft_report.pk}/evidence/"
        upload = SimpleUploadedFile(name, data)
        client = client_for("yx_reporter")
        return _json(client.post(url, {"evidence": upload}, headers={"accept": "application/json"}))

    def payment_api(data, name):
        upload = SimpleUploadedFile(name, data)
        body = {"commitment": open_2026.pk, "date": "2026-04-20", "amount": "1000.00", "evidence": upload}
        return _json(api_for("jj_finance_api").post("/api/v1/disbursements/", body, format="multipart"))

    def payment_page(data, name):
        upload = SimpleUploadedFile(name, data)
        body = {"date": "2026-04-20", "amount": "1000.00", "evidence": upload}
        return _page(client_for("jj_finance").post(f"/funds/{open_2026.pk}/pay/", body))

    def plan_page(data, name):
        upload = SimpleUploadedFile(name, data)
        return _page(
            client_for("yx_liaison").post(
                f"/pairings/{fresh.pk}/plans/import/", {"action": "preview", "file": upload}
            )
        )

    def task_import_page(data, name):
        upload = SimpleUploadedFile(name, data)
        return _page(client_for("yx_liaison").post(f"/pairings/{fresh.pk}/task-import/", {"file": upload}))

    endpoints = {
        "task_import_page": task_import_page,
        "task_import_command": lambda data, name: _command(
            "import_tasks", data, name, tmp_path, "--pairing", str(fresh.pk)
        ),
        "parks_page": parks_page,
        "parks_command": lambda data, name: _command("import_park_plan", data, name, tmp_path),
        "indicators_page": indicators_page,
        "indicators_command": lambda data, name: _command("import_indicators", data, name, tmp_path),
        "evidence_api": evidence_api,
        "evidence_page": evidence_page,
        "payment_api": payment_api,
        "payment_page": payment_page,
        "plan_page": plan_page,
        "plan_command": lambda data, name: _command("parse_plan", data, name, tmp_path),
    }

    def run(endpoint: str, data: bytes, name: str) -> Outcome:
        return endpoints[endpoint](data, name)

    return run


@pytest.fixture(autouse=True)
def _finance_personas(users):
    """jj_finance (晋江市财政局, the paying unit) as a page and an API persona."""
    from cooperation.models import User

    users["jj_finance"] = users["jj_finance_api"] = User.objects.get(username="jj_finance")


XLSX_IMPORTS = [
    "parks_page",
    "parks_command",
    "indicators_page",
    "indicators_command",
    "task_import_page",
    "task_import_command",
]
STORED_FILES = ["evidence_api", "evidence_page", "payment_api", "payment_page"]


def assert_refused(outcome: Outcome, message: str) -> None:
    assert 400 <= outcome.status < 500 or outcome.status == 200 and 'name="confirm"' not in outcome.text, (
        outcome
    )
    assert re.search(message, outcome.text), (message, outcome.text[:2000])


# The indicators' header row is no task table: the task import stops at "no header" before it
# reaches the damage. Its own damaged table is the next test.
OVERRIDES = {("task_import", "broken_sheet_late"): "没有找到表头"}


@pytest.mark.parametrize("case", corpus.XLSX_FILES, ids=lambda c: c.name)
@pytest.mark.parametrize("endpoint", XLSX_IMPORTS)
def test_every_spreadsheet_import_refuses_every_hostile_file(send, unchanged, endpoint, case):
    data = case.build()
    with unchanged():
        outcome = send(endpoint, data, "附件1.xlsx")
    assert_refused(outcome, OVERRIDES.get((endpoint.rsplit("_", 1)[0], case.name), case.message))
    if endpoint.endswith("_page"):
        # A page answers a refused file with a 4xx and never offers to confirm it.
        assert 400 <= outcome.status < 500 and 'name="confirm"' not in outcome.text


@pytest.mark.parametrize("endpoint", ["task_import_page", "task_import_command"])
def test_a_task_table_damaged_half_way_is_refused(send, unchanged, endpoint):
    data = corpus.broken_sheet_late(
        header=("序号", "任务", "事项", "责任单位"), row=("1", "推进合作", "尤溪县教育局")
    )
    with unchanged():
        outcome = send(endpoint, data, "责任分解表.xlsx")
    assert_refused(outcome, "损坏")


# An evidence file is stored as the user's own document and never parsed. Its archive is checked
# (so no renamed zip, encrypted file or zip bomb is kept), and no part may declare entities (whoever
# opens the file later is not handed an entity trick); the rest of its XML is not our business.
EVIDENCE_OUTCOMES = {
    "text_renamed": "内容与扩展名",
    "pdf_renamed": "内容与扩展名",
    "renamed_zip": "缺少 xl/workbook.xml",
    "encrypted": "已加密",
    "empty": "空文件",
    "billion_laughs_workbook": "不安全的实体",
    "billion_laughs_sheet": "不安全的实体",
    "zip_bomb": "压缩炸弹",
    "broken_sheet_xml": None,
    "broken_sheet_late": None,
    "unsafe_names": "不安全的路径",
}


@pytest.mark.parametrize("case", corpus.XLSX_FILES, ids=lambda c: c.name)
@pytest.mark.parametrize("endpoint", STORED_FILES)
def test_evidence_and_vouchers_refuse_what_is_not_a_real_office_file(send, unchanged, endpoint, case):
    message = EVIDENCE_OUTCOMES[case.name]
    if message is None:
        outcome = send(endpoint, case.build(), "佐证.xlsx")
        assert outcome.status in (200, 201, 302), outcome
        return
    with unchanged():
        outcome = send(endpoint, case.build(), "佐证.xlsx")
    assert 400 <= outcome.status < 500, outcome
    assert message in outcome.text, outcome.text[:2000]


@pytest.mark.parametrize("case", corpus.DOCX_FILES, ids=lambda c: c.name)
@pytest.mark.parametrize("endpoint", ["plan_page", "plan_command"])
def test_the_plan_upload_refuses_every_hostile_docx(send, unchanged, endpoint, case):
    with unchanged():
        outcome = send(endpoint, case.build(), "实施方案.docx")
    assert_refused(outcome, case.message)


@pytest.mark.parametrize("endpoint", STORED_FILES)
def test_a_docx_evidence_file_is_checked_as_a_word_archive(send, unchanged, endpoint):
    with unchanged():
        outcome = send(endpoint, corpus.plain_xlsx(), "会议纪要.docx")
    assert 400 <= outcome.status < 500 and "缺少 word/document.xml" in outcome.text, outcome
    with unchanged():
        outcome = send(endpoint, corpus.zip_bomb_docx(), "会议纪要.docx")
    assert 400 <= outcome.status < 500 and "压缩炸弹" in outcome.text, outcome


@pytest.mark.parametrize("endpoint", ["parks_page", "indicators_page", *STORED_FILES, "plan_page"])
def test_a_file_over_the_size_limit_is_refused_and_nothing_is_kept(send, unchanged, settings, endpoint):
    """Just above UPLOAD_MAX_MB (set to 1 MB here), within the middleware's room for form fields."""
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    name = "方案.docx" if endpoint.startswith("plan") else "附件1.xlsx"
    data = (corpus.docx(["一、总体要求"]) if name.endswith("docx") else corpus.plain_xlsx()) + b"\0" * (
        1024 * 1024 + 10
    )
    with unchanged():
        outcome = send(endpoint, data, name)
    assert 400 <= outcome.status < 500, outcome
    assert "上限" in outcome.text, outcome.text[:2000]
