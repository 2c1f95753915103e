"""Login throttling: a user name is locked, from the address that failed, after repeated failures —
for pages and the API alike; strangers elsewhere cannot lock a known user out."""

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


def test_a_stranger_failing_from_elsewhere_cannot_lock_a_known_user_out(throttled):
    stranger = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        login(stranger, "yx_reporter", "wrong")
    assert login(Client(REMOTE_ADDR="10.1.2.3"), "yx_reporter", "shanhai-demo").status_code == 302
    api = Client(REMOTE_ADDR="10.1.2.4").post(
        "/api/v1/auth/token/", {"username": "yx_reporter", "password": "shanhai-demo"}
    )
    assert api.status_code == 200 and "token" in api.json()


def test_the_guesser_stays_locked_out_of_that_user_even_with_the_right_password(throttled):
    stranger = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(3):
        login(stranger, "yx_reporter", "wrong")
    assert login(stranger, "yx_reporter", "shanhai-demo").status_code == 429


def test_behind_the_proxy_the_forwarded_client_address_counts_and_cannot_be_spoofed(throttled, settings):
    """nginx appends the client's address to X-Forwarded-For; what the client wrote before it is ignored."""
    settings.PROXY_COUNT = 1
    for fake in ["1.1.1.1", "2.2.2.2", "3.3.3.3"]:  # a new made-up address at every try
        login(
            Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{fake}, 10.9.9.9"), "yx_reporter", "wrong"
        )
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="4.4.4.4, 10.9.9.9")
    assert login(guesser, "yx_reporter", "shanhai-demo").status_code == 429
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert login(owner, "yx_reporter", "shanhai-demo").status_code == 302
