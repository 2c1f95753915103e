"""Demo tasks: the task tree of 晋政文〔2024〕102号 (seed 000) and 附件2 of 温政发〔2018〕26号 (seed 001).

Seed 000 is loaded through the product's own path — parse, the preview's corrections
(``tasks/demo_corrections.py``), the confirm service — so its numbers, titles, bodies, deadlines
and targets come from the document's text. Seed 000 names no unit per task: the corrections
assign a plausible set (each task to the departments of its field on both sides). Seed 001's units are those of its 附件2 table
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
from planparser import parse_plan, to_json
from tasks import fulfilment, services
from tasks.demo_corrections import (
    CORRECTIONS_000,
    CORRECTIONS_004,
    KEEP_NOTICE_ITEMS_004,
    REQUIRED_EVIDENCE_000,
    UNIT_REGIONS_004,
    preview_edits,
)
from tasks.importing.plan import import_plan
from tasks.importing.plan import node_ids as _node_ids
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
PARK_PLAN_UNITS = [
    "温州市发展和改革委员会",
    "温州市国土资源局",
    "温州市规划局",
    "温州市文化广电新闻出版局",
    "温州市旅游局",
]
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
                # 附件2: the 责任单位 cell of 2.1 is merged over 2.2
                WZ_COUNTIES,
                [],
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
                # 附件2: the 责任单位 cell of 2.3 is merged over 2.4 and 2.5
                [ZS],
                [*PARK_PLAN_UNITS, *WZ_COUNTIES],
                "",
                [],
            ),
            (
                "5.",
                "高标准建设“七都”山海协作总部经济园区",
                [ZS],
                [*PARK_PLAN_UNITS, *WZ_COUNTIES],
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

# Seed 001's body: yearly obligations and milestones that 附件2 does not list, each with its sentence.
# (number, title, lead, co-operating, deadline text, targets, source sentence)
BODY_001 = [
    (
        "二、（一）",
        "共同研究部署下一年度两地间的产业梯度转移举措",
        [ZS],
        WZ_COUNTIES,
        "每年年底前",
        [],
        "以提升山区内生发展动力为中心，积极开展产业项目合作对接，每年年底前共同研究部署下一年度两地间的产业梯度转移举措，推动合作项目签约落地。",
    ),
    (
        "二、（二）2.",
        "五个生态旅游文化产业园2020年计划总投资",
        [ZS],
        WZ_COUNTIES,
        "",
        [
            (
                "五个生态旅游文化产业园计划总投资（正文）",
                ">=",
                "23770000000",
                "元",
                "2020 年 5 个生态旅游文化产业园计划总投资 237.7 亿元",
                2020,
            )
        ],
        "2020 年 5 个生态旅游文化产业园计划总投资 237.7 亿元。（附件2 写作“五大生态旅游文化产业园计划总投资 100 亿元”：文件前后不一致。）",
    ),
    (
        "二、（二）3.",
        "基本完成产业园核心区及集散中心、停车场、通景公路等配套设施建设",
        [ZS],
        WZ_COUNTIES,
        "2019年前",
        [],
        "2019年前基本完成产业园核心区以及集散中心、停车场、通景公路等配套设施建设;2020年前产业项目建设初见成效。",
    ),
    (
        "三、（一）",
        "每年召开全市山海协作专题工作会议",
        [ZS],
        [],
        "每年年底前",
        [("全市山海协作专题工作会议", ">=", "1", "次", "每年召开全市山海协作专题工作会议1次", None)],
        "健全工作推进机制和目标考核机制，按照省山海协作工作目标任务要求和部署，制订年度工作计划，每年召开全市山海协作专题工作会议1次，分解落实市内各有关县（市、区）年度目标任务。",
    ),
    (
        "三、（二）",
        "内对双方主要领导带队开展高层互访",
        WZ_COUNTIES,
        [ZS],
        "每年年底前",
        [("高层互访", ">=", "2", "次", "每年由内对双方主要领导带队开展高层互访不少于2次", None)],
        "加强内对县（市、区）对接交流，每年由内对双方主要领导带队开展高层互访不少于2次，定期研究部署和协调推进山海协作工作。",
    ),
    (
        "三、（二）",
        "召开内对双方联席会议",
        WZ_COUNTIES,
        [ZS],
        "每年年底前",
        [("联席会议", ">=", "2", "次", "每年召开联席会议2次以上", None)],
        "健全由内对双方主要领导牵头，双方相关职能部门、有关乡镇共同参与的联席会议制度，每年召开联席会议2次以上。",
    ),
    (
        "三、（二）",
        "完成下一年度合作重点领域、目标任务和工作举措的研究并报领导小组备案",
        WZ_COUNTIES,
        [ZS],
        "每年10月底前",
        [],
        "每年10月底前双方共同完成下一年度合作重点领域、目标任务和工作举措的研究，并报省、市山海协作工程工作领导小组备案。",
    ),
]


def _table_001_cells(text: str) -> dict[tuple[str, str], str]:
    """The 事项 cell of each row of 附件2, by (任务 序号, 事项 number): each task's source text."""
    cells: dict[tuple[str, str], str] = {}
    group = ""
    for line in text.splitlines():
        columns = line.split("\t")
        if len(columns) < 3:
            continue
        if columns[0].strip().isdigit():
            group = columns[0].strip()
        item = columns[2].strip()
        number = item.split(".", 1)[0] + "." if item[:1].isdigit() else ""
        if group and number:
            cells[(group, number)] = item
    return cells


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


def _task(pairing, document, parent, number, title, position, start, end, deadline_text, area, body=""):
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
            "body": body,
            **deadline,
        },
    )
    return task


def _targets(task, targets) -> None:
    for entry in targets:
        name, comparator, value, unit, source = entry[:5]
        year = entry[5] if len(entry) > 5 else None
        upsert(
            Target,
            {"task": task, "name": name},
            {
                "comparator": comparator,
                "value": Decimal(value),
                "unit": unit,
                "source_text": source,
                "year": year,
            },
        )


def _link(task) -> None:
    """Link a task to the record that proves it as an import does (its yearly minimums to activities);
    written only when something changes, so loading again adds no history row."""
    linked_before = (task.fulfilment, task.fund_rule_id)
    for target in fulfilment.link_from_plan(task, list(task.targets.all())):
        target.save()
    if (task.fulfilment, task.fund_rule_id) != linked_before:
        task.save()


def _load_000(pairing, document, units, kinds) -> dict[str, Task]:
    """Seed 000's tasks, loaded as a user loads a plan: parse → preview → confirm.

    The document's text is parsed (``planparser.parse_plan``), the corrections a liaison makes in
    the preview (``tasks.demo_corrections.CORRECTIONS_000``) become the preview's edits, and the
    confirm service (``tasks.importing.plan.import_plan``) writes the tasks, as 晋江's liaison
    officer. Loading again finds the document's tasks and only refreshes each task's source
    paragraph (its body) from the text. Returns {title: Task}.
    """
    plan = to_json(parse_plan(document.full_text))
    if not Task.objects.filter(pairing=pairing, document=document).exists():
        import_plan(
            pairing,
            plan,
            User.objects.get(username="jj_liaison"),
            document=document,
            edits=preview_edits(plan, CORRECTIONS_000),
            start_year=2024,
            end_year=2030,
        )
    else:
        _refresh_bodies(pairing, document, plan)
    by_title = {t.title: t for t in Task.objects.filter(pairing=pairing, document=document)}
    for title, wanted_kinds in REQUIRED_EVIDENCE_000.items():
        task = by_title[title]
        wanted = {kinds[k].pk for k in wanted_kinds}
        if {k.pk for k in task.required_evidence.all()} != wanted:
            task.required_evidence.set(wanted)
    return by_title


def _refresh_bodies(pairing, document, plan: dict) -> None:
    """An earlier demo's tasks keep their rows; each gets the source paragraph it came from."""
    from tasks.importing.plan import build_nodes

    nodes, _errors = build_nodes(plan, preview_edits(plan, CORRECTIONS_000))
    bodies = {(n.number, n.title): n.body for top in nodes for n in top.walk()}
    for task in Task.objects.filter(pairing=pairing, document=document):
        body = bodies.get((task.number, task.title))
        if body and task.body != body:
            task.body = body
            task.save(update_fields=["body"])


def _load_004(pairing, document) -> dict[str, Task]:
    """Seed 004's tasks, through the same path as seed 000: the letter is parsed (its 附件1 is the
    plan), the preview's units are confirmed in the regions it shows (``preview_unit_rows``; the
    two Ningxia committees it cannot place get 宁夏, ``UNIT_REGIONS_004``), the letter's request
    for comments by 2024-10-18 is kept as a one-off task, and ``import_plan`` writes it all."""
    from cooperation.models import Region
    from tasks.importing.plan import UnitMatcher, preview_unit_rows

    if not Task.objects.filter(pairing=pairing, document=document).exists():
        plan = to_json(parse_plan(document.full_text))
        edits = preview_edits(plan, CORRECTIONS_004)
        names = list(
            dict.fromkeys(name for _id, node, _d in _node_ids(plan["nodes"]) for name in node["units"])
        )
        picked = {name: Region.objects.get(name=region).pk for name, region in UNIT_REGIONS_004.items()}
        regions = {
            row["name"]: row["region_id"] or picked[row["name"]]
            for row in preview_unit_rows(UnitMatcher(pairing), names)
            if row["match"] is None
        }
        import_plan(
            pairing,
            plan,
            None,
            document=document,
            edits=edits,
            unit_regions=regions,
            start_year=2024,
            end_year=2026,
            keep_notice_items=KEEP_NOTICE_ITEMS_004,
        )
    return {t.title: t for t in Task.objects.filter(pairing=pairing, document=document)}


def _load_001(pairing, document, units) -> None:
    """Seed 001: 附件2's 3 tasks and 15 items (units as the table's merged cells give them) and the
    body's obligations that the table leaves out (``BODY_001``); each keeps its source text."""
    area = upsert(Area, {"pairing": pairing, "name": "山海协作工程升级版"}, {"order": 0})
    cells = _table_001_cells(document.full_text)
    position = 0
    for number, title, items in TABLE_001:
        position += 1
        parent = _task(pairing, document, None, number, title, position, 2018, 2020, "", area)
        services.sync_periods(parent)
        for item_number, item_title, lead, co, deadline_text, targets in items:
            position += 1
            task = _task(
                pairing,
                document,
                parent,
                item_number,
                item_title,
                position,
                2018,
                2020,
                deadline_text,
                area,
                body=cells.get((number, item_number), ""),
            )
            _set_units(task, units, lead, co)
            _targets(task, targets)
            _link(task)
            services.sync_periods(task)
    body_area = upsert(Area, {"pairing": pairing, "name": "正文中的年度要求"}, {"order": 1})
    position += 1
    parent = _task(
        pairing, document, None, "正文", "正文中的年度要求与节点", position, 2018, 2020, "", body_area
    )
    services.sync_periods(parent)
    for number, title, lead, co, deadline_text, targets, sentence in BODY_001:
        position += 1
        task = _task(
            pairing,
            document,
            parent,
            number,
            title,
            position,
            2018,
            2020,
            deadline_text,
            body_area,
            body=sentence,
        )
        _set_units(task, units, lead, co)
        _targets(task, targets)
        _link(task)
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
    _load_004(context["pairings"]["minning"], context["documents"]["minning"])
    _reports(jy, tasks, units, kinds)
    return {"units": units, "tasks": tasks}
