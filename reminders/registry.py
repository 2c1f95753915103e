"""One registry of deadlines. The engine knows no app by name.

An app with something that falls due contributes it by defining `<app>/deadlines.py` with

    def deadlines(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Iterable[DeadlineItem]

yielding every item whose due date lies in [start, end] and that was *not done as of `as_of`*
(paid by then, completed by then …: so a sweep replayed for a past day reminds what was open that
day), in a constant number of queries. `key` must be stable and unique across apps ("tasks.period:42", "funds.commitment:7").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


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
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.deadlines"
        if find_spec(config.name) is not None and _exists(name):
            module = import_module(name)
            if hasattr(module, "deadlines"):
                found.append(module.deadlines)
    return found


def _exists(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def collect(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Iterator[DeadlineItem]:
    for provider in providers():
        yield from provider(start, end, as_of)
