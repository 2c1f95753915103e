"""The API's description and its docs page are for signed-in users, like the API itself."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_get_neither_the_schema_nor_the_docs(client_for, demo):
    anonymous = client_for(None)
    schema = anonymous.get("/api/schema/")
    assert schema.status_code in (401, 403)
    assert "/api/v1/pairings/" not in schema.content.decode()
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/?next=/api/docs/")


def test_signed_in_users_read_the_schema_by_session_or_token(client_for, users, demo):
    assert "/api/v1/pairings/" in client_for("yx_reporter").get("/api/schema/").content.decode()
    token = Token.objects.get_or_create(user=users["yx_liaison"])[0]
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = by_token.get("/api/schema/")
    assert response.status_code == 200 and "/api/v1/tasks/" in response.content.decode()
    assert "swagger" in client_for("leader").get("/api/docs/").content.decode().lower()
