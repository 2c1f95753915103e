"""Import of responsibility tables (责任分解表): an .xlsx table → the pairing's task tree.

Government offices exchange their task lists as tables: 序号 | 任务 | 事项 | 责任单位 | 完成时限,
a title row or two above, the 任务 and 责任单位 cells merged down over the rows they cover, the
header repeated where the table crossed a page. ``read_task_table`` turns such a sheet into the
plan tree's JSON (the schema ``validate_plan_json`` checks), so the confirm step is the one of
the policy-text import: ``import_table`` calls ``tasks.importing.plan.import_plan`` (one
transaction, history with the actor, units matched or created, periods and targets).

Rules, each with an example:

* The header row is the first of the sheet's first ``HEADER_SEARCH_ROWS`` rows that names a task
  column (任务 / 重点任务 / 工作任务 …, or 事项 / 具体事项 / 工作措施 / 主要内容 …) and a unit
  column (责任单位, or 牵头单位 / 配合单位); spaces, line breaks and bracketed notes in header
  cells are ignored ("责 任 单 位", "完成时限（年月）"). Rows above it are title rows: the last one
  that is not "附件2" names the document ("打造山海协作工程升级版行动计划责任分解表"). A header
  "责任单位" merged over two columns with 牵头单位 | 配合单位 in the row below is a two-row header.
  The first sheet that has such a header is read.
* Merged cells are filled down: a row inside a merged 任务 or 责任单位 range takes the value of
  the range's first cell. A blank 任务 cell continues the task above, merged or not (also when
  the row has a 序号 of its own: some tables number every row); a blank
  责任单位 cell outside a merged range is an error (with 事项 present) — say the units again or
  merge the cells. A row that repeats the header, or repeats the current task's 序号 and 任务 (a
  table continued on the next page), continues the table.
* Each 任务 becomes a task numbered by its 序号, each 事项 a task under it; a table without a
  事项 column gives one task per row, one without a 任务 column a flat list of 事项. A 事项 cell
  "2. 建立产业园管理运营机制。2018 年 7 月底前，…" gives number "2.", title "建立产业园管理运营
  机制" (its lead sentence, as in the plan parser) and the rest as body; a cell without a number is
  numbered in order (1., 2., …).
* Units: a 责任单位 cell is split on 、，; outside brackets, bare organ words inheriting the
  qualifier before them (``plan_parser.units.split_units``: "结对县（市、区）党委和政府" → 结对县
  （市、区）党委, 结对县（市、区）政府); the first named leads, the rest co-operate. With 牵头单位 /
  配合单位 columns every 牵头 unit leads and every 配合 unit co-operates. Known units are matched
  by name or short name on confirm, the others proposed as new.
* Deadlines and targets use the plan parser's rules (``plan_parser.deadlines``, ``targets``): from
  the 完成时限 cell when there is one ("2018年三季度前" → 2018-09-30, "每年4月底前" → yearly 4/30,
  an Excel date as it is, "每年" → yearly 12/31, "长期坚持" / "持续推进" → none, the words kept in
  the body), else from the 事项 text. A 完成时限 that cannot be read, or names no year
  ("6月底前"), is an error of that row; such a phrase inside the 事项 text is only a warning.
* Cells are read as stored, never evaluated: a formula in a column we read is an error of its row
  (“第 N 行，事项：单元格是公式……”), and so is an error value (#REF!). Formulas elsewhere are ignored.

Files are checked before parsing by ``core.officefiles.open_xlsx`` (encrypted or renamed files,
zip bombs, unsafe names; entity tricks through defusedxml) and by size (``UPLOAD_MAX_BYTES``), and
read in read-only streaming mode; merged ranges, which openpyxl's read-only sheets do not expose,
are taken from the same pass over the sheet's XML. Every problem is collected as “第 N 行，列名：…”
and nothing is written unless there is none.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.scoping import is_liaison_of
from core.officefiles import READ_ERRORS, UnsafeFile, open_xlsx, unreadable_message
from core.uploads import max_upload_bytes
from planparser import (
    FULLWIDTH,
    detect_heading,
    find_deadlines,
    match_doc_number_line,
    normalise,
    parse_item,
    split_units,
)
from tasks import services as task_services
from tasks.importing.plan import PlanImportRefused, build_nodes, import_plan

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20000
MAX_COLUMNS = 60

# Column → the header words that name it (after spaces and bracketed notes are removed).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "task": ("任务", "重点任务", "工作任务", "主要任务", "任务名称", "重点工作"),
    "item": ("事项", "具体事项", "工作措施", "主要内容", "工作事项", "具体措施", "工作内容", "任务内容"),
    "units": ("责任单位", "责任部门", "主要责任单位", "责任主体"),
    "lead": ("牵头单位", "牵头部门", "主责单位"),
    "coop": ("配合单位", "配合部门", "协办单位", "参与单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限", "完成期限", "时间要求"),
}
HEADER_WORDS = {word: key for key, words in SYNONYMS.items() for word in words}
_BRACKETED = re.compile(r"[（(〔［\[【][^）)〕］\]】]*[）)〕］\]】]")
_CONTINUING = re.compile(r"长期|持续|常态化|常年|逐年|经常性|按计划|按进度")
_ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[：:]?$")
_CLAUSE_CUT = re.compile(r"[，；,;]")
# The characters ``normalise`` changes: most cells hold none, and skipping them is 10× faster.
_NEEDS_NORMALISING = re.compile("[\r" + "".join(re.escape(chr(c)) for c in FULLWIDTH) + "]")


class TableRefused(Exception):
    """The whole file is refused (not a workbook, too big, no header …); its text says why, in Chinese."""


@dataclass
class TaskTable:
    """What a responsibility table would create, or why it cannot.

    ``plan`` is the tree in the plan tree's JSON; ``leads`` maps a node id ("0.2") to its number of
    leading units when that is not one (牵头单位 columns naming several); ``lines`` maps node ids to
    the sheet's row numbers. ``errors`` stop the import; ``warnings`` do not.
    """

    plan: dict[str, Any] = field(
        default_factory=lambda: {
            "document": {"doc_number": None, "title": None, "issuers": [], "issued": None},
            "nodes": [],
        }
    )
    leads: dict[str, int] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheet: str = ""
    header_line: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def task_count(self) -> int:
        return len(self.plan["nodes"])

    @property
    def item_count(self) -> int:
        return sum(len(node["children"]) for node in self.plan["nodes"])


# --------------------------------------------------------------------------------------------
# Reading the sheet: rows and merged ranges in one streaming pass
# --------------------------------------------------------------------------------------------

Cell = tuple[Any, str]  # (value, openpyxl data type: "s" text, "n" number, "d" date, "f" formula, "e" error)


def _stream_sheet(sheet):
    """Yield (row number, {column: (value, type)}) for the columns up to MAX_COLUMNS.

    Returns (as the generator's value) the sheet's merged ranges as (min_col, min_row, max_col,
    max_row). openpyxl's read-only sheets drop the ``<mergeCells>`` element that follows the rows;
    its own parser reads it on the way, so the parser is driven here rather than through
    ``iter_rows`` (and cells beyond MAX_COLUMNS are never materialised: a forged dimension of
    16384 columns costs nothing).
    """
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=False,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for line, cells in parser.parse():
            yield (
                line,
                {
                    c["column"]: (c["value"], c["data_type"])
                    for c in cells
                    if c["column"] <= MAX_COLUMNS and c["value"] is not None
                },
            )
    merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    return [range_boundaries(m.ref) for m in merged]


def _stream_sheet_full(sheet):
    """The same as ``_stream_sheet`` for a sheet opened in normal mode (merged ranges are exposed)."""
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        cells = {c.column: (c.value, c.data_type) for c in row if c.value is not None}
        if row:
            yield row[0].row, cells
    return [r.bounds for r in sheet.merged_cells.ranges]


def _text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    value, _type = cell
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return (normalise(text) if _NEEDS_NORMALISING.search(text) else text).strip()


def _header_key(cell: Cell | None) -> str | None:
    if cell is None or cell[1] != "s":
        return None
    word = re.sub(r"\s+", "", _BRACKETED.sub("", str(cell[0]))).rstrip("：:")
    return HEADER_WORDS.get(word)


def _header_columns(cells: dict[int, Cell]) -> dict[str, int]:
    found: dict[str, int] = {}
    for column in sorted(cells):
        key = _header_key(cells[column])
        if key and key not in found:
            found[key] = column
    return found


def _is_header(columns: dict[str, int]) -> bool:
    return bool({"task", "item"} & columns.keys()) and bool({"units", "lead"} & columns.keys())


@dataclass
class _Sheet:
    """One sheet as read: its name, header, title rows, data rows and merged ranges."""

    name: str
    header_line: int
    columns: dict[str, int]
    header_texts: dict[str, str]
    titles: list[str]
    rows: list[tuple[int, dict[int, Cell]]]
    merged: list[tuple[int, int, int, int]]


def _read_workbook(fileobj: IO[bytes]) -> _Sheet:
    try:
        size = fileobj.seek(0, 2)
        fileobj.seek(0)
    except (OSError, ValueError):
        size = 0
    limit = max_upload_bytes()
    if size > limit:
        raise TableRefused(
            _("文件为 %(size).1f MB，超过 %(limit)d MB 的上限，未做任何修改。")
            % {"size": size / 1048576, "limit": limit // 1048576}
        )
    if size == 0:
        raise TableRefused(_("文件是空的（0 字节）。"))
    streaming = _can_stream()
    try:
        workbook = open_xlsx(fileobj, read_only=streaming)
    except UnsafeFile as error:
        raise TableRefused(str(error)) from error
    try:
        return _read_sheets(workbook, _stream_sheet if streaming else _stream_sheet_full)
    except READ_ERRORS as error:
        # A sheet is parsed while it streams: defusedxml's refusal of entity tricks (ValueError)
        # or XML damaged half-way (ParseError) shows up here, not when the workbook opens.
        raise TableRefused(unreadable_message()) from error
    finally:
        workbook.close()


def _can_stream() -> bool:
    """Whether openpyxl's read-only parser can be driven as ``_stream_sheet`` does (3.1 can)."""
    try:
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet
        from openpyxl.worksheet._reader import WorkSheetParser
    except ImportError:
        return False
    return hasattr(ReadOnlyWorksheet, "_get_source") and hasattr(WorkSheetParser, "parse")


def _read_sheets(workbook, stream) -> _Sheet:
    any_cell = False
    for sheet in workbook.worksheets:
        rows = stream(sheet)
        head: list[tuple[int, dict[int, Cell]]] = []
        header = None
        merged: list = []
        try:
            while True:
                line, cells = next(rows)
                if not cells:
                    if line > HEADER_SEARCH_ROWS and header is None:
                        break
                    continue
                any_cell = True
                if header is None:
                    if line > HEADER_SEARCH_ROWS:
                        break
                    columns = _header_columns(cells)
                    if _is_header(columns):
                        header = (line, columns, cells)
                        data: list[tuple[int, dict[int, Cell]]] = []
                        continue
                    head.append((line, cells))
                    continue
                data.append((line, cells))
                if len(data) > MAX_ROWS + 1:
                    raise TableRefused(_("表格超过 %(max)d 行，请分成几个文件分批导入。") % {"max": MAX_ROWS})
        except StopIteration as stop:
            merged = stop.value or []
        finally:
            rows.close()
        if header is None:
            continue
        line, columns, cells = header
        header_texts = {key: _text(cells[column]).replace("\n", "") for key, column in columns.items()}
        # A two-row header: 责任单位 over 牵头单位 | 配合单位 in the next row.
        if data and data[0][0] == line + 1:
            below = _header_columns(data[0][1])
            if (
                below
                and set(below) <= {"lead", "coop", "units", "deadline", "number"}
                and ({"lead", "coop"} & below.keys())
            ):
                for key, column in below.items():
                    columns[key] = column
                    header_texts[key] = _text(data[0][1][column]).replace("\n", "")
                if "units" in columns and columns["units"] in below.values() and "units" not in below:
                    del columns["units"]
                data = data[1:]
        titles = [_text(cells.get(min(cells))) for _line, cells in head if cells]
        return _Sheet(
            name=sheet.title,
            header_line=line,
            columns=columns,
            header_texts=header_texts,
            titles=[t for t in titles if t],
            rows=data,
            merged=merged,
        )
    if not any_cell:
        raise TableRefused(_("工作簿是空的：没有任何填写了内容的单元格。"))
    raise TableRefused(
        _(
            "在前 %(n)d 行中没有找到表头：需要“任务”（或“重点任务”“工作任务”）或“事项”（或“具体事项”"
            "“工作措施”“主要内容”）列，以及“责任单位”（或“牵头单位”“配合单位”）列。"
        )
        % {"n": HEADER_SEARCH_ROWS}
    )


# --------------------------------------------------------------------------------------------
# Turning rows into the tree
# --------------------------------------------------------------------------------------------


def _fill_merged(sheet: _Sheet) -> set[tuple[int, int]]:
    """Copy each vertically merged range's first value down; return the (row, column) filled."""
    wanted = set(sheet.columns.values())
    by_line = {line: cells for line, cells in sheet.rows}
    filled: set[tuple[int, int]] = set()
    for min_col, min_row, max_col, max_row in sheet.merged:
        if max_row <= min_row or min_row <= sheet.header_line:
            continue
        top = by_line.get(min_row, {})
        for column in range(min_col, max_col + 1):
            if column not in wanted:
                continue
            value = top.get(column) if column == min_col else top.get(min_col)
            for line in range(min_row + 1, max_row + 1):
                cells = by_line.get(line)
                if cells is None:
                    continue
                filled.add((line, column))
                if value is not None and column not in cells:
                    cells[column] = value
    return filled


@functools.lru_cache(maxsize=1024)
def _split_units(text: str) -> tuple[str, ...]:
    """``split_units`` of a unit cell; cached because a table repeats the same cell row after row.

    A line break typed in the cell (Alt+Enter) separates units like 、 does.
    """
    return tuple(split_units(re.sub(r"\s*\n\s*", "、", text.strip())))


def _deadline_json(deadline) -> dict:
    return deadline.to_json()


def _column_deadline(cell: Cell) -> tuple[list[dict], str | None, str]:
    """(deadlines, error, note for the body) of a 完成时限 cell."""
    value, _type = cell
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        text = f"{day.year}年{day.month}月{day.day}日前"
        return [{"text": text, "kind": "once", "date": day.isoformat(), "month": None, "day": None}], None, ""
    text = _text(cell)
    if not text:
        return [], None, ""
    if len(text) > 100:
        return [], _("原文最多 100 个字（现有 %(n)d 个）") % {"n": len(text)}, ""
    found = find_deadlines(text)
    complete = [d for d in found if d.kind == "yearly" or d.date]
    if complete:
        return [_deadline_json(d) for d in complete], None, ""
    normalised = task_services.parse_deadline(text)
    if normalised["deadline_kind"] == "yearly":
        return (
            [
                {
                    "text": text,
                    "kind": "yearly",
                    "date": None,
                    "month": normalised["deadline_month"],
                    "day": normalised["deadline_day"],
                }
            ],
            None,
            "",
        )
    if found:
        return (
            [],
            _("“%(t)s”没有写明年份，请写成“2018年6月底前”这样的完整日期") % {"t": text},
            "",
        )
    if _CONTINUING.search(text):
        return [], None, _("完成时限：%(t)s") % {"t": text}
    return (
        [],
        _("无法识别“%(t)s”，请写成“2018年7月底前”“2018年三季度前”“每年4月底前”之类，或写“长期坚持”")
        % {"t": text},
        "",
    )


def _node(number: str, text: str, *, fallback_number: str) -> dict:
    """A node of the JSON tree from a cell's (normalised) text, by the plan parser's rules."""
    first, _sep, rest = text.partition("\n")
    heading = detect_heading(first)
    if heading is not None and not number:
        number, first = heading.number, heading.rest
    elif heading is not None and heading.rest:
        first = heading.rest
    number = number or fallback_number
    node = parse_item(number, first, [p for p in [first, *rest.split("\n")] if p.strip()])
    title, body = node.title, node.body
    if len(title) > 200:
        # No sentence end early enough: the title is the lead clause, the rest goes to the body.
        cuts = [m.end() for m in _CLAUSE_CUT.finditer(title, 0, 200)]
        cut = cuts[-1] if cuts else 200
        title, body = title[:cut].rstrip("，；,;"), (title[cut:] + ("\n" + body if body else "")).strip()
    return {
        "number": number,
        "title": title,
        "body": body,
        "units": node.units,
        "lead_units": sum(len(n.units) for n in node.unit_notes if n.role.startswith(("牵头", "主责"))),
        "deadlines": [_deadline_json(d) for d in node.deadlines],
        "targets": [t.to_json() for t in node.targets],
        "children": [],
    }


class _TreeBuilder:
    """Walks the data rows once and builds the tree, collecting row errors."""

    def __init__(self, sheet: _Sheet, table: TaskTable, filled: set[tuple[int, int]]):
        self.sheet = sheet
        self.table = table
        self.columns = sheet.columns
        self.filled = filled
        self.current: dict | None = None
        self.current_key: tuple[str, str] | None = None
        self.pending: dict[str, int] = {}  # task id → its row, while no item or unit has come

    def label(self, key: str) -> str:
        return self.sheet.header_texts.get(key) or SYNONYMS[key][0]

    def error(self, line: int, key: str, message: str) -> None:
        self.table.errors.append(
            _("第 %(n)d 行，%(col)s：%(msg)s") % {"n": line, "col": self.label(key), "msg": message}
        )

    def run(self) -> None:
        for line, cells in self.sheet.rows:
            mapped = {key: cells.get(column) for key, column in self.columns.items()}
            texts = {key: _text(c) for key, c in mapped.items()}
            if not any(texts.values()):
                continue
            if all(len(t) <= 12 for t in texts.values()):
                keys = [_header_key(mapped[key]) for key, t in texts.items() if t]
                if len(keys) >= 2 and all(keys):
                    continue  # the header repeated on a new page
            bad = False
            for key, c in mapped.items():
                if c is not None and c[1] == "f":
                    bad = True
                    self.error(
                        line,
                        key,
                        _(
                            "单元格是公式（%(f)s）。导入不计算公式，也不读取其缓存结果，请把它改为文字后重新上传"
                        )
                        % {"f": str(c[0])[:40]},
                    )
                elif c is not None and c[1] == "e":
                    bad = True
                    self.error(line, key, _("单元格是错误值 %(v)s，请改正") % {"v": c[0]})
            if not bad:
                self.row(line, mapped, texts)
        for nid, line in self.pending.items():
            task = self.table.plan["nodes"][int(nid)]
            if not task["children"]:
                self.error(
                    line,
                    "item",
                    _("为空：任务“%(t)s”下面没有事项，这一行也没有写责任单位") % {"t": task["title"][:30]},
                )

    def row(self, line: int, mapped: dict[str, Cell | None], texts: dict[str, str]) -> None:
        table = self.table
        number, task_text, item_text = texts.get("number", ""), texts.get("task", ""), texts.get("item", "")
        if len(number) > 20:
            self.error(line, "number", _("最多 20 个字"))
            return
        own = [
            key
            for key in ("units", "lead", "coop", "deadline")
            if texts.get(key) and (line, self.columns[key]) not in self.filled
        ]
        starts_task = False
        if "task" in self.columns:
            merged_task = (line, self.columns["task"]) in self.filled
            if (
                not task_text
                and number
                and not item_text
                and self.current_key
                and number != self.current_key[0]
            ):
                self.error(line, "task", _("为空：序号 %(n)s 的任务没有名称") % {"n": number})
                return
            if not task_text and self.current is None:
                self.error(line, "task", _("为空：表格的第一行数据须写明任务"))
                return
            if task_text:
                # The same 任务 again (with the same 序号, or none) is the table continued on a new
                # page; inside a merged 任务 cell it is the same task whatever the 序号.
                starts_task = self.current_key is None or not (
                    task_text == self.current_key[1]
                    and (not number or number == self.current_key[0] or merged_task)
                )
            if starts_task:
                position = len(table.plan["nodes"])
                task = _node(number, task_text, fallback_number=str(position + 1))
                table.plan["nodes"].append(task)
                table.lines[str(position)] = line
                self.current, self.current_key = task, (number or task["number"], task_text)

        if "item" in self.columns and item_text:
            siblings = self.current["children"] if self.current is not None else table.plan["nodes"]
            prefix = f"{len(table.plan['nodes']) - 1}." if self.current is not None else ""
            node = _node("", item_text, fallback_number=f"{len(siblings) + 1}.")
            nid = f"{prefix}{len(siblings)}"
            if self.fill(line, mapped, texts, node, nid, inherit=self.current):
                siblings.append(node)
                table.lines[nid] = line
            if starts_task:
                self.current["lead_units"] = 0
                self.current["units"] = []  # the task's units are its items'
            return
        if starts_task:
            nid = str(len(table.plan["nodes"]) - 1)
            if own or "item" not in self.columns:
                self.fill(line, mapped, texts, self.current, nid)
            else:
                self.current["units"] = []
                self.pending[nid] = line
            return
        if own:
            key = "item" if "item" in self.columns else "task"
            message = _("为空，但这一行填写了%(cols)s") % {"cols": "、".join(self.label(k) for k in own)}
            if "item" not in self.columns:
                message = _("与上一行的任务相同；每行须是一项任务，或合并单元格")
            self.error(line, key, message)

    def fill(
        self,
        line: int,
        mapped: dict[str, Cell | None],
        texts: dict[str, str],
        node: dict,
        nid: str,
        inherit: dict | None = None,
    ) -> bool:
        """Units, deadline and checks of a node with its own row; False (errors noted) if the row is bad."""
        before = len(self.table.errors)
        lead_units = node.pop("lead_units", 0)
        unit_key = "units" if "units" in self.columns else "lead"
        units: list[str] = []
        leads = 1
        if "lead" in self.columns or "coop" in self.columns:
            lead, coop = list(_split_units(texts.get("lead", ""))), list(_split_units(texts.get("coop", "")))
            if coop and not lead:
                self.error(line, "lead", _("为空：有配合单位时须写明牵头单位"))
            units, leads = list(dict.fromkeys(lead + coop)), max(1, len(lead))
        if not units and "units" in self.columns:
            units, leads = list(_split_units(texts.get("units", ""))), 1
        if not units and node["units"]:
            units, leads = node["units"], max(1, lead_units)  # a "（责任单位：…）" note in the text
        if not units and inherit is not None and inherit.get("units"):
            # Units written once on the task's own row hold for its items.
            units, leads = inherit["units"], self.table.leads.get(self.task_id(inherit), 1)
        if not units and len(self.table.errors) == before:
            self.error(line, unit_key, _("为空。与上一行相同时，请合并单元格或再写一遍"))
        for name in units:
            if len(name) > 120:
                self.error(line, unit_key, _("“%(u)s…”超过 120 个字") % {"u": name[:30]})
        node["units"] = units
        if leads != 1 and units:
            self.table.leads[nid] = min(leads, len(units))

        text_key = "item" if "item" in self.columns else "task"
        if texts.get("deadline"):
            deadlines, problem, note = _column_deadline(mapped["deadline"])
            if problem:
                self.error(line, "deadline", problem)
            node["deadlines"] = deadlines
            if note:
                node["body"] = f"{node['body']}\n{note}".strip()
        else:
            kept = []
            for d in node["deadlines"]:
                if d["kind"] == "once" and not d["date"]:
                    self.table.warnings.append(
                        _("第 %(n)d 行，%(col)s：“%(t)s”没有年份，未作为期限；需要时请在完成时限列写明。")
                        % {"n": line, "col": self.label(text_key), "t": d["text"]}
                    )
                elif len(d["text"]) <= 100:
                    kept.append(d)
            node["deadlines"] = kept
        if not node["title"]:
            self.error(line, text_key, _("没有可作标题的文字"))
        for target in node["targets"]:
            value = Decimal(str(target["value"]))
            if value >= Decimal("1e16") or value != value.quantize(Decimal("0.01")):
                self.error(
                    line,
                    text_key,
                    _("指标“%(t)s”的数值 %(v)s 超出范围或超过两位小数")
                    % {"t": target["text"][:30], "v": value},
                )
        return len(self.table.errors) == before

    def task_id(self, task: dict) -> str:
        return str(next(i for i, t in enumerate(self.table.plan["nodes"]) if t is task))


def _document_title(titles: list[str], filename: str) -> tuple[str | None, str]:
    doc_number = None
    title = ""
    for text in titles:
        one_line = re.sub(r"\s+", "", text)
        number = match_doc_number_line(one_line)
        if number:
            doc_number = number
            continue
        if _ATTACHMENT_LABEL.match(one_line) or len(one_line) > 120:
            continue
        title = one_line
    if not title and filename:
        title = PurePath(filename).stem[:120]
    return doc_number, title or _("责任分解表")


def read_task_table(fileobj: IO[bytes], *, filename: str = "") -> TaskTable:
    """Read a responsibility table (.xlsx) into the plan tree's JSON; writes nothing.

    Never raises for bad input: a refused file or bad rows come back in ``errors`` (Chinese,
    “第 N 行，列名：…” for rows). See the module docstring for the rules.
    """
    table = TaskTable()
    try:
        sheet = _read_workbook(fileobj)
    except TableRefused as refused:
        table.errors.append(str(refused))
        return table
    table.sheet = sheet.name
    table.header_line = sheet.header_line
    table.columns = sheet.header_texts
    table.rows_read = len(sheet.rows)
    doc_number, title = _document_title(sheet.titles, filename or getattr(fileobj, "name", "") or "")
    table.plan["document"].update(doc_number=doc_number, title=title)

    _TreeBuilder(sheet, table, _fill_merged(sheet)).run()
    for node in table.plan["nodes"]:
        node.pop("lead_units", None)
        for child in node["children"]:
            child.pop("lead_units", None)
    if not table.errors and not table.plan["nodes"]:
        table.errors.append(
            _("第 %(n)d 行是表头，但下面没有任务或事项：表格里没有可导入的数据。") % {"n": sheet.header_line}
        )
    if not table.errors:
        # The confirm step's own checks of each node, so a preview that passes confirms (bar the
        # database's). The schema itself is checked where a tree leaves or re-enters the program:
        # ``--json`` and ``import_plan`` (it costs ~0.4 ms a node in jsonschema).
        _nodes, problems = build_nodes(table.plan, lead_edits(table.leads))
        table.errors.extend(problems)
    return table


# --------------------------------------------------------------------------------------------
# Confirm: the policy-text import's service
# --------------------------------------------------------------------------------------------


def lead_edits(leads: dict[str, int]) -> dict[str, dict]:
    """The edits ``import_plan`` reads for nodes led by more than one unit."""
    return {nid: {"leads": int(count)} for nid, count in (leads or {}).items()}


def import_table(
    pairing,
    plan: dict,
    user,
    *,
    leads: dict[str, int] | None = None,
    dry_run: bool = False,
    **options,
):
    """Create the pairing's tasks from a read table, all or nothing (``import_plan`` does the work).

    ``options`` are those of ``import_plan`` (document, new_document, unit_regions, start_year,
    end_year). ``user`` None is the system (management commands); otherwise only liaison staff of
    the pairing may confirm. With ``dry_run`` everything is written and checked inside a
    transaction that is then rolled back, so the result counts what would be created and nothing
    stays. Raises ``PlanImportRefused`` with every reason.
    """
    if user is not None and not is_liaison_of(user, pairing.pk):
        raise PermissionDenied(_("只有本结对的联络员可以导入责任分解表。"))
    edits = lead_edits(leads or {})
    if options.get("document") is None:
        # A table has rarely a 文号, so the plan import's duplicate check (by 文号) would not stop a
        # second import of the same table: the document's title does.
        title = ((options.get("new_document") or {}).get("title") or plan["document"]["title"] or "").strip()
        if title and pairing.documents.filter(title=title).exists():
            raise PlanImportRefused(
                [
                    _(
                        "来源文件：本结对已有标题为“%(t)s”的文件，这张表格可能已经导入过。"
                        "如要把任务归入该文件，请在“来源文件”中选择它（已有的任务不会重复创建）。"
                    )
                    % {"t": title}
                ]
            )
    if not dry_run:
        return import_plan(pairing, plan, user, edits=edits, **options)
    with transaction.atomic():
        result = import_plan(pairing, plan, user, edits=edits, **options)
        transaction.set_rollback(True)
    return result


# --------------------------------------------------------------------------------------------
# The template workbook offered on the upload page
# --------------------------------------------------------------------------------------------

TEMPLATE_HEADER = ["序号", "任务", "事项", "责任单位", "完成时限"]
# One row of seed 001's 附件2 (温政发〔2018〕26号), with the 完成时限 its text names.
TEMPLATE_EXAMPLE = [
    2,
    "建好山海协作发展新平台",
    "3. 规范编制生态旅游文化产业园发展规划及建设指标。2018 年三季度前，编制完成五大生态旅游文化产业园"
    "总体发展规划和年度建设计划。五大生态旅游文化产业园计划总投资 100 亿元。启动园区基础设施建设和项目招引工作。",
    "市招商局（经合办）、市发改委、市国土资源局、市规划局、市文广新局、市旅游局、结对县（市、区）党委和政府",
    "2018年三季度前",
]
TEMPLATE_TITLE = "打造山海协作工程升级版行动计划责任分解表"


def template_workbook() -> bytes:
    """The .xlsx offered for download: a title row, the header, seed 001's example row, and notes."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from core.excel import HEADER_FILL

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("责任分解表")
    sheet.append([TEMPLATE_TITLE])
    sheet.merge_cells("A1:E1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(TEMPLATE_HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append(TEMPLATE_EXAMPLE)
    for cell in sheet[3]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.data_type = "n" if isinstance(cell.value, int) else "s"
    for column, width in zip("ABCDE", (6, 22, 70, 40, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"

    notes = workbook.create_sheet(_("填写说明"))
    notes.column_dimensions["A"].width = 110
    for line in (
        _(
            "第一个工作表按上面的格式填写；表头可在前 10 行内，上面可以有“附件2”和标题行（标题作为来源文件的标题）。"
        ),
        _(
            "列名可用：序号；任务/重点任务/工作任务；事项/具体事项/工作措施/主要内容；责任单位，或牵头单位与配合单位两列；完成时限/时间节点/完成时间。"
        ),
        _(
            "一个任务有多个事项时，任务和序号单元格可以合并，或只在第一行填写；责任单位相同的相邻行请合并单元格，或每行都填写。"
        ),
        _(
            "责任单位之间用顿号“、”或逗号分隔，第一个为牵头单位；有“牵头单位”“配合单位”两列时，牵头单位列中的都作为牵头单位。"
        ),
        _("完成时限写成“2018年7月底前”“2018年三季度前”“每年4月底前”“长期坚持”之类；不填时从事项文字中识别。"),
        _(
            "不要使用公式：含公式的单元格会被拒绝。导入前会显示预览，确认后才创建任务，有任何一行出错都不会写入。"
        ),
    ):
        notes.append([line])
        notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=True)
    workbook.properties.title = _("责任分解表模板")
    workbook.properties.creator = _("山海协作工作台")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = [
    "PlanImportRefused",
    "TaskTable",
    "import_table",
    "lead_edits",
    "read_task_table",
    "template_workbook",
]
