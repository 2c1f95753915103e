"""Real processes for the tests that need them: Celery workers and beat, gunicorn, an SMTP server,
a private Redis and a private PostgreSQL cluster; and the waiting, ports and logs that go with them.

One copy for the whole suite (the fixtures that start and stop these are in tests/conftest.py).
Every process is started in a session of its own (start_new_session=True), so `stop()` ends it
with its children (a worker's pool, gunicorn's workers).

Parallel runs (pytest-xdist): each worker process hands out ports from a block of its own
(`free_port`), queues are named per test, and the subprocesses use that worker's own test database
(`test_database_url`), so two workers never meet in a port, a queue or a database.
"""

from __future__ import annotations

import asyncio
import email
import glob
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from email.header import decode_header, make_header
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent

# The machine is shared and has two cores: every wait is generous.
START_TIMEOUT = 90

# Ports for the servers tests start: a block per xdist worker (the serial run takes the first),
# below Linux's ephemeral range (32768 and up) so that no outgoing connection of another process
# holds one between the check and the server's bind, and two workers never pick the same port.
PORT_BASE = 20000
PORT_BLOCK = 200


def xdist_worker() -> str:
    """This pytest-xdist worker's id ("gw0", "gw1", …); "" without xdist (and in its controller)."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def _port_block() -> range:
    worker = xdist_worker()
    index = int(worker[2:]) + 1 if worker[2:].isdigit() else 0
    start = PORT_BASE + (index * PORT_BLOCK) % (32768 - PORT_BASE - PORT_BLOCK)
    return range(start, start + PORT_BLOCK)


_handed_out: set[int] = set()


def free_port() -> int:
    """A loopback port nobody listens on, from this worker's block, never handed out twice here.

    Never twice: a private Redis restarted after a kill comes back on its port, which must still be
    its own. Starting at a random place in the block keeps two runs of the suite apart as well.
    """
    block = _port_block()
    offset = random.randrange(len(block))
    for i in range(len(block)):
        port = block[(offset + i) % len(block)]
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise AssertionError(f"no free port left in {block}")


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.2):
    """Poll until `condition()` is truthy; return its value, or fail naming what never happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Stop a process started with start_new_session=True, with its children (pool, gunicorn workers)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def children(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux /proc): a Celery worker's pool processes."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        # "pid (comm) state ppid …": comm may contain spaces, so split after the closing parenthesis.
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(text.split(" ", 1)[0]))
    return found


def log_text(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


# --- Redis --------------------------------------------------------------------------------------


class PrivateRedis:
    """A `redis-server` of this test alone, without persistence (as a restart after a crash would be)."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=(self.folder / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: port_open(self.port), START_TIMEOUT, f"redis-server on port {self.port}")

    def kill(self) -> None:
        """SIGKILL: the broker disappears at once, with every message it held."""
        stop(self.process, signal.SIGKILL)
        wait_for(lambda: not port_open(self.port), 10, "redis-server to be gone")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


# --- PostgreSQL ---------------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


class PrivateCluster:
    """A PostgreSQL cluster of this test alone, on a random port, that the test may restart.

    PostgreSQL refuses to run as root: as root (CI on this machine) initdb and the server run as
    the `postgres` user, in a folder it owns.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        # In /tmp itself: the `postgres` user must reach it (pytest's own tmp folders are root's, 0700).
        self.folder = Path(
            tempfile.mkdtemp(prefix="shanhai-faults-pg-", dir="/tmp" if os.path.isdir("/tmp") else None)
        )
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, timeout: float = START_TIMEOUT) -> None:
        result = subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, timeout=timeout, cwd=self.folder
        )
        if result.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n{log_text(self.log)[-3000:]}"
            )

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )

    def start(self) -> None:
        # Durability settings off: this cluster holds a throw-away test database.
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        self._run(
            str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name
        )

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except AssertionError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def test_database_url() -> str:
    """The URL of pytest-django's test database, for the worker and server subprocesses."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


# --- Mail ----------------------------------------------------------------------------------------


class SmtpSink:
    """A real SMTP server (aiosmtpd) that accepts, refuses with 554, or is not listening at all."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mode = "accept"
        self.messages: list[email.message.Message] = []
        self.refused = 0
        self.controller = None
        # Called (outside the event loop) as a message arrives, before it is accepted; returning an
        # SMTP reply instead of None answers with it and does not keep the message.
        self.on_message: Callable[[email.message.Message], str | None] | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content)
        if self.mode == "refuse":
            self.refused += 1
            return "554 5.3.0 Transaction failed: mail system unavailable"
        hook = self.on_message
        if hook is not None:
            reply = await asyncio.get_running_loop().run_in_executor(None, hook, message)
            if reply:
                return reply
        self.messages.append(message)
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def recipients(self) -> list[str]:
        return sorted(m["To"] for m in self.messages)

    def body_for(self, address: str) -> str:
        return "\n".join(self.bodies_for(address))

    def bodies_for(self, address: str) -> list[str]:
        bodies = []
        for message in self.messages:
            if message["To"] != address:
                continue
            part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
            bodies.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
        return bodies

    def subject_for(self, address: str) -> str:
        message = next(m for m in self.messages if m["To"] == address)
        return str(make_header(decode_header(message["Subject"])))


# --- Processes of the application ---------------------------------------------------------------


def app_env(*, redis_url: str = "", database_url: str = "", smtp_port: int | None = None, **extra) -> dict:
    """The environment of a worker, beat or server subprocess of this test."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url or test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SITE_URL": "https://shanhai.example.gov.cn",
        # A dead worker's task comes back within seconds, not an hour.
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    if smtp_port is not None:
        env.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            EMAIL_TIMEOUT="10",
        )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_worker(
    env: dict,
    queue: str,
    log: Path,
    concurrency: int = 1,
    app: str = "shanhai",
    *,
    name: str = "test",
    pool: str = "prefork",
    loglevel: str = "info",
) -> subprocess.Popen:
    """A real Celery worker on its own queue, in its own process group, logging to `log`.

    Its node name starts with `name` and is unique (two workers of one host must not share one).
    `python -m celery` from ROOT imports the project under test, whatever else is installed.
    """
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            app,
            "worker",
            "-Q",
            queue,
            "-c",
            str(concurrency),
            f"--pool={pool}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}-{os.getpid()}-{time.time_ns()}@%h",
            f"--loglevel={loglevel}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_ready(log: Path) -> bool:
    return " ready." in log_text(log)


def start_beat(
    env: dict, folder: Path, log: Path, *, day: str | None, queue: str, every: float = 3
) -> subprocess.Popen:
    """A real `celery beat` sending the reminder sweep every `every` seconds (tests/faults/beat_app.py)."""
    beat_env = {
        **env,
        "FAULTS_BEAT_EVERY": str(every),
        "FAULTS_BEAT_QUEUE": queue,
        "FAULTS_BEAT_DAY": day or "",
    }
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "tests.faults.beat_app",
            "beat",
            "-s",
            str(folder / "beat-schedule"),
            "--loglevel=info",
        ],
        cwd=ROOT,
        env=beat_env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_gunicorn(env: dict, log: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the project on a random loopback port; returns the process and its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "shanhai.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        import requests

        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{log_text(log)[-3000:]}")
        try:
            return requests.get(f"{base}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    wait_for(healthy, START_TIMEOUT, f"gunicorn at {base}", interval=0.5)
    return process, base


class WebUser:
    """A person using the running server over HTTP, signed in with a session made for them."""

    def __init__(self, base: str, user=None) -> None:
        import requests
        from django.conf import settings
        from django.test import Client

        self.base = base
        self.http = requests.Session()
        if user is not None:
            client = Client()
            client.force_login(user)
            self.http.cookies.set(
                settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
            )

    def get(self, path: str, **kwargs):
        kwargs.setdefault("timeout", 60)
        return self.http.get(self.base + path, **kwargs)

    def post(self, path: str, data=None, **kwargs):
        from django.conf import settings

        if settings.CSRF_COOKIE_NAME not in self.http.cookies:
            self.get("/accounts/login/")
        headers = {"X-CSRFToken": self.http.cookies[settings.CSRF_COOKIE_NAME], "Referer": self.base + path}
        headers.update(kwargs.pop("headers", {}))
        kwargs.setdefault("timeout", 60)
        return self.http.post(self.base + path, data=data, headers=headers, **kwargs)


def broker(url: str):
    """A Celery app of the project's settings publishing to `url` (the test process's own is eager)."""
    from celery import Celery

    app = Celery("shanhai-faults", broker=url, set_as_current=False)
    app.conf.broker_connection_retry_on_startup = False
    return app


def backend_pids_waiting_on_locks() -> list[int]:
    """Other sessions of the test database blocked on a lock (a worker stuck behind our lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


class HeldLock:
    """A lock held by a second connection of the test, so a worker blocks at a chosen point.

    E.g. `HeldLock("LOCK TABLE reminders_reminderledger IN EXCLUSIVE MODE")` lets the sweep read
    and plan but stops it at its first write, inside its transaction: the moment to kill it.
    """

    def __init__(self, *statements: str) -> None:
        import psycopg2

        db = connection.settings_dict
        self.conn = psycopg2.connect(
            dbname=db["NAME"],
            user=db["USER"],
            password=db["PASSWORD"] or None,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
        )
        self.cursor = self.conn.cursor()
        for statement in statements:
            self.cursor.execute(statement)

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()

    def terminate(self, pids: list[int]) -> None:
        """Disconnect the blocked backends of a killed process, before the lock is released."""
        for pid in pids:
            self.cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
