"""What a signed-in user reads, and every API answer, is marked `Cache-Control: private, no-store`:
no shared proxy and no browser disk cache on an office's shared machine keeps it."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    parts = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= parts


@pytest.mark.parametrize(
    "path", ["/pairings/", "/tasks/", "/funds/", "/dashboard/", "/api/v1/pairings/", "/api/docs/"]
)
def test_pages_and_api_answers_of_a_signed_in_user_are_not_stored(client_for, path):
    response = client_for("yx_liaison").get(path)
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_an_api_answer_to_a_token_is_not_stored(users):
    token = Token.objects.create(user=users["yx_liaison"])
    response = Client().get("/api/v1/pairings/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and no_store(response)


def test_the_token_login_answer_is_not_stored(demo):
    response = Client().post("/api/v1/auth/token/", {"username": "yx_liaison", "password": "shanhai-demo"})
    assert response.status_code == 200 and "token" in response.json()
    assert no_store(response)


def test_static_files_keep_their_cache_lifetime(client_for):
    response = client_for("yx_liaison").get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
