"""An export whose worker died and whose message was lost: beat finds it by its stopped heartbeat.

No real worker here: the job's death is staged on the row (running, heartbeat in the past) and
beat's `assessment.requeue_exports` is called as beat would; Celery runs eagerly, so a job queued
again is built at once. The real-process versions are in tests/faults/.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment import tasks
from assessment.models import AssessmentExport
from assessment.sheets import DETAIL_SHEETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_export(client_for, demo, django_capture_on_commit_callbacks, monkeypatch):
    """An export of 晋江—尤溪 2025 that a worker started (one start counted), then died with its message lost."""
    monkeypatch.setattr(tasks.export_assessment, "delay", lambda **kwargs: None)  # the message is lost
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("yx_liaison").post("/assessment/", {"year": 2025, "pairings": [demo["jy"].pk]})
    assert response.status_code == 302
    export = AssessmentExport.objects.get()
    tasks._count_run(export.pk)  # the start whose worker died
    AssessmentExport.objects.filter(pk=export.pk).update(
        status="running", percent=40, message="已生成工作表“任务完成情况”", heartbeat_at=timezone.now()
    )
    monkeypatch.undo()
    return export


def age(export, minutes: float) -> None:
    AssessmentExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def page(client, export) -> str:
    return client.get(f"/assessment/exports/{export.pk}/").content.decode()


def test_a_run_beats_at_its_start_and_at_each_sheet(client_for, demo, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            client_for("yx_liaison").post("/assessment/", {"year": 2025, "pairings": [demo["jy"].pk]})
    export = AssessmentExport.objects.get()
    assert export.status == "done" and export.created <= export.heartbeat_at <= export.finished
    beats = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "heartbeat_at" in q["sql"]
    ]
    assert len(beats) >= 1 + 1 + len(DETAIL_SHEETS)  # the claim, then the summary and every detail sheet


def test_a_running_export_whose_heartbeat_stopped_is_built_again(client_for, dead_export, settings):
    client = client_for("yx_liaison")
    assert "生成中" in page(client, dead_export)
    settings.ASSESSMENT_EXPORT_HEARTBEAT_MINUTES = 10
    age(dead_export, 9)  # slow, maybe, but not yet dead
    assert tasks.requeue_exports() == 0
    assert AssessmentExport.objects.get(pk=dead_export.pk).status == "running"

    age(dead_export, 11)
    assert tasks.requeue_exports() == 1  # queued again, built at once (eager): the second start
    dead_export.refresh_from_db()
    assert dead_export.status == "done" and dead_export.percent == 100 and dead_export.file_path
    status = client.get(f"/assessment/exports/{dead_export.pk}/status/").json()
    assert status["status_display"] == "已完成" and status["download_url"]
    assert client.get(status["download_url"]).status_code == 200
    assert tasks.requeue_exports() == 0  # a finished job is left alone


def test_a_dead_export_that_already_used_its_starts_is_failed_with_a_message(client_for, dead_export):
    for _ in range(tasks.MAX_RUNS - 1):  # two more starts whose worker died: three in all
        tasks._count_run(dead_export.pk)
    age(dead_export, settings.ASSESSMENT_EXPORT_HEARTBEAT_MINUTES + 1)
    assert tasks.requeue_exports() == 1
    dead_export.refresh_from_db()
    assert dead_export.status == "failed" and not dead_export.file_path
    assert f"异常退出 {tasks.MAX_RUNS} 次" in dead_export.message
    html = page(client_for("yx_liaison"), dead_export)
    assert "失败" in html and f"异常退出 {tasks.MAX_RUNS} 次" in html
    assert client_for("yx_liaison").get(f"/assessment/exports/{dead_export.pk}/download/").status_code == 404


def test_a_requeue_while_the_broker_is_down_leaves_the_export_for_the_next_tick(dead_export, monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    age(dead_export, 30)
    stale = AssessmentExport.objects.get(pk=dead_export.pk).heartbeat_at
    monkeypatch.setattr(tasks.export_assessment, "delay", broker_down)
    with pytest.raises(OperationalError):
        tasks.requeue_exports()
    row = AssessmentExport.objects.get(pk=dead_export.pk)
    assert row.status == "running" and row.heartbeat_at == stale  # still found dead next minute
    monkeypatch.undo()
    assert tasks.requeue_exports() == 1
    assert AssessmentExport.objects.get(pk=dead_export.pk).status == "done"
