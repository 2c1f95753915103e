"""Backups: a pg_dump of a database holding the demo restores into a fresh database with the same data.

Follows docs/readme_reliability_backup.md step by step, with the PostgreSQL client programs of this
machine, on two databases of its own (`<name>_sec` → `<name>_sec_restore` beside DATABASE_URL's
database `<name>`; shanhai_sec → shanhai_sec_restore without it) on the server named by
DATABASE_URL (default postgres@127.0.0.1:5432). The uploaded files (MEDIA_ROOT) are archived and
restored alongside, and every file the restored database names must be there, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from core.discovery import PROJECT_APPS

from ..conftest import require

ROOT = Path(__file__).resolve().parent.parent.parent
# Named after the run's database, as the benchmark and the load test name theirs: two runs of the
# suite on one server (CI's and a developer's) must not drop each other's.
_BASE = urlparse(os.environ.get("DATABASE_URL", "")).path.lstrip("/") or "shanhai"
SOURCE, RESTORED = f"{_BASE}_sec", f"{_BASE}_sec_restore"
# What dumpdata compares: every app's data and the accounts (sessions and axes logs are not data).
APPS = [*PROJECT_APPS, "authtoken"]


def _server() -> dict:
    url = urlparse(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    return {
        "host": url.hostname or "127.0.0.1",
        "port": str(url.port or 5432),
        "user": url.username or "postgres",
        "password": url.password or "",
    }


def _pg_env(server: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(PGHOST=server["host"], PGPORT=server["port"], PGUSER=server["user"])
    if server["password"]:
        env["PGPASSWORD"] = server["password"]
    return env


def _run(args: list[str], env: dict, timeout: int = 300) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _reachable(server: dict) -> bool:
    if not all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "psql", "pg_isready")):
        return False
    probe = subprocess.run(
        ["pg_isready", "-q", "-h", server["host"], "-p", server["port"]], capture_output=True, timeout=20
    )
    return probe.returncode == 0


def _app_env(server: dict, database: str, media: Path) -> dict:
    auth = f"{server['user']}:{server['password']}@" if server["password"] else f"{server['user']}@"
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    env.update(
        DATABASE_URL=f"postgres://{auth}{server['host']}:{server['port']}/{database}",
        MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE="shanhai.settings",
    )
    return env


def _counts(env: dict, database: str) -> dict[str, int]:
    """Rows per table of the public schema, counted exactly (one statement per table)."""
    tables = _run(
        [
            "psql",
            "-d",
            database,
            "-tAc",
            "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1",
        ],
        env,
    ).split()
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)
    rows = _run(["psql", "-d", database, "-tA", "-F", "\t", "-c", sql], env).splitlines()
    return {name: int(n) for name, n in (row.split("\t") for row in rows if row)}


def _checksum(env: dict, database: str, table: str) -> str:
    """md5 of a table's rows in primary-key order: equal only if every value is equal."""
    sql = f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM \"{table}\" t"
    return _run(["psql", "-d", database, "-tAc", sql], env).strip()


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_a_dump_of_the_demo_restores_to_the_same_data(tmp_path):
    server = _server()
    require(_reachable(server), "PostgreSQL (pg_isready, pg_dump, pg_restore, psql)")
    pg = _pg_env(server)
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    media.mkdir()
    python = sys.executable

    # 1. A database holding the demo (and its evidence files in MEDIA_ROOT).
    for database in (SOURCE, RESTORED):
        _run(["dropdb", "--if-exists", "--force", database], pg)
    _run(["createdb", SOURCE], pg)
    source_env = _app_env(server, SOURCE, media)
    _run([python, "manage.py", "migrate", "--noinput", "-v0"], source_env)
    _run([python, "manage.py", "load_demo", "--quiet"], source_env)

    # 2. The backup, as documented: custom-format dump plus an archive of MEDIA_ROOT.
    dump, archive = tmp_path / "shanhai.dump", tmp_path / "media.tar.gz"
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), SOURCE], pg)
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname="media")
    assert dump.stat().st_size > 10_000

    # 3. The restore into a fresh database and an empty folder.
    _run(["createdb", RESTORED], pg)
    _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", RESTORED, str(dump)], pg)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (tmp_path / "unpacked" / "media").rename(restored_media)
    restored_env = _app_env(server, RESTORED, restored_media)

    # 4. The same data: rows of every table, checksums of the key tables, and Django's own dump.
    before, after = _counts(pg, SOURCE), _counts(pg, RESTORED)
    assert before == after
    assert (
        before["cooperation_pairing"] >= 10
        and before["tasks_task"] >= 40
        and before["funds_disbursement"] >= 4
    )
    for table in [
        "cooperation_pairing",
        "cooperation_user",
        "tasks_task",
        "tasks_taskperiod",
        "tasks_progressreport",
        "funds_fundcommitment",
        "funds_disbursement",
        "parks_parkinvestmentplan",
        "tasks_historicaltask",
    ]:
        assert _checksum(pg, SOURCE, table) == _checksum(pg, RESTORED, table), table
    dump_command = [python, "manage.py", "dumpdata", *APPS, "cooperation.user", "--natural-foreign"]
    original = json.loads(_run(dump_command, source_env))
    copy = json.loads(_run(dump_command, restored_env))
    assert len(original) > 500 and original == copy

    # 5. The restored app finds every uploaded file it names, unchanged; and it runs (migrations current).
    assert _digest(media) == _digest(restored_media) and _digest(media)
    names = _run(
        [
            "psql",
            "-d",
            RESTORED,
            "-tAc",
            "SELECT file FROM tasks_evidence UNION ALL SELECT evidence FROM funds_disbursement WHERE evidence <> ''",
        ],
        pg,
    ).split()
    assert names and all((restored_media / name).is_file() for name in names), names
    _run([python, "manage.py", "migrate", "--check", "--noinput"], restored_env)
