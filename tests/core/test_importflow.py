"""The import flow (core/importflow.py): one signed token carries a preview to its confirm.

First the token itself — bound to its user, its scope (a pairing) and its importer, valid for 12
hours, refused when changed — then the four import pages (plan text, responsibility table,
indicators, park plans): each refuses a tampered, foreign or oversized preview with the same
message and writes nothing, and keeps nothing on the server between preview and confirm.
"""

from __future__ import annotations

import json
import time
import zlib
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from core.importflow import (
    MAX_AGE,
    PREVIEW_FIELD,
    ImportRefused,
    PreviewFlow,
    pack_file,
    unpack_file,
)
from tests.tasks.importing.test_plan_import import fresh  # noqa: F401 — fixture

EXPIRED = "预览已超过 12 小时，未做任何修改。请重新预览。"
TAMPERED = "预览数据已被改动或已损坏，未做任何修改。请重新预览。"
NOT_YOURS = "这份预览不属于当前用户，未做任何修改。请重新预览。"
NOT_YOURS_OR_PAIRING = "这份预览不属于本结对或当前用户，未做任何修改。请重新预览。"

FLOW = PreviewFlow("tests.flow")
ALICE, BOB = SimpleNamespace(pk=1), SimpleNamespace(pk=2)


def forge(token: str, old: str, new: str) -> str:
    """The token with ``old`` replaced by ``new`` in its data, as someone editing the page would do:
    the same format, compressed again, but the signature left as it was."""
    payload, rest = token.split(":", 1)
    raw = signing.b64_decode(payload.removeprefix(".").encode())
    data = zlib.decompress(raw) if payload.startswith(".") else raw
    text = json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":"))
    assert old in text, f"{old!r} is not in the token"
    changed = text.replace(old, new).encode()
    return "." + signing.b64_encode(zlib.compress(changed)).decode() + ":" + rest


def refusal(call) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        call()
    return caught.value


# --- the token ---------------------------------------------------------------------------------


def test_a_token_opens_for_its_user_and_scope_with_its_data():
    data = {"plan": {"nodes": [{"title": "推动产业园区合作共建"}]}, "file": pack_file(b"PK\x03\x04\x00\xff")}
    token = FLOW.sign(data, user=ALICE, scope=7)
    assert FLOW.open(token, user=ALICE, scope=7) == data
    assert unpack_file(FLOW.open(token, user=ALICE, scope=7)["file"]) == b"PK\x03\x04\x00\xff"
    assert "推动" not in token  # compressed and encoded, not the plain JSON


def test_a_token_signed_for_one_user_is_refused_for_another():
    token = FLOW.sign({"n": 1}, user=ALICE)
    refused = refusal(lambda: FLOW.open(token, user=BOB))
    assert refused.errors == [NOT_YOURS] and refused.status == 400


def test_a_token_for_one_pairing_is_refused_for_another():
    token = FLOW.sign({"n": 1}, user=ALICE, scope=7)
    assert refusal(lambda: FLOW.open(token, user=ALICE, scope=8)).errors == [NOT_YOURS_OR_PAIRING]
    assert refusal(lambda: FLOW.open(token, user=BOB, scope=7)).errors == [NOT_YOURS_OR_PAIRING]


def test_an_expired_token_is_refused(monkeypatch):
    token = FLOW.sign({"n": 1}, user=ALICE)
    signed_at = time.time()
    monkeypatch.setattr(time, "time", lambda: signed_at + MAX_AGE - 60)
    assert FLOW.open(token, user=ALICE) == {"n": 1}  # still within the working day
    monkeypatch.setattr(time, "time", lambda: signed_at + MAX_AGE + 1)
    assert refusal(lambda: FLOW.open(token, user=ALICE)).errors == [EXPIRED]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: forge(t, '"n":1', '"n":2'),
        lambda t: t[:-3] + ("abc" if not t.endswith("abc") else "xyz"),
        lambda t: t.split(":", 1)[1],
        lambda t: "",
        lambda t: "{not json",
        lambda t: t + "\x00",
    ],
    ids=["data changed", "signature changed", "data removed", "empty", "not a token", "nul byte"],
)
def test_a_tampered_token_is_refused(tamper):
    token = FLOW.sign({"n": 1}, user=ALICE, scope=7)
    assert refusal(lambda: FLOW.open(tamper(token), user=ALICE, scope=7)).errors == [TAMPERED]


def test_one_importers_token_does_not_open_another_importers_confirm():
    token = PreviewFlow("parks.plan").sign({"n": 1}, user=ALICE)
    assert refusal(lambda: PreviewFlow("indicators").open(token, user=ALICE)).errors == [TAMPERED]


def test_a_token_too_large_for_a_browser_form_is_refused_with_the_command_to_use(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 + 100
    noise = pack_file(bytes(range(256)) * 4)
    message = refusal(lambda: PreviewFlow("x", command="import_indicators").sign({"f": noise}, user=ALICE))
    assert "超过浏览器确认的上限" in message.errors[0] and "import_indicators" in message.errors[0]
    assert "分成几部分" in refusal(lambda: PreviewFlow("x").sign({"f": noise}, user=ALICE)).errors[0]
    assert refusal(lambda: FLOW.sign({"f": noise}, user=ALICE, too_large="太大了")).errors == ["太大了"]


# --- the four import pages ----------------------------------------------------------------------


@dataclass
class Preview:
    """One importer's preview page, how to confirm it, and someone else who may use the same page."""

    response: object
    client: object
    confirm_url: str
    form: object  # response → the confirm form as the browser would send it
    stranger: object

    @property
    def data(self) -> dict:
        return self.form(self.response)

    def confirm(self, client=None, **changes):
        return (client or self.client).post(self.confirm_url, {**self.data, **changes})


IMPORTERS = ["plan", "table", "indicators", "parks"]


def token_form(response) -> dict:
    return {"confirm": "1", PREVIEW_FIELD: response.context[PREVIEW_FIELD]}


@pytest.fixture
def make_preview(client_for, users, demo, fresh):  # noqa: F811
    """make_preview(name, status=200) → that importer's preview of a good file, as its liaison."""

    def plan() -> Preview:
        from tests.tasks.importing.test_plan_import_pages import SEED_000, confirm_data, url

        client = client_for("yx_liaison")
        response = client.post(url(fresh), {"action": "preview", "text": SEED_000})
        return Preview(response, client, url(fresh), confirm_data, client_for("jj_liaison"))

    def table() -> Preview:
        from cooperation.models import Role, User
        from tests.tasks.importing.test_task_import_pages import confirm_data, sample_upload, url

        client = client_for("wz_liaison")
        response = client.post(url("upload", demo["wz"]), {"file": sample_upload()})
        users["wz_liaison_2"] = User.objects.create_user(
            "wz_liaison_2", password="x-pass-12345", unit=users["wz_liaison"].unit, role=Role.LIAISON
        )
        return Preview(response, client, url("confirm", demo["wz"]), confirm_data, client_for("wz_liaison_2"))

    def indicators() -> Preview:
        from tests.badinput.corpus import xlsx

        sheet = xlsx([["地区", "指标", "年份", "实际值"], ["尤溪县", "常住人口", 2026, 37.5]])
        client = client_for("yx_liaison")
        response = client.post("/indicators/import/", {"file": SimpleUploadedFile("尤溪.xlsx", sheet)})
        return Preview(response, client, "/indicators/import/", token_form, client_for("jj_liaison"))

    def parks() -> Preview:
        from tests.parks.conftest import build_workbook

        client = client_for("wz_liaison")
        response = client.post("/parks/import/", {"file": SimpleUploadedFile("附件1.xlsx", build_workbook())})
        return Preview(response, client, "/parks/import/", token_form, client_for("jj_liaison"))

    def make(name: str, status: int = 200) -> Preview:
        preview = {"plan": plan, "table": table, "indicators": indicators, "parks": parks}[name]()
        assert preview.response.status_code == status, preview.response.content.decode()[-2000:]
        return preview

    return make


def state() -> dict:
    from tests.badinput.conftest import state as rows_and_files

    return rows_and_files()


@pytest.mark.parametrize("name", IMPORTERS)
def test_a_preview_keeps_nothing_on_the_server(name, make_preview):
    before = state()
    preview = make_preview(name)
    assert state() == before  # no row, no history row, no file under MEDIA_ROOT
    assert not [key for key in preview.client.session.keys() if "import" in key]


@pytest.mark.parametrize("name", IMPORTERS)
def test_each_importer_refuses_a_tampered_token_with_the_same_message_and_writes_nothing(name, make_preview):
    preview = make_preview(name)
    token = preview.data[PREVIEW_FIELD]
    for tampered in (token[:-3] + ("abc" if not token.endswith("abc") else "xyz"), token[: len(token) // 2]):
        before = state()
        response = preview.confirm(**{PREVIEW_FIELD: tampered})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="import-errors"' in html and TAMPERED in html
        assert state() == before
    # The preview as it was still confirms: the refusals above were about the token alone.
    assert preview.confirm().status_code == 302


@pytest.mark.parametrize("name", IMPORTERS)
def test_each_importer_refuses_another_users_token_and_writes_nothing(name, make_preview):
    preview = make_preview(name)
    before = state()
    response = preview.confirm(client=preview.stranger)
    assert response.status_code == 400
    message = NOT_YOURS_OR_PAIRING if name in ("plan", "table") else NOT_YOURS
    assert message in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("name", IMPORTERS)
def test_each_importer_refuses_an_expired_token_and_writes_nothing(name, make_preview, monkeypatch):
    preview = make_preview(name)
    later = time.time() + MAX_AGE + 1
    monkeypatch.setattr(time, "time", lambda: later)
    before = state()
    response = preview.confirm()
    assert response.status_code == 400 and EXPIRED in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("name", IMPORTERS)
def test_each_importer_refuses_a_preview_too_large_for_a_browser_form(name, make_preview, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 + 100  # 100 bytes left for the token
    before = state()
    html = make_preview(name, status=400).response.content.decode()
    assert 'id="import-errors"' in html and "超过浏览器确认的上限" in html
    assert PREVIEW_FIELD not in html  # nothing to confirm
    assert state() == before


def test_a_confirm_without_a_preview_goes_back_to_the_upload_page(client_for, demo):
    response = client_for("yx_liaison").post("/indicators/import/", {"confirm": "1"}, follow=True)
    assert response.redirect_chain == [("/indicators/import/", 302)]
    assert "没有待确认的导入，请重新上传文件。" in response.content.decode()
