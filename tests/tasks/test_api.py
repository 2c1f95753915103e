"""The tasks API as each role meets it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks import services
from tasks.models import ProgressReport, Task, TaskPeriod, TaskUnit

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_task_list_has_readable_names_and_the_same_filters_as_the_page(api_for, demo, edu):
    client = api_for("yx_reporter")
    rows = results(client.get("/api/v1/tasks/", {"q": "教育医疗"}))
    assert [r["title"] for r in rows] == ["推动教育医疗合作"]
    row = rows[0]
    assert row["pairing_name"] == "晋江市—尤溪县山海协作" and row["area_name"] == "社会事业"
    assert {(u["unit_name"], u["role_display"]) for u in row["responsible_units"]} >= {
        ("尤溪县教育局", "牵头单位"),
        ("晋江市卫生健康局", "配合单位"),
    }
    assert [t["name"] for t in row["targets"]] == ["教育领域专技人员交流活动", "医疗领域专技人员交流活动"]
    unit = TaskUnit.objects.filter(unit__name="晋江市财政局").first().unit
    assert {r["title"] for r in results(client.get("/api/v1/tasks/", {"unit": unit.pk}))} == {
        "推动国资国企加强合作",
        "落实帮扶资金：晋江市安排山海协作专项资金1200万元",
    }
    # "2024, done": the exchanges and the meeting took place, the money was paid and the fund-use list submitted in time (each proved by its record in the demo).
    done_2024 = {r["title"] for r in results(client.get("/api/v1/tasks/", {"year": 2024, "status": "done"}))}
    assert done_2024 == {
        "推动教育医疗合作",
        "加强组织领导",
        "落实帮扶资金：晋江市安排山海协作专项资金1200万元",
        "尤溪县制定协作资金使用项目清单（以造血式产业类项目为主）",
    }


def test_another_pairings_tasks_never_show(api_for, demo):
    client = api_for("yx_reporter")
    assert results(client.get("/api/v1/tasks/", {"q": "生态旅游文化产业园"})) == []
    # Another pairing's id is not even a valid choice: a 400, never its rows.
    response = client.get("/api/v1/tasks/", {"pairing": demo["wz"].pk})
    assert response.status_code == 400 and "温州" not in response.content.decode()
    wz_task = Task.objects.filter(pairing=demo["wz"]).first()
    assert client.get(f"/api/v1/tasks/{wz_task.pk}/").status_code == 404
    assert client.get("/api/v1/task-periods/", {"task": wz_task.pk}).status_code == 400  # not a valid choice
    assert results(client.get("/api/v1/task-periods/", {"q": "生态旅游文化产业园"})) == []


def test_reporter_gets_403_changing_a_jinjiang_units_task_and_nothing_changes(api_for, fund):
    client = api_for("yx_reporter")
    before = (fund.title, fund.deadline_text, fund.version, fund.history.count())
    response = client.patch(
        f"/api/v1/tasks/{fund.pk}/", {"deadline_text": "每年6月底前", "version": fund.version}, format="json"
    )
    assert response.status_code == 403 and "联络员" in response.json()["detail"]
    period = fund.periods.get(year=2026)
    response = client.patch(
        f"/api/v1/task-periods/{period.pk}/",
        {"status": "in_progress", "version": period.version},
        format="json",
    )
    assert response.status_code == 403 and "责任单位" in response.json()["detail"]
    response = client.post("/api/v1/progress-reports/", {"period": period.pk, "text": "代填"}, format="json")
    assert response.status_code == 403
    fund.refresh_from_db()
    assert (fund.title, fund.deadline_text, fund.version, fund.history.count()) == before
    assert not ProgressReport.objects.filter(text="代填").exists()


def test_reporter_changes_status_of_his_units_period_but_never_its_due_date(api_for, edu):
    client = api_for("yx_reporter")
    period = edu.periods.get(year=2026)
    url = f"/api/v1/task-periods/{period.pk}/"
    ok = client.patch(
        url, {"status": "in_progress", "note": "已对接", "version": period.version}, format="json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status_display"] == "推进中"
    bad = client.patch(url, {"due_date": "2027-06-30", "version": ok.json()["version"]}, format="json")
    assert bad.status_code == 403 and "截止日期" in bad.json()["detail"]
    period.refresh_from_db()
    assert str(period.due_date) == "2026-12-31"


def test_report_with_evidence_submitted_and_approved_through_the_api(api_for, edu, photo):
    reporter, liaison = api_for("yx_reporter"), api_for("yx_liaison")
    period = edu.periods.get(year=2026)
    target = edu.targets.get(name="教育领域专技人员交流活动")
    created = reporter.post(
        "/api/v1/progress-reports/",
        {
            "period": period.pk,
            "text": "教师交流一次",
            "marks_done": True,
            "values": [{"target": target.pk, "value": "1"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["unit_name"] == "尤溪县教育局" and report["status_display"] == "草稿"
    url = f"/api/v1/progress-reports/{report['id']}/"
    missing = reporter.post(url + "submit/", {}, format="json")
    assert missing.status_code == 400 and "现场照片" in str(missing.json())
    kind = edu.required_evidence.get()
    uploaded = reporter.post(url + "evidence/", {"file": photo(), "kind": kind.pk}, format="multipart")
    assert uploaded.status_code == 201, uploaded.content
    evidence = uploaded.json()["evidence"][0]
    assert evidence["original_name"] == "交流活动现场照片.png" and evidence["kind_name"] == "现场照片"
    assert reporter.post(url + "submit/", {}, format="json").json()["status"] == "submitted"
    assert reporter.post(url + "approve/", {}, format="json").status_code == 403
    approved = liaison.post(url + "approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["reviewed_by_name"] == "尤溪联络员"
    assert TaskPeriod.objects.get(pk=period.pk).status == "done"
    # The file comes back under its original name, to people who may see the task only.
    download = liaison.get(evidence["download_url"])
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert api_for("wz_liaison").get(evidence["download_url"]).status_code == 404


def test_liaison_returns_with_a_reason(api_for, edu):
    report = services.save_report(
        edu.periods.get(year=2026), edu and None, text="交流", unit=edu.units.first()
    )
    services.submit_report(report)
    url = f"/api/v1/progress-reports/{report.pk}/return/"
    assert api_for("yx_liaison").post(url, {}, format="json").status_code == 400
    response = api_for("yx_liaison").post(url, {"reason": "请补充照片"}, format="json")
    assert response.json()["status_display"] == "已退回" and response.json()["return_reason"] == "请补充照片"


def test_stale_version_gets_409_and_changes_nothing(api_for, edu):
    client = api_for("yx_liaison")
    period = edu.periods.get(year=2026)
    url = f"/api/v1/task-periods/{period.pk}/"
    assert client.patch(url, {"note": "甲", "version": period.version}, format="json").status_code == 200
    stale = client.patch(url, {"note": "乙", "version": period.version}, format="json")
    assert stale.status_code == 409 and "已被其他人修改" in stale.json()["detail"]
    period.refresh_from_db()
    assert period.note == "甲"
    assert client.patch(url, {"note": "丙"}, format="json").status_code == 400  # version is required


def test_liaison_creates_a_task_with_units_and_its_yearly_periods_appear(api_for, demo):
    from cooperation.models import Unit

    client = api_for("yx_liaison")
    unit = Unit.objects.get(name="尤溪县教育局")
    response = client.post(
        "/api/v1/tasks/",
        {
            "pairing": demo["jy"].pk,
            "title": "两地学校结对共建",
            "start_year": 2025,
            "end_year": 2030,
            "deadline_kind": "yearly",
            "deadline_month": 10,
            "deadline_day": 31,
            "deadline_text": "每年10月底前",
            "responsible_units": [{"unit": unit.pk, "role": "lead"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    task = Task.objects.get(pk=response.json()["id"])
    assert [p.year for p in task.periods.all()] == list(range(2025, 2031))
    assert task.task_units.get().unit == unit
    bad = client.post(
        "/api/v1/tasks/",
        {
            "pairing": demo["jy"].pk,
            "title": "x",
            "start_year": 2025,
            "deadline_kind": "yearly",
            "deadline_month": 2,
            "deadline_day": 30,
        },
        format="json",
    )
    assert bad.status_code == 400 and "不存在" in str(bad.json())


def test_the_api_reads_a_changed_deadline_text_as_the_task_form_does(api_for, client_for, demo):
    """One write path: a deadline written in words becomes the deadline fields and the periods'
    due dates through the API exactly as through the page's form."""
    client = api_for("yx_liaison")
    created = client.post(
        "/api/v1/tasks/",
        {"pairing": demo["jy"].pk, "title": "两地学校结对共建", "start_year": 2025, "end_year": 2026},
        format="json",
    )
    assert created.status_code == 201, created.content
    task = Task.objects.get(pk=created.json()["id"])
    response = client.patch(
        f"/api/v1/tasks/{task.pk}/",
        {"deadline_text": "每年10月底前", "version": created.json()["version"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline_month, task.deadline_day) == ("yearly", 10, 31)
    assert {p.year: str(p.due_date) for p in task.periods.all()} == {2025: "2025-10-31", 2026: "2026-10-31"}

    # The same words on the page give the same fields.
    page_task = Task.objects.create(pairing=demo["jy"], title="另一任务", start_year=2025, end_year=2026)
    services.sync_periods(page_task)
    form = client_for("yx_liaison").get(f"/tasks/{page_task.pk}/edit/")
    assert form.status_code == 200
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update(title="另一任务", start_year=2025, end_year=2026, deadline_text="每年10月底前")
    data.update(version=page_task.version, lead_units=[], cooperating_units=[])
    saved = client_for("yx_liaison").post(f"/tasks/{page_task.pk}/edit/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    page_task.refresh_from_db()
    assert (page_task.deadline_kind, page_task.deadline_month, page_task.deadline_day) == ("yearly", 10, 31)


def test_list_endpoints_run_a_constant_number_of_queries_for_10_and_200_tasks(api_for, demo, users):
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

    client = api_for("yx_liaison")
    urls = [
        "/api/v1/tasks/",
        "/api/v1/task-periods/",
        "/api/v1/progress-reports/",
        "/api/v1/tasks/?overdue=true&q=任务",
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
    assert Task.objects.filter(pairing=jy).count() == 200
    assert counts() == small


def test_schema_lists_the_task_endpoints(client_for):
    text = client_for("yx_liaison").get("/api/schema/").content.decode()
    for path in ["/api/v1/tasks/", "/api/v1/task-periods/", "/api/v1/progress-reports/{id}/approve/"]:
        assert path in text


@pytest.mark.django_db
def test_deleting_a_task_never_erases_assessed_or_reported_work(api_for, demo):
    from tasks.models import ProgressReport, Task, TaskPeriod, YearLock

    client = api_for("yx_liaison")
    reported = Task.objects.filter(
        pairing=demo["jy"],
        periods__reports__status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED],
    ).first()
    response = client.delete(f"/api/v1/tasks/{reported.pk}/")
    assert response.status_code in (400, 403), response.content
    assert Task.objects.filter(pk=reported.pk).exists()

    locked_years = set(
        YearLock.objects.filter(pairing=demo["jy"], locked=True).values_list("year", flat=True)
    )
    assert locked_years  # the demo locks 2024
    in_locked = (
        Task.objects.filter(pairing=demo["jy"], periods__year__in=locked_years)
        .exclude(periods__reports__isnull=False)
        .first()
    )
    response = client.delete(f"/api/v1/tasks/{in_locked.pk}/")
    assert response.status_code == 403 and "锁定" in response.json()["detail"]
    assert TaskPeriod.objects.filter(task=in_locked).exists()

    fresh = Task.objects.create(
        pairing=demo["jy"], number="（9）", title="临时任务", start_year=2027, end_year=2027
    )
    assert client.delete(f"/api/v1/tasks/{fresh.pk}/").status_code == 204
    assert not Task.objects.filter(pk=fresh.pk).exists()
    assert api_for("yx_reporter").delete(f"/api/v1/tasks/{reported.pk}/").status_code == 403
