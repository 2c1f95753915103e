"""Task periods proved by the funds ledger (see `tasks/fulfilment.py`).

A task linked to a fund rule (`Task.fund_rule`) with a `fund_*` fulfilment follows, for each year,
that rule's commitment of the year: paid in full (the running total of payments reached the
amount), confirmed on arrival (the receiving side confirmed it all), or the fund-use list
submitted. The money the ledger holds becomes the actual value of the task's money targets. A year
without a commitment proves nothing (the period stays 未开始 and is judged by its due date).

Every write to the ledger goes through `funds.services`, which calls `sync_commitment`; edits of a
commitment itself (amount, dates) reach it through the post-save signal in `funds/apps.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from funds.models import FundCommitment
from tasks.fulfilment import FUND_KINDS, MONEY_UNITS, Proof, apply, locked_years
from tasks.models import Task


def proof(commitment: FundCommitment | None, task: Task, year: int) -> Proof:
    """What the year's commitment proves for a task of `task.fulfilment`."""
    if commitment is None:
        return Proof(None, False, _("%(year)d 年尚无对应的资金承诺") % {"year": year})
    Kind = Task.Fulfilment
    if task.fulfilment == Kind.FUND_USE_LIST:
        done_on = commitment.use_list_submitted
        if done_on:
            reason = _("由资金承诺 #%(id)d 的项目清单报送记录认定") % {"id": commitment.pk}
        else:
            reason = _("资金承诺 #%(id)d 的项目清单尚未报送") % {"id": commitment.pk}
        return Proof(done_on, bool(commitment.use_projects.exists()), reason)
    if task.fulfilment == Kind.FUND_CONFIRMED:
        done_on, total = commitment.confirmed_in_full_on, commitment.confirmed_total
        rows = sorted(commitment.confirmations.all(), key=lambda c: (c.date, c.pk))
        label = _("到账确认记录")
    else:
        done_on, total = commitment.paid_in_full_on, commitment.paid_total
        rows = sorted(commitment.disbursements.all(), key=lambda d: (d.date, d.pk))
        label = _("拨付记录")
    if done_on is not None:
        decisive = [r for r in rows if r.date == done_on][-1:]
        ids = "".join(f" #{r.pk}" for r in decisive)
        reason = _("由%(label)s%(ids)s 认定（资金承诺 #%(c)d）") % {
            "label": label,
            "ids": ids,
            "c": commitment.pk,
        }
    else:
        reason = _("由资金承诺 #%(c)d 的%(label)s认定：尚未足额") % {"c": commitment.pk, "label": label}
    actuals = {
        t.pk: (total / MONEY_UNITS[t.unit]).quantize(Decimal("0.01"))
        for t in task.targets.all()
        if t.unit in MONEY_UNITS
    }
    return Proof(done_on, total > 0, reason, actuals)


def _commitments(rule_id: int) -> dict[int, FundCommitment]:
    return {
        c.year: c
        for c in FundCommitment.objects.filter(rule_id=rule_id).prefetch_related(
            "disbursements", "confirmations", "use_projects"
        )
    }


def sync_task(task: Task) -> int:
    """Re-judge every period of a fund-kept task from its rule's commitments."""
    if task.fulfilment not in FUND_KINDS or not task.fund_rule_id:
        return 0
    commitments = _commitments(task.fund_rule_id)
    locked = locked_years(task.pairing_id)
    changed = 0
    for period in task.periods.all():
        period.task = task
        changed += apply(period, proof(commitments.get(period.year), task, period.year), locked)
    return changed


def sync_commitment(commitment: FundCommitment | int) -> int:
    """Re-judge the periods its commitment proves, after any change to its ledger."""
    pk = commitment if isinstance(commitment, int) else commitment.pk
    fresh = (
        FundCommitment.objects.filter(pk=pk)
        .prefetch_related("disbursements", "confirmations", "use_projects")
        .first()
    )
    if fresh is None or not fresh.rule_id:
        return 0
    changed = 0
    for task in Task.objects.filter(fund_rule_id=fresh.rule_id, fulfilment__in=FUND_KINDS).prefetch_related(
        "targets"
    ):
        period = task.periods.filter(year=fresh.year).first()
        if period is not None:
            period.task = task
            changed += apply(period, proof(fresh, task, fresh.year))
    return changed
