"""The short load run of CI: 20 simulated people for 30 s against gunicorn + PostgreSQL, zero errors.

loadtest/run.py does the work (a dedicated database `<DATABASE_URL's name>_load`, migrated, with the
demo; gunicorn with two workers and production settings on a random loopback port; locust with
loadtest/locustfile.py: liaison staff and reporters) and drops the database afterwards. The longer
run and its figures: docs/readme_reliability_faults.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ..conftest import require

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [pytest.mark.services]


@pytest.mark.slow
@pytest.mark.serial  # a load run: it needs the machine to itself
def test_twenty_people_for_thirty_seconds_get_no_error(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    require(url.startswith("postgres"), "PostgreSQL (DATABASE_URL)")
    require(shutil.which("locust", path=str(Path(sys.executable).parent)) is not None, "locust")
    name = urlparse(url).path.lstrip("/")
    database = url.rsplit("/", 1)[0] + f"/{name}_load"
    summary_file = tmp_path / "summary.json"
    result = subprocess.run(
        [
            sys.executable,
            "loadtest/run.py",
            "--users",
            "20",
            "--spawn-rate",
            "5",
            "--run-time",
            "30s",
            "--workers",
            "2",
            "--database-url",
            database,
            "--out",
            str(tmp_path / "out"),
            "--json",
            str(summary_file),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    print(result.stdout[-6000:])
    assert summary_file.exists(), result.stdout[-4000:] + result.stderr[-4000:]
    summary = json.loads(summary_file.read_text())
    assert summary["failures"] == 0, summary["failure_details"]
    assert result.returncode == 0, result.stderr[-4000:]
    # A run that did (almost) nothing must not pass: pages were read and reports written.
    by_request = summary["by_request"]
    assert summary["requests"] >= 50
    assert by_request["任务页"]["requests"] > 0 and by_request["我的任务"]["requests"] > 0
    assert by_request["提交进展报告"]["requests"] > 0
