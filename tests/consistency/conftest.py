"""The consistency test's clock and clients: the product's day is TODAY, the reader is a superuser."""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

import pytest
from rest_framework.test import APIClient

from cooperation.models import User

from .surfaces import Ctx

TODAY = datetime.date(2026, 12, 5)


class Clock:
    """The product's clock (`django.utils.timezone.now`), standing on one day at 10:00 in Shanghai.

    It stands on TODAY; the generator moves it to the day of each thing it records (`at(day)`), so a
    payment, a report's approval or a lock carries its own day in its timestamps and history, as if
    recorded then.
    """

    def __init__(self, day: datetime.date) -> None:
        self.day = day

    def now(self) -> datetime.datetime:
        return datetime.datetime(self.day.year, self.day.month, self.day.day, 2, 0, tzinfo=datetime.UTC)

    @contextlib.contextmanager
    def at(self, day: datetime.date):
        before, self.day = self.day, day
        try:
            yield
        finally:
            self.day = before


@pytest.fixture
def clock():
    clock = Clock(TODAY)
    with mock.patch("django.utils.timezone.now", side_effect=clock.now):
        yield clock


@pytest.fixture
def frozen(clock):
    """The product's day is TODAY whatever the machine's clock says."""
    return clock.day


@pytest.fixture
def ctx(frozen, clock, client):
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    client.force_login(admin)
    api = APIClient()
    api.force_authenticate(admin)
    return Ctx(client=client, api=api, today=frozen, clock=clock)
