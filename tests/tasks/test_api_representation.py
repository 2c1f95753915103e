"""The task API's written-out representation is DRF's own, value for value and byte for byte.

`TaskSerializer.to_representation` writes the dict out by hand for speed (docs/performance.md,
"Page speed"); `field_by_field` is DRF's generic one. Every task of the demo, with its units,
targets and periods in every state, must come out the same in both, as JSON.
"""

from __future__ import annotations

import json

import pytest
from rest_framework.renderers import JSONRenderer

from tasks.api.serializers import TaskSerializer
from tasks.api.views import TaskViewSet

pytestmark = pytest.mark.django_db


def test_every_demo_task_is_represented_as_drf_would(demo):
    tasks = list(TaskViewSet.queryset.all())
    assert len(tasks) > 50
    serializer = TaskSerializer(context={})
    renderer = JSONRenderer()
    for task in tasks:
        fast, generic = serializer.to_representation(task), serializer.field_by_field(task)
        assert list(fast) == list(generic), task.pk
        assert renderer.render(fast) == renderer.render(generic), task.pk
    # The demo covers what the written-out form converts: targets with amounts, periods with and
    # without dates, tasks with and without a document, parent and area.
    assert any(task.targets.all() for task in tasks)
    assert any(p.completed_on for task in tasks for p in task.periods.all())
    assert any(p.due_date is None for task in tasks for p in task.periods.all())
    assert any(task.parent_id is None for task in tasks) and any(task.parent_id for task in tasks)


def test_the_api_list_answers_what_drf_would(client_for, demo):
    response = client_for("jj_liaison").get("/api/v1/tasks/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results
    serializer = TaskSerializer(context={})
    tasks = TaskViewSet.queryset.in_bulk([row["id"] for row in results])
    for row in results:
        assert row == json.loads(JSONRenderer().render(serializer.field_by_field(tasks[row["id"]])))
