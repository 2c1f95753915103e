"""Read-only requests read the user's pairings once and reuse them in every scoped query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Unit
from tasks.models import Task

pytestmark = pytest.mark.django_db


def region_rule_queries(queries) -> int:
    """Queries that evaluate the pairing-visibility rule (the region path prefix match)."""
    return sum(1 for q in queries if "LIKE" in q["sql"] and "cooperation_region" in q["sql"])


@pytest.mark.parametrize("url", ["/tasks/", "/api/v1/tasks/", "/tasks/mine/", "/funds/", "/dashboard/"])
def test_a_list_page_evaluates_the_visibility_rule_once(demo, client_for, url):
    client = client_for("yx_liaison")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert region_rule_queries(ctx.captured_queries) == 1


def test_a_unit_added_to_a_pairing_sees_it_on_its_next_request(demo, users, client_for):
    """The ids live for one request: a change of membership shows on the next page."""
    outsider = users["wz_liaison"]
    client = client_for("wz_liaison")
    task = Task.objects.filter(pairing=demo["jy"]).order_by("pk").first()
    link = f'href="{task.get_absolute_url()}"'
    assert link not in client.get("/tasks/", {"q": task.title}).content.decode()
    assert client.get(task.get_absolute_url()).status_code == 404
    demo["jy"].units.add(Unit.objects.get(pk=outsider.unit_id))
    assert link in client.get("/tasks/", {"q": task.title}).content.decode()
    assert client.get(task.get_absolute_url()).status_code == 200
