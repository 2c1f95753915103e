"""A commitment edited while a payment is recorded: the payment is never lost.

The commitment's `paid_total` / `confirmed_total` move only through the payment services' guarded
UPDATEs. A form, API or admin save of the commitment loads the row first and used to write every
column back, the totals included: a payment recorded between the load and the save vanished from
the total (the ledger still held it), and the promise could then be paid a second time. These
tests put the payment exactly in that gap, deterministically; test_races.py does it with threads.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cooperation.models import User
from funds import services
from funds.forms import FundCommitmentForm
from funds.models import Disbursement, FundCommitment

pytestmark = pytest.mark.django_db

APRIL_20 = datetime.date(2026, 4, 20)


def form_data(commitment, **changes) -> dict:
    return {
        "purpose": commitment.purpose,
        "amount": commitment.amount,
        "due": commitment.due,
        "due_text": commitment.due_text,
        "use_list_due": commitment.use_list_due,
        "use_list_due_text": commitment.use_list_due_text,
        "notes": commitment.notes,
        **changes,
    }


def ledger(commitment) -> Decimal:
    return sum((d.amount for d in Disbursement.objects.filter(commitment=commitment)), Decimal("0"))


def test_a_payment_recorded_while_the_commitment_form_is_saved_stays_in_the_total(open_2026, finance, users):
    loaded = FundCommitment.objects.get(pk=open_2026.pk)  # the liaison's request loads the row …
    form = FundCommitmentForm(form_data(loaded, notes="到位时间以拨付凭证为准"), instance=loaded)
    assert form.is_valid(), form.errors
    # … the finance bureau's payment commits in between …
    services.record_disbursement(open_2026, user=finance, date=APRIL_20, amount="6000000", voucher_no="JZ-1")
    form.save()  # … and the liaison's save lands.
    fresh = FundCommitment.objects.get(pk=open_2026.pk)
    assert fresh.notes == "到位时间以拨付凭证为准"
    assert fresh.paid_total == ledger(fresh) == Decimal("6000000")
    # The guard still knows: only the other 6,000,000 may be paid.
    with pytest.raises(Exception, match="超过尚未拨付"):
        services.record_disbursement(open_2026, user=finance, date=APRIL_20, amount="6000000.01")


def test_an_arrival_confirmed_while_the_commitment_is_saved_through_the_api_stays(
    api_for, open_2026, finance, users
):
    services.record_disbursement(open_2026, user=finance, date=APRIL_20, amount="12000000", voucher_no="JZ-1")
    from funds.api.serializers import FundCommitmentSerializer

    loaded = FundCommitment.objects.get(pk=open_2026.pk)
    serializer = FundCommitmentSerializer(loaded, data={"notes": "已全额拨付"}, partial=True)
    assert serializer.is_valid(), serializer.errors
    services.confirm_arrival(open_2026, user=users["yx_liaison"], date=APRIL_20, amount="12000000")
    serializer.save()
    fresh = FundCommitment.objects.get(pk=open_2026.pk)
    assert (fresh.paid_total, fresh.confirmed_total, fresh.notes) == (
        Decimal("12000000"),
        Decimal("12000000"),
        "已全额拨付",
    )


def test_lowering_the_amount_below_a_payment_made_meanwhile_is_a_clear_refusal(
    client_for, open_2026, finance
):
    """The form checked 5,000,000 ≥ 0 paid; by the time it saves, 6,000,000 were paid."""
    from django.core.exceptions import ValidationError

    loaded = FundCommitment.objects.get(pk=open_2026.pk)
    admin = User.objects.get(username="admin")  # the terms are a superuser's to correct
    form = FundCommitmentForm(form_data(loaded, amount="5000000"), instance=loaded, user=admin)
    assert form.is_valid(), form.errors
    services.record_disbursement(open_2026, user=finance, date=APRIL_20, amount="6000000")
    history = FundCommitment.history.count()
    with pytest.raises(ValidationError) as info:
        form.save()
    assert "承诺金额不能低于已拨付的 6,000,000.00 元" in str(info.value)
    fresh = FundCommitment.objects.get(pk=open_2026.pk)
    assert fresh.amount == Decimal("12000000") and fresh.paid_total == Decimal("6000000")
    assert FundCommitment.history.count() == history


def test_the_page_shows_that_refusal_on_the_form(client_for, open_2026, finance, monkeypatch):
    """The page's save meets the payment in the gap (the form's own check passed before it)."""
    from funds import views

    original = views.CommitmentUpdateView.form_valid

    def pay_first(self, form):
        services.record_disbursement(open_2026, user=finance, date=APRIL_20, amount="6000000")
        return original(self, form)

    monkeypatch.setattr(views.CommitmentUpdateView, "form_valid", pay_first)
    response = client_for("admin").post(
        f"/funds/{open_2026.pk}/edit/", form_data(open_2026, amount="5000000")
    )
    assert response.status_code == 200
    assert "承诺金额不能低于已拨付的 6,000,000.00 元" in response.content.decode()
    assert FundCommitment.objects.get(pk=open_2026.pk).amount == Decimal("12000000")


def test_the_admin_never_writes_the_totals_back(client_for, open_2026, finance, monkeypatch):
    from funds.admin import FundCommitmentAdmin

    original = FundCommitmentAdmin.save_model

    def pay_first(self, request, obj, form, change):
        # The payment lands after the admin loaded and validated the row, before it saves it.
        services.record_disbursement(open_2026, user=finance, date=APRIL_20, amount="3000000")
        return original(self, request, obj, form, change)

    admin = client_for("admin")
    url = f"/admin/funds/fundcommitment/{open_2026.pk}/change/"
    page = admin.get(url)
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = getattr(value, "pk", value) if value is not None else ""
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data |= {
            f"{fs.prefix}-TOTAL_FORMS": fs.total_form_count(),
            f"{fs.prefix}-INITIAL_FORMS": fs.initial_form_count(),
            f"{fs.prefix}-MIN_NUM_FORMS": 0,
            f"{fs.prefix}-MAX_NUM_FORMS": 1000,
        }
        for inline in fs.forms:
            for name in inline.fields:
                value = inline.initial.get(name, inline.fields[name].initial)
                data[inline.add_prefix(name)] = getattr(value, "pk", value) if value is not None else ""
    data["notes"] = "管理后台补充说明"
    monkeypatch.setattr(FundCommitmentAdmin, "save_model", pay_first)
    response = admin.post(url, data)
    assert response.status_code == 302
    fresh = FundCommitment.objects.get(pk=open_2026.pk)
    assert fresh.notes == "管理后台补充说明" and fresh.paid_total == ledger(fresh) == Decimal("3000000")
    assert fresh.history.first().history_user.username == "admin"
