"""A reporter moves his unit's work between 未开始 and 推进中, and only from those states.

已完成 and 暂缓 are the liaison's decisions (and an approved report's): a reporter can neither set
them nor undo them, through the API or on the page (the Medium finding of the scope issue).
"""

from __future__ import annotations

import datetime

import pytest

from tasks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(edu):
    """尤溪县教育局's 2026 period of 推动教育医疗合作 (yx_reporter's unit leads the task)."""
    return edu.periods.get(year=2026)


def decided(period, status, liaison):
    services.set_period_status(period, status, liaison, completed_on=datetime.date(2026, 3, 1))
    period.refresh_from_db()
    return period


@pytest.mark.parametrize("decision", ["done", "paused"])
@pytest.mark.parametrize("back_to", ["not_started", "in_progress"])
def test_a_reporter_cannot_undo_the_liaisons_decision_through_the_api(
    api_for, users, period, decision, back_to
):
    period = decided(period, decision, users["yx_liaison"])
    before = (period.status, period.completed_on, period.version)
    response = api_for("yx_reporter").patch(
        f"/api/v1/task-periods/{period.pk}/", {"status": back_to, "version": period.version}, format="json"
    )
    assert response.status_code == 403
    assert "联络员" in response.json()["detail"]
    period.refresh_from_db()
    assert (period.status, period.completed_on, period.version) == before


def test_a_reporter_cannot_undo_a_done_period_on_the_page(client_for, users, period):
    period = decided(period, "done", users["yx_liaison"])
    response = client_for("yx_reporter").post(
        f"/tasks/periods/{period.pk}/status/",
        {"status": "not_started", "version": period.version},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    period.refresh_from_db()
    assert period.status == "done" and period.completed_on == datetime.date(2026, 3, 1)


def test_the_page_offers_a_reporter_no_other_status_once_the_liaison_decided(client_for, users, period):
    decided(period, "paused", users["yx_liaison"])
    page = client_for("yx_reporter").get(f"/tasks/{period.task_id}/").content.decode()
    select = page[page.index(f"/tasks/periods/{period.pk}/status/") :]
    select = select[: select.index("</select>")]
    assert 'value="paused" selected' in select
    assert 'value="in_progress"' not in select and 'value="not_started"' not in select


def test_a_reporter_still_moves_his_work_between_not_started_and_in_progress(api_for, period):
    client = api_for("yx_reporter")
    url = f"/api/v1/task-periods/{period.pk}/"
    for status in ["in_progress", "not_started", "in_progress"]:
        period.refresh_from_db()
        response = client.patch(url, {"status": status, "version": period.version}, format="json")
        assert response.status_code == 200, response.content
    period.refresh_from_db()
    assert period.status == "in_progress"


def test_the_liaison_still_reopens_a_done_period(api_for, users, period):
    period = decided(period, "done", users["yx_liaison"])
    response = api_for("yx_liaison").patch(
        f"/api/v1/task-periods/{period.pk}/",
        {"status": "in_progress", "version": period.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    period.refresh_from_db()
    assert period.status == "in_progress" and period.completed_on is None


def test_a_liaison_cannot_file_a_report_in_the_name_of_a_unit_with_no_part_in_the_task(api_for, period):
    from cooperation.models import Unit
    from tasks.models import ProgressReport

    stranger = Unit.objects.get(name="尤溪县财政局")
    assert not period.task.units.filter(pk=stranger.pk).exists()
    before = ProgressReport.objects.count()
    response = api_for("yx_liaison").post(
        "/api/v1/progress-reports/",
        {"period": period.pk, "unit": stranger.pk, "text": "代填：两地教师交流"},
        format="json",
    )
    assert response.status_code == 400
    assert "责任单位" in response.json()["unit"][0]
    assert ProgressReport.objects.count() == before
    lead = period.task.units.first()
    response = api_for("yx_liaison").post(
        "/api/v1/progress-reports/",
        {"period": period.pk, "unit": lead.pk, "text": "代填：两地教师交流"},
        format="json",
    )
    assert response.status_code == 201, response.content
