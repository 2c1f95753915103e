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
* Which quantities are targets: money (元) and percentages always; any other unit only with a
  comparator or after a target verb in the same clause (完成, 实现, 达到, 举办, 召开, 开展, 组织,
  培训, 安排, 建立, 建成, 新增, 引进, 达成, 选派 …): "每年共同举办一次文体旅活动" → "=" 1 次,
  but "五个经济发达的区" or "5 个生态旅游文化产业园" are not targets.
* Not quantities: years and durations (年, 个月, 天), ordinals ("第3"), numbers inside 《书名》
  and 文号 "〔2018〕23 号", idioms with 一 ("一批", "一体化").
* Yearly when the sentence before the number says 每年 / 年均 / 年平均 / 每年度:
  "全市每年实现…到位资金不少于 40 亿元，其中…占 65%" → both yearly.
* ``text`` is the clause the quantity stands in, so a person sees what is counted.
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
_GE_BEFORE = re.compile(r"(不少于|不低于|至少|超过|多于|高于|大于|达到?|不少)\s*$")
_LE_BEFORE = re.compile(r"(不超过|不高于|最多|控制在|(?<!不)低于|(?<!不)少于|不多于)\s*$")
_GE_AFTER = re.compile(r"^\s*(及以上|以上|多)")
_LE_AFTER = re.compile(r"^\s*(以内|以下|之内)")
_VERBS = re.compile(
    r"完成|实现|达到|达成|举办|召开|开展|组织|培训|安排|建立|建成|新增|引进|选派|落实|签约|培育|创建|"
    r"安置|转移|招引|突破|提高|增长|增加|帮扶|资助|投入|到位|占|达|办|接收|输送|互访"
)
_YEARLY = re.compile(r"每年度|每年|年均|年平均|每一年")
# Spans that hold numbers which are never targets: book titles and document numbers.
_SHIELD = re.compile(r"《[^》]*》|[〔\[［（(]\s*(?:19|20)\d{2}\s*[〕\]］）)]\s*\d+\s*号")
_NOT_AFTER = re.compile(r"^\s*(?:月|年|天|日|小时)")


def _value(num: str) -> Decimal | None:
    if num[0].isdigit():
        return Decimal(num.replace(",", ""))
    value = cn_to_int(num)
    return Decimal(value) if value is not None else None


def find_targets(text: str) -> list[Target]:
    """All quantified targets of ``text``, in order.

    >>> [(t.comparator, t.value, t.unit, t.yearly) for t in find_targets("全市每年实现到位资金不少于 40 亿元")]
    [('>=', Decimal('4000000000'), '元', True)]
    """
    shielded = _SHIELD.sub(lambda m: "□" * len(m.group()), text)
    targets: list[Target] = []
    for m in _QUANTITY.finditer(shielded):
        num, unit, mag = m.group("num"), m.group("unit"), m.group("mag")
        start, end = m.span()
        before = shielded[max(0, start - 12) : start]
        after = shielded[end : end + 6]
        if before.endswith("第") or (unit in ("个", "期") and _NOT_AFTER.match(after)):
            continue
        if start > 0 and (shielded[start - 1].isdigit() or shielded[start - 1] == "."):
            continue
        chinese = not num[0].isdigit()
        value = _value(num)
        if value is None:
            continue
        if mag:
            value *= _MAGNITUDES[mag]
        if unit in ("%",) and mag:
            continue
        clause_start, clause_end = clause_bounds(shielded, start)
        lead = shielded[clause_start:start]
        comparator = "="
        # "不超过" ends with "超过": the ≤ words are checked first.
        if _LE_BEFORE.search(before) or _LE_AFTER.match(after):
            comparator = "<="
        elif _GE_BEFORE.search(before) or _GE_AFTER.match(after) or re.search(r"至少|不少于|不低于", lead):
            comparator = ">="
        if unit not in ("元", "%") and comparator == "=" and not _VERBS.search(lead):
            continue
        if chinese and comparator == "=" and not _VERBS.search(lead[-8:]):
            continue  # "一个更加完善的…" — a Chinese numeral needs its verb close by
        yearly = bool(_YEARLY.search(shielded[sentence_start(shielded, start) : start]))
        clause = text[clause_start:clause_end].strip()
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        targets.append(Target(text=clause, comparator=comparator, value=value, unit=unit, yearly=yearly))
    return targets
