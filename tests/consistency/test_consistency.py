"""One obligation, one truth: every surface reports the same counts and states for the same day.

For the demo and for generated pairings (tests/consistency/generator.py), per pairing and year, each
surface of `surfaces.SURFACES` — the pairing page, the one-pager (function and page), the dashboards
(function and API), the task list's filters in the API, the reminder dry run and the assessment
workbook's task sheet — is read and compared with `core.states.judge` over the periods themselves:
as of "today" (the clock frozen on one day), and, for the functions that take a date, for a year
that has ended as of its cut-off (`assessment.scoring.as_of_date`).
"""

from __future__ import annotations

import datetime
import time

import pytest

from assessment.scoring import as_of_date
from cooperation.models import Pairing
from dashboards.figures import with_descendants

from .generator import generate
from .surfaces import SURFACES, Ctx, Surface, expected, periods_of

pytestmark = pytest.mark.django_db


def _describe(surface: Surface, pairing: Pairing, year: int, as_of, key: str, got, want, periods) -> str:
    where = f"{surface.name} · {pairing.name} · {year} as of {as_of}: {key}"
    if isinstance(want, frozenset) and isinstance(got, frozenset):
        by_pk = {p.pk: p for p in periods}

        def show(ids):
            return ", ".join(
                f"#{pk} {by_pk[pk].task.title} {by_pk[pk].standing(as_of).state.value}"
                if pk in by_pk
                else f"#{pk}"
                for pk in sorted(ids)
            )

        return f"{where}: also names [{show(got - want)}]; misses [{show(want - got)}]"
    return f"{where} reads {got}, the periods say {want}"


def disagreements(
    ctx: Ctx, pairing_ids: list[int], years: list[int], as_of: datetime.date, surfaces=SURFACES
) -> list[str]:
    """Every (surface, pairing, year, key) whose reading differs from the periods' own states."""
    every = list(Pairing.objects.order_by("pk"))
    by_pk = {p.pk: p for p in every}
    scope = {pk: [p.pk for p in with_descendants(every, pk)] for pk in pairing_ids}
    found = []
    for year in years:
        periods = periods_of(sorted({pk for ids in scope.values() for pk in ids}), year)
        for surface in surfaces:
            if surface.current_year_only and year != as_of.year:
                continue
            if not surface.any_day and as_of != ctx.today:
                continue
            if surface.judged_on(year, as_of) != as_of:
                continue  # the workbook judges an ended year at its cut-off: checked there, not today
            asked = pairing_ids
            if surface.per_pairing_request:
                if not ctx.every_year_by_request and year != as_of.year:
                    continue
                # Requests only where there is something to show (a year of no work reads zeros).
                asked = [
                    pk for pk in pairing_ids[:: ctx.request_every] if any(periods.get(m) for m in scope[pk])
                ]
            started = time.monotonic()
            readings = surface.read(ctx, asked, year, as_of)
            ctx.timings[surface.name] = ctx.timings.get(surface.name, 0) + time.monotonic() - started
            for pk in asked:
                covered = [
                    p
                    for member in (scope[pk] if surface.with_children else [pk])
                    for p in periods.get(member, [])
                ]
                got = readings[pk]
                want = expected(surface, covered, as_of, got)
                if got is None:  # the surface shows nothing for this pairing and year: nor may the periods
                    if any(want.values()):
                        found.append(
                            f"{surface.name} · {by_pk[pk].name} · {year}: not shown, the periods say {want}"
                        )
                    continue
                for key in surface.keys:
                    if got.get(key) != want[key]:
                        found.append(
                            _describe(surface, by_pk[pk], year, as_of, key, got.get(key), want[key], covered)
                        )
    return found


def check_everything(ctx: Ctx, pairing_ids: list[int], surfaces=SURFACES) -> list[str]:
    """Today, for every year the pairings have periods in; and each ended year as of its cut-off."""
    from tasks.models import TaskPeriod

    years = sorted(
        set(TaskPeriod.objects.filter(task__pairing_id__in=pairing_ids).values_list("year", flat=True))
    )
    years = [y for y in years if y <= ctx.today.year + 1]
    found = disagreements(ctx, pairing_ids, years, ctx.today, surfaces)
    for year in [y for y in years if y < ctx.today.year][-2:]:
        found += disagreements(ctx, pairing_ids, [year], as_of_date(year, ctx.today), surfaces)
    return found


def _report(found: list[str]) -> str:
    import os

    if os.environ.get("CONSISTENCY_REPORT"):
        with open(os.environ["CONSISTENCY_REPORT"], "w") as out:
            out.write("\n".join(found))
    return f"{len(found)} disagreements:\n" + "\n".join(found[:60])


def test_every_surface_tells_the_demo_the_same_story(demo, ctx):
    ids = list(Pairing.objects.order_by("pk").values_list("pk", flat=True))
    found = check_everything(ctx, ids)
    assert not found, _report(found)


def test_every_surface_tells_generated_pairings_the_same_story(ctx):
    world = generate(12, seed=1, today=ctx.today, clock=ctx.clock)
    found = check_everything(ctx, world.pairing_ids, SURFACES)
    assert not found, _report(found)


@pytest.mark.slow
def test_every_surface_agrees_over_two_hundred_generated_pairings(ctx):
    # The functions and the bulk API lists are read for every pairing and year; the pages and the
    # per-pairing API (0.1 s a request, built by those same functions) for this year and every
    # fourth pairing, which keeps the run under two minutes.
    ctx.every_year_by_request = False
    ctx.request_every = 4
    world = generate(200, seed=16, today=ctx.today, clock=ctx.clock)
    found = check_everything(ctx, world.pairing_ids, SURFACES)
    assert not found, _report(found)


def test_a_surface_telling_another_story_is_caught(demo, ctx):
    """The test can fail: the pairing page's old 逾期 (overdue periods of every year, beside this
    year's statuses) is caught as soon as an earlier year has overdue work."""
    from core.states import State
    from tasks.models import TaskPeriod

    jy = demo["jy"]
    earlier = TaskPeriod.objects.filter(task__pairing=jy, year=2025).exclude(due_date=None).first()
    TaskPeriod.objects.filter(pk=earlier.pk).update(status="not_started", completed_on=None)

    def old_panel(ctx, ids, year, as_of):
        return {
            pk: {"overdue": TaskPeriod.objects.filter(task__pairing_id=pk).overdue(as_of).count()}
            for pk in ids
        }

    liar = Surface("the old task panel", old_panel, {"overdue": frozenset({State.OVERDUE})})
    found = disagreements(ctx, [jy.pk], [2026], ctx.today, [liar])
    assert len(found) == 1 and found[0].startswith("the old task panel · 晋江市—尤溪县山海协作 · 2026")
    assert not disagreements(
        ctx, [jy.pk], [2026], ctx.today, [s for s in SURFACES if s.name == "pairing page"]
    )
