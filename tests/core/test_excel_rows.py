"""The rows of a sheet (core/excel.py): `SheetWriter.add` writes each cell exactly as
`SafeWriter.write` does — same call, value and format — and each row's height is `row_height`'s,
whatever the value: plain, empty, formula-looking, with control characters, too long, a number,
a date, a boolean, a string subclass."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

from django.utils.safestring import SafeString

from core.excel import MAX_CELL_TEXT, Column, Exporter, SafeWriter, SheetWriter, row_height

VALUES = [
    "浙江省衢州市 · 结对",
    "",
    None,
    "=SUM(A1:A2)",
    "  +1",
    "＝全角",
    "@home",
    "-5",
    "\tindented",
    "bell\x07ring",
    "\x00=hidden",
    "两行\n文字",
    "一段很长很长的文字，一定要折成好几行才能放得下，" * 3,
    "x" * (MAX_CELL_TEXT + 10),
    "\u3000全角空格开头",
    0,
    7,
    Decimal("1.50"),
    2.5,
    True,
    False,
    datetime.date(2025, 3, 1),
    datetime.datetime(2025, 3, 1, 8, 30, tzinfo=zoneinfo.ZoneInfo("UTC")),
    SafeString("safe"),
]
KINDS = ["text", "int", "yuan", "wan", "pct", "date", "number", "score"]


class Sheet:
    """A worksheet that records the calls made to it."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


class Workbook:
    """A workbook whose formats are their properties (compared by value)."""

    def add_worksheet(self, name=None):
        return Sheet()

    def add_format(self, properties=None):
        return dict(properties or {})


class Table(Exporter):
    title = "表"
    columns = [Column(f"列{i}", 8 + i % 5 * 4, KINDS[i % len(KINDS)]) for i in range(len(VALUES))]


def test_add_writes_each_cell_as_write_does():
    workbook = Workbook()
    sheet_writer = SheetWriter(workbook, Table(), "标题")
    header = len(sheet_writer.sheet.calls)
    sheet_writer.add(list(VALUES))
    added = sheet_writer.sheet.calls[header:]

    reference = SafeWriter(workbook, Sheet())
    row = 2
    widths = [column.width for column in Table.columns]
    for index, (column, value) in enumerate(zip(Table.columns, VALUES, strict=True)):
        reference.write(row, index, value, column.kind, wrap=True)
    # The height is set once the row's cells are written (XlsxWriter writes a row out when the next
    # one starts, with the height it was given by then).
    reference.sheet.set_row(row, row_height(list(zip(VALUES, widths, strict=True))))

    assert added == reference.sheet.calls
    # Each kind of cell was met: the comparison is not between two empty lists.
    assert {name for name, _args, _kwargs in added} >= {
        "set_row",
        "write_string",
        "write_blank",
        "write_number",
        "write_datetime",
    }
    assert row_height(list(zip(VALUES, widths, strict=True))) > row_height([("一", 10)])
