"""The reminders sections: on the pairing page its reporting rounds, urging notices and reminder
rules; on a task's page the 催办 / 督办 of its periods."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cooperation.models import Pairing
from cooperation.scoping import is_liaison_of
from core.panels import Panel, annotated
from core.permissions import can_manage
from reminders import engine
from reminders.models import ReportingRound, UrgingNotice
from tasks.models import period_key


def _open_notices(pairing):
    """The pairing's urging notices not yet done or closed."""
    return UrgingNotice.objects.filter(pairing=pairing).exclude(
        status__in=[UrgingNotice.Status.DONE, UrgingNotice.Status.CLOSED]
    )


def pairing_annotations(request) -> dict:
    """The count of open notices, read with the pairing page's own query of the pairing: one plain
    correlated count (`_open_notices` written out; the notices of a pairing are not scoped further),
    as the parks panel counts its projects — the ORM's subquery took longer to build than to run."""
    quote = connection.ops.quote_name
    notice, pairing = quote(UrgingNotice._meta.db_table), quote(Pairing._meta.db_table)
    closed = [UrgingNotice.Status.DONE.value, UrgingNotice.Status.CLOSED.value]
    sql = (
        f"SELECT COUNT(*) FROM {notice} WHERE {notice}.{quote('pairing_id')} = {pairing}.{quote('id')} "
        f"AND {notice}.{quote('status')} NOT IN (%s, %s)"
    )
    return {"reminders_open_notices": RawSQL(sql, closed, output_field=IntegerField())}


def pairing_panels(request, pairing) -> list[Panel]:
    rounds = list(ReportingRound.objects.filter(pairing=pairing).order_by("-due_date")[:5])
    open_notices = annotated(pairing, "reminders_open_notices", lambda: _open_notices(pairing).count())
    context = {
        "rounds": rounds,
        "open_notices": open_notices,
        # Who manages a pairing: its liaison staff (the rule of `can_manage`, read from the request's ids).
        "can_manage": is_liaison_of(request.user, pairing.pk),
        "pairing": pairing,
    }
    return [Panel("reminders/panel.html", context, order=45)]


def task_panels(request, task, periods) -> list[Panel]:
    """The ladder of the task's periods — each notice with its colour (提示 blue, 催办 yellow, 督办 red)
    — and, for the pairing's liaison staff, a 催办 button on every open period with a due date; one
    query for the notices."""
    from tasks.fulfilment import FUND_KINDS
    from tasks.models import TaskPeriod, YearLock

    notices = list(
        UrgingNotice.objects.filter(
            item_key__in=[period_key(period.pk) for period in periods]
        ).select_related("unit")
    )
    urgeable = []
    if task.fulfilment not in FUND_KINDS and can_manage(request.user, task.pairing):
        # The periods the deadline registry still chases: open, of an unlocked year, due within the
        # sweep's window (a period years ahead is not urged yet).
        closed = (TaskPeriod.Status.DONE, TaskPeriod.Status.PAUSED)
        locked = set(
            YearLock.objects.filter(pairing_id=task.pairing_id, locked=True).values_list("year", flat=True)
        )
        today = timezone.localdate()
        earliest = today - datetime.timedelta(days=engine.LOOKBACK_DAYS)
        latest = today + datetime.timedelta(days=engine.LOOKAHEAD_DAYS)
        urgeable = [
            p
            for p in periods
            if p.due_date
            and earliest <= p.due_date <= latest
            and p.status not in closed
            and p.year not in locked
        ]
    if not notices and not urgeable:
        return []
    by_period = {}
    for notice in notices:
        by_period.setdefault(notice.item_key, []).append(notice)
    rows = [
        {"period": p, "key": period_key(p.pk), "notices": by_period.get(period_key(p.pk), [])}
        for p in urgeable
    ]
    return [Panel("reminders/task_notices.html", {"notices": notices, "urgeable": rows}, order=50)]
