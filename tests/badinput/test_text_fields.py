"""User text in every text field of every write path (writes.py): script is shown escaped and never
as a tag; a string over max_length and a NUL byte get a clear 4xx and change nothing.

On PostgreSQL an overlong string or a NUL byte that reached the database would be a DataError
(a 500): these tests are the ones to run there (DATABASE_URL=postgres://…).
"""

from __future__ import annotations

import json

import pytest

from .corpus import NUL
from .writes import WRITES, Ctx

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(demo, users, client_for, api_for):
    from cooperation.models import User

    users["jj_finance"] = User.objects.get(username="jj_finance")
    return Ctx(demo, users, client_for, api_for)


def payload(name: str, limit: int | None) -> str:
    """A script tag naming its field; a short tag where the field is short."""
    text = f'<script>alert("{name}")</script>'
    return text if limit is None or len(text) <= limit else f"<b id={name}>"[:limit]


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def outcome(ctx, response) -> tuple[bool, str]:
    """(accepted?, what the user reads): the JSON, the re-shown form, or the message after a redirect."""
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        ok = response.status_code in (200, 201) and not (isinstance(body, dict) and body.get("ok") is False)
        return ok, json.dumps(body, ensure_ascii=False)
    if response.status_code == 302:
        # Action forms without JavaScript redirect back and show a refusal as an error message there.
        page = ctx.last_client.get(response["Location"]).content.decode()
        return 'class="msg-error"' not in page, page
    page = response.content.decode()
    if response.status_code == 200:
        # A page re-shown with its form's errors (Django's convention for an invalid form).
        return 'class="error"' not in page, page
    return False, page


def _cases(kind: str):
    for write in WRITES:
        for name, limit in write.fields.items():
            if kind == "overlong" and limit is None:
                continue
            yield pytest.param(write, name, limit, id=f"{write.id}-{name}")


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.id)
def test_script_in_every_text_field_is_stored_as_text_and_shown_escaped(ctx, write):
    values = {name: payload(name, limit) for name, limit in write.fields.items()}
    response = write.send(ctx, values)
    ok, text = outcome(ctx, response)
    assert ok, (response.status_code, text[:1500])
    ctx.refresh()
    for name, where in write.shown.items():
        persona, url = where(ctx)
        page = ctx.client_for(persona).get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert escaped(values[name]) in html, (name, url)
        assert values[name] not in html, (name, url)  # never a live tag


@pytest.mark.parametrize("write, name, limit", list(_cases("overlong")))
def test_a_string_over_max_length_is_a_clear_refusal(ctx, unchanged, write, name, limit):
    with unchanged():
        response = write.send(ctx, {name: "长" * (limit + 1)})
    assert response.status_code < 500
    ok, text = outcome(ctx, response)
    assert not ok, f"{write.id}.{name}: {limit + 1} characters were accepted"
    assert str(limit) in text and "字" in text, text[:1500]


@pytest.mark.parametrize("write, name, limit", list(_cases("nul")))
def test_a_nul_byte_is_a_clear_refusal(ctx, unchanged, write, name, limit):
    with unchanged():
        response = write.send(ctx, {name: NUL})
    assert response.status_code < 500
    ok, text = outcome(ctx, response)
    assert not ok, f"{write.id}.{name}: a NUL byte was accepted"
    # Django's own catalogue says “不允许是用空字符串” (a typo, and an empty string is not a NUL
    # character): the project's zh_Hans catalogue corrects it.
    assert "空字符" in text and "是用" not in text and "空字符串" not in text, text[:1500]
