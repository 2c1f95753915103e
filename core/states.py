"""The states of an obligation, defined once, "as of" a date.

Every surface — task pages, the API, 我的任务, the one-pager, the dashboards, the reminder sweep, the
escalation and the assessment workbook — asks `judge()` how an obligation stands on a given day and
shows the answer's label, badge and day count. Nothing else decides what "done", "overdue" or
"due soon" mean.

Rules (calendar days throughout; the working-day note for a due date on a weekend or holiday is a
hint printed beside it, never a different count):

- 不适用 (na): the obligation does not apply on that day (outside the pairing's years, no data to
  judge).
- 暂缓 (paused): the liaison office paused the work; it is neither late nor chased.
- 按时完成 (done) / 逾期 N 天完成 (done_late): done on or before the as-of day; late by the days
  between the due date and the day it was done. Done without a known date counts as done on time
  (the office closed it; the date is what is missing, not the work).
- 已逾期 N 天 (overdue): not done and the due date is before the as-of day; N = as_of − due.
- 即将到期 (soon): not done, due within `SOON_DAYS` days (the due day included).
- 未到期 (on_track): not done, due later than that.
- 持续推进 (continuing): not done and without a due date (continuing work of a plan).

Work done *after* the as-of day was not done on that day: judged as of 31 December, a payment made
in January is overdue.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Open work due within this many days is "due soon" (即将到期) on every surface.
SOON_DAYS = 30


class State(StrEnum):
    DONE = "done"
    DONE_LATE = "done_late"
    ON_TRACK = "on_track"
    SOON = "soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    CONTINUING = "continuing"
    NA = "na"


STATE_NAMES = {
    State.DONE: gettext_lazy("按时完成"),
    State.DONE_LATE: gettext_lazy("逾期完成"),
    State.ON_TRACK: gettext_lazy("未到期"),
    State.SOON: gettext_lazy("即将到期"),
    State.OVERDUE: gettext_lazy("已逾期"),
    State.PAUSED: gettext_lazy("暂缓"),
    State.CONTINUING: gettext_lazy("持续推进"),
    State.NA: gettext_lazy("不适用"),
}

# The CSS badge of each state (the same classes the pages have always used).
BADGES = {
    State.DONE: "done",
    State.DONE_LATE: "late",
    State.ON_TRACK: "planned",
    State.SOON: "soon",
    State.OVERDUE: "overdue",
    State.PAUSED: "paused",
    State.CONTINUING: "planned",
    State.NA: "",
}

# States that are finished business: never chased, never urged.
FINISHED = frozenset({State.DONE, State.DONE_LATE, State.PAUSED, State.NA})
# States whose work is still to do.
OPEN = frozenset({State.ON_TRACK, State.SOON, State.OVERDUE, State.CONTINUING})


@dataclass(frozen=True)
class Standing:
    """How one obligation stands on `as_of`."""

    state: State
    as_of: datetime.date
    due: datetime.date | None = None
    done_on: datetime.date | None = None
    days: int | None = None  # days late (done_late, overdue) or days left (soon, on_track)

    @property
    def label(self) -> str:
        """What a user reads: "已逾期 12 天", "逾期 20 天完成", "5 天后到期", "按时完成"…"""
        if self.state == State.OVERDUE:
            return _("已逾期 %(days)d 天") % {"days": self.days}
        if self.state == State.DONE_LATE:
            return _("逾期 %(days)d 天完成") % {"days": self.days}
        if self.state == State.SOON:
            if self.days == 0:
                return _("今天到期")
            return _("%(days)d 天后到期") % {"days": self.days}
        return str(STATE_NAMES[self.state])

    @property
    def label_as_of(self) -> str:
        """The label with its date, for anything kept or sent (a notice, a sheet): "截至 2026-12-05 已逾期 249 天"."""
        if self.state in (State.OVERDUE, State.SOON, State.ON_TRACK):
            return _("截至 %(date)s %(label)s") % {"date": self.as_of.isoformat(), "label": self.label}
        return self.label

    @property
    def name(self) -> str:
        return str(STATE_NAMES[self.state])

    @property
    def badge(self) -> str:
        return BADGES[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_overdue(self) -> bool:
        return self.state == State.OVERDUE

    @property
    def is_done(self) -> bool:
        return self.state in (State.DONE, State.DONE_LATE)

    @property
    def on_time(self) -> bool:
        return self.state == State.DONE


def judge(
    *,
    due: datetime.date | None,
    done: bool,
    done_on: datetime.date | None,
    as_of: datetime.date,
    paused: bool = False,
    applicable: bool = True,
) -> Standing:
    """The one rule: how an obligation due on `due`, done (on `done_on`) or not, stands on `as_of`."""
    if not applicable:
        return Standing(State.NA, as_of, due, done_on)
    if paused:
        return Standing(State.PAUSED, as_of, due, done_on)
    if done and (done_on is None or done_on <= as_of):
        if due is None or done_on is None or done_on <= due:
            return Standing(State.DONE, as_of, due, done_on, 0)
        return Standing(State.DONE_LATE, as_of, due, done_on, (done_on - due).days)
    if due is None:
        return Standing(State.CONTINUING, as_of, None, None)
    if due < as_of:
        return Standing(State.OVERDUE, as_of, due, None, (as_of - due).days)
    left = (due - as_of).days
    return Standing(State.SOON if left <= SOON_DAYS else State.ON_TRACK, as_of, due, None, left)
