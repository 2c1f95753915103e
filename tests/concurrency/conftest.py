"""Fixtures of the concurrency tests: a way to start N requests at the same instant in threads (each
with its own database connection). The demo's task and commitment (`edu`, `open_2026`) and the
finance persona come from tests/conftest.py."""

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
def snapshot(db):
    """snapshot() → every audited model's row and history counts and the media files (see badinput)."""
    from tests.badinput.conftest import state

    return state
