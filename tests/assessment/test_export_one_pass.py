"""The export reads the pairings a chunk at a time and fills every sheet in turns: how the pairings
are cut into chunks changes nothing in the workbook (rows, 序号, 小计, totals, row heights)."""

from __future__ import annotations

import datetime

import pytest
from openpyxl import load_workbook

from assessment import scoring, sheets
from assessment.services import build
from cooperation.models import Pairing

pytestmark = pytest.mark.django_db


def cells(path) -> dict[str, list]:
    book = load_workbook(path)
    return {
        name: [
            [(c.value, c.number_format, c.font.b) for c in row]
            + [book[name].row_dimensions[row[0].row].height]
            for row in book[name].iter_rows()
        ]
        for name in book.sheetnames
    }


def test_the_chunks_do_not_change_the_workbook(demo, tmp_path, monkeypatch):
    pairings = list(Pairing.objects.all())
    assert len(pairings) > 3
    today = datetime.date(2026, 1, 15)
    whole = cells(build(2025, pairings, dest=tmp_path / "whole.xlsx", today=today))
    # Chunks of 2 pairings: the demo's pairings read in many passes, sheets filled in turns.
    monkeypatch.setattr(scoring, "PAIRING_CHUNK", 2)
    monkeypatch.setattr(sheets, "PAIRING_CHUNK", 2)
    assert len(scoring.pairing_chunks(pairings)) > 1
    chunked = cells(build(2025, pairings, dest=tmp_path / "chunked.xlsx", today=today))
    assert chunked == whole
    subtotals = {
        name: sum(1 for row in rows if "小计" in str(row[1][0]))
        for name, rows in chunked.items()
        if len(rows) > 1
    }
    # Targets of two pairings (晋江—尤溪, 闽宁) read in different chunks, each closed by its 小计.
    assert subtotals["指标完成情况"] == 2
