"""Fixtures of the bad-input tests: a snapshot of everything a refusal must leave untouched."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest


def state() -> dict:
    """Rows and history rows of every audited model, and the files under MEDIA_ROOT.

    A refused request must leave all of it exactly as it was: no row, no history row, no file.
    """
    from django.conf import settings
    from simple_history.models import registered_models

    counts = {}
    for model in sorted(set(registered_models.values()), key=lambda m: m._meta.label):
        counts[model._meta.label] = (model._base_manager.count(), model.history.model.objects.count())
    media = Path(settings.MEDIA_ROOT)
    counts["files"] = (
        sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())
        if media.exists()
        else []
    )
    return counts


@pytest.fixture
def unchanged(db):
    """`with unchanged(): …` fails when the block wrote a row, a history row or a file."""

    @contextlib.contextmanager
    def check():
        before = state()
        yield
        after = state()
        changed = {
            k: (before.get(k), after.get(k))
            for k in set(before) | set(after)
            if before.get(k) != after.get(k)
        }
        assert not changed, f"a refused input changed something: {changed}"

    return check


@pytest.fixture
def draft_report(edu, users):
    """A draft report of 尤溪县教育局 (yx_reporter) on the 2026 period of 推动教育医疗合作."""
    from tasks import services

    return services.save_report(
        edu.periods.get(year=2026), users["yx_reporter"], text="2026年交流情况（草稿）"
    )


@pytest.fixture
def fresh(demo):
    """A new Jinjiang–Youxi pairing without documents or tasks, for the plan upload."""
    from cooperation.models import Pairing, Region

    return Pairing.objects.create(
        name="晋江市—尤溪县（坏输入）",
        coastal_region=Region.objects.get(name="晋江市"),
        mountain_region=Region.objects.get(name="尤溪县"),
        start_year=2024,
        end_year=2030,
    )


@pytest.fixture
def on_postgresql():
    from django.db import connection

    return connection.vendor == "postgresql"
