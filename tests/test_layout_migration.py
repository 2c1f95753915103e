"""A database of the layout before the reports app was split migrates to today's without loss.

tests/data/before_reports_split.sqlite3.gz was made with the code of that layout (commit ea2e36f):
`migrate`, `load_demo`, then the default assessment scheme, an export of two pairings and a group
holding every permission of the former app's models. Migrating it must keep every table and row,
and the moved models must read their rows through the new apps, permissions included.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BEFORE = Path(__file__).parent / "data" / "before_reports_split.sqlite3.gz"
MOVED = {
    "indicators.IndicatorDefinition": "reports_indicatordefinition",
    "indicators.RegionIndicator": "reports_regionindicator",
    "assessment.AssessmentScheme": "reports_assessmentscheme",
    "assessment.AssessmentSection": "reports_assessmentsection",
    "assessment.AssessmentExport": "reports_assessmentexport",
}

READ_BACK = """
import json
from django.apps import apps
from django.contrib.auth.models import Group
from assessment.models import AssessmentExport
counts = {label: apps.get_model(label).objects.count() for label in %(labels)r}
counts["history"] = {label: apps.get_model(label).history.count() for label in ("indicators.RegionIndicator", "assessment.AssessmentScheme")}
export = AssessmentExport.objects.get()
group = Group.objects.get(name="指标录入")
print(json.dumps({
    "counts": counts,
    "export_pairings": sorted(export.pairings.values_list("name", flat=True)),
    "group_perms": sorted({p.content_type.app_label for p in group.permissions.all()}),
    "can_view": sorted(p.codename for p in group.permissions.filter(codename__startswith="view_")),
}, ensure_ascii=False))
"""


def _manage(db: Path, *args: str, stdin: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["SQLITE_PATH"] = str(db)
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.fixture
def old_database(tmp_path) -> Path:
    db = tmp_path / "before.sqlite3"
    with gzip.open(BEFORE) as src, open(db, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return db


def test_every_row_of_the_old_layout_survives_the_migration(old_database):
    before = _table_counts(old_database)
    assert before["reports_regionindicator"] == 21  # the demo's figures

    _manage(old_database, "migrate", "--noinput")

    after = _table_counts(old_database)
    # The new apps' own rows (and SQLite's counters of the tables added since).
    grown = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
    for table, rows in before.items():
        assert table in after, f"table {table} was dropped"
        if table in grown:
            assert after[table] >= rows, table
        else:
            assert after[table] == rows, f"{table}: {rows} rows before, {after[table]} after"


def test_moved_models_read_their_rows_and_permissions_through_the_new_apps(old_database):
    before = _table_counts(old_database)
    _manage(old_database, "migrate", "--noinput")

    output = _manage(old_database, "shell", stdin=READ_BACK % {"labels": list(MOVED)})
    found = json.loads(output.strip().splitlines()[-1])

    for label, table in MOVED.items():
        assert found["counts"][label] == before[table], label
    assert (
        found["counts"]["history"]["indicators.RegionIndicator"]
        == before["reports_historicalregionindicator"]
    )
    assert len(found["export_pairings"]) == 2
    # The permissions granted on the former app's models now name the new apps.
    assert found["group_perms"] == ["assessment", "indicators"]
    assert "view_regionindicator" in found["can_view"]
    # Nothing is left for makemigrations: the state matches the models.
    _manage(old_database, "makemigrations", "--check", "--dry-run")
