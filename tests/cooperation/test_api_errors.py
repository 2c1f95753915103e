"""What the API answers a request it cannot read: a clear message in the user's language, nothing changed."""

from __future__ import annotations

import pytest
from django.utils import translation

from cooperation.models import Activity

pytestmark = pytest.mark.django_db

BROKEN = '{"pairing": 1, "kind": "training", "title": "电商人才培训班",}'  # a trailing comma


def post_broken(client, **headers):
    return client.post("/api/v1/activities/", BROKEN, content_type="application/json", **headers)


def test_malformed_json_is_answered_in_chinese_and_changes_nothing(client_for, demo):
    before = Activity.objects.count()
    response = post_broken(client_for("yx_liaison"))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail == "请求内容不是有效的 JSON（第 1 行第 55 列附近有误），未做任何修改。"
    assert "JSON parse error" not in detail
    assert Activity.objects.count() == before


def test_malformed_json_follows_the_requests_language(client_for, demo):
    response = post_broken(client_for("yx_liaison"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    detail = response.json()["detail"]
    # The message goes through the English catalogue (the lead's translation), not DRF's raw text.
    with translation.override("en"):
        expected = translation.gettext(
            "请求内容不是有效的 JSON（第 %(line)d 行第 %(column)d 列附近有误），未做任何修改。"
        )
    assert detail == expected % {"line": 1, "column": 55}
    assert "parse error" not in detail


def test_a_body_that_is_not_json_at_all_gets_the_same_clear_answer(api_for, demo):
    response = api_for("yx_liaison").generic(
        "PATCH", f"/api/v1/pairings/{demo['jy'].pk}/", "notes=改", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("请求内容不是有效的 JSON")
    demo["jy"].refresh_from_db()
    assert demo["jy"].notes != "改"
