"""Fixtures of the funds tests: the Jinjiang–Youxi commitments of the demo, a finance reporter."""

from __future__ import annotations

import pytest


@pytest.fixture
def jy_rule(demo):
    from funds.models import FundRule

    return FundRule.objects.get(pairing=demo["jy"], due_text="每年4月底前")


@pytest.fixture
def commitment(demo):
    """The 2025 Jinjiang–Youxi commitment (¥12,000,000, due 2025-04-30)."""
    from funds.models import FundCommitment

    return FundCommitment.objects.get(pairing=demo["jy"], year=2025)


@pytest.fixture
def yx_finance(users):
    """A reporter of 尤溪县财政局, the receiving unit."""
    from cooperation.models import Role, Unit, User

    return User.objects.create_user(
        "yx_finance", password="x-pass-12345", unit=Unit.objects.get(name="尤溪县财政局"), role=Role.REPORTER
    )
