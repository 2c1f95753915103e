"""Two people edit the same row; the second sends the version he read before the first saved.

Every path answers the same way: the API with 409 and "已被其他人修改", a page action with 409 (or,
without JavaScript, the same message after the redirect), a form page by showing the form again
with the message. Nothing of the second edit is written, and the first leaves exactly one history
row. Runs on SQLite and PostgreSQL (the races proper, with threads, are in test_races.py).

Already tested and not repeated: tests/tasks/test_api.py::test_stale_version_gets_409_and_changes_nothing
(a period through the API, and the version being required), tests/tasks/test_pages.py::
test_task_edit_with_a_stale_version_shows_a_form_error_and_changes_nothing (the task form),
tests/tasks/test_concurrency.py (the service and its claim of the state).
"""

from __future__ import annotations

import pytest

from tasks import services
from tasks.models import ProgressReport, TargetActual, Task, TaskPeriod

pytestmark = pytest.mark.django_db

CONFLICT = "已被其他人修改"


def history_counts():
    return tuple(m.history.count() for m in (Task, TaskPeriod, ProgressReport, TargetActual))


def test_a_task_patched_through_the_api_with_a_stale_version_gets_409(api_for, edu, snapshot):
    url = f"/api/v1/tasks/{edu.pk}/"
    read = api_for("yx_liaison").get(url).json()
    first = api_for("jj_liaison").patch(
        url, {"title": "推动教育医疗卫生合作", "version": read["version"]}, format="json"
    )
    assert first.status_code == 200
    before = snapshot()
    second = api_for("yx_liaison").patch(
        url, {"body": "尤溪改的正文", "version": read["version"]}, format="json"
    )
    assert second.status_code == 409 and CONFLICT in second.json()["detail"]
    assert snapshot() == before
    edu.refresh_from_db()
    assert (edu.title, edu.version) == ("推动教育医疗卫生合作", read["version"] + 1)
    assert edu.history.first().history_user.username == "jj_liaison"


def test_a_task_put_with_a_stale_version_gets_409(api_for, edu, snapshot):
    url = f"/api/v1/tasks/{edu.pk}/"
    read = api_for("yx_liaison").get(url).json()
    body = {
        k: read[k] for k in ("pairing", "title", "number", "body", "start_year", "end_year", "deadline_kind")
    }
    body |= {k: read[k] for k in ("deadline_date", "deadline_month", "deadline_day", "deadline_text")}
    assert (
        api_for("jj_liaison").put(url, {**body, "version": read["version"]}, format="json").status_code == 200
    )
    before = snapshot()
    stale = api_for("yx_liaison").put(
        url, {**body, "title": "旧标题", "version": read["version"]}, format="json"
    )
    assert stale.status_code == 409 and snapshot() == before


@pytest.fixture
def draft(edu, users):
    period = edu.periods.get(year=2026)
    return services.save_report(period, users["yx_reporter"], text="2026年开展教育交流一次")


@pytest.fixture
def colleague(users):
    """A second reporter of 尤溪县教育局: a draft is its unit's own, so he may edit it too."""
    from cooperation.models import Role, User

    users["yx_colleague"] = User.objects.create_user(
        "yx_colleague", password="colleague-pass-1", unit=users["yx_reporter"].unit, role=Role.REPORTER
    )
    return "yx_colleague"


def test_a_report_edited_through_the_api_with_a_stale_version_gets_409(api_for, draft, snapshot, colleague):
    url = f"/api/v1/progress-reports/{draft.pk}/"
    version = draft.version
    assert (
        api_for("yx_reporter").patch(url, {"text": "交流两次", "version": version}, format="json").status_code
        == 200
    )
    before = snapshot()
    stale = api_for(colleague).patch(url, {"text": "同事改写", "version": version}, format="json")
    assert stale.status_code == 409 and CONFLICT in stale.json()["detail"]
    assert snapshot() == before
    draft.refresh_from_db()
    assert draft.text == "交流两次"


def test_a_report_edited_on_the_page_with_a_stale_version_gets_409(client_for, draft, snapshot, colleague):
    url = f"/tasks/periods/{draft.period_id}/reports/{draft.pk}/"
    version = draft.version
    json = {"accept": "application/json"}
    first = client_for("yx_reporter").post(url, {"text": "交流两次", "version": version}, headers=json)
    assert first.status_code == 200 and first.json()["ok"]
    before = snapshot()
    stale = client_for(colleague).post(url, {"text": "同事改写", "version": version}, headers=json)
    assert stale.status_code == 409 and CONFLICT in stale.json()["message"]
    assert snapshot() == before


@pytest.fixture
def submitted(draft, users):
    return services.submit_report(draft, users["yx_reporter"])


# A report under review cannot be edited by its unit, so the second reviewer always finds the
# state changed too: the refusal names the state ("已退回"), which says more than "modified".
REVIEWED = "只能审核已提交的报告（当前状态：已退回）"


@pytest.mark.parametrize("path", ["api", "page"])
def test_approving_a_report_another_liaison_returned_meanwhile_is_refused(
    api_for, client_for, submitted, snapshot, path
):
    version = submitted.version
    services.return_report(submitted, _user("jj_liaison"), reason="请补充活动照片", expected_version=version)
    before = snapshot()
    if path == "api":
        response = api_for("yx_liaison").post(
            f"/api/v1/progress-reports/{submitted.pk}/approve/", {"version": version}, format="json"
        )
        message = str(response.json())
    else:
        response = client_for("yx_liaison").post(
            f"/tasks/reports/{submitted.pk}/approve/",
            {"version": version},
            headers={"accept": "application/json"},
        )
        message = response.json()["message"]
    assert response.status_code == 400 and REVIEWED in message
    assert snapshot() == before
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.reviewed_by.username == "jj_liaison"
    period = TaskPeriod.objects.get(pk=submitted.period_id)
    assert not TargetActual.objects.filter(report=submitted).exists() and period.status != "done"


def test_approving_with_an_outdated_version_of_a_still_submitted_report_gets_409(
    api_for, submitted, snapshot
):
    """The version alone decides when the state did not change (here: an admin touched the row)."""
    from core.concurrency import save_versioned

    version = submitted.version
    save_versioned(submitted)  # any other save of the row in between
    before = snapshot()
    response = api_for("yx_liaison").post(
        f"/api/v1/progress-reports/{submitted.pk}/approve/", {"version": version}, format="json"
    )
    assert response.status_code == 409 and CONFLICT in response.json()["detail"]
    assert snapshot() == before


def test_without_javascript_the_refused_approval_redirects_back_with_the_message(client_for, submitted):
    version = submitted.version
    services.return_report(submitted, _user("jj_liaison"), reason="请补充活动照片", expected_version=version)
    client = client_for("yx_liaison")
    response = client.post(f"/tasks/reports/{submitted.pk}/approve/", {"version": version})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'class="msg-error"' in page and REVIEWED in page


def test_a_period_status_changed_on_the_page_with_a_stale_version_gets_409(client_for, edu, snapshot):
    period = edu.periods.get(year=2026)
    url = f"/tasks/periods/{period.pk}/status/"
    json = {"accept": "application/json"}
    first = client_for("yx_reporter").post(
        url, {"status": "in_progress", "note": "已启动", "version": period.version}, headers=json
    )
    assert first.status_code == 200
    before = snapshot()
    stale = client_for("jj_liaison").post(url, {"status": "paused", "version": period.version}, headers=json)
    assert stale.status_code == 409 and CONFLICT in stale.json()["message"]
    assert snapshot() == before


def test_submit_with_a_stale_version_after_an_edit_gets_409(api_for, draft, snapshot):
    version = draft.version
    services.save_report(
        draft.period, _user("yx_reporter"), report=draft, text="改过的内容", expected_version=version
    )
    before = snapshot()
    stale = api_for("yx_reporter").post(
        f"/api/v1/progress-reports/{draft.pk}/submit/", {"version": version}, format="json"
    )
    assert stale.status_code == 409 and snapshot() == before


def test_an_edit_in_the_admin_raises_the_version_so_a_stale_api_client_gets_409(
    client_for, api_for, edu, snapshot
):
    """The admin is a write path too: saving there must outdate what others read before."""
    url = f"/api/v1/tasks/{edu.pk}/"
    read = api_for("jj_liaison").get(url).json()
    admin = client_for("admin")
    form = admin.get(f"/admin/tasks/task/{edu.pk}/change/").context["adminform"].form
    data = {name: _admin_value(form, name) for name in form.fields}
    data.update(_inline_management(admin, edu))
    data["title"] = "推动教育医疗合作（管理后台修改）"
    response = admin.post(f"/admin/tasks/task/{edu.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    edu.refresh_from_db()
    assert edu.title.endswith("（管理后台修改）") and edu.version == read["version"] + 1
    assert edu.history.first().history_user.username == "admin"
    before = snapshot()
    stale = api_for("jj_liaison").patch(
        url, {"title": "覆盖后台修改", "version": read["version"]}, format="json"
    )
    assert stale.status_code == 409 and snapshot() == before


def _user(name):
    from cooperation.models import User

    return User.objects.get(username=name)


def _admin_value(form, name):
    value = form.initial.get(name, form.fields[name].initial)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    return "" if value is None else value


def _inline_management(admin, task) -> dict:
    """The inline formsets of the task's change form, unchanged."""
    data = {}
    page = admin.get(f"/admin/tasks/task/{task.pk}/change/")
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update(
            {
                f"{fs.prefix}-TOTAL_FORMS": fs.total_form_count(),
                f"{fs.prefix}-INITIAL_FORMS": fs.initial_form_count(),
                f"{fs.prefix}-MIN_NUM_FORMS": 0,
                f"{fs.prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for form in fs.forms:
            for name in form.fields:
                value = form.initial.get(name, form.fields[name].initial)
                data[form.add_prefix(name)] = getattr(value, "pk", value) if value is not None else ""
    return data
