"""Demo data of funds, from the source documents.

000 晋政文〔2024〕102号: 晋江市每年4月底前安排山海协作专项资金1200万元; 尤溪县每年3月底前制定协作资金使用
项目清单，以造血式产业类项目为主. 001 温政发〔2018〕26号: 年度帮扶资金在当年5月底前到位 (全市每年到位结对
帮扶援建资金不少于1000万元).

The payments, vouchers and project lines are demo entries (the documents give no such detail):
2024 paid in two parts on time, 2025 paid late (in full on 20 May, 20 days after 30 April),
2026 open. Everything is looked up by its natural key first, so loading again changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from cooperation.demo import DEMO_PASSWORD, WENZHOU_PAIRS, upsert
from cooperation.models import Role, User
from funds import services
from funds.models import ArrivalConfirmation, Disbursement, FundRule, FundUseProject
from tasks import services as task_services
from tasks.models import Task

JY_SOURCE = (
    "落实帮扶资金，晋江市每年4月底前安排山海协作专项资金1200万元，用于支持尤溪县项目建设和兜底救助性支出等，"
    "尤溪县每年3月底前制定协作资金使用项目清单，以造血式产业类项目为主。"
)
WZ_SOURCE = (
    "经济强市（区）要加大内对资金支援力度，确保“市域内对”帮扶资金不低于省外结对帮扶资金，"
    "年度帮扶资金在当年5月底前到位。"
)

# year → (use list submitted, [(date, amount, voucher)], [(date, amount)])
JY_YEARS = {
    2024: (
        datetime.date(2024, 3, 28),
        [
            (datetime.date(2024, 4, 15), Decimal("7000000"), "晋财拨〔2024〕0415号（演示）"),
            (datetime.date(2024, 4, 29), Decimal("5000000"), "晋财拨〔2024〕0429号（演示）"),
        ],
        [(datetime.date(2024, 4, 19), Decimal("7000000")), (datetime.date(2024, 5, 6), Decimal("5000000"))],
    ),
    2025: (
        datetime.date(2025, 4, 8),
        [
            (datetime.date(2025, 4, 28), Decimal("5000000"), "晋财拨〔2025〕0428号（演示）"),
            (datetime.date(2025, 5, 20), Decimal("7000000"), "晋财拨〔2025〕0520号（演示）"),
        ],
        [(datetime.date(2025, 5, 26), Decimal("12000000"))],
    ),
    2026: (datetime.date(2026, 3, 30), [], []),
}
# (name, kind, planned, spent by year, status, unit)
JY_PROJECTS = {
    2024: [
        (
            "尤溪县纺织产业数字化改造项目",
            "hematopoietic",
            "4000000",
            "4000000",
            "done",
            "尤溪经济开发区管委会",
        ),
        (
            "尤溪经济开发区标准厂房建设项目",
            "hematopoietic",
            "3500000",
            "3500000",
            "done",
            "尤溪经济开发区管委会",
        ),
        ("特色农产品深加工基地项目", "hematopoietic", "2000000", "1800000", "in_progress", None),
        ("低收入群众兜底救助", "relief", "1500000", "1500000", "done", None),
        ("乡村道路提升工程", "infrastructure", "1000000", "900000", "in_progress", None),
    ],
    2025: [
        (
            "尤溪县纺织产业链延链补链项目",
            "hematopoietic",
            "5000000",
            "2600000",
            "in_progress",
            "尤溪经济开发区管委会",
        ),
        ("朱子文化旅游配套提升项目", "hematopoietic", "3000000", "1200000", "in_progress", None),
        ("林产加工智慧工厂改造项目", "hematopoietic", "2000000", "500000", "in_progress", None),
        ("低收入群众兜底救助", "relief", "1200000", "1000000", "in_progress", None),
        ("农村饮水安全巩固提升工程", "infrastructure", "800000", "300000", "in_progress", None),
    ],
    2026: [
        ("尤溪县鞋服配套产业园项目", "hematopoietic", "6000000", "0", "planned", "尤溪经济开发区管委会"),
        ("特色农产品冷链物流项目", "hematopoietic", "3000000", "0", "planned", None),
        ("低收入群众兜底救助", "relief", "1500000", "0", "planned", None),
        ("县城老旧小区充电桩建设", "infrastructure", "1500000", "0", "planned", None),
    ],
}


# 000's tasks proved by this rule's ledger (title → how): the money is the fund's payment, the list
# is its fund-use list. One obligation, one record: the task's periods follow the commitments.
LINKED_TASKS = {
    "落实帮扶资金：晋江市安排山海协作专项资金1200万元": Task.Fulfilment.FUND_PAID,
    "尤溪县制定协作资金使用项目清单（以造血式产业类项目为主）": Task.Fulfilment.FUND_USE_LIST,
}


def link_tasks(rule: FundRule, tasks: dict) -> None:
    for title, kind in LINKED_TASKS.items():
        task = tasks.get(title)
        if task is None or (task.fund_rule_id, task.fulfilment) == (rule.pk, kind):
            continue
        task.fund_rule, task.fulfilment = rule, kind
        task.save()
        task_services.sync_periods(task)


def load(context: dict) -> dict:
    """Load or refresh the funds demo; adds the finance reporter `jj_finance` to the accounts."""
    regions, units, pairings, documents = (
        context["regions"],
        context["units"],
        context["pairings"],
        context["documents"],
    )
    jy = pairings["jinjiang_youxi"]
    jy_rule = upsert(
        FundRule,
        {"pairing": jy, "due_text": "每年4月底前"},
        {
            "purpose": "山海协作专项资金（支持尤溪县项目建设和兜底救助性支出等）",
            "payer_region": regions["晋江市"],
            "payer_unit": units["晋江市财政局"],
            "receiver_region": regions["尤溪县"],
            "receiver_unit": units["尤溪县财政局"],
            "amount": Decimal("12000000.00"),
            "due_month": 4,
            "due_day": 30,
            "use_list_due_month": 3,
            "use_list_due_day": 31,
            "use_list_due_text": "每年3月底前",
            "source_text": JY_SOURCE,
            "document": documents["000"],
            "first_year": 2024,
            "last_year": 2030,
        },
    )
    # 001: each economically strong district pays the county it is paired with ("经济强市（区）要加大
    # 内对资金支援力度…年度帮扶资金在当年5月底前到位"), 2018–2020. The document sets the city-wide
    # minimum only (全市每年到位结对帮扶援建资金不少于1000万元): the demo divides it evenly over the
    # five pairings, and says so. An earlier demo's rule from 温州市 to 温州市 is removed.
    wz = pairings["wenzhou"]
    FundRule.objects.filter(pairing=wz, due_text="当年5月底前", commitments__isnull=True).delete()
    wz_rules = {}
    for mountain, coastal in WENZHOU_PAIRS:
        pairing = pairings[f"wz_{mountain}"]
        rule = upsert(
            FundRule,
            {"pairing": pairing, "due_text": "当年5月底前"},
            {
                "purpose": "结对帮扶援建资金（全市每年不少于1000万元；演示按五对均分）",
                "payer_region": regions[coastal],
                "payer_unit": units[f"{coastal}人民政府"],
                "receiver_region": regions[mountain],
                "receiver_unit": units[f"{mountain}人民政府"],
                "amount": Decimal("2000000.00"),
                "due_month": 5,
                "due_day": 31,
                "use_list_due_month": None,
                "use_list_due_day": None,
                "use_list_due_text": "",
                "source_text": WZ_SOURCE,
                "document": documents["001"],
                "first_year": 2018,
                "last_year": 2020,
            },
        )
        for year in (2018, 2019, 2020):
            services.ensure_yearly_commitment(rule, year)
        wz_rules[mountain] = rule

    for year, (submitted, payments, arrivals) in JY_YEARS.items():
        commitment, _created = services.ensure_yearly_commitment(jy_rule, year)
        for name, kind, planned, spent, status, unit in JY_PROJECTS[year]:
            project, created = FundUseProject.objects.get_or_create(
                commitment=commitment,
                name=name,
                defaults={
                    "kind": kind,
                    "planned_amount": Decimal(planned),
                    "spent_amount": Decimal(spent),
                    "status": status,
                    "unit": units.get(unit) if unit else None,
                },
            )
        if commitment.use_list_submitted != submitted:
            services.submit_use_list(commitment, user=None, date=submitted)
        for date, amount, voucher in payments:
            if not Disbursement.objects.filter(commitment=commitment, voucher_no=voucher).exists():
                services.record_disbursement(
                    commitment, user=None, date=date, amount=amount, voucher_no=voucher, note="演示数据"
                )
        for date, amount in arrivals:
            if not ArrivalConfirmation.objects.filter(commitment=commitment, date=date).exists():
                services.confirm_arrival(commitment, user=None, date=date, amount=amount, note="演示数据")

    link_tasks(jy_rule, context.get("tasks", {}))

    accounts = list(context.get("accounts", []))
    user = User.objects.filter(username="jj_finance").first()
    if user is None:
        user = User(
            username="jj_finance",
            full_name="晋江财政填报员",
            unit=units["晋江市财政局"],
            role=Role.REPORTER,
            email="jj_finance@shanhai.example",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    accounts.append(("jj_finance", str(Role.REPORTER.label), "晋江市财政局"))
    return {
        "accounts": accounts,
        "fund_rules": {"jinjiang_youxi": jy_rule, **{f"wz_{m}": r for m, r in wz_rules.items()}},
    }
