"""A Celery worker killed while it builds the assessment workbook.

The export is asked for over HTTP (gunicorn) and built by a real worker. A second connection of the
test holds a lock on the development-indicator table, so the job stops in the middle of the
workbook (after the summary and the first sheets, before 发展指标) and is killed there: first its
pool child, then the whole worker. Meanwhile nothing is offered for download; afterwards the
workbook is built again, complete. A job that kills its worker every time is marked failed with a
message instead of coming back forever.
"""

from __future__ import annotations

import io
import os
import re
import signal

import pytest

from assessment.models import AssessmentExport
from assessment.tasks import MAX_RUNS
from cooperation.models import Pairing, User
from tests.harness import (
    HeldLock,
    WebUser,
    app_env,
    backend_pids_waiting_on_locks,
    children,
    log_text,
    start_gunicorn,
    start_worker,
    stop,
    wait_for,
    worker_ready,
)

LOCK_INDICATORS = "LOCK TABLE reports_regionindicator IN ACCESS EXCLUSIVE MODE"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(postgres, private_redis, tmp_path):
    media = tmp_path / "media"
    env = app_env(redis_url=private_redis.url(), MEDIA_ROOT=media)
    log = tmp_path / "worker.log"
    web, base = start_gunicorn(env, tmp_path / "web.log", workers=1)
    processes = {"worker": start_worker(env, "celery", log)}
    wait_for(lambda: worker_ready(log), 90, "the worker")
    yield {"env": env, "base": base, "log": log, "media": media, "processes": processes}
    for process in processes.values():
        stop(process, signal.SIGKILL)
    stop(web)


def ask_for_export(user: WebUser) -> AssessmentExport:
    response = user.post("/assessment/", {"year": 2025, "all_pairings": "on"}, allow_redirects=False)
    assert response.status_code == 302
    pk = int(re.search(r"/assessment/exports/(\d+)/", response.headers["Location"]).group(1))
    return AssessmentExport.objects.get(pk=pk)


def blocked(known: set[int]) -> list[int]:
    """Wait until a new session of the worker is stuck behind the test's lock."""
    return wait_for(
        lambda: [p for p in backend_pids_waiting_on_locks() if p not in known],
        120,
        "the export to block in the middle of the workbook",
    )


def assert_nothing_offered(user: WebUser, export: AssessmentExport, media) -> None:
    status = user.get(f"/assessment/exports/{export.pk}/status/").json()
    assert status["status"] in {"queued", "running"} and status["download_url"] is None
    assert 0 <= status["percent"] < 100
    assert user.get(f"/assessment/exports/{export.pk}/download/").status_code == 404
    listing = user.get("/assessment/").text
    assert f"/assessment/exports/{export.pk}/download/" not in listing
    assert f"/assessment/exports/{export.pk}/" in listing  # listed, with its progress page
    folder = media / "assessments" / str(export.pk)
    assert not folder.exists() or not list(folder.glob("*.xlsx"))


def kill_pool_child(worker, lock: HeldLock, pids: list[int], log) -> None:
    (child,) = children(worker.pid)
    os.kill(child, signal.SIGKILL)
    lock.terminate(pids)
    before = log_text(log).count("WorkerLostError")
    wait_for(lambda: log_text(log).count("WorkerLostError") > before, 60, "the worker to see its child die")


@pytest.mark.slow
def test_an_export_killed_mid_workbook_is_built_again_and_only_the_complete_file_is_offered(site):
    liaison = WebUser(site["base"], User.objects.get(username="jj_liaison"))
    log, media, processes = site["log"], site["media"], site["processes"]
    lock = HeldLock(LOCK_INDICATORS)
    try:
        export = ask_for_export(liaison)
        pids = blocked(set())
        export.refresh_from_db()
        assert export.status == "running" and export.percent >= 5  # a few sheets written already
        assert_nothing_offered(liaison, export, media)

        # The pool child dies (the OOM killer, say): the job is handed back at once and starts again.
        kill_pool_child(processes["worker"], lock, pids, log)
        pids = blocked(set(pids))
        assert_nothing_offered(liaison, export, media)

        # Now the whole worker dies; a new one gets the job after the visibility timeout.
        stop(processes["worker"], signal.SIGKILL)
        lock.terminate(pids)
        lock.release()
        assert_nothing_offered(liaison, export, media)
        processes["worker"] = start_worker(site["env"], "celery", log)
        wait_for(
            lambda: AssessmentExport.objects.filter(pk=export.pk, status="done").exists(), 180, "the export"
        )
    finally:
        lock.release()

    received = re.findall(r"Task assessment\.export\[([0-9a-f-]+)\] received", log_text(log))
    assert len(received) == 3 and len(set(received)) == 1  # one job, started three times
    status = liaison.get(f"/assessment/exports/{export.pk}/status/").json()
    assert status["status"] == "done" and status["percent"] == 100 and status["download_url"]
    download = liaison.get(status["download_url"])
    assert download.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(download.content), read_only=True)
    asker = User.objects.get(username="jj_liaison")
    ranking = ["排名"] if Pairing.objects.visible_to(asker).count() > 1 else []  # 排名 for several pairings
    assert workbook.sheetnames == [
        "考核情况表",
        "汇总",
        *ranking,
        "评分标准",
        "任务完成情况",
        "指标完成情况",
        "资金到位情况",
        "资金使用项目",
        "园区建设情况",
        "交流活动",
        "发展指标",
        "催办督办",
    ]
    # Only the finished file is in the folder: no temporary part left behind.
    assert [p.name for p in (media / "assessments" / str(export.pk)).iterdir()] == [
        f"assessment-2025-{export.pk}.xlsx"
    ]


@pytest.mark.slow
def test_an_export_that_kills_its_worker_every_time_is_marked_failed_with_a_message(site):
    liaison = WebUser(site["base"], User.objects.get(username="jj_liaison"))
    log, media, processes = site["log"], site["media"], site["processes"]
    lock = HeldLock(LOCK_INDICATORS)
    try:
        export = ask_for_export(liaison)
        seen: set[int] = set()
        for _attempt in range(MAX_RUNS):
            pids = blocked(seen)
            seen |= set(pids)
            assert_nothing_offered(liaison, export, media)
            kill_pool_child(processes["worker"], lock, pids, log)
        wait_for(
            lambda: AssessmentExport.objects.filter(pk=export.pk, status="failed").exists(),
            120,
            "the export to be given up",
        )
    finally:
        lock.release()
    status = liaison.get(f"/assessment/exports/{export.pk}/status/").json()
    assert status["status"] == "failed" and status["download_url"] is None
    assert f"异常退出 {MAX_RUNS} 次" in status["message"]
    assert liaison.get(f"/assessment/exports/{export.pk}/download/").status_code == 404
    page = liaison.get(f"/assessment/exports/{export.pk}/").text
    assert "失败" in page and f"异常退出 {MAX_RUNS} 次" in page
    # The worker is free again for everything else (reminders share its queue).
    assert processes["worker"].poll() is None
    assert "succeeded" in log_text(log).split("WorkerLostError")[-1]
