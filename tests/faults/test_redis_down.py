"""Redis stopped while people work: saves succeed; reminders and exports resume when it is back.

gunicorn, a Celery worker and beat run against a private Redis that the test kills (SIGKILL, no
persistence: when it comes back it is empty, as after a crash, and the export queued just before
is lost with it). The worker and beat start during the outage, as after a reboot where Redis comes
up late. Meanwhile a reporter submits a report, the finance office records a payment, a liaison
approves the report and asks for the assessment workbook — over HTTP, as in the browser. Then
Redis comes back: worker and beat carry on without a restart, both exports are built (the lost
one once it has waited longer than a queue should), the day's reminders go out, each once.
"""

from __future__ import annotations

import datetime
import io
import re
import time

import pytest
from django.db.models import F
from django.utils import timezone

from assessment.models import AssessmentExport
from assessment.tasks import STALE_AFTER
from cooperation.models import User
from funds.models import Disbursement, FundCommitment
from reminders.models import OutboxMessage, ReminderLedger
from tasks.models import ProgressReport, TaskPeriod
from tasks.services import can_report_on, is_year_locked
from tests.harness import (
    WebUser,
    app_env,
    log_text,
    start_beat,
    start_gunicorn,
    start_worker,
    stop,
    wait_for,
)

DAY = "2025-04-23"
# A save that waited on the broker would take ~0.7 s per retry of the publish; a save must not.
QUICK = 10.0

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def reportable_period(user) -> TaskPeriod:
    for period in TaskPeriod.objects.filter(task__pairing__name="晋江市—尤溪县山海协作").order_by(
        "-year", "pk"
    ):
        if can_report_on(user, period) and not is_year_locked(period.task.pairing_id, period.year):
            return period
    raise AssertionError("the demo has a period yx_reporter may report on")


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.slow
@pytest.mark.serial  # kills Redis and times each save (QUICK) meanwhile
def test_saves_succeed_while_redis_is_down_and_reminders_and_exports_resume_when_it_is_back(
    postgres, private_redis, smtp, tmp_path
):
    demo = postgres
    reporter = User.objects.get(username="yx_reporter")
    liaison = User.objects.get(username="jj_liaison")
    finance = User.objects.get(username="jj_finance")
    period = reportable_period(reporter)
    commitment = (
        FundCommitment.objects.payable_by(finance)
        .filter(paid_total__lt=F("amount") - 1000)
        .order_by("pk")
        .first()
    )
    assert commitment is not None

    media = tmp_path / "media"
    env = app_env(redis_url=private_redis.url(), smtp_port=smtp.port, MEDIA_ROOT=media)
    worker_log, web_log, beat_log = tmp_path / "worker.log", tmp_path / "web.log", tmp_path / "beat.log"
    web = beat = worker = None
    try:
        web, base = start_gunicorn(env, web_log, workers=1)
        as_liaison = WebUser(base, liaison)
        # 0. An export queued before the crash, not yet taken by any worker: Redis dies with it.
        assert as_liaison.post("/assessment/", {"year": 2025, "pairings": [demo["jy"].pk]}).status_code == 200
        lost = AssessmentExport.objects.get(requested_by=liaison)
        assert lost.status == "queued" and lost.message == ""
        private_redis.kill()
        # Worker and beat start during the outage (a reboot where Redis comes up late) and retry.
        worker = start_worker(env, "celery", worker_log)
        beat = start_beat(env, tmp_path, beat_log, day=DAY, queue="celery", every=3)

        # 1. The reporter writes and submits a report.
        as_reporter = WebUser(base, reporter)
        assert as_reporter.get(period.task.get_absolute_url()).status_code == 200
        response, took = timed(
            lambda: as_reporter.post(
                f"/tasks/periods/{period.pk}/reports/new/",
                {
                    "text": "尤溪县教育局：2025年选派骨干教师赴晋江跟岗学习，已完成第一批。",
                    "action": "submit",
                },
            )
        )
        assert response.status_code == 200 and took < QUICK, (response.status_code, took)
        report = ProgressReport.objects.get(period=period, text__startswith="尤溪县教育局：2025年选派")
        assert report.status == ProgressReport.Status.SUBMITTED

        # 2. The finance office records a payment.
        as_finance = WebUser(base, finance)
        paid_before = commitment.paid_total
        response, took = timed(
            lambda: as_finance.post(
                f"/funds/{commitment.pk}/pay/",
                {
                    "date": timezone.localdate().isoformat(),
                    "amount": "1000.00",
                    "voucher_no": "晋财拨〔2025〕18号",
                },
            )
        )
        assert response.status_code == 200 and took < QUICK, (response.status_code, took)
        assert (
            Disbursement.objects.filter(commitment=commitment, voucher_no="晋财拨〔2025〕18号").count() == 1
        )
        commitment.refresh_from_db()
        assert commitment.paid_total == paid_before + 1000

        # 3. A liaison approves the report and asks for the assessment workbook.
        response, took = timed(
            lambda: as_liaison.post(f"/tasks/reports/{report.pk}/approve/", {"version": report.version})
        )
        assert response.status_code == 200 and took < QUICK
        report.refresh_from_db()
        assert report.status == ProgressReport.Status.APPROVED
        response, took = timed(lambda: as_liaison.post("/assessment/", {"year": 2025, "all_pairings": "on"}))
        assert response.status_code == 200 and took < QUICK
        export = AssessmentExport.objects.exclude(pk=lost.pk).get(requested_by=liaison)
        status = as_liaison.get(f"/assessment/exports/{export.pk}/status/").json()
        # Kept, and the page says it will start by itself: not failed, not lost.
        assert status["status"] == "queued" and "恢复后将自动开始" in status["message"]
        assert status["download_url"] is None
        assert as_liaison.get(f"/assessment/exports/{export.pk}/download/").status_code == 404

        wait_for(
            lambda: re.search(r"beat: Connection error|Couldn't apply scheduled task", log_text(beat_log)),
            60,
            "beat to try and fail",
        )
        wait_for(lambda: "Cannot connect to redis" in log_text(worker_log), 60, "the worker to try and fail")
        assert not ReminderLedger.objects.exists()

        # 4. Redis is back, empty. Nobody restarts the worker or beat.
        private_redis.start()
        wait_for(
            lambda: AssessmentExport.objects.filter(pk=export.pk, status="done").exists(),
            240,
            "the export after Redis came back",
        )
        digests = OutboxMessage.objects.filter(channel="email")
        wait_for(
            lambda: digests.exists() and not digests.exclude(status="sent").exists(),
            180,
            "the day's reminders after Redis came back",
        )
        # The export Redis lost is still waiting: it cannot yet be told from a busy queue…
        lost.refresh_from_db()
        assert lost.status == "queued"
        # …until it has waited longer than any queue should (time moved on by editing its date).
        AssessmentExport.objects.filter(pk=lost.pk).update(created=timezone.now() - 2 * STALE_AFTER)
        wait_for(
            lambda: AssessmentExport.objects.filter(pk=lost.pk, status="done").exists(),
            120,
            "the export whose message Redis lost",
        )
        time.sleep(4)  # more beat ticks: nothing may go out again
        assert worker.poll() is None and beat.poll() is None

        download = as_liaison.get(f"/assessment/exports/{export.pk}/download/")
        assert download.status_code == 200
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(download.content), read_only=True)
        assert workbook.sheetnames[:2] == ["考核情况表", "汇总"] and "任务完成情况" in workbook.sheetnames
    finally:
        stop(beat)
        stop(web)
        stop(worker)
        if not private_redis.running:
            private_redis.start()

    # Nothing twice: one build of the workbook, one digest per person, one ledger row per reminder.
    builds = re.findall(r"Task assessment\.export\[[0-9a-f-]+\] succeeded", log_text(worker_log))
    assert len(builds) == 2
    assert sorted(smtp.recipients()) == sorted(digests.values_list("user__email", flat=True))
    # One digest per person and day — the sweep's day, and today's with the workflow's notices (the
    # report submitted, approved) — each delivered once.
    pairs = list(digests.values_list("user_id", "digest_date"))
    assert len(pairs) == len(set(pairs)) == len(smtp.messages) > 0
    assert digests.filter(digest_date=datetime.date.fromisoformat(DAY)).exists()
    rows = list(ReminderLedger.objects.values_list("item_key", "due", "offset", "recipient_id"))
    assert len(rows) == len(set(rows))
