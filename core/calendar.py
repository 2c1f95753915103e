"""Working days of mainland China: statutory holidays and make-up working days.

From chinesecalendar, a maintained library that follows the State Council's yearly notice. For a
year it does not know yet, Monday–Friday are taken as working days.
"""

from __future__ import annotations

import datetime
import functools

import chinese_calendar


def is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


@functools.lru_cache(maxsize=4096)
def last_workday_on_or_before(day: datetime.date) -> datetime.date:
    """A due date on a holiday or weekend is effectively the last working day before it (kept per
    day: a list of hundreds of due dates asks for the same few days again and again)."""
    while not is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def workdays_before(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days before `day` (0: `day` itself, moved back to a working day)."""
    current = last_workday_on_or_before(day)
    while count > 0:
        current -= datetime.timedelta(days=1)
        if is_workday(current):
            count -= 1
    return current
