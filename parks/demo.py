"""Demo data of parks and projects, from the source documents.

001 温政发〔2018〕26号 附件1 — the five 生态旅游文化产业园 with their core areas and 2018–2020 plans
(万元, exactly as printed) and the 鹿城—泰顺 "飞地" 总部经济园区 at 七都街道; 000 — the co-built
park of 晋江经济开发区 and 尤溪经济开发区; 003 专栏6 — all eleven 闽西南共建园区, each in the pairing
of its two partners, whose partners may each count 100% of its figures (the rule is 003's: it is
set on these parks, not on 000's); 004 — 贺兰山东麓葡萄酒产业园区, the one park of the 闽宁 opinions
named with its committee. The projects are demo entries in different stages.
Everything is looked up by its natural key first, so loading again changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from cooperation.demo import MINXINAN_PARKS, upsert
from parks.models import Park, ParkInvestmentPlan, Project, ProjectInvestment

ATTACHMENT_1 = "温政发〔2018〕26号 附件1"
YEARS = (2018, 2019, 2020)
MINXINAN_SHARE = (
    "双方可协议分享共建园区工业增加值、固定资产投资、招商引资等经济指标和税收收益；"
    "考核时允许共建双方将源自共建园区的相关指标各按100%纳入统计（闽西南协同发展区发展规划）。"
)

# 附件1, row by row: (序号, 产业园名称, 核心园区面积 km², then for 2018, 2019, 2020:
# 政府性 (项目数, 计划总投资, 计划完成数), 招商 (项目数, 计划总投资, 计划完成数)), in 万元.
WENZHOU_PLANS = [
    (1, "永嘉-瓯海", "3.5", [(2, 200000, 10000), (1, 10000, 5000), (10, 10000, 8000), (4, 20000, 15000), (11, 11000, 8800), (4, 22000, 16500)]),
    (2, "苍南-龙湾", "2.6", [(5, 29221, 2850), (1, 100000, 8000), (3, 10000, 3500), (1, 30000, 5000), (2, 8000, 3000), (2, 20000, 5000)]),
    (3, "文成-瑞安", "4.5", [(3, 14630, 5000), (5, 251700, 8000), (2, 20000, 8000), (8, 450000, 30000), (1, 15000, 10000), (9, 500000, 35000)]),
    (4, "泰顺-鹿城", "2.06", [(5, 29000, 3450), (1, 150000, 500), (16, 28750, 11900), (1, 10000, 2000), (11, 21200, 12000), (1, 10000, 2000)]),
    (5, "平阳-乐清", "1.48", [(8, 82980, 23144), (3, 9310, 2448), (11, 100757, 19750), (2, 37040, 4400), (12, 101857, 32511), (4, 74998, 16480)]),
]  # fmt: skip
WENZHOU_COASTAL = {"永嘉": "瓯海", "苍南": "龙湾", "文成": "瑞安", "泰顺": "鹿城", "平阳": "乐清"}
WENZHOU_COUNTY = {"永嘉": "永嘉县", "苍南": "苍南县", "文成": "文成县", "泰顺": "泰顺县", "平阳": "平阳县"}


def plan_lines(row: tuple) -> list[tuple[int, str, int, Decimal, Decimal]]:
    """(year, kind, project count, planned total, planned completion) of one 附件1 row."""
    _number, _name, _area, groups = row
    lines = []
    for index, (count, total, completion) in enumerate(groups):
        year = YEARS[index // 2]
        kind = "government" if index % 2 == 0 else "attracted"
        lines.append((year, kind, count, Decimal(total), Decimal(completion)))
    return lines


def load(context: dict) -> dict:
    """Load or refresh the parks demo; returns the parks by name."""
    regions, units, pairings, documents = (
        context["regions"],
        context["units"],
        context["pairings"],
        context["documents"],
    )
    parks: dict[str, Park] = {}
    for row in WENZHOU_PLANS:
        _n, short, area, _groups = row
        mountain = short.split("-")[0]
        county = WENZHOU_COUNTY[mountain]
        park = upsert(
            Park,
            {
                "pairing": pairings[f"wz_{county}"],
                "name": f"{mountain}—{WENZHOU_COASTAL[mountain]}生态旅游文化产业园",
            },
            {
                "short_name": short,
                "kind": Park.Kind.ECO_TOURISM,
                "region": regions[county],
                "core_area_km2": Decimal(area),
                "document": documents["001"],
                "notes": "2018年7月底前完成山海协作产业园管委会组建；合作双方以股份合作形式成立开发公司，"
                "首期到位注册资金不少于2亿元（温政发〔2018〕26号）。",
            },
        )
        parks[park.name] = park
        for year, kind, count, total, completion in plan_lines(row):
            upsert(
                ParkInvestmentPlan,
                {"park": park, "year": year, "kind": kind},
                {
                    "project_count": count,
                    "planned_total": total,
                    "planned_completion": completion,
                    "source": ATTACHMENT_1,
                },
            )

    enclave = upsert(
        Park,
        {"pairing": pairings["wz_泰顺县"], "name": "鹿城—泰顺“飞地”总部经济园区"},
        {
            "short_name": "七都山海协作总部经济园区",
            "kind": Park.Kind.ENCLAVE,
            "region": regions["七都街道"],
            "document": documents["001"],
            "notes": "位于鹿城区七都街道；力争2018年取得实质性进展，2020年前建成并投入使用。",
        },
    )
    parks[enclave.name] = enclave

    jy = pairings["jinjiang_youxi"]
    jy_park = upsert(
        Park,
        {"pairing": jy, "name": "晋江—尤溪共建产业园区"},
        {
            "short_name": "晋江经济开发区—尤溪经济开发区",
            "kind": Park.Kind.CO_BUILT,
            "region": regions["尤溪县"],
            "committee": units["尤溪经济开发区管委会"],
            "partner_committee": units["晋江经济开发区管委会"],
            "share_agreement": "推动两地要素指标优先共享，经两地共同认定，对两地的补充耕地、工业用地、林业用地、"
            "碳排放、排污和水权等要素指标，优先安排跨区域调剂周转（晋政文〔2024〕102号）。",
            # 000 says nothing of counting the park's figures twice: that rule is 003's.
            "counts_fully_for_both": False,
            "document": documents["000"],
            "notes": "晋江经济开发区与尤溪经济开发区共建；借力晋江鞋服和纺织产业优势，推动尤溪纺织产业转型。",
        },
    )
    parks[jy_park.name] = jy_park

    # 003 专栏6: the eleven co-built parks, each in the pairing of its partners (cooperation/demo.py).
    for name, coastal, mountain in MINXINAN_PARKS:
        park = upsert(
            Park,
            {"pairing": pairings[name], "name": name},
            {
                "kind": Park.Kind.MOUNTAIN_COAST,
                "region": regions[mountain],
                "counts_fully_for_both": True,
                "share_agreement": MINXINAN_SHARE,
                "document": documents["003"],
                "notes": f"闽西南协同发展区发展规划 专栏6 闽西南共建园区；共建双方：{coastal}、{mountain}。",
            },
        )
        parks[park.name] = park

    # 004: the park the 闽宁 opinions name with its committee (tasks 6 and 9).
    helan = upsert(
        Park,
        {"pairing": pairings["minning"], "name": "贺兰山东麓葡萄酒产业园区"},
        {
            "kind": Park.Kind.OTHER,
            "region": regions["宁夏回族自治区"],
            "document": documents["minning"],
            "notes": "闽扶协函〔2024〕8号 附件1：任务6“强化平台建设”、任务9“深化消费帮扶协作”的责任单位之一为"
            "贺兰山东麓葡萄酒产业园区管委会；同一任务6推动现有12个闽宁产业园细分定位、错位发展，"
            "任务4支持共建数字经济产业园（文件未写园区名称）。",
        },
    )
    parks[helan.name] = helan

    # Demo projects, one in each stage. (name, pairing, park, industry, enterprise, stage, dates,
    # total investment in yuan, hematopoietic, {year: investment in place})
    d = datetime.date
    projects = [
        ("尤溪纺织产业数字化车间项目", jy, jy_park, "纺织鞋服", "晋江某纺织企业（演示）", "producing",
         {"planned_on": d(2024, 3, 1), "signed_on": d(2024, 6, 20), "started_on": d(2024, 9, 1), "producing_on": d(2025, 6, 18)},
         "120000000", True, {2024: "30000000", 2025: "65000000"}),
        ("晋江鞋服配套产业链延伸项目", jy, jy_park, "纺织鞋服", "晋江某鞋服企业（演示）", "started",
         {"planned_on": d(2024, 10, 1), "signed_on": d(2025, 3, 15), "started_on": d(2025, 8, 8)},
         "80000000", True, {2025: "20000000"}),
        ("尤溪特色农产品深加工基地", jy, None, "农副产品深加工", "", "signed",
         {"planned_on": d(2025, 2, 1), "signed_on": d(2025, 9, 26)},
         "30000000", True, {}),
        ("晋江—尤溪跨境电商直播基地", jy, None, "电子商务", "", "planning",
         {"planned_on": d(2025, 11, 3)},
         None, False, {}),
        ("七都总部经济大楼", pairings["wz_泰顺县"], enclave, "总部经济", "", "completed",
         {"planned_on": d(2018, 3, 1), "signed_on": d(2018, 8, 1), "started_on": d(2018, 12, 1), "producing_on": d(2020, 10, 1), "completed_on": d(2020, 12, 20)},
         "150000000", False, {2018: "20000000", 2019: "80000000", 2020: "50000000"}),
    ]  # fmt: skip
    for name, pairing, park, industry, enterprise, stage, dates, total, hemato, invested in projects:
        project = upsert(
            Project,
            {"pairing": pairing, "name": name},
            {
                "park": park,
                "industry": industry,
                "enterprise": enterprise,
                "stage": stage,
                **dates,
                "total_investment": Decimal(total) if total else None,
                "hematopoietic": hemato,
                "notes": "演示数据",
            },
        )
        for year, amount in invested.items():
            upsert(ProjectInvestment, {"project": project, "year": year}, {"amount": Decimal(amount)})
    return {"parks": parks}
