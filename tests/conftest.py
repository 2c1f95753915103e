"""Test overlay and personas.

Personas come from the demo data (the real pairings of the seeds): `jj_liaison`, `yx_liaison`,
`yx_reporter`, `jj_reporter`, `wz_liaison` (liaison of another pairing), `leader` (viewer),
`admin` (superuser), and `outsider` (a signed-in user of no unit).

Tests that need a real service call `require(...)`: without CI they skip when the service is
missing; with CI=true they fail, so a CI run can never pass by skipping them. The processes such
tests start (Celery workers, beat, gunicorn, an SMTP server, a private Redis or PostgreSQL) come
from tests/harness.py, through the fixtures at the end of this file.

Markers: `slow` (over ~10 s: `make test-fast` leaves them out) and `serial` (must not share the
machine with other tests: `make test` runs them after the parallel pass, one at a time).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
from urllib.parse import urlparse

import django
import pytest
from django.core.management import call_command
from django.db import connection

from .harness import PrivateCluster, PrivateRedis, SmtpSink, postgres_bin, stop

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def require(condition: bool, what: str) -> None:
    if condition:
        return
    message = f"{what} is not available"
    if CI:
        pytest.fail(f"{message} (CI=true: tests that need it must run)")
    pytest.skip(message)


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def redis_reachable() -> bool:
    url = redis_url()
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return path if os.path.exists(path) else shutil.which("chromium")


def pytest_configure(config):
    """In a pytest-xdist worker, the Redis cache gets a key prefix of that worker.

    Each worker has a test database of its own (pytest-django adds `_gw0`, `_gw1`, …), so rows of
    two workers share primary keys; cache keys built from them (the login lock-out, throttles) must not
    meet in the one Redis database of the run. The broker needs nothing: every test that talks to
    a real worker uses a queue of its own.
    """
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from django.test.utils import override_settings

        caches = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"pytest-{worker}"}}
        # override_settings resets Django's cache handler, so no client of the old settings is kept.
        override_settings(CACHES=caches).enable()


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    """One folder for uploaded files per session: the demo's evidence lives there too."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, media_root):
    # Tests not about Celery run its tasks in-process; those about it start a real worker.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    if django.VERSION >= (6, 1):
        settings.MAILERS = {"default": {"BACKEND": locmem}}
    else:
        settings.EMAIL_BACKEND = locmem
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = media_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.LANGUAGE_CODE = "zh-hans"
    # The test client's login() passes no request, which axes needs; tests of throttling enable it.
    settings.AXES_ENABLED = False
    # Figures computed live: each test rolls back its writes, which no cache key could see (the
    # tests of core/freshness.py turn it on, in transactional tests).
    settings.FIGURES_CACHE = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, media_root):
    """The demo data of every app, loaded once into the test database by the command `make run` uses.

    Each test runs in a transaction rolled back at its end, so every test starts from the demo.
    Transactional tests (browser, races) flush the database afterwards; pytest-django runs them after
    the others, and they load the demo themselves (`load_demo` is idempotent).
    """
    from django.test import override_settings

    # The same fast hasher as every test (see _test_settings), so demo passwords verify.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media_root):
        call_command("load_demo", "--quiet")
    yield
    # Then pytest-django drops the test database, which PostgreSQL refuses while anyone else is
    # connected: a live-server thread still serving a keep-alive HTTP connection (the fuzzing's
    # session, when it ran last in an xdist worker) keeps its connection, and test_<name>_gw0 was
    # left behind with a warning. Whoever is still connected at the end is disconnected first.
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def demo(db):
    """The demo's main pairings (the data itself is loaded once per session)."""
    from cooperation.models import Pairing

    if not Pairing.objects.exists():  # after a transactional test flushed the database
        call_command("load_demo", "--quiet")

    return {
        "jy": Pairing.objects.get(name="晋江市—尤溪县山海协作"),
        "wz": Pairing.objects.get(name="温州市山海协作工程升级版"),
        "mn": Pairing.objects.get(kind=Pairing.Kind.EAST_WEST),
    }


def _user(username: str):
    from cooperation.models import User

    return User.objects.get(username=username)


@pytest.fixture
def users(demo):
    from cooperation.models import User

    names = ["admin", "jj_liaison", "yx_liaison", "yx_reporter", "jj_reporter", "wz_liaison", "leader"]
    found = {name: _user(name) for name in names}
    found["outsider"] = User.objects.create_user("outsider", password="outsider-pass-1")
    return found


@pytest.fixture
def client_for(client, users):
    """client_for("yx_reporter") → a test client signed in as that persona (None: anonymous)."""
    from django.test import Client

    def make(username: str | None):
        c = Client()
        if username:
            c.force_login(users[username])
        return c

    return make


@pytest.fixture
def api_for(users):
    from rest_framework.test import APIClient

    def make(username: str | None):
        c = APIClient()
        if username:
            c.force_authenticate(users[username])
        return c

    return make


# --- Fixtures shared by several test folders -------------------------------------------------------


@pytest.fixture
def edu(demo):
    """二、（四）2. 推动教育医疗合作 (晋政文〔2024〕102号): 尤溪县教育局 and 晋江市教育局 lead;
    yearly minimum exchanges — here as a task decided by approved progress reports, the example of
    the report workflow. (The demo proves it by the pairing's activities: `edu_kept`.)"""
    from tasks.models import Task

    task = Task.objects.get(pairing=demo["jy"], title="推动教育医疗合作")
    task.fulfilment = Task.Fulfilment.REPORTS
    task.save()
    return task


@pytest.fixture
def edu_kept(demo):
    """推动教育医疗合作 as the demo keeps it: each year proved by the education and the health exchange."""
    from tasks.models import Task

    return Task.objects.get(pairing=demo["jy"], title="推动教育医疗合作")


@pytest.fixture
def open_2026(demo):
    """Jinjiang–Youxi's 2026 commitment: ¥12,000,000 due 2026-04-30, nothing paid yet."""
    from funds.models import FundCommitment

    return FundCommitment.objects.get(pairing=demo["jy"], year=2026)


@pytest.fixture
def finance(users):
    """jj_finance: reporter of 晋江市财政局, the paying unit (also users["jj_finance"] from now on)."""
    users["jj_finance"] = _user("jj_finance")
    return users["jj_finance"]


# --- Real processes (tests/harness.py) --------------------------------------------------------------


@pytest.fixture
def smtp():
    """A real SMTP server on a free port of this worker (harness.SmtpSink), stopped after the test."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def private_redis(tmp_path):
    """A `redis-server` of this test alone (harness.PrivateRedis), which the test may kill."""
    require(shutil.which("redis-server") is not None, "redis-server (to run a private Redis)")
    folder = tmp_path / "redis"
    folder.mkdir()
    redis = PrivateRedis(folder)
    redis.start()
    yield redis
    stop(redis.process, signal.SIGKILL)


@pytest.fixture
def private_postgres():
    """A PostgreSQL cluster of this test alone (harness.PrivateCluster), which the test may restart."""
    bindir = postgres_bin()
    require(bindir is not None, "PostgreSQL server binaries (initdb, pg_ctl)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            require(False, "a `postgres` system user (PostgreSQL refuses to run as root)")
    cluster = PrivateCluster(bindir)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def postgres(demo):
    """The test database must be PostgreSQL: the workers and servers are other processes."""
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    return demo
