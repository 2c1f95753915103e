"""Years and dates stay within 2000–2100: year 0, a pairing spanning 1000–3000, an end before the
start are refused with a message on the API and the pages, never a 500 (found by the API fuzzing)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BOUNDS = "2000 至 2100"


def api(users, username="admin") -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(users[username])
    return client


def test_a_pairing_cannot_start_in_year_0(users, demo):
    jy = demo["jy"]
    response = api(users).patch(
        f"/api/v1/pairings/{jy.pk}/", {"start_year": 0}, content_type="application/json"
    )
    assert response.status_code == 400
    assert BOUNDS in response.json()["start_year"][0]
    jy.refresh_from_db()
    assert jy.start_year == 2024


def test_a_pairing_ending_in_year_0_is_a_400_not_the_database_check(users, demo):
    jy = demo["jy"]
    response = api(users).patch(
        f"/api/v1/pairings/{jy.pk}/", {"end_year": 0}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "end_year" in response.json()


def test_a_pairing_ending_before_it_starts_is_refused_on_put(users, demo):
    jy = demo["jy"]
    client = api(users)
    body = client.get(f"/api/v1/pairings/{jy.pk}/").json()
    body.update(start_year=2026, end_year=2025)
    response = client.put(f"/api/v1/pairings/{jy.pk}/", body, content_type="application/json")
    assert response.status_code == 400
    assert "截止年份不能早于起始年份" in response.json()["end_year"][0]


def test_a_pairing_spanning_a_thousand_years_is_refused(users, demo):
    from tasks.models import TaskPeriod

    jy = demo["jy"]
    periods = TaskPeriod.objects.filter(task__pairing=jy).count()
    response = api(users).patch(
        f"/api/v1/pairings/{jy.pk}/", {"start_year": 1000, "end_year": 3000}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"start_year", "end_year"}
    assert TaskPeriod.objects.filter(task__pairing=jy).count() == periods


def test_the_pairing_page_refuses_year_0_with_a_message(users, demo):
    jy = demo["jy"]
    client = Client()
    client.force_login(users["admin"])
    form = client.get(f"/pairings/{jy.pk}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(start_year=0)
    response = client.post(f"/pairings/{jy.pk}/edit/", data)
    assert response.status_code == 200
    assert BOUNDS in response.content.decode()
    jy.refresh_from_db()
    assert jy.start_year == 2024


def _task(demo):
    from tasks.models import Task

    return Task.objects.filter(pairing=demo["jy"], task_units__isnull=False).first()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_year": 0}, "end_year"),
        ({"start_year": 2026, "end_year": 2025}, "end_year"),
        ({"start_year": 0}, "start_year"),
    ],
    ids=["end-0", "end-before-start", "start-0"],
)
def test_a_task_with_an_impossible_span_is_a_400_not_a_500(users, demo, change, field):
    task = _task(demo)
    response = api(users).patch(
        f"/api/v1/tasks/{task.pk}/", {**change, "version": task.version}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    task.refresh_from_db()
    assert (task.start_year, task.end_year) == (2024, 2030)


def test_a_form_encoded_patch_of_a_task_position_saves(users, demo):
    task = _task(demo)
    units = set(task.task_units.values_list("unit_id", flat=True))
    response = api(users).patch(
        f"/api/v1/tasks/{task.pk}/",
        f"position=0&version={task.version}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and response.json()["position"] == 0
    assert set(task.task_units.values_list("unit_id", flat=True)) == units


def _commitment(demo):
    from funds.models import FundCommitment

    return FundCommitment.objects.filter(pairing=demo["jy"]).order_by("year").first()


def test_a_fund_commitment_cannot_be_for_year_0(users, demo):
    commitment = _commitment(demo)
    client = api(users)
    body = client.get(f"/api/v1/fund-commitments/{commitment.pk}/").json()
    created = client.post(
        "/api/v1/fund-commitments/",
        {**body, "year": 0, "due": "2026-04-30", "rule": None},
        content_type="application/json",
    )
    assert created.status_code == 400 and BOUNDS in created.json()["year"][0]
    changed = client.patch(
        f"/api/v1/fund-commitments/{commitment.pk}/", {"year": 0}, content_type="application/json"
    )
    assert changed.status_code == 400
    commitment.refresh_from_db()
    assert commitment.year != 0
    assert client.get("/funds/").status_code == 200


@pytest.mark.parametrize("due", ["0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_fund_commitment_due_date_out_of_bounds_is_refused(users, demo, due):
    commitment = _commitment(demo)
    response = api(users).patch(
        f"/api/v1/fund-commitments/{commitment.pk}/", {"due": due}, content_type="application/json"
    )
    assert response.status_code == 400 and "2000-01-01" in response.json()["due"][0]


def test_a_payment_dated_before_2000_is_refused_by_the_service(users, demo):
    from django.core.exceptions import ValidationError

    from funds import services
    from funds.models import Disbursement

    commitment = _commitment(demo)
    before = Disbursement.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.record_disbursement(
            commitment, user=users["admin"], date=datetime.date(1999, 12, 31), amount="1.00", voucher_no="x"
        )
    assert "2000-01-01" in str(refused.value)
    assert Disbursement.objects.count() == before
