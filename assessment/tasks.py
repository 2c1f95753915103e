"""Celery tasks of the assessment export: thin wrappers around plain functions (tests call those)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessment.services import run_export

log = logging.getLogger(__name__)

# A worker killed during an export (out of memory, a deploy) gives the job back at once
# (acks_late + reject_on_worker_lost) and it is built again. A job that kills its worker every
# time would come back forever and hold up every other task: after this many starts it is failed.
MAX_RUNS = 3

# Notes on a queued export's row (stored in Chinese, like the job's other messages).
BROKER_DOWN_NOTE = gettext_noop("后台服务暂时不可用，恢复后将自动开始生成。")
REQUEUED_NOTE = gettext_noop("已重新提交，等待后台处理…")
# A queued job no worker started within this time has lost its message (see requeue_exports).
STALE_AFTER = datetime.timedelta(minutes=15)
# A running job whose heartbeat stopped for longer than ASSESSMENT_EXPORT_HEARTBEAT_MINUTES lost its worker.
HEARTBEAT_LOST_NOTE = gettext_noop("生成中断（后台进程无响应），已重新提交，等待后台处理…")


def heartbeat_timeout() -> datetime.timedelta:
    """How long a running export may go without a heartbeat before it counts as dead.

    The setting ASSESSMENT_EXPORT_HEARTBEAT_MINUTES (default 10) must exceed the longest step of an
    export (the job beats at its start and at each sheet), or a slow but living job is started twice.
    """
    return datetime.timedelta(minutes=settings.ASSESSMENT_EXPORT_HEARTBEAT_MINUTES)


def _count_run(export_id: int) -> int:
    """How many times this job has started, this one included (the row's `attempts`, counted in SQL)."""
    from assessment.models import AssessmentExport

    rows = AssessmentExport.objects.filter(pk=export_id)
    rows.update(attempts=F("attempts") + 1)
    return rows.values_list("attempts", flat=True).first() or 1


def _forget_runs(export_id: int) -> None:
    from assessment.models import AssessmentExport

    AssessmentExport.objects.filter(pk=export_id).update(attempts=0)


# ignore_result: progress and outcome live on the row. With a result, `delay()` first subscribes to
# the result in Redis, which retries for ~20 s when Redis is down — the user's request hung that long.
@shared_task(name="assessment.export", acks_late=True, ignore_result=True)
def export_assessment(export_id: int) -> str:
    """Build the assessment workbook of one AssessmentExport row (primary key as keyword argument)."""
    from assessment.models import AssessmentExport

    runs = _count_run(export_id)
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        if runs > MAX_RUNS:
            Status = AssessmentExport.Status
            AssessmentExport.objects.filter(pk=export_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
                status=Status.FAILED,
                message=_(
                    "生成失败：后台进程在生成过程中已异常退出 %(n)d 次，请减少结对数量后重试，或联系管理员。"
                )
                % {"n": runs - 1},
                finished=timezone.now(),
            )
            log.error("assessment export %s abandoned after %d interrupted runs", export_id, runs - 1)
            _forget_runs(export_id)
            return Status.FAILED
        status = run_export(export_id)
    # Reached only when the run ended by itself (done or failed): the next request starts afresh.
    _forget_runs(export_id)
    return status


@shared_task(name="assessment.requeue_exports", ignore_result=True)
def requeue_exports() -> int:
    """Queue again the export jobs the broker does not hold (beat, every minute). Returns how many.

    Two kinds still "queued": those asked for while the broker was down (`create_export` set their
    `dispatch` to BROKER_DOWN), and those queued more than STALE_AFTER ago that no worker ever
    started — their message was lost when Redis restarted without persistence. Each is claimed with
    a conditional UPDATE of `dispatch` to REQUEUED, so two runs never queue one job twice and a job
    is queued again once. A duplicate would be harmless anyway: a finished job is left alone.

    And those "running" whose heartbeat is older than `heartbeat_timeout()`: their worker died and
    the message that would have brought the job back was lost with Redis, so it would stay 生成中
    forever. Each is claimed by moving its heartbeat on (a job beating meanwhile keeps it) and
    queued again; the new start counts like any other, so after MAX_RUNS starts
    `export_assessment` marks it failed with its message.
    """
    from assessment.models import AssessmentExport

    Status, Dispatch = AssessmentExport.Status, AssessmentExport.Dispatch
    queued_rows = AssessmentExport.objects.filter(status=Status.QUEUED)
    lost = queued_rows.filter(dispatch=Dispatch.SENT, created__lt=timezone.now() - STALE_AFTER)
    candidates = list(
        queued_rows.filter(dispatch=Dispatch.BROKER_DOWN).values_list("pk", "dispatch", "message")
    )
    candidates += list(lost.values_list("pk", "dispatch", "message"))
    queued = 0
    for pk, dispatch, note in candidates:
        claimed = queued_rows.filter(pk=pk, dispatch=dispatch).update(
            dispatch=Dispatch.REQUEUED, message=REQUEUED_NOTE
        )
        if not claimed:
            continue  # taken by another run, or started meanwhile
        try:
            export_assessment.delay(export_id=pk)
        except Exception:
            queued_rows.filter(pk=pk, dispatch=Dispatch.REQUEUED).update(dispatch=dispatch, message=note)
            raise
        queued += 1
    return queued + _requeue_dead_runs()


def _requeue_dead_runs() -> int:
    """Queue again the running exports whose heartbeat stopped (see requeue_exports). Returns how many."""
    from assessment.models import AssessmentExport

    cutoff = timezone.now() - heartbeat_timeout()
    # No heartbeat at all: started before heartbeats existed; its age is the request's.
    dead = AssessmentExport.objects.filter(status=AssessmentExport.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created__lt=cutoff)
    )
    queued = 0
    Dispatch = AssessmentExport.Dispatch
    for pk, beat, dispatch, note in list(dead.values_list("pk", "heartbeat_at", "dispatch", "message")):
        claimed = dead.filter(pk=pk).update(
            heartbeat_at=timezone.now(), dispatch=Dispatch.HEARTBEAT_LOST, message=HEARTBEAT_LOST_NOTE
        )
        if not claimed:
            continue  # taken by another run, or the job beat meanwhile: it is alive
        log.warning("assessment export %s: no heartbeat since %s, queued again", pk, beat)
        try:
            export_assessment.delay(export_id=pk)
        except Exception:
            # The broker is down: put the row back as it was, so the next run tries again.
            AssessmentExport.objects.filter(pk=pk, dispatch=Dispatch.HEARTBEAT_LOST).update(
                heartbeat_at=beat, dispatch=dispatch, message=note
            )
            raise
        queued += 1
    return queued
