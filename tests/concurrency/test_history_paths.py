"""Every write path leaves exactly one history row per changed object, naming who did it.

For tasks, reports, funds, parks and indicators, each way of writing — page form, API, admin change
form, import (park plan, indicators, plan confirm) and command — is run once, and the history rows
written meanwhile are checked against what changed: each changed object has exactly one new row,
no other audited row got one, and every row names the acting user (commands and jobs: none,
shown as “系统”). `load_demo` is excluded (tests/cooperation/test_demo.py: a second load adds none).

Deliberate exceptions, documented here and in docs/readme_reliability_input.md:
- a payment, reversal or arrival writes its ledger row's history only; the commitment's running
  totals are derived from the ledger and excluded from its history (funds/models.py);
- many-to-many lists (a task's required evidence, a pairing's units) are not in simple-history;
- jobs: export_assessment records its progress on AssessmentExport (bookkeeping, not audited) and
  changes no audited row; send_reminders writes reminder rows only, as the system.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from simple_history.models import registered_models

from tests.badinput import writes
from tests.badinput.writes import Ctx

pytestmark = pytest.mark.django_db


def marks() -> dict[str, int]:
    """The highest history id of every audited model, before the write."""
    from django.db.models import Max

    return {
        model._meta.label: model.history.model.objects.aggregate(top=Max("history_id"))["top"] or 0
        for model in set(registered_models.values())
    }


def rows_since(before: dict[str, int]) -> dict[str, list]:
    found = {}
    for model in set(registered_models.values()):
        label = model._meta.label
        rows = list(
            model.history.model.objects.filter(history_id__gt=before[label]).select_related("history_user")
        )
        if rows:
            found[label] = rows
    return found


def assert_history(
    before, expected: dict[str, int], user: str | None, by_ledger: dict[str, int] | None = None
) -> dict[str, list]:
    """`expected`: label → how many objects changed. Each has exactly one row; nothing else has any.

    `by_ledger`: rows the system writes because a ledger proves a task period (a payment moves the
    fund task's actual value): written as the system, each with the reason naming the record.
    """
    found = rows_since(before)
    counts = {label: len(rows) for label, rows in found.items()}
    by_ledger = by_ledger or {}
    # The ledger's rows: at most the given number (a period's status moves only when its state does).
    ledger_counts = {label: n for label, n in counts.items() if label in by_ledger and label not in expected}
    assert all(n <= by_ledger[label] for label, n in ledger_counts.items()), ledger_counts
    counts = {label: n for label, n in counts.items() if label not in ledger_counts}
    assert counts == expected, f"history rows written {counts}, expected {expected}"
    for label, rows in found.items():
        ids = [row.id for row in rows]
        assert len(ids) == len(set(ids)), f"{label}: an object got two history rows in one write: {ids}"
        names = {row.history_user.username if row.history_user else None for row in rows}
        if label in ledger_counts:
            assert names == {None} and all(row.history_change_reason for row in rows), label
            continue
        assert names == {user}, f"{label}: written by {names}, expected {user or '系统'}"
    return found


@pytest.fixture
def ctx(demo, users, client_for, api_for):
    from cooperation.models import User

    users["jj_finance"] = User.objects.get(username="jj_finance")
    return Ctx(demo, users, client_for, api_for)


def ok(response, *statuses) -> None:
    assert response.status_code in (statuses or (200, 201, 302)), response.content.decode()[:1500]
    if response.get("Content-Type", "").startswith("application/json") and isinstance(response.json(), dict):
        assert response.json().get("ok", True) is not False, response.json()


# --------------------------------------------------------------------------------------------
# Tasks, periods, reports
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("send", [writes._task_page, writes._task_api], ids=["page", "api"])
def test_creating_a_task_writes_the_task_and_its_period_once(ctx, send):
    before = marks()
    ok(send(ctx, {"title": "新增：开展两地青少年研学交流"}))
    assert_history(before, {"tasks.Task": 1, "tasks.TaskPeriod": 1}, "jj_liaison")


def test_editing_a_task_on_the_page_writes_one_row(ctx):
    edu = ctx.edu
    before = marks()
    form = {
        "parent": edu.parent_id or "",
        "area": edu.area_id or "",
        "document": edu.document_id or "",
        "required_evidence": [k.pk for k in edu.required_evidence.all()],
        "number": edu.number,
        "title": "推动教育医疗卫生合作",
        "body": edu.body,
        "start_year": edu.start_year,
        "end_year": edu.end_year or "",
        "deadline_text": edu.deadline_text,
        "deadline_kind": edu.deadline_kind,
        "deadline_date": edu.deadline_date or "",
        "deadline_month": edu.deadline_month or "",
        "deadline_day": edu.deadline_day or "",
        "lead_units": [tu.unit_id for tu in edu.task_units.filter(role="lead")],
        "cooperating_units": [tu.unit_id for tu in edu.task_units.exclude(role="lead")],
        "version": edu.version,
    }
    ok(ctx.client_for("jj_liaison").post(f"/tasks/{edu.pk}/edit/", form), 302)
    assert_history(before, {"tasks.Task": 1}, "jj_liaison")


def test_editing_a_task_through_the_api_writes_one_row(ctx):
    before = marks()
    ok(writes._task_patch(ctx, {"title": "推动教育医疗卫生合作"}))
    assert_history(before, {"tasks.Task": 1}, "jj_liaison")


def test_editing_a_task_in_the_admin_writes_one_row(ctx):
    from .test_stale_edits import _admin_value, _inline_management

    admin = ctx.client_for("admin")
    url = f"/admin/tasks/task/{ctx.edu.pk}/change/"
    form = admin.get(url).context["adminform"].form
    data = {name: _admin_value(form, name) for name in form.fields} | _inline_management(admin, ctx.edu)
    data["title"] = "推动教育医疗卫生合作"
    before = marks()
    ok(admin.post(url, data), 302)
    assert_history(before, {"tasks.Task": 1}, "admin")


def test_deleting_a_task_through_the_api_writes_one_row_for_it_and_each_period(ctx):
    response = writes._task_api(ctx, {"title": "待删除的事项", "start_year": 2025, "end_year": 2026})
    task_id = response.json()["id"]
    before = marks()
    ok(ctx.api_for("jj_liaison").delete(f"/api/v1/tasks/{task_id}/"), 204)
    found = assert_history(before, {"tasks.Task": 1, "tasks.TaskPeriod": 2}, "jj_liaison")
    assert {row.history_type for rows in found.values() for row in rows} == {"-"}


@pytest.mark.parametrize("send", [writes._note_page, writes._note_api], ids=["page", "api"])
def test_a_period_status_or_note_writes_one_row(ctx, send):
    before = marks()
    ok(send(ctx, {"note": "已与晋江市教育局对接"}))
    assert_history(before, {"tasks.TaskPeriod": 1}, "yx_reporter")


def test_a_report_with_values_written_on_the_page(ctx):
    target = next(t for t in ctx.edu.targets.all() if t.applies_to(2026))
    before = marks()
    url = f"/tasks/periods/{ctx.period.pk}/reports/new/"
    data = {"text": "开展教育交流两次", f"value_{target.pk}": "2"}
    ok(ctx.client_for("yx_reporter").post(url, data, headers={"accept": "application/json"}))
    assert_history(before, {"tasks.ProgressReport": 1, "tasks.ReportValue": 1}, "yx_reporter")


def test_a_report_through_the_api_then_submitted(ctx):
    target = next(t for t in ctx.edu.targets.all() if t.applies_to(2026))
    client = ctx.api_for("yx_reporter")
    before = marks()
    body = {
        "period": ctx.period.pk,
        "text": "开展教育交流两次",
        "values": [{"target": target.pk, "value": "2"}],
    }
    response = client.post("/api/v1/progress-reports/", body, format="json")
    ok(response, 201)
    assert_history(before, {"tasks.ProgressReport": 1, "tasks.ReportValue": 1}, "yx_reporter")
    before = marks()
    report = response.json()
    ok(
        client.post(
            f"/api/v1/progress-reports/{report['id']}/submit/", {"version": report["version"]}, format="json"
        )
    )
    assert_history(before, {"tasks.ProgressReport": 1}, "yx_reporter")


def test_approving_on_the_page_writes_the_report_its_actuals_and_the_period_once(ctx):
    from tasks import services

    target = next(t for t in ctx.edu.targets.all() if t.applies_to(2026))
    reporter = ctx.users["yx_reporter"]
    report = services.save_report(ctx.period, reporter, text="交流两次", values={target.pk: 2})
    report = services.submit_report(report, reporter)
    before = marks()
    url = f"/tasks/reports/{report.pk}/approve/"
    ok(
        ctx.client_for("yx_liaison").post(
            url, {"version": report.version}, headers={"accept": "application/json"}
        )
    )
    expected = {"tasks.ProgressReport": 1, "tasks.TargetActual": 1}
    if ctx.period.status == "not_started":  # 未开始 → 推进中 on the first approval
        expected["tasks.TaskPeriod"] = 1
    assert_history(before, expected, "yx_liaison")


def test_returning_through_the_api_writes_one_row(ctx):
    before = marks()
    ok(writes._return_api(ctx, {"reason": "请补充活动照片"}))
    assert_history(before, {"tasks.ProgressReport": 1}, "yx_liaison")


def test_evidence_through_the_api_writes_one_row(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tasks import services

    draft = services.save_report(ctx.period, ctx.users["yx_reporter"], text="草稿")
    before = marks()
    upload = SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4\n%%EOF\n")
    response = ctx.api_for("yx_reporter").post(
        f"/api/v1/progress-reports/{draft.pk}/evidence/", {"file": upload}, format="multipart"
    )
    ok(response, 201)
    assert_history(before, {"tasks.Evidence": 1}, "yx_reporter")


def test_locking_a_year_on_the_page_writes_one_row(ctx):
    before = marks()
    ok(writes._lock_page(ctx, {"reason": "2027 年度考核完成"}))
    assert_history(before, {"tasks.YearLock": 1}, "jj_liaison")


def test_the_period_sync_command_writes_one_row_per_moved_period_as_the_system(ctx):
    from tasks.models import Task

    # A deadline corrected outside the services (as a data fix would): the command moves the periods.
    Task.objects.filter(pk=ctx.edu.pk).update(deadline_kind="yearly", deadline_month=6, deadline_day=30)
    open_periods = [p for p in ctx.edu.periods.all() if p.status != "done" and p.year not in (2024,)]
    before = marks()
    call_command("sync_task_periods", "--pairing", str(ctx.jy.pk), stdout=io.StringIO())
    found = assert_history(before, {"tasks.TaskPeriod": len(open_periods)}, None)
    assert {row.id for row in found["tasks.TaskPeriod"]} == {p.pk for p in open_periods}


def test_the_plan_confirm_writes_each_new_row_once_naming_the_liaison(client_for, demo):
    from cooperation.models import Pairing, Region
    from tests.tasks.importing.test_plan_import_pages import SEED_000, confirm_data, url

    fresh = Pairing.objects.create(
        name="晋江市—尤溪县（历史记录）",
        coastal_region=Region.objects.get(name="晋江市"),
        mountain_region=Region.objects.get(name="尤溪县"),
        start_year=2024,
        end_year=2026,
    )
    client = client_for("yx_liaison")
    preview = client.post(url(fresh), {"action": "preview", "text": SEED_000})
    before = marks()
    ok(client.post(url(fresh), confirm_data(preview)), 302)
    found = rows_since(before)
    from tasks.models import Task

    tasks = Task.objects.filter(pairing=fresh)
    assert len(found["tasks.Task"]) == tasks.count() == 30
    assert len(found["cooperation.PolicyDocument"]) == 1
    assert len(found["tasks.TaskPeriod"]) == sum(t.periods.count() for t in tasks)
    for label, rows in found.items():
        assert len({r.id for r in rows}) == len(rows), label
        assert {r.history_user.username for r in rows} == {"yx_liaison"}, label


@pytest.mark.parametrize("actor", [None, "yx_liaison"])
def test_the_task_import_command_writes_each_row_once_naming_its_actor_or_the_system(demo, tmp_path, actor):
    from cooperation.models import Pairing, Region
    from tasks.models import Task
    from tests.badinput.corpus import xlsx

    fresh = Pairing.objects.create(
        name="晋江市—尤溪县（责任分解表）",
        coastal_region=Region.objects.get(name="晋江市"),
        mountain_region=Region.objects.get(name="尤溪县"),
        start_year=2025,
        end_year=2026,
    )
    path = tmp_path / "责任分解表.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["序号", "任务", "事项", "责任单位", "完成时限"],
                [1, "推进教育合作", "开展教师交流", "尤溪县教育局、晋江市教育局", "每年10月底前"],
                [None, None, "开展学生研学", "尤溪县教育局", "2026年7月底前"],
            ]
        )
    )
    before = marks()
    options = ["--pairing", str(fresh.pk), *(["--actor", actor] if actor else [])]
    call_command("import_tasks", str(path), *options, stdout=io.StringIO(), stderr=io.StringIO())
    found = rows_since(before)
    assert len(found["tasks.Task"]) == Task.objects.filter(pairing=fresh).count() >= 2
    for label, rows in found.items():
        assert len({r.id for r in rows}) == len(rows), f"{label}: an object got two rows"
        assert {r.history_user.username if r.history_user else None for r in rows} == {actor}, label


# --------------------------------------------------------------------------------------------
# Funds
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "send, label, persona",
    [
        (writes._payment_page, "funds.Disbursement", "jj_finance"),
        (writes._payment_api, "funds.Disbursement", "jj_finance"),
        (writes._reversal_page, "funds.Disbursement", "jj_finance"),
        (writes._reversal_api, "funds.Disbursement", "jj_finance"),
        (writes._arrival_page, "funds.ArrivalConfirmation", "yx_liaison"),
        (writes._arrival_api, "funds.ArrivalConfirmation", "yx_liaison"),
        (writes._use_page, "funds.FundUseProject", "yx_liaison"),
        (writes._use_api, "funds.FundUseProject", "yx_liaison"),
        (writes._commitment_page, "funds.FundCommitment", "admin"),  # its terms: a superuser's
        (writes._commitment_api, "funds.FundCommitment", "admin"),
    ],
    ids=[
        "payment_page",
        "payment_api",
        "reversal_page",
        "reversal_api",
        "arrival_page",
        "arrival_api",
        "use_project_page",
        "use_project_api",
        "commitment_page",
        "commitment_api",
    ],
)
def test_each_money_write_leaves_one_row_naming_who(ctx, send, label, persona):
    before = marks()
    ok(send(ctx, {"notes": "补充说明"} if "commitment" in label.lower() else {}))
    # Payments, reversals and arrivals: the ledger row has the history; the commitment's running
    # totals are derived from the ledger and are not part of its history. A payment or reversal
    # also moves the money the fund task's 2026 period shows (its actual value), as the system.
    by_ledger = {"tasks.TargetActual": 1, "tasks.TaskPeriod": 1}
    assert_history(before, {label: 1}, persona, by_ledger)


def test_submitting_the_use_list_on_the_page_writes_the_commitment_once(ctx):
    ok(writes._use_page(ctx, {}))
    before = marks()
    response = ctx.client_for("yx_liaison").post(
        f"/funds/{ctx.commitment.pk}/submit-list/", {"date": "2026-03-20"}
    )
    ok(response, 302)
    # The list's date proves the fund-use list task's 2026 period (as the system, with the reason).
    found = assert_history(before, {"funds.FundCommitment": 1}, "yx_liaison", {"tasks.TaskPeriod": 1})
    assert [row.completed_on.isoformat() for row in found["tasks.TaskPeriod"]] == ["2026-03-20"]


def test_the_yearly_commitment_command_writes_one_row_per_new_commitment_as_the_system(demo):
    before = marks()
    call_command("create_fund_commitments", "--year", "2030", stdout=io.StringIO())
    found = rows_since(before)
    assert set(found) == {"funds.FundCommitment"} and found["funds.FundCommitment"]
    assert {r.history_type for r in found["funds.FundCommitment"]} == {"+"}
    assert {r.history_user for r in found["funds.FundCommitment"]} == {None}
    before = marks()
    call_command("create_fund_commitments", "--year", "2030", stdout=io.StringIO())
    assert rows_since(before) == {}  # running it again writes nothing


# --------------------------------------------------------------------------------------------
# Parks and projects
# --------------------------------------------------------------------------------------------


def test_a_park_through_the_api_writes_one_row(ctx):
    before = marks()
    ok(writes._park_api(ctx, {"notes": "两地共建共享"}))
    assert_history(before, {"parks.Park": 1}, "jj_liaison")


@pytest.mark.parametrize("path", ["page", "api"])
def test_a_plan_lines_actual_completion_writes_one_row(ctx, path):
    from parks.models import ParkInvestmentPlan

    plan = ParkInvestmentPlan.objects.filter(park__pairing__parent=ctx.demo["wz"]).order_by("pk").first()
    before = marks()
    if path == "page":
        data = {
            "project_count": plan.project_count,
            "planned_total": plan.planned_total,
            "planned_completion": plan.planned_completion,
            "actual_completion": "12345",
        }
        ok(ctx.client_for("wz_liaison").post(f"/park-plans/{plan.pk}/edit/", data), 302)
    else:
        url = f"/api/v1/park-plans/{plan.pk}/"
        ok(ctx.api_for("wz_liaison").patch(url, {"actual_completion": "12345"}, format="json"))
    assert_history(before, {"parks.ParkInvestmentPlan": 1}, "wz_liaison")


@pytest.mark.parametrize("send", [writes._project_page, writes._project_api], ids=["page", "api"])
def test_a_new_project_writes_one_row(ctx, send):
    before = marks()
    ok(send(ctx, {}))
    assert_history(before, {"parks.Project": 1}, "jj_liaison")


def test_investment_in_place_on_the_page_writes_one_row(ctx):
    before = marks()
    ok(writes._investment_page(ctx, {"amount": "3000000"}), 302)
    assert_history(before, {"parks.ProjectInvestment": 1}, "jj_liaison")


def _changed_park_plan_workbook() -> bytes:
    from tests.parks.conftest import build_workbook, seed_rows

    rows = seed_rows()
    rows[0][4] = "210000"  # 永嘉-瓯海 2018 政府性 计划总投资: one line changes
    rows[1][2] = "2.7"  # 苍南-龙湾 core area: one park changes
    return build_workbook(rows)


def test_the_park_plan_import_page_writes_one_row_per_changed_line_and_park(client_for, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("wz_liaison")
    preview = client.post(
        "/parks/import/", {"file": SimpleUploadedFile("附件1.xlsx", _changed_park_plan_workbook())}
    )
    assert preview.status_code == 200, preview.content.decode()[-2000:]
    before = marks()
    ok(
        client.post("/parks/import/", {"confirm": "1", "preview_token": preview.context["preview_token"]}),
        302,
    )
    assert_history(before, {"parks.ParkInvestmentPlan": 1, "parks.Park": 1}, "wz_liaison")


def test_the_park_plan_import_command_writes_the_same_as_the_system(demo, tmp_path):
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(_changed_park_plan_workbook())
    before = marks()
    call_command("import_park_plan", str(path), stdout=io.StringIO())
    assert_history(before, {"parks.ParkInvestmentPlan": 1, "parks.Park": 1}, None)


# --------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------


def test_an_indicator_through_the_api_writes_one_row(ctx):
    before = marks()
    ok(writes._indicator_api(ctx, {}))
    assert_history(before, {"indicators.RegionIndicator": 1}, "yx_liaison")


def test_the_indicator_grid_writes_one_row_per_changed_figure(ctx):
    client = ctx.client_for("yx_liaison")
    url = f"/indicators/entry/?region={ctx.youxi.pk}&year=2026"
    formset = client.get(url).context["formset"]
    data = {
        "fig-TOTAL_FORMS": formset.total_form_count(),
        "fig-INITIAL_FORMS": formset.initial_form_count(),
        "fig-MIN_NUM_FORMS": 0,
        "fig-MAX_NUM_FORMS": 1000,
    }
    for form in formset.forms:
        for name in form.fields:
            value = form.initial.get(name)
            if value not in (None, "", False):
                data[form.add_prefix(name)] = value
    changed = [f for f in formset.forms if f.initial.get("indicator") == ctx.indicator.pk]
    data[changed[0].add_prefix("actual_value")] = "37.5"
    before = marks()
    ok(client.post(url, data), 302)
    assert_history(before, {"indicators.RegionIndicator": 1}, "yx_liaison")


def _indicator_sheet() -> bytes:
    from tests.badinput.corpus import xlsx

    return xlsx(
        [
            ["地区", "指标", "年份", "实际值"],
            ["尤溪县", "常住人口", 2026, 37.5],
            ["尤溪县", "地区生产总值", 2026, 430],
        ]
    )


def test_the_indicator_import_page_writes_one_row_per_figure(client_for, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("yx_liaison")
    preview = client.post(
        "/indicators/import/", {"file": SimpleUploadedFile("尤溪.xlsx", _indicator_sheet())}
    )
    assert preview.status_code == 200
    before = marks()
    ok(
        client.post(
            "/indicators/import/", {"confirm": "1", "preview_token": preview.context["preview_token"]}
        ),
        302,
    )
    assert_history(before, {"indicators.RegionIndicator": 2}, "yx_liaison")


@pytest.mark.parametrize("actor", [None, "yx_liaison"])
def test_the_indicator_import_command_names_its_user_or_the_system(demo, tmp_path, actor):
    path = tmp_path / "尤溪.xlsx"
    path.write_bytes(_indicator_sheet())
    before = marks()
    call_command("import_indicators", str(path), *(["--user", actor] if actor else []), stdout=io.StringIO())
    assert_history(before, {"indicators.RegionIndicator": 2}, actor)


# --------------------------------------------------------------------------------------------
# Jobs
# --------------------------------------------------------------------------------------------


def test_the_reminder_sweep_changes_no_audited_business_row(demo):
    """send_reminders writes its own ledger, notifications and notices (as the system), never a task,
    report, commitment, park or indicator."""
    before = marks()
    call_command("send_reminders", "--date", "2025-05-20", stdout=io.StringIO())
    found = rows_since(before)
    business = {
        label
        for label in found
        if label.split(".")[0] in {"tasks", "funds", "parks", "indicators", "assessment", "cooperation"}
    }
    assert not business, business
    for label, rows in found.items():
        assert {r.history_user for r in rows} == {None}, label


def test_the_assessment_export_changes_no_audited_row(demo, tmp_path):
    """The first export sets up the default scoring scheme (as the system, once); no export ever
    changes a task, report, commitment, park or indicator."""

    def export(name):
        call_command("export_assessment", "--year", "2025", "-o", str(tmp_path / name), stdout=io.StringIO())

    before = marks()
    export("考核表.xlsx")
    found = rows_since(before)
    assert set(found) <= {"assessment.AssessmentScheme", "assessment.AssessmentSection"}, set(found)
    for label, rows in found.items():
        assert {(r.history_type, r.history_user) for r in rows} == {("+", None)}, label
        assert len({r.id for r in rows}) == len(rows), label
    assert (tmp_path / "考核表.xlsx").stat().st_size > 0
    before = marks()
    export("again.xlsx")
    assert rows_since(before) == {}
