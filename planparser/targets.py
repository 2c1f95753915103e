"""Quantified targets (量化指标): comparator, value in base units, unit, yearly or not.

Rules, each with an example:

* A quantity is a number (Arabic, decimal, "1,200", or Chinese 一二两三…十百千) with an
  optional magnitude (万, 亿, 万亿, 千万, 百万) and a unit from the genre's list: 元, %, 人次,
  个, 次, 家, 项, 名, 所, 场, 户, 亩, 平方公里, 公里, 吨 … "1200万元" → 12000000 元; "40 亿元" →
  4000000000 元; "2.6万亿元" → 2600000000000 元; "2.6万人次" → 26000 人次; "65%" → 65 %
  (percent points, not 0.65).
* Comparator ">=" for 不少于 / 不低于 / 至少 / 超过 / 多于 / 达到 / 达 / 不少 (a slip for 不少于)
  before the number or 以上 / 及以上 / 多 after it; "<=" for 不超过 / 不高于 / 最多 / 控制在 before
  or 以内 / 以下 after; otherwise "=". "至少达成合作项目1个以上" → ">=" 1 个.
* A yearly count of events is a minimum: "每年共同举办一次文体旅活动" → ">=" 1 次 (a second
  event is not a failure).
* Which quantities are targets: money (元) and percentages always; any other unit only with a
  comparator or after a target verb in the same clause (完成, 实现, 达到, 举办, 召开, 开展, 组织,
  培训, 安排, 建立, 建成, 新增, 引进, 达成, 选派 …): "每年共同举办一次文体旅活动" → "=" 1 次,
  but "五个经济发达的区" or "5 个生态旅游文化产业园" are not targets.
* Not quantities: years and durations (年, 个月, 天), ordinals ("第3"), numbers inside 《书名》
  and 文号 "〔2018〕23 号", idioms with 一 ("一批", "一体化").
* Yearly when the sentence before the number says 每年 / 年均 / 年平均 / 每年度:
  "全市每年实现…到位资金不少于 40 亿元，其中…占 65%" → both yearly.
* ``text`` is the clause the quantity stands in, so a person sees what is counted.
* "左右" after the number (or "约" before it) is "≈", in every document: "增长 6%左右" → ≈ 6 %.
* A decrease keeps its sign: "下降 3%" / "降低 3%" / "减少 3%" → "<=" -3 % (a change of at
  most −3 %); "下降到 3%" is a level, not a change ("<=" 3 %).
* "分别" with one number, and "每个领域" after a list of fields, make one target per field:
  "教育、医疗领域每年分别开展不少于一次的交流活动" → 教育 ≥ 1 次 and 医疗 ≥ 1 次.
* Names and ordinals are not targets: numbers inside “quotes” (“31条惠台措施”, “千名干部进千企”),
  Chinese numerals before 届 or 大 ("二十大", "二十届三中全会"), "一件事", "八项规定", "三次分配",
  "第28次"; nor an amount that only describes a project ("超20亿元重大项目10个以上": 10 个 is
  the target, 20亿元 says which projects count).
* The year: a target carries the year the text names before it in the same paragraph ("到2020年
  …达68%以上；到2025年…72%左右" → 2020, 2025), else ``default_year`` (a heading's "2025年主要工作
  安排"); a yearly target has none.
"""

from __future__ import annotations

import re
from decimal import Decimal

from planparser.nodes import Target
from planparser.text import clause_bounds, cn_to_int, sentence_start

_MAGNITUDES = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
}
# Longest first: "人次" before "人", "平方公里" before "公里", "个百分点" before "个".
_UNITS = (
    "平方公里",
    "平方米",
    "个百分点",
    "百分点",
    "千瓦时",
    "万千瓦",
    "千瓦",
    "兆瓦",
    "公里",
    "千米",
    "公顷",
    "人次",
    "标箱",
    "家次",
    "场次",
    "元",
    "%",
    "个",
    "次",
    "家",
    "项",
    "名",
    "所",
    "场",
    "户",
    "亩",
    "吨",
    "人",
    "座",
    "条",
    "套",
    "台",
    "处",
    "件",
    "篇",
    "张",
    "床",
    "辆",
    "村",
    "届",
    "期",
)
_NUMBER = r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_QUANTITY = re.compile(
    _NUMBER + r"\s*(?P<mag>万亿|千万|百万|亿|万)?\s*(?P<unit>" + "|".join(re.escape(u) for u in _UNITS) + r")"
)
_GE_BEFORE = re.compile(r"(不少于|不低于|至少|超过|多于|高于|大于|达到?|不少|超)\s*$")
_ABOUT_BEFORE = re.compile(r"(约|大约|大概)\s*$")
_ABOUT_AFTER = re.compile(r"^\s*(左右|上下)")
_DECREASE_BEFORE = re.compile(r"(下降|降低|减少|压减|压降|比降|降)\s*(?:了)?\s*$")
_LEVEL_AFTER_DECREASE = re.compile(r"(下降|降低|减少)\s*(到|至)\s*$")
_NAME_AFTER = re.compile(r"^(?:事|规定|分配|全会|中全会|大(?!于))")
_DESCRIBES_AFTER = re.compile(r"^\s*(?:的)?\s*(?:以上)?(?:重大|重点|大)?(?:项目|企业|产业项目)")
_QUOTED = re.compile(r"“[^”]{0,40}”|\"[^\"]{0,40}\"")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*(?:前|以前|底前))")
_FIELDS = re.compile(r"(?P<fields>[\u4e00-\u9fff]{2,4}(?:、[\u4e00-\u9fff]{2,4})+)等?(?:领域|方面|行业)")
_LE_BEFORE = re.compile(r"(不超过|不高于|最多|控制在|(?<!不)低于|(?<!不)少于|不多于)\s*$")
_GE_AFTER = re.compile(r"^\s*(及以上|以上|多)")
_LE_AFTER = re.compile(r"^\s*(以内|以下|之内)")
_VERBS = re.compile(
    r"完成|实现|达到|达成|举办|召开|开展|组织|培训|安排|建立|建成|新增|引进|选派|落实|签约|培育|创建|"
    r"安置|转移|招引|突破|提高|增长|增加|帮扶|资助|投入|到位|占|达|办|接收|输送|互访|打造|报批|现有"
)
_EVENT_UNITS = ("次", "场", "场次", "期", "批")
_YEARLY = re.compile(r"每年度|每年|年均|年平均|每一年")
# Spans that hold numbers which are never targets: book titles and document numbers.
_SHIELD = re.compile(r"《[^》]*》|[〔\[［（(]\s*(?:19|20)\d{2}\s*[〕\]］）)]\s*\d+\s*号")
_NOT_AFTER = re.compile(r"^\s*(?:月|年|天|日|小时)")


def _value(num: str) -> Decimal | None:
    if num[0].isdigit():
        return Decimal(num.replace(",", ""))
    value = cn_to_int(num)
    return Decimal(value) if value is not None else None


def find_targets(text: str, *, default_year: int | None = None) -> list[Target]:
    """All quantified targets of ``text``, in order.

    >>> [(t.comparator, t.value, t.unit, t.yearly) for t in find_targets("全市每年实现到位资金不少于 40 亿元")]
    [('>=', Decimal('4000000000'), '元', True)]
    """
    shielded = _SHIELD.sub(lambda m: "□" * len(m.group()), text)
    shielded = _QUOTED.sub(lambda m: "□" * len(m.group()), shielded)
    targets: list[Target] = []
    for m in _QUANTITY.finditer(shielded):
        num, unit, mag = m.group("num"), m.group("unit"), m.group("mag")
        start, end = m.span()
        before = shielded[max(0, start - 12) : start]
        after = shielded[end : end + 6]
        if before.endswith(("第", "按")) or (unit in ("个", "期") and _NOT_AFTER.match(after)):
            continue  # "第28次" is an ordinal; "各按100%纳入统计" a rule of counting
        if start > 0 and (shielded[start - 1].isdigit() or shielded[start - 1] == "."):
            continue
        chinese = not num[0].isdigit()
        if chinese and (unit == "届" or _NAME_AFTER.match(after)):
            continue  # "二十届三中全会", "一件事", "八项规定", "三次分配"
        value = _value(num)
        if value is None:
            continue
        if mag:
            value *= _MAGNITUDES[mag]
        if unit in ("%",) and mag:
            continue
        if unit == "元" and _DESCRIBES_AFTER.match(after):
            continue  # "超20亿元重大项目10个以上": the amount says which projects count
        clause_start, clause_end = clause_bounds(shielded, start)
        lead = shielded[clause_start:start]
        comparator = "="
        # "不超过" ends with "超过": the ≤ words are checked first.
        if _ABOUT_AFTER.match(after) or _ABOUT_BEFORE.search(before):
            comparator = "≈"
        elif _LE_BEFORE.search(before) or _LE_AFTER.match(after):
            comparator = "<="
        elif _GE_BEFORE.search(before) or _GE_AFTER.match(after) or re.search(r"至少|不少于|不低于", lead):
            comparator = ">="
        if unit not in ("元", "%") and comparator == "=" and not _VERBS.search(lead):
            continue
        if chinese and comparator == "=" and not _VERBS.search(lead[-8:]):
            continue  # "一个更加完善的…" — a Chinese numeral needs its verb close by
        if _DECREASE_BEFORE.search(before) and not _LEVEL_AFTER_DECREASE.search(before):
            value = -value
            if comparator in ("=", ">="):
                comparator = "<="
        sentence = sentence_start(shielded, start)
        yearly = bool(_YEARLY.search(shielded[sentence:start]))
        if yearly and comparator == "=" and unit in _EVENT_UNITS:
            comparator = ">="  # "每年共同举办一次文体旅活动": a yearly count of events is a minimum
        clause = text[clause_start:clause_end].strip()
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        year = None if yearly else _year_before(shielded, start, default_year)
        fields = _fields(shielded, sentence, start, clause_start)
        if fields:
            for name in fields:
                targets.append(
                    Target(
                        text=f"{name}：{clause}",
                        comparator=comparator,
                        value=value,
                        unit=unit,
                        yearly=yearly,
                        year=year,
                    )
                )
            continue
        targets.append(
            Target(text=clause, comparator=comparator, value=value, unit=unit, yearly=yearly, year=year)
        )
    return targets


def _year_before(text: str, pos: int, default: int | None) -> int | None:
    """The last year named before ``pos`` in the same paragraph ("到2025年，…72%左右" → 2025)."""
    paragraph = text.rfind("\n", 0, pos) + 1
    years = _YEAR.findall(text, paragraph, pos)
    return int(years[-1]) if years else default


def _fields(text: str, sentence: int, pos: int, clause_start: int) -> list[str]:
    """The fields of "教育、医疗领域每年分别…一次" or "在科技、医疗…等领域…每个领域至少…1个": one
    target each. Only when the clause holds this one number (not "分别增长 1.7%、5.5%")."""
    lead = text[sentence:pos]
    if "分别" not in lead and "每个领域" not in lead and "各领域" not in lead:
        return []
    clause_numbers = re.findall(
        r"\d+(?:\.\d+)?\s*%|\d+(?:\.\d+)?", text[clause_start : clause_bounds(text, pos)[1]]
    )
    if len(clause_numbers) > 1:
        return []
    found = list(_FIELDS.finditer(lead))
    if not found:
        return []
    names = found[-1].group("fields").split("、")
    names[0] = re.sub(r"^(在|对|于|和|围绕)", "", names[0])
    names[-1] = names[-1].removesuffix("等")
    return [n for n in names if len(n) >= 2]
