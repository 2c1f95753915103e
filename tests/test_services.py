"""The real services: PostgreSQL when DATABASE_URL is set, Redis, and a real Celery worker.

With CI=true these fail (never skip) when a service is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.harness import ROOT, start_worker, stop

from .conftest import CI, redis_reachable, redis_url, require


@pytest.mark.services
@pytest.mark.django_db
def test_database_is_postgresql_when_configured():
    require(bool(os.environ.get("DATABASE_URL")), "DATABASE_URL (PostgreSQL)")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW TIMEZONE")
        assert cursor.fetchone()[0] in {"UTC", "Etc/UTC"}  # Django stores UTC; pages show Asia/Shanghai


def test_ci_runs_on_the_real_services():
    if not CI:
        pytest.skip("only asserted in CI")
    assert os.environ.get("DATABASE_URL", "").startswith("postgres"), "CI must run on PostgreSQL"
    assert redis_reachable(), "CI must have Redis"


@pytest.mark.services
def test_redis_answers():
    require(redis_reachable(), "Redis at REDIS_URL")
    import redis

    client = redis.Redis.from_url(redis_url())
    assert client.ping() is True


@pytest.mark.services
def test_a_real_celery_worker_runs_a_task_through_redis(tmp_path):
    require(redis_reachable(), "Redis at REDIS_URL")
    env = {**os.environ, "REDIS_URL": redis_url(), "CELERY_TASK_ALWAYS_EAGER": "0"}
    # A queue of its own, so a worker left running by a developer cannot answer for this one.
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    worker = start_worker(env, queue, tmp_path / "worker.log", pool="solo", loglevel="warning")
    try:
        code = (
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','shanhai.settings'); django.setup();"
            f"from shanhai.celery import ping; print(ping.apply_async(queue={queue!r}).get(timeout=60))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90
        )
        assert result.stdout.strip() == "pong", result.stderr
    finally:
        stop(worker, timeout=20)
