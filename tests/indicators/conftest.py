"""Fixtures of the indicator tests: definitions by name and real .xlsx sheets built with openpyxl."""

from __future__ import annotations

import io

import pytest


@pytest.fixture
def definitions(db):
    from indicators.models import IndicatorDefinition

    return {d.name: d for d in IndicatorDefinition.objects.all()}


@pytest.fixture
def xlsx():
    """xlsx(rows) → a BytesIO holding a real workbook whose first sheet has `rows` (first = header)."""
    from openpyxl import Workbook

    def make(rows, formula_at=None):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "指标"
        for row in rows:
            sheet.append(row)
        if formula_at:
            # A live formula cell, as Excel would store “=SUM(…)”.
            sheet[formula_at] = "=SUM(1,2)"
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        buffer.name = "指标.xlsx"
        return buffer

    return make
