"""Excel import of regional indicators: one sheet of region × indicator × year.

The sheet's first row names its columns (any order; unknown columns are ignored):

    地区 | 行政区划代码 | 指标 | 年份 | 目标口径 | 预期目标 | 实际值口径 | 实际值 | 预计数 | 来源 | 原文

A region is found by its code when given, else by its name. 预期目标 and 实际值 are numbers in
the indicator's unit; text such as “6%左右” or “68%以上” is read as a number with its comparator.
来源 names a policy document by its 文号 or title.

The file is checked as an archive before openpyxl opens it (zip bombs are not openpyxl's
business), opened read-only without evaluating anything, and every row is checked before anything
is written: one bad row and nothing is saved, every error listed as “第 N 行，列名：…”.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cooperation.models import PolicyDocument, Region
from core.money import MoneyError, parse_money
from core.officefiles import UnsafeFile, iter_rows, open_xlsx
from indicators.models import Comparator, IndicatorDefinition, RegionIndicator, manageable_regions
from indicators.services import record_figure

MAX_ROWS = 2000

# Column header → field. Several spellings of the same column are accepted.
COLUMNS = {
    "地区": "region",
    "地区名称": "region",
    "行政区划代码": "code",
    "区划代码": "code",
    "指标": "indicator",
    "指标名称": "indicator",
    "年份": "year",
    "年度": "year",
    "目标口径": "target_comparator",
    "预期目标": "target",
    "目标值": "target",
    "实际值口径": "actual_comparator",
    "实际值": "actual",
    "完成值": "actual",
    "预计数": "estimate",
    "来源": "source",
    "来源文件": "source",
    "原文": "source_text",
}
LABELS = {
    "region": "地区",
    "code": "行政区划代码",
    "indicator": "指标",
    "year": "年份",
    "target_comparator": "目标口径",
    "target": "预期目标",
    "actual_comparator": "实际值口径",
    "actual": "实际值",
    "estimate": "预计数",
    "source": "来源",
    "source_text": "原文",
}
# Words of the documents → comparator. Checked in this order.
COMPARATOR_WORDS = [
    (("左右", "约", "≈", "~"), Comparator.ABOUT),
    (("以上", "不低于", "不少于", "超过", "≥", ">=", "＞＝"), Comparator.AT_LEAST),
    (("以下", "以内", "不超过", "不高于", "≤", "<="), Comparator.AT_MOST),
    (("=", "＝"), Comparator.EQUAL),
]
COMPARATOR_NAMES = {
    "": "",
    "=": Comparator.EQUAL,
    "＝": Comparator.EQUAL,
    "等于": Comparator.EQUAL,
    "≈": Comparator.ABOUT,
    "左右": Comparator.ABOUT,
    "约": Comparator.ABOUT,
    "≥": Comparator.AT_LEAST,
    ">=": Comparator.AT_LEAST,
    "以上": Comparator.AT_LEAST,
    "≤": Comparator.AT_MOST,
    "<=": Comparator.AT_MOST,
    "以下": Comparator.AT_MOST,
}
YES = {"是", "Y", "y", "yes", "Yes", "TRUE", "true", "1", "预计"}
NO = {"", "否", "N", "n", "no", "No", "FALSE", "false", "0"}


class SheetRefused(ValidationError):
    """The whole file is refused (not an .xlsx, too big, too many rows, no usable header)."""


@dataclass
class ParsedRow:
    line: int
    region: Region
    indicator: IndicatorDefinition
    year: int
    values: dict
    existing: bool = False


@dataclass
class ImportPreview:
    """What a sheet would do: the parsed rows, or the errors that stop it."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------------------------


def read_rows(fileobj: IO[bytes]) -> list[tuple[int, list]]:
    """The first sheet's non-empty rows as (line number, cells), read-only, formulas not evaluated."""
    try:
        # The checks every importer shares: zip bombs, encrypted files, entity tricks, unsafe names.
        workbook = open_xlsx(fileobj)
    except UnsafeFile as error:
        raise SheetRefused(str(error)) from error
    try:
        if not workbook.worksheets:
            raise SheetRefused(_("工作簿中没有工作表。"))
        sheet = workbook.worksheets[0]
        rows = []
        try:
            # Damage half-way through a read-only sheet shows only while reading it.
            for line, cells in enumerate(iter_rows(sheet), start=1):
                if line > MAX_ROWS + 1:
                    raise SheetRefused(_("表格超过 %(max)d 行数据，请分批导入。") % {"max": MAX_ROWS})
                if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells):
                    continue
                rows.append((line, list(cells)))
        except UnsafeFile as error:
            raise SheetRefused(str(error)) from error
        return rows
    finally:
        workbook.close()


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_number(raw, unit: str) -> tuple[str, Decimal | None]:
    """A cell → (comparator, number). Numbers pass as they are; “6%左右” → (about, 6)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return "", None
    if isinstance(raw, bool):
        raise ValueError(_("“%(v)s”不是数字") % {"v": raw})
    if isinstance(raw, int):
        return "", Decimal(raw)
    if isinstance(raw, float):
        return "", Decimal(str(raw))  # via str: the number as Excel shows it, not binary noise
    text = str(raw).strip().replace(",", "").replace("，", "").replace(" ", "")
    comparator = ""
    for words, found in COMPARATOR_WORDS:
        for word in words:
            if word in text:
                comparator = found
                text = text.replace(word, "")
        if comparator:
            break
    for word in ("增长", "达到", "达"):
        text = text.replace(word, "")
    for suffix in filter(None, {unit, "%", "％"}):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    try:
        number = parse_money(text, places=None)
    except MoneyError as error:
        raise ValueError(
            _("“%(v)s”不是数字（请按指标单位“%(unit)s”填写数值）") % {"v": _text(raw), "unit": unit}
        ) from error
    if not number.is_finite():
        raise ValueError(_("“%(v)s”不是数字") % {"v": _text(raw)})
    return comparator, number


# --------------------------------------------------------------------------------------------
# The sheet
# --------------------------------------------------------------------------------------------


def parse_workbook(fileobj: IO[bytes], user) -> ImportPreview:
    """Check every row of the sheet and say what it would save; writes nothing.

    `user` None is the system (management command): every region is allowed.
    """
    preview = ImportPreview()
    try:
        lines = read_rows(fileobj)
    except SheetRefused as refused:
        preview.errors = list(refused.messages)
        return preview
    if not lines:
        preview.errors = [_("表格是空的。")]
        return preview
    header_line, header_cells = lines[0]
    columns: dict[str, int] = {}
    for position, cell in enumerate(header_cells):
        key = COLUMNS.get(_text(cell.value).replace(" ", ""))
        if key and key not in columns:
            columns[key] = position
    missing = [LABELS[k] for k in ("indicator", "year") if k not in columns]
    if "region" not in columns and "code" not in columns:
        missing.insert(0, _("地区 或 行政区划代码"))
    if "target" not in columns and "actual" not in columns:
        missing.append(_("预期目标 或 实际值"))
    if missing:
        preview.errors = [
            _("第 %(n)d 行（表头）缺少列：%(cols)s。") % {"n": header_line, "cols": "、".join(missing)}
        ]
        return preview
    body = lines[1:]
    if not body:
        preview.errors = [_("表格只有表头，没有数据行。")]
        return preview

    def raw(cells, key):
        position = columns.get(key)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    # Look-ups in bulk: a fixed number of queries whatever the sheet's length.
    codes, names, indicator_names, sources = set(), set(), set(), set()
    for _line, cells in body:
        for key, bucket in (
            ("code", codes),
            ("region", names),
            ("indicator", indicator_names),
            ("source", sources),
        ):
            cell = raw(cells, key)
            if cell is not None and cell.data_type != "f":
                value = _text(cell.value)
                if value:
                    bucket.add(value)
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)} if codes else {}
    by_name: dict[str, list[Region]] = {}
    for region in Region.objects.filter(name__in=names) if names else []:
        by_name.setdefault(region.name, []).append(region)
    indicators = {d.name: d for d in IndicatorDefinition.objects.filter(name__in=indicator_names)}
    documents: dict[str, PolicyDocument] = {}
    if sources:
        visible = PolicyDocument.objects.all() if user is None else PolicyDocument.objects.visible_to(user)
        for doc in visible.filter(Q(doc_number__in=sources) | Q(title__in=sources)):
            documents.setdefault(doc.doc_number, doc)
            documents.setdefault(doc.title, doc)
    allowed = None if user is None else set(manageable_regions(user).values_list("pk", flat=True))
    if user is not None and not allowed:
        preview.errors = [_("您没有权限导入指标：只有结对的联络员可以填报其两侧地区的指标。")]
        return preview

    seen: dict[tuple[int, int, int], int] = {}
    errors = preview.errors
    for line, cells in body:

        def err(key: str, message: str, line=line) -> None:
            errors.append(
                _("第 %(n)d 行，%(col)s：%(msg)s") % {"n": line, "col": LABELS[key], "msg": message}
            )

        before = len(errors)
        formula = [k for k in columns if (c := raw(cells, k)) is not None and c.data_type == "f"]
        for key in formula:
            err(key, _("不接受公式，请填写数值或文字"))
        if formula:
            continue

        region = None
        code = _text(raw(cells, "code").value) if raw(cells, "code") is not None else ""
        name = _text(raw(cells, "region").value) if raw(cells, "region") is not None else ""
        if code:
            region = by_code.get(code)
            if region is None:
                err("code", _("找不到行政区划代码“%(v)s”") % {"v": code})
            elif name and name != region.name:
                err(
                    "region",
                    _("“%(v)s”与行政区划代码 %(code)s（%(name)s）不符")
                    % {"v": name, "code": code, "name": region.name},
                )
        elif name:
            found = by_name.get(name, [])
            if not found:
                err("region", _("找不到地区“%(v)s”") % {"v": name})
            elif len(found) > 1:
                err("region", _("有多个名为“%(v)s”的地区，请填写行政区划代码") % {"v": name})
            else:
                region = found[0]
        else:
            err("region", _("必填"))
        if region is not None and allowed is not None and region.pk not in allowed:
            err("region", _("您没有权限填报“%(v)s”的指标") % {"v": region.name})

        indicator = None
        indicator_name = _text(raw(cells, "indicator").value) if raw(cells, "indicator") is not None else ""
        if not indicator_name:
            err("indicator", _("必填"))
        else:
            indicator = indicators.get(indicator_name)
            if indicator is None:
                err(
                    "indicator",
                    _("找不到指标“%(v)s”（指标须先在管理后台的“指标定义”中建立）") % {"v": indicator_name},
                )

        year = None
        year_raw = raw(cells, "year").value if raw(cells, "year") is not None else None
        year_text = _text(year_raw).removesuffix("年")
        if not year_text:
            err("year", _("必填"))
        elif isinstance(year_raw, bool) or not year_text.isdigit() or not (1949 <= int(year_text) <= 2100):
            err("year", _("“%(v)s”不是有效的年份") % {"v": _text(year_raw)})
        else:
            year = int(year_text)

        unit = indicator.unit if indicator else ""
        values: dict = {}
        before_numbers = len(errors)
        for key in ("target", "actual"):
            cell = raw(cells, key)
            try:
                comparator, number = parse_number(cell.value if cell is not None else None, unit)
            except ValueError as problem:
                err(key, str(problem))
                continue
            explicit = raw(cells, f"{key}_comparator")
            if explicit is not None and _text(explicit.value):
                word = _text(explicit.value)
                if word not in COMPARATOR_NAMES:
                    err(f"{key}_comparator", _("“%(v)s”无法识别，请填写 =、≈、≥ 或 ≤") % {"v": word})
                    continue
                comparator = COMPARATOR_NAMES[word]
            if number is None and comparator:
                err(key, _("填写了口径但没有数值"))
                continue
            values[f"{key}_value"] = number
            values[f"{key}_comparator"] = comparator
            if number is not None and abs(number) >= Decimal("1e12"):
                err(key, _("数值过大，请核对单位"))
        if len(errors) == before_numbers:
            if values.get("target_value") is None and values.get("actual_value") is None:
                err("actual", _("预期目标和实际值至少填写一项"))

        estimate = raw(cells, "estimate")
        if estimate is not None:
            word = _text(estimate.value)
            if word in YES:
                values["actual_is_estimate"] = True
            elif word in NO:
                values["actual_is_estimate"] = False
            else:
                err("estimate", _("请填写“是”或“否”"))
        source = raw(cells, "source")
        if source is not None and _text(source.value):
            document = documents.get(_text(source.value))
            if document is None:
                err("source", _("找不到文件“%(v)s”（请填写文号或标题）") % {"v": _text(source.value)})
            else:
                values["source_document"] = document
        source_text = raw(cells, "source_text")
        if source_text is not None and _text(source_text.value):
            values["source_text"] = _text(source_text.value)

        if region is not None and indicator is not None and year is not None:
            key = (region.pk, indicator.pk, year)
            if key in seen:
                err("indicator", _("与第 %(m)d 行重复（同一地区、指标、年份）") % {"m": seen[key]})
            else:
                seen[key] = line
        if len(errors) == before:
            preview.rows.append(ParsedRow(line, region, indicator, year, values))

    if not errors:
        existing = set(
            RegionIndicator.objects.filter(
                region_id__in={r.region.pk for r in preview.rows}, year__in={r.year for r in preview.rows}
            ).values_list("region_id", "indicator_id", "year")
        )
        for row in preview.rows:
            row.existing = (row.region.pk, row.indicator.pk, row.year) in existing
        preview.updated = sum(r.existing for r in preview.rows)
        preview.created = len(preview.rows) - preview.updated
    return preview


def import_workbook(fileobj: IO[bytes], user, *, dry_run: bool = False) -> ImportPreview:
    """Check the sheet and, unless `dry_run` or any row is wrong, save every row in one transaction.

    Called alike by the upload page (after its preview) and `manage.py import_indicators`.
    """
    preview = parse_workbook(fileobj, user)
    if not preview.ok or dry_run:
        return preview
    try:
        with transaction.atomic():
            for row in preview.rows:
                record_figure(user, region=row.region, indicator=row.indicator, year=row.year, **row.values)
    except (ValidationError, PermissionDenied) as problem:
        messages = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        preview.errors = [_("导入失败，未做任何修改：%(msg)s") % {"msg": "；".join(messages)}]
        return preview
    preview.applied = True
    return preview


def row_display(row: ParsedRow) -> dict:
    """A preview line for the page: readable values."""
    signs = {"": "", "eq": "", "about": "≈", "gte": "≥", "lte": "≤"}

    def shown(key):
        value = row.values.get(f"{key}_value")
        if value is None:
            return "—"
        return f"{signs.get(row.values.get(f'{key}_comparator', ''), '')}{value.normalize():f}"

    return {
        "line": row.line,
        "region": row.region.name,
        "indicator": row.indicator.name,
        "unit": row.indicator.unit,
        "year": row.year,
        "target": shown("target"),
        "actual": shown("actual"),
        "source": str(row.values["source_document"]) if row.values.get("source_document") else "",
        "existing": row.existing,
    }
