"""One registry of deadlines. The engine knows no app by name.

An app with something that falls due contributes it by defining `<app>/deadlines.py` (found by
core/discovery.py) with

    def deadlines(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Iterable[DeadlineItem]

yielding every item whose due date lies in [start, end] and that was *not done as of `as_of`*
(paid by then, completed by then …: so a sweep replayed for a past day reminds what was open that
day), in a constant number of queries. `key` must be stable and unique across apps ("tasks.period:42", "funds.commitment:7").
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from core.discovery import app_modules

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadlineItem:
    key: str
    due: datetime.date
    pairing_id: int
    unit_ids: tuple[int, ...]
    summary: str  # one line in Chinese, e.g. "尤溪县：¥12,000,000 应于 2025-04-30 前到位 — 已付 ¥0"
    url: str  # path of the object's page, e.g. "/funds/commitments/3/"
    kind: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)


Provider = Callable[[datetime.date, datetime.date, datetime.date], Iterable[DeadlineItem]]


def providers() -> list[Provider]:
    return [module.deadlines for module in app_modules("deadlines", "deadlines")]


def collect(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Iterator[DeadlineItem]:
    """Every provider's items. A provider that raises is logged and skipped: the other apps'
    reminders still go out that day (its savepoint keeps a database error from poisoning the
    sweep's transaction)."""
    for provider in providers():
        try:
            with transaction.atomic():
                items = list(provider(start, end, as_of))
        except Exception:
            logger.exception(
                "deadline provider %s.%s failed; its items are left out today",
                provider.__module__,
                provider.__name__,
            )
            continue
        yield from items
