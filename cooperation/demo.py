"""Demo data of the cooperation backbone, from the source documents (fixtures/seeds/).

000 晋政文〔2024〕102号 — Jinjiang–Youxi; 001 温政发〔2018〕26号 — the five Wenzhou pairings;
003 闽西南协同发展区发展规划 — the co-built parks of 专栏6; and the 闽宁 east–west pairing.
Every object is looked up by its natural key first, so loading again never duplicates.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Role, Unit, User

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
DEMO_PASSWORD = "shanhai-demo"

# (name, level, code, parent code)
REGIONS = [
    ("福建省", "province", "350000", None),
    ("厦门市", "city", "350200", "350000"),
    ("思明区", "county", "350203", "350200"),
    ("集美区", "county", "350211", "350200"),
    ("同安区", "county", "350212", "350200"),
    ("翔安区", "county", "350213", "350200"),
    ("三明市", "city", "350400", "350000"),
    ("明溪县", "county", "350421", "350400"),
    ("清流县", "county", "350423", "350400"),
    ("宁化县", "county", "350424", "350400"),
    ("尤溪县", "county", "350426", "350400"),
    ("泰宁县", "county", "350429", "350400"),
    ("泉州市", "city", "350500", "350000"),
    ("鲤城区", "county", "350502", "350500"),
    ("泉港区", "county", "350505", "350500"),
    ("安溪县", "county", "350524", "350500"),
    ("晋江市", "county", "350582", "350500"),
    ("漳州市", "city", "350600", "350000"),
    ("龙海区", "county", "350604", "350600"),
    ("长泰区", "county", "350605", "350600"),
    ("云霄县", "county", "350622", "350600"),
    ("诏安县", "county", "350624", "350600"),
    ("龙岩市", "city", "350800", "350000"),
    ("长汀县", "county", "350821", "350800"),
    ("武平县", "county", "350824", "350800"),
    ("浙江省", "province", "330000", None),
    ("温州市", "city", "330300", "330000"),
    ("鹿城区", "county", "330302", "330300"),
    ("龙湾区", "county", "330303", "330300"),
    ("瓯海区", "county", "330304", "330300"),
    ("永嘉县", "county", "330324", "330300"),
    ("平阳县", "county", "330326", "330300"),
    ("苍南县", "county", "330327", "330300"),
    ("文成县", "county", "330328", "330300"),
    ("泰顺县", "county", "330329", "330300"),
    ("瑞安市", "county", "330381", "330300"),
    ("乐清市", "county", "330382", "330300"),
    ("宁夏回族自治区", "province", "640000", None),
]
# Townships have no code in the documents.
TOWNSHIPS = [("七都街道", "township", "330302")]

# (name, short name, region code, kind)
UNITS = [
    ("晋江市人民政府", "晋江市政府", "350582", "government"),
    ("晋江市农业农村局", "晋江农业农村局", "350582", "department"),
    ("晋江市教育局", "晋江教育局", "350582", "department"),
    ("晋江市卫生健康局", "晋江卫健局", "350582", "department"),
    ("晋江市财政局", "晋江财政局", "350582", "department"),
    ("晋江经济开发区管委会", "晋江经开区", "350582", "park"),
    ("尤溪县人民政府", "尤溪县政府", "350426", "government"),
    ("尤溪县发展和改革局", "尤溪县发改局", "350426", "department"),
    ("尤溪县教育局", "尤溪教育局", "350426", "department"),
    ("尤溪县卫生健康局", "尤溪卫健局", "350426", "department"),
    ("尤溪县财政局", "尤溪财政局", "350426", "department"),
    ("尤溪经济开发区管委会", "尤溪经开区", "350426", "park"),
    ("温州市招商局（经合办）", "市招商局〈经合办〉", "330300", "department"),
    ("温州市发展和改革委员会", "市发改委", "330300", "department"),
    ("温州市财政局", "市财政局", "330300", "department"),
    ("温州市国土资源局", "市国土资源局", "330300", "department"),
    ("温州市规划局", "市规划局", "330300", "department"),
    ("温州市旅游局", "市旅游局", "330300", "department"),
    ("温州市农业局", "市农业局", "330300", "department"),
    ("温州市人力资源和社会保障局", "市人力社保局", "330300", "department"),
    ("温州市教育局", "市教育局", "330300", "department"),
    ("温州市卫生和计划生育委员会", "市卫计委", "330300", "department"),
    ("温州市商务局", "市商务局", "330300", "department"),
    ("福建省发展和改革委员会", "福建省发改委", "350000", "department"),
    ("福建省农业农村厅", "福建省农业农村厅", "350000", "department"),
    ("宁夏回族自治区发展和改革委员会", "宁夏发改委", "640000", "department"),
    ("宁夏回族自治区农业农村厅", "宁夏农业农村厅", "640000", "department"),
    # The two offices of seed 004: the letter's sender, and the drafter of the 实施意见.
    ("福建省东西部扶贫协作工作办公室", "福建省东西部协作办", "350000", "department"),
]
WENZHOU_PAIRS = [  # (mountain county, coastal district), as listed in 001
    ("永嘉县", "瓯海区"),
    ("苍南县", "龙湾区"),
    ("文成县", "瑞安市"),
    ("泰顺县", "鹿城区"),
    ("平阳县", "乐清市"),
]

MINNING_NUMBER = "闽扶协函〔2024〕8号"
MINNING_TITLE = (
    "福建省东西部扶贫协作工作办公室关于征求《关于深入学习贯彻习近平总书记重要指示精神高质量推进"
    "闽宁协作工作的实施意见 (征求意见稿)》意见建议的函"
)
OLD_MINNING_TITLE = "关于深化闽宁协作的实施意见（2024—2026年）（征求意见稿）"

# The governments of the ten Wenzhou counties and districts (结对县〈市、区〉党委、政府).
_CODES = {name: code for name, _level, code, _parent in REGIONS}
UNITS += [
    (f"{county}人民政府", county, _CODES[county], "government") for pair in WENZHOU_PAIRS for county in pair
]

# Seed 003, 专栏6 闽西南共建园区: parks whose both partners are named. (park, coastal, mountain)
MINXINAN_PARKS = [  # 专栏6 闽西南共建园区, in the order printed (park, coastal partner, mountain partner)
    ("海投（长泰）科技创业园", "厦门市", "长泰区"),
    ("翔安云霄产业园", "翔安区", "云霄县"),
    ("诏安（同安）山海协作产业园", "同安区", "诏安县"),
    ("厦泉（安溪）经济合作区", "厦门市", "安溪县"),
    ("厦门龙岩山海协作经济区", "厦门市", "龙岩市"),
    ("武平（思明）高新产业园区", "思明区", "武平县"),
    ("集美（清流）产业园区", "集美区", "清流县"),
    ("晋江（长汀）工业园区", "晋江市", "长汀县"),
    ("明溪鲤城山海协作共建产业园", "鲤城区", "明溪县"),
    ("泉港宁化华侨经济开发区", "泉港区", "宁化县"),
    ("龙海泰宁产业园", "龙海区", "泰宁县"),
]

# (username, full name, unit, role)
ACCOUNTS = [
    ("jj_liaison", "晋江联络员", "晋江市农业农村局", Role.LIAISON),
    ("yx_liaison", "尤溪联络员", "尤溪县发展和改革局", Role.LIAISON),
    ("yx_reporter", "尤溪填报员", "尤溪县教育局", Role.REPORTER),
    ("jj_reporter", "晋江填报员", "晋江市教育局", Role.REPORTER),
    ("wz_liaison", "温州联络员", "温州市招商局（经合办）", Role.LIAISON),
    ("leader", "尤溪分管领导", "尤溪县人民政府", Role.VIEWER),
]


def upsert(model, lookup: dict, defaults: dict):
    """The object with `lookup`, created with `defaults` or brought up to them; saved only on a change.

    Every demo step uses it, so loading twice writes nothing and adds no history row.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.save()
        return obj
    changed = [key for key, value in defaults.items() if getattr(obj, key) != value]
    if changed:
        for key in changed:
            setattr(obj, key, defaults[key])
        obj.save()
    return obj


def _seed_text(name: str) -> str:
    path = SEEDS / name
    return path.read_text(encoding="utf-8") if path.exists() else ""


def load(context: dict | None = None) -> dict:
    """Load or refresh the demo backbone; returns the objects later demo steps need."""
    regions: dict[str, Region] = {}
    by_code: dict[str, Region] = {}
    for name, level, code, parent_code in REGIONS:
        region = upsert(
            Region, {"code": code}, {"name": name, "level": level, "parent": by_code.get(parent_code)}
        )
        by_code[code] = region
        regions[name] = region
    for name, level, parent_code in TOWNSHIPS:
        regions[name] = upsert(Region, {"name": name, "parent": by_code[parent_code]}, {"level": level})

    units: dict[str, Unit] = {}
    for name, short, code, kind in UNITS:
        units[name] = upsert(
            Unit, {"region": by_code[code], "name": name}, {"short_name": short, "kind": kind}
        )

    pairings: dict[str, Pairing] = {}
    jy = upsert(
        Pairing,
        {"name": "晋江市—尤溪县山海协作"},
        {
            "kind": Pairing.Kind.MOUNTAIN_COAST,
            "coastal_region": regions["晋江市"],
            "mountain_region": regions["尤溪县"],
            "coastal_liaison": units["晋江市农业农村局"],
            "mountain_liaison": units["尤溪县发展和改革局"],
            "start_year": 2024,
            "end_year": 2030,
            "notes": "日常联络协调单位：晋江市农业农村局、尤溪县发改局（晋政文〔2024〕102号 三、（一））。"
            "共建产业园区：晋江经济开发区与尤溪经济开发区。",
        },
    )
    pairings["jinjiang_youxi"] = jy

    wz = upsert(
        Pairing,
        {"name": "温州市山海协作工程升级版"},
        {
            "kind": Pairing.Kind.INTRA_CITY,
            "coastal_region": regions["温州市"],
            "mountain_region": regions["温州市"],
            "coastal_liaison": units["温州市招商局（经合办）"],
            "mountain_liaison": units["温州市招商局（经合办）"],
            "start_year": 2018,
            "end_year": 2022,
            "notes": "五个经济发达的区（市）与五个加快发展县结对（温政发〔2018〕26号）。",
        },
    )
    pairings["wenzhou"] = wz
    for mountain, coastal in WENZHOU_PAIRS:
        pairings[f"wz_{mountain}"] = upsert(
            Pairing,
            {"name": f"{coastal}—{mountain}"},
            {
                "kind": Pairing.Kind.INTRA_CITY,
                "coastal_region": regions[coastal],
                "mountain_region": regions[mountain],
                "coastal_liaison": units[f"{coastal}人民政府"],
                "mountain_liaison": units[f"{mountain}人民政府"],
                "start_year": 2018,
                "end_year": 2022,
                "parent": wz,
                "notes": "鹿城—泰顺“飞地”总部经济园区位于鹿城区七都街道。" if mountain == "泰顺县" else "",
            },
        )

    for park, coastal, mountain in MINXINAN_PARKS:
        pairings[park] = upsert(
            Pairing,
            {"name": f"{coastal}—{mountain}（{park}）"},
            {
                "kind": Pairing.Kind.MOUNTAIN_COAST,
                "coastal_region": regions[coastal],
                "mountain_region": regions[mountain],
                "start_year": 2018,
                "end_year": 2025,
                "notes": f"共建园区：{park}（闽西南协同发展区发展规划 专栏6）。共建园区的统计数据双方均可按100%计入。",
            },
        )

    mn = upsert(
        Pairing,
        {"name": "闽宁协作（福建省—宁夏回族自治区）"},
        {
            "kind": Pairing.Kind.EAST_WEST,
            "coastal_region": regions["福建省"],
            "mountain_region": regions["宁夏回族自治区"],
            # Seed 004: the Fujian office sends the letter; 宁夏农业农村厅 drafted the opinions.
            "coastal_liaison": units["福建省东西部扶贫协作工作办公室"],
            "mountain_liaison": units["宁夏回族自治区农业农村厅"],
            "start_year": 2024,
            "end_year": 2026,
            "notes": "东西部协作：11项任务分四个行动，12个闽宁产业园，“一司一县”结对9个重点县，第二十八次联席会议。",
        },
    )
    pairings["minning"] = mn

    documents = {}
    doc_000 = upsert(
        PolicyDocument,
        {"doc_number": "晋政文〔2024〕102号"},
        {
            "title": "晋江市人民政府 尤溪县人民政府关于印发晋江市与尤溪县山海协作实施方案的通知",
            "kind": PolicyDocument.Kind.PLAN,
            "issuers": "晋江市人民政府、尤溪县人民政府",
            "issued": datetime.date(2024, 6, 12),
            "horizon_start": 2024,
            "horizon_end": 2030,
            "full_text": _seed_text("000_jinjiang_youxi_plan.txt"),
        },
    )
    doc_000.pairings.add(jy)
    documents["000"] = doc_000
    doc_001 = upsert(
        PolicyDocument,
        {"doc_number": "温政发〔2018〕26号"},
        {
            "title": "温州市人民政府关于打造山海协作工程升级版的实施意见",
            "kind": PolicyDocument.Kind.OPINION,
            "issuers": "温州市人民政府",
            "issued": datetime.date(2018, 12, 7),
            "horizon_start": 2018,
            "horizon_end": 2020,
            "full_text": _seed_text("001_wenzhou_programme.txt"),
        },
    )
    doc_001.pairings.add(wz, *[pairings[f"wz_{m}"] for m, _c in WENZHOU_PAIRS])
    documents["001"] = doc_001
    doc_002 = upsert(
        PolicyDocument,
        {"title": "2024年晋江市人民政府工作报告"},
        {
            "kind": PolicyDocument.Kind.REPORT,
            "issuers": "晋江市人民政府",
            "issued": datetime.date(2024, 12, 30),
            "horizon_start": 2024,
            "horizon_end": 2025,
            "full_text": _seed_text("002_jinjiang_work_report.txt"),
        },
    )
    doc_002.pairings.add(jy)
    documents["002"] = doc_002
    doc_003 = upsert(
        PolicyDocument,
        {"title": "闽西南协同发展区发展规划"},
        {
            "kind": PolicyDocument.Kind.PROGRAMME,
            "issuers": "福建省人民政府",
            "horizon_start": 2018,
            "horizon_end": 2025,
            "full_text": _seed_text("003_minxinan_plan.txt"),
        },
    )
    doc_003.pairings.add(*[pairings[p] for p, _c, _m in MINXINAN_PARKS])
    documents["003"] = doc_003
    # Seed 004: the letter that forwards the 实施意见 (附件1) — its own 文号, title, issuer, date and
    # text. An earlier demo's record (a paraphrased title, no 文号) is corrected in place.
    fields = {
        "title": MINNING_TITLE,
        "kind": PolicyDocument.Kind.OPINION,
        "issuers": "福建省东西部扶贫协作工作办公室",
        "issued": datetime.date(2024, 10, 14),
        "horizon_start": 2024,
        "horizon_end": 2026,
        "full_text": _seed_text("004_minning_letter.txt"),
    }
    earlier = PolicyDocument.objects.filter(doc_number="", title=OLD_MINNING_TITLE).first()
    if earlier is not None and not PolicyDocument.objects.filter(doc_number=MINNING_NUMBER).exists():
        doc_mn = upsert(PolicyDocument, {"pk": earlier.pk}, {"doc_number": MINNING_NUMBER, **fields})
    else:
        doc_mn = upsert(PolicyDocument, {"doc_number": MINNING_NUMBER}, fields)
    doc_mn.pairings.add(mn)
    documents["minning"] = doc_mn

    # Exchanges of the Jinjiang–Youxi pairing against 000's yearly minimums (demo entries).
    for kind, title, date, place, field, headcount in [
        ("meeting", "晋江—尤溪山海协作党政联席会议", datetime.date(2024, 9, 20), "尤溪县", "", 40),
        ("exchange", "晋江一中—尤溪一中教师交流", datetime.date(2024, 11, 8), "晋江市", "教育", 25),
        ("exchange", "晋江医院专家赴尤溪坐诊交流", datetime.date(2024, 12, 3), "尤溪县", "卫生", 12),
        ("event", "晋江尤溪朱子文化旅游节", datetime.date(2025, 4, 18), "尤溪县", "文旅", 300),
        ("meeting", "2025年晋江—尤溪山海协作联席会议", datetime.date(2025, 6, 12), "晋江市", "", 36),
    ]:
        upsert(
            Activity,
            {"pairing": jy, "title": title, "date": date},
            {"kind": kind, "place": place, "field": field, "headcount": headcount, "notes": "演示数据"},
        )

    # Seed 004: the 实施意见 is to be signed with the minutes of the 28th joint meeting. The letter
    # gives no date for the meeting: the activity carries the letter's date and says so.
    upsert(
        Activity,
        {"pairing": mn, "title": "闽宁协作第28次联席会议"},
        {
            "kind": Activity.Kind.MEETING,
            "date": datetime.date(2024, 10, 14),
            "notes": (
                "《实施意见》拟作为附件列入《闽宁协作第28次联席会议纪要》一并签署（闽扶协函〔2024〕8号）。"
                "来文未写会议日期：此处为来文日期，以会议纪要为准。"
            ),
        },
    )

    accounts = []
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "admin", "admin@localhost", DEMO_PASSWORD, full_name="系统管理员"
        )
    accounts.append(("admin", "超级管理员", "—"))
    for username, full_name, unit_name, role in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.full_name = full_name
        user.email = user.email or f"{username}@shanhai.example"
        user.unit = units[unit_name]
        user.role = role
        user.save()
        accounts.append((username, str(Role(role).label), unit_name))

    return {
        "regions": regions,
        "units": units,
        "pairings": pairings,
        "documents": documents,
        "accounts": accounts,
        "password": DEMO_PASSWORD,
    }
