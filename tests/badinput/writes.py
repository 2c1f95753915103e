"""Every write path that takes user text, as data: who sends it, how, which text fields it has
(with their max_length), and which page shows each field afterwards.

`test_text_fields.py` runs three checks over this table: script in every field is stored as text
and shown escaped; a string over max_length is a clear 4xx; a NUL byte is a clear 4xx (PostgreSQL
cannot store one). A new form or endpoint with text belongs in this table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


class Ctx:
    """The demo objects the write paths act on, looked up once per test."""

    def __init__(self, demo, users, client_for, api_for):
        from cooperation.models import Region, Unit
        from funds.models import FundCommitment
        from indicators.models import IndicatorDefinition
        from parks.models import Park, Project
        from tasks import services
        from tasks.models import Task

        self.demo, self.users, self.client_for, self.api_for = demo, users, client_for, api_for
        self.jy = demo["jy"]
        # The report workflow's example: a task decided by approved reports (the demo proves this
        # one by activities; tests/tasks/test_fulfilment.py covers that path).
        self.edu = Task.objects.get(pairing=self.jy, title="推动教育医疗合作")
        self.edu.fulfilment = Task.Fulfilment.REPORTS
        self.edu.save()
        self.period = self.edu.periods.get(year=2026)
        self.commitment = FundCommitment.objects.get(pairing=self.jy, year=2026)
        self.park = Park.objects.filter(pairing=self.jy).first()
        self.project = Project.objects.filter(pairing=self.jy).order_by("pk").first()
        self.youxi = Region.objects.get(name="尤溪县")
        self.jinjiang = Region.objects.get(name="晋江市")
        self.youxi_unit = Unit.objects.get(name="尤溪县财政局")
        self.indicator = IndicatorDefinition.objects.get(name="常住人口")
        reporter, liaison = users["yx_reporter"], users["yx_liaison"]
        self.submitted = services.submit_report(
            services.save_report(self.period, reporter, text="已开展教育交流一次"), reporter
        )
        finance = users["jj_finance"]
        from funds import services as fund_services

        self.payment = fund_services.record_disbursement(
            self.commitment,
            user=finance,
            date=datetime.date(2026, 4, 20),
            amount="2000000",
            voucher_no="JZ-1",
        )
        self.liaison = liaison

    def refresh(self):
        for name in ("edu", "period", "commitment", "submitted"):
            getattr(self, name).refresh_from_db()


def _page(ctx, persona, url, data, json=False):
    headers = {"accept": "application/json"} if json else {}
    # Kept so that a redirect can be followed in the same session (its message is shown there).
    ctx.last_client = ctx.client_for(persona)
    return ctx.last_client.post(url, data, headers=headers)


def _api(ctx, persona, method, url, data):
    client = ctx.api_for(persona)
    return getattr(client, method)(url, data, format="json")


@dataclass
class Write:
    """One way a user writes text. `send(ctx, values)` posts a valid payload overridden by `values`."""

    id: str
    send: Callable
    fields: dict[str, int | None]  # text field → max_length (None: no limit)
    shown: dict[str, Callable] = field(default_factory=dict)  # field → (ctx) → (persona, url) showing it


def _latest(model):
    return model.objects.order_by("-pk").first()


def _activity(ctx, values, api=False):
    data = {
        "kind": "exchange",
        "title": "尤溪—晋江教育交流",
        "date": "2026-05-10",
        "place": "尤溪县第一中学",
        "field": "教育",
        "participants": "两地教师",
        "headcount": 20,
        "notes": "",
        **values,
    }
    if api:
        return _api(ctx, "jj_liaison", "post", "/api/v1/activities/", {"pairing": ctx.jy.pk, **data})
    return _page(ctx, "jj_liaison", f"/pairings/{ctx.jy.pk}/activities/new/", data)


def _pairing_page(ctx, values):
    p = ctx.jy
    data = {
        "name": p.name,
        "kind": p.kind,
        "status": p.status,
        "start_year": p.start_year,
        "end_year": p.end_year or "",
        "coastal_liaison": p.coastal_liaison_id or "",
        "mountain_liaison": p.mountain_liaison_id or "",
        "notes": p.notes,
        **values,
    }
    return _page(ctx, "jj_liaison", f"/pairings/{p.pk}/edit/", data)


def _task_data(ctx, values):
    return {
        "number": "（九）",
        "title": "新增协作事项",
        "body": "",
        "start_year": 2026,
        "end_year": 2026,
        "deadline_text": "",
        "deadline_kind": "none",
        **values,
    }


def _task_page(ctx, values):
    return _page(ctx, "jj_liaison", f"/tasks/plan/{ctx.jy.pk}/new/", _task_data(ctx, values))


def _task_api(ctx, values):
    return _api(
        ctx, "jj_liaison", "post", "/api/v1/tasks/", {"pairing": ctx.jy.pk, **_task_data(ctx, values)}
    )


def _task_patch(ctx, values):
    url = f"/api/v1/tasks/{ctx.edu.pk}/"
    return _api(ctx, "jj_liaison", "patch", url, {"version": ctx.edu.version, **values})


def _report_page(ctx, values):
    data = {"text": "交流一次", **values}
    return _page(ctx, "yx_reporter", f"/tasks/periods/{ctx.period.pk}/reports/new/", data, json=True)


def _report_api(ctx, values):
    return _api(
        ctx,
        "yx_reporter",
        "post",
        "/api/v1/progress-reports/",
        {"period": ctx.period.pk, "text": "x", **values},
    )


def _return_page(ctx, values):
    data = {"reason": "请补充照片", "version": ctx.submitted.version, **values}
    return _page(ctx, "yx_liaison", f"/tasks/reports/{ctx.submitted.pk}/return/", data, json=True)


def _return_api(ctx, values):
    url = f"/api/v1/progress-reports/{ctx.submitted.pk}/return/"
    return _api(ctx, "yx_liaison", "post", url, {"reason": "请补充照片", **values})


def _note_page(ctx, values):
    data = {"status": "in_progress", "note": "", "version": ctx.period.version, **values}
    return _page(ctx, "yx_reporter", f"/tasks/periods/{ctx.period.pk}/status/", data, json=True)


def _note_api(ctx, values):
    url = f"/api/v1/task-periods/{ctx.period.pk}/"
    return _api(ctx, "yx_reporter", "patch", url, {"version": ctx.period.version, **values})


def _lock_page(ctx, values):
    return _page(ctx, "jj_liaison", f"/tasks/plan/{ctx.jy.pk}/lock/", {"year": 2027, **values}, json=True)


def _payment_page(ctx, values):
    data = {"date": "2026-04-21", "amount": "1000.00", "voucher_no": "JZ-2", "note": "", **values}
    return _page(ctx, "jj_finance", f"/funds/{ctx.commitment.pk}/pay/", data)


def _payment_api(ctx, values):
    data = {"commitment": ctx.commitment.pk, "date": "2026-04-21", "amount": "1000.00", **values}
    return _api(ctx, "jj_finance", "post", "/api/v1/disbursements/", data)


def _reversal_page(ctx, values):
    return _page(
        ctx, "jj_finance", f"/funds/disbursements/{ctx.payment.pk}/reverse/", {"note": "金额录错", **values}
    )


def _reversal_api(ctx, values):
    url = f"/api/v1/disbursements/{ctx.payment.pk}/reverse/"
    return _api(ctx, "jj_finance", "post", url, {"note": "金额录错", **values})


def _arrival_page(ctx, values):
    data = {"date": "2026-04-25", "amount": "1000.00", "note": "", **values}
    return _page(ctx, "yx_liaison", f"/funds/{ctx.commitment.pk}/confirm/", data)


def _arrival_api(ctx, values):
    data = {"commitment": ctx.commitment.pk, "date": "2026-04-25", "amount": "1000.00", **values}
    return _api(ctx, "yx_liaison", "post", "/api/v1/arrival-confirmations/", data)


def _use_data(ctx, values):
    return {
        "name": "尤溪县茶产业提升项目",
        "kind": "hematopoietic",
        "planned_amount": "3000000",
        "spent_amount": "0",
        "status": "planned",
        "unit": ctx.youxi_unit.pk,
        "notes": "",
        **values,
    }


def _use_page(ctx, values):
    return _page(ctx, "yx_liaison", f"/funds/{ctx.commitment.pk}/use-projects/new/", _use_data(ctx, values))


def _use_api(ctx, values):
    data = {"commitment": ctx.commitment.pk, **_use_data(ctx, values)}
    return _api(ctx, "yx_liaison", "post", "/api/v1/fund-use-projects/", data)


def _commitment_page(ctx, values):
    c = ctx.commitment
    data = {
        "purpose": c.purpose,
        "amount": str(c.amount),
        "due": c.due.isoformat(),
        "due_text": c.due_text,
        "use_list_due": c.use_list_due.isoformat() if c.use_list_due else "",
        "use_list_due_text": c.use_list_due_text,
        "notes": c.notes,
        **values,
    }
    # The terms are the document's: a superuser corrects them (liaison staff keep the notes).
    return _page(ctx, "admin", f"/funds/{c.pk}/edit/", data)


def _commitment_api(ctx, values):
    return _api(ctx, "admin", "patch", f"/api/v1/fund-commitments/{ctx.commitment.pk}/", values)


def _project_data(ctx, values):
    return {
        "name": "晋江—尤溪鞋服配套项目",
        "park": "",
        "industry": "纺织鞋服",
        "enterprise": "某鞋业有限公司",
        "stage": "planning",
        "total_investment": "50000000",
        "notes": "",
        **values,
    }


def _project_page(ctx, values):
    return _page(ctx, "jj_liaison", "/projects/new/", {"pairing": ctx.jy.pk, **_project_data(ctx, values)})


def _project_api(ctx, values):
    data = {"pairing": ctx.jy.pk, **_project_data(ctx, values), "park": None}
    return _api(ctx, "jj_liaison", "post", "/api/v1/projects/", data)


def _park_api(ctx, values):
    return _api(ctx, "jj_liaison", "patch", f"/api/v1/parks/{ctx.park.pk}/", values)


def _investment_page(ctx, values):
    data = {"year": 2026, "amount": "1000000", "notes": "", **values}
    return _page(ctx, "jj_liaison", f"/projects/{ctx.project.pk}/investments/", data)


def _indicator_api(ctx, values):
    data = {
        "region": ctx.youxi.pk,
        "indicator": ctx.indicator.pk,
        "year": 2026,
        "target_comparator": "",
        "actual_comparator": "",
        "actual_value": "37.5",
        **values,
    }
    return _api(ctx, "yx_liaison", "post", "/api/v1/region-indicators/", data)


def _unit_api(ctx, values):
    data = {
        "name": "晋江市某协作办",
        "short_name": "",
        "kind": "department",
        "region": ctx.jinjiang.pk,
        **values,
    }
    return _api(ctx, "jj_liaison", "post", "/api/v1/units/", data)


def _document_api(ctx, values):
    data = {
        "title": "补充协议",
        "doc_number": "",
        "kind": "other",
        "issuers": "",
        "pairings": [ctx.jy.pk],
        **values,
    }
    return _api(ctx, "jj_liaison", "post", "/api/v1/documents/", data)


def _task_url(task_id_of):
    return lambda ctx: ("yx_liaison", f"/tasks/{task_id_of(ctx)}/")


def _new_task(ctx):
    from tasks.models import Task

    return _latest(Task).pk


def _commitment_url(ctx):
    return ("jj_liaison", f"/funds/{ctx.commitment.pk}/")


def _project_url(ctx):
    from parks.models import Project

    return ("jj_liaison", f"/projects/{_latest(Project).pk}/")


def _pairing_url(ctx):
    return ("jj_liaison", f"/pairings/{ctx.jy.pk}/")


def _document_url(ctx):
    from cooperation.models import PolicyDocument

    return ("jj_liaison", f"/documents/{_latest(PolicyDocument).pk}/")


def _indicator_url(ctx):
    from indicators.models import RegionIndicator

    return ("yx_liaison", f"/indicators/{_latest(RegionIndicator).pk}/")


WRITES = [
    Write(
        "activity_page",
        _activity,
        {"title": 200, "place": 120, "field": 40, "participants": None, "notes": None},
        {"title": _pairing_url, "place": _pairing_url},
    ),
    Write(
        "activity_api",
        lambda ctx, v: _activity(ctx, v, api=True),
        {"title": 200, "place": 120, "field": 40, "participants": None, "notes": None},
        {"title": _pairing_url, "place": _pairing_url},
    ),
    Write(
        "pairing_page",
        _pairing_page,
        {"name": 150, "notes": None},
        {"name": _pairing_url, "notes": _pairing_url},
    ),
    Write(
        "pairing_api",
        lambda ctx, v: _api(ctx, "jj_liaison", "patch", f"/api/v1/pairings/{ctx.jy.pk}/", v),
        {"name": 150, "notes": None},
        {"name": _pairing_url, "notes": _pairing_url},
    ),
    Write(
        "document_api",
        _document_api,
        {"title": 255, "doc_number": 60, "issuers": 255, "full_text": None},
        {"title": _document_url, "doc_number": _document_url, "full_text": _document_url},
    ),
    Write("unit_api", _unit_api, {"name": 120, "short_name": 60}),
    Write(
        "task_page",
        _task_page,
        {"number": 20, "title": 200, "body": None, "deadline_text": 100},
        {"title": _task_url(_new_task), "number": _task_url(_new_task), "body": _task_url(_new_task)},
    ),
    Write(
        "task_api",
        _task_api,
        {"number": 20, "title": 200, "body": None, "deadline_text": 100},
        {"title": _task_url(_new_task), "body": _task_url(_new_task)},
    ),
    Write(
        "task_patch_api",
        _task_patch,
        {"number": 20, "title": 200, "body": None, "deadline_text": 100},
        {"title": _task_url(lambda ctx: ctx.edu.pk), "body": _task_url(lambda ctx: ctx.edu.pk)},
    ),
    # A draft is its unit's own until submitted: its author reads it back.
    Write(
        "report_page",
        _report_page,
        {"text": None},
        {"text": lambda ctx: ("yx_reporter", f"/tasks/{ctx.edu.pk}/")},
    ),
    Write(
        "report_api",
        _report_api,
        {"text": None},
        {"text": lambda ctx: ("yx_reporter", f"/tasks/{ctx.edu.pk}/")},
    ),
    Write(
        "return_page",
        _return_page,
        {"reason": None},
        {"reason": lambda ctx: ("yx_reporter", "/tasks/mine/")},
    ),
    Write(
        "return_api", _return_api, {"reason": None}, {"reason": lambda ctx: ("yx_reporter", "/tasks/mine/")}
    ),
    Write("period_note_page", _note_page, {"note": None}, {"note": _task_url(lambda ctx: ctx.edu.pk)}),
    Write("period_note_api", _note_api, {"note": None}, {"note": _task_url(lambda ctx: ctx.edu.pk)}),
    Write(
        "year_lock_page",
        _lock_page,
        {"reason": 200},
        {"reason": lambda ctx: ("jj_liaison", f"/tasks/plan/{ctx.jy.pk}/")},
    ),
    Write(
        "payment_page",
        _payment_page,
        {"voucher_no": 60, "note": 255},
        {"voucher_no": _commitment_url, "note": _commitment_url},
    ),
    Write("payment_api", _payment_api, {"voucher_no": 60, "note": 255}, {"note": _commitment_url}),
    Write("reversal_page", _reversal_page, {"note": 255}, {"note": _commitment_url}),
    Write("reversal_api", _reversal_api, {"note": 255}, {"note": _commitment_url}),
    Write("arrival_page", _arrival_page, {"note": 255}, {"note": _commitment_url}),
    Write("arrival_api", _arrival_api, {"note": 255}, {"note": _commitment_url}),
    Write("use_project_page", _use_page, {"name": 200, "notes": None}, {"name": _commitment_url}),
    Write("use_project_api", _use_api, {"name": 200, "notes": None}, {"name": _commitment_url}),
    Write(
        "commitment_page",
        _commitment_page,
        {"purpose": 200, "due_text": 60, "use_list_due_text": 60, "notes": None},
        {"purpose": _commitment_url, "due_text": _commitment_url},
    ),
    Write(
        "commitment_api",
        _commitment_api,
        {"purpose": 200, "due_text": 60, "use_list_due_text": 60, "notes": None},
        {"purpose": _commitment_url, "due_text": _commitment_url},
    ),
    Write(
        "project_page",
        _project_page,
        {"name": 200, "industry": 60, "enterprise": 150, "notes": None},
        {"name": _project_url, "industry": _project_url, "enterprise": _project_url},
    ),
    Write(
        "project_api",
        _project_api,
        {"name": 200, "industry": 60, "enterprise": 150, "notes": None},
        {"name": _project_url, "industry": _project_url},
    ),
    Write(
        "park_api",
        _park_api,
        {"name": 150, "short_name": 60, "company_name": 150, "share_agreement": None, "notes": None},
        {
            "name": lambda ctx: ("jj_liaison", f"/parks/{ctx.park.pk}/"),
            "company_name": lambda ctx: ("jj_liaison", f"/parks/{ctx.park.pk}/"),
            "share_agreement": lambda ctx: ("jj_liaison", f"/parks/{ctx.park.pk}/"),
        },
    ),
    Write(
        "investment_page",
        _investment_page,
        {"notes": 200},
        {"notes": lambda ctx: ("jj_liaison", f"/projects/{ctx.project.pk}/")},
    ),
    Write("indicator_api", _indicator_api, {"source_text": None}, {"source_text": _indicator_url}),
]
