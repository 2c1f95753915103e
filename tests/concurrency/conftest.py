"""Fixtures of the concurrency tests: the demo's real task and commitment, and a way to start N
requests at the same instant in threads (each with its own database connection)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from tests.conftest import require


def needs_postgresql() -> None:
    """Races need a database that lets two transactions run at once: SQLite serialises writers."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def run_concurrently(work, n: int = 2, timeout: float = 60) -> list[tuple[str, object]]:
    """Run `work(i)` in n threads released together; each outcome is ("ok", result),
    ("refused", message) for a clear refusal, or ("error", repr) for anything else.

    A thread still running after `timeout` seconds is a deadlock (or a lost lock) and fails the test.
    """
    from core.concurrency import VersionConflict

    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = ("ok", work(i))
        except (ValidationError, VersionConflict, PermissionDenied) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            outcomes[i] = ("refused", message)
        except Exception as exc:  # noqa: BLE001 — any other outcome is what these tests look for
            outcomes[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a request hung: deadlock?"
    return outcomes


@pytest.fixture
def edu(demo):
    """二、（四）2. 推动教育医疗合作 (晋政文〔2024〕102号): 尤溪县教育局 and 晋江市教育局 lead."""
    from tasks.models import Task

    return Task.objects.get(pairing=demo["jy"], title="推动教育医疗合作")


@pytest.fixture
def open_2026(demo):
    """Jinjiang–Youxi's 2026 commitment: ¥12,000,000 due 2026-04-30, nothing paid yet."""
    from funds.models import FundCommitment

    return FundCommitment.objects.get(pairing=demo["jy"], year=2026)


@pytest.fixture
def finance(users):
    from cooperation.models import User

    users["jj_finance"] = User.objects.get(username="jj_finance")
    return users["jj_finance"]


@pytest.fixture
def snapshot(db):
    """snapshot() → every audited model's row and history counts and the media files (see badinput)."""
    from tests.badinput.conftest import state

    return state
