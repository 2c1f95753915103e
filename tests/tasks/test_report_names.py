"""Who wrote and who reviewed a progress report, as the API shows it: null when nobody did."""

from __future__ import annotations

import pytest

from tasks import services

pytestmark = pytest.mark.django_db


def test_a_report_written_by_an_import_shows_no_author_and_a_persons_report_shows_his_name(
    api_for, users, edu
):
    period = edu.periods.get(year=2026)
    unit = users["yx_reporter"].unit
    # The system path (an import or a job): no user behind the report.
    imported = services.save_report(period, None, unit=unit, text="2026年一季度：开展教师交流2批次")
    assert imported.created_by is None
    client = api_for("yx_reporter")  # a draft is its unit's own until submitted
    row = client.get(f"/api/v1/progress-reports/{imported.pk}/").json()
    assert row["created_by_name"] is None and row["reviewed_by_name"] is None
    listed = client.get("/api/v1/progress-reports/", {"period": period.pk}).json()["results"]
    assert [r["created_by_name"] for r in listed if r["id"] == imported.pk] == [None]

    written = services.save_report(period, users["yx_reporter"], text="2026年二季度：开展医疗交流1批次")
    row = client.get(f"/api/v1/progress-reports/{written.pk}/").json()
    assert row["created_by_name"] == str(users["yx_reporter"]) and row["created_by_name"] not in ("", "None")
