"""Login throttling: a user name is locked after repeated failures, for pages and the API alike."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttled(settings, demo):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_user_name_is_locked_after_repeated_failures_even_with_the_right_password(throttled):
    client = Client()
    for _ in range(2):
        assert login(client, "yx_reporter", "wrong").status_code == 200
    assert login(client, "yx_reporter", "wrong").status_code == 429  # the limit is reached
    locked = login(client, "yx_reporter", "shanhai-demo")
    assert locked.status_code == 429
    assert "已被暂时锁定" in locked.content.decode()


def test_the_lock_is_per_user_name_not_per_office_address(throttled):
    client = Client(REMOTE_ADDR="10.1.2.3")  # the whole county office behind one address
    for _ in range(3):
        login(client, "yx_reporter", "wrong")
    colleague = login(Client(REMOTE_ADDR="10.1.2.3"), "jj_reporter", "shanhai-demo")
    assert colleague.status_code == 302


def test_success_before_the_limit_resets_the_count(throttled):
    client = Client()
    login(client, "leader", "wrong")
    login(client, "leader", "wrong")
    assert login(client, "leader", "shanhai-demo").status_code == 302
    other = Client()
    login(other, "leader", "wrong")
    login(other, "leader", "wrong")
    assert login(other, "leader", "shanhai-demo").status_code == 302


def test_the_api_token_login_is_throttled_too(throttled):
    client = Client()
    for _ in range(2):
        response = client.post("/api/v1/auth/token/", {"username": "yx_liaison", "password": "wrong"})
        assert response.status_code == 400
    client.post("/api/v1/auth/token/", {"username": "yx_liaison", "password": "wrong"})
    locked = client.post("/api/v1/auth/token/", {"username": "yx_liaison", "password": "shanhai-demo"})
    assert locked.status_code == 429
    assert "已被暂时锁定" in locked.json()["detail"] and "token" not in locked.json()
