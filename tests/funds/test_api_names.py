"""Who recorded a payment, as the API shows it: the person's name, or null for a system entry."""

from __future__ import annotations

import pytest

from funds.models import Disbursement

pytestmark = pytest.mark.django_db


def test_a_payment_without_a_recorder_shows_null_and_one_with_shows_the_name(demo, api_for, users):
    payment = Disbursement.objects.filter(commitment__pairing=demo["jy"]).order_by("pk").first()
    client = api_for("jj_liaison")
    Disbursement.objects.filter(pk=payment.pk).update(recorded_by=None)
    assert client.get(f"/api/v1/disbursements/{payment.pk}/").json()["recorded_by_name"] is None
    Disbursement.objects.filter(pk=payment.pk).update(recorded_by=users["jj_liaison"])
    name = client.get(f"/api/v1/disbursements/{payment.pk}/").json()["recorded_by_name"]
    assert name == str(users["jj_liaison"]) and "method-wrapper" not in name
