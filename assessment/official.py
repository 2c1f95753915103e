"""The official table (考核情况表) and the ranking (排名) of the assessment workbook.

The official table is what an office prints, signs, stamps and sends: per pairing a section with
its title (“2025年度晋江市—尤溪县山海协作工作考核情况表”), 填报单位 (the pairing's liaison units),
填报日期 (the export day), 统计截至 (the cut-off) and the scheme; then for each side the scheme's
items — 序号 / 考核项目 / 考核内容 / 分值 / 评分标准 / 自评分 / 得分 / 备注 — and a 合计 row
(earned ÷ applicable weight × full marks, numerator and denominator in 备注); then the signature
lines. 自评分 is the score computed here; 得分 is left empty for the assessing office. Sections of a
multi-pairing export follow each other, each on a new page.

The ranking orders each side's scores (支援方 among 支援方, 受援方 among 受援方): ties share a
rank (1, 1, 3), 不适用 is listed below, unranked. Grades: the scheme's bands (`AssessmentGrade`),
else 好 ≥ 90, 较好 ≥ 75, 一般 ≥ 60, else 差.

The 评分标准 sheet prints the scheme: its items with points, rules and what they assess, how the
total is computed, and the grade bands.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from assessment.models import AssessmentAdjustment, AssessmentScheme, AssessmentSection
from assessment.scoring import (
    SIDES,
    Facts,
    adjustment_points,
    adjustments_total,
    applicable_weight,
    base_score,
    section_applies,
    section_detail,
    section_score,
    side_label,
    total_score,
)
from cooperation.models import Pairing
from core.excel import (
    HEADER_COLOR,
    LINE_HEIGHT,
    ROW_PADDING,
    TITLE_FONT,
    Column,
    Exporter,
    SafeWriter,
    page_setup,
    row_height,
)

ZERO = Decimal("0")

# (threshold, grade), highest first: a score at or above the threshold gets the grade.
DEFAULT_GRADES = [
    (Decimal("90"), _l("好")),
    (Decimal("75"), _l("较好")),
    (Decimal("60"), _l("一般")),
    (ZERO, _l("差")),
]

CONTENT = {
    AssessmentSection.Rule.TASKS_ON_TIME: _l("本年度到期的重点任务（以进展报告考核的）是否按时完成"),
    AssessmentSection.Rule.TARGETS_MET: _l("重点任务的量化指标是否达到目标值"),
    AssessmentSection.Rule.FUNDS_ON_TIME: _l("帮扶资金是否按时足额拨付、到账，资金使用项目清单是否按时报送"),
    AssessmentSection.Rule.ACTIVITIES_MINIMUMS: _l("交流活动是否达到规定的年度最低次数"),
    AssessmentSection.Rule.URGING: _l("催办单签收、反馈情况，是否被提请督办"),
    AssessmentSection.Rule.PARKS_COMPLETION: _l("共建园区年度投资计划完成情况"),
}

# 序号 / 考核项目 / 考核内容 / 分值 / 评分标准 / 自评分 / 得分 / 备注: one A4 portrait page wide.
OFFICIAL_COLUMNS = [
    Column(_l("序号"), 4),
    Column(_l("考核项目"), 11),
    Column(_l("考核内容"), 19),
    Column(_l("分值"), 6, "score"),
    Column(_l("评分标准"), 17),
    Column(_l("自评分"), 7, "score"),
    Column(_l("得分"), 6, "score"),
    Column(_l("备注"), 14),
]


def official_title(year: int, pairing: Pairing) -> str:
    name = f"{pairing.coastal_region.name}—{pairing.mountain_region.name}"
    return _("%(year)d年度%(name)s山海协作工作考核情况表") % {"year": year, "name": name}


def criterion(section: AssessmentSection) -> str:
    if section.rule == AssessmentSection.Rule.URGING:
        return _("满分 %(w)s 分，每次提请督办扣 %(d)s 分，扣完为止") % {
            "w": f"{section.weight.normalize():f}",
            "d": f"{section.deduction.normalize():f}",
        }
    return str(section.get_rule_display())


def adjustment_criterion(item: AssessmentAdjustment) -> str:
    """评分标准 of a bonus or deduction item: “每次加 2 分，最多加 4 分”."""
    verb = _("加") if item.kind == AssessmentAdjustment.Kind.BONUS else _("扣")
    return _("每次%(verb)s %(p)s 分，最多%(verb)s %(cap)s 分") % {
        "verb": verb,
        "p": f"{item.points.normalize():f}",
        "cap": f"{item.cap.normalize():f}",
    }


def liaison_units(pairing: Pairing) -> str:
    units = [u.name for u in (pairing.coastal_liaison, pairing.mountain_liaison) if u is not None]
    return "、".join(dict.fromkeys(units))


def write_official(
    workbook,
    pairings: list[Pairing],
    scheme: AssessmentScheme,
    facts: dict[tuple[int, str], Facts],
    year: int,
    as_of: datetime.date,
    today: datetime.date,
    sheet=None,
) -> None:
    """The 考核情况表 sheet (a new one, or `sheet` added beforehand to keep it first): one section
    per pairing, a page break before each but the first."""
    if sheet is None:
        sheet = workbook.add_worksheet(str(_("考核情况表")))
    writer = SafeWriter(workbook, sheet)
    sections = list(scheme.sections.all())
    items = list(scheme.adjustments.all())
    columns = OFFICIAL_COLUMNS
    widths = [c.width for c in columns]
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    page_setup(sheet, widths, orientation="portrait")
    last = len(columns) - 1
    full = sum((s.weight for s in sections), ZERO)
    plain = (("border", 0), ("text_wrap", True), ("valign", "vcenter"))
    title_style = (("bold", True), ("font_name", TITLE_FONT), ("font_size", 16), ("align", "center"), *plain)
    header_style = (
        ("bg_color", HEADER_COLOR),
        ("align", "center"),
        ("valign", "vcenter"),
        ("text_wrap", True),
    )
    center = (("align", "center"),)

    def line(row: int, text: str, first: int, end: int, extra=plain, height: float | None = None) -> None:
        """`text` merged over columns `first`..`end` of `row` (with the row's height, if given)."""
        if height is not None:
            sheet.set_row(row, height)
        if end > first:
            sheet.merge_range(row, first, row, end, "", writer.style(extra=extra))
        writer.text(row, first, text, extra=extra)

    row = 0
    breaks = []
    units = {
        p.pk: p
        for p in Pairing.objects.filter(pk__in=[p.pk for p in pairings]).select_related(
            "coastal_liaison", "mountain_liaison"
        )
    }
    for number, pairing in enumerate(pairings):
        if number:
            breaks.append(row)
        title = official_title(year, pairing)
        line(row, title, 0, last, title_style, row_height([(title, sum(widths))], size=16))
        row += 1
        unit_text = _("填报单位（盖章）：%(units)s") % {"units": liaison_units(units[pairing.pk]) or ""}
        date_text = _("填报日期：%(date)s") % {"date": today.isoformat()}
        sheet.set_row(row, row_height([(unit_text, sum(widths[:5])), (date_text, sum(widths[5:]))]))
        line(row, unit_text, 0, 4)
        line(row, date_text, 5, last)
        row += 1
        cutoff = _("统计截至：%(date)s（天数按日历日计至该日）") % {"date": as_of.isoformat()}
        scheme_text = _("考核方案：%(name)s") % {"name": scheme.name}
        sheet.set_row(row, row_height([(cutoff, sum(widths[:5])), (scheme_text, sum(widths[5:]))]))
        line(row, cutoff, 0, 4)
        line(row, scheme_text, 5, last)
        row += 1
        sheet.set_row(row, row_height([(str(c.header), c.width) for c in columns]))
        for index, column in enumerate(columns):
            writer.text(row, index, str(column.header), bold=True, extra=header_style)
        row += 1
        for side_number, side in enumerate(SIDES, start=1):
            side_facts = facts[(pairing.pk, side)]
            region = pairing.coastal_region if side == "coastal" else pairing.mountain_region
            heading = f"{'一二'[side_number - 1]}、{side_label(side)}：{region.name}"
            line(row, heading, 0, last, (("bold", True), ("align", "left")), LINE_HEIGHT + ROW_PADDING)
            row += 1
            first_item = row
            for item, section in enumerate(sections, start=1):
                score = section_score(section, side_facts, sections)
                applies = section_applies(section, side_facts, sections)
                note = section_detail(section, side_facts, sections).split("：", 1)[-1]
                if side_facts.not_scored:
                    note = _("不适用（见合计）")
                cells = [
                    str(item),
                    section.name,
                    str(CONTENT.get(section.rule, "")),
                    section.weight,
                    criterion(section),
                    score if score is not None else str(_("不适用")),
                    None,
                    note if applies or side_facts.not_scored else _("无考核事项，不适用"),
                ]
                sheet.set_row(row, row_height([(v, w) for v, w in zip(cells, widths, strict=True)]))
                for index, (column, value) in enumerate(zip(columns, cells, strict=True)):
                    if isinstance(value, str) and column.kind != "text":  # 序号, 不适用: centred text
                        writer.text(row, index, value, wrap=True, extra=center)
                    elif index == 0:
                        writer.text(row, index, value, wrap=True, extra=center)
                    else:
                        writer.write(row, index, value, column.kind, wrap=True)
                row += 1
            last_item = row  # 1-based number of the last section's row
            # The scheme's bonus and deduction items (加分项 / 扣分项), each with its cap, added to 合计.
            adjustment_cells = []
            base = base_score(sections, side_facts)
            for item_number, adjustment in enumerate(items, start=len(sections) + 1):
                points = adjustment_points(adjustment, side_facts)
                reasons = "、".join(side_facts.adjusted_reasons.get(adjustment.pk, [])) or _("无")
                if side_facts.adjusted.get(adjustment.pk, ZERO) > adjustment.cap:
                    reasons += _("（按上限计）")
                cells = [
                    str(item_number),
                    _("%(kind)s项：%(name)s")
                    % {"kind": adjustment.get_kind_display(), "name": adjustment.name},
                    adjustment.criterion,
                    _("上限 %(cap)s") % {"cap": f"{adjustment.cap.normalize():f}"},
                    adjustment_criterion(adjustment),
                    points if base is not None else str(_("不适用")),
                    None,
                    reasons if base is not None else _("不适用（见合计）"),
                ]
                sheet.set_row(row, row_height([(v, w) for v, w in zip(cells, widths, strict=True)]))
                for index, (column, value) in enumerate(zip(columns, cells, strict=True)):
                    if isinstance(value, str) and (index in (0, 3) or column.kind != "text"):
                        writer.text(row, index, value, wrap=True, extra=center)
                    else:
                        writer.write(row, index, value, column.kind, wrap=True)
                adjustment_cells.append(f"+F{row + 1}")
                row += 1
            # 合计: 分值 the scheme's full marks; 自评分 earned ÷ applicable weight × full marks,
            # plus the bonus and minus the deduction items.
            weight = applicable_weight(sections, side_facts)
            total = total_score(sections, side_facts, items)
            earned = sum((section_score(s, side_facts, sections) or ZERO for s in sections), ZERO)
            d, f = "D", "F"  # the 分值 and 自评分 columns
            if total is None:
                note = (
                    _("不适用：无考核事项")
                    if not side_facts.not_scored
                    else _("不适用：%(reason)s") % {"reason": side_facts.not_scored}
                )
            else:
                note = _("得分 %(e)s ÷ 适用分值 %(w)s × %(f)s") % {
                    "e": f"{earned.normalize():f}",
                    "w": f"{weight.normalize():f}",
                    "f": f"{full.normalize():f}",
                }
                if items:
                    note += _("，加分 %(b)s，扣分 %(d)s") % {
                        "b": f"{adjustments_total(items, side_facts, AssessmentAdjustment.Kind.BONUS).normalize():f}",
                        "d": f"{-adjustments_total(items, side_facts, AssessmentAdjustment.Kind.DEDUCTION).normalize():f}",
                    }
            sheet.set_row(row, row_height([(note, widths[7])]))
            writer.text(row, 0, "", wrap=True)
            writer.text(row, 1, str(_("合计")), bold=True, extra=center)
            writer.write(row, 2, None)
            writer.formula(row, 3, f"=SUM({d}{first_item + 1}:{d}{last_item})", full, "score", bold=True)
            writer.write(row, 4, None)
            added = "".join(adjustment_cells)
            if total is None:
                writer.text(row, 5, str(_("不适用")), bold=True, extra=center)
            elif weight == full:
                expression = f"=SUM({f}{first_item + 1}:{f}{last_item}){added}"
                writer.formula(row, 5, expression, total, "score", bold=True)
            else:
                expression = (
                    f"=ROUND(SUM({f}{first_item + 1}:{f}{last_item})/{weight.normalize():f}*{full.normalize():f},2)"
                    f"{added}"
                )
                writer.formula(row, 5, expression, total, "score", bold=True)
            writer.write(row, 6, None)
            writer.text(row, 7, note, wrap=True)
            row += 1
        row += 1  # a blank line before the signatures
        signatures = _("负责人：　　　　　填表人：　　　　　联系电话：")
        line(row, signatures, 0, 4, plain, 2 * LINE_HEIGHT + ROW_PADDING)
        line(row, _("（盖章）"), 5, last, (*plain, ("align", "center")))
        row += 2
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    if len(pairings) == 1:
        sheet.repeat_rows(3, 3)  # the column header, should the section run over a page


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None: 不适用, unranked
    key: object
    score: Decimal | None


def rank(entries: list[tuple[object, Decimal | None]]) -> list[Ranked]:
    """Competition ranking, highest first: equal scores share a rank and the next rank skips
    (1, 1, 3); entries without a score (不适用) come last, unranked, in their given order."""
    scored = sorted((e for e in entries if e[1] is not None), key=lambda e: -e[1])
    result = []
    for position, (key, score) in enumerate(scored):
        shared = result[-1].rank if result and result[-1].score == score else position + 1
        result.append(Ranked(shared, key, score))
    return result + [Ranked(None, key, None) for key, score in entries if score is None]


def grade_bands(scheme: AssessmentScheme) -> list[tuple[Decimal, str]]:
    """The scheme's grade bands, highest first; the default bands when it has none."""
    bands = [(g.threshold, g.name) for g in scheme.grades.all()]
    return sorted(bands, key=lambda band: -band[0]) if bands else [(t, str(n)) for t, n in DEFAULT_GRADES]


def grade(score: Decimal | None, bands=DEFAULT_GRADES) -> str:
    if score is None:
        return ""
    for threshold, name in bands:
        if score >= threshold:
            return str(name)
    return str(bands[-1][1])


class RankingSheet(Exporter):
    """排名: each side's totals ranked with their grade (only in a multi-pairing export)."""

    title = _l("排名")
    orientation = "portrait"
    columns = [
        Column(_l("方"), 7),
        Column(_l("名次"), 6, "int"),
        Column(_l("结对"), 20, wrap=True),
        Column(_l("地区"), 10),
        Column(_l("总分"), 7, "score"),
        Column(_l("等次"), 5),
        Column(_l("说明"), 20, wrap=True),
    ]

    def __init__(self, pairings: list[Pairing], scheme: AssessmentScheme, facts: dict) -> None:
        self.pairings = pairings
        self.sections = list(scheme.sections.all())
        self.items = list(scheme.adjustments.all())
        self.bands = grade_bands(scheme)
        self.facts = facts

    def rows(self):
        for side in SIDES:
            entries = [
                (p, total_score(self.sections, self.facts[(p.pk, side)], self.items)) for p in self.pairings
            ]
            for ranked in rank(entries):
                pairing = ranked.key
                region = pairing.coastal_region if side == "coastal" else pairing.mountain_region
                facts = self.facts[(pairing.pk, side)]
                note = ""
                if ranked.rank is None:
                    note = _("不适用，不参与排名：%(reason)s") % {
                        "reason": facts.not_scored or _("无考核事项")
                    }
                yield [
                    side_label(side),
                    ranked.rank,
                    pairing.name,
                    region.name,
                    ranked.score if ranked.score is not None else str(_("不适用")),
                    grade(ranked.score, self.bands),
                    note,
                ]


class SchemeSheet(Exporter):
    """评分标准: the scheme as it scores this workbook — items, points, rules, the total, the grade bands."""

    title = _l("评分标准")
    orientation = "portrait"
    numbered = True
    columns = [
        Column(_l("类别"), 8),
        Column(_l("名称"), 14, wrap=True),
        Column(_l("分值 / 分数线"), 9),
        Column(_l("评分标准"), 26, wrap=True),
        Column(_l("考核内容"), 22, wrap=True),
    ]

    def __init__(self, scheme: AssessmentScheme) -> None:
        self.scheme = scheme

    def rows(self):
        sections = list(self.scheme.sections.all())
        full = sum((s.weight for s in sections), ZERO)
        for section in sections:
            yield [
                _("考核项目"),
                section.name,
                _("%(w)s 分") % {"w": f"{section.weight.normalize():f}"},
                criterion(section),
                str(CONTENT.get(section.rule, "")),
            ]
        items = list(self.scheme.adjustments.all())
        for item in items:
            yield [
                _("%(kind)s项") % {"kind": item.get_kind_display()},
                item.name,
                _("上限 %(cap)s 分") % {"cap": f"{item.cap.normalize():f}"},
                adjustment_criterion(item),
                item.criterion,
            ]
        rule = _(
            "总分 = 各适用项目得分之和 ÷ 适用项目分值之和 × %(f)s；无考核事项的项目为不适用，不计入分母"
        ) % {"f": f"{full.normalize():f}"}
        if items:
            rule += _("；再加各加分项、减各扣分项（每项不超过其上限），由考核单位录入")
        yield [
            _("总分"),
            _("满分"),
            _("%(w)s 分") % {"w": f"{full.normalize():f}"},
            rule,
            _("每个结对的支援方、受援方分别计分"),
        ]
        bands = grade_bands(self.scheme)
        for index, (threshold, name) in enumerate(bands):
            last = index == len(bands) - 1
            yield [
                _("等次"),
                name,
                _("≥ %(t)s 分") % {"t": f"{threshold.normalize():f}"}
                if not (last and not threshold)
                else _("其余"),
                _("总分达到 %(t)s 分") % {"t": f"{threshold.normalize():f}"}
                if not (last and not threshold)
                else _("总分低于以上各等次"),
                "",
            ]
        years = (
            f"{self.scheme.year_from or ''}—{self.scheme.year_to or ''}"
            if self.scheme.year_from or self.scheme.year_to
            else _("默认方案（无专门方案的年度）")
        )
        yield [
            _("方案"),
            self.scheme.name,
            "",
            _("适用年度：%(years)s") % {"years": years},
            self.scheme.notes,
        ]
