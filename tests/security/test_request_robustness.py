"""Requests shaped to break the server get an answer, not a 500: deeply nested JSON, writes to a URL
without its trailing slash (under DEBUG too)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_a_json_body_nested_five_thousand_levels_deep_is_a_400_on_the_token_login(demo):
    response = Client().post("/api/v1/auth/token/", nested(5000), content_type="application/json")
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["detail"]


def test_a_json_body_nested_deeper_than_the_limit_is_refused_and_changes_nothing(demo, users):
    from cooperation.models import Activity

    client = Client()
    client.force_login(users["jj_liaison"])
    before = Activity.objects.count()
    body = json.dumps({"pairing": demo["jy"].pk, "title": "x", "notes": json.loads(nested(40))})
    response = client.post("/api/v1/activities/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套过深" in response.json()["detail"]
    assert Activity.objects.count() == before


def test_ordinary_nesting_still_parses(demo, users):
    client = Client()
    client.force_login(users["jj_liaison"])
    body = json.dumps({"username": "x", "password": {"a": [[{"b": [1]}]]}})
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400 and "嵌套过深" not in response.content.decode()


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "no-debug"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_a_url_without_its_trailing_slash_is_a_404(settings, demo, users, debug, method):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.force_login(users["jj_liaison"])
    response = getattr(client, method)("/api/v1/activities", "{}", content_type="application/json")
    assert response.status_code == 404
    page = getattr(client, method)("/pairings", "{}", content_type="application/json")
    assert page.status_code == 404


def test_a_read_of_a_url_without_its_trailing_slash_is_still_redirected(settings, demo, users):
    settings.DEBUG = True
    client = Client()
    client.force_login(users["jj_liaison"])
    response = client.get("/pairings")
    assert response.status_code == 301 and response["Location"] == "/pairings/"
