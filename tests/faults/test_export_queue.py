"""The export job's answers to a broker that is down and to a worker that keeps dying, in-process.

The real-process versions are test_redis_down.py and test_export_worker_killed.py (PostgreSQL,
Redis, a worker); these check the same rules on any database, in eager mode.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from assessment import tasks
from assessment.models import AssessmentExport

pytestmark = pytest.mark.django_db


def broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def ask(client, django_capture_on_commit_callbacks, demo) -> AssessmentExport:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/assessment/", {"year": 2025, "pairings": [demo["jy"].pk]})
    assert response.status_code == 302
    return AssessmentExport.objects.get()


def test_an_export_asked_for_while_the_broker_is_down_waits_and_is_built_once_it_is_back(
    client_for, demo, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for("yx_liaison")
    monkeypatch.setattr(tasks.export_assessment, "delay", broker_down)
    export = ask(client, django_capture_on_commit_callbacks, demo)
    status = client.get(f"/assessment/exports/{export.pk}/status/").json()
    assert status["status"] == "queued" and "恢复后将自动开始" in status["message"]
    assert "恢复后将自动开始" in client.get(f"/assessment/exports/{export.pk}/").content.decode()

    # Beat's requeue while the broker is still down: fails, and the export keeps waiting.
    with pytest.raises(OperationalError):
        tasks.requeue_exports()
    export.refresh_from_db()
    assert export.status == "queued" and "恢复后将自动开始" in export.message

    # The broker is back: the next requeue queues it (eager here: built at once), and only once.
    monkeypatch.undo()
    assert tasks.requeue_exports() == 1
    export.refresh_from_db()
    assert export.status == "done" and export.file_path
    assert tasks.requeue_exports() == 0
    assert client.get(f"/assessment/exports/{export.pk}/download/").status_code == 200


def test_a_normally_queued_export_is_not_queued_twice(
    client_for, demo, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.export_assessment, "delay", lambda **kwargs: sent.append(kwargs))
    export = ask(client_for("yx_liaison"), django_capture_on_commit_callbacks, demo)
    assert sent == [{"export_id": export.pk}]
    assert tasks.requeue_exports() == 0 and len(sent) == 1


def test_an_export_whose_message_redis_lost_is_queued_again_once(
    client_for, demo, django_capture_on_commit_callbacks, monkeypatch
):
    # Queued normally, then Redis restarted without persistence before any worker took it.
    monkeypatch.setattr(tasks.export_assessment, "delay", lambda **kwargs: None)
    export = ask(client_for("yx_liaison"), django_capture_on_commit_callbacks, demo)
    assert tasks.requeue_exports() == 0  # too early to tell a lost job from a busy queue
    AssessmentExport.objects.filter(pk=export.pk).update(created=timezone.now() - tasks.STALE_AFTER * 2)
    sent = []
    monkeypatch.setattr(tasks.export_assessment, "delay", lambda **kwargs: sent.append(kwargs))
    assert tasks.requeue_exports() == 1 and sent == [{"export_id": export.pk}]
    export.refresh_from_db()
    assert export.status == "queued" and export.message == tasks.REQUEUED_NOTE
    assert tasks.requeue_exports() == 0 and len(sent) == 1


def test_an_export_started_more_than_max_runs_times_is_failed_with_a_message(
    client_for, demo, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks.export_assessment, "delay", lambda **kwargs: None)
    export = ask(client_for("yx_liaison"), django_capture_on_commit_callbacks, demo)
    # Three starts whose worker died (nothing ran past the start), as the real test does with SIGKILL.
    for _ in range(tasks.MAX_RUNS):
        tasks._count_run(export.pk)
    assert tasks.export_assessment(export_id=export.pk) == "failed"
    export.refresh_from_db()
    assert export.status == "failed" and f"异常退出 {tasks.MAX_RUNS} 次" in export.message
    assert export.attempts == 0  # a new request for it starts afresh


def test_a_finished_run_forgets_its_count(client_for, demo, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(tasks.export_assessment, "delay", lambda **kwargs: None)
    export = ask(client_for("yx_liaison"), django_capture_on_commit_callbacks, demo)
    tasks._count_run(export.pk)  # one earlier start was interrupted
    assert tasks.export_assessment(export_id=export.pk) == "done"
    export.refresh_from_db()
    assert export.attempts == 0
