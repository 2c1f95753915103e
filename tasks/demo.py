"""Demo tasks: the task tree of 晋政文〔2024〕102号 (seed 000) and 附件2 of 温政发〔2018〕26号 (seed 001).

Numbers, titles, deadlines and targets are taken from the documents' text. Seed 000 names no unit
per task: the responsible units below are a plausible demo assignment (each task to the
departments of its field on both sides). Seed 001's units are those of its 附件2 table
("结对县（市、区）党委和政府" = the governments of the ten Wenzhou districts and counties).

Everything is looked up by its natural key first and written only when it differs, so loading
again neither duplicates rows nor adds history rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation.demo import upsert
from cooperation.models import Unit, User
from tasks import fulfilment, services
from tasks.models import (
    Area,
    Evidence,
    EvidenceKind,
    ProgressReport,
    Target,
    Task,
    TaskUnit,
)

EVIDENCE_KINDS = ["协议文本", "拨付凭证", "现场照片", "会议纪要", "项目清单", "活动方案"]

# Units the task tables need beyond the backbone's (name, short name, region name, kind).
EXTRA_UNITS = [
    ("晋江市工业和信息化局", "晋江工信局", "晋江市", "department"),
    ("晋江市商务局", "晋江商务局", "晋江市", "department"),
    ("尤溪县商务局", "尤溪商务局", "尤溪县", "department"),
    ("晋江市文化体育和旅游局", "晋江文体旅局", "晋江市", "department"),
    ("尤溪县文化体育和旅游局", "尤溪文体旅局", "尤溪县", "department"),
    ("尤溪县农业农村局", "尤溪农业农村局", "尤溪县", "department"),
    ("晋江市科学技术局", "晋江科技局", "晋江市", "department"),
    ("尤溪县科学技术局", "尤溪科技局", "尤溪县", "department"),
    ("晋江市交通运输局", "晋江交通局", "晋江市", "department"),
    ("尤溪县交通运输局", "尤溪交通局", "尤溪县", "department"),
    ("晋江市住房和城乡建设局", "晋江住建局", "晋江市", "department"),
    ("尤溪县住房和城乡建设局", "尤溪住建局", "尤溪县", "department"),
    ("晋江市人力资源和社会保障局", "晋江人社局", "晋江市", "department"),
    ("尤溪县人力资源和社会保障局", "尤溪人社局", "尤溪县", "department"),
    ("泉州市晋江生态环境局", "晋江生态环境局", "晋江市", "department"),
    ("三明市尤溪生态环境局", "尤溪生态环境局", "尤溪县", "department"),
    ("晋江市民政局", "晋江民政局", "晋江市", "department"),
    ("尤溪县民政局", "尤溪民政局", "尤溪县", "department"),
    ("温州市经济和信息化委员会", "市经信委", "温州市", "department"),
    ("温州市农业农村工作办公室", "市农办", "温州市", "department"),
    ("温州市文化广电新闻出版局", "市文广新局", "温州市", "department"),
]

JJ_GOV, YX_GOV = "晋江市人民政府", "尤溪县人民政府"
JJ_AGR, YX_DRC = "晋江市农业农村局", "尤溪县发展和改革局"

# Seed 000. Each entry: (number, title, area, lead units, co-operating units, deadline text,
# targets [(name, comparator, value, unit, source text)], required evidence, children).
T = tuple
PLAN_000 = [
    (
        "二、",
        "重点任务",
        None,
        [],
        [],
        "",
        [],
        [],
        [
            (
                "（一）",
                "产业协作共兴共融",
                "产业协作",
                [],
                [],
                "",
                [],
                [],
                [
                    (
                        "1.",
                        "推动产业园区合作共建",
                        "产业协作",
                        ["晋江经济开发区管委会", "尤溪经济开发区管委会"],
                        [JJ_AGR, YX_DRC],
                        "",
                        [],
                        ["协议文本"],
                        [],
                    ),
                    (
                        "2.",
                        "推进新型工业化建设",
                        "产业协作",
                        ["晋江市工业和信息化局", "尤溪经济开发区管委会"],
                        ["晋江市科学技术局", "尤溪县科学技术局"],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "3.",
                        "推进现代服务业发展",
                        "产业协作",
                        ["晋江市商务局", "尤溪县商务局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "4.",
                        "推进数字经济合作交流",
                        "产业协作",
                        ["晋江市工业和信息化局", "尤溪经济开发区管委会"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "5.",
                        "推进文旅康养产业合作",
                        "产业协作",
                        ["晋江市文化体育和旅游局", "尤溪县文化体育和旅游局"],
                        [],
                        "每年共同举办一次文体旅活动",
                        [("共同举办文体旅活动", ">=", "1", "次", "每年共同举办一次文体旅活动")],
                        ["活动方案", "现场照片"],
                        [],
                    ),
                    ("6.", "推进现代农业合作", "产业协作", [JJ_AGR, "尤溪县农业农村局"], [], "", [], [], []),
                ],
            ),
            (
                "（二）",
                "创新平台协同共建",
                "创新平台",
                [],
                [],
                "",
                [],
                [],
                [
                    (
                        "1.",
                        "推动民营经济创新发展",
                        "创新平台",
                        ["晋江市工业和信息化局", "尤溪经济开发区管委会"],
                        ["晋江经济开发区管委会", "尤溪经济开发区管委会"],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "2.",
                        "推动山海协同创新发展",
                        "创新平台",
                        ["晋江市科学技术局", "尤溪县科学技术局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "3.",
                        "推动国资国企加强合作",
                        "创新平台",
                        ["晋江市财政局", "尤溪县财政局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                ],
            ),
            (
                "（三）",
                "基础设施互联互通",
                "基础设施",
                [],
                [],
                "",
                [],
                [],
                [
                    (
                        "1.",
                        "共同优化通道建设",
                        "基础设施",
                        ["晋江市交通运输局", "尤溪县交通运输局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "2.",
                        "促进新型城镇化建设合作",
                        "基础设施",
                        ["晋江市住房和城乡建设局", "尤溪县住房和城乡建设局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                ],
            ),
            (
                "（四）",
                "社会事业交流合作",
                "社会事业",
                [],
                [],
                "",
                [],
                [],
                [
                    (
                        "1.",
                        "推动人才交流合作",
                        "社会事业",
                        ["晋江市人力资源和社会保障局", "尤溪县人力资源和社会保障局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "2.",
                        "推动教育医疗合作",
                        "社会事业",
                        ["尤溪县教育局", "晋江市教育局"],
                        ["晋江市卫生健康局", "尤溪县卫生健康局"],
                        "每年分别开展不少于一次",
                        [
                            (
                                "教育领域专技人员交流活动",
                                ">=",
                                "1",
                                "次",
                                "教育领域每年开展不少于一次的专技人员交流活动",
                            ),
                            (
                                "医疗领域专技人员交流活动",
                                ">=",
                                "1",
                                "次",
                                "医疗领域每年开展不少于一次的专技人员交流活动",
                            ),
                        ],
                        ["现场照片"],
                        [],
                    ),
                    (
                        "3.",
                        "推动民间团体交流合作",
                        "社会事业",
                        ["晋江市民政局", "尤溪县民政局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                ],
            ),
            (
                "（五）",
                "生态文明共建共享",
                "生态文明",
                [],
                [],
                "",
                [],
                [],
                [
                    (
                        "1.",
                        "共同探索生态产品价值实现机制",
                        "生态文明",
                        ["泉州市晋江生态环境局", "三明市尤溪生态环境局"],
                        [],
                        "",
                        [],
                        [],
                        [],
                    ),
                    (
                        "2.",
                        "共同促进绿色循环发展",
                        "生态文明",
                        ["泉州市晋江生态环境局", "三明市尤溪生态环境局"],
                        ["晋江市工业和信息化局", "尤溪经济开发区管委会"],
                        "",
                        [],
                        [],
                        [],
                    ),
                    ("3.", "积极探索新型发展模式", "生态文明", [JJ_AGR, YX_DRC], [], "", [], [], []),
                ],
            ),
        ],
    ),
    (
        "三、",
        "保障措施",
        "保障措施",
        [],
        [],
        "",
        [],
        [],
        [
            (
                "（一）",
                "加强组织领导",
                "保障措施",
                [JJ_GOV, YX_GOV],
                [JJ_AGR, YX_DRC],
                "每年至少 1 次",
                [
                    (
                        "两地党政主要领导共同研究部署山海协作工作",
                        ">=",
                        "1",
                        "次",
                        "两地党政主要领导每年至少 1 次共同研究部署山海协作工作",
                    )
                ],
                ["会议纪要"],
                [],
            ),
            ("（二）", "共同争取政策", "保障措施", [JJ_AGR, YX_DRC], [], "", [], [], []),
            ("（三）", "提升惠企服务", "保障措施", [JJ_GOV, YX_GOV], [], "", [], [], []),
            (
                "（四）",
                "推进任务落实",
                "保障措施",
                [JJ_AGR, YX_DRC],
                [],
                "",
                [],
                [],
                [
                    (
                        "",
                        "落实帮扶资金：晋江市安排山海协作专项资金1200万元",
                        "保障措施",
                        ["晋江市财政局"],
                        [JJ_AGR],
                        "每年4月底前",
                        [
                            (
                                "山海协作专项资金",
                                ">=",
                                "12000000",
                                "元",
                                "晋江市每年4月底前安排山海协作专项资金1200万元",
                            )
                        ],
                        ["拨付凭证"],
                        [],
                    ),
                    (
                        "",
                        "尤溪县制定协作资金使用项目清单（以造血式产业类项目为主）",
                        "保障措施",
                        [YX_DRC],
                        ["尤溪县财政局"],
                        "每年3月底前",
                        [],
                        ["项目清单"],
                        [],
                    ),
                ],
            ),
            ("（五）", "强化督查考评", "保障措施", [JJ_AGR, YX_DRC], [], "", [], [], []),
        ],
    ),
]

# Seed 001, 附件2: (序号, 任务, [(事项 number, title, lead, co-operating, deadline text, targets, first year)]).
WZ_COUNTIES = [
    f"{c}人民政府"
    for pair in [
        ("永嘉县", "瓯海区"),
        ("苍南县", "龙湾区"),
        ("文成县", "瑞安市"),
        ("泰顺县", "鹿城区"),
        ("平阳县", "乐清市"),
    ]
    for c in pair
]
ZS = "温州市招商局（经合办）"
TABLE_001 = [
    (
        "1",
        "推进产业项目合作",
        [
            (
                "1.",
                "帮助5县强化新兴产业培育，加快传统制造业转型提升",
                ["温州市经济和信息化委员会"],
                ["温州市农业农村工作办公室", ZS, *WZ_COUNTIES],
                "",
                [],
            ),
            (
                "2.",
                "建立促进生态产业集群发展的利益导向机制，开展产需对接",
                ["温州市经济和信息化委员会"],
                ["温州市农业农村工作办公室", ZS, *WZ_COUNTIES],
                "每年组织产业对接洽谈和项目签约会不少于 1 次",
                [
                    (
                        "产业对接洽谈和项目签约会（每对结对县）",
                        ">=",
                        "1",
                        "次",
                        "每年组织产业对接洽谈和项目签约会不少于 1 次",
                        None,
                    )
                ],
            ),
            (
                "3.",
                "全市山海协作产业项目到位资金",
                ["温州市经济和信息化委员会"],
                ["温州市农业农村工作办公室", ZS, *WZ_COUNTIES],
                "全市每年实现",
                [
                    (
                        "山海协作产业项目到位资金",
                        ">=",
                        "4000000000",
                        "元",
                        "全市每年实现山海协作产业项目到位资金不少于 40 亿元",
                        None,
                    ),
                    (
                        "八大产业项目数和到位资金占比",
                        ">=",
                        "65",
                        "%",
                        "其中……八大产业项目数和到位资金占 65%",
                        None,
                    ),
                ],
            ),
        ],
    ),
    (
        "2",
        "建好山海协作发展新平台",
        [
            (
                "1.",
                "推进5个生态旅游文化产业园建设，推动共建园区和“飞地”总部经济园区建设",
                WZ_COUNTIES,
                [],
                "",
                [],
            ),
            (
                "2.",
                "建立产业园管理运营机制：组建五个生态旅游文化产业园管委会，成立投资开发公司",
                [ZS],
                [
                    "温州市发展和改革委员会",
                    "温州市国土资源局",
                    "温州市规划局",
                    "温州市文化广电新闻出版局",
                    "温州市旅游局",
                    *WZ_COUNTIES,
                ],
                "2018 年 7 月底前",
                [("投资开发公司首期注册资金", ">=", "200000000", "元", "首期注册资金不少 2 亿元", 2018)],
            ),
            (
                "3.",
                "规范编制生态旅游文化产业园发展规划及建设指标",
                [ZS],
                [
                    "温州市发展和改革委员会",
                    "温州市国土资源局",
                    "温州市规划局",
                    "温州市文化广电新闻出版局",
                    "温州市旅游局",
                    *WZ_COUNTIES,
                ],
                "2018 年三季度前",
                [
                    (
                        "五大生态旅游文化产业园计划总投资",
                        ">=",
                        "10000000000",
                        "元",
                        "五大生态旅游文化产业园计划总投资 100 亿元",
                        2018,
                    )
                ],
            ),
            (
                "4.",
                "开展督查调研，重点督查园区规划编制、机构建设等工作",
                [ZS],
                ["温州市发展和改革委员会", *WZ_COUNTIES],
                "",
                [],
            ),
            (
                "5.",
                "高标准建设“七都”山海协作总部经济园区",
                [ZS],
                ["鹿城区人民政府", "泰顺县人民政府"],
                "2020 年前建成并投入使用",
                [],
            ),
        ],
    ),
    (
        "3",
        "促进群众增收和社会事业合作",
        [
            (
                "1.",
                "支持5县发展现代生态循环农业，加快推进全域旅游",
                ["温州市农业农村工作办公室"],
                ["温州市发展和改革委员会", "温州市旅游局", ZS, *WZ_COUNTIES],
                "",
                [],
            ),
            (
                "2.",
                "促进低收入群众增收致富",
                ["温州市农业农村工作办公室"],
                ["温州市发展和改革委员会", "温州市旅游局", ZS, *WZ_COUNTIES],
                "全市每年完成",
                [
                    ("群众增收项目", ">=", "20", "个", "全市每年完成群众增收项目 20 个", None),
                    ("群众增收项目到位资金", ">=", "10000000", "元", "到位资金 1000 万元", None),
                    (
                        "“异地温州商会牵手 139 富民攻坚计划”等项目",
                        ">=",
                        "300",
                        "个",
                        "到 2020 年……项目不少于 300 个",
                        2020,
                    ),
                ],
            ),
            (
                "3.",
                "加强山海协作人力资源合作",
                ["温州市财政局"],
                ["温州市人力资源和社会保障局", ZS, *WZ_COUNTIES],
                "全市每年实现",
                [
                    (
                        "培训就业（含转移）",
                        ">=",
                        "6000",
                        "人次",
                        "全市每年实现培训就业（含转移）6000 人次",
                        None,
                    )
                ],
            ),
            (
                "4.",
                "开展社会事业合作",
                ["温州市教育局"],
                ["温州市财政局", "温州市人力资源和社会保障局", "温州市卫生和计划生育委员会", *WZ_COUNTIES],
                "每年每个领域至少达成",
                [
                    (
                        f"{field}领域合作项目（协议）",
                        ">=",
                        "1",
                        "个",
                        "内对双方在每年每个领域至少达成合作项目（协议）1 个以上",
                        None,
                    )
                    for field in ["科技", "医疗", "教育", "文化"]
                ],
            ),
            (
                "5.",
                "加大教育支持力度",
                ["温州市教育局"],
                WZ_COUNTIES,
                "",
                [
                    (
                        "向5个欠发达县农业户口考生安排本科专项定向计划",
                        ">=",
                        "1",
                        "名",
                        "2018 年……安排 1 名以上本科专项定向计划",
                        2018,
                    )
                ],
            ),
            ("6.", "加大医疗支持力度", ["温州市卫生和计划生育委员会"], WZ_COUNTIES, "", []),
            (
                "7.",
                "帮助建立营销网络",
                ["温州市农业局"],
                ["温州市商务局", ZS, *WZ_COUNTIES],
                "到 2020 年",
                [
                    (
                        "绿色农产品、土特产销售窗口和平台",
                        ">=",
                        "30",
                        "个",
                        "到 2020 年帮助内对县建立……销售窗口和平台 30 个以上",
                        2020,
                    )
                ],
            ),
        ],
    ),
]

# Smallest valid files for the demo evidence (real signatures, so validate_upload accepts them).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _set_units(task: Task, units: dict, lead: list[str], cooperating: list[str]) -> None:
    wanted = {}
    for order, name in enumerate(lead):
        wanted[units[name].pk] = (TaskUnit.Role.LEAD, order)
    for order, name in enumerate(cooperating):
        wanted.setdefault(units[name].pk, (TaskUnit.Role.COOPERATING, order))
    current = {(r.unit_id, r.role, r.order) for r in task.task_units.all()}
    if current != {(u, role, order) for u, (role, order) in wanted.items()}:
        for row in task.task_units.all():
            row.delete()
        for unit_id, (role, order) in wanted.items():
            TaskUnit.objects.create(task=task, unit_id=unit_id, role=role, order=order)


def _task(pairing, document, parent, number, title, position, start, end, deadline_text, area):
    deadline = services.parse_deadline(deadline_text)
    task = upsert(
        Task,
        {"pairing": pairing, "parent": parent, "title": title},
        {
            "document": document,
            "number": number,
            "position": position,
            "area": area,
            "start_year": start,
            "end_year": end,
            **deadline,
        },
    )
    return task


# 000's yearly minimums counted from the pairing's activities (target name → kinds, field words):
# "分别" makes the education and the health exchange two minimums, each counted on its own.
ACTIVITY_MINIMUMS = {
    "共同举办文体旅活动": ("event", ""),
    "教育领域专技人员交流活动": ("exchange,training", "教育、教师、学校"),
    "医疗领域专技人员交流活动": ("exchange,training", "医疗、卫生、健康、医院"),
    "两地党政主要领导共同研究部署山海协作工作": ("meeting,visit", ""),
}


def _targets(task, targets) -> None:
    counted = False
    for entry in targets:
        name, comparator, value, unit, source = entry[:5]
        year = entry[5] if len(entry) > 5 else None
        kinds, field = ACTIVITY_MINIMUMS.get(name, ("", ""))
        counted = counted or bool(kinds)
        upsert(
            Target,
            {"task": task, "name": name},
            {
                "comparator": comparator,
                "value": Decimal(value),
                "unit": unit,
                "source_text": source,
                "year": year,
                "activity_kinds": kinds,
                "activity_field": field,
            },
        )
    if counted and task.fulfilment != Task.Fulfilment.ACTIVITIES:
        task.fulfilment = Task.Fulfilment.ACTIVITIES
        task.save()


def _load_000(pairing, document, units, kinds) -> dict[str, Task]:
    areas = {}
    for order, name in enumerate(["产业协作", "创新平台", "基础设施", "社会事业", "生态文明", "保障措施"]):
        areas[name] = upsert(Area, {"pairing": pairing, "name": name}, {"order": order})
    by_title: dict[str, Task] = {}
    counter = [0]

    def walk(entries, parent):
        for number, title, area, lead, co, deadline_text, targets, required, children in entries:
            counter[0] += 1
            task = _task(
                pairing,
                document,
                parent,
                number,
                title,
                counter[0],
                2024,
                2030,
                deadline_text,
                areas.get(area),
            )
            _set_units(task, units, lead, co)
            _targets(task, targets)
            wanted = {kinds[k].pk for k in required}
            if {k.pk for k in task.required_evidence.all()} != wanted:
                task.required_evidence.set(wanted)
            services.sync_periods(task)
            by_title[title] = task
            walk(children, task)

    walk(PLAN_000, None)
    return by_title


def _load_001(pairing, document, units) -> None:
    area = upsert(Area, {"pairing": pairing, "name": "山海协作工程升级版"}, {"order": 0})
    position = 0
    for number, title, items in TABLE_001:
        position += 1
        parent = _task(pairing, document, None, number, title, position, 2018, 2020, "", area)
        services.sync_periods(parent)
        for item_number, item_title, lead, co, deadline_text, targets in items:
            position += 1
            task = _task(
                pairing, document, parent, item_number, item_title, position, 2018, 2020, deadline_text, area
            )
            _set_units(task, units, lead, co)
            _targets(task, targets)
            fulfilment.link_from_plan(task)  # its yearly minimums are counted from activities
            services.sync_periods(task)


def _report(period, user, unit, text, **fields) -> ProgressReport:
    report = ProgressReport.objects.filter(period=period, unit=unit, text=text).first()
    if report is None:
        report = services.save_report(period, user, text=text, unit=unit, **fields)
    return report


def _evidence(report, user, name: str, content: bytes, kind) -> None:
    if not Evidence.objects.filter(report=report, original_name=name).exists():
        services.add_evidence(report, SimpleUploadedFile(name, content), user, kind=kind)


def _reports(jy, tasks, units, kinds) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["yx_reporter", "jj_reporter", "yx_liaison", "jj_liaison"])
    }
    edu = tasks["推动教育医疗合作"]
    edu_targets = {t.name: t for t in edu.targets.all()}
    p2024 = edu.periods.get(year=2024)
    p2025 = edu.periods.get(year=2025)

    # Approved: 2024's education and health exchanges, with photos; the period is done.
    approved = _report(
        p2024,
        users["yx_reporter"],
        units["尤溪县教育局"],
        "2024年11月8日晋江一中—尤溪一中教师交流（25人），12月3日晋江医院专家赴尤溪坐诊交流（12人）。",
        marks_done=True,
        completed_on=datetime.date(2024, 12, 3),
        values={edu_targets["教育领域专技人员交流活动"].pk: 1, edu_targets["医疗领域专技人员交流活动"].pk: 1},
    )
    _evidence(approved, users["yx_reporter"], "教师交流现场照片.png", PNG, kinds["现场照片"])
    if approved.status == ProgressReport.Status.DRAFT:
        services.submit_report(approved, users["yx_reporter"])
    if approved.status == ProgressReport.Status.SUBMITTED:
        services.approve_report(approved, users["yx_liaison"])

    # Returned: a 2025 report without the photos the reviewer asked for.
    returned = _report(
        p2025,
        users["yx_reporter"],
        units["尤溪县教育局"],
        "2025年上半年尤溪一中教师赴晋江一中跟岗学习，已完成教育领域交流。",
        values={edu_targets["教育领域专技人员交流活动"].pk: 1},
    )
    if returned.status == ProgressReport.Status.DRAFT:
        services.submit_report(returned, users["yx_reporter"])
    if returned.status == ProgressReport.Status.SUBMITTED:
        services.return_report(returned, users["yx_liaison"], reason="请补充跟岗学习的时间、人数和现场照片。")

    # Draft: the Jinjiang side's own 2025 report, not yet submitted.
    _report(
        p2025,
        users["jj_reporter"],
        units["晋江市教育局"],
        "晋江市教育局拟于2025年11月组织名师送教尤溪活动（草稿）。",
        values={edu_targets["教育领域专技人员交流活动"].pk: 1},
    )

    # The special fund, told as the funds demo records it (funds/demo.py): 2024 paid in two
    # parts on time and approved; 2025 paid in two parts, the last 20 days late, report submitted.
    fund = tasks["落实帮扶资金：晋江市安排山海协作专项资金1200万元"]
    fund_target = fund.targets.get()
    fund_2024 = _report(
        fund.periods.get(year=2024),
        users["jj_liaison"],
        units["晋江市财政局"],
        "2024年4月15日、4月29日晋江市财政局分两次拨付山海协作专项资金共1200万元至尤溪县财政局。",
        marks_done=True,
        completed_on=datetime.date(2024, 4, 29),
        values={fund_target.pk: Decimal("12000000")},
    )
    _evidence(fund_2024, users["jj_liaison"], "2024年专项资金拨付凭证.pdf", PDF, kinds["拨付凭证"])
    if fund_2024.status == ProgressReport.Status.DRAFT:
        services.submit_report(fund_2024, users["jj_liaison"])
    if fund_2024.status == ProgressReport.Status.SUBMITTED:
        services.approve_report(fund_2024, users["yx_liaison"])
    fund_2025 = fund.periods.get(year=2025)
    submitted = _report(
        fund_2025,
        users["jj_liaison"],
        units["晋江市财政局"],
        "2025年4月28日拨付500万元、5月20日拨付700万元，山海协作专项资金1200万元已足额拨付至尤溪县财政局（逾期20天）。",
        marks_done=True,
        completed_on=datetime.date(2025, 5, 20),
        values={fund_target.pk: Decimal("12000000")},
    )
    _evidence(submitted, users["jj_liaison"], "专项资金拨付凭证.pdf", PDF, kinds["拨付凭证"])
    if submitted.status == ProgressReport.Status.DRAFT:
        services.submit_report(submitted, users["jj_liaison"])

    # The leaders' 2024 meeting (a real activity of the demo), approved.
    meeting = tasks["加强组织领导"]
    m2024 = meeting.periods.get(year=2024)
    leaders = _report(
        m2024,
        users["jj_liaison"],
        units["晋江市农业农村局"],
        "2024年9月20日在尤溪县召开晋江—尤溪山海协作党政联席会议，共同研究部署山海协作工作。",
        marks_done=True,
        completed_on=datetime.date(2024, 9, 20),
        values={meeting.targets.get().pk: 1},
    )
    _evidence(leaders, users["jj_liaison"], "联席会议纪要.pdf", PDF, kinds["会议纪要"])
    if leaders.status == ProgressReport.Status.DRAFT:
        services.submit_report(leaders, users["jj_liaison"])
    if leaders.status == ProgressReport.Status.SUBMITTED:
        services.approve_report(leaders, users["yx_liaison"])


def load(context: dict) -> dict:
    """Load or refresh the task trees and demo reports; returns {"tasks": {title: Task}}."""
    units: dict[str, Unit] = dict(context["units"])
    regions = context["regions"]
    for name, short, region, kind in EXTRA_UNITS:
        units[name] = upsert(
            Unit, {"region": regions[region], "name": name}, {"short_name": short, "kind": kind}
        )

    jy = context["pairings"]["jinjiang_youxi"]
    wz = context["pairings"]["wenzhou"]
    kinds = {name: upsert(EvidenceKind, {"pairing": jy, "name": name}, {}) for name in EVIDENCE_KINDS}
    for name in EVIDENCE_KINDS:
        upsert(EvidenceKind, {"pairing": wz, "name": name}, {})

    tasks = _load_000(jy, context["documents"]["000"], units, kinds)
    _load_001(wz, context["documents"]["001"], units)
    _reports(jy, tasks, units, kinds)
    return {"units": units, "tasks": tasks}
