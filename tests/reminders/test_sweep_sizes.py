"""The daily sweep over the real deadlines runs the same queries at every size.

The demo's deadlines, then the same with 1,200 more open task periods due the same week (each with
its responsible units): the sweep plans hundreds more reminders and runs as many queries. On SQLite
the parameter limit is lowered to 999 for the sweeps — the default of SQLite builds before 3.32 —
so a look-up sent in chunks of the limit (one query per 999 keys) would show here as a count that
grows (and a list of 1,200 task ids in one statement would be refused); the lists go in one
parameter instead (``core.queries.in_one_param``).
"""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reminders import engine

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)
DUE = DAY - datetime.timedelta(days=7)  # overdue by a week: a reminder moment (every 7 days)


def add_open_periods(pairing, n: int, tag: str) -> None:
    """`n` one-off tasks of `pairing` due on DUE, each with the units of one of its tasks."""
    from tasks.models import Task, TaskPeriod, TaskUnit

    template = Task.objects.filter(pairing=pairing, task_units__isnull=False).order_by("pk").first()
    units = list(template.task_units.values_list("unit_id", "role", "order"))
    tasks = Task.objects.bulk_create(
        Task(
            pairing=pairing,
            number=f"{i + 1}.",
            position=100000 + i,
            title=f"{tag}：第{i + 1}个山海协作产业项目落地",
            start_year=DUE.year,
            end_year=DUE.year,
            deadline_kind=Task.DeadlineKind.ONCE,
            deadline_date=DUE,
        )
        for i in range(n)
    )
    TaskUnit.objects.bulk_create(
        TaskUnit(task=task, unit_id=unit_id, role=role, order=order)
        for task in tasks
        for unit_id, role, order in units
    )
    TaskPeriod.objects.bulk_create(TaskPeriod(task=task, year=DUE.year, due_date=DUE) for task in tasks)


@contextlib.contextmanager
def parameter_limit(n: int):
    """SQLite only: at most `n` parameters a statement while inside (as older SQLite builds)."""
    if connection.vendor != "sqlite":
        yield
        return
    import sqlite3

    connection.ensure_connection()
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, n)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def dry_sweep() -> tuple[int, engine.SweepResult]:
    with parameter_limit(999), CaptureQueriesContext(connection) as queries:
        result = engine.sweep(DAY, dry_run=True)
    return len(queries), result


def test_the_sweep_runs_as_many_queries_for_1200_more_deadlines(demo):
    add_open_periods(demo["jy"], 5, "甲")
    small_queries, small = dry_sweep()
    add_open_periods(demo["jy"], 1200, "乙")
    large_queries, large = dry_sweep()

    keys = {p.item.key for p in large.planned}
    assert len(keys) - len({p.item.key for p in small.planned}) == 1200
    assert len(large.planned) > 999 and len(keys) > 999
    assert small_queries == large_queries, (small_queries, large_queries)


def real_sweep(pairing, n: int) -> tuple[int, int]:
    """Queries and reminders of a real sweep (recorded, 催办 issued, digests queued) with `n` more
    overdue periods; rolled back, so each size starts from the same demo."""
    from reminders.models import UrgingNotice

    with transaction.atomic():
        add_open_periods(pairing, n, f"规模{n}")
        with CaptureQueriesContext(connection) as queries:
            result = engine.sweep(DAY)
        urged = UrgingNotice.objects.filter(due=DUE, level="urge").count()
        transaction.set_rollback(True)
    assert urged >= n
    return len(queries), result.recorded


def test_a_real_sweep_runs_as_many_queries_for_400_more_deadlines(demo):
    """The inserts are one batch each at this size (Django splits a bulk insert only past the
    database's parameter limit: 250,000 on this SQLite, none on PostgreSQL)."""
    small_queries, small = real_sweep(demo["jy"], 5)
    large_queries, large = real_sweep(demo["jy"], 400)
    assert large > small
    assert small_queries == large_queries, (small_queries, large_queries)
