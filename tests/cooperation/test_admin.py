"""The admin: every model is there, searchable and filterable, in Chinese, for superusers only."""

from __future__ import annotations

import pytest
from django.contrib import admin

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Unit, User

pytestmark = pytest.mark.django_db

MODELS = [Region, Unit, User, Pairing, PolicyDocument, Activity]


def changelist(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_every_cooperation_model_is_registered_with_search():
    for model in MODELS:
        assert model in admin.site._registry, model
        assert admin.site._registry[model].search_fields, model


def test_superuser_searches_each_changelist(client_for, demo):
    client = client_for("admin")
    for model, term, expected in [
        (Region, "350426", "尤溪县"),
        (Unit, "发改", "尤溪县发展和改革局"),
        (User, "yx_", "yx_reporter"),
        (Pairing, "永嘉", "瓯海区—永嘉县"),
        (PolicyDocument, "102号", "晋政文〔2024〕102号"),
        (Activity, "联席会议", "晋江—尤溪山海协作党政联席会议"),
    ]:
        page = client.get(changelist(model), {"q": term})
        assert page.status_code == 200, model
        assert expected in page.content.decode(), model


def test_admin_speaks_chinese(client_for, demo):
    page = client_for("admin").get("/admin/").content.decode()
    assert "结对关系" in page and "行政区划" in page and "山海协作工作台" in page


def test_staff_pages_are_closed_to_everybody_else(client_for, demo):
    for persona in ("jj_liaison", "yx_reporter", "leader"):
        response = client_for(persona).get(changelist(Pairing))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], persona
