"""Workbooks in the layout of 温政发〔2018〕26号 附件1, built with openpyxl from the seed text itself."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "001_wenzhou_programme.txt"


def seed_rows() -> list[list[str]]:
    """The five data rows of 附件1 as printed in the seed (tab-separated)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("序号\t产业园名称"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        rows.append(line.split("\t"))
    return rows


def build_workbook(
    rows=None, *, subheaders=None, title="2018-2020 年生态旅游文化产业园投资计划表", tweak=None
) -> bytes:
    """An .xlsx like 附件1: a title row, two header rows with merged group cells, then data rows.

    Numbers are written as numbers (as Excel would hold them); `tweak(ws)` may spoil cells.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=21)
    top = ["序号", "产业园名称", "核心 园区 面积 (km ²)"]
    for year in (2018, 2019, 2020):
        for kind in ("政府性", "招商"):
            top += [f"{year} 年度{kind} 投资计划 (万元)", None, None]
    ws.append(top)
    subs = subheaders or ["项目 数", "计划 总投资", "计划完 成数"]
    ws.append([None, None, None] + subs * 6)
    for col in (1, 2, 3):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    for group in range(6):
        first = 4 + group * 3
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 2)
    for row in rows if rows is not None else seed_rows():
        values = []
        for index, value in enumerate(row):
            if index == 1:
                values.append(value)
            elif isinstance(value, str):
                try:
                    values.append(int(value))
                except ValueError:
                    try:
                        values.append(float(value))
                    except ValueError:
                        values.append(value)
            else:
                values.append(value)
        ws.append(values)
    if tweak:
        tweak(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def workbook():
    return build_workbook
