"""PostgreSQL restarted under a running server: the next request succeeds, no app restart.

gunicorn (two workers, persistent connections: CONN_MAX_AGE=60) serves a private PostgreSQL cluster
of this test, which the test stops (`pg_ctl -m fast`: every connection is cut) and starts again.
The workers still hold their dead connections; with CONN_HEALTH_CHECKS (shanhai/settings.py) each
notices at the start of its next request and reconnects. The shared PostgreSQL is never touched.
"""

from __future__ import annotations

import re
import subprocess

import pytest
import requests

from tests.harness import BIN, ROOT, app_env, children, port_open, start_gunicorn, stop

pytestmark = [pytest.mark.services]

PASSWORD = "restart-Test-2025"
PAGES = ["/pairings/", "/tasks/", "/funds/", "/healthz"]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": "restart_admin", "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=60,
    )
    assert response.status_code == 200 and "/accounts/login/" not in response.url
    return session


def all_pages_answer(session: requests.Session, base: str, rounds: int) -> list[tuple[str, int]]:
    """Each page `rounds` times (gunicorn spreads them over both workers); (path, status) of failures."""
    failures = []
    for _round in range(rounds):
        for path in PAGES:
            response = session.get(base + path, timeout=60, allow_redirects=False)
            if response.status_code != 200:
                failures.append((path, response.status_code))
    return failures


@pytest.mark.slow
@pytest.mark.serial  # stops and starts PostgreSQL under a running server
def test_the_next_request_after_a_postgresql_restart_succeeds_without_restarting_the_app(
    private_postgres, tmp_path
):
    private_postgres.create_database("shanhai")
    env = app_env(database_url=private_postgres.url("shanhai"), CONN_MAX_AGE=60)
    env.pop("REDIS_URL", None)  # this test is about the database alone
    manage(env, "migrate", "--noinput", "-v0")
    manage(
        env,
        "shell",
        "-c",
        "from cooperation.models import User; "
        f"User.objects.create_superuser('restart_admin', 'restart@example.gov.cn', {PASSWORD!r})",
    )
    web, base = start_gunicorn(env, tmp_path / "web.log", workers=2)
    try:
        session = login(base)
        # Both workers open their persistent connection.
        assert all_pages_answer(session, base, rounds=3) == []
        workers = sorted(children(web.pid))
        assert len(workers) == 2

        private_postgres.stop("fast")
        assert not port_open(private_postgres.port)  # really gone, every connection cut
        private_postgres.start()

        # The very next requests, on both workers, succeed; the user is still signed in.
        assert all_pages_answer(session, base, rounds=3) == []
        assert "restart_admin" in session.get(f"{base}/pairings/", timeout=60).text
        # The same two worker processes: nothing was restarted.
        assert sorted(children(web.pid)) == workers
    finally:
        stop(web)
