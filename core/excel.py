"""The one way cells reach the assessment workbook, and the base the sheets stand on.

Every value goes through `SafeWriter.write()`: user text is written as a string — never parsed as a
formula, number or link — and text that Excel (or LibreOffice) could take for a formula once edited
gets a quote prefix; characters XML cannot hold are removed; numbers, Decimals and dates are written
typed with a number format. Formulas exist only through `SafeWriter.formula()`, which our code
calls with cell references it computed itself — never with user text — and with the value it
computed, so a viewer that does not recalculate still shows the right total.

`Exporter` is a sheet: a title, columns (header, width, kind) and a generator of rows. `write_sheet`
streams it into an XlsxWriter workbook opened with `constant_memory`: each row goes to a temporary
file as soon as the next one starts, so memory stays flat whatever the number of rows.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import PatternFill
from xlsxwriter.utility import xl_col_to_name

PAPERSIZE_A4 = 9

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

HEADER_COLOR = "#DDE6F0"
BORDER_COLOR = "#999999"
# For the openpyxl workbooks built elsewhere (the import template) in the same colours.
HEADER_FILL = PatternFill("solid", fgColor=HEADER_COLOR.lstrip("#"))

# The longest text a cell holds (Excel's limit); longer user text is cut with a mark.
MAX_CELL_TEXT = 32767


def looks_like_formula(text: str) -> bool:
    return text.lstrip(" ").startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Remove the characters XML 1.0 cannot hold (the file would not open)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def new_workbook(path: str, *, title: str, creator: str, subject: str, description: str):
    """An XlsxWriter workbook streaming to `path` (written when closed), with its document properties.

    Strings stay strings: no conversion of “=…” to formulas, of “123” to numbers or of URLs to links.
    """
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        },
    )
    workbook.set_properties({"title": title, "author": creator, "subject": subject, "comments": description})
    return workbook


class SafeWriter:
    """Writes the cells of one sheet. The only place a cell is written."""

    def __init__(self, workbook, sheet) -> None:
        self.workbook = workbook
        self.sheet = sheet
        # One format object per (number format, quote prefix, bold, wrap): XlsxWriter keeps formats
        # per workbook, and a sheet has a handful of combinations for tens of thousands of cells.
        self._formats: dict[tuple, object] = {}

    def style(
        self,
        number_format: str | None = None,
        *,
        quote: bool = False,
        bold: bool = False,
        wrap: bool = False,
        extra: tuple = (),
    ):
        key = (number_format, quote, bold, wrap, extra)
        found = self._formats.get(key)
        if found is None:
            properties = {"border": 1, "border_color": BORDER_COLOR}
            if number_format:
                properties["num_format"] = number_format
            if quote:
                properties["quote_prefix"] = True
            if bold:
                properties["bold"] = True
            if wrap:
                properties.update(text_wrap=True, valign="top")
            properties.update(dict(extra))
            found = self._formats[key] = self.workbook.add_format(properties)
        return found

    def write(
        self, row: int, col: int, value, kind: str = "text", *, bold: bool = False, wrap: bool = False
    ) -> None:
        """A typed cell: numbers and dates as values with a number format, anything else as safe text."""
        if isinstance(value, bool):
            value = "是" if value else "否"
        if value is None or value == "":
            self.sheet.write_blank(row, col, None, self.style(bold=bold, wrap=wrap))
        elif isinstance(value, (int, float, Decimal)):
            number_format = FORMATS.get(kind, "General") if kind != "text" else None
            self.sheet.write_number(row, col, value, self.style(number_format, bold=bold, wrap=wrap))
        elif isinstance(value, (datetime.date, datetime.datetime)):
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                # Excel has no time zones: write the local wall-clock time.
                value = timezone.localtime(value).replace(tzinfo=None)
            self.sheet.write_datetime(row, col, value, self.style(FORMATS["date"], bold=bold, wrap=wrap))
        else:
            self.text(row, col, str(value), bold=bold, wrap=wrap)

    def text(
        self, row: int, col: int, text: str, *, bold: bool = False, wrap: bool = False, extra: tuple = ()
    ) -> None:
        """User text, never a formula: formula-looking text gets a quote prefix (stays text once edited)."""
        text = clean_text(text)
        quote = looks_like_formula(text)
        self.sheet.write_string(row, col, text, self.style(quote=quote, bold=bold, wrap=wrap, extra=extra))

    def formula(
        self, row: int, col: int, expression: str, value, kind: str = "text", *, bold: bool = False
    ) -> None:
        """A formula built by our code from cell references (never from user text), with its value."""
        simple = re.fullmatch(r"=[A-Z]+\([A-Z0-9:$,]*\)", expression)
        scaled = re.fullmatch(r"=ROUND\(SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)/[0-9.]+\*[0-9.]+,2\)", expression)
        if not (simple or scaled):
            raise ValueError(f"unexpected formula {expression!r}")
        self.sheet.write_formula(row, col, expression, self.style(FORMATS.get(kind), bold=bold), value)


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
    """A formula cell: the SUM of this row's columns `first`..`last` (1-based); with `over`, that sum
    brought to `full` marks: ROUND(SUM ÷ over × full, 2) (a total over the applicable weights only)."""

    first: int
    last: int
    kind: str = "score"
    over: Decimal | None = None
    full: Decimal | None = None


def _decimal(value) -> Decimal | None:
    """A cell value as a Decimal for our own totals, or None for what is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def write_sheet(workbook, exporter: Exporter, title_line: str) -> int:
    """Stream one exporter into a new sheet of `workbook` (see `new_workbook`); returns the number of data rows."""
    sheet = workbook.add_worksheet(str(exporter.title))
    writer = SafeWriter(workbook, sheet)
    columns = exporter.columns
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(2, 0)  # below the title and the header: “A3”
    sheet.repeat_rows(0, 1)  # printed on every page
    sheet.set_landscape()
    sheet.set_paper(PAPERSIZE_A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages long as needed
    sheet.center_horizontally()

    writer.text(0, 0, title_line, extra=(("bold", True), ("font_size", 14), ("border", 0)))
    header = (("bg_color", HEADER_COLOR), ("align", "center"), ("valign", "vcenter"), ("text_wrap", True))
    for index, column in enumerate(columns):
        writer.text(1, index, str(column.header), bold=True, extra=header)

    first_data = 2  # 0-based: the third row
    totals = [Decimal(0)] * len(columns)
    count = 0
    for row in exporter.rows():
        row_index = first_data + count
        for index, (column, value) in enumerate(zip(columns, row, strict=False)):
            if isinstance(value, RowSum):
                first, last = value.first, value.last
                expression = f"=SUM({xl_col_to_name(first - 1)}{row_index + 1}:{xl_col_to_name(last - 1)}{row_index + 1})"
                result = sum((_decimal(v) or 0 for v in row[first - 1 : last]), Decimal(0))
                if value.over:
                    full = value.full or value.over
                    expression = f"=ROUND({expression[1:]}/{value.over.normalize():f}*{full.normalize():f},2)"
                    result = (result / value.over * full).quantize(Decimal("0.01"))
                writer.formula(row_index, index, expression, result, value.kind)
                value = result
            else:
                writer.write(row_index, index, value, column.kind, wrap=column.wrap)
            if column.total and _decimal(value) is not None:
                totals[index] += _decimal(value)
        count += 1
    if count and any(column.total for column in columns):
        last_row = first_data + count  # 1-based number of the last data row
        total_row = first_data + count
        for index, column in enumerate(columns):
            if index == 0:
                writer.write(total_row, 0, str(_("合计")), bold=True)
            elif column.total:
                letter = xl_col_to_name(index)
                writer.formula(
                    total_row,
                    index,
                    f"=SUM({letter}{first_data + 1}:{letter}{last_row})",
                    totals[index],
                    column.kind,
                    bold=True,
                )
            else:
                writer.write(total_row, index, None)
    return count
