"""Every surface that tells how a pairing's work stands, each read by one small named function.

The truth is `core.states.judge` over the periods themselves (`TaskPeriod.standing(as_of)`). A
surface reads what a user (or a job) would see for a set of pairings, a year and a day, and returns
per pairing a *reading*: its own keys → a count, or the set of period ids it names. Its `keys` say
which states of `core.states` each key stands for; the test counts those states in the truth and
compares.

A new surface joins the test by adding one `Surface(...)` to `SURFACES` (and, if it speaks in
labels of its own, a function that maps them to states).
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Exists, OuterRef
from django.test import Client
from rest_framework.test import APIClient

from core.states import State
from tasks.fulfilment import FUND_KINDS
from tasks.models import Task, TaskPeriod, YearLock

Reading = dict[str, int | frozenset[int]] | None
S = State
ALL_DONE = frozenset({S.DONE, S.DONE_LATE})
OPEN_NOT_LATE = frozenset({S.ON_TRACK, S.SOON, S.CONTINUING})


@dataclass
class Ctx:
    """What the readers share: signed-in clients (a superuser sees every pairing) and a cache."""

    client: Client
    api: APIClient
    today: datetime.date
    clock: object = None  # conftest.Clock
    cache: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)  # seconds spent reading each surface
    # False in the large run: requests per pairing for the current year only.
    every_year_by_request: bool = True
    request_every: int = 1  # …and for every n-th pairing only

    def cached(self, key, make: Callable):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


@dataclass(frozen=True)
class Surface:
    name: str
    # read(ctx, pairing ids, year, as_of) → {pairing id: reading, or None where it shows nothing}
    read: Callable[[Ctx, list[int], int, datetime.date], dict[int, Reading]]
    # key → the states it counts (an empty set: must read 0 / nothing)
    keys: dict[str, frozenset[State]]
    # Which periods of the year the surface covers (default: every one).
    covers: Callable[[TaskPeriod, datetime.date], bool] = lambda period, as_of: True
    # The one-pager and the dashboard of a pairing include its sub-pairings.
    with_children: bool = False
    # A function that takes a date reads as of any day; a page reads as of today only.
    any_day: bool = False
    # Pages showing only the current year.
    current_year_only: bool = False
    # The state a period should read as on `as_of` (the workbook: as its history recorded it then).
    state_of: Callable[[TaskPeriod, datetime.date], State] = lambda period, as_of: (
        period.standing(as_of).state
    )
    # The day the surface judges `year` on when asked on `as_of` (the workbook: the year's cut-off).
    judged_on: Callable[[int, datetime.date], datetime.date] = lambda year, as_of: as_of
    # One request per pairing and year: the large run reads it for the current year only (the other
    # years come from the same function, read as the function surface).
    per_pairing_request: bool = False


# --------------------------------------------------------------------------------------------
# The truth
# --------------------------------------------------------------------------------------------


def periods_of(pairing_ids: list[int], year: int) -> dict[int, list[TaskPeriod]]:
    """The periods of `year` by pairing, each knowing whether its year is locked (`year_locked`)."""
    locked = YearLock.objects.filter(
        pairing_id=OuterRef("task__pairing_id"), year=OuterRef("year"), locked=True
    )
    by_pairing: dict[int, list[TaskPeriod]] = defaultdict(list)
    periods = TaskPeriod.objects.filter(task__pairing_id__in=pairing_ids, year=year)
    for period in periods.select_related("task").annotate(year_locked=Exists(locked)):
        by_pairing[period.task.pairing_id].append(period)
    return by_pairing


def expected(surface: Surface, periods: list[TaskPeriod], as_of: datetime.date, like: Reading) -> Reading:
    """What `surface` should read over `periods` on `as_of`: per key, the count (or the ids) of the
    periods whose state it stands for."""
    covered = [p for p in periods if surface.covers(p, as_of)]
    states = {p.pk: surface.state_of(p, as_of) for p in covered}
    result: Reading = {}
    for key, wanted in surface.keys.items():
        ids = frozenset(pk for pk, state in states.items() if state in wanted)
        result[key] = ids if isinstance((like or {}).get(key), frozenset) else len(ids)
    return result


# --------------------------------------------------------------------------------------------
# (a) The pairing page: its task panel (this year, as of today)
# --------------------------------------------------------------------------------------------

PANEL_NUMBER = re.compile(r'data-state="(\w+)"[^>]*>[^<]*<b>(\d+)</b>')


def read_pairing_page(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    readings = {}
    for pk in ids:
        response = ctx.client.get(f"/pairings/{pk}/")
        assert response.status_code == 200
        html = response.content.decode()
        if 'id="tasks-panel"' not in html:  # no work this year and none overdue from before
            readings[pk] = None
            continue
        panel = html[html.find('id="tasks-panel"') :]
        panel = panel[: panel.find("</section>")]
        readings[pk] = {key: int(n) for key, n in PANEL_NUMBER.findall(panel) if key != "older_overdue"}
    return readings


# --------------------------------------------------------------------------------------------
# (b) The leader's one-pager: the function and its page
# --------------------------------------------------------------------------------------------

LIGHT_KEYS = {
    "ok": frozenset({S.DONE, S.ON_TRACK, S.NA}),
    "late": frozenset({S.DONE_LATE}),
    "continuing": frozenset({S.CONTINUING}),
    "soon": frozenset({S.SOON}),
    "overdue": frozenset({S.OVERDUE}),
    "paused": frozenset({S.PAUSED}),
}


def _pairings(ids: list[int]):
    from cooperation.models import Pairing

    every = list(Pairing.objects.order_by("pk"))
    return every, {p.pk: p for p in every}


def _members(ids: list[int]) -> tuple[dict[int, list[int]], list]:
    """Each pairing's scope (itself and its sub-pairings, as the one-pager shows them) and all the
    pairings involved."""
    from dashboards.figures import with_descendants

    every, _by_pk = _pairings(ids)
    scope = {pk: [p.pk for p in with_descendants(every, pk)] for pk in ids}
    involved = {member for members in scope.values() for member in members}
    return scope, [p for p in every if p.pk in involved]


def read_leader_view(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """`build_leader_view` over all the pairings at once (one call a year), its lights grouped by pairing."""
    from dashboards.figures import build_leader_view

    scope, involved = _members(ids)
    view = build_leader_view(involved, year, as_of)
    lights: dict[int, list] = defaultdict(list)
    for item in view.lights:
        lights[item.period.task.pairing_id].append(item)
    readings = {}
    for pk in ids:
        items = [item for member in scope[pk] for item in lights.get(member, [])]
        reading: Reading = {
            light: sum(
                1 for i in items if i.light == light or (light == "overdue" and i.light == "escalated")
            )
            for light in LIGHT_KEYS
        }
        for state in State:  # period by period: the state each light was given
            reading[f"state:{state.value}"] = frozenset(i.period.pk for i in items if i.state == state.value)
        readings[pk] = reading
    return readings


LEADER_VIEW_KEYS = {**LIGHT_KEYS, **{f"state:{s.value}": frozenset({s}) for s in State}}
LIGHT_COUNT = re.compile(r'id="light-(\w+)-count">(\d+)<')


def read_leader_page(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    readings = {}
    for pk in ids:
        response = ctx.client.get(f"/dashboard/pairings/{pk}/?year={year}")
        if response.status_code == 400:  # the year is not offered: outside the pairing's years
            readings[pk] = None
            continue
        assert response.status_code == 200
        counts = {light: int(n) for light, n in LIGHT_COUNT.findall(response.content.decode())}
        readings[pk] = {light: counts[light] for light in LIGHT_KEYS}
    return readings


# --------------------------------------------------------------------------------------------
# (c) The dashboards: the function and the API
# --------------------------------------------------------------------------------------------

# by_status: typed statuses with 逾期 taken out of them (it wins while it applies).
STATUS_KEYS = {
    "status:done": ALL_DONE,
    "status:open": OPEN_NOT_LATE,  # 未开始 + 推进中 that are not overdue
    "status:overdue": frozenset({S.OVERDUE}),
    "status:paused": frozenset({S.PAUSED}),
    "row:done": ALL_DONE,
    "row:overdue": frozenset({S.OVERDUE}),
}


def _status_reading(status: dict[str, int], row: dict) -> Reading:
    return {
        "status:done": status.get("done", 0),
        "status:open": status.get("in_progress", 0) + status.get("not_started", 0),
        "status:overdue": status.get("overdue", 0),
        "status:paused": status.get("paused", 0),
        "row:done": row["done"],
        "row:overdue": row["overdue"],
    }


def read_dashboard(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """`build_dashboard` over all the pairings at once: its pairing rows, and the status figure by
    pairing it adds up (`task_figures`)."""
    from dashboards.figures import build_dashboard, task_figures

    _every, by_pk = _pairings(ids)
    board = build_dashboard([by_pk[pk] for pk in ids], year, as_of)
    rows = {row.pairing.pk: row for row in board.rows}
    _status, _areas, by_pairing, _escalated, _by = task_figures(ids, year, as_of)
    assert (
        sum(row.done for row in board.rows) == board.done
        and sum(r.overdue for r in board.rows) == board.overdue
    )
    return {
        pk: _status_reading(by_pairing.get(pk, {}), {"done": rows[pk].done, "overdue": rows[pk].overdue})
        for pk in ids
    }


DASHBOARD_API_KEYS = {**STATUS_KEYS, **{f"light:{k}": v for k, v in LIGHT_KEYS.items()}}


def read_dashboard_api_rows(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """`/api/v1/dashboard/?year=` over every pairing the user sees: one row per pairing."""
    response = ctx.api.get("/api/v1/dashboard/", {"year": year})
    assert response.status_code == 200, response.content
    rows = {row["pairing"]: row for row in response.json()["pairing_rows"]}
    return {pk: {"row:done": rows[pk]["done"], "row:overdue": rows[pk]["overdue"]} for pk in ids}


ROW_KEYS = {"row:done": ALL_DONE, "row:overdue": frozenset({S.OVERDUE})}


def read_dashboard_api(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    readings = {}
    for pk in ids:
        response = ctx.api.get("/api/v1/dashboard/", {"pairing": pk, "year": year})
        assert response.status_code == 200, response.content
        data = response.json()
        status = {s["key"]: s["count"] for s in data["tasks"]["by_status"]}
        rows = data["pairing_rows"]
        row = {"done": sum(r["done"] for r in rows), "overdue": sum(r["overdue"] for r in rows)}
        reading = _status_reading(status, row)
        counts = data["leader"]["light_counts"]
        reading.update({f"light:{k}": counts[k] for k in LIGHT_KEYS})  # 逾期 counts 督办 too
        readings[pk] = reading
    return readings


# --------------------------------------------------------------------------------------------
# (d) The task list's filters, in the API
# --------------------------------------------------------------------------------------------


def _all_pages(ctx: Ctx, url: str, params: dict) -> list[dict]:
    rows, page = [], 1
    while True:
        response = ctx.api.get(url, {**params, "page": page})
        assert response.status_code == 200, response.content
        data = response.json()
        rows += data["results"]
        if not data.get("next"):
            return rows
        page += 1


def read_period_filters(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """`/api/v1/task-periods/?year=&overdue=true` and each period's `state` in `?year=`."""
    wanted = set(ids)
    overdue = _all_pages(ctx, "/api/v1/task-periods/", {"year": year, "overdue": "true"})
    listed = _all_pages(ctx, "/api/v1/task-periods/", {"year": year})
    readings: dict[int, Reading] = {pk: {} for pk in ids}
    late: dict[int, set[int]] = defaultdict(set)
    for row in overdue:
        late[row["pairing"]].add(row["id"])
    states: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for row in listed:
        states[row["pairing"]][row["state"]].add(row["id"])
    for pk in wanted:
        readings[pk]["filter:overdue"] = frozenset(late.get(pk, ()))
        for state in State:
            readings[pk][f"state:{state.value}"] = frozenset(states[pk].get(state.value, ()))
    return readings


PERIOD_FILTER_KEYS = {
    "filter:overdue": frozenset({S.OVERDUE}),
    **{f"state:{s.value}": frozenset({s}) for s in State},
}


def read_task_filters(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """`/api/v1/tasks/?year=&overdue=true`: the tasks whose period of that year is overdue."""
    rows = _all_pages(ctx, "/api/v1/tasks/", {"year": year, "overdue": "true"})
    by_pairing: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        for period in row["periods"]:
            if period["year"] == year:
                by_pairing[row["pairing"]].add(period["id"])
    return {pk: {"tasks:overdue": frozenset(by_pairing.get(pk, ()))} for pk in ids}


def read_task_list_page(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """The task list page `/tasks/?pairing=&year=&overdue=true`: its rows, and the rows whose badge
    for the year says 逾期."""
    readings = {}
    for pk in ids:
        response = ctx.client.get("/tasks/", {"pairing": pk, "year": year, "overdue": "true"})
        assert response.status_code == 200
        html = response.content.decode()
        body = html[html.index("<tbody>") : html.index("</tbody>")]
        rows = [row for row in body.split("<tr>")[1:] if "没有符合条件的任务" not in row]
        assert "pagination" not in html or len(rows) < 30  # one page holds a generated pairing's tasks
        readings[pk] = {
            "page:rows": len(rows),
            "page:badges": sum('class="badge badge-overdue"' in row for row in rows),
        }
    return readings


TASK_LIST_PAGE_KEYS = {"page:rows": frozenset({S.OVERDUE}), "page:badges": frozenset({S.OVERDUE})}


# --------------------------------------------------------------------------------------------
# (e) The reminder dry run
# --------------------------------------------------------------------------------------------


def obligations(ids: list[int]) -> dict[str, set[int]]:
    """Each reminder key → the task periods it stands for (a fund-kept period is its commitment's
    money or use list; every other period is itself)."""
    from funds.models import FundCommitment

    owners: dict[str, set[int]] = defaultdict(set)
    periods = TaskPeriod.objects.filter(task__pairing_id__in=ids).values_list(
        "pk", "year", "task__fulfilment", "task__fund_rule_id"
    )
    commitments = {
        (rule, year): pk
        for pk, rule, year in FundCommitment.objects.filter(pairing_id__in=ids).values_list(
            "pk", "rule_id", "year"
        )
    }
    for pk, year, kind, rule in periods:
        owners[f"tasks.period:{pk}"].add(pk)
        if kind in FUND_KINDS and (rule, year) in commitments:
            c = commitments[(rule, year)]
            if kind == Task.Fulfilment.FUND_USE_LIST:
                owners[f"funds.use_list:{c}"].add(pk)
            else:
                owners[f"funds.commitment:{c}"].add(pk)  # the money, from the payer
            if kind == Task.Fulfilment.FUND_CONFIRMED:
                owners[f"funds.confirmation:{c}"].add(pk)  # then its arrival, from the receiver
    return owners


def read_reminders(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """What `engine.plan(as_of)` would chase as overdue, mapped to periods: the set of periods, how
    many are chased by more than one reminder (the same obligation twice), and chased items that
    were done by then."""
    from reminders import engine

    planned = ctx.cached(("plan", as_of), lambda: engine.plan(as_of))
    owners = ctx.cached(("owners", tuple(ids)), lambda: obligations(ids))
    chased_by: dict[int, set[str]] = defaultdict(set)
    for p in planned:
        if p.item.due >= as_of:
            continue
        for period_id in owners.get(p.item.key, ()):
            chased_by[period_id].add(p.item.key)
    pairing_of = dict(
        TaskPeriod.objects.filter(task__pairing_id__in=ids, year=year).values_list("pk", "task__pairing_id")
    )
    readings: dict[int, Reading] = {pk: {"chased": frozenset(), "twice": 0} for pk in ids}
    grouped: dict[int, set[int]] = defaultdict(set)
    twice: Counter = Counter()
    for period_id, keys in chased_by.items():
        pairing = pairing_of.get(period_id)
        if pairing is None:
            continue
        grouped[pairing].add(period_id)
        twice[pairing] += len(keys) > 1
    for pk in ids:
        readings[pk] = {"chased": frozenset(grouped.get(pk, ())), "twice": twice.get(pk, 0)}
    return readings


def _chaseable(period: TaskPeriod, as_of: datetime.date) -> bool:
    """An obligation the sweep should chase: not in a locked year, within the engine's look-back."""
    from reminders.engine import LOOKBACK_DAYS

    if period.due_date is None or period.due_date < as_of - datetime.timedelta(days=LOOKBACK_DAYS):
        return False
    return not period.year_locked and _has_someone_to_tell(period)


def _has_someone_to_tell(period: TaskPeriod) -> bool:
    """A reminder needs a person: a user of a responsible unit or the pairing's liaison staff (the
    闽宁 demo pairing has no accounts: nothing can be sent, and nothing is)."""
    from cooperation.models import Role, User, pairing_audience

    pairing_id = period.task.pairing_id
    if pairing_audience({pairing_id}, [Role.LIAISON]).get(pairing_id):
        return True
    return User.objects.filter(is_active=True, unit__task_units__task_id=period.task_id).exists()


REMINDER_KEYS = {"chased": frozenset({S.OVERDUE}), "twice": frozenset()}


# --------------------------------------------------------------------------------------------
# (f) The assessment workbook: the task sheet's outcome of each period
# --------------------------------------------------------------------------------------------


def workbook_outcome(label: str) -> str:
    """The sheet's 按时 / 逾期 column → a key of WORKBOOK_KEYS. (The lead adapts this one function
    when the sheet's columns change.)"""
    if label.startswith("已逾期"):
        return "overdue"
    if label.startswith("逾期") and label.endswith("完成"):
        return "done_late"
    if label.endswith("天后到期") or label in ("今天到期", "即将到期"):
        return "open"  # core.states' 即将到期 (within 30 days): open work
    return {"按时完成": "done", "未到期": "open", "暂缓": "paused", "不适用": "na"}.get(
        label, "other:" + label
    )


def _sheet_rows(book, name: str, marker: str) -> list[dict]:
    """A sheet's rows as {column title: value} (its 小计 and 合计 rows left out)."""
    sheet = next(ws for ws in book.worksheets if name in ws.title)
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and marker in row)
    header = rows[header_at]
    rows = [dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :] if any(row)]
    return [
        row for row in rows if isinstance(row.get("序号"), int | float) and "小计" not in str(row.get("结对"))
    ]


def read_workbook_rows(path: Path) -> dict[str, list[dict]]:
    """The rows of the sheets the test reads: tasks, funds and activities."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return {
        "tasks": _sheet_rows(book, "任务完成情况", "按时 / 逾期"),
        "funds": _sheet_rows(book, "资金到位情况", "是否按时"),
        "activities": _sheet_rows(book, "交流活动", "是否达标"),
    }


def _cut_off(year: int, as_of: datetime.date) -> datetime.date:
    from assessment.scoring import as_of_date

    return as_of_date(year, as_of)


def _workbook(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[str, list[dict]]:
    from assessment.services import build
    from cooperation.models import Pairing

    def make():
        pairings = list(Pairing.objects.filter(pk__in=ids))
        with tempfile.TemporaryDirectory() as folder:
            path = build(year, pairings, dest=Path(folder) / "book.xlsx", today=as_of)
            return read_workbook_rows(path)

    return ctx.cached(("workbook", tuple(ids), year, as_of), make)


def _count(ids: list[int], keys, found: dict[int, Counter]) -> dict[int, Reading]:
    readings = {}
    for pk in ids:
        counts = found.get(pk, Counter())
        reading: Reading = {key: counts.get(key, 0) for key in keys}
        reading["other"] = sum(n for key, n in counts.items() if key.startswith("other:"))
        readings[pk] = reading
    return readings


def read_workbook(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    from cooperation.models import Pairing

    names = dict(Pairing.objects.filter(pk__in=ids).values_list("name", "pk"))
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in _workbook(ctx, ids, year, as_of)["tasks"]:
        counts[names[row["结对"]]][workbook_outcome(row["按时 / 逾期"])] += 1
    return _count(ids, WORKBOOK_KEYS, counts)


def funds_outcome(label: str) -> str:
    """The funds sheet's 是否按时 → a key of WORKBOOK_KEYS."""
    if label == "按时足额拨付":
        return "done"
    if label.startswith("足额拨付，逾期"):
        return "done_late"
    return workbook_outcome(label)


def _paid_tasks(ids: list[int]) -> dict[tuple[int, str], int]:
    """(pairing, the commitment's purpose) → how many tasks are kept by its payments in full."""
    found: Counter = Counter()
    for pairing_id, purpose in Task.objects.filter(
        pairing_id__in=ids, fulfilment=Task.Fulfilment.FUND_PAID, fund_rule__isnull=False
    ).values_list("pairing_id", "fund_rule__purpose"):
        found[(pairing_id, purpose)] += 1
    return found


def read_workbook_funds(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """The funds sheet: each commitment's payment (on time, late, overdue, not yet due), counted once
    for every task its payment in full proves — the task sheet's story of those tasks, told by money."""
    from cooperation.models import Pairing

    names = dict(Pairing.objects.filter(pk__in=ids).values_list("name", "pk"))
    paid_tasks = _paid_tasks(ids)
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in _workbook(ctx, ids, year, as_of)["funds"]:
        pk = names[row["结对"]]
        counts[pk][funds_outcome(row["是否按时"])] += paid_tasks.get((pk, row["用途"]), 0)
    return _count(ids, WORKBOOK_KEYS, counts)


def _paid_by_a_commitment(period: TaskPeriod, as_of: datetime.date) -> bool:
    """A period kept by a payment in full whose year has a commitment when the year is judged."""
    from assessment.record import cutoff_moment
    from funds.models import FundCommitment

    if period.task.fulfilment != Task.Fulfilment.FUND_PAID or not _assessed(period, as_of):
        return False
    return FundCommitment.history.model.objects.filter(
        rule_id=period.task.fund_rule_id, year=period.year, history_date__lt=cutoff_moment(as_of)
    ).exists()


def read_workbook_activities(ctx: Ctx, ids: list[int], year: int, as_of: datetime.date) -> dict[int, Reading]:
    """The activities sheet: a task's yearly minimums all 达标 (met) or not, task by task."""
    from cooperation.models import Pairing

    names = dict(Pairing.objects.filter(pk__in=ids).values_list("name", "pk"))
    met: dict[tuple[int, str], bool] = {}
    for row in _workbook(ctx, ids, year, as_of)["activities"]:
        if not row.get("最低次数"):
            continue  # the count of a kind of activity held, not a minimum
        key = (names[row["结对"]], row["来源任务"])
        met[key] = met.get(key, True) and row["是否达标"] == "是"
    counts: dict[int, Counter] = defaultdict(Counter)
    for (pk, _title), ok in met.items():
        counts[pk]["met" if ok else "not_met"] += 1
    return _count(ids, ACTIVITY_KEYS, counts)


def _kept_by_activities(period: TaskPeriod, as_of: datetime.date) -> bool:
    return period.task.fulfilment == Task.Fulfilment.ACTIVITIES and _recorded_at(period, as_of) is not None


WORKBOOK_KEYS = {
    "done": frozenset({S.DONE}),
    "done_late": frozenset({S.DONE_LATE}),
    "overdue": frozenset({S.OVERDUE}),
    "open": frozenset({S.ON_TRACK, S.SOON}),
    "paused": frozenset({S.PAUSED}),
    "na": frozenset({S.NA}),
    "other": frozenset(),
}


ACTIVITY_KEYS = {
    "met": ALL_DONE,
    "not_met": frozenset({S.OVERDUE, S.ON_TRACK, S.SOON, S.PAUSED, S.CONTINUING}),
    "other": frozenset(),
}


def _recorded_at(period: TaskPeriod, as_of: datetime.date):
    """The period's last history row before the end of `as_of` (None: it did not exist then)."""
    from assessment.record import cutoff_moment

    row = (
        period.history.filter(history_date__lt=cutoff_moment(as_of))
        .order_by("-history_date", "-history_id")
        .first()
    )
    return None if row is None or row.history_type == "-" else row


def _assessed(period: TaskPeriod, as_of: datetime.date) -> bool:
    """The task sheet lists the periods that had a due date when the year is judged (work without
    one is not assessed; a period made after the cut-off is not in it)."""
    row = _recorded_at(period, as_of)
    return row is not None and row.due_date is not None


def _state_at(period: TaskPeriod, as_of: datetime.date) -> State:
    """The state as the history recorded the period at the end of `as_of` — a change made after the
    cut-off (a pause, a late completion) does not rewrite the year."""
    from core.states import judge

    row = _recorded_at(period, as_of)
    return judge(
        due=row.due_date,
        done=row.status == "done",
        done_on=row.completed_on,
        as_of=as_of,
        paused=row.status == "paused",
    ).state


# --------------------------------------------------------------------------------------------
# The list: a new surface joins here
# --------------------------------------------------------------------------------------------

PANEL_KEYS = {s.value: frozenset({s}) for s in State if s != S.NA}

SURFACES: list[Surface] = [
    Surface("pairing page", read_pairing_page, PANEL_KEYS, current_year_only=True, per_pairing_request=True),
    Surface("one-pager (function)", read_leader_view, LEADER_VIEW_KEYS, with_children=True, any_day=True),
    Surface("one-pager (page)", read_leader_page, LIGHT_KEYS, with_children=True, per_pairing_request=True),
    Surface("dashboard (function)", read_dashboard, STATUS_KEYS, any_day=True),
    Surface("dashboard API (rows)", read_dashboard_api_rows, ROW_KEYS),
    Surface(
        "dashboard API (a pairing)",
        read_dashboard_api,
        DASHBOARD_API_KEYS,
        with_children=True,
        per_pairing_request=True,
    ),
    Surface("task-periods API filters", read_period_filters, PERIOD_FILTER_KEYS),
    Surface("tasks API overdue filter", read_task_filters, {"tasks:overdue": frozenset({S.OVERDUE})}),
    Surface(
        "task list page (overdue filter)", read_task_list_page, TASK_LIST_PAGE_KEYS, per_pairing_request=True
    ),
    Surface("reminder dry run", read_reminders, REMINDER_KEYS, covers=_chaseable, any_day=True),
    Surface(
        "assessment workbook",
        read_workbook,
        WORKBOOK_KEYS,
        covers=_assessed,
        state_of=_state_at,
        any_day=True,
        judged_on=lambda year, as_of: _cut_off(year, as_of),
    ),
    Surface(
        "assessment workbook (funds sheet)",
        read_workbook_funds,
        WORKBOOK_KEYS,
        covers=_paid_by_a_commitment,
        state_of=_state_at,
        any_day=True,
        judged_on=lambda year, as_of: _cut_off(year, as_of),
    ),
    Surface(
        "assessment workbook (activities sheet)",
        read_workbook_activities,
        ACTIVITY_KEYS,
        covers=_kept_by_activities,
        state_of=_state_at,
        any_day=True,
        judged_on=lambda year, as_of: _cut_off(year, as_of),
    ),
]
