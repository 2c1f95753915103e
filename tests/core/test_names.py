"""Names that look alike are refused: zero-width characters and bidirectional controls never enter a
name, title or other single-line text — on the API, the pages and the admin alike (core/text.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from core.discovery import PROJECT_APPS
from core.text import hidden_character, validate_name

pytestmark = pytest.mark.django_db

HIDDEN = {
    "zero-width space": "晋江市\u200b教育局",
    "zero-width joiner": "晋江市\u200d教育局",
    "byte order mark": "\ufeff晋江市教育局",
    "right-to-left override": "晋江市\u202e局育教",
    "right-to-left isolate": "晋江市\u2067教育局\u2069",
    "left-to-right mark": "晋江市\u200e教育局",
    "hangul filler": "晋江市\u3164教育局",
}


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_characters_are_found(name):
    assert hidden_character(name) is not None


def test_ordinary_chinese_names_pass():
    for name in [
        "晋江市—尤溪县山海协作",
        "晋江（长汀）工业园区",
        "晋政文〔2024〕102号",
        "推动教育医疗合作 · 2025",
    ]:
        assert hidden_character(name) is None


def api(users) -> Client:
    client = Client()
    client.force_login(users["admin"])
    return client


@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_the_api_refuses_a_unit_name_with_hidden_characters(users, name):
    from cooperation.models import Unit

    unit = Unit.objects.get(name="晋江市教育局")
    response = api(users).patch(f"/api/v1/units/{unit.pk}/", {"name": name}, content_type="application/json")
    assert response.status_code == 400
    assert "看不见的字符" in response.json()["name"][0]
    unit.refresh_from_db()
    assert unit.name == "晋江市教育局"


def test_the_api_refuses_a_task_title_and_a_pairing_name_with_bidi_controls(users, demo):
    from tasks.models import Task

    client = api(users)
    task = Task.objects.filter(pairing=demo["jy"]).first()
    response = client.patch(
        f"/api/v1/tasks/{task.pk}/",
        {"title": "推动\u202e作合疗医育教", "version": task.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "title" in response.json()
    response = client.patch(
        f"/api/v1/pairings/{demo['jy'].pk}/",
        {"name": "晋江市—尤溪县\u200b山海协作"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "name" in response.json()


def test_an_activity_with_a_zero_width_title_is_refused(users, demo):
    from cooperation.models import Activity

    client = Client()
    client.force_login(users["jj_liaison"])
    before = Activity.objects.count()
    response = client.post(
        "/api/v1/activities/",
        {"pairing": demo["jy"].pk, "kind": "visit", "title": "考察\u200b交流", "date": "2025-05-06"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "title" in response.json()
    assert Activity.objects.count() == before


def test_the_pairing_page_refuses_a_name_with_hidden_characters(users, demo):
    jy = demo["jy"]
    client = api(users)
    form = client.get(f"/pairings/{jy.pk}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name="晋江市—尤溪县\u2066山海协作")
    response = client.post(f"/pairings/{jy.pk}/edit/", data)
    assert response.status_code == 200 and "看不见的字符" in response.content.decode()
    jy.refresh_from_db()
    assert jy.name == "晋江市—尤溪县山海协作"


def test_every_single_line_text_of_every_model_is_guarded():
    """A new model or field joins by itself: every CharField of the project's models has the check."""
    unguarded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical")
        for field in model._meta.local_fields
        if isinstance(field, models.CharField) and not field.choices and validate_name not in field.validators
    ]
    assert unguarded == []
