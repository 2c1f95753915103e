"""The permission matrix: every named URL of the project → how to call it → what each role gets.

Columns of every expectation string (see matrix.ROLES):

    anonymous  leader  yx_reporter  jj_reporter  yx_liaison  wz_liaison  admin

- pairing P is 晋江市—尤溪县山海协作; every object below belongs to P unless its comment says
  otherwise. `leader` is P's viewer (尤溪县人民政府), `yx_reporter` reports for unit A (尤溪县教育局),
  `jj_reporter` for unit B (晋江市教育局), `yx_liaison` is P's liaison, `wz_liaison` the liaison of
  pairing Q (温州) who must not see P at all (404), `admin` a superuser.
- Pages send anonymous users to the login page (302); the API answers them 403 (session
  authentication comes first and sends no WWW-Authenticate challenge).
- A write answered 2xx/3xx must change the database; any refusal (4xx, or 302 to the login page for
  anonymous) must change nothing. A status followed by "-" (e.g. "200-") is a form shown again with
  an error: a refusal too, nothing may change.

A new URL without an entry here fails test_every_url_has_an_entry; an entry whose URL is gone
fails test_every_entry_names_an_existing_url.
"""

from __future__ import annotations

from .matrix import Act, Entry

# --- Common rows -----------------------------------------------------------------------------
#                     anon lead yx_r jj_r yx_l wz_l admin
PAGE_LIST = "302 200 200 200 200 200 200"  # a list: everybody signed in (scoping: tests/*/test_pages)
PAGE_READ = "302 200 200 200 200 404 200"  # an object of P: another pairing's liaison gets 404
PAGE_MANAGE_GET = "302 403 403 403 200 404 200"  # a form only P's liaison staff may open
PAGE_MANAGE_POST = "302 403 403 403 302 404 302"  # ... and send (302: saved, back to the page)
PAYING_SIDE_GET = "302 403 403 403 403 404 200"  # payments: 晋江's (the paying side) and the superuser's
PAYING_SIDE_POST = "302 403 403 403 403 404 302"
POST_ONLY = "302 405 405 405 405 405 405"  # GET on an action that only takes POST

API_LIST = "403 200 200 200 200 200 200"
API_READ = "403 200 200 200 200 404 200"
# Q's liaison may write, but not into P: P's id reads to him like an id that does not exist (400)
API_CREATE = "403 403 403 403 201 400 201"
API_UPDATE = "403 403 403 403 200 404 200"
API_DELETE = "403 403 403 403 204 404 204"
API_ADMIN_ONLY = {"create": "403 403 403 403 403 403 201", "update": "403 403 403 403 403 403 200"}


# --- Form data -------------------------------------------------------------------------------


def form_data(form, **changes) -> dict:
    """The POST body a browser sends for an unbound form as shown, with `changes` applied."""
    data: dict = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[bound.html_name] = str(getattr(value, "pk", value))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def pairing_form(o):
    from cooperation.forms import PairingForm

    return form_data(PairingForm(instance=o.jy), notes="权限矩阵测试修改")


def activity_form(o, instance=None):
    from cooperation.forms import ActivityForm

    return form_data(
        ActivityForm(instance=instance),
        kind="training",
        title="电商人才培训班（权限矩阵）",
        date="2026-05-20",
    )


def task_form(o, instance=None):
    from tasks.forms import TaskForm

    form = TaskForm(instance=instance) if instance else TaskForm(pairing=o.jy)
    return form_data(
        form, title="推动职业教育合作（权限矩阵）", number="9.", start_year="2026", end_year="2027"
    )


def commitment_form(o):
    from funds.forms import FundCommitmentForm

    return form_data(FundCommitmentForm(instance=o.commitment), notes="权限矩阵测试修改")


def use_project_form(o, instance=None):
    from funds.forms import FundUseProjectForm

    return form_data(
        FundUseProjectForm(instance=instance),
        name="尤溪县山海协作产业园标准厂房（权限矩阵）",
        kind="hematopoietic",
        planned_amount="3000000",
        spent_amount="0",
    )


def project_form(o, create: bool = False):
    from parks.forms import ProjectCreateForm, ProjectForm

    if create:
        return form_data(ProjectCreateForm(), name="尤溪竹木精深加工项目（权限矩阵）", pairing=str(o.jy.pk))
    return form_data(ProjectForm(instance=o.project), notes="权限矩阵测试修改")


def plan_form(o):
    from parks.forms import PlanActualForm

    return form_data(PlanActualForm(instance=o.plan_line), actual_completion="3500")


def scheme_form(o, **changes):
    """The scheme page's form as shown (the scheme, its sections, items and grade bands), changed."""
    from assessment.views import _scheme_forms

    scheme, formsets = _scheme_forms(o.scheme)
    data = form_data(scheme)
    for formset in formsets:
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    data.update(changes)
    return data


def policy_form(o):
    return {
        "days_before": "30,7,1,0",
        "overdue_every": "3",
        "catch_up_days": "7",
        "prompt_workdays": "3",
        "urge_after_days": "3",
        "sign_within_days": "2",
        "reply_within_days": "5",
        "escalate_after_days": "15",
    }


def urge_form(o):
    """催办 by hand of the task's 2026 period to unit A (the notice fixture is on the same period:
    use the other unit of the task, 晋江市教育局, so the write is not refused as a duplicate)."""
    from datetime import timedelta

    from django.utils import timezone

    return {
        "unit": str(o.unit("晋江市教育局").pk),
        "message": "请报送本年度交流活动的人数和照片。",
        "reply_by": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }


def round_form(o, instance=None):
    return {
        "name": "2026年一季度进展报送（权限矩阵）",
        "year": "2026",
        "opened_on": "2026-11-01",
        "due_date": "2026-12-10",
        "units": [str(o.unit_a.pk)],
    }


def versioned(obj, **fields) -> dict:
    obj.refresh_from_db()
    return {"version": obj.version, **fields}


def _pdf(name: str = "交流协议.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tasks.demo import PDF

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _with(attr: str, kwargs):
    """Build `attr` first (e.g. a payment the action needs), then the kwargs."""

    def build(o):
        getattr(o, attr)
        return kwargs(o)

    return build


# --- Pages -----------------------------------------------------------------------------------

PAGES: dict[str, Entry] = {
    # Project level
    "home": Entry(
        # Everybody is sent somewhere: the login page, or the pairing list.
        {"read": Act("GET", "302 302 302 302 302 302 302")}
    ),
    "healthz": Entry({"read": Act("GET", "200 200 200 200 200 200 200")}, note="the reverse proxy's probe"),
    "password_change": Entry(
        {"read": Act("GET", "302 200 200 200 200 200 200")}, note="one's own password only"
    ),
    "password_change_done": Entry({"read": Act("GET", "302 200 200 200 200 200 200")}),
    "schema": Entry(
        # The OpenAPI description names every endpoint and field: signed-in users only, like the API.
        {"read": Act("GET", "403 200 200 200 200 200 200")}
    ),
    # The docs page sends anonymous visitors to the login page.
    "api-docs": Entry({"read": Act("GET", "302 200 200 200 200 200 200")}),
    # cooperation
    "cooperation:pairing_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "cooperation:pairing_detail": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.jy.pk}),
    "cooperation:pairing_edit": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "update": Act("POST", PAGE_MANAGE_POST, data=pairing_form)},
        kwargs=lambda o: {"pk": o.jy.pk},
        target="jy",
    ),
    "cooperation:activity_create": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "create": Act("POST", PAGE_MANAGE_POST, data=activity_form)},
        kwargs=lambda o: {"pairing_pk": o.jy.pk},
    ),
    "cooperation:activity_edit": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            "update": Act("POST", PAGE_MANAGE_POST, data=lambda o: activity_form(o, o.activity)),
        },
        kwargs=lambda o: {"pk": o.activity.pk},
        target="activity",
    ),
    "cooperation:activity_delete": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "delete": Act("POST", PAGE_MANAGE_POST)},
        kwargs=lambda o: {"pk": o.activity.pk},
        target="activity",
    ),
    "cooperation:document_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "cooperation:document_detail": Entry(
        {"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.document.pk}
    ),
    # tasks
    "tasks:task_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "tasks:my_tasks": Entry({"list": Act("GET", PAGE_LIST)}),
    "tasks:task_detail": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.task.pk}),
    "tasks:task_edit": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            "update": Act("POST", PAGE_MANAGE_POST, data=lambda o: task_form(o, o.task)),
        },
        kwargs=lambda o: {"pk": o.task.pk},
        target="task",
    ),
    "tasks:plan_tree": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.jy.pk}),
    "tasks:task_create": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "create": Act("POST", PAGE_MANAGE_POST, data=task_form)},
        kwargs=lambda o: {"pairing_pk": o.jy.pk},
    ),
    "tasks:year_lock": Entry(
        {
            "read": Act("GET", POST_ONLY),
            "lock": Act(
                "POST", PAGE_MANAGE_POST, data=lambda o: {"year": "2025", "reason": "2025年度考评已完成"}
            ),
        },
        kwargs=lambda o: {"pk": o.jy.pk},
    ),
    "tasks:period_status": Entry(
        {
            "read": Act("GET", POST_ONLY),
            # Both units lead the task: both reporters may move its status (not to 已完成).
            "update": Act(
                "POST",
                "302 403 302 302 302 404 302",
                data=lambda o: {"status": "in_progress", "version": str(o.period.version), "note": "已对接"},
            ),
        },
        kwargs=lambda o: {"pk": o.period.pk},
        target="period",
    ),
    "tasks:report_create": Entry(
        {
            "read": Act("GET", POST_ONLY),
            # A superuser belongs to no unit: the page cannot tell whose report it is (message, no change);
            # P's liaison (尤溪县发改局) neither: his unit has no part in this task.
            "create": Act(
                "POST", "302 403 302 302 302- 404 302-", data=lambda o: {"text": "2026年两地教师交流12人次"}
            ),
        },
        kwargs=lambda o: {"period_pk": o.period.pk},
    ),
    "tasks:report_update": Entry(
        {
            "read": Act("GET", POST_ONLY),
            # yx_reporter's returned report: his unit's; unit B's reporter may not touch it.
            "update": Act(
                "POST",
                "302 403 302 403 302 404 302",
                data=lambda o: {"text": "补充：已签订校际协议", "version": str(o.report_returned.version)},
            ),
        },
        kwargs=lambda o: {"period_pk": o.report_returned.period_id, "pk": o.report_returned.pk},
        target="report_returned",
    ),
    "tasks:report_bulk_review": Entry(
        {
            "approve": Act(
                "POST",
                "302 403 403 403 302 404 302",
                data=lambda o: {"bulk_action": "approve", "report": [str(o.report_submitted.pk)]},
            ),
            "return": Act(
                "POST",
                "302 403 403 403 302 404 302",
                data=lambda o: {
                    "bulk_action": "return",
                    "reason": "请补充凭证",
                    "report": [str(o.report_submitted.pk)],
                },
            ),
        },
        target="report_submitted",
    ),
    "tasks:report_action": Entry(
        {
            "submit": Act(
                "POST",
                "302 403 302 403 302 404 302",
                kwargs=lambda o: {"pk": o.report_returned.pk, "action": "submit"},
            ),
            "approve": Act(
                "POST",
                "302 403 403 403 302 404 302",
                kwargs=lambda o: {"pk": o.report_submitted.pk, "action": "approve"},
            ),
            "return": Act(
                "POST",
                "302 403 403 403 302 404 302",
                kwargs=lambda o: {"pk": o.report_submitted.pk, "action": "return"},
                data=lambda o: {"reason": "请补充拨付凭证"},
            ),
            "evidence": Act(
                "POST",
                "302 403 302 403 302 404 302",
                kwargs=lambda o: {"pk": o.report_returned.pk, "action": "evidence"},
                data=lambda o: {"evidence": _pdf()},
            ),
            # A draft is its unit's own until submitted: to everyone else it does not exist.
            "delete": Act(
                "POST",
                "302 404 302 404 404 404 302",
                kwargs=lambda o: {"pk": o.report_draft.pk, "action": "delete"},
            ),
            "unknown": Act(
                # An action name the page does not know is refused, whoever asks.
                "POST",
                "302 403 403 403 403 404 403",
                kwargs=lambda o: {"pk": o.report_returned.pk, "action": "publish"},
            ),
        },
    ),
    "tasks:evidence_download": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.evidence.pk}),
    # funds
    "funds:fund_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "funds:commitment_detail": Entry(
        {"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.commitment.pk}
    ),
    "funds:commitment_edit": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "update": Act("POST", PAGE_MANAGE_POST, data=commitment_form)},
        kwargs=lambda o: {"pk": o.commitment.pk},
        target="commitment",
    ),
    "funds:disbursement_create": Entry(
        {
            # The paying side only (晋江: its liaison or 晋江市财政局, none of these personas);
            # P's liaison here is 尤溪's, the receiving side: he confirms arrival, he does not pay.
            "read": Act("GET", PAYING_SIDE_GET),
            "create": Act(
                "POST",
                PAYING_SIDE_POST,
                data=lambda o: {"date": "2026-04-20", "amount": "2000000", "voucher_no": "PZ-9"},
            ),
        },
        kwargs=lambda o: {"pk": o.commitment.pk},
        target="commitment",
    ),
    "funds:arrival_confirm": Entry(
        {
            # Only the receiving side (尤溪) confirms arrival; its paying partner cannot.
            "read": Act("GET", PAGE_MANAGE_GET),
            "confirm": Act(
                "POST", PAGE_MANAGE_POST, data=lambda o: {"date": "2026-04-25", "amount": "1000000"}
            ),
        },
        kwargs=_with("payment", lambda o: {"pk": o.commitment.pk}),
        target="commitment",
    ),
    "funds:use_list_submit": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            "submit": Act("POST", PAGE_MANAGE_POST, data=lambda o: {"date": "2026-03-20"}),
        },
        kwargs=lambda o: {"pk": o.commitment.pk},
        target="commitment",
    ),
    "funds:use_project_create": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "create": Act("POST", PAGE_MANAGE_POST, data=use_project_form)},
        kwargs=lambda o: {"pk": o.commitment.pk},
    ),
    "funds:use_project_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "funds:use_project_edit": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            "update": Act("POST", PAGE_MANAGE_POST, data=lambda o: use_project_form(o, o.use_project)),
        },
        kwargs=lambda o: {"pk": o.use_project.pk},
        target="use_project",
    ),
    "funds:disbursement_reverse": Entry(
        {
            "read": Act("GET", PAYING_SIDE_GET),
            "reverse": Act("POST", PAYING_SIDE_POST, data=lambda o: {"note": "凭证号录入错误"}),
        },
        kwargs=lambda o: {"pk": o.payment.pk},
        target="payment",
    ),
    "funds:evidence_download": Entry(
        {"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.payment_with_evidence.pk}
    ),
    # parks
    "parks:park_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "parks:plan_import": Entry(
        {
            # Any liaison opens the import (it only touches the parks he manages).
            "read": Act("GET", "302 403 403 403 200 200 200"),
            # No file: the form answers 400. Imports themselves: tests/parks/test_import.py.
            "upload": Act("POST", "302 403 403 403 400 400 400"),
        }
    ),
    "parks:park_detail": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.park.pk}),
    "parks:project_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "parks:project_create": Entry(
        {
            "read": Act("GET", "302 403 403 403 200 200 200"),
            # Q's liaison may add projects, but not to P: P is not among his choices.
            "create": Act(
                "POST", "302 403 403 403 302 200- 302", data=lambda o: project_form(o, create=True)
            ),
        }
    ),
    "parks:project_detail": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.project.pk}),
    "parks:project_edit": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "update": Act("POST", PAGE_MANAGE_POST, data=project_form)},
        kwargs=lambda o: {"pk": o.project.pk},
        target="project",
    ),
    "parks:investment_record": Entry(
        {
            "read": Act("GET", POST_ONLY),
            "create": Act("POST", PAGE_MANAGE_POST, data=lambda o: {"year": "2026", "amount": "5000000"}),
        },
        kwargs=lambda o: {"pk": o.project.pk},
    ),
    "parks:plan_edit": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "update": Act("POST", PAGE_MANAGE_POST, data=plan_form)},
        kwargs=lambda o: {"pk": o.plan_line.pk},
        target="plan_line",
    ),
    # reports
    "indicators:indicator_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "indicators:indicator_detail": Entry(
        {"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.figure.pk}
    ),
    "indicators:indicator_entry": Entry(
        {
            # Liaison staff of any pairing enter the figures of their own pairings' regions.
            "read": Act("GET", "302 403 403 403 200 200 200"),
            # Without a region chosen the grid is shown again; saving: tests/indicators/test_indicators_pages.
            "save": Act("POST", "302 403 403 403 200 200 200", changes=False),
        }
    ),
    "indicators:indicator_import": Entry(
        {
            "read": Act("GET", "302 403 403 403 200 200 200"),
            # No file: the form answers 400 with its error. Imports: tests/indicators/test_indicators_import.
            "upload": Act("POST", "302 403 403 403 400 400 400"),
        }
    ),
    # dashboards (read only, scoped to the user's pairings)
    "dashboards:dashboard": Entry({"list": Act("GET", PAGE_LIST)}),
    # The leader lands on his pairing's one-pager (302); everyone else on his own 工作台.
    "dashboards:workbench": Entry({"list": Act("GET", "302 302 200 200 200 200 200")}),
    "dashboards:pairing_dashboard": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.jy.pk}),
    # responsibility-table import (Excel → tasks)
    "task_import:upload": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            # No file: 400 and the form again. The import itself: tests/tasks/importing/test_task_import*.
            "upload": Act("POST", "302 403 403 403 400 404 400"),
        },
        kwargs=lambda o: {"pk": o.jy.pk},
    ),
    "task_import:confirm": Entry(
        {
            "read": Act("GET", "302 403 403 403 302 404 302"),  # back to the upload form
            # A forged preview (no signed payload) is refused and creates nothing.
            "confirm": Act("POST", "302 403 403 403 400 404 400", data=lambda o: {"preview_token": "forged"}),
        },
        kwargs=lambda o: {"pk": o.jy.pk},
    ),
    "task_import:template": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET)},
        kwargs=lambda o: {"pk": o.jy.pk},
    ),
    # reminders
    "reminders:notification_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "reminders:notification_read": Entry(
        {
            "read": Act("GET", POST_ONLY),
            # Only its addressee (yx_reporter) marks a notification read; for anyone else it does not exist.
            "mark": Act("POST", "302 404 302 404 404 404 404"),
        },
        kwargs=lambda o: {"pk": o.notification.pk},
        target="notification",
    ),
    "reminders:notification_read_all": Entry(
        {
            "read": Act("GET", POST_ONLY),
            # One's own notifications only; with none unread it changes nothing, by design.
            "mark": Act("POST", "302 302 302 302 302 302 302", changes=False),
        }
    ),
    "reminders:preferences": Entry(
        {
            "read": Act("GET", PAGE_LIST),
            # One's own settings: everybody signed in.
            "update": Act("POST", "302 302 302 302 302 302 302", data=lambda o: {"frequency": "weekly"}),
        }
    ),
    "reminders:log": Entry({"list": Act("GET", "302 403 403 403 200 200 200")}),
    "reminders:notice_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "reminders:notice_detail": Entry(
        {
            "read": Act("GET", PAGE_READ),
            # The notice is unit A's: only its own people (and superusers) sign for it.
            "sign": Act("POST", "302 403 302 403 403 404 302", data=lambda o: {"action": "sign"}),
        },
        kwargs=lambda o: {"pk": o.notice.pk},
        target="notice",
    ),
    "reminders:notice_evidence": Entry(
        {"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.notice_with_evidence.pk}
    ),
    "reminders:overdue_list": Entry({"list": Act("GET", PAGE_LIST)}),
    "reminders:urge": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            # Only P's liaison staff urge; Q's liaison does not see the item at all.
            "create": Act("POST", PAGE_MANAGE_POST, data=urge_form),
        },
        kwargs=lambda o: {"key": f"tasks.period:{o.period.pk}"},
    ),
    "reminders:policy_edit": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "update": Act("POST", PAGE_MANAGE_POST, data=policy_form)},
        kwargs=lambda o: {"pairing_pk": o.jy.pk},
    ),
    # rounds (报送轮次)
    "rounds:round_list": Entry({"list": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pairing_id": o.jy.pk}),
    "rounds:round_create": Entry(
        {"read": Act("GET", PAGE_MANAGE_GET), "create": Act("POST", PAGE_MANAGE_POST, data=round_form)},
        kwargs=lambda o: {"pairing_id": o.jy.pk},
    ),
    "rounds:round_detail": Entry({"read": Act("GET", PAGE_READ)}, kwargs=lambda o: {"pk": o.round.pk}),
    "rounds:round_edit": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            "update": Act("POST", PAGE_MANAGE_POST, data=lambda o: round_form(o, o.round)),
        },
        kwargs=lambda o: {"pk": o.round.pk},
        target="round",
    ),
    "rounds:round_close": Entry(
        {"read": Act("GET", POST_ONLY), "close": Act("POST", PAGE_MANAGE_POST)},
        kwargs=lambda o: {"pk": o.round.pk},
        target="round",
    ),
    "rounds:round_remind": Entry(
        {"read": Act("GET", POST_ONLY), "remind": Act("POST", PAGE_MANAGE_POST)},
        kwargs=lambda o: {"pk": o.round.pk},
    ),
    "rounds:round_declare": Entry(
        {
            "read": Act("GET", POST_ONLY),
            # 本轮无进展 for unit A: its reporter, or P's liaison staff.
            "declare": Act(
                "POST",
                "302 403 302 403 302 404 302",
                data=lambda o: {"unit": str(o.unit_a.pk), "note": "本季度无新增进展"},
            ),
        },
        kwargs=lambda o: {"pk": o.round.pk},
    ),
    # plan text → tasks
    "plans:plan_import": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET),
            # Without text: 400 and the form again; the import itself: tests/tasks/importing/test_plan_import_pages.
            "preview": Act("POST", "302 403 403 403 400 404 400"),
        },
        kwargs=lambda o: {"pk": o.jy.pk},
    ),
    # assessment workbook
    "assessment:export_form": Entry(
        {
            # Liaison staff and leaders export the pairings they see; reporters may not.
            "read": Act("GET", "302 200 403 403 200 200 200"),
            # Q's liaison asking for P: refused (never silently left out).
            "create": Act(
                "POST",
                "302 302 403 403 302 403 302",
                data=lambda o: {"year": "2025", "pairings": [str(o.jy.pk)]},
            ),
        }
    ),
    "assessment:export_detail": Entry(
        # An export is its requester's (yx_liaison) and the superuser's; anyone else: 404.
        {"read": Act("GET", "302 404 404 404 200 404 200")},
        kwargs=lambda o: {"pk": o.export.pk},
    ),
    "assessment:export_status": Entry(
        {"read": Act("GET", "302 404 404 404 200 404 200")}, kwargs=lambda o: {"pk": o.export.pk}
    ),
    "assessment:export_download": Entry(
        {"read": Act("GET", "302 404 404 404 200 404 200")}, kwargs=lambda o: {"pk": o.export.pk}
    ),
    # the scheme page (考核方案): the assessing office (superusers) only; anyone else signed in: 403
    "assessment:scheme_list": Entry({"list": Act("GET", "302 403 403 403 403 403 200")}),
    "assessment:scheme_detail": Entry(
        {
            "read": Act("GET", "302 403 403 403 403 403 200"),
            "update": Act(
                "POST",
                "302 403 403 403 403 403 302",
                data=lambda o: scheme_form(o, **{"scheme-notes": "权限矩阵测试修改"}),
            ),
        },
        kwargs=lambda o: {"pk": o.scheme.pk},
        target="scheme",
    ),
    "assessment:scheme_copy": Entry(
        {
            "read": Act("GET", POST_ONLY),
            "create": Act("POST", "302 403 403 403 403 403 302", data=lambda o: {"year": "2031"}),
        },
        kwargs=lambda o: {"pk": o.scheme.pk},
    ),
    # self-assessment report: P's liaison staff draft it; reporters and leaders of P: 403; Q's: 404
    "assessment:selfreport": Entry(
        {
            "read": Act("GET", PAGE_MANAGE_GET, query={"year": "2025"}),
            "draft": Act("GET", PAGE_MANAGE_GET, query={"year": "2025", "download": "1"}),
            # The .docx of the edited text; nothing is stored by design.
            "download": Act(
                "POST",
                "302 403 403 403 200 404 200",
                data=lambda o: {
                    "year": "2025",
                    "title": "自评报告",
                    "sections-TOTAL_FORMS": "1",
                    "sections-INITIAL_FORMS": "0",
                    "sections-0-heading": "工作情况",
                    "sections-0-body": "正文",
                },
                changes=False,
            ),
        },
        kwargs=lambda o: {"pk": o.jy.pk},
    ),
}


# --- API (/api/v1/) --------------------------------------------------------------------------


def _token_body(o) -> dict:
    # Each persona signs in with its own demo password; anonymous tries a wrong one.
    if o.role == "anonymous":
        return {"username": "yx_liaison", "password": "wrong-password"}
    return {"username": o.role, "password": "shanhai-demo"}


API: dict[str, Entry] = {
    "api-token": Entry(
        {
            "read": Act("GET", "405 405 405 405 405 405 405"),
            "login": Act("POST", "400 200 200 200 200 200 200", data=_token_body, json=True),
        }
    ),
    "api-me": Entry({"read": Act("GET", API_LIST)}),
    # The dashboard's figures: computed from the user's own pairings only.
    "api-dashboard": Entry({"read": Act("GET", API_LIST)}),
    # Regions: reference data every signed-in user reads; only superusers change it.
    "region-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_ADMIN_ONLY["create"],
                json=True,
                data=lambda o: {"name": "西城镇（权限矩阵）", "level": "township", "parent": o.region.pk},
            ),
        }
    ),
    "region-detail": Entry(
        {
            "read": Act("GET", API_LIST),
            "update": Act("PATCH", API_ADMIN_ONLY["update"], json=True, data=lambda o: {"name": "尤溪县"}),
        },
        kwargs=lambda o: {"pk": o.region.pk},
        target="region",
    ),
    # Units: everybody reads; liaison staff change the units of their pairings' regions.
    "unit-list": Entry(
        {
            "list": Act("GET", API_LIST),
            # Regions are read by everybody: a unit of P's region is Q's liaison's to refuse (403).
            "create": Act(
                "POST",
                "403 403 403 403 201 403 201",
                json=True,
                data=lambda o: {
                    "name": "尤溪县科技局（权限矩阵）",
                    "kind": "department",
                    "region": o.region.pk,
                },
            ),
        }
    ),
    "unit-detail": Entry(
        {
            "read": Act("GET", API_LIST),
            "update": Act(
                "PATCH", "403 403 403 403 200 403 200", json=True, data=lambda o: {"short_name": "尤溪教育局"}
            ),
            "delete": Act("DELETE", "403 403 403 403 409 403 409"),
        },
        kwargs=lambda o: {"pk": o.unit_a.pk},
        target="unit_a",
    ),
    "pairing-list": Entry(
        {
            "list": Act("GET", API_LIST),
            # Pairings and sub-pairings are set up by the admin only, as on the pages (no create page).
            "create": Act(
                "POST",
                API_ADMIN_ONLY["create"],
                json=True,
                data=lambda o: {
                    "name": "晋江市—尤溪县教育结对（权限矩阵）",
                    "kind": "department",
                    "coastal_region": o.jy.coastal_region_id,
                    "mountain_region": o.jy.mountain_region_id,
                    "start_year": 2026,
                    "parent": o.jy.pk,
                },
            ),
        }
    ),
    "pairing-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"notes": "权限矩阵测试修改"}),
            # Deleting a pairing is the admin's too (P is still referenced: 409 even for him).
            "delete": Act("DELETE", "403 403 403 403 403 404 409"),
        },
        kwargs=lambda o: {"pk": o.jy.pk},
        target="jy",
    ),
    "document-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {
                    "doc_number": "尤政办〔2026〕9号",
                    "title": "尤溪县2026年山海协作工作要点",
                    "kind": "annual",
                    "issued": "2026-02-01",
                    "pairings": [o.jy.pk],
                },
            ),
        }
    ),
    "document-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"issuers": "晋江市人民政府办公室"}),
            "delete": Act("DELETE", API_DELETE),
        },
        kwargs=lambda o: {"pk": o.document.pk},
        target="document",
    ),
    "activity-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {
                    "pairing": o.jy.pk,
                    "kind": "training",
                    "title": "电商人才培训班",
                    "date": "2026-05-20",
                },
            ),
        }
    ),
    "activity-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"place": "尤溪县"}),
            "delete": Act("DELETE", API_DELETE),
        },
        kwargs=lambda o: {"pk": o.activity.pk},
        target="activity",
    ),
    # tasks
    "task-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {
                    "pairing": o.jy.pk,
                    "number": "9.",
                    "title": "推动职业教育合作",
                    "start_year": 2026,
                    "end_year": 2027,
                    "responsible_units": [{"unit": o.unit_a.pk, "role": "lead"}],
                },
            ),
        }
    ),
    "task-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act(
                "PATCH",
                API_UPDATE,
                json=True,
                data=lambda o: versioned(o.task, body="两地教育医疗合作（修改）"),
            ),
            # A task with a locked year cannot be deleted (tasks/test_workflow); a fresh one can.
            "delete": Act("DELETE", API_DELETE, kwargs=lambda o: {"pk": o.spare_task.pk}),
        },
        kwargs=lambda o: {"pk": o.task.pk},
        target="task",
    ),
    "task-period-list": Entry(
        {"list": Act("GET", API_LIST), "create": Act("POST", "403 403 405 405 405 405 405", json=True)}
    ),
    "task-period-detail": Entry(
        {
            "read": Act("GET", API_READ),
            # Both units lead the task: both reporters may move the status.
            "update": Act(
                "PATCH",
                "403 403 200 200 200 404 200",
                json=True,
                data=lambda o: versioned(o.period, status="in_progress"),
            ),
            "delete": Act("DELETE", "403 403 405 405 405 405 405"),
        },
        kwargs=lambda o: {"pk": o.period.pk},
        target="period",
    ),
    "progress-report-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                "403 403 201 403 201 400 201",
                json=True,
                # For unit A: its reporter may, unit B's may not; Q's liaison cannot even name the period.
                data=lambda o: {
                    "period": o.period.pk,
                    "unit": o.unit_a.pk,
                    "text": "2026年两地教师交流12人次",
                },
            ),
        }
    ),
    "progress-report-detail": Entry(
        {
            "read": Act("GET", API_READ),
            # yx_reporter's returned report (unit A's).
            "update": Act(
                "PATCH",
                "403 403 200 403 200 404 200",
                json=True,
                data=lambda o: versioned(o.report_returned, text="补充：已签订校际协议"),
            ),
            "delete": Act(
                "DELETE", "403 403 204 404 404 404 204", kwargs=lambda o: {"pk": o.report_draft.pk}
            ),
        },
        kwargs=lambda o: {"pk": o.report_returned.pk},
        target="report_returned",
    ),
    "progress-report-submit": Entry(
        {"submit": Act("POST", "403 403 200 403 200 404 200", json=True)},
        kwargs=lambda o: {"pk": o.report_returned.pk},
        target="report_returned",
    ),
    "progress-report-approve": Entry(
        {"approve": Act("POST", "403 403 403 403 200 404 200", json=True)},
        kwargs=lambda o: {"pk": o.report_submitted.pk},
        target="report_submitted",
    ),
    "progress-report-return-report": Entry(
        {
            "return": Act(
                "POST", "403 403 403 403 200 404 200", json=True, data=lambda o: {"reason": "请补充拨付凭证"}
            )
        },
        kwargs=lambda o: {"pk": o.report_submitted.pk},
        target="report_submitted",
    ),
    "progress-report-upload-evidence": Entry(
        {"upload": Act("POST", "403 403 201 403 201 404 201", data=lambda o: {"file": _pdf()})},
        kwargs=lambda o: {"pk": o.report_returned.pk},
    ),
    "progress-report-download-evidence": Entry(
        {"read": Act("GET", API_READ)},
        kwargs=lambda o: {"pk": o.evidence.report_id, "evidence_id": o.evidence.pk},
    ),
    # funds
    "fund-commitment-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {
                    "pairing": o.jy.pk,
                    "year": 2027,
                    "purpose": "山海协作专项资金",
                    "payer_region": o.jy.coastal_region_id,
                    "receiver_region": o.jy.mountain_region_id,
                    "amount": "12000000.00",
                    "due": "2027-04-30",
                },
            ),
        }
    ),
    "fund-commitment-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"notes": "权限矩阵测试修改"}),
            "delete": Act("DELETE", "403 403 403 403 204 404 204"),
        },
        kwargs=lambda o: {"pk": o.commitment.pk},
        target="commitment",
    ),
    "disbursement-list": Entry(
        {
            "list": Act("GET", API_LIST),
            # The paying side only (晋江); yx_liaison is the receiving side's. Q's liaison: P's
            # commitment reads like one that does not exist (400).
            "create": Act(
                "POST",
                "403 403 403 403 403 400 201",
                json=True,
                data=lambda o: {"commitment": o.commitment.pk, "date": "2026-04-20", "amount": "2000000.00"},
            ),
        }
    ),
    "disbursement-detail": Entry(
        {
            "read": Act("GET", API_READ),
            # The ledger is append-only: no PUT, PATCH or DELETE for anyone.
            "update": Act("PATCH", "403 403 405 405 405 405 405", json=True, data=lambda o: {"note": "改"}),
            "delete": Act("DELETE", "403 403 405 405 405 405 405"),
        },
        kwargs=lambda o: {"pk": o.payment.pk},
        target="payment",
    ),
    # The payment's voucher file, through the scope (never its raw /media/ URL).
    "disbursement-evidence": Entry(
        {"read": Act("GET", API_READ)}, kwargs=lambda o: {"pk": o.payment_with_evidence.pk}
    ),
    "disbursement-reverse": Entry(
        {
            "reverse": Act(
                "POST", "403 403 403 403 403 404 201", json=True, data=lambda o: {"note": "凭证号录入错误"}
            )
        },
        kwargs=lambda o: {"pk": o.payment.pk},
        target="payment",
    ),
    "arrival-confirmation-list": Entry(
        {
            "list": Act("GET", API_LIST),
            # The receiving side only (尤溪: its liaison); Jinjiang's people cannot declare arrival.
            "create": Act(
                "POST",
                "403 403 403 403 201 400 201",
                json=True,
                data=lambda o: (
                    o.payment,
                    {"commitment": o.commitment.pk, "date": "2026-04-25", "amount": "1000000.00"},
                )[1],
            ),
        }
    ),
    "arrival-confirmation-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", "403 403 405 405 405 405 405", json=True, data=lambda o: {"note": "改"}),
            "delete": Act("DELETE", "403 403 405 405 405 405 405"),
        },
        kwargs=lambda o: {"pk": o.arrival.pk},
        target="arrival",
    ),
    "fund-use-project-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {
                    "commitment": o.commitment.pk,
                    "name": "尤溪县山海协作产业园标准厂房",
                    "kind": "hematopoietic",
                    "planned_amount": "3000000.00",
                },
            ),
        }
    ),
    "fund-use-project-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act(
                "PATCH",
                "403 403 403 403 200 404 200",
                json=True,
                data=lambda o: {"notes": "权限矩阵测试修改"},
            ),
            "delete": Act("DELETE", "403 403 403 403 204 404 204"),
        },
        kwargs=lambda o: {"pk": o.use_project.pk},
        target="use_project",
    ),
    # parks
    "park-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {
                    "name": "尤溪—晋江数字经济产业园",
                    "kind": "co_built",
                    "pairing": o.jy.pk,
                    "region": o.region.pk,
                },
            ),
        }
    ),
    "park-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"notes": "权限矩阵测试修改"}),
            "delete": Act("DELETE", API_DELETE),
        },
        kwargs=lambda o: {"pk": o.park.pk},
        target="park",
    ),
    "park-plan-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {
                    "park": o.park.pk,
                    "year": 2027,
                    "kind": "government",
                    "project_count": 2,
                    "planned_total": "8000",
                    "planned_completion": "3000",
                },
            ),
        }
    ),
    "park-plan-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"actual_completion": "3500"}),
            "delete": Act("DELETE", API_DELETE),
        },
        kwargs=lambda o: {"pk": o.plan_line.pk},
        target="plan_line",
    ),
    "project-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_CREATE,
                json=True,
                data=lambda o: {"name": "尤溪竹木精深加工项目", "pairing": o.jy.pk},
            ),
        }
    ),
    "project-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"notes": "权限矩阵测试修改"}),
            "delete": Act("DELETE", API_DELETE),
        },
        kwargs=lambda o: {"pk": o.project.pk},
        target="project",
    ),
    # reports
    "indicator-definition-list": Entry(
        {
            "list": Act("GET", API_LIST),
            "create": Act(
                "POST",
                API_ADMIN_ONLY["create"],
                json=True,
                data=lambda o: {"name": "山海协作产业园税收（权限矩阵）", "unit": "亿元"},
            ),
        }
    ),
    "indicator-definition-detail": Entry(
        {
            "read": Act("GET", API_LIST),
            "update": Act("PATCH", API_ADMIN_ONLY["update"], json=True, data=lambda o: {"notes": "权限矩阵"}),
        },
        kwargs=lambda o: {"pk": o.indicator_definition.pk},
        target="indicator_definition",
    ),
    "region-indicator-list": Entry(
        {
            "list": Act("GET", API_LIST),
            # Figures are scoped by region, which everybody reads: Q's liaison is refused (403).
            "create": Act(
                "POST",
                "403 403 403 403 201 403 201",
                json=True,
                data=lambda o: {
                    "region": o.figure.region_id,
                    "indicator": o.figure.indicator_id,
                    "year": 2026,
                    "target_comparator": "gte",
                    "target_value": "7",
                },
            ),
        }
    ),
    "region-indicator-detail": Entry(
        {
            "read": Act("GET", API_READ),
            "update": Act("PATCH", API_UPDATE, json=True, data=lambda o: {"source_text": "权限矩阵测试修改"}),
            "delete": Act("DELETE", API_DELETE),
        },
        kwargs=lambda o: {"pk": o.figure.pk},
        target="figure",
    ),
}


MATRIX: dict[str, Entry] = {**PAGES, **API}

# --- Deliberately not in the matrix ----------------------------------------------------------
# Names matched exactly, or by the prefix before ":" for whole namespaces.
EXCLUDED = {
    # Django admin: staff only, a class of its own (test_admin_is_staff_only walks every admin URL).
    "admin": "staff only — see test_admin_is_staff_only",
    # Django's own account views, public by design (login throttling: tests/test_login_throttling.py).
    "login": "public: the login page",
    "logout": "public: signing out",
    "password_reset": "public: Django's reset flow (no mail server in the demo)",
    "password_reset_done": "public",
    "password_reset_confirm": "public: needs a signed token in the URL",
    "password_reset_complete": "public",
    # Language switch: public, changes only the visitor's own cookie.
    "set_language": "public: the visitor's own language cookie",
}
