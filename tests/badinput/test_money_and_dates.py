"""Money and dates as people mistype them: 1e20, "12,000,000元", NaN, −5, Infinity, 一千二百万, 0x10
in every numeric field of the pages and the API, and a deadline of 31 February in the task form,
the API and the plan import. Each is a clear refusal in Chinese that changes nothing.

Already covered elsewhere and not repeated: tests/funds/test_services.py (zero, negative and
malformed payments at the service), tests/funds/test_api.py (bad amounts through the API),
tests/parks/test_api.py (stage dates out of order), tests/tasks/importing/test_plan_import.py (a target
value too long for its column, a unit outside the pairing's regions).
"""

from __future__ import annotations

import json

import pytest

from . import writes
from .test_text_fields import outcome
from .writes import Ctx

pytestmark = pytest.mark.django_db

ABSURD = ["1e20", "12,000,000元", "NaN", "-5", "Infinity", "一千二百万", "0x10"]


@pytest.fixture
def ctx(demo, users, client_for, api_for):
    from cooperation.models import User

    users["jj_finance"] = User.objects.get(username="jj_finance")
    return Ctx(demo, users, client_for, api_for)


def _plan(ctx):
    """A yearly plan line of a Wenzhou park (附件1 of 温政发〔2018〕26号), managed by wz_liaison."""
    from parks.models import ParkInvestmentPlan

    return ParkInvestmentPlan.objects.filter(park__pairing__parent=ctx.demo["wz"]).order_by("pk").first()


def _plan_actual_page(ctx, values):
    plan = _plan(ctx)
    data = {
        "project_count": plan.project_count,
        "planned_total": plan.planned_total,
        "planned_completion": plan.planned_completion,
        "actual_completion": "",
        **values,
    }
    return writes._page(ctx, "wz_liaison", f"/park-plans/{plan.pk}/edit/", data)


def _plan_actual_api(ctx, values):
    return writes._api(ctx, "wz_liaison", "patch", f"/api/v1/park-plans/{_plan(ctx).pk}/", values)


def _target(ctx):
    return next(t for t in ctx.edu.targets.all() if t.applies_to(2026))


def _report_value_page(ctx, values):
    target = _target(ctx)
    data = {"text": "交流一次", **{f"value_{target.pk}": v for v in values.values()}}
    return writes._page(ctx, "yx_reporter", f"/tasks/periods/{ctx.period.pk}/reports/new/", data, json=True)


def _report_value_api(ctx, values):
    target = _target(ctx)
    body = {
        "period": ctx.period.pk,
        "text": "交流一次",
        "values": [{"target": target.pk, "value": values["value"]}],
    }
    return writes._api(ctx, "yx_reporter", "post", "/api/v1/progress-reports/", body)


# (id, send, field, negative allowed?)
NUMBERS = [
    ("payment_page", writes._payment_page, "amount", False),
    ("payment_api", writes._payment_api, "amount", False),
    ("arrival_page", writes._arrival_page, "amount", False),
    ("arrival_api", writes._arrival_api, "amount", False),
    ("commitment_page", writes._commitment_page, "amount", False),
    ("commitment_api", writes._commitment_api, "amount", False),
    ("use_project_page", writes._use_page, "planned_amount", False),
    ("use_project_page", writes._use_page, "spent_amount", False),
    ("use_project_api", writes._use_api, "planned_amount", False),
    ("project_page", writes._project_page, "total_investment", False),
    ("project_api", writes._project_api, "total_investment", False),
    ("investment_page", writes._investment_page, "amount", False),
    ("park_api", writes._park_api, "core_area_km2", False),
    ("park_api", writes._park_api, "company_capital", False),
    ("plan_actual_page", _plan_actual_page, "actual_completion", False),
    ("plan_actual_api", _plan_actual_api, "actual_completion", False),
    ("report_value_page", _report_value_page, "value", False),
    ("report_value_api", _report_value_api, "value", False),
    ("indicator_api", writes._indicator_api, "actual_value", True),  # growth rates go below zero
]


def _number_cases():
    for write_id, send, name, negative in NUMBERS:
        for value in ABSURD:
            if value == "-5" and negative:
                continue
            yield pytest.param(send, name, value, id=f"{write_id}-{name}-{value}")


@pytest.mark.parametrize("send, name, value", list(_number_cases()))
def test_absurd_money_in_every_numeric_field_is_refused(ctx, unchanged, send, name, value):
    with unchanged():
        response = send(ctx, {name: value})
    assert response.status_code < 500
    ok, text = outcome(ctx, response)
    assert not ok, f"{name}={value!r} was accepted"
    # A message in Chinese naming the problem (Django's and DRF's own, or ours).
    assert any(
        phrase in text
        for phrase in (
            "数字",
            "金额",
            "不能为负数",
            "大于",
            "不超过",
            "必须大于或等于",
            "最多",
            "超过尚未拨付",
            "合法",
        )
    ), text[:1500]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_json_number_literals_that_are_not_money_are_refused(ctx, unchanged, literal):
    client = ctx.api_for("jj_finance")
    body = f'{{"commitment": {ctx.commitment.pk}, "date": "2026-04-21", "amount": {literal}}}'
    with unchanged():
        response = client.post("/api/v1/disbursements/", body, content_type="application/json")
    assert response.status_code == 400, response.content


def test_a_payment_of_twelve_million_written_with_commas_is_read_on_the_service_level(ctx):
    """The service reads "12,000,000" (a form never sends it; a command or job might)."""
    import datetime

    from funds import services

    row = services.record_disbursement(
        ctx.commitment, user=ctx.users["jj_finance"], date=datetime.date(2026, 4, 22), amount="10,000,000"
    )
    assert str(row.amount) == "10000000"
    with pytest.raises(Exception, match="超过尚未拨付"):
        services.record_disbursement(
            ctx.commitment,
            user=ctx.users["jj_finance"],
            date=datetime.date(2026, 4, 22),
            amount="100,000,000,000,000,000,000",
        )


# --------------------------------------------------------------------------------------------
# 31 February
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, message",
    [
        ({"deadline_kind": "once", "deadline_date": "2026-02-31"}, "有效的日期"),
        ({"deadline_kind": "yearly", "deadline_month": 2, "deadline_day": 31}, "截止日期“2月31日”不存在"),
        ({"deadline_kind": "yearly", "deadline_month": 13, "deadline_day": 1}, "截止"),
        ({"deadline_text": "每年2月31日前"}, "2月31日"),
        ({"deadline_text": "2026年2月31日前"}, "2月31日"),
        ({"deadline_text": "每年4月31日前"}, "4月31日"),
        ({"deadline_text": "每年13月底前"}, "13月"),
    ],
)
def test_a_task_due_on_31_february_is_refused_on_the_page(ctx, unchanged, values, message):
    with unchanged():
        response = writes._task_page(ctx, values)
    ok, text = outcome(ctx, response)
    assert not ok and message in text, text[:2000]


@pytest.mark.parametrize(
    "values, message",
    [
        ({"deadline_kind": "once", "deadline_date": "2026-02-31"}, "日期格式错误"),
        ({"deadline_kind": "yearly", "deadline_month": 2, "deadline_day": 31}, "截止日期“2月31日”不存在"),
        ({"deadline_kind": "yearly", "deadline_month": 2, "deadline_day": 30}, "截止日期“2月30日”不存在"),
    ],
)
def test_a_task_due_on_31_february_is_refused_by_the_api(ctx, unchanged, values, message):
    with unchanged():
        create = writes._task_api(ctx, values)
        patch = writes._task_patch(ctx, values)
    for response in (create, patch):
        assert response.status_code == 400
        assert message in json.dumps(response.json(), ensure_ascii=False)


def test_29_february_is_a_yearly_deadline_that_falls_back_in_common_years(ctx):
    """Not bad input: 每年2月29日 exists in leap years; in others the period is due on the 28th."""
    response = writes._task_api(ctx, {"deadline_kind": "yearly", "deadline_month": 2, "deadline_day": 29})
    assert response.status_code == 201, response.content
    from tasks.models import Task

    task = Task.objects.get(pk=response.json()["id"])
    assert str(task.periods.get(year=2026).due_date) == "2026-02-28"


@pytest.mark.parametrize(
    "send, field",
    [
        (writes._note_api, "due_date"),
        (writes._payment_api, "date"),
        (writes._payment_page, "date"),
        (writes._arrival_api, "date"),
        (writes._activity, "date"),
        (lambda ctx, v: writes._activity(ctx, v, api=True), "date"),
        (writes._project_api, "planned_on"),
        (writes._commitment_page, "due"),
    ],
    ids=[
        "period_due_api",
        "payment_api",
        "payment_page",
        "arrival_api",
        "activity_page",
        "activity_api",
        "project_api",
        "commitment_page",
    ],
)
def test_31_february_in_any_date_field_is_refused(ctx, unchanged, send, field):
    persona_values = {field: "2026-02-31"}
    if send is writes._note_api:
        ctx.api_for("jj_liaison")  # the due date is the liaison office's: ask as liaison
        response_send = lambda: writes._api(  # noqa: E731
            ctx,
            "jj_liaison",
            "patch",
            f"/api/v1/task-periods/{ctx.period.pk}/",
            {"version": ctx.period.version, "due_date": "2026-02-31"},
        )
    else:
        response_send = lambda: send(ctx, persona_values)  # noqa: E731
    with unchanged():
        response = response_send()
    ok, text = outcome(ctx, response)
    assert not ok and ("日期" in text), text[:1500]
