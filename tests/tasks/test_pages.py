"""The task pages as reporters, liaison staff and leaders use them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks import services
from tasks.models import ProgressReport, Task, TaskPeriod, TaskUnit

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def test_pages_open_for_every_persona_of_the_pairing(client_for, demo, edu):
    for persona in ["yx_reporter", "jj_reporter", "yx_liaison", "leader"]:
        client = client_for(persona)
        for url in ["/tasks/", "/tasks/mine/", edu.get_absolute_url(), f"/tasks/plan/{demo['jy'].pk}/"]:
            assert client.get(url).status_code == 200, (persona, url)


def test_task_page_shows_deadline_targets_reports_evidence_and_history(client_for, edu):
    page = client_for("leader").get(edu.get_absolute_url()).content.decode()
    for text in [
        "推动教育医疗合作",
        "尤溪县教育局",
        "教育领域专技人员交流活动",
        "已完成",
        "已退回",
        "教师交流现场照片.png",
        "变更历史",
        "尤溪联络员",
    ]:
        assert text in page, text
    assert "审核通过" not in page and "填写进展报告" not in page  # a viewer gets no buttons


def test_another_pairings_task_is_not_found(client_for, demo):
    task = Task.objects.filter(pairing=demo["wz"]).first()
    assert client_for("yx_reporter").get(task.get_absolute_url()).status_code == 404
    page = client_for("yx_reporter").get("/tasks/", {"q": "生态旅游文化产业园"}).content.decode()
    assert "没有符合条件的任务" in page


def test_task_list_filters(client_for, demo, fund):
    client = client_for("yx_liaison")
    page = client.get("/tasks/", {"q": "专项资金"}).content.decode()
    assert "落实帮扶资金" in page and "推动教育医疗合作" not in page
    # 2026: the money (due 30 April) is unpaid, the fund-use list was submitted on 30 March — the
    # ledger's truth, which the task list tells as the funds page does.
    page = client.get("/tasks/", {"area": fund.area_id, "year": 2026, "overdue": "true"}).content.decode()
    assert "落实帮扶资金" in page and "尤溪县制定协作资金使用项目清单" not in page
    # 2025: both were done late, neither is overdue.
    page = client.get("/tasks/", {"area": fund.area_id, "year": 2025, "overdue": "true"}).content.decode()
    assert "落实帮扶资金" not in page and "尤溪县制定协作资金使用项目清单" not in page


def test_my_tasks_shows_the_reporters_returned_report_and_overdue_work(client_for, edu):
    page = client_for("yx_reporter").get("/tasks/mine/").content.decode()
    assert "请补充跟岗学习的时间、人数和现场照片。" in page
    assert "推动教育医疗合作" in page


def test_my_tasks_rows_link_each_task_badge_each_period_and_name_the_reviewer_in_the_readers_language(
    client_for, users, edu
):
    """The lists are written a list at a time (tasks/templatetags/my_tasks.py): each row links to its
    period or report on the task page, a period's badge is written once per status, state and
    language (the same page in English right after the Chinese one says Overdue, not 逾期), and a
    returned report names who returned it."""
    import re

    client = client_for("yx_reporter")
    chinese = client.get("/tasks/mine/").content.decode()
    english = client.get("/tasks/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    def section(page, name):
        return re.search(rf'<section class="card" id="{name}">(.*?)</section>', page, re.S).group(1)

    overdue = TaskPeriod.objects.manageable_by(users["yx_reporter"]).overdue().select_related("task").first()
    assert overdue is not None
    link = f'<a href="/tasks/{overdue.task_id}/#period-{overdue.pk}">{overdue.task.number} {overdue.task.title}</a>'
    assert link in section(chinese, "overdue") and link in section(english, "overdue")
    badge = f'<span class="badge badge-overdue" data-status="{overdue.status}">'
    assert f"{badge}逾期</span>" in section(chinese, "overdue")
    assert f"{badge}Overdue</span>" in section(english, "overdue")
    returned = ProgressReport.objects.filter(status="returned", unit=users["yx_reporter"].unit).first()
    assert returned is not None and returned.reviewed_by is not None
    row = section(chinese, "returned")
    assert f'<a href="/tasks/{returned.period.task_id}/#report-{returned.pk}">' in row
    assert f'<td class="small">{returned.reviewed_by}</td>' in row and "退回原因：" in row


def test_report_is_written_and_submitted_from_the_task_page(client_for, edu, photo):
    period = edu.periods.get(year=2026)
    kind = edu.required_evidence.get()
    target = edu.targets.get(name="教育领域专技人员交流活动")
    response = client_for("yx_reporter").post(
        f"/tasks/periods/{period.pk}/reports/new/",
        {
            "prefix": f"p{period.pk}",
            f"p{period.pk}-text": "尤溪一中教师赴晋江一中跟岗学习",
            f"p{period.pk}-marks_done": "on",
            f"p{period.pk}-value_{target.pk}": "1",
            f"p{period.pk}-evidence": photo(),
            f"p{period.pk}-evidence_kind": kind.pk,
            "action": "submit",
        },
        **JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "message": "报告已提交，等待联络员审核。"}
    report = ProgressReport.objects.get(period=period, text="尤溪一中教师赴晋江一中跟岗学习")
    assert report.status == "submitted" and report.evidence.get().original_name == "交流活动现场照片.png"
    approve = client_for("yx_liaison").post(f"/tasks/reports/{report.pk}/approve/", {}, **JSON)
    assert approve.json()["ok"]
    assert TaskPeriod.objects.get(pk=period.pk).status == "done"


def test_submitting_without_required_evidence_is_refused_with_the_missing_kinds(client_for, edu):
    period = edu.periods.get(year=2026)
    response = client_for("yx_reporter").post(
        f"/tasks/periods/{period.pk}/reports/new/",
        {"prefix": "p", "p-text": "完成", "p-marks_done": "on", "action": "submit"},
        **JSON,
    )
    assert response.status_code == 400 and "现场照片" in response.json()["message"]
    assert not ProgressReport.objects.filter(period=period, text="完成").exists()  # all or nothing


def test_status_change_without_leaving_the_page_and_its_refusals(client_for, edu, fund):
    period = edu.periods.get(year=2026)
    url = f"/tasks/periods/{period.pk}/status/"
    ok = client_for("yx_reporter").post(url, {"status": "in_progress", "version": period.version}, **JSON)
    assert ok.json()["ok"]
    done = client_for("yx_reporter").post(url, {"status": "done", "version": period.version + 1}, **JSON)
    assert done.status_code == 403 and "联络员" in done.json()["message"]
    stale = client_for("yx_liaison").post(url, {"status": "paused", "version": period.version}, **JSON)
    assert stale.status_code == 409 and "已被其他人修改" in stale.json()["message"]
    other = fund.periods.get(year=2026)
    refused = client_for("yx_reporter").post(
        f"/tasks/periods/{other.pk}/status/", {"status": "in_progress"}, **JSON
    )
    assert refused.status_code == 403
    other.refresh_from_db()
    assert other.status == "not_started"
    assert client_for("yx_reporter").post(url, {"status": "in_progress"}).status_code == 302  # no-JS fallback


def test_locked_year_refuses_with_a_clear_message(client_for, edu):
    period = edu.periods.get(year=2024)
    response = client_for("yx_liaison").post(
        f"/tasks/periods/{period.pk}/status/", {"status": "in_progress"}, **JSON
    )
    assert response.status_code == 403 and "2024 年度已考核并锁定" in response.json()["message"]


def test_evidence_download_is_checked(client_for, edu):
    evidence = edu.periods.get(year=2024).reports.get(status="approved").evidence.get()
    response = client_for("leader").get(f"/tasks/evidence/{evidence.pk}/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client_for("wz_liaison").get(f"/tasks/evidence/{evidence.pk}/").status_code == 404
    assert client_for(None).get(f"/tasks/evidence/{evidence.pk}/").status_code == 302


def test_task_edit_with_a_stale_version_shows_a_form_error_and_changes_nothing(client_for, fund):
    client = client_for("jj_liaison")
    form = {
        "number": "",
        "title": fund.title,
        "start_year": 2024,
        "end_year": 2030,
        "deadline_text": "每年5月底前",
        "deadline_kind": "yearly",
        "deadline_month": 4,
        "deadline_day": 30,
        "lead_units": [tu.unit_id for tu in fund.task_units.filter(role="lead")],
        "fulfilment": fund.fulfilment,  # as the form shows them: proved by the fund rule's payments
        "fund_rule": fund.fund_rule_id,
        "version": fund.version,
    }
    first = client.post(f"/tasks/{fund.pk}/edit/", form)
    assert first.status_code == 302
    fund.refresh_from_db()
    # The source text changed and the normalised fields were left alone: the text is normalised again.
    assert (fund.deadline_month, fund.deadline_day, fund.deadline_text) == (5, 31, "每年5月底前")
    assert str(fund.periods.get(year=2026).due_date) == "2026-05-31"
    stale = client.post(f"/tasks/{fund.pk}/edit/", {**form, "title": "改标题"})
    assert stale.status_code == 200 and "已被其他人修改" in stale.content.decode()
    fund.refresh_from_db()
    assert fund.title != "改标题"


def test_reporter_cannot_open_the_task_form(client_for, edu):
    assert client_for("yx_reporter").get(f"/tasks/{edu.pk}/edit/").status_code == 403


def test_pairing_page_has_the_tasks_panel(client_for, demo):
    page = client_for("leader").get(f"/pairings/{demo['jy'].pk}/").content.decode()
    assert 'id="tasks-panel"' in page and "逾期" in page


def test_list_pages_run_a_constant_number_of_queries_for_10_and_200_tasks(client_for, demo, users):
    from cooperation.models import Unit

    jy = demo["jy"]
    Task.objects.filter(pairing=jy).delete()
    unit = Unit.objects.get(name="尤溪县教育局")

    def make(n):
        for i in range(n):
            task = Task.objects.create(pairing=jy, title=f"任务{i}", start_year=2025, end_year=2026)
            TaskUnit.objects.create(task=task, unit=unit)
            services.sync_periods(task)
            services.save_report(task.periods.first(), users["yx_reporter"], text=f"进展{i}")

    client = client_for("yx_reporter")
    urls = [
        "/tasks/",
        "/tasks/?overdue=true&q=任务",
        "/tasks/mine/",
        f"/tasks/plan/{jy.pk}/",
        f"/pairings/{jy.pk}/",
    ]

    def counts():
        out = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out[url] = len(ctx.captured_queries)
        return out

    make(10)
    small = counts()
    make(190)
    assert counts() == small
