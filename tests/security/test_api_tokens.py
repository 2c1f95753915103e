"""API tokens expire, are replaced at every login, and stop working when the password changes."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PASSWORD = "shanhai-demo"


def obtain(username: str = "yx_liaison", password: str = PASSWORD) -> str:
    response = Client().post("/api/v1/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def get(token: str, path: str = "/api/v1/pairings/"):
    return Client().get(path, HTTP_AUTHORIZATION=f"Token {token}")


def refused(response) -> bool:
    """The API's refusal of a bad token: 403 under the session-first authentication order (401
    when a client sends no session), with a message and no data."""
    return response.status_code in (401, 403) and set(response.json()) == {"detail"}


def test_a_token_works_until_it_expires(settings, demo):
    token = obtain()
    assert get(token).status_code == 200
    Token.objects.filter(key=token).update(
        created=Token.objects.get(key=token).created
        - datetime.timedelta(seconds=settings.API_TOKEN_MAX_AGE + 1)
    )
    expired = get(token)
    assert refused(expired)
    assert "令牌已过期" in expired.json()["detail"]
    assert not Token.objects.filter(key=token).exists()


def test_the_login_answer_says_when_the_token_expires(settings, demo):
    response = Client().post("/api/v1/auth/token/", {"username": "yx_liaison", "password": PASSWORD})
    expires = datetime.datetime.fromisoformat(response.json()["expires"])
    created = Token.objects.get(key=response.json()["token"]).created
    assert expires - created == datetime.timedelta(seconds=settings.API_TOKEN_MAX_AGE)


def test_a_new_login_replaces_the_token(demo):
    first = obtain()
    second = obtain()
    assert first != second
    assert refused(get(first))
    assert get(second).status_code == 200


def test_a_password_change_on_the_page_ends_the_token(users, demo):
    token = obtain("yx_reporter")
    client = Client()
    client.force_login(users["yx_reporter"])
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "尤溪-换了-密码-2026",
            "new_password2": "尤溪-换了-密码-2026",
        },
    )
    assert response.status_code == 302
    assert refused(get(token))


def test_a_password_set_by_the_administrator_ends_the_token(users, demo):
    token = obtain("yx_reporter")
    user = users["yx_reporter"]
    user.set_password("另一个-足够长的-密码")
    user.save()
    assert refused(get(token))


def test_a_page_login_does_not_end_the_token(users, demo, settings):
    settings.AXES_ENABLED = False
    token = obtain("yx_reporter")
    assert (
        Client().post("/accounts/login/", {"username": "yx_reporter", "password": PASSWORD}).status_code
        == 302
    )
    assert get(token).status_code == 200
