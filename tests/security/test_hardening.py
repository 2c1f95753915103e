"""Hardened settings as a user's browser meets them: the security headers, escaped user text,
password rules. (Production-only settings and `check --deploy`: tests/test_settings.py.)"""

from __future__ import annotations

import django
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
needs_csp = pytest.mark.skipif(django.VERSION < (6, 0), reason="Django 5.2 has no built-in CSP")


def _directives(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


@needs_csp
@pytest.mark.parametrize("path", ["/accounts/login/", "/pairings/", "/api/v1/pairings/", "/api/docs/"])
def test_every_response_carries_the_content_security_policy(client_for, path):
    response = client_for("yx_liaison").get(path)
    assert response.status_code == 200
    policy = _directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


def test_pages_refuse_framing_and_sniffing(client_for):
    response = client_for("yx_liaison").get("/pairings/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_http_only_and_lasts_a_working_day(client):
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "yx_liaison", "password": "shanhai-demo"})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 9 * 3600


@pytest.mark.parametrize(
    "password",
    ["shanhai1", "12345678901", "password123", "yx_liaison2025"],
    ids=["short", "numeric", "common", "like-the-user-name"],
)
def test_weak_passwords_are_refused(users, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=users["yx_liaison"])


def test_a_long_unusual_password_is_accepted(users):
    validate_password("尤溪-山海-协作-2026-qz", user=users["yx_liaison"])


def test_html_and_script_in_text_fields_are_shown_as_text(client_for, demo):
    """A task title, unit name, pairing name and report text holding markup never become markup.

    (The full bad-input corpus is tests/badinput/; this is the escaping check of the hardening issue.)
    """
    from cooperation.models import Pairing, Unit
    from tasks import services
    from tasks.models import ProgressReport, Task

    jy = demo["jy"]
    task = Task.objects.get(pairing=jy, title="推动教育医疗合作")
    Task.objects.filter(pk=task.pk).update(title=f"推动教育医疗合作{XSS}")
    Unit.objects.filter(name="尤溪县教育局").update(name=f"尤溪县教育局{XSS}")
    Pairing.objects.filter(pk=jy.pk).update(name=f"晋江市—尤溪县山海协作{XSS}")
    report = ProgressReport.objects.get(period__task=task, status=ProgressReport.Status.RETURNED)
    services.save_report(report.period, report.created_by, report=report, text=f"两地教师交流{XSS}")
    client = client_for("yx_liaison")
    pages = {
        f"/pairings/{jy.pk}/": 1,
        "/pairings/": 1,
        f"/tasks/{task.pk}/": 3,  # title, unit, report text
        "/tasks/": 2,
        f"/tasks/plan/{jy.pk}/": 2,
        "/tasks/mine/": 0,
        "/funds/": 1,
        "/rounds/1/": 1,
    }
    for path, at_least in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert XSS not in html, f"{path} renders user text as markup"
        assert html.count(ESCAPED) >= at_least, f"{path}: expected the escaped text {at_least}× or more"
    api = client_for("yx_liaison").get(f"/api/v1/tasks/{task.pk}/")
    assert api.json()["title"].endswith(XSS) and api.headers["Content-Type"] == "application/json"
