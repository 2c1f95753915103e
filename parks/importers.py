"""Import of a park investment plan workbook in the layout of 温政发〔2018〕26号 附件1.

Layout: a title row; a header row with 序号 / 产业园名称 / 核心园区面积(km²) and, merged over
three (or four) columns each, groups like "2018 年度政府性 投资计划 (万元)"; a second header row
naming each group's columns 项目数 / 计划总投资 / 计划完成数 (/ 实际完成数); then one park a row.

The archive is checked before openpyxl sees it (zip bombs, missing workbook); the workbook is
opened read-only without evaluating formulas; every row is checked and every error is collected
as “工作表“…”第 N 行，列名：…”; nothing is written unless all rows pass, in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from core.history import as_actor

# A file refused as a whole (not a workbook, a zip bomb, a wrong layout) is the import flow's refusal.
from core.importflow import ImportRefused
from core.money import MoneyError, parse_money
from core.officefiles import UnsafeFile, iter_rows, open_xlsx
from parks.models import Park, ParkInvestmentPlan, normalise_name

MAX_ROWS = 2000
SOURCE = "园区投资计划表导入"

SUB_HEADERS = {
    "项目数": "project_count",
    "计划总投资": "planned_total",
    "计划完成数": "planned_completion",
    "实际完成数": "actual_completion",
}
REQUIRED_SUBS = ("project_count", "planned_total", "planned_completion")


@dataclass
class PlanLine:
    row: int
    park: Park
    year: int
    kind: str
    project_count: int
    planned_total: Decimal
    planned_completion: Decimal
    actual_completion: Decimal | None


@dataclass
class ImportResult:
    sheet: str = ""
    lines: list[PlanLine] = field(default_factory=list)
    areas: dict[int, Decimal] = field(default_factory=dict)  # park id → core area
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def parks(self) -> list[Park]:
        seen: dict[int, Park] = {}
        for line in self.lines:
            seen.setdefault(line.park.pk, line.park)
        return list(seen.values())


def col_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(cell.value, str) and cell.value.startswith("=")
    )


# Bounds within the columns' capacity (numeric(16,4) for 万元, numeric(8,2) for km², integer for
# counts): a figure beyond them is a typing or unit error. Near the capacity PostgreSQL overflows
# (a 500) and SQLite, which keeps decimals as floats, reads 999999999999.9999 back as 1e12, which
# no longer fits: 1e10 万元 (10¹⁴ yuan) keeps 14 significant digits, exact on both.
MAX_WAN = Decimal("1e10")
MAX_AREA = Decimal("1e6")
MAX_COUNT = Decimal("1e6")


def _number(value, *, integer: bool = False, below: Decimal = MAX_WAN) -> Decimal:
    """A cell's number as entered; raises ValueError with the reason in Chinese."""
    if isinstance(value, bool):
        raise ValueError(_("应为数字"))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # str() gives the shortest text that reads back as the same float: 2.06, not 2.0600000000000001.
        number = Decimal(str(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = parse_money(value, places=None)
        except MoneyError:
            raise ValueError(_("应为数字，实为“%(value)s”") % {"value": value.strip()[:30]}) from None
    else:
        raise ValueError(_("应为数字"))
    if not number.is_finite():
        raise ValueError(_("应为数字"))
    if number < 0:
        raise ValueError(_("不能为负数（%(value)s）") % {"value": number})
    if number >= below:
        raise ValueError(_("数值过大（%(value)s），请核对数值和单位") % {"value": number})
    if integer and number != number.to_integral_value():
        raise ValueError(_("应为整数（%(value)s）") % {"value": number})
    if not integer and number.as_tuple().exponent < -4:
        raise ValueError(_("最多保留四位小数（%(value)s）") % {"value": number})
    return number


@dataclass
class _Column:
    index: int  # 1-based
    year: int
    kind: str
    sub: str
    label: str


def _layout(rows: list, sheet: str, header_row: int) -> tuple[list[_Column], list[str]]:
    """The value columns from the two header rows, or the errors that make the layout unreadable."""
    top, subs = rows[0], rows[1]
    errors: list[str] = []
    where = _("工作表“%(sheet)s”第 %(row)d 行，第 %(col)s 列：")

    def at(row: int, col: int) -> str:
        return where % {"sheet": sheet, "row": row, "col": col_letter(col)}

    expected = [("序号",), ("产业园名称", "园区名称"), ("核心园区面积", "核心区面积")]
    for col, names in enumerate(expected, start=1):
        text = _text(top[col - 1].value if col - 1 < len(top) else None)
        if not any(text.startswith(name) for name in names):
            errors.append(
                at(header_row, col)
                + _("表头应为“%(name)s”，实为“%(text)s”。") % {"name": names[0], "text": text}
            )
    columns: list[_Column] = []
    group = None
    for col in range(4, max(len(top), len(subs)) + 1):
        head = _text(top[col - 1].value if col - 1 < len(top) else None)
        if head:
            year = re.search(r"(20\d\d)", head)
            kind = "government" if "政府" in head else "attracted" if "招商" in head else None
            if not year or not kind:
                errors.append(
                    at(header_row, col)
                    + _("表头“%(text)s”应写明年度与“政府性”或“招商”，如“2018年度政府性投资计划(万元)”。")
                    % {"text": head}
                )
                group = None
            else:
                group = (int(year.group(1)), kind, head)
        sub_text = _text(subs[col - 1].value if col - 1 < len(subs) else None)
        if group is None:
            if sub_text:
                errors.append(
                    at(header_row + 1, col) + _("“%(text)s”不属于任何年度投资计划列组。") % {"text": sub_text}
                )
            continue
        if not sub_text:
            continue
        sub = SUB_HEADERS.get(sub_text)
        if sub is None:
            errors.append(
                at(header_row + 1, col)
                + _("表头应为“项目数”“计划总投资”“计划完成数”或“实际完成数”，实为“%(text)s”。")
                % {"text": sub_text}
            )
            continue
        columns.append(_Column(col, group[0], group[1], sub, f"{group[2]}·{sub_text}"))
    groups: dict[tuple[int, str], set[str]] = {}
    for column in columns:
        groups.setdefault((column.year, column.kind), set()).add(column.sub)
    if not groups and not errors:
        errors.append(
            _("工作表“%(sheet)s”第 %(row)d 行：找不到年度投资计划列。") % {"sheet": sheet, "row": header_row}
        )
    for (year, kind), subs_found in groups.items():
        missing = [
            name for name, key in SUB_HEADERS.items() if key in REQUIRED_SUBS and key not in subs_found
        ]
        if missing:
            errors.append(
                _("工作表“%(sheet)s”第 %(row)d 行：%(year)d 年%(kind)s缺少列：%(missing)s。")
                % {
                    "sheet": sheet,
                    "row": header_row + 1,
                    "year": year,
                    "kind": ParkInvestmentPlan.Kind(kind).label,
                    "missing": "、".join(missing),
                }
            )
    return columns, errors


def parse_workbook(fileobj: IO[bytes], parks) -> ImportResult:
    """Read and check every row; `parks` is the queryset of parks the rows may name."""
    try:
        # The checks every importer shares: zip bombs, encrypted files, entity tricks, unsafe names.
        workbook = open_xlsx(fileobj)
    except UnsafeFile as exc:
        raise ImportRefused([str(exc)]) from None
    try:
        sheet = workbook.worksheets[0]
        result = ImportResult(sheet=sheet.title)
        try:
            # Damage half-way through a read-only sheet shows only while reading it.
            rows = list(iter_rows(sheet, max_row=MAX_ROWS + 10))
        except UnsafeFile as exc:
            raise ImportRefused([str(exc)]) from None
        header_index = next(
            (i for i, row in enumerate(rows[:10]) if row and _text(row[0].value) == "序号"), None
        )
        if header_index is None or header_index + 1 >= len(rows):
            raise ImportRefused(
                [_("工作表“%(sheet)s”：前 10 行中找不到以“序号”开头的表头行。") % {"sheet": sheet.title}]
            )
        header_row = header_index + 1
        columns, errors = _layout(rows[header_index : header_index + 2], sheet.title, header_row)
        if errors:
            raise ImportRefused(errors)
        data = rows[header_index + 2 :]
        if len(data) > MAX_ROWS:
            raise ImportRefused(
                [_("工作表“%(sheet)s”超过 %(n)d 行，请分批导入。") % {"sheet": sheet.title, "n": MAX_ROWS}]
            )
        by_name: dict[str, Park] = {}
        for park in parks:
            for name in (park.name, park.short_name):
                if name:
                    by_name[normalise_name(name)] = park
        seen: dict[int, int] = {}
        for offset, row in enumerate(data):
            number = header_row + 2 + offset
            values = [cell.value for cell in row]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            result.errors.extend(_check_row(row, number, sheet.title, columns, by_name, seen, result))
    finally:
        workbook.close()
    return result


def _check_row(row, number, sheet, columns, by_name, seen, result) -> list[str]:
    errors: list[str] = []

    def err(label: str, message: str) -> None:
        errors.append(
            _("工作表“%(sheet)s”第 %(row)d 行，%(col)s：%(message)s")
            % {"sheet": sheet, "row": number, "col": label, "message": message}
        )

    def cell(index: int):
        return row[index - 1] if index - 1 < len(row) else None

    name_cell = cell(2)
    if name_cell is None or name_cell.value is None or not str(name_cell.value).strip():
        err(_("产业园名称"), _("不能为空"))
        return errors
    if _is_formula(name_cell):
        err(_("产业园名称"), _("不接受公式，请填写文字"))
        return errors
    raw_name = str(name_cell.value).strip()
    park = by_name.get(normalise_name(raw_name))
    if park is None:
        err(_("产业园名称"), _("找不到您可管理的园区“%(name)s”（按园区名称或简称匹配）") % {"name": raw_name})
        return errors
    if park.pk in seen:
        err(
            _("产业园名称"), _("园区“%(name)s”与第 %(row)d 行重复") % {"name": raw_name, "row": seen[park.pk]}
        )
        return errors
    seen[park.pk] = number
    area_cell = cell(3)
    if area_cell is not None and area_cell.value not in (None, ""):
        if _is_formula(area_cell):
            err(_("核心园区面积"), _("不接受公式，请填写数值"))
        else:
            try:
                area = _number(area_cell.value, below=MAX_AREA)
                if area.as_tuple().exponent < -2:
                    raise ValueError(_("最多保留两位小数（%(value)s）") % {"value": area})
                result.areas[park.pk] = area
            except ValueError as exc:
                err(_("核心园区面积"), str(exc))
    groups: dict[tuple[int, str], dict] = {}
    for column in columns:
        target = groups.setdefault((column.year, column.kind), {})
        c = cell(column.index)
        value = c.value if c is not None else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if column.sub in REQUIRED_SUBS:
                err(column.label, _("不能为空"))
            continue
        if _is_formula(c):
            err(column.label, _("不接受公式，请填写数值"))
            continue
        try:
            count = column.sub == "project_count"
            target[column.sub] = _number(value, integer=count, below=MAX_COUNT if count else MAX_WAN)
        except ValueError as exc:
            err(column.label, str(exc))
    if errors:
        return errors
    for (year, kind), values in sorted(groups.items()):
        result.lines.append(
            PlanLine(
                row=number,
                park=park,
                year=year,
                kind=kind,
                project_count=int(values["project_count"]),
                planned_total=values["planned_total"],
                planned_completion=values["planned_completion"],
                actual_completion=values.get("actual_completion"),
            )
        )
    return errors


def import_plans(
    fileobj: IO[bytes], *, parks, user=None, dry_run: bool = False, source: str = ""
) -> ImportResult:
    """Check the workbook and, if every row passes and this is no dry run, write its plans.

    All or nothing: one transaction; a plan line of a park and year already present is updated
    (saved one by one, so each change keeps its history with the acting user, or “系统”).
    """
    result = parse_workbook(fileobj, parks)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for line in result.lines:
            defaults = {
                "project_count": line.project_count,
                "planned_total": line.planned_total,
                "planned_completion": line.planned_completion,
            }
            if line.actual_completion is not None:
                defaults["actual_completion"] = line.actual_completion
            plan = ParkInvestmentPlan.objects.filter(park=line.park, year=line.year, kind=line.kind).first()
            if plan is None:
                plan = ParkInvestmentPlan(
                    park=line.park, year=line.year, kind=line.kind, source=source or SOURCE
                )
                changed = True
                result.created += 1
            else:
                changed = any(getattr(plan, k) != v for k, v in defaults.items())
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            if changed:
                for key, value in defaults.items():
                    setattr(plan, key, value)
                as_actor(plan, user)
                plan.save()
        for park in result.parks:
            area = result.areas.get(park.pk)
            if area is not None and park.core_area_km2 != area:
                park.core_area_km2 = area
                as_actor(park, user)
                park.save(update_fields=["core_area_km2"])
    return result
