"""The one way cells reach the assessment workbook, and the base the sheets stand on.

Every value goes through `SafeWriter.cell()`: user text that Excel (or LibreOffice) could take for
a formula is forced to text with a quote prefix, characters XML cannot hold are removed, numbers,
Decimals and dates are written typed. Formulas exist only through `SafeWriter.formula()`, which
our code calls with cell references it computed itself — never with user text.

`Exporter` is a sheet: a title, columns (header, width, kind) and a generator of rows. `write_sheet`
streams it into a write-only workbook (openpyxl `write_only=True`, `WriteOnlyCell` for styles), so
memory stays flat whatever the number of rows.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

PAPERSIZE_A4 = Worksheet.PAPERSIZE_A4

# Leading characters that make a spreadsheet treat text as a formula (or as one once edited):
# = + - @, tab, CR, NUL and their full-width forms. Leading spaces do not protect the cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00", "＝", "＋", "－", "＠")

FORMATS = {
    "yuan": "#,##0",  # 元, thousands separated
    "wan": "#,##0.00",  # 万元
    "pct": "0.0%",  # a fraction shown as a percentage
    "int": "0",
    "score": "0.00",
    "date": "yyyy-mm-dd",
    "number": "#,##0.##",
    "text": "@",
}

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER_WRAP = Alignment(wrap_text=True, horizontal="center", vertical="center")


def looks_like_formula(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Remove the characters XML 1.0 cannot hold (openpyxl would refuse the whole file)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class SafeWriter:
    """Makes the cells of one write-only sheet. The only place a cell is created."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet
        # Style ids by (number format, quote prefix, bold, wrap). openpyxl registers a style by
        # hashing the Font/Border/Alignment objects each time one is assigned; a sheet has a handful
        # of combinations and tens of thousands of cells, so each combination is registered once and
        # later cells copy its ids (the benchmark's 100-pairing export: ~2× faster).
        self._styles: dict[tuple, object] = {}

    def cell(self, value, kind: str = "text", *, bold: bool = False, wrap: bool = False) -> WriteOnlyCell:
        """A typed cell: numbers and dates as values with a number format, anything else as safe text."""
        if isinstance(value, bool):
            value = "是" if value else "否"
        number_format = None
        if value is None or value == "":
            cell = WriteOnlyCell(self.sheet, value=None)
        elif isinstance(value, (int, float, Decimal)):
            cell = WriteOnlyCell(self.sheet, value=value)
            number_format = FORMATS.get(kind, "General") if kind != "text" else "General"
        elif isinstance(value, (datetime.date, datetime.datetime)):
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                # Excel has no time zones: write the local wall-clock time.
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(self.sheet, value=value)
            number_format = FORMATS["date"]
        else:
            cell = self.text(str(value))
        key = (number_format, bool(cell.quotePrefix), bold, wrap)
        style = self._styles.get(key)
        if style is not None:
            cell._style = copy(style)
            return cell
        if number_format is not None:
            cell.number_format = number_format
        if bold:
            cell.font = HEADER_FONT
        if wrap:
            cell.alignment = WRAP
        cell.border = BORDER
        self._styles[key] = copy(cell._style)
        return cell

    def text(self, text: str) -> WriteOnlyCell:
        """User text, never a formula: a formula-looking string is stored as a string with a quote prefix."""
        text = clean_text(text)
        cell = WriteOnlyCell(self.sheet, value=text)
        if looks_like_formula(text):
            # openpyxl made "=…" a formula when the value was set: undo that and mark it as text.
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell

    def formula(self, expression: str, kind: str = "text", *, bold: bool = False) -> WriteOnlyCell:
        """A formula built by our code from cell references (never from user text)."""
        if not re.fullmatch(r"=[A-Z]+\([A-Z0-9:$,]*\)", expression):
            raise ValueError(f"unexpected formula {expression!r}")
        cell = WriteOnlyCell(self.sheet, value=expression)
        cell.number_format = FORMATS.get(kind, "General")
        cell.border = BORDER
        if bold:
            cell.font = HEADER_FONT
        return cell


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its Chinese header, width in characters, kind (number format), SUM at the bottom."""

    header: str
    width: float = 12
    kind: str = "text"
    total: bool = False
    wrap: bool = False


class Exporter:
    """A sheet of the workbook: subclasses set `title` and `columns` and yield rows (lists of values).

    `rows()` may yield `Formula` markers for cells our code computes in Excel (row totals).
    """

    title: str = ""
    columns: list[Column] = []
    header_rows = 2  # the title line, then the header

    def rows(self) -> Iterator[list]:
        raise NotImplementedError


@dataclass(frozen=True)
class RowSum:
    """A formula cell: the SUM of this row's columns `first`..`last` (1-based)."""

    first: int
    last: int
    kind: str = "score"


def write_sheet(workbook, exporter: Exporter, title_line: str) -> int:
    """Stream one exporter into a new write-only sheet; returns the number of data rows."""
    sheet = workbook.create_sheet(str(exporter.title))
    writer = SafeWriter(sheet)
    columns = exporter.columns
    # Column widths, frozen panes and print settings must be set before the first row is written.
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True

    title = writer.text(title_line)
    title.font = TITLE_FONT
    sheet.append([title])
    header = []
    for column in columns:
        cell = writer.text(str(column.header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER_WRAP
        header.append(cell)
    sheet.append(header)

    first_data = 3
    count = 0
    for row in exporter.rows():
        cells = []
        row_number = first_data + count
        for column, value in zip(columns, row, strict=False):
            if isinstance(value, RowSum):
                expression = f"=SUM({get_column_letter(value.first)}{row_number}:{get_column_letter(value.last)}{row_number})"
                cells.append(writer.formula(expression, value.kind))
            else:
                cells.append(writer.cell(value, column.kind, wrap=column.wrap))
        sheet.append(cells)
        count += 1
    if count and any(column.total for column in columns):
        last = first_data + count - 1
        totals = []
        for index, column in enumerate(columns, start=1):
            if index == 1:
                totals.append(writer.cell(str(_("合计")), bold=True))
            elif column.total:
                letter = get_column_letter(index)
                totals.append(
                    writer.formula(f"=SUM({letter}{first_data}:{letter}{last})", column.kind, bold=True)
                )
            else:
                totals.append(writer.cell(None))
        sheet.append(totals)
    return count
