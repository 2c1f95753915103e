"""Races on PostgreSQL: requests released at the same instant in threads, each with its own
connection, through the real API and pages. Exactly one of two reviews wins, with one history row;
money totals stay within their bounds whatever mix of payments, arrivals and edits arrives at once;
every loser gets a clear Chinese refusal (4xx), never a 500, and nothing deadlocks.

Twenty payments at once against one commitment (the service, PostgreSQL) are in
tests/funds/test_race.py; a race of two versioned saves at the service level in
tests/tasks/test_concurrency.py. These add the HTTP layer, reviews, mixed money writes and edits.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from .conftest import needs_postgresql, run_concurrently

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def user(name):
    from cooperation.models import User

    return User.objects.get(username=name)


def call(client, method: str, url: str, data) -> tuple[int, dict]:
    response = getattr(client, method)(url, data, format="json")
    try:
        body = response.json()
    except ValueError:
        body = {"raw": response.content.decode()[:500]}
    return response.status_code, body


@pytest.fixture
def submitted_report(edu, users):
    """A submitted report of 尤溪县教育局 with a value for each 2026 target of its task."""
    from tasks import services

    period = edu.periods.get(year=2026)
    values = {t.pk: 1 for t in edu.targets.all() if t.applies_to(2026)}
    report = services.save_report(period, users["yx_reporter"], text="2026年开展教育交流一次", values=values)
    return services.submit_report(report, users["yx_reporter"])


@pytest.mark.parametrize("second", ["approve", "return"])
def test_two_liaisons_review_the_same_report_at_once_and_exactly_one_wins(submitted_report, second):
    needs_postgresql()
    from tasks.models import ProgressReport, TargetActual, TaskPeriod

    report = submitted_report
    reviewers = [("yx_liaison", "approve"), ("jj_liaison", second)]
    history = ProgressReport.history.filter(id=report.pk).count()
    period_history = TaskPeriod.history.filter(id=report.period_id).count()
    clients = [api(user(name)) for name, _ in reviewers]

    def review(i):
        _name, action = reviewers[i]
        body = {"version": report.version} | ({"reason": "请补充活动照片"} if action == "return" else {})
        return call(clients[i], "post", f"/api/v1/progress-reports/{report.pk}/{action}/", body)

    outcomes = run_concurrently(review, n=2)
    statuses = sorted(result[0] for kind, result in outcomes if kind == "ok")
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes  # both answered, neither crashed
    assert statuses[0] == 200 and statuses[1] in (400, 409), outcomes
    loser = next(body for status, body in (r for _, r in outcomes) if status != 200)
    assert "已被其他人修改" in str(loser) or "只能审核已提交的报告" in str(loser), loser

    report.refresh_from_db()
    assert ProgressReport.history.filter(id=report.pk).count() == history + 1
    winner = report.history.first()
    assert winner.history_user.username == report.reviewed_by.username
    actuals = TargetActual.objects.filter(report=report)
    if report.status == "approved":
        assert actuals.count() == report.values.count()
        assert all(a.history.count() == 1 for a in actuals)  # written once, by the one approval
        assert TaskPeriod.history.filter(id=report.period_id).count() <= period_history + 1
    else:
        assert report.status == "returned" and not actuals.exists()
        assert TaskPeriod.history.filter(id=report.period_id).count() == period_history


def test_a_task_saved_at_once_on_its_page_and_through_the_api_is_saved_once(edu, users):
    needs_postgresql()
    from django.test import Client

    from tasks.models import Task

    page = Client()
    page.force_login(user("jj_liaison"))
    rest = api(user("yx_liaison"))
    version = edu.version
    history = Task.history.filter(id=edu.pk).count()
    form = {
        "parent": edu.parent_id or "",
        "area": edu.area_id or "",
        "document": edu.document_id or "",
        "required_evidence": [k.pk for k in edu.required_evidence.all()],
        "number": edu.number,
        "title": "推动教育医疗合作（页面）",
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
        "version": version,
    }

    def save(i):
        if i == 0:
            response = page.post(f"/tasks/{edu.pk}/edit/", form)
            return response.status_code, response.content.decode()
        return call(
            rest,
            "patch",
            f"/api/v1/tasks/{edu.pk}/",
            {"title": "推动教育医疗合作（接口）", "version": version},
        )

    outcomes = run_concurrently(save, n=2)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    (page_status, page_body), (api_status, api_body) = (r for _, r in outcomes)
    won = [page_status == 302, api_status == 200]
    assert won.count(True) == 1, outcomes
    if won[0]:
        assert api_status == 409 and "已被其他人修改" in api_body["detail"]
    else:
        assert page_status == 200 and "已被其他人修改" in page_body
    edu.refresh_from_db()
    assert edu.title == ("推动教育医疗合作（页面）" if won[0] else "推动教育医疗合作（接口）")
    assert edu.version == version + 1
    assert Task.history.filter(id=edu.pk).count() == history + 1


def test_payments_arrivals_and_reversals_at_once_keep_every_total_within_its_bound(open_2026, finance, users):
    """Twelve payments of ¥1,500,000 (only eight fit in ¥12,000,000), six arrivals of ¥1,000,000 and
    two reversals, all through the API at once: no 500, no deadlock, every refusal says why, and
    the ledger, the totals and the CHECK constraints agree afterwards."""
    needs_postgresql()
    from funds import services
    from funds.models import ArrivalConfirmation, Disbursement, FundCommitment

    first = services.record_disbursement(
        open_2026, user=finance, date=datetime.date(2026, 4, 1), amount="1500000", voucher_no="JZ-0"
    )
    second = services.record_disbursement(
        open_2026, user=finance, date=datetime.date(2026, 4, 1), amount="1500000", voucher_no="JZ-00"
    )
    payer, receiver = api(finance), api(users["yx_liaison"])
    jobs = (
        [("pay", i) for i in range(12)]
        + [("arrive", i) for i in range(6)]
        + [("reverse", first.pk), ("reverse", second.pk)]
    )
    clients = {"pay": payer, "reverse": payer, "arrive": receiver}

    def work(i):
        kind, arg = jobs[i]
        client = clients[kind]
        if kind == "pay":
            body = {
                "commitment": open_2026.pk,
                "date": "2026-04-20",
                "amount": "1500000",
                "voucher_no": f"JZ-{arg + 1}",
            }
            return kind, *call(client, "post", "/api/v1/disbursements/", body)
        if kind == "arrive":
            body = {"commitment": open_2026.pk, "date": "2026-04-25", "amount": "1000000"}
            return kind, *call(client, "post", "/api/v1/arrival-confirmations/", body)
        return kind, *call(
            client, "post", f"/api/v1/disbursements/{arg}/reverse/", {"note": "重复录入，冲销"}
        )

    outcomes = run_concurrently(work, n=len(jobs), timeout=120)
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    for _, (kind, status, body) in outcomes:
        assert status in (201, 400), (kind, status, body)
        if status == 400:
            text = str(body)
            assert any(
                reason in text for reason in ("超过尚未拨付", "超过已拨付但未确认", "少于接收方已确认到账")
            ), (kind, body)
    commitment = FundCommitment.objects.get(pk=open_2026.pk)
    paid = sum((d.amount for d in Disbursement.objects.filter(commitment=commitment)), Decimal("0"))
    confirmed = sum(
        (a.amount for a in ArrivalConfirmation.objects.filter(commitment=commitment)), Decimal("0")
    )
    assert commitment.paid_total == paid <= commitment.amount
    assert commitment.confirmed_total == confirmed <= paid
    payments = [o for _, o in outcomes if o[0] == "pay" and o[1] == 201]
    assert Disbursement.objects.filter(commitment=commitment, kind="payment").count() == 2 + len(payments)


def test_commitment_edits_racing_payments_lose_no_payment(open_2026, finance, users):
    """Eight payments and eight edits of the same commitment's notes at once, through the API."""
    needs_postgresql()
    from funds.models import Disbursement, FundCommitment

    payer, liaison = api(finance), api(users["jj_liaison"])

    def work(i):
        if i % 2 == 0:
            body = {
                "commitment": open_2026.pk,
                "date": "2026-04-20",
                "amount": "1000000",
                "voucher_no": f"JZ-{i}",
            }
            return call(payer, "post", "/api/v1/disbursements/", body)
        return call(
            liaison, "patch", f"/api/v1/fund-commitments/{open_2026.pk}/", {"notes": f"第 {i} 次补充说明"}
        )

    outcomes = run_concurrently(work, n=16, timeout=120)
    assert all(kind == "ok" and result[0] in (200, 201) for kind, result in outcomes), outcomes
    commitment = FundCommitment.objects.get(pk=open_2026.pk)
    ledger = sum((d.amount for d in Disbursement.objects.filter(commitment=commitment)), Decimal("0"))
    assert commitment.paid_total == ledger == Decimal("8000000")
    assert commitment.history.count() >= 8  # one row per edit (the totals are not part of it)
