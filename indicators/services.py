"""Regional indicators: entering figures (services) and reading them beside a pairing.

Writes go through `record_figure` / `save_region_year`, called alike by the entry page, the API
and the Excel import; each checks the user may enter figures for the region, validates, and
saves one by one so every change keeps its history row with the acting user.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.models import Pairing, PolicyDocument, Region
from core.history import as_actor
from indicators.models import IndicatorDefinition, RegionIndicator, format_number, manageable_regions

FIGURE_FIELDS = (
    "target_comparator",
    "target_value",
    "actual_comparator",
    "actual_value",
    "actual_is_estimate",
    "source_document",
    "source_text",
)


def denied_region_message(region: Region) -> str:
    return _("您没有权限填报“%(region)s”的指标：只有该地区所在结对的联络员可以填报。") % {
        "region": region.name
    }


def _blank(values: dict) -> bool:
    """A grid line with no number and no comparator: nothing to keep."""
    return not any(
        values.get(k) not in (None, "")
        for k in ("target_value", "actual_value", "target_comparator", "actual_comparator")
    )


# --------------------------------------------------------------------------------------------
# Services (state changes)
# --------------------------------------------------------------------------------------------

# (name, unit, nature, growth of, ordering): the indicators of the source documents. Migration
# 0002 installs a frozen copy on every new database; `ensure_standard_indicators` restores any
# missing one (the demo calls it, so a flushed test database gets them back).
STANDARD_INDICATORS = [
    ("地区生产总值", "亿元", "amount", None, 10),
    ("地区生产总值增速", "%", "growth", "地区生产总值", 20),
    ("人均地区生产总值", "元", "amount", None, 30),
    ("一般公共预算总收入", "亿元", "amount", None, 40),
    ("一般公共预算总收入增速", "%", "growth", "一般公共预算总收入", 50),
    ("本级收入", "亿元", "amount", None, 60),
    ("本级收入增速", "%", "growth", "本级收入", 70),
    ("规上工业增加值增速", "%", "growth", None, 80),
    ("全社会固定资产投资增速", "%", "growth", None, 90),
    ("城乡居民人均可支配收入", "元", "amount", None, 100),
    ("人均可支配收入增速", "%", "growth", "城乡居民人均可支配收入", 110),
    ("常住人口", "万人", "amount", None, 120),
    ("城镇化率", "%", "rate", None, 130),
    ("R&D投入强度", "%", "rate", None, 140),
]


def ensure_standard_indicators() -> dict[str, IndicatorDefinition]:
    """Create the standard indicators that are missing (an admin's edits to existing ones stay)."""
    found = {d.name: d for d in IndicatorDefinition.objects.all()}
    for name, unit, nature, growth_of, ordering in STANDARD_INDICATORS:
        if name not in found:
            definition = IndicatorDefinition(
                name=name, unit=unit, nature=nature, ordering=ordering, growth_of=found.get(growth_of)
            )
            definition.save()
            found[name] = definition
    return found


def record_figure(
    user, *, region: Region, indicator: IndicatorDefinition, year: int, **values
) -> RegionIndicator:
    """Create or update one region's figure for an indicator and year, with the user in its history.

    `values` are the figure's fields (FIGURE_FIELDS); a field not given keeps its value.
    Raises PermissionDenied outside the user's regions and ValidationError on bad values.
    """
    if user is not None and not manageable_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(denied_region_message(region))
    unknown = set(values) - set(FIGURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown figure fields: {sorted(unknown)}")
    figure = RegionIndicator.objects.filter(region=region, indicator=indicator, year=year).first()
    if figure is None:
        figure = RegionIndicator(region=region, indicator=indicator, year=year)
    changed = figure.pk is None
    for name, value in values.items():
        if name in ("target_comparator", "actual_comparator", "source_text") and value is None:
            value = ""
        if getattr(figure, name) != value:
            setattr(figure, name, value)
            changed = True
    if not changed:
        return figure  # nothing new: no history row for an identical save
    figure.full_clean(validate_unique=False)
    if user is not None:
        as_actor(figure, user)
    figure.save()
    return figure


def delete_figure(user, figure: RegionIndicator) -> None:
    """Delete a figure (its history keeps who deleted it)."""
    if user is not None and not manageable_regions(user).filter(pk=figure.region_id).exists():
        raise PermissionDenied(denied_region_message(figure.region))
    if user is not None:
        as_actor(figure, user)
    figure.delete()


@dataclass
class RowInput:
    """One indicator's line of the region × year entry grid."""

    indicator: IndicatorDefinition
    values: dict


def save_region_year(
    user,
    *,
    region: Region,
    year: int,
    rows: Iterable[RowInput],
    source_document: PolicyDocument | None = None,
) -> tuple[int, int]:
    """Save the entry grid of one region and year, all or nothing; returns (saved, deleted).

    A line left without target and actual deletes the figure if there was one. The grid's
    document is the source of every line that names none.
    """
    if not manageable_regions(user).filter(pk=region.pk).exists():
        raise PermissionDenied(denied_region_message(region))
    saved = deleted = 0
    existing = {
        f.indicator_id: f
        for f in RegionIndicator.objects.filter(region=region, year=year).select_related("region")
    }
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for row in rows:
            values = dict(row.values)
            if _blank(values):
                if row.indicator.pk in existing:
                    delete_figure(user, existing[row.indicator.pk])
                    deleted += 1
                continue
            current = existing.get(row.indicator.pk)
            if (
                values.get("source_document") is None
                and source_document is not None
                and (current is None or current.source_document_id is None)
            ):
                # The grid's document is the source of new lines; a figure keeps the source it has.
                values["source_document"] = source_document
            try:
                record_figure(user, region=region, indicator=row.indicator, year=year, **values)
                saved += 1
            except ValidationError as error:
                errors[row.indicator.name] = [str(m) for m in error.messages]
        if errors:
            transaction.set_rollback(True)
            raise ValidationError([f"{name}：{'；'.join(msgs)}" for name, msgs in errors.items()])
    return saved, deleted


# --------------------------------------------------------------------------------------------
# Reading: the two sides of a pairing side by side
# --------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One side's figures of one indicator in one year."""

    figure: RegionIndicator | None = None
    growth: RegionIndicator | None = None
    computed_growth: Decimal | None = None  # from last year's value when no growth was entered


@dataclass
class YearRow:
    year: int
    coastal: Cell
    mountain: Cell
    ratio: Decimal | None = None  # mountain ÷ coastal, in % (amounts)
    gap: Decimal | None = None  # mountain − coastal, in percentage points (rates, growths)


@dataclass
class Block:
    indicator: IndicatorDefinition
    rows: list[YearRow] = field(default_factory=list)

    @property
    def is_amount(self) -> bool:
        return self.indicator.nature == IndicatorDefinition.Nature.AMOUNT


@dataclass
class Comparison:
    pairing: Pairing
    available_years: list[int]
    years: list[int]
    blocks: list[Block]

    @property
    def has_figures(self) -> bool:
        return bool(self.blocks)

    def chart(self) -> dict:
        """Chart data: the mountain-to-coast ratio (%) of each amount indicator, year by year."""
        datasets = []
        for block in self.blocks:
            if not block.is_amount:
                continue
            by_year = {row.year: row.ratio for row in block.rows}
            if not any(v is not None for v in by_year.values()):
                continue
            datasets.append(
                {
                    "label": block.indicator.name,
                    "data": [float(by_year[y]) if by_year.get(y) is not None else None for y in self.years],
                }
            )
        return {"labels": [str(y) for y in self.years], "datasets": datasets}


def _ratio(mountain: RegionIndicator | None, coastal: RegionIndicator | None) -> Decimal | None:
    if mountain is None or coastal is None:
        return None
    if mountain.actual_value is None or not coastal.actual_value:
        return None
    return (mountain.actual_value / coastal.actual_value * 100).quantize(Decimal("0.1"))


def _gap(mountain: RegionIndicator | None, coastal: RegionIndicator | None) -> Decimal | None:
    if mountain is None or coastal is None or mountain.actual_value is None or coastal.actual_value is None:
        return None
    return (mountain.actual_value - coastal.actual_value).quantize(Decimal("0.01")).normalize()


def pairing_comparison(pairing: Pairing, years: Iterable[int] | None = None) -> Comparison:
    """Both sides of `pairing`, indicator by indicator, for `years` (default: the pairing's years with figures).

    One query whatever the number of figures: the figures of both sides, with their
    definitions and documents.
    """
    sides = {pairing.coastal_region_id, pairing.mountain_region_id}
    figures = list(
        RegionIndicator.objects.filter(region_id__in=sides)
        .select_related("indicator", "source_document")
        .order_by("indicator__ordering", "indicator__name", "year")
    )
    available = sorted({f.year for f in figures})
    if years is not None:
        chosen = sorted(set(years) & set(available))
    else:
        last = max(available, default=pairing.start_year)
        in_pairing = [y for y in available if y in pairing.active_years(until=last)]
        chosen = in_pairing or available
    index = {(f.region_id, f.indicator_id, f.year): f for f in figures}
    definitions = {f.indicator_id: f.indicator for f in figures}
    # A growth entered against an amount is shown in that amount's block, not on its own.
    growth_for: dict[int, IndicatorDefinition] = {}
    for definition in definitions.values():
        if definition.growth_of_id and definition.growth_of_id in definitions:
            growth_for[definition.growth_of_id] = definition
    folded = {d.pk for d in growth_for.values()}

    def cell(region_id: int, definition: IndicatorDefinition, year: int) -> Cell:
        figure = index.get((region_id, definition.pk, year))
        growth_def = growth_for.get(definition.pk)
        growth = index.get((region_id, growth_def.pk, year)) if growth_def else None
        computed = None
        previous = index.get((region_id, definition.pk, year - 1))
        if (
            definition.nature == IndicatorDefinition.Nature.AMOUNT
            and (growth is None or growth.actual_value is None)
            and figure is not None
            and figure.actual_value is not None
            and previous is not None
            and previous.actual_value
        ):
            computed = ((figure.actual_value / previous.actual_value - 1) * 100).quantize(Decimal("0.1"))
        return Cell(figure, growth, computed)

    blocks = []
    for definition in sorted(definitions.values(), key=lambda d: (d.ordering, d.name)):
        if definition.pk in folded:
            continue
        block = Block(definition)
        for year in chosen:
            coastal = cell(pairing.coastal_region_id, definition, year)
            mountain = cell(pairing.mountain_region_id, definition, year)
            if not any([coastal.figure, coastal.growth, mountain.figure, mountain.growth]):
                continue
            row = YearRow(year, coastal, mountain)
            if block.is_amount:
                row.ratio = _ratio(mountain.figure, coastal.figure)
            else:
                row.gap = _gap(mountain.figure, coastal.figure)
            block.rows.append(row)
        if block.rows:
            blocks.append(block)
    return Comparison(pairing=pairing, available_years=available, years=chosen, blocks=blocks)


# --------------------------------------------------------------------------------------------
# The annual assessment workbook's sheet of figures (assessment/sheets.py)
# --------------------------------------------------------------------------------------------

ASSESSMENT_HEADER = [
    "结对",
    "方",
    "地区",
    "行政区划代码",
    "指标",
    "单位",
    "年份",
    "目标口径",
    "预期目标",
    "实际值口径",
    "实际值",
    "完成情况",
    "来源文件",
    "原文",
]


def assessment_rows(pairings: Iterable[Pairing], year: int) -> Iterator[list]:
    """Header, then one row per figure of `year` of each pairing's two sides (three queries).

    Numbers stay Decimal (the workbook writes them typed); text cells are plain strings for the
    workbook's safe writer. Sides without figures still get no row: the sheet lists what exists.
    """
    yield [_(h) for h in ASSESSMENT_HEADER]
    pairings = list(pairings)
    region_ids = {p.coastal_region_id for p in pairings} | {p.mountain_region_id for p in pairings}
    figures: dict[int, list[RegionIndicator]] = {}
    for figure in (
        RegionIndicator.objects.filter(region_id__in=region_ids, year=year)
        .select_related("region", "indicator", "source_document")
        .order_by("indicator__ordering", "indicator__name")
    ):
        figures.setdefault(figure.region_id, []).append(figure)
    signs = {"": "", "eq": "=", "about": "≈", "gte": "≥", "lte": "≤"}
    for pairing in pairings:
        for side, region_id in (
            (_("支援方"), pairing.coastal_region_id),
            (_("受援方"), pairing.mountain_region_id),
        ):
            for f in figures.get(region_id, []):
                yield [
                    pairing.name,
                    side,
                    f.region.name,
                    f.region.code,
                    f.indicator.name,
                    f.indicator.unit,
                    f.year,
                    signs.get(f.target_comparator, ""),
                    f.target_value.normalize() if f.target_value is not None else None,
                    signs.get(f.actual_comparator, ""),
                    f.actual_value.normalize() if f.actual_value is not None else None,
                    str(f.status_display) if f.status != "open" else "",
                    str(f.source_document) if f.source_document else "",
                    f.source_text,
                ]


__all__ = [
    "ASSESSMENT_HEADER",
    "Comparison",
    "RowInput",
    "assessment_rows",
    "delete_figure",
    "format_number",
    "pairing_comparison",
    "record_figure",
    "save_region_year",
]
