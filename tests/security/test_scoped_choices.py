"""Scoped choices everywhere, and one answer for "not yours" and "does not exist" (the Low findings).

Every select of every filter form, page form and browsable-API form lists only what the user may
see; an id outside his scope is refused with the very words of an id that does not exist. The
pages, viewsets and fields are found from the URLs (tests/security/scope.py): a new one is checked
without being named here.
"""

from __future__ import annotations

import re

import pytest
from django import forms
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.request import Request

from cooperation.models import Pairing, PolicyDocument, User
from parks.models import Park
from tasks.models import Task

from .scope import PERSONAS, api_viewsets, filter_pages, model_forms

pytestmark = pytest.mark.django_db


def beyond_scope(field, user) -> list[str]:
    """The choices of a model choice field (form or serializer) the user may not see."""
    queryset = field.queryset
    if queryset is None or not hasattr(queryset.model._default_manager, "visible_to"):
        return []
    visible = queryset.model._default_manager.visible_to(user)
    return [str(obj) for obj in queryset.exclude(pk__in=visible.values("pk"))[:3]]


@pytest.mark.parametrize("url", sorted(filter_pages()))
def test_every_filter_form_of_the_pages_lists_only_what_the_user_sees(client_for, users, finance, url):
    for persona in PERSONAS:
        response = client_for(persona).get(url)
        assert response.status_code == 200, (url, persona)
        form = response.context["filter"].form
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                assert not beyond_scope(field, users[persona]), (
                    url,
                    persona,
                    name,
                    beyond_scope(field, users[persona]),
                )


def filtered_viewsets() -> list[str]:
    """The API endpoints that have a filter form (the others have nothing to narrow)."""
    return sorted(
        name for name, viewset in api_viewsets().items() if getattr(viewset, "filterset_class", None)
    )


@pytest.mark.parametrize("basename", filtered_viewsets())
def test_every_filter_form_of_the_api_lists_only_what_the_user_sees(users, finance, basename):
    """The browsable API's filter form (a Wenzhou liaison was offered Jinjiang's commitments)."""
    filterset_class = api_viewsets()[basename].filterset_class
    model = filterset_class._meta.model
    for persona in PERSONAS:
        request = RequestFactory().get(f"/api/v1/{basename}/")
        request.user = users[persona]
        form = filterset_class({}, queryset=model._default_manager.all(), request=request).form
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                assert not beyond_scope(field, users[persona]), (basename, persona, name)


def _edit_pages() -> dict[str, type]:
    return {
        route: cls for route, cls in model_forms().items() if route.count("<") == 1 and "<int:pk>" in route
    }


@pytest.mark.parametrize("route", sorted(_edit_pages()))
def test_every_select_of_every_page_form_lists_only_what_the_user_sees(client_for, users, finance, route):
    model = _edit_pages()[route].form_class._meta.model
    for persona in PERSONAS:
        row = model._default_manager.manageable_by(users[persona]).order_by("pk").first()
        if row is None:
            continue
        page = client_for(persona).get(route.replace("<int:pk>", str(row.pk)))
        if page.status_code != 200 or "form" not in (page.context or {}):
            continue
        for name, field in page.context["form"].fields.items():
            if isinstance(field, forms.ModelChoiceField):
                assert not beyond_scope(field, users[persona]), (route, persona, name)


def _serializer_fields(serializer):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from ((f"{name}.{inner}", f) for inner, f in _serializer_fields(field))
            continue
        yield name, getattr(field, "child_relation", field)


@pytest.mark.parametrize("basename", sorted(api_viewsets()))
def test_every_browsable_api_form_lists_only_what_the_user_sees(users, finance, basename):
    """The browsable API's HTML form is the viewset's serializer: its relations are the selects."""
    viewset = api_viewsets()[basename]
    for persona in PERSONAS:
        request = Request(RequestFactory().get(f"/api/v1/{basename}/"))
        request.user = users[persona]
        view = viewset(request=request, format_kwarg=None, action="create", kwargs={})
        serializer = view.get_serializer()
        for name, field in _serializer_fields(serializer):
            if isinstance(field, serializers.RelatedField):
                assert not beyond_scope(field, users[persona]), (basename, persona, name)


def test_the_browsable_api_is_off_unless_debug(api_for, settings):
    settings.DEBUG = False
    client = api_for("leader")
    page = client.get("/api/v1/pairings/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status_code == 200 and page["Content-Type"].startswith("application/json")
    assert "<form" not in page.content.decode()
    assert client.get("/api/v1/pairings/", {"format": "api"}).status_code == 404
    settings.DEBUG = True  # a developer's machine
    page = client.get("/api/v1/pairings/", HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("basename", filtered_viewsets())
def test_a_filter_on_another_pairing_reads_like_one_on_an_unknown_id(api_for, demo, basename):
    """?pairing=<a pairing he does not see> answered an empty list, ?pairing=99999 a 400: the
    difference told which ids exist. Both are now the same 400."""
    viewset = api_viewsets()[basename]
    filterset = viewset.filterset_class
    foreign = demo["wz"].pk
    for name, choice in filterset.base_filters.items():
        queryset = getattr(choice, "queryset", None)
        model = getattr(queryset(None) if callable(queryset) else queryset, "model", None)
        if model is not Pairing:
            continue
        client = api_for("yx_liaison")
        other = client.get(f"/api/v1/{basename}/", {name: foreign})
        unknown = client.get(f"/api/v1/{basename}/", {name: 99999})
        assert (other.status_code, other.json()) == (unknown.status_code, unknown.json()), (basename, name)


def test_a_foreign_target_reads_like_an_unknown_one(api_for, edu, users):
    """A value for another pairing's target said "不属于本任务", an unknown id "对象不存在"."""
    from tasks.models import Target

    foreign = Target.objects.exclude(
        task__pairing__in=Pairing.objects.visible_to(users["yx_reporter"])
    ).first()
    period = edu.periods.get(year=2026)
    client = api_for("yx_reporter")

    def send(target_id):
        body = {"period": period.pk, "text": "交流", "values": [{"target": target_id, "value": "1"}]}
        response = client.post("/api/v1/progress-reports/", body, format="json")
        return response.status_code, re.sub(r"\d+", "N", str(response.json()))

    assert send(foreign.pk) == send(99999)
    assert send(foreign.pk)[0] == 400


# --- Documents ---------------------------------------------------------------------------------


@pytest.fixture
def shared_plan(demo):
    """闽西南协同发展区发展规划: ten park pairings; jj_liaison sees one of them (晋江—长汀)."""
    return PolicyDocument.objects.get(title="闽西南协同发展区发展规划")


@pytest.mark.parametrize(
    ("url", "row"),
    [
        ("/api/v1/tasks/{pk}/", lambda demo: Task.objects.filter(pairing=demo["jy"]).first()),
        ("/api/v1/parks/{pk}/", lambda demo: Park.objects.get(pairing=demo["jy"])),
        ("/api/v1/fund-commitments/{pk}/", lambda demo: demo["jy"].fund_commitments.get(year=2026)),
    ],
)
def test_a_row_cannot_cite_a_document_its_pairings_people_do_not_see(api_for, demo, shared_plan, url, row):
    """jj_liaison sees the 闽西南 plan through 晋江—长汀, but Youxi's people do not: a Jinjiang–Youxi
    task, park or commitment citing it would show them its title."""
    obj = row(demo)
    before = obj.document_id
    body = {"document": shared_plan.pk}
    if hasattr(obj, "version"):
        body["version"] = obj.version
    response = api_for("jj_liaison").patch(url.format(pk=obj.pk), body, format="json")
    assert response.status_code == 400, response.content
    assert "document" in response.json()
    obj.refresh_from_db()
    assert obj.document_id == before


def test_the_document_pages_name_only_the_pairings_the_user_sees(client_for, users, shared_plan):
    visible = set(Pairing.objects.visible_to(users["jj_liaison"]).values_list("name", flat=True))
    hidden = set(shared_plan.pairings.exclude(name__in=visible).values_list("name", flat=True))
    assert hidden
    client = client_for("jj_liaison")
    for url in ["/documents/", f"/documents/{shared_plan.pk}/"]:
        page = client.get(url).content.decode()
        assert "晋江市—长汀县" in page
        assert not [name for name in hidden if name in page], url


def test_the_users_of_the_personas_exist(users, finance):
    assert set(PERSONAS) <= set(User.objects.values_list("username", flat=True))
