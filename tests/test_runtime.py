"""A served process keeps the collector's full passes off the loaded app (core/runtime.py).

Without it the province's task API paused 90–150 ms for a full collection about every twentieth
request (its p95 134 ms against a median of 23 ms, `manage.py bench`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = "import gc, shanhai.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count())"


def served(**env) -> tuple[int, int]:
    answer = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    young, frozen = answer.stdout.split()
    return int(young), int(frozen)


def test_the_wsgi_app_freezes_what_it_loaded_and_collects_the_young_less_often():
    young, frozen = served()
    assert young == 20_000
    assert frozen > 50_000  # Django, the URL conf and the apps: never walked by a full collection


def test_gc_tuning_off_leaves_pythons_defaults():
    young, frozen = served(GC_TUNING="0")
    assert young == 700 and frozen < 1_000  # (a library freezes a few hundred objects of its own)
