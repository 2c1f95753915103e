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
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import PatternFill
from xlsxwriter.utility import xl_col_to_name

PAPERSIZE_A4 = 9

# Fonts written in the file (the names Chinese offices have; LibreOffice maps them to the CJK face
# installed, e.g. Noto Serif CJK SC). Body text at 10 pt; a sheet is never printed below 90 %, so
# no text on paper is smaller than 9 pt.
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
BODY_SIZE = 10
TITLE_SIZE = 14
MIN_SCALE = 0.9
# One line of 10 pt text (CJK faces are taller than Latin ones) and the cell's padding, in points.
LINE_HEIGHT = 13.5  # Excel's own height of a line of 宋体 10 pt
ROW_PADDING = 3
# The width of a printed page in column-width units (one unit = one digit of the body font, a CJK
# character is two) at 100 %, with the margins `write_sheet` sets; measured on LibreOffice's PDF.
PAGE_UNITS = {"landscape": 118, "portrait": 82}
# XlsxWriter stores a column `width` as width + this padding (the width a reader sees).
COLUMN_PADDING = 0.71
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.7}
# The printed footer, centred (&C): the page's number (&P) and the count of pages (&N).
FOOTER = gettext_noop("第 %(page)s 页 共 %(pages)s 页")
EMPTY_TABLE = gettext_noop("本年度无记录")

# Leading characters that make a spreadsheet treat text as a formula (or as one once edited):
# = + - @, tab, CR, NUL and their full-width forms. Leading spaces do not protect the cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00", "＝", "＋", "－", "＠")
# The first characters after which a text may look like a formula (a trigger, or a leading space).
_FORMULA_FIRST = frozenset(FORMULA_TRIGGERS) | {" "}

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
    if text[:1] not in _FORMULA_FIRST:
        return False  # the commonest case: neither a trigger nor a space in front
    return text.lstrip(" ").startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Remove the characters XML 1.0 cannot hold (the file would not open)."""
    # The characters removed are all control characters, which `isprintable()` rejects: printable
    # text (most cells) has none of them, and skips the expression.
    if not text.isprintable():
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
            "default_format_properties": {"font_name": BODY_FONT, "font_size": BODY_SIZE},
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
        # The same formats of text and blank cells (no number format, no extra), by
        # quote + 2 × bold + 4 × wrap: what nearly every cell asks for, without building a key.
        self._text_formats: list = [None] * 8

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
            properties = {
                "border": 1,
                "border_color": BORDER_COLOR,
                "font_name": BODY_FONT,
                "font_size": BODY_SIZE,
                "valign": "vcenter",
            }
            if number_format:
                properties["num_format"] = number_format
            if quote:
                properties["quote_prefix"] = True
            if bold:
                properties["bold"] = True
            if wrap:
                properties["text_wrap"] = True
            properties.update(dict(extra))
            found = self._formats[key] = self.workbook.add_format(properties)
        return found

    def text_style(self, quote: bool = False, bold: bool = False, wrap: bool = False):
        """`style(quote=quote, bold=bold, wrap=wrap)`, the format of text and blank cells, remembered."""
        index = quote + 2 * bold + 4 * wrap
        found = self._text_formats[index]
        if found is None:
            found = self._text_formats[index] = self.style(quote=quote, bold=bold, wrap=wrap)
        return found

    def write(
        self, row: int, col: int, value, kind: str = "text", *, bold: bool = False, wrap: bool = False
    ) -> None:
        """A typed cell: numbers and dates as values with a number format, anything else as safe text."""
        if type(value) is str:  # the commonest cell first
            if value:
                text = clean_text(value)
                self.sheet.write_string(row, col, text, self.text_style(looks_like_formula(text), bold, wrap))
            else:
                self.sheet.write_blank(row, col, None, self.text_style(False, bold, wrap))
            return
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
        style = (
            self.style(quote=quote, bold=bold, wrap=wrap, extra=extra)
            if extra
            else self.text_style(quote, bold, wrap)
        )
        self.sheet.write_string(row, col, text, style)

    def formula(
        self, row: int, col: int, expression: str, value, kind: str = "text", *, bold: bool = False
    ) -> None:
        """A formula built by our code from cell references (never from user text), with its value."""
        simple = re.fullmatch(r"=[A-Z]+\([A-Z0-9:$,]*\)", expression)
        scaled = re.fullmatch(
            r"=(SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)|ROUND\(SUM\([A-Z]+[0-9]+:[A-Z]+[0-9]+\)/[0-9.]+\*[0-9.]+,2\))"
            r"(\+[A-Z]+[0-9]+)*",
            expression,
        )
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
    orientation = "landscape"
    numbered = False  # a running 序号 column in front (written by `write_sheet`)
    group_column: int | None = None  # the column whose value changes between groups (a 小计 row each)
    subtotals = False
    key_columns = 0  # columns repeated on each page when the sheet is split across pages

    def rows(self) -> Iterator[list]:
        raise NotImplementedError


@dataclass(frozen=True)
class RowSum:
    """A formula cell: the SUM of this row's columns `first`..`last` (1-based); with `over`, that sum
    brought to `full` marks: ROUND(SUM ÷ over × full, 2) (a total over the applicable weights only);
    with `plus`, the cells of those columns (1-based) added (a bonus, a negative deduction)."""

    first: int
    last: int
    kind: str = "score"
    over: Decimal | None = None
    full: Decimal | None = None
    plus: tuple[int, ...] = ()


def _decimal(value) -> Decimal | None:
    """A cell value as a Decimal for our own totals, or None for what is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


# Wide and full-width characters (CJK, kana, hangul, full-width forms): two column units each.
WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def text_width(text: str) -> int:
    """The width of `text` in column units: a CJK (wide) character counts two, anything else one."""
    return len(text) + len(WIDE.findall(text))


def text_lines(text: str, width: float, size: float = BODY_SIZE) -> int:
    """How many lines `text` (at `size` points) wraps to in a column `width` units wide (a little
    less is usable; a unit is measured at the body size)."""
    usable = max(1.0, width - 1.5)
    scale = size / BODY_SIZE
    if "\n" not in text and 2 * len(text) * scale <= usable:
        return 1  # fits even if every character is wide: no need to measure
    return _measured_lines(text, usable, scale)


@functools.lru_cache(maxsize=4096)
def _measured_lines(text: str, usable: float, scale: float) -> int:
    # Remembered: a sheet repeats the same long texts (a pairing's name, a unit list) row after row.
    return sum(max(1, math.ceil(text_width(part) * scale / usable)) for part in str(text).split("\n"))


def row_height(cells: list[tuple[object, float]], *, size: float = BODY_SIZE) -> float:
    """The height (points) a row needs so that none of its wrapped texts is cut: (value, width) pairs."""
    lines = max([text_lines(v, w, size) for v, w in cells if isinstance(v, str) and v] or [1])
    return lines_height(lines, size)


@functools.lru_cache(maxsize=256)
def lines_height(lines: int, size: float = BODY_SIZE) -> float:
    """The height (points) of a row of `lines` lines of text at `size` points."""
    return round(lines * LINE_HEIGHT * size / BODY_SIZE + ROW_PADDING, 1)


class RowHeights:
    """What `row_height` needs of a table's columns at the body size, measured once: each column's
    usable width, and the length up to which a text without a line break fits on one line even if
    every character is wide (`text_lines`: 2 × len ≤ usable); longer texts are measured."""

    def __init__(self, widths: list[float]) -> None:
        self.usable = [max(1.0, width - 1.5) for width in widths]
        self.short = [usable / 2 for usable in self.usable]


def page_setup(sheet, widths: list[float], *, orientation: str = "landscape", key_columns: int = 0) -> int:
    """A4, the given orientation, the page number in the footer; fitted to one page's width when that
    keeps the print scale at `MIN_SCALE` or above, else printed at 100 % across pages, repeating
    its first `key_columns` columns on each. Returns the (estimated) number of pages across."""
    sheet.set_paper(PAPERSIZE_A4)
    if orientation == "landscape":
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_margins(**MARGINS)
    sheet.set_footer("&C" + _(FOOTER) % {"page": "&P", "pages": "&N"}, {"margin": 0.3})
    sheet.center_horizontally()
    page = PAGE_UNITS[orientation] / MIN_SCALE
    widths = [w + COLUMN_PADDING for w in widths]
    total = sum(widths)
    if total <= page:
        # One page wide, as many pages long as needed: an explicit scale (a reader's "fit to width"
        # is computed differently by each program), never below 90 %.
        sheet.set_print_scale(min(100, math.floor(100 * PAGE_UNITS[orientation] / total)))
        return 1
    # Too wide for one page at 90 %: printed at 100 % across pages, the key columns on each.
    keys = sum(widths[:key_columns])
    across = math.ceil((total - keys) / max(1.0, PAGE_UNITS[orientation] - keys))
    if key_columns:
        sheet.repeat_columns(0, key_columns - 1)
    sheet.set_print_scale(100)
    sheet.print_across()  # the pages of a row of pages follow each other
    return across


def write_sheet(workbook, exporter: Exporter, title_line: str) -> int:
    """Stream one exporter into a new sheet of `workbook` (see `new_workbook`); returns the number of data rows.

    The title is merged across the table; every row gets the height its wrapped text needs; an
    exporter with `numbered` gets a running 序号 in front, and with `group_column` a 小计 row after
    each group (a pairing); an empty table says 本年度无记录.
    """
    writer = SheetWriter(workbook, exporter, title_line)
    for row in exporter.rows():
        writer.add(row)
    return writer.close()


class SheetWriter:
    """`write_sheet` in steps: the sheet (title, header, print setup) when created, then `add(row)`
    for each row, then `close()` for the last 小计 and the totals. Several sheets of one workbook may
    be filled in turns (each sheet's rows stay in order), so that one pass over the data feeds them all.
    """

    def __init__(self, workbook, exporter: Exporter, title_line: str) -> None:
        self.exporter = exporter
        self.sheet = sheet = workbook.add_worksheet(str(exporter.title))
        self.writer = writer = SafeWriter(workbook, sheet)
        self.offset = offset = 1 if exporter.numbered else 0
        self.columns = columns = ([Column(_("序号"), 5, "int")] if offset else []) + list(exporter.columns)
        self.widths = widths = [column.width for column in columns]
        self.row_height = RowHeights(widths)
        # Per column: its number format (`write`'s choice for a number of the column's kind), and the
        # formats of its cells, made on first use (so formats are added in the order cells need them).
        self.number_formats = [FORMATS.get(c.kind, "General") if c.kind != "text" else None for c in columns]
        self.number_styles: list = [None] * len(columns)
        self.counter_style = None
        self.date_style = None
        self.plain_style = None  # the format of plain text and blank cells, made on first use
        self.totaled = [column.total for column in columns]
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
        sheet.freeze_panes(2, 0)  # below the title and the header: “A3”
        across = page_setup(
            sheet, widths, orientation=exporter.orientation, key_columns=offset + exporter.key_columns
        )
        # The title and the header are printed on every page; a sheet split across pages repeats only
        # the header (the title, on the first page's width, would be cut on the others).
        sheet.repeat_rows(0 if across == 1 else 1, 1)

        # The title is merged over the columns of the first page; on a sheet split across pages it
        # starts after the key columns, which are repeated on the other pages (they would show a cut
        # piece of it).
        title_start = offset + exporter.key_columns if across > 1 else 0
        page_end, running = 0, 0.0  # the last column of the first page (printed at 100 % when split)
        page_width = PAGE_UNITS[exporter.orientation] if across > 1 else sum(widths) + len(widths)
        for index, width in enumerate(widths):
            running += width + COLUMN_PADDING
            if running > page_width and index:
                break
            page_end = index
        self.page_end = page_end
        title_end = max(page_end, title_start)
        title_style = (
            ("bold", True),
            ("font_size", TITLE_SIZE),
            ("font_name", TITLE_FONT),
            ("border", 0),
            ("text_wrap", True),
            ("align", "left"),
        )
        sheet.set_row(
            0, row_height([(title_line, sum(widths[title_start : title_end + 1]))], size=TITLE_SIZE)
        )
        if title_end > title_start:
            sheet.merge_range(0, title_start, 0, title_end, "", writer.style(extra=title_style))
        writer.text(0, title_start, title_line, extra=title_style)
        header = (("bg_color", HEADER_COLOR), ("align", "center"), ("valign", "vcenter"), ("text_wrap", True))
        sheet.set_row(1, row_height([(str(c.header), c.width) for c in columns]))
        for index, column in enumerate(columns):
            writer.text(1, index, str(column.header), bold=True, extra=header)

        self.first_data = 2  # 0-based: the third row
        self.totals = [Decimal(0)] * len(columns)
        self.group_totals = [Decimal(0)] * len(columns)
        self.has_totals = any(column.total for column in columns)
        self.subtotals = exporter.group_column is not None and exporter.subtotals
        self.row = self.first_data
        self.group = None
        self.group_first = self.first_data
        self.group_count = 0
        self.subtotal_rows = 0
        self.count = 0

    def _close_group(self) -> None:
        exporter, columns, writer = self.exporter, self.columns, self.writer
        if not self.subtotals or self.group is None:
            return
        row_index = self.row
        label = _("%(group)s 小计：%(n)d 条") % {"group": self.group, "n": self.group_count}
        label_col = self.offset + exporter.group_column
        cells = [(label, columns[label_col].width)]
        self.sheet.set_row(row_index, row_height(cells))
        for index, column in enumerate(columns):
            if index == label_col:
                writer.write(row_index, index, label, bold=True, wrap=True)
            elif column.total:
                letter = xl_col_to_name(index)
                writer.formula(
                    row_index,
                    index,
                    f"=SUBTOTAL(9,{letter}{self.group_first + 1}:{letter}{row_index})",
                    self.group_totals[index],
                    column.kind,
                    bold=True,
                )
            else:
                writer.write(row_index, index, None)
        self.row += 1
        self.subtotal_rows += 1

    def add(self, row: list) -> None:
        """One data row (without the 序号, which is written here)."""
        exporter, columns, writer, offset = self.exporter, self.columns, self.writer, self.offset
        if self.subtotals and row[exporter.group_column] != self.group:
            self._close_group()
            self.group, self.group_first, self.group_count = row[exporter.group_column], self.row, 0
            self.group_totals = [Decimal(0)] * len(columns)
        self.count += 1
        self.group_count += 1
        row_index = self.row
        sheet = self.sheet
        if offset:
            style = self.counter_style
            if style is None:
                style = self.counter_style = writer.style("0", extra=(("align", "center"),))
            sheet.write_number(row_index, 0, self.count, style)
        # All text wraps (the row is as high as its longest text): nothing is cut on paper. The cells
        # as `writer.write(row_index, index, value, column.kind, wrap=True)` writes them, its
        # commonest cases (text, blank, number, date) here without a call per cell; the row's height
        # as `row_height` gives it, measured on the way (`RowHeights`) and set once the cells are
        # written (XlsxWriter writes the row out when the next one starts).
        usable, short, lines = self.row_height.usable, self.row_height.short, 1
        write_string, write_blank, write_number = sheet.write_string, sheet.write_blank, sheet.write_number
        number_styles, totaled = self.number_styles, self.totaled
        plain = self.plain_style  # text_style(False, False, True): plain text and blank cells
        for index, value in enumerate(row, offset):
            kind = type(value)
            if kind is str:
                size = len(value)
                if not size:
                    if plain is None:
                        plain = self.plain_style = writer.text_style(False, False, True)
                    write_blank(row_index, index, None, plain)
                elif size <= MAX_CELL_TEXT and value[0] not in _FORMULA_FIRST and value.isprintable():
                    # Nothing to clean, cut or quote (`clean_text` would return the text as it is,
                    # `looks_like_formula` False): the commonest cell. No line break in it.
                    if size > short[index]:
                        found = _measured_lines(value, usable[index], 1.0)
                        if found > lines:
                            lines = found
                    if plain is None:
                        plain = self.plain_style = writer.text_style(False, False, True)
                    write_string(row_index, index, value, plain)
                else:
                    if size > short[index] or "\n" in value:
                        found = _measured_lines(value, usable[index], 1.0)
                        if found > lines:
                            lines = found
                    text = clean_text(value)
                    write_string(
                        row_index, index, text, writer.text_style(looks_like_formula(text), False, True)
                    )
                continue  # not a number: nothing to add to the totals
            elif value is None:
                if plain is None:
                    plain = self.plain_style = writer.text_style(False, False, True)
                write_blank(row_index, index, None, plain)
                continue
            elif kind is int or kind is Decimal or kind is float:
                style = number_styles[index]
                if style is None:
                    style = number_styles[index] = writer.style(self.number_formats[index], wrap=True)
                write_number(row_index, index, value, style)
            elif kind is datetime.date:
                style = self.date_style
                if style is None:
                    style = self.date_style = writer.style(FORMATS["date"], wrap=True)
                sheet.write_datetime(row_index, index, value, style)
                continue
            elif isinstance(value, RowSum):
                cells = [self.count, *row] if offset else row  # the row as written, 序号 first
                first, last = value.first + offset, value.last + offset
                expression = f"=SUM({xl_col_to_name(first - 1)}{row_index + 1}:{xl_col_to_name(last - 1)}{row_index + 1})"
                result = sum((_decimal(v) or 0 for v in cells[first - 1 : last]), Decimal(0))
                if value.over:
                    full = value.full or value.over
                    expression = f"=ROUND({expression[1:]}/{value.over.normalize():f}*{full.normalize():f},2)"
                    result = (result / value.over * full).quantize(Decimal("0.01"))
                for column_number in value.plus:
                    expression += f"+{xl_col_to_name(column_number + offset - 1)}{row_index + 1}"
                    result += _decimal(cells[column_number + offset - 1]) or 0
                writer.formula(row_index, index, expression, result, value.kind)
                value = result
            else:
                if isinstance(value, str) and (len(value) > short[index] or "\n" in value):
                    found = _measured_lines(value, usable[index], 1.0)
                    if found > lines:
                        lines = found
                writer.write(row_index, index, value, columns[index].kind, wrap=True)
            if totaled[index]:
                number = _decimal(value)
                if number is not None:
                    self.totals[index] += number
                    self.group_totals[index] += number
        sheet.set_row(row_index, lines_height(lines))
        self.row += 1

    def close(self) -> int:
        """The last 小计, then 本年度无记录 or the totals row; returns the number of data rows."""
        columns, writer, sheet = self.columns, self.writer, self.sheet
        self._close_group()
        first_data = self.first_data
        if not self.count:
            sheet.set_row(first_data, LINE_HEIGHT + ROW_PADDING)
            if self.page_end:  # over the first page, centred there
                sheet.merge_range(
                    first_data, 0, first_data, self.page_end, "", writer.style(extra=(("align", "center"),))
                )
            writer.text(first_data, 0, str(_(EMPTY_TABLE)), extra=(("align", "center"),))
        elif self.has_totals:
            total_row = self.row
            last_row = total_row  # 1-based number of the last data (or subtotal) row
            # With 小计 rows in between, SUBTOTAL leaves them out of the grand total.
            function = "SUBTOTAL(9," if self.subtotal_rows else "SUM("
            sheet.set_row(total_row, LINE_HEIGHT + ROW_PADDING)
            for index, column in enumerate(columns):
                if index == 0:
                    writer.write(total_row, 0, str(_("合计")), bold=True)
                elif column.total:
                    letter = xl_col_to_name(index)
                    writer.formula(
                        total_row,
                        index,
                        f"={function}{letter}{first_data + 1}:{letter}{last_row})",
                        self.totals[index],
                        column.kind,
                        bold=True,
                    )
                else:
                    writer.write(total_row, index, None)
        return self.count
