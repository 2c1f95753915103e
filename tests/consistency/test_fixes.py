"""The disagreements the consistency test found, one focused test each (each fails without its fix).

- The pairing page's task panel counted the typed statuses of this year beside an 逾期 count of
  every year, so its 逾期 was not the year's (and not what the one-pager, the dashboards or the
  filter it links to say). It now shows this year's states of `core.states` and earlier years'
  overdue work apart.
- The one-pager and the dashboard offered only the pairing's years up to this year: a period of
  next year (a one-off task due then, an open-ended pairing's plan) existed in the API and the
  task list but could not be shown (400).
- The dashboards' status figures as of a past day counted work completed after that day as done;
  `core.states` (and the one-pager) say it was still open then.
- The dashboard API's traffic lights said "ok" for both done on time and not yet due: each light
  now carries its state.
"""

from __future__ import annotations

import datetime
import re

import pytest

from core.states import State
from dashboards.figures import build_dashboard, build_leader_view
from tasks import services
from tasks.models import Task, TaskPeriod

pytestmark = pytest.mark.django_db
D = datetime.date


def panel_numbers(html: str) -> dict[str, int]:
    panel = html[html.index('id="tasks-panel"') :]
    panel = panel[: panel.index("</section>")]
    return {key: int(n) for key, n in re.findall(r'data-state="(\w+)"[^>]*>[^<]*<b>(\d+)</b>', panel)}


def test_the_pairing_page_counts_this_years_overdue_work_and_earlier_years_apart(demo, ctx):
    jy = demo["jy"]
    this_year = ctx.today.year
    # Work of last year still open and overdue, so that "every year" and "this year" differ.
    last_year = TaskPeriod.objects.filter(task__pairing=jy, year=this_year - 1).exclude(due_date=None).first()
    TaskPeriod.objects.filter(pk=last_year.pk).update(status="not_started", completed_on=None)
    states = [
        p.standing(ctx.today).state for p in TaskPeriod.objects.filter(task__pairing=jy, year=this_year)
    ]
    older = sum(
        p.standing(ctx.today).is_overdue
        for p in TaskPeriod.objects.filter(task__pairing=jy, year__lt=this_year)
    )
    assert older >= 1

    numbers = panel_numbers(ctx.client.get(f"/pairings/{jy.pk}/").content.decode())

    assert numbers["overdue"] == states.count(State.OVERDUE)
    assert numbers["older_overdue"] == older
    for state in (State.DONE, State.DONE_LATE, State.SOON, State.ON_TRACK, State.CONTINUING, State.PAUSED):
        assert numbers[state.value] == states.count(state), state
    # The 逾期 badge links to the filter that lists the same periods: the year's overdue ones.
    listed = ctx.api.get(
        "/api/v1/task-periods/", {"pairing": jy.pk, "year": this_year, "overdue": "true"}
    ).json()
    assert listed["count"] == numbers["overdue"]


def test_a_period_of_next_year_can_be_shown_on_the_one_pager(demo, ctx):
    from cooperation.models import Pairing

    # An open-ended pairing (no end year): the selector used to stop at this year.
    Pairing.objects.filter(pk=demo["mn"].pk).update(end_year=None)
    jy = Pairing.objects.get(pk=demo["mn"].pk)
    next_year = ctx.today.year + 1
    due = D(next_year, 6, 30)

    def persist(derived):
        return Task.objects.create(
            pairing=jy,
            title="明年完成的一次性任务",
            start_year=jy.start_year,
            deadline_kind=Task.DeadlineKind.ONCE,
            deadline_date=due,
        )

    task = services.save_task(persist, changed=[], deadline_text="")
    period = task.periods.get()

    page = ctx.client.get(f"/dashboard/pairings/{jy.pk}/?year={next_year}")

    assert page.status_code == 200
    assert 'data-light="ok"' in page.content.decode() and task.title in page.content.decode()
    assert period.year == next_year
    overview = ctx.client.get(f"/dashboard/?pairing={jy.pk}&year={next_year}")
    assert overview.status_code == 200


def test_the_dashboard_as_of_a_past_day_counts_work_done_later_as_open(demo, ctx):
    jy = demo["jy"]
    period = TaskPeriod.objects.filter(task__pairing=jy, due_date=None, year=2026).first()
    TaskPeriod.objects.filter(pk=period.pk).update(status="done", completed_on=D(2026, 6, 1))
    before = D(2026, 5, 1)

    board = build_dashboard([jy], 2026, before)
    later_board = build_dashboard([jy], 2026, D(2026, 6, 2))

    assert board.done == later_board.done - 1
    assert board.status_count("in_progress") == later_board.status_count("in_progress") + 1
    assert board.rows[0].done == board.done
    # As the one-pager says of that day: the work was still going on (持续推进), not done.
    light = next(item for item in build_leader_view([jy], 2026, before).lights if item.period.pk == period.pk)
    assert light.state == State.CONTINUING


def test_the_dashboard_api_lights_carry_their_state(demo, ctx):
    jy = demo["jy"]
    data = ctx.api.get("/api/v1/dashboard/", {"pairing": jy.pk, "year": 2025}).json()
    periods = {p.pk: p for p in TaskPeriod.objects.filter(task__pairing=jy, year=2025)}
    lights = data["leader"]["lights"]
    assert lights and all(
        light["state"] == periods[light["period"]].standing(ctx.today).state for light in lights
    )
    # "ok" (按时) is both done on time and not yet due: the state tells them apart.
    assert {light["state"] for light in lights if light["light"] == "ok"} <= {"done", "on_track", "na"}


def test_money_paid_but_not_confirmed_is_chased_once_for_a_task_proved_on_arrival(demo, ctx, open_2026):
    """A task proved by the arrival (fund_confirmed) stayed overdue after the payment, and nothing
    chased it: the funds app chased the payment only, and the tasks app leaves fund-kept periods to
    the funds app. Now the arrival is chased from the receiving unit — and the money only once."""
    from funds import services as funds_services
    from reminders import engine

    rule = open_2026.rule

    def persist(derived):
        return Task.objects.create(
            pairing=demo["jy"],
            title="专项资金到账",
            start_year=2024,
            end_year=2030,
            deadline_kind=Task.DeadlineKind.YEARLY,
            deadline_month=rule.due_month,
            deadline_day=rule.due_day,
            fulfilment=Task.Fulfilment.FUND_CONFIRMED,
            fund_rule=rule,
        )

    task = services.save_task(persist, changed=[], deadline_text="")
    period = task.periods.get(year=2026)
    funds_services.record_disbursement(open_2026, user=None, date=D(2026, 5, 10), amount=open_2026.amount)
    period.refresh_from_db()
    assert period.standing(ctx.today).is_overdue  # paid, but the arrival proves this task

    def chased():
        return {p.item.key: p.item for p in engine.plan(ctx.today) if p.item.due < ctx.today}

    keys = chased()
    assert f"funds.confirmation:{open_2026.pk}" in keys
    assert keys[f"funds.confirmation:{open_2026.pk}"].unit_ids == (open_2026.receiver_unit_id,)
    assert f"funds.commitment:{open_2026.pk}" not in keys  # the payment is done: not chased again
    assert f"tasks.period:{period.pk}" not in keys

    funds_services.confirm_arrival(open_2026, user=None, date=D(2026, 6, 1), amount=open_2026.amount)
    period.refresh_from_db()
    assert period.standing(ctx.today).is_done
    assert f"funds.confirmation:{open_2026.pk}" not in chased()


def test_a_fund_kept_year_without_its_commitment_is_chased_as_the_task(demo, ctx, open_2026):
    """The tasks app left every fund-kept period to the funds app; a year whose commitment was never
    made was overdue on every page and chased by nobody. Now it is chased as the task — and a year
    with its commitment is still chased once, as the money."""
    from reminders import engine

    period = TaskPeriod.objects.get(
        task__fund_rule=open_2026.rule, task__fulfilment=Task.Fulfilment.FUND_PAID, year=2026
    )
    assert period.standing(ctx.today).is_overdue

    def chased():
        return {p.item.key for p in engine.plan(ctx.today) if p.item.due < ctx.today}

    keys = chased()
    assert f"funds.commitment:{open_2026.pk}" in keys and f"tasks.period:{period.pk}" not in keys

    commitment_id = open_2026.pk
    open_2026.delete()  # the year's commitment was never made

    keys = chased()
    assert f"tasks.period:{period.pk}" in keys
    assert not any(key.startswith("funds.") and key.endswith(f":{commitment_id}") for key in keys)


def test_an_activity_planned_ahead_does_not_hide_overdue_work(demo, ctx):
    """A yearly minimum due 30 June, met only by an exchange entered ahead for later this month: the
    work is overdue today on every surface — the lights, the API's state and the overdue filter."""
    from cooperation.models import Activity
    from tasks.models import Target

    jy = demo["jy"]

    def persist(derived):
        return Task.objects.create(
            pairing=jy,
            title="上半年开展交流",
            start_year=2026,
            end_year=2026,
            deadline_kind=Task.DeadlineKind.YEARLY,
            deadline_month=6,
            deadline_day=30,
            fulfilment=Task.Fulfilment.ACTIVITIES,
        )

    task = services.save_task(persist, changed=[], deadline_text="")
    Target.objects.create(task=task, name="交流", value=1, unit="次", activity_kinds="exchange")
    Activity.objects.create(pairing=jy, kind="exchange", title="计划中的交流", date=D(2026, 12, 20))
    period = task.periods.get(year=2026)
    assert period.standing(ctx.today).is_overdue

    listed = ctx.api.get("/api/v1/task-periods/", {"pairing": jy.pk, "year": 2026, "overdue": "true"}).json()
    assert period.pk in {row["id"] for row in listed["results"]}
    # …and the dashboards count it overdue, as the one-pager's light does.
    periods = TaskPeriod.objects.filter(task__pairing=jy, year=2026)
    assert build_dashboard([jy], 2026, ctx.today).overdue == sum(
        p.standing(ctx.today).is_overdue for p in periods
    )
    light = next(i for i in build_leader_view([jy], 2026, ctx.today).lights if i.period.pk == period.pk)
    assert light.light == "overdue"
