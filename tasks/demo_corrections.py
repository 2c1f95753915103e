"""The corrections a liaison officer makes in the preview when importing 晋政文〔2024〕102号 (seed 000).

The demo loads its plan through the product's own path — ``planparser.parse_plan`` → the preview's
edits → ``tasks.importing.plan.import_plan`` (the confirm service) — and these are the edits, keyed
by node id as the preview posts them ("1.3.1" = 二、（四）2.). Nothing else of the tree is typed in:
numbers, titles, bodies (each task's source paragraph), deadlines and targets come from the text.

What the officer corrects, and why:

* 一、总体要求 is the plan's aims: no task of its own (dropped).
* The five areas get the short names the office uses (产业协作 … 生态文明).
* The document names no unit per task: the officer assigns the departments of each field on both
  sides (the first ``leads`` lead, the rest co-operate).
* Targets get names a reader recognises in a report form; the yearly events get their rule
  ("每年共同举办一次…" is a yearly task).
* 三、（四）推进任务落实 holds two yearly obligations of two parties: the officer splits it into
  晋江's ¥12,000,000 by 30 April and 尤溪's fund-use project list by 31 March.
"""

from __future__ import annotations

JJ_GOV, YX_GOV = "晋江市人民政府", "尤溪县人民政府"
JJ_AGR, YX_DRC = "晋江市农业农村局", "尤溪县发展和改革局"
JJ_ZONE, YX_ZONE = "晋江经济开发区管委会", "尤溪经济开发区管委会"
JJ_IND, JJ_SCI, YX_SCI = "晋江市工业和信息化局", "晋江市科学技术局", "尤溪县科学技术局"
JJ_ECO, YX_ECO = "泉州市晋江生态环境局", "三明市尤溪生态环境局"

FUND_TITLE = "落实帮扶资金：晋江市安排山海协作专项资金1200万元"
LIST_TITLE = "尤溪县制定协作资金使用项目清单（以造血式产业类项目为主）"
FUND_TEXT = "晋江市每年4月底前安排山海协作专项资金1200万元，用于支持尤溪县项目建设和兜底救助性支出等"
LIST_TEXT = "尤溪县每年3月底前制定协作资金使用项目清单，以造血式产业类项目为主"


def units(lead: list[str], cooperating: list[str] = ()) -> dict:
    return {"units": [*lead, *cooperating], "leads": len(lead)}


# Node id → the officer's edit. "target_names" renames the parsed targets in order (their values,
# comparators and source text stay the parser's unless "targets" gives whole rows).
CORRECTIONS_000: dict[str, dict] = {
    "0": {"drop": True},
    "1.0": {"area": "产业协作"},
    "1.0.0": units([JJ_ZONE, YX_ZONE], [JJ_AGR, YX_DRC]),
    "1.0.1": units([JJ_IND, YX_ZONE], [JJ_SCI, YX_SCI]),
    "1.0.2": units(["晋江市商务局", "尤溪县商务局"]),
    "1.0.3": units([JJ_IND, YX_ZONE]),
    "1.0.4": {
        **units(["晋江市文化体育和旅游局", "尤溪县文化体育和旅游局"]),
        "deadline": "每年共同举办一次文体旅活动",
        "target_names": ["共同举办文体旅活动"],
    },
    "1.0.5": units([JJ_AGR, "尤溪县农业农村局"]),
    "1.1": {"area": "创新平台"},
    "1.1.0": units([JJ_IND, YX_ZONE], [JJ_ZONE, YX_ZONE]),
    "1.1.1": units([JJ_SCI, YX_SCI]),
    "1.1.2": units(["晋江市财政局", "尤溪县财政局"]),
    "1.2": {"area": "基础设施"},
    "1.2.0": units(["晋江市交通运输局", "尤溪县交通运输局"]),
    "1.2.1": units(["晋江市住房和城乡建设局", "尤溪县住房和城乡建设局"]),
    "1.3": {"area": "社会事业"},
    "1.3.0": units(["晋江市人力资源和社会保障局", "尤溪县人力资源和社会保障局"]),
    "1.3.1": {
        **units(["尤溪县教育局", "晋江市教育局"], ["晋江市卫生健康局", "尤溪县卫生健康局"]),
        "deadline": "每年分别开展不少于一次",
        "target_names": ["教育领域专技人员交流活动", "医疗领域专技人员交流活动"],
    },
    "1.3.2": units(["晋江市民政局", "尤溪县民政局"]),
    "1.4": {"area": "生态文明"},
    "1.4.0": units([JJ_ECO, YX_ECO]),
    "1.4.1": units([JJ_ECO, YX_ECO], [JJ_IND, YX_ZONE]),
    "1.4.2": {"title": "积极探索新型发展模式", **units([JJ_AGR, YX_DRC])},
    "2.0": {
        **units([JJ_GOV, YX_GOV], [JJ_AGR, YX_DRC]),
        "deadline": "每年至少 1 次",
        "target_names": ["两地党政主要领导共同研究部署山海协作工作"],
    },
    "2.1": units([JJ_AGR, YX_DRC]),
    "2.2": units([JJ_GOV, YX_GOV]),
    "2.3": {
        **units([JJ_AGR, YX_DRC]),
        "deadline": "",
        "targets": [],  # the ¥12,000,000 goes to the fund sub-task below
        "add_children": [
            {
                "number": "",
                "title": FUND_TITLE,
                "body": FUND_TEXT + "。",
                "units": ["晋江市财政局", JJ_AGR],
                "deadlines": [{"text": "每年4月底前", "kind": "yearly", "date": None, "month": 4, "day": 30}],
                "targets": [
                    {
                        "text": "晋江市每年4月底前安排山海协作专项资金1200万元",
                        "comparator": ">=",
                        "value": 12000000,
                        "unit": "元",
                        "yearly": True,
                    }
                ],
                "children": [],
            },
            {
                "number": "",
                "title": LIST_TITLE,
                "body": LIST_TEXT + "。",
                "units": [YX_DRC, "尤溪县财政局"],
                "deadlines": [{"text": "每年3月底前", "kind": "yearly", "date": None, "month": 3, "day": 31}],
                "targets": [],
                "children": [],
            },
        ],
    },
    "2.3.0": {"target_names": ["山海协作专项资金"]},
    "2.4": units([JJ_AGR, YX_DRC]),
}

# Evidence each task asks for (set on the tasks after the import: not part of a plan's text).
REQUIRED_EVIDENCE_000 = {
    "推动产业园区合作共建": ["协议文本"],
    "推进文旅康养产业合作": ["活动方案", "现场照片"],
    "推动教育医疗合作": ["现场照片"],
    "加强组织领导": ["会议纪要"],
    FUND_TITLE: ["拨付凭证"],
    LIST_TITLE: ["项目清单"],
}


def preview_edits(plan: dict, corrections: dict[str, dict]) -> dict[str, dict]:
    """The corrections as the preview would post them for ``plan`` (the parsed tree's JSON):
    ``target_names`` become whole target rows with the parser's values."""
    from tasks.importing.plan import node_ids

    nodes = {nid: node for nid, node, _depth in node_ids(plan["nodes"])}
    for nid, edit in corrections.items():
        for index, child in enumerate(edit.get("add_children") or []):
            nodes[f"{nid}.{len(nodes[nid]['children']) + index}"] = child
    edits: dict[str, dict] = {}
    for nid, correction in corrections.items():
        edit = {k: v for k, v in correction.items() if k != "target_names"}
        names = correction.get("target_names")
        if names is not None:
            parsed = nodes[nid]["targets"]
            edit["targets"] = [dict(row, name=name) for row, name in zip(parsed, names, strict=True)]
        edits[nid] = edit
    return edits


# Seed 004 (闽扶协函〔2024〕8号): the letter's plan is its 附件1, read as the plan; the corrections
# are the regions the officer picks for the two Ningxia committees the preview cannot place, and
# keeping the letter's own request (comments by 2024-10-18) as a one-off task.
CORRECTIONS_004: dict[str, dict] = {}
UNIT_REGIONS_004 = {"宁东管委会": "宁夏回族自治区", "贺兰山东麓葡萄酒产业园区管委会": "宁夏回族自治区"}
KEEP_NOTICE_ITEMS_004 = [0]
