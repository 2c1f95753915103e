"""Run the load scenario (loadtest/locustfile.py) against gunicorn + PostgreSQL on this machine.

    .venv/bin/python loadtest/run.py --users 20 --run-time 30s            # the CI run (tests/load)
    .venv/bin/python loadtest/run.py --users 60 --run-time 5m --out docs/load   # the longer run

What it does, each step in a subprocess so nothing of this script's own Django leaks in:
1. (re)creates a dedicated PostgreSQL database (default `shanhai_load` on the server of
   DATABASE_URL, or --database-url), migrates it and loads the demo (`load_demo`);
2. starts gunicorn with production settings (DEBUG=0, a fresh SECRET_KEY, plain HTTP on loopback:
   SECURE_SSL_REDIRECT=0; loadtest/settings.py: static files without the manifest, so no
   collectstatic) and --workers on a random port;
3. signs the demo accounts in once (sessions written to a file the scenario reads: logins with
   PBKDF2 would otherwise dominate a 30-second run on two cores; --real-logins to include them);
4. runs locust headless (--users, --spawn-rate, --run-time) and reads its CSV statistics;
5. prints a summary, writes it as JSON (--json), drops the database unless --keep-db.

Exit status 1 when any request failed. Nothing here touches another database or Redis.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"

ACCOUNTS = ["jj_liaison", "yx_liaison", "wz_liaison", "yx_reporter", "jj_reporter", "jj_finance"]
SESSIONS_PER_ACCOUNT = 10

MAKE_SESSIONS = """
import json, os
from django.conf import settings
from django.test import Client
from cooperation.models import User
out = {}
for name in os.environ["LOAD_ACCOUNTS"].split(","):
    user = User.objects.get(username=name)
    cookies = []
    for _ in range(int(os.environ["LOAD_SESSIONS_PER_ACCOUNT"])):
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    out[name] = {"role": user.role, "sessions": cookies}
print(json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}"))


def run(args: list[str], env: dict, timeout: float = 1200, what: str = "") -> str:
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SystemExit(f"{what or args[0]} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    if what:
        print(f"  {what}: {time.monotonic() - started:.1f} s", flush=True)
    return result.stdout


def recreate_database(database_url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def drop_database(database_url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(database_url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(parts.path.lstrip("/")))
        )
    admin.close()


def wait_healthy(base: str, server: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(
        f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')[-4000:]}"
    )


def read_stats(prefix: Path) -> dict:
    """Locust's `<prefix>_stats.csv`: one row per request name, and the Aggregated row."""
    rows = {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"] if row["Name"] != "Aggregated" else "Aggregated"] = {
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["Median Response Time"] or 0),
                "p95_ms": float(row["95%"] or 0) if row.get("95%") not in (None, "N/A") else 0.0,
                "p99_ms": float(row["99%"] or 0) if row.get("99%") not in (None, "N/A") else 0.0,
                "max_ms": float(row["Max Response Time"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    return rows


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="30s")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--database-url",
        default="",
        help="the dedicated database to (re)create; default: shanhai_load on DATABASE_URL's server",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the database (and reuse it with --reuse-db)"
    )
    parser.add_argument(
        "--reuse-db", action="store_true", help="skip recreating, migrating and loading the demo"
    )
    parser.add_argument(
        "--real-logins", action="store_true", help="every simulated user logs in with the form"
    )
    parser.add_argument(
        "--out", default="", help="folder for locust's CSV files and the logs (default: a temp dir)"
    )
    parser.add_argument("--json", default="", help="write the summary as JSON to this file")
    options = parser.parse_args(argv)

    base_url = os.environ.get("DATABASE_URL", "")
    database_url = options.database_url or (
        with_database(base_url, "shanhai_load")
        if base_url.startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432/shanhai_load"
    )
    out = Path(options.out or tempfile.mkdtemp(prefix="shanhai-load-"))
    out.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "MEDIA_ROOT": str(out / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    python = str(BIN / "python")
    print(f"load run: {options.users} users, {options.run_time}, gunicorn -w {options.workers}", flush=True)
    print(f"  database {database_url}", flush=True)
    if not options.reuse_db:
        recreate_database(database_url)
        run([python, "manage.py", "migrate", "--noinput", "-v0"], env, what="migrate")
        run([python, "manage.py", "load_demo", "--quiet"], env, what="load_demo")
    sessions_file = out / "sessions.json"
    if not options.real_logins:
        sessions = run(
            [python, "manage.py", "shell", "-c", MAKE_SESSIONS],
            {
                **env,
                "LOAD_ACCOUNTS": ",".join(ACCOUNTS),
                "LOAD_SESSIONS_PER_ACCOUNT": str(SESSIONS_PER_ACCOUNT),
            },
            what="sessions",
        )
        sessions_file.write_text(sessions.strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web_log = out / "gunicorn.log"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "shanhai.wsgi:application",
            "--workers",
            str(options.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--access-logfile",
            str(out / "access.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=web_log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_healthy(base, server, web_log)
        prefix = out / "locust"
        load_before = os.getloadavg()
        locust_env = {**env, "SHANHAI_SESSIONS": "" if options.real_logins else str(sessions_file)}
        started = time.monotonic()
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(options.users),
                "--spawn-rate",
                str(options.spawn_rate),
                "--run-time",
                options.run_time,
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "30",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=locust_env,
            capture_output=True,
            text=True,
            timeout=None,
        )
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
        (out / "locust.log").write_text(locust.stdout + locust.stderr)
        if not Path(f"{prefix}_stats.csv").exists():
            raise SystemExit(f"locust wrote no statistics:\n{locust.stdout[-4000:]}\n{locust.stderr[-4000:]}")
        stats = read_stats(prefix)
        failures = read_failures(prefix)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not options.keep_db:
            drop_database(database_url)

    total = stats["Aggregated"]
    summary = {
        "users": options.users,
        "run_time": options.run_time,
        "workers": options.workers,
        "cpus": os.cpu_count(),
        "elapsed_s": round(elapsed, 1),
        # The machine's 1-minute load average before and after: other work on it slows everything.
        "load_average": [round(load_before[0], 1), round(load_after[0], 1)],
        "requests": total["requests"],
        "failures": total["failures"],
        "rps": round(total["rps"], 1),
        "median_ms": total["median_ms"],
        "p95_ms": total["p95_ms"],
        "p99_ms": total["p99_ms"],
        "max_ms": total["max_ms"],
        "by_request": {name: row for name, row in stats.items() if name != "Aggregated"},
        "failure_details": failures,
        "out": str(out),
    }
    print(
        f"\nload average {summary['load_average'][0]} → {summary['load_average'][1]} on {os.cpu_count()} cores"
    )
    print(
        f"{total['requests']} requests, {total['failures']} failures, {total['rps']:.1f} req/s, "
        f"median {total['median_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, p99 {total['p99_ms']:.0f} ms"
    )
    print(f"{'request':<44} {'n':>6} {'fail':>5} {'median':>7} {'p95':>7} {'p99':>7}")
    for name, row in sorted(summary["by_request"].items()):
        print(
            f"{row['method'] + ' ' + name:<44} {row['requests']:>6} {row['failures']:>5} "
            f"{row['median_ms']:>7.0f} {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f}"
        )
    for failure in failures:
        print(
            f"FAILED {failure.get('Method')} {failure.get('Name')}: {failure.get('Error')} × {failure.get('Occurrences')}"
        )
    if options.json:
        Path(options.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    return 1 if total["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
