"""State changes of funds: yearly commitments, payments, reversals, arrival, the use list.

Pages, API, commands and jobs call these functions; none of them changes money another way.
Totals are guarded in the database: each payment moves `paid_total` with one conditional
UPDATE (`… WHERE paid_total + x <= amount`) inside the transaction that inserts the ledger row,
and a CHECK constraint backs it up. That works on SQLite (writes are serialised) and on
PostgreSQL (the second writer waits for the row lock, then re-checks the WHERE on the new row),
where `select_for_update` alone would do nothing on SQLite.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import as_actor
from core.money import MoneyError, parse_money, yuan_cents
from core.uploads import validate_upload
from core.years import check_date
from funds import fulfilment
from funds.models import ZERO, ArrivalConfirmation, Disbursement, FundCommitment, FundRule


def _amount(value) -> Decimal:
    """A positive amount in yuan with at most 2 decimals, or a clear refusal."""
    try:
        amount = parse_money(value, places=None, label=_("金额"))
    except MoneyError as error:
        raise ValidationError({"amount": str(error)}) from None
    if amount <= 0:
        raise ValidationError({"amount": _("金额必须大于零，未做任何修改。")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("金额最多保留两位小数（分）。")})
    return amount


def _not_future(date: datetime.date, field: str = "date") -> None:
    check_date(date, field)
    if date > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})


def ensure_yearly_commitment(rule: FundRule, year: int, user=None) -> tuple[FundCommitment, bool]:
    """The commitment of `rule` for `year`, created from the rule the first time (idempotent).

    Returns (commitment, created). Safe to call from a yearly job again and again, and from two
    processes at once: the (rule, year) unique constraint lets only one insert win.
    """
    if not rule.applies_to(year):
        raise ValidationError(_("资金规则不适用于 %(year)d 年。") % {"year": year})
    existing = FundCommitment.objects.filter(rule=rule, year=year).first()
    if existing is not None:
        return existing, False
    commitment = FundCommitment(
        pairing=rule.pairing,
        year=year,
        rule=rule,
        purpose=rule.purpose,
        payer_region=rule.payer_region,
        payer_unit=rule.payer_unit,
        receiver_region=rule.receiver_region,
        receiver_unit=rule.receiver_unit,
        amount=rule.amount,
        due=rule.due_in(year),
        due_text=rule.due_text,
        use_list_due=rule.use_list_due_in(year),
        use_list_due_text=rule.use_list_due_text,
        document=rule.document,
    )
    as_actor(commitment, user)
    try:
        with transaction.atomic():
            commitment.save()
    except IntegrityError:
        # Another process created it between our look-up and our insert.
        return FundCommitment.objects.get(rule=rule, year=year), False
    return commitment, True


def ensure_commitments_for_year(year: int, user=None) -> list[FundCommitment]:
    """Create the year's commitment of every rule that applies to `year`; returns the new ones."""
    created = []
    for rule in FundRule.objects.select_related("pairing").order_by("pk"):
        if rule.applies_to(year):
            commitment, new = ensure_yearly_commitment(rule, year, user=user)
            if new:
                created.append(commitment)
    return created


def record_disbursement(
    commitment: FundCommitment,
    *,
    user,
    date: datetime.date,
    amount,
    voucher_no: str = "",
    evidence=None,
    note: str = "",
) -> Disbursement:
    """Append a payment (拨付) to the ledger of `commitment`.

    Refused with a clear message: a user who may not pay this commitment (PermissionDenied),
    a zero or negative amount, more than is outstanding, a date in the future, a bad file.
    """
    if user is not None and not FundCommitment.objects.payable_by(user).filter(pk=commitment.pk).exists():
        raise PermissionDenied(_("只有拨付方（支援方联络员或拨付单位）可以登记拨付。"))
    amount = _amount(amount)
    _not_future(date)
    if evidence:
        validate_upload(evidence)
    with transaction.atomic():
        # The guard: one statement, so two concurrent payments cannot both see the old total.
        moved = FundCommitment.objects.filter(pk=commitment.pk, paid_total__lte=F("amount") - amount).update(
            paid_total=F("paid_total") + amount
        )
        if moved != 1:
            current = FundCommitment.objects.get(pk=commitment.pk)
            raise ValidationError(
                {
                    "amount": _(
                        "拨付金额 %(amount)s 超过尚未拨付的 %(outstanding)s（承诺 %(total)s，已拨付 %(paid)s），未做任何修改。"
                    )
                    % {
                        "amount": yuan_cents(amount),
                        "outstanding": yuan_cents(current.outstanding),
                        "total": yuan_cents(current.amount),
                        "paid": yuan_cents(current.paid_total),
                    }
                }
            )
        row = Disbursement(
            commitment_id=commitment.pk,
            kind=Disbursement.Kind.PAYMENT,
            date=date,
            amount=amount,
            voucher_no=voucher_no.strip(),
            note=note.strip(),
            recorded_by=user,
        )
        if evidence:
            row.evidence_name = PurePath(evidence.name).name[:255]
            row.evidence = evidence
        as_actor(row, user)
        row.save()
        fulfilment.sync_commitment(commitment.pk)
    commitment.refresh_from_db(fields=["paid_total", "confirmed_total"])
    return row


def reverse_disbursement(
    payment: Disbursement, *, user, date: datetime.date | None = None, note: str = ""
) -> Disbursement:
    """Correct a wrong payment by appending its reversal (冲销): the original row stays as it was."""
    commitment = payment.commitment
    if user is not None and not FundCommitment.objects.payable_by(user).filter(pk=commitment.pk).exists():
        raise PermissionDenied(_("只有拨付方（支援方联络员或拨付单位）可以冲销拨付。"))
    if payment.kind != Disbursement.Kind.PAYMENT:
        raise ValidationError(_("冲销记录不能再被冲销。"))
    if Disbursement.objects.filter(reverses=payment).exists():
        raise ValidationError(_("这笔拨付已经冲销过了，未做任何修改。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写冲销原因。")})
    date = date or timezone.localdate()
    _not_future(date)
    with transaction.atomic():
        # Money already confirmed as arrived cannot be taken back by a reversal.
        moved = FundCommitment.objects.filter(
            pk=commitment.pk, paid_total__gte=F("confirmed_total") + payment.amount
        ).update(paid_total=F("paid_total") - payment.amount)
        if moved != 1:
            raise ValidationError(
                _("冲销后已拨付金额将少于接收方已确认到账的金额，请先与接收方核对，未做任何修改。")
            )
        row = Disbursement(
            commitment_id=commitment.pk,
            kind=Disbursement.Kind.REVERSAL,
            date=date,
            amount=-payment.amount,
            voucher_no=payment.voucher_no,
            reverses=payment,
            note=note.strip(),
            recorded_by=user,
        )
        as_actor(row, user)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(_("这笔拨付已经冲销过了，未做任何修改。")) from None
        fulfilment.sync_commitment(commitment.pk)
    return row


def confirm_arrival(
    commitment: FundCommitment, *, user, date: datetime.date, amount, note: str = ""
) -> ArrivalConfirmation:
    """The receiving side confirms that money arrived (到账确认); never more than was paid."""
    if user is not None and not FundCommitment.objects.confirmable_by(user).filter(pk=commitment.pk).exists():
        raise PermissionDenied(_("只有接收方（受援方联络员或接收单位）可以确认到账。"))
    amount = _amount(amount)
    _not_future(date)
    with transaction.atomic():
        moved = FundCommitment.objects.filter(
            pk=commitment.pk, confirmed_total__lte=F("paid_total") - amount
        ).update(confirmed_total=F("confirmed_total") + amount)
        if moved != 1:
            current = FundCommitment.objects.get(pk=commitment.pk)
            raise ValidationError(
                {
                    "amount": _("确认金额 %(amount)s 超过已拨付但未确认的 %(rest)s，未做任何修改。")
                    % {"amount": yuan_cents(amount), "rest": yuan_cents(current.unconfirmed)}
                }
            )
        row = ArrivalConfirmation(
            commitment_id=commitment.pk,
            date=date,
            amount=amount,
            confirmed_by=user,
            unit=getattr(user, "unit", None),
            note=note.strip(),
        )
        as_actor(row, user)
        row.save()
        fulfilment.sync_commitment(commitment.pk)
    commitment.refresh_from_db(fields=["paid_total", "confirmed_total"])
    return row


def submit_use_list(commitment: FundCommitment, *, user, date: datetime.date | None = None) -> FundCommitment:
    """The receiving side reports its fund-use project list as submitted on `date` (default today)."""
    if user is not None and not FundCommitment.objects.confirmable_by(user).filter(pk=commitment.pk).exists():
        raise PermissionDenied(_("资金使用项目清单由接收方（受援方联络员或接收单位）报送。"))
    date = date or timezone.localdate()
    _not_future(date)
    if not commitment.use_projects.exists():
        raise ValidationError(_("清单中还没有项目，不能报送。"))
    commitment.use_list_submitted = date
    as_actor(commitment, user)
    commitment.save(update_fields=["use_list_submitted"])
    return commitment


def spent_total(commitment: FundCommitment) -> Decimal:
    """Spent so far on the listed projects (for jobs that do not prefetch)."""
    return sum((p.spent_amount for p in commitment.use_projects.all()), ZERO)
