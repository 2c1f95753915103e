"""What the funds pages derive from the ledger: paid, outstanding, on time or late, the chain."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from funds import services
from funds.models import FundCommitment, FundRule

pytestmark = pytest.mark.django_db


def test_the_rule_of_seed_000_gives_12_million_due_30_april_with_its_source_text(jy_rule, demo):
    assert jy_rule.amount == Decimal("12000000")
    assert jy_rule.due_in(2027) == datetime.date(2027, 4, 30)
    assert "晋江市每年4月底前安排山海协作专项资金1200万元" in jy_rule.source_text
    commitment, created = services.ensure_yearly_commitment(jy_rule, 2027)
    assert created
    assert (commitment.amount, commitment.due, commitment.due_text) == (
        Decimal("12000000"),
        datetime.date(2027, 4, 30),
        "每年4月底前",
    )
    assert (commitment.use_list_due, commitment.use_list_due_text) == (
        datetime.date(2027, 3, 31),
        "每年3月底前",
    )
    assert commitment.payer_unit.name == "晋江市财政局" and commitment.receiver_region.name == "尤溪县"


def test_creating_the_years_commitment_twice_gives_one_row(jy_rule):
    first, created = services.ensure_yearly_commitment(jy_rule, 2028)
    again, created_again = services.ensure_yearly_commitment(jy_rule, 2028)
    assert created and not created_again and first.pk == again.pk
    assert FundCommitment.objects.filter(rule=jy_rule, year=2028).count() == 1
    assert services.ensure_commitments_for_year(2028) == []


def test_wenzhou_aid_funds_are_due_by_31_may(demo):
    # Since issue 20 each of the five pairings has its rule — the coastal district pays its county
    # (before: one rule of the programme, from 温州市 to 温州市) — with its commitments 2018–2020.
    rule = FundRule.objects.get(pairing__name="瓯海区—永嘉县")
    assert (rule.payer_region.name, rule.receiver_region.name) == ("瓯海区", "永嘉县")
    assert not FundRule.objects.filter(pairing=demo["wz"]).exists()
    assert FundCommitment.objects.filter(pairing__parent=demo["wz"]).count() == 5 * 3
    commitment, created = services.ensure_yearly_commitment(rule, 2019)
    assert not created
    assert commitment.due == datetime.date(2019, 5, 31) and commitment.due_text == "当年5月底前"
    with pytest.raises(Exception, match="不适用"):
        services.ensure_yearly_commitment(rule, 2021)


def test_2025_was_paid_in_full_20_days_late(commitment):
    assert commitment.amount == Decimal("12000000")
    assert commitment.paid == Decimal("12000000") and commitment.outstanding == 0
    assert commitment.paid_in_full_on == datetime.date(2025, 5, 20)
    assert commitment.payment_state() == "late"
    assert commitment.days_late() == 20
    assert commitment.payment_state_label() == "足额拨付，逾期 20 天"


def test_2024_paid_in_two_parts_on_time(demo):
    c2024 = FundCommitment.objects.get(pairing=demo["jy"], year=2024)
    assert c2024.disbursements.count() == 2
    assert c2024.payment_state() == "on_time" and c2024.days_late() == 0
    assert c2024.confirmed == Decimal("12000000")


def test_an_unpaid_commitment_is_overdue_counting_up_to_today(open_2026):
    assert open_2026.paid == 0 and open_2026.outstanding == Decimal("12000000")
    assert open_2026.payment_state(today=datetime.date(2026, 4, 10)) == "soon"
    assert open_2026.payment_state(today=datetime.date(2026, 3, 1)) == "open"
    assert open_2026.payment_state(today=datetime.date(2026, 5, 10)) == "overdue"
    assert open_2026.days_late(today=datetime.date(2026, 5, 10)) == 10


def test_the_chain_flags_the_steps_after_a_late_one(commitment):
    # 2025: the list came on 8 April (due 31 March), so payment, arrival and spending are flagged.
    steps = commitment.chain(today=datetime.date(2025, 12, 1))
    assert [s.key for s in steps] == ["use_list", "payment", "arrival", "spending"]
    use_list, payment, arrival, spending = steps
    assert use_list.state == "late" and use_list.days_late == 8 and not use_list.after_late
    assert payment.state == "late" and payment.days_late == 20 and payment.after_late
    assert arrival.state == "done" and arrival.done_on == datetime.date(2025, 5, 26) and arrival.after_late
    assert spending.after_late


def test_use_rate_and_the_share_of_hematopoietic_projects(commitment):
    # 2025 list: 10,000,000 of 12,000,000 planned goes to 造血式 projects; 5,600,000 spent.
    assert commitment.hematopoietic_share == Decimal("10000000") / Decimal("12000000")
    assert commitment.use_rate == Decimal("5600000") / Decimal("12000000")
    assert commitment.use_rate_low(today=datetime.date(2025, 10, 2))
    assert not commitment.use_rate_low(today=datetime.date(2025, 9, 30))


def test_use_rate_is_unknown_until_money_has_arrived(open_2026):
    assert open_2026.use_rate is None and not open_2026.use_rate_low(today=datetime.date(2026, 12, 1))


def test_the_list_is_late_when_submitted_after_its_due_date(commitment, open_2026):
    assert commitment.use_list_state() == "late"
    assert open_2026.use_list_state() == "done"  # submitted 30 March 2026


def test_the_yearly_command_creates_each_rules_commitment_once(demo):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_fund_commitments", "--year", "2027", stdout=out)
    assert "新生成 1 条" in out.getvalue()
    call_command("create_fund_commitments", "--year", "2027", stdout=out)
    assert "新生成 0 条" in out.getvalue()
    commitment = FundCommitment.objects.get(pairing=demo["jy"], year=2027)
    assert commitment.history.get().history_user is None  # shown as “系统”


def test_attached_ledgers_give_the_figures_and_chain_of_the_related_rows(demo, jy_rule, finance):
    """The funds list reads each commitment's ledgers as plain rows (`attach_ledgers`, three queries
    whatever the number): every figure and step is what the commitment's own rows give — with a
    reversal back below the promise, a cancelled project, and a commitment without any rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from funds.models import attach_ledgers

    c2027, _ = services.ensure_yearly_commitment(jy_rule, 2027)
    paid_on = datetime.date(2026, 4, 30)  # paid ahead, then reversed
    payment = services.record_disbursement(c2027, user=finance, date=paid_on, amount=jy_rule.amount)
    services.reverse_disbursement(payment, user=finance, date=paid_on, note="金额有误")
    services.ensure_yearly_commitment(jy_rule, 2028)
    c2025 = FundCommitment.objects.get(pairing=demo["jy"], year=2025)
    c2025.use_projects.create(name="取消的项目", kind="other", planned_amount=1000, status="cancelled")

    def figures(c, today):
        return (
            c.paid_in_full_on,
            c.confirmed_in_full_on,
            c.payment_standing(today),
            c.payment_state_label(today),
            c.planned_use,
            c.spent,
            c.hematopoietic_share,
            c.use_rate,
            c.chain(today),
        )

    commitments = FundCommitment.objects.order_by("pk")
    with CaptureQueriesContext(connection) as ctx:
        attached = attach_ledgers(commitments)
    assert len(ctx.captured_queries) == 4  # the commitments, then one query a relation
    assert len(attached) >= 4
    for today in (datetime.date(2025, 12, 1), datetime.date(2028, 6, 1)):
        with CaptureQueriesContext(connection) as ctx:
            seen = [figures(c, today) for c in attached]
        assert not ctx.captured_queries
        assert seen == [figures(FundCommitment.objects.get(pk=c.pk), today) for c in attached]
    by_year = {c.year: c for c in attached if c.pairing_id == demo["jy"].pk}
    assert by_year[2027].paid_in_full_on is None and len(by_year[2027]._rows("disbursements")) == 2
    assert by_year[2025].paid_in_full_on and by_year[2025].spent and not by_year[2028]._rows("use_projects")
