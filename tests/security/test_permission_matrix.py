"""Every page and API endpoint × role × action → the expected status; a refusal changes nothing.

The table is tests/security/permission_matrix.py. A URL added to the project without an entry there
fails `test_every_url_has_an_entry`, naming it: decide who may do what, then add the entry.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from .matrix import ROLE_HELP, ROLES, Objects, difference, routes, snapshot
from .permission_matrix import EXCLUDED, MATRIX

pytestmark = pytest.mark.django_db


def _excluded(name: str) -> bool:
    return name in EXCLUDED or name.split(":", 1)[0] in EXCLUDED and ":" in name


CASES = [
    pytest.param(name, action, role, id=f"{name}|{action}|{role}")
    for name, entry in MATRIX.items()
    for action in entry.actions
    for role in ROLES
]


def test_every_url_has_an_entry():
    missing = sorted(
        {f"{r.name}  ({r.pattern})" for r in routes() if r.name not in MATRIX and not _excluded(r.name)}
    )
    assert not missing, (
        "URLs without an entry in tests/security/permission_matrix.py (add who may do what):\n  "
        + "\n  ".join(missing)
    )


def test_every_entry_names_an_existing_url():
    names = {r.name for r in routes()}
    gone = sorted(set(MATRIX) - names)
    assert not gone, f"entries whose URL no longer exists (remove or rename them): {gone}"
    stale = sorted(
        name for name in EXCLUDED if name not in names and not any(n.startswith(name + ":") for n in names)
    )
    assert not stale, f"exclusions that match no URL: {stale}"


def test_every_action_has_one_status_per_role():
    for name, entry in MATRIX.items():
        for action, act in entry.actions.items():
            assert set(act.statuses) == set(ROLES), f"{name} {action}"


def _client(role: str, objects: Objects) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_login(objects.user(role))
    return client


def _send(client: APIClient, method: str, url: str, data: dict, act) -> object:
    if method == "GET":
        return client.get(url, act.query or {})
    call = getattr(client, method.lower())
    if act.json:
        return call(url, data, format="json")
    if method == "POST":
        return call(url, data)  # multipart, as a browser's form (files included)
    return call(url, data, format="multipart")


@pytest.mark.parametrize(("name", "action", "role"), CASES)
def test_permission(demo, name, action, role):
    entry = MATRIX[name]
    act = entry.actions[action]
    objects = Objects()
    objects.role = role
    kwargs = (act.kwargs or entry.kwargs or (lambda o: {}))(objects)
    url = reverse(name, kwargs=kwargs)
    data = act.data(objects) if act.data else {}
    client = _client(role, objects)
    before = snapshot(objects, entry.target)
    response = _send(client, act.method, url, data, act)
    after = snapshot(objects, entry.target)
    status, refused = act.statuses[role]
    where = f"{name} × {role} × {action}: {act.method} {url}"
    assert response.status_code == status, (
        f"{where} answered {response.status_code}, expected {status}\n({ROLE_HELP})\n"
        + response.content.decode(errors="replace")[:600]
    )
    if refused:
        assert before == after, f"{where} was refused ({status}) but changed: {difference(before, after)}"
    elif act.must_change:
        assert before != after, f"{where} succeeded ({status}) but changed nothing: is the test's data valid?"


# --- Django admin: staff only ----------------------------------------------------------------


def _admin_urls(superuser):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = superuser
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):  # e.g. axes' logs cannot be added by hand
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
    for label in {m._meta.app_label for m in admin.site._registry}:
        urls.append(reverse("admin:app_list", kwargs={"app_label": label}))
    return urls


def test_admin_is_staff_only(demo):
    """Every admin page: anonymous and signed-in non-staff users go to the admin login; the superuser
    opens them (the change pages of each model's first row included)."""
    objects = Objects()
    urls = _admin_urls(objects.user("admin"))
    assert len(urls) > 40
    wrong = []
    for role in ("anonymous", "yx_liaison", "leader"):
        client = _client(role, objects)
        for url in urls:
            response = client.get(url)
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                wrong.append(f"{role} GET {url} → {response.status_code}")
    admin_client = _client("admin", objects)
    for url in urls:
        response = admin_client.get(url)
        if response.status_code != 200:
            wrong.append(f"admin GET {url} → {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_admin_refuses_a_non_staff_post_and_changes_nothing(demo):
    objects = Objects()
    url = reverse("admin:cooperation_pairing_change", args=[objects.jy.pk])
    before = snapshot(objects, "jy")
    response = _client("yx_liaison", objects).post(url, {"name": "改名", "notes": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert snapshot(objects, "jy") == before
