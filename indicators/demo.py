"""Demo regional indicators, each with the sentence of the source document it was taken from.

002 (2024年晋江市人民政府工作报告): Jinjiang's 2024 results — “预计” figures, so they are marked
as estimates — and its expected targets for 2025. 003 (闽西南协同发展区发展规划): the zone's 2018
base and its targets for 2020 and 2025 (“2.6万亿元” and “3.64万亿元” stored in 亿元).
Youxi has no figures here: no seed gives them; liaison staff enter them.

Sentences are quoted as printed; the only change is that a line break the PDF conversion left in
the middle of a sentence (“分⏎别增长”) is closed up.
"""

from __future__ import annotations

from decimal import Decimal

from cooperation.models import Region
from indicators.services import ensure_standard_indicators, record_figure

ZONE = "闽西南协同发展区"

JJ_2024_GDP = (
    "预计地区生产总值增长7%以上，站上3500亿元新台阶，一般公共预算总收入、城乡居民人均可支配收入分别增长 1.7%、5.5%，"
    "县域经济与社会综合发展实力位居全国第三，县域经济基本竞争力保持全国第四。"
)
JJ_2024_INDUSTRY = (
    "承办全国民营经济高质量发展大会，用好用足各级一揽子增量政策，助力企业抢订单、拓市场、扩投资，"
    "规上工业增加值、限上批零销售额、固定资产投资分别增长 10.5%、17%、10%。"
)
JJ_2025_TARGETS = (
    "经济社会发展主要预期目标是：地区生产总值增长 6%左右，一般公共预算总收入增长 3%、本级收入增长 3%，"
    "规上工业增加值增长 7.5%，全社会固定资产投资增长 7.5%，城乡居民人均可支配收入增长 6.5%。"
)
MXN_2018 = (
    "闽西南协同发展区2018年常住人口2317万人、占全省58.8%，城镇化率67.1%，地区生产总值21954亿元、占全省61.3%，"
    "人均地区生产总值9.5万元，研究与试验发展（R＆D）经费投入强度1.73，三次产业结构为5.7：50.7：43.9，"
    "处于工业化、城镇化加快发展阶段。"
)
MXN_2020_URBAN = (
    "到2020年，重大交通基础设施实现快捷联通，网络化、集约型城镇空间格局基本形成，厦漳泉都市区辐射带动能力明显增强,"
    "常住人口城镇化率达68%以上；"
)
MXN_2020_GDP = "协同发展区整体经济实力明显增强，经济总量达2.6万亿元以上，区域内生发展动力进一步提升,现代化经济体系建设取得明显进展。"
MXN_2025_URBAN = "到2025年，人口经济集聚度进一步提升，城乡发展格局更加优化，常住人口城镇化率达72%左右；"
MXN_2025_GDP = (
    "区域协调发展新机制在推动区域协同、一体化发展中发挥积极作用，区域协同水平提高，军民融合深度发展格局形成，"
    "区域竞争力进入全国前列，经济总量达到3.64万亿元左右，现代化经济体系建设取得重要进展；"
)

D = Decimal
# (region, indicator, year, target (comparator, value) | None, actual (comparator, value) | None,
#  estimate, document key, sentence)
FIGURES = [
    ("晋江市", "地区生产总值", 2024, None, ("gte", D("3500")), True, "002", JJ_2024_GDP),
    ("晋江市", "地区生产总值增速", 2024, None, ("gte", D("7")), True, "002", JJ_2024_GDP),
    ("晋江市", "一般公共预算总收入增速", 2024, None, ("eq", D("1.7")), True, "002", JJ_2024_GDP),
    ("晋江市", "人均可支配收入增速", 2024, None, ("eq", D("5.5")), True, "002", JJ_2024_GDP),
    ("晋江市", "规上工业增加值增速", 2024, None, ("eq", D("10.5")), False, "002", JJ_2024_INDUSTRY),
    ("晋江市", "全社会固定资产投资增速", 2024, None, ("eq", D("10")), False, "002", JJ_2024_INDUSTRY),
    ("晋江市", "地区生产总值增速", 2025, ("about", D("6")), None, False, "002", JJ_2025_TARGETS),
    ("晋江市", "一般公共预算总收入增速", 2025, ("eq", D("3")), None, False, "002", JJ_2025_TARGETS),
    ("晋江市", "本级收入增速", 2025, ("eq", D("3")), None, False, "002", JJ_2025_TARGETS),
    ("晋江市", "规上工业增加值增速", 2025, ("eq", D("7.5")), None, False, "002", JJ_2025_TARGETS),
    ("晋江市", "全社会固定资产投资增速", 2025, ("eq", D("7.5")), None, False, "002", JJ_2025_TARGETS),
    ("晋江市", "人均可支配收入增速", 2025, ("eq", D("6.5")), None, False, "002", JJ_2025_TARGETS),
    (ZONE, "常住人口", 2018, None, ("eq", D("2317")), False, "003", MXN_2018),
    (ZONE, "城镇化率", 2018, None, ("eq", D("67.1")), False, "003", MXN_2018),
    (ZONE, "地区生产总值", 2018, None, ("eq", D("21954")), False, "003", MXN_2018),
    (ZONE, "人均地区生产总值", 2018, None, ("eq", D("95000")), False, "003", MXN_2018),
    (ZONE, "R&D投入强度", 2018, None, ("eq", D("1.73")), False, "003", MXN_2018),
    (ZONE, "城镇化率", 2020, ("gte", D("68")), None, False, "003", MXN_2020_URBAN),
    (ZONE, "地区生产总值", 2020, ("gte", D("26000")), None, False, "003", MXN_2020_GDP),
    (ZONE, "城镇化率", 2025, ("about", D("72")), None, False, "003", MXN_2025_URBAN),
    (ZONE, "地区生产总值", 2025, ("about", D("36400")), None, False, "003", MXN_2025_GDP),
]


def load(context: dict) -> dict:
    """Add the 闽西南 zone (under 福建省) and the figures of seeds 002 and 003; safe to run again."""
    regions = dict(context["regions"])
    fujian = regions["福建省"]
    zone = Region.objects.filter(name=ZONE, level=Region.Level.ZONE).first()
    if zone is None:
        zone = Region(name=ZONE, level=Region.Level.ZONE, parent=fujian)
        zone.save()
    regions[ZONE] = zone
    definitions = ensure_standard_indicators()
    documents = context["documents"]
    figures = []
    for region, indicator, year, target, actual, estimate, doc, sentence in FIGURES:
        values = {
            "target_comparator": target[0] if target else "",
            "target_value": target[1] if target else None,
            "actual_comparator": actual[0] if actual else "",
            "actual_value": actual[1] if actual else None,
            "actual_is_estimate": estimate,
            "source_document": documents[doc],
            "source_text": sentence,
        }
        # user None: written as the system; an unchanged figure is not saved again (no history row).
        figures.append(
            record_figure(None, region=regions[region], indicator=definitions[indicator], year=year, **values)
        )
    return {"regions": regions, "indicator_figures": figures}
