"""The scope invariant: no write widens anybody's reach, nor points at what its writer cannot see.

Generated from the API's serializers and the pages' model forms (tests/security/scope.py): every
writable field of every endpoint and page form, written by every demo persona, with values that
matter — objects the writer cannot see, other objects he can, every choice of a choice field. For
each write that is accepted, every persona's reach (pairings seen and managed, units managed,
commitments payable and confirmable, periods reportable, and the written model's rows seen and
managed) is computed again and compared with the reach before: nothing may be added. The objects
the written row points at must be ones its writer could see. Each write is rolled back.

A new endpoint, page form or field joins by itself; a relation this file does not know how to fill
fails `test_every_writable_field_is_exercised`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.db import models, transaction
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from cooperation.models import Pairing, Unit
from cooperation.scoping import ScopedQuerySet
from funds.models import FundCommitment
from tasks.models import TaskPeriod

from .scope import PERSONAS, api_viewsets, model_forms

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Django 6.1 renamed it; 5.2 (Python 3.11) has only the old name.
SAVEPOINT = getattr(transaction, "savepoint_create", transaction.savepoint)

# Widening that is the writer's job, each with its reason.
ALLOWED = {
    # A liaison assigns a task of his pairing to a unit: its reporters then report on it.
    ("tasks", "responsible_units"): {"periods reportable"},
    ("tasks", "responsible_units.unit"): {"periods reportable"},
}
# Fields that name no object and choose no state: free text, numbers, dates (nothing to point at).
SCALARS = (
    serializers.CharField,
    serializers.IntegerField,
    serializers.DecimalField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.FileField,
    serializers.FloatField,
    serializers.URLField,
)
FORM_SCALARS = (
    forms.CharField,
    forms.IntegerField,
    forms.DecimalField,
    forms.DateField,
    forms.FileField,
    forms.FloatField,
)


def reach(user, model) -> dict[str, frozenset]:
    sets = {
        "pairings seen": Pairing.objects.visible_to(user),
        "pairings managed": Pairing.objects.manageable_by(user),
        "units managed": Unit.objects.manageable_by(user),
        "commitments payable": FundCommitment.objects.payable_by(user),
        "commitments confirmable": FundCommitment.objects.confirmable_by(user),
        "periods reportable": TaskPeriod.objects.manageable_by(user),
    }
    manager = model._default_manager
    if hasattr(manager, "visible_to") and model not in (Pairing, Unit):
        sets[f"{model._meta.label} seen"] = manager.visible_to(user)
        sets[f"{model._meta.label} managed"] = manager.manageable_by(user)
    return {name: frozenset(qs.values_list("pk", flat=True)) for name, qs in sets.items()}


REACH_MODELS = {
    "pairings seen": Pairing,
    "pairings managed": Pairing,
    "units managed": Unit,
    "commitments payable": FundCommitment,
    "commitments confirmable": FundCommitment,
    "periods reportable": TaskPeriod,
}


def everybody(users, model) -> dict[str, dict[str, frozenset]]:
    return {name: reach(users[name], model) for name in PERSONAS}


def candidates(related_model, user, current) -> list:
    """Objects worth pointing at: one the writer cannot see, one other he can (both, when the model
    has no scope: reference data such as regions and units)."""
    rows = related_model._default_manager.all()
    out = []
    manager = related_model._default_manager
    if isinstance(manager.all(), ScopedQuerySet) or hasattr(manager, "visible_to"):
        visible = manager.visible_to(user)
        out += list(rows.exclude(pk__in=visible.values("pk")).order_by("-pk")[:1])
        out += list(visible.exclude(pk__in=[c for c in current if c]).order_by("pk")[:1])
    else:
        out += list(rows.exclude(pk__in=[c for c in current if c]).order_by("pk")[:2])
    return out


def pointed_at(obj) -> list[tuple[str, models.Model]]:
    """The objects a row names through its foreign keys and many-to-many fields."""
    found = []
    for field in obj._meta.get_fields():
        if field.many_to_one and field.concrete:
            target = getattr(obj, field.name)
            if target is not None:
                found.append((field.name, target))
        elif field.many_to_many and field.concrete:
            found += [(field.name, target) for target in getattr(obj, field.name).all()]
    return found


def hidden_targets(obj, user, seen_before) -> list[str]:
    """Objects the row points at that its writer could not see before the write."""
    bad = []
    for name, target in pointed_at(obj):
        manager = type(target)._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        key = type(target)._meta.label
        if key not in seen_before:
            seen_before[key] = frozenset(manager.visible_to(user).values_list("pk", flat=True))
        if target.pk not in seen_before[key]:
            bad.append(f"{name}={target}")
    return bad


def widened(before, after, allowed: set[str]) -> list[str]:
    problems = []
    for persona, sets in after.items():
        for name, ids in sets.items():
            gained = ids - before[persona][name]
            if gained and name not in allowed:
                problems.append(f"{persona}: {name} +{sorted(gained)[:5]}")
    return problems


class Probe:
    """Runs writes in savepoints and records what an accepted write did to everybody's reach."""

    def __init__(self, users):
        self.users = users
        self.failures: list[str] = []
        self.exercised: set[tuple[str, str]] = set()
        self.accepted = 0
        self.before: dict = {}
        self._existing: dict = {}
        self.made = 0

    def attempt(self, where, field_key, model, writer, send, allowed=frozenset(), find=None, creates=False):
        # Every write is rolled back: the reach before is the same for all writes to one model.
        if model not in self.before:
            self.before[model] = (
                everybody(self.users, model),
                frozenset(model._default_manager.values_list("pk", flat=True)),
            )
        before, existing = self.before[model]
        seen = {}
        sid = SAVEPOINT()
        try:
            response = send()
            if (
                response.status_code < 400
                and response.status_code != 302
                or (response.status_code == 302 and "login" not in response.get("Location", ""))
            ):
                self.accepted += 1
                after = everybody(self.users, model)
                # New rows are not a widening of the reach over existing ones (a new task's periods
                # are reportable by its units: the reach over what existed must not grow).
                for sets in after.values():
                    for name in list(sets):
                        if name.startswith(model._meta.label):
                            sets[name] = sets[name] & existing
                        elif creates:
                            sets[name] = sets[name] & self.existing_of(name)
                problems = widened(before, after, allowed)
                row = find() if find else None
                if row is not None:
                    problems += [f"points at {t}" for t in hidden_targets(row, writer, seen)]
                    manager = model._default_manager
                    if creates and hasattr(manager, "manageable_by"):
                        if not manager.manageable_by(writer).filter(pk=row.pk).exists():
                            problems.append(f"made {model._meta.label} #{row.pk}, which he cannot manage")
                if problems:
                    self.failures.append(f"{where} {field_key} as {writer.username}: {'; '.join(problems)}")
        finally:
            transaction.savepoint_rollback(sid)

    def existing_of(self, name: str) -> frozenset:
        """The rows that existed before any write, of the model a reach set counts."""
        if name not in self._existing:
            model = REACH_MODELS[name]
            self._existing[name] = frozenset(model._default_manager.values_list("pk", flat=True))
        return self._existing[name]


# --- The API ------------------------------------------------------------------------------------


def writable(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only or name == "version":
            continue
        key = f"{prefix}{name}"
        if isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.Serializer):
            yield key, field
            yield from writable(field.child, f"{key}.")
        else:
            yield key, field


def api_values(field, user, current):
    """Values to send for one field (None: nothing that can point anywhere or choose a state)."""
    if isinstance(field, serializers.ManyRelatedField):
        model = field.child_relation.queryset.model
        return [[obj.pk] for obj in candidates(model, user, current or [])]
    if isinstance(field, serializers.RelatedField):
        return [obj.pk for obj in candidates(field.queryset.model, user, [current])]
    if isinstance(field, serializers.ChoiceField):
        return list(field.choices)
    if isinstance(field, serializers.BooleanField):
        return [True, False]
    if isinstance(field, serializers.ListSerializer):
        child = field.child
        rows = []
        for name, inner in child.fields.items():
            if isinstance(inner, serializers.RelatedField) and not inner.read_only:
                for obj in candidates(inner.queryset.model, user, []):
                    row = {name: obj.pk}
                    for other, f in child.fields.items():
                        if other != name and not f.read_only and f.required:
                            row[other] = "1"
                    rows.append([row])
        return rows
    if isinstance(field, SCALARS):
        return None
    raise AssertionError(f"the invariant test does not know how to fill {type(field).__name__}")


def serializer_for(viewset, user, instance=None):
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    view = viewset(request=request, format_kwarg=None, action="partial_update", kwargs={})
    return view.get_serializer(instance) if instance is not None else view.get_serializer()


def updatable_viewsets() -> list[str]:
    """The API endpoints that take a PATCH (the read-only ones write nothing)."""
    return sorted(
        name
        for name, viewset in api_viewsets().items()
        if "patch" in getattr(viewset, "http_method_names", ["patch"]) and hasattr(viewset, "partial_update")
    )


@pytest.mark.parametrize("basename", updatable_viewsets())
def test_no_api_write_widens_anybodys_reach(users, finance, demo, basename):
    viewset = api_viewsets()[basename]
    probe = Probe(users)
    model = viewset.queryset.model
    for persona in PERSONAS:
        writer = users[persona]
        row = (
            model._default_manager.manageable_by(writer).order_by("pk").first()
            or model._default_manager.visible_to(writer).order_by("pk").first()
        )
        if row is None:
            continue
        client = APIClient()
        client.force_authenticate(writer)
        for key, field in writable(serializer_for(viewset, writer, row)):
            probe.exercised.add((basename, key))
            current = getattr(row, field.source, None) if field.source and "." not in key else None
            if hasattr(current, "all"):
                current = list(current.values_list("pk", flat=True))
            else:
                current = getattr(current, "pk", current)
            values = api_values(field, writer, current)
            for value in values or []:
                row.refresh_from_db()
                body = {key.split(".")[0]: value}
                if hasattr(row, "version"):
                    body["version"] = row.version

                def send(body=body, client=client, url=f"/api/v1/{basename}/{row.pk}/"):
                    return client.patch(url, body, format="json")

                probe.attempt(
                    f"PATCH {basename}",
                    key,
                    model,
                    writer,
                    send,
                    allowed=ALLOWED.get((basename, key), set()),
                    find=lambda pk=row.pk: model._default_manager.filter(pk=pk).first(),
                )
    assert not probe.failures, "\n".join(probe.failures)


# --- The pages ------------------------------------------------------------------------------------


def form_data(form) -> dict:
    data = {}
    for name, bound in (
        form._bound_items() if hasattr(form, "_bound_items") else ((n, form[n]) for n in form.fields)
    ):
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, (datetime.date, Decimal, int)):
            data[name] = str(value)
        else:
            data[name] = str(getattr(value, "pk", value))
    return data


def form_values(field, user, current):
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [[str(obj.pk)] for obj in candidates(field.queryset.model, user, current or [])]
    if isinstance(field, forms.ModelChoiceField):
        return [str(obj.pk) for obj in candidates(field.queryset.model, user, [current])]
    if isinstance(field, forms.ChoiceField):
        return [str(value) for value, _label in field.choices if value != ""]
    if isinstance(field, forms.BooleanField):
        return ["on", None]
    if isinstance(field, FORM_SCALARS):
        return None
    raise AssertionError(f"the invariant test does not know how to fill {type(field).__name__}")


def update_pages() -> dict[str, type]:
    """Page forms that change one existing row: a route with <int:pk> of the form's own model."""
    return {
        route: cls
        for route, cls in model_forms().items()
        if route.count("<") == 1 and "<int:pk>" in route and not route.endswith("/new/")
    }


@pytest.mark.parametrize("route", sorted(update_pages()))
def test_no_page_form_widens_anybodys_reach(users, finance, demo, client_for, route):
    cls = update_pages()[route]
    model = cls.form_class._meta.model
    probe = Probe(users)
    for persona in PERSONAS:
        writer = users[persona]
        row = (
            model._default_manager.manageable_by(writer).order_by("pk").first()
            if hasattr(model._default_manager, "manageable_by")
            else None
        )
        if row is None:
            continue
        url = route.replace("<int:pk>", str(row.pk))
        client = client_for(persona)
        page = client.get(url)
        if page.status_code != 200 or "form" not in (page.context or {}):
            continue
        form = page.context["form"]
        post_each_value(
            probe,
            route,
            form,
            form_data(form),
            writer,
            client,
            url,
            find=lambda pk=row.pk: model._default_manager.filter(pk=pk).first(),
        )
    assert not probe.failures, "\n".join(probe.failures)


def post_each_value(probe, route, form, base, writer, client, url, find, creates=False) -> None:
    """POST the form once for every value that matters of every field, the rest as in `base`."""
    model = form._meta.model
    for name, field in form.fields.items():
        probe.exercised.add((route, name))
        for value in form_values(field, writer, form[name].value()) or []:
            data = dict(base)
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value

            def send(data=data, client=client, url=url):
                return client.post(url, data)

            probe.attempt(f"POST {route}", name, model, writer, send, find=find, creates=creates)


def create_pages() -> dict[str, type]:
    """Page forms that make a new row (a route ending in new/), with the model of the row the route
    names (the pairing or commitment it is made in), if any."""
    return {route: cls for route, cls in model_forms().items() if route.endswith("/new/")}


# The row a create route names in its URL: the pairing a task or activity is made in, the commitment
# a fund-use project belongs to. A new create route with a parameter fails until it is listed here.
CREATE_PARENTS = {
    "/pairings/<int:pairing_pk>/activities/new/": ("<int:pairing_pk>", Pairing),
    "/tasks/plan/<int:pairing_pk>/new/": ("<int:pairing_pk>", Pairing),
    "/funds/<int:pk>/use-projects/new/": ("<int:pk>", FundCommitment),
}


def filled(form, user) -> dict:
    """A valid-looking POST of a blank create form: every required field given a plain value."""
    data = form_data(form)
    for name, field in form.fields.items():
        if name in data or not field.required:
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            visible = candidates(field.queryset.model, user, [])[-1:]
            data[name] = [str(obj.pk) for obj in visible]
        elif isinstance(field, forms.ModelChoiceField):
            data[name] = str(field.queryset.order_by("pk").values_list("pk", flat=True).first() or "")
        elif isinstance(field, forms.ChoiceField):
            data[name] = next((str(v) for v, _label in field.choices if v != ""), "")
        elif isinstance(field, forms.DateField):
            data[name] = "2026-06-01"
        elif isinstance(field, forms.IntegerField):
            data[name] = "2026" if "year" in name else "1"
        elif isinstance(field, forms.DecimalField):
            data[name] = "1000"
        elif isinstance(field, forms.CharField):
            data[name] = f"范围测试{name}"
    return data


@pytest.mark.parametrize("route", sorted(create_pages()))
def test_no_page_create_form_widens_anybodys_reach(users, finance, demo, client_for, route):
    cls = create_pages()[route]
    model = cls.form_class._meta.model
    probe = Probe(users)
    before = frozenset(model._default_manager.values_list("pk", flat=True))

    def made(model, before):
        row = model._default_manager.exclude(pk__in=before).order_by("-pk").first()
        probe.made += row is not None
        return row

    parameter, parent_model = CREATE_PARENTS.get(route, (None, None))
    assert route.count("<") == (1 if parameter else 0), f"{route}: list its parent in CREATE_PARENTS"
    for persona in PERSONAS:
        writer = users[persona]
        url = route
        if parameter:
            manager = parent_model._default_manager
            parent = (
                manager.manageable_by(writer).order_by("pk").first()
                or manager.visible_to(writer).order_by("pk").first()
            )
            if parent is None:
                continue
            url = route.replace(parameter, str(parent.pk))
        client = client_for(persona)
        page = client.get(url)
        if page.status_code != 200 or "form" not in (page.context or {}):
            continue
        form = page.context["form"]
        post_each_value(
            probe,
            route,
            form,
            filled(form, writer),
            writer,
            client,
            url,
            find=lambda: made(model, before),
            creates=True,
        )
    assert not probe.failures, "\n".join(probe.failures)
    # Not vacuous: the personas who may make such rows did make some.
    assert probe.made, f"no POST to {route} made a row: the test fills the form wrongly"


def test_every_writable_field_is_exercised(users, finance, demo):
    """Every writable field of every endpoint is either tried or known to name nothing."""
    for viewset in api_viewsets().values():
        if not hasattr(viewset, "partial_update"):
            continue
        for _key, field in writable(serializer_for(viewset, users["admin"])):
            api_values(field, users["jj_liaison"], None)  # raises for a field it cannot fill
