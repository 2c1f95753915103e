"""Liaison staff approve or return several reports at once: each its own history row and notice, all or nothing."""

from __future__ import annotations

from reminders.models import Notification
from tasks import services
from tasks.models import ProgressReport


def submitted_reports(edu, users, n: int) -> list[ProgressReport]:
    reporter = users["yx_reporter"]
    reports = []
    for year in range(2026, 2026 + n):
        period = edu.periods.get(year=year)
        report = services.save_report(period, reporter, text=f"{year}年教师交流一次（12人）")
        reports.append(services.submit_report(report, reporter))
    return reports


def test_bulk_approve_gives_each_report_its_history_and_notice(demo, edu, users, client_for):
    reports = submitted_reports(edu, users, 3)
    before = Notification.objects.filter(user=users["yx_reporter"]).count()
    page = client_for("yx_liaison").get("/tasks/mine/").content.decode()
    assert 'id="bulk-review"' in page and "批量通过" in page
    answer = client_for("yx_liaison").post(
        "/tasks/reports/bulk-review/", {"bulk_action": "approve", "report": [r.pk for r in reports]}
    )
    assert answer.status_code == 302
    for report in reports:
        report.refresh_from_db()
        assert report.status == "approved" and report.reviewed_by == users["yx_liaison"]
        assert report.history.first().history_user == users["yx_liaison"]
    assert Notification.objects.filter(user=users["yx_reporter"]).count() == before + 3


def test_one_refusal_changes_none_and_names_the_report(demo, edu, users, client_for):
    reports = submitted_reports(edu, users, 2)
    own = ProgressReport.objects.get(status="submitted", unit__name="晋江市财政局")  # jj_liaison wrote it
    answer = client_for("jj_liaison").post(
        "/tasks/reports/bulk-review/",
        {"bulk_action": "approve", "report": [reports[0].pk, own.pk, reports[1].pk]},
        headers={"accept": "application/json"},
    )
    assert answer.status_code == 403
    assert (
        "不能审核自己填写的报告" in answer.json()["message"]
        and own.period.task.title in answer.json()["message"]
    )
    assert set(
        ProgressReport.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)
    ) == {"submitted"}


def test_returning_in_bulk_needs_a_reason_and_foreign_reports_are_not_found(demo, edu, users, client_for):
    reports = submitted_reports(edu, users, 1)
    client = client_for("yx_liaison")
    refused = client.post(
        "/tasks/reports/bulk-review/",
        {"bulk_action": "return", "report": [reports[0].pk]},
        headers={"accept": "application/json"},
    )
    assert refused.status_code == 400 and "原因" in refused.json()["message"]
    unknown = client.post(
        "/tasks/reports/bulk-review/",
        {"bulk_action": "approve", "report": [reports[0].pk, 999999]},
        headers={"accept": "application/json"},
    )
    assert unknown.status_code == 404
    reports[0].refresh_from_db()
    assert reports[0].status == "submitted"
