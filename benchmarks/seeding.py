"""A synthetic province for the benchmark: the real models, filled with bulk operations.

`seed(pairings=100, tasks_per_pairing=500, years=3, seed=42)` writes one *batch*: a province
“规模测试省（种子42）” with coastal and mountain cities and counties, ten departments per county, a
pairing per county pair with its plan, task tree (一、→（一）→ 1.), yearly periods, targets, progress
reports in every state, funds with payments, parks with plans and projects, activities, urging
notices, reminder ledger rows, users of every role. Everything is drawn from `random.Random(seed)`
and dated relative to `as_of` (default today), so the same seed and day give the same rows.

Speed comes from `bulk_create`; history comes from django-simple-history's
`bulk_create_with_history` / `bulk_history_create`, dated when each change happened and naming who
made it (a report's “+” by its reporter, “~” submitted, “~” approved by the liaison …), so the
pages' history sections read as they would after three years of use. The rules that give
consistency are the product's own: deadline texts go through `tasks.services.parse_deadline`,
due dates through `Task.due_date_for` / `FundRule.due_in`, a period is 已完成 when an approved report
marked it done, actuals are the latest approved report's values, a commitment's `paid_total` is
the sum of its ledger rows.

A batch is refused when one with the same seed exists (another seed adds a distinct batch).
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Role, Unit, User
from funds.models import ArrivalConfirmation, Disbursement, FundCommitment, FundRule, FundUseProject
from indicators.models import IndicatorDefinition, RegionIndicator
from parks.models import Park, ParkInvestmentPlan, Project, ProjectInvestment
from reminders.models import Notification, ReminderLedger, ReportingRound, UrgingNotice
from tasks.models import (
    Area,
    EvidenceKind,
    ProgressReport,
    ReportValue,
    Target,
    TargetActual,
    Task,
    TaskPeriod,
    TaskUnit,
    YearLock,
    period_key,
)
from tasks.services import parse_deadline

BATCH = 2000
PASSWORD = "shanhai-demo"  # the demo's password: every synthetic account signs in with it

DEPARTMENTS = [
    # (suffix, short, kind, reporter?)
    ("人民政府", "政府", Unit.Kind.GOVERNMENT, False),
    ("发展和改革局", "发改局", Unit.Kind.DEPARTMENT, True),
    ("农业农村局", "农业农村局", Unit.Kind.DEPARTMENT, True),
    ("教育局", "教育局", Unit.Kind.DEPARTMENT, True),
    ("卫生健康局", "卫健局", Unit.Kind.DEPARTMENT, True),
    ("商务局", "商务局", Unit.Kind.DEPARTMENT, True),
    ("财政局", "财政局", Unit.Kind.DEPARTMENT, True),
    ("人力资源和社会保障局", "人社局", Unit.Kind.DEPARTMENT, False),
    ("文化体育和旅游局", "文体旅局", Unit.Kind.DEPARTMENT, True),
    ("经济开发区管委会", "开发区", Unit.Kind.PARK, False),
]
GOV, DRC, AGRI, EDU, HEALTH, COMMERCE, FINANCE, HR, CULTURE, PARK = range(len(DEPARTMENTS))

AREAS = ["产业协作", "创新平台", "基础设施", "社会事业", "生态文明", "保障措施"]
EVIDENCE_KINDS = ["协议文本", "拨付凭证", "现场照片", "会议纪要"]
# Task titles by area: (title, lead department, co-operating departments).
TITLES = {
    "产业协作": [
        ("共建{ind}产业链，引导{ind}企业到{m}投资设厂", COMMERCE, [DRC]),
        ("举办{ind}产业对接洽谈会，签约一批协作项目", COMMERCE, [DRC, PARK]),
        ("推动{c}{ind}龙头企业在{m}设立生产基地", DRC, [COMMERCE]),
        ("拓展{m}农特产品在{c}的销售渠道，设立销售窗口", AGRI, [COMMERCE]),
    ],
    "创新平台": [
        ("共建{ind}科技创新平台，联合开展技术攻关", DRC, [EDU]),
        ("推动{c}科研院所与{m}企业开展产学研合作", DRC, [COMMERCE]),
        ("共建人才飞地，引进{ind}领域紧缺人才", HR, [DRC]),
    ],
    "基础设施": [
        ("推进{m}至{c}交通通道项目前期工作", DRC, [FINANCE]),
        ("支持{m}完善产业园区水电路网配套", PARK, [DRC, FINANCE]),
    ],
    "社会事业": [
        ("组织{c}优质学校与{m}学校结对，开展教育交流", EDU, []),
        ("推动{c}医院与{m}医院共建医联体，开展医疗卫生交流", HEALTH, []),
        ("开展劳务协作，组织{m}富余劳动力到{c}就业", HR, [AGRI]),
        ("联合举办文体旅活动，推介{m}生态旅游线路", CULTURE, [COMMERCE]),
    ],
    "生态文明": [
        ("共同推进流域生态保护补偿，开展联合巡河", AGRI, [DRC]),
        ("支持{m}发展生态农业和森林康养产业", AGRI, [CULTURE]),
    ],
    "保障措施": [
        ("{c}每年安排山海协作专项资金，支持{m}造血式产业项目", FINANCE, [DRC]),
        ("建立党政领导互访和联席会议制度，每年至少召开1次联席会议", DRC, [GOV]),
        ("建立工作台账，按季度报送进展情况", DRC, []),
    ],
}
INDUSTRIES = ["纺织鞋服", "食品加工", "新材料", "智能装备", "生物医药", "竹木加工", "茶产业", "电子信息"]
YEARLY_DEADLINES = ["每年4月底前", "每年3月底前", "每年6月底前", "每年9月底前", "每年10月底前", "每年年底前"]
TOP_TITLES = ["总体要求", "重点任务", "保障措施", "组织实施", "监督考核"]

COAST_SYLLABLES = "东西南北海江港湾滨澳浦洋潮鹭榕泉瓯鹿龙凤"
COAST_SUFFIX = "城安宁平湖门州浦口山"
MOUNTAIN_SYLLABLES = "云岭峰溪林泰永宁德清松竹枫桂华源明乐"
MOUNTAIN_SUFFIX = "阳和化溪田丰川岩坪安"
CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (task numbers of a plan)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return head + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


# --------------------------------------------------------------------------------------------
# The fast path for the big tables
# --------------------------------------------------------------------------------------------

# Tables of at least this many rows skip Django's INSERT compiler: it costs ~150 µs a row on this
# machine (prepare_value per field), five times the 2-minute budget at the default size. The rows
# are the same: ids assigned in order after the table's largest, values converted per column type,
# history rows with exactly the columns django-simple-history's `bulk_history_create` writes.
FAST_ROWS = 1000


def _converter(field, vendor: str):
    kind = field.get_internal_type()
    if vendor == "sqlite":
        if kind == "DateTimeField":
            return lambda v: (
                None if v is None else v.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
            )
        if kind == "DateField":
            return lambda v: None if v is None else v.isoformat()
        if kind == "DecimalField":
            return lambda v: None if v is None else str(v)
    if kind == "JSONField":
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    return None


def _getter(field, vendor: str):
    """A function obj → database value of `field`, taking a related object's pk like bulk_create does."""
    attname, convert = field.attname, _converter(field, vendor)
    if field.is_relation:

        def get(obj):
            value = obj.__dict__.get(attname)
            if value is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    value = related.pk
                    setattr(obj, attname, value)
            return value

        return get
    if convert is None:
        return lambda obj: obj.__dict__.get(attname)
    return lambda obj: convert(obj.__dict__.get(attname))


def _execute(table: str, columns: list[str], rows: list[tuple]) -> None:
    qn = connection.ops.quote_name
    sql = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            for start in range(0, len(rows), 20000):
                execute_values(cursor.cursor, sql + "%s", rows[start : start + 20000], page_size=1000)
        else:
            cursor.executemany(sql + "(" + ", ".join(["%s"] * len(columns)) + ")", rows)


def raw_insert(model, objs: list) -> None:
    """Insert `objs` (unsaved instances) in one pass; each gets the next id of its table."""
    vendor = connection.vendor
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = [_getter(f, vendor) for f in fields]
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk.column)}) FROM {model._meta.db_table}")
        next_id = (cursor.fetchone()[0] or 0) + 1
    rows = []
    for obj in objs:
        obj.pk = next_id
        obj._state.adding, obj._state.db = False, "default"
        next_id += 1
        rows.append((obj.pk, *[get(obj) for get in getters]))
    _execute(model._meta.db_table, [pk.column] + [f.column for f in fields], rows)
    if vendor == "postgresql":
        # Ids were given explicitly: move the table's sequence past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)


def raw_history(model, objs: list, history_type: str, default_date, default_user) -> None:
    """The rows `model.history.bulk_history_create(objs)` would write, inserted in one pass."""
    vendor = connection.vendor
    historical = model.history.model
    user_id = default_user.pk if default_user is not None else None
    to_db_date = _converter(historical._meta.get_field("history_date"), vendor) or (lambda v: v)
    columns, getters = [], []
    for f in historical._meta.concrete_fields:
        if f.attname in (
            "history_id",
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ):
            continue
        columns.append(f.column)
        getters.append(_getter(model._meta.get_field(f.name), vendor))
    rows = []
    for obj in objs:
        user = getattr(obj, "_history_user", None)
        rows.append(
            (
                *[get(obj) for get in getters],
                to_db_date(getattr(obj, "_history_date", default_date)),
                None,
                history_type,
                user.pk if user is not None else user_id,
            )
        )
    columns += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    _execute(historical._meta.db_table, columns, rows)


class BatchExists(Exception):
    """A batch with this seed is already in the database."""


@dataclass
class SeedStats:
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0
    province: str = ""
    liaison: str = ""
    reporter: str = ""
    pairing_ids: list[int] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)  # CPU seconds of each step

    def add(self, label: str, n: int) -> None:
        self.rows[label] = self.rows.get(label, 0) + n


def province_name(seed: int) -> str:
    return f"规模测试省（种子{seed}）"


def batch_exists(seed: int) -> bool:
    return Region.objects.filter(name=province_name(seed), level=Region.Level.PROVINCE).exists()


@contextmanager
def explicit_timestamps() -> Iterator[None]:
    """Let bulk inserts keep the creation times we give (`auto_now_add` would stamp them all “now”)."""
    patched = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now_add", False):
                f.auto_now_add = False
                patched.append(f)
    try:
        yield
    finally:
        for f in patched:
            f.auto_now_add = True


class Seeder:
    """Builds one batch; each `_step` writes one kind of rows with its history."""

    def __init__(
        self, *, pairings: int, tasks_per_pairing: int, years: int, seed: int, as_of: datetime.date
    ) -> None:
        self.n_pairings = pairings
        self.m_tasks = tasks_per_pairing
        self.n_years = years
        self.seed = seed
        self.as_of = as_of
        self.last_year = as_of.year
        self.first_year = as_of.year - years + 1
        self.years = list(range(self.first_year, self.last_year + 1))
        self.rng = random.Random(seed)
        self.stats = SeedStats(province=province_name(seed))
        self.tz = timezone.get_default_timezone()
        self.created_at = self.at(datetime.date(self.first_year, 1, 10), 9)

    # --- helpers -----------------------------------------------------------------------------
    def at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def clamp(self, day: datetime.date) -> datetime.date:
        return min(day, self.as_of)

    def insert(self, model, objs: list, label: str, *, history: bool = True, date=None, user=None) -> list:
        """Bulk insert, with a “+” history row per object (dated `date` unless the object says)."""
        if not objs:
            return objs
        self.stats.add(label, len(objs))
        if len(objs) < FAST_ROWS:
            # The library's own path: bulk_create, then bulk_history_create of the saved rows.
            if history and hasattr(model, "history"):
                self.stats.history_rows += len(objs)
                return bulk_create_with_history(
                    objs, model, batch_size=BATCH, default_date=date or self.created_at, default_user=user
                )
            return model._default_manager.bulk_create(objs, batch_size=BATCH)
        raw_insert(model, objs)
        if history and hasattr(model, "history"):
            self.history(model, objs, update=False, date=date, user=user)
        return objs

    def history(self, model, objs: list, *, update: bool = True, date=None, user=None) -> None:
        """History rows of the objects' current in-memory state (each with its `_history_date`/`_user`)."""
        if not objs:
            return
        self.stats.history_rows += len(objs)
        if len(objs) < FAST_ROWS:
            model.history.bulk_history_create(
                objs, batch_size=BATCH, update=update, default_date=date or self.created_at, default_user=user
            )
        else:
            raw_history(model, objs, "~" if update else "+", date or self.created_at, user)

    # --- the batch ---------------------------------------------------------------------------
    def run(self) -> SeedStats:
        started = time.monotonic()
        if batch_exists(self.seed):
            raise BatchExists(province_name(self.seed))
        with transaction.atomic(), explicit_timestamps():
            self.password = make_password(PASSWORD)
            for step in (
                self.regions,
                self.units_and_users,
                self.pairings,
                self.documents_and_areas,
                self.tasks,
                self.periods_and_reports,
                self.funds,
                self.parks,
                self.activities,
                self.reminders,
                self.indicators,
            ):
                clock = time.process_time()
                step()
                self.stats.steps[step.__name__] = round(time.process_time() - clock, 2)
        # Fresh statistics for the planner, as autovacuum would gather them after a bulk load: with
        # the empty tables' statistics PostgreSQL reads a history table backwards by date to find
        # one object's rows (357 ms instead of 0.1 ms on the full set). On PostgreSQL a VACUUM too,
        # as autovacuum does after a bulk load: it sets the visibility map, without which a list's
        # COUNT(*) reads the table's pages instead of the index alone (15 → 3 ms over 50,000 tasks).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stats.seconds = time.monotonic() - started
        return self.stats

    def regions(self) -> None:
        rng = self.rng
        province = Region(name=province_name(self.seed), level=Region.Level.PROVINCE)
        province.save()  # one row: the model's own save computes its path and writes its history
        self.province = province
        n_cities = max(1, -(-self.n_pairings // 10))
        coast_names = self._names(COAST_SYLLABLES, COAST_SUFFIX, self.n_pairings + n_cities)
        mountain_names = self._names(MOUNTAIN_SYLLABLES, MOUNTAIN_SUFFIX, self.n_pairings + n_cities)
        cities = [
            Region(name=f"{coast_names[i]}市", level=Region.Level.CITY, parent=province)
            for i in range(n_cities)
        ] + [
            Region(name=f"{mountain_names[i]}市", level=Region.Level.CITY, parent=province)
            for i in range(n_cities)
        ]
        self._regions(cities, "市")
        self.coast_cities, self.mountain_cities = cities[:n_cities], cities[n_cities:]
        counties = []
        for i in range(self.n_pairings):
            counties.append(
                Region(
                    name=f"{coast_names[n_cities + i]}{rng.choice('区市')}",
                    level=Region.Level.COUNTY,
                    parent=self.coast_cities[i // 10],
                )
            )
        for i in range(self.n_pairings):
            counties.append(
                Region(
                    name=f"{mountain_names[n_cities + i]}县",
                    level=Region.Level.COUNTY,
                    parent=self.mountain_cities[i // 10],
                )
            )
        self._regions(counties, "县区")
        self.coast_counties, self.mountain_counties = counties[: self.n_pairings], counties[self.n_pairings :]

    def _names(self, syllables: str, suffixes: str, n: int) -> list[str]:
        names = [a + b for a in syllables for b in suffixes if a != b]
        self.rng.shuffle(names)
        while len(names) < n:  # more than the pools hold: number the rest
            names += [f"{name}{len(names) // len(syllables)}" for name in names[: n - len(names)]]
        return names[:n]

    def _regions(self, regions: list[Region], label: str) -> None:
        Region.objects.bulk_create(regions, batch_size=BATCH)
        for region in regions:
            region.path = f"{region.parent.path}{region.pk}/"
        Region.objects.bulk_update(regions, ["path"], batch_size=BATCH)
        for region in regions:
            region._history_date = self.created_at
        self.history(Region, regions, update=False)
        self.stats.add(f"行政区划（{label}）", len(regions))

    def units_and_users(self) -> None:
        s = self.seed
        units = [
            Unit(name="省发展和改革委员会（省山海协作办）", short_name="省山海办", region=self.province),
            Unit(name="省财政厅", short_name="省财政厅", region=self.province),
            Unit(name="省人民政府", short_name="省政府", region=self.province, kind=Unit.Kind.GOVERNMENT),
        ]
        for city in self.coast_cities + self.mountain_cities:
            units.append(
                Unit(name=f"{city.name}发展和改革委员会", short_name=f"{city.name}发改委", region=city)
            )
        self.county_units: dict[int, list[Unit]] = {}
        for county in self.coast_counties + self.mountain_counties:
            own = [
                Unit(
                    name=f"{county.name}{suffix}",
                    short_name=f"{county.name[:2]}{short}",
                    region=county,
                    kind=kind,
                )
                for suffix, short, kind, _reporter in DEPARTMENTS
            ]
            self.county_units[county.pk] = own
            units += own
        self.insert(Unit, units, "单位")
        self.province_office, _finance, self.province_gov = units[:3]

        joined = self.created_at
        users = [
            User(
                username=f"s{s}_admin",
                full_name="规模测试管理员",
                is_superuser=True,
                is_staff=True,
                role=Role.LIAISON,
            ),
            User(
                username=f"s{s}_province_liaison",
                full_name="省山海办联络员",
                unit=self.province_office,
                role=Role.LIAISON,
            ),
            User(
                username=f"s{s}_province_leader", full_name="省领导", unit=self.province_gov, role=Role.VIEWER
            ),
        ]
        self.unit_users: dict[int, list[User]] = defaultdict(list)
        self.liaison_of: dict[int, User] = {}
        self.reporter_of: dict[int, User] = {}
        for county in self.coast_counties + self.mountain_counties:
            own = self.county_units[county.pk]
            index = (self.coast_counties + self.mountain_counties).index(county)
            liaison_unit = own[AGRI] if index < self.n_pairings else own[DRC]
            liaison = User(
                username=f"s{s}_c{county.pk}_liaison",
                full_name=f"{county.name}联络员",
                unit=liaison_unit,
                role=Role.LIAISON,
            )
            users.append(liaison)
            self.liaison_of[county.pk] = liaison
            users.append(
                User(
                    username=f"s{s}_c{county.pk}_leader",
                    full_name=f"{county.name}分管领导",
                    unit=own[GOV],
                    role=Role.VIEWER,
                )
            )
            for position, (_suffix, _short, _kind, reporter) in enumerate(DEPARTMENTS):
                if reporter and own[position] is not liaison_unit:
                    user = User(
                        username=f"s{s}_u{own[position].pk}_reporter",
                        full_name=f"{own[position].short_name}填报员",
                        unit=own[position],
                        role=Role.REPORTER,
                    )
                    users.append(user)
                    self.reporter_of[own[position].pk] = user
        for user in users:
            user.password = self.password
            user.email = f"{user.username}@scale.example"
            user.date_joined = joined
        User.objects.bulk_create(users, batch_size=BATCH)
        for user in users:
            if user.unit_id:
                self.unit_users[user.unit_id].append(user)
        self.stats.add("用户", len(users))
        self.admin = users[0]
        self.province_liaison = users[1]
        self.stats.liaison = self.province_liaison.username

    def pairings(self) -> None:
        rng = self.rng
        pairings = []
        for i in range(self.n_pairings):
            coast, mountain = self.coast_counties[i], self.mountain_counties[i]
            pairings.append(
                Pairing(
                    name=f"{coast.name}—{mountain.name}山海协作",
                    kind=Pairing.Kind.MOUNTAIN_COAST if i % 10 else Pairing.Kind.INTRA_CITY,
                    coastal_region=coast,
                    mountain_region=mountain,
                    coastal_liaison=self.county_units[coast.pk][AGRI],
                    mountain_liaison=self.county_units[mountain.pk][DRC],
                    start_year=self.first_year,
                    end_year=self.last_year,
                    status=Pairing.Status.ACTIVE,
                    notes=rng.choice(["", "", "双方签订结对帮扶框架协议。"]),
                )
            )
        self.pairing_list = self.insert(Pairing, pairings, "结对")
        self.stats.pairing_ids = [p.pk for p in pairings]
        first = pairings[0]
        self.stats.reporter = self.reporter_of[self.county_units[first.mountain_region_id][EDU].pk].username

    def documents_and_areas(self) -> None:
        docs, links, areas, kinds = [], [], [], []
        for i, pairing in enumerate(self.pairing_list):
            issued = datetime.date(self.first_year, 3, 1) + datetime.timedelta(days=self.rng.randrange(90))
            docs.append(
                PolicyDocument(
                    doc_number=f"{pairing.coastal_region.name[:1]}政文〔{self.first_year}〕{100 + i}号",
                    title=f"{pairing.coastal_region.name}—{pairing.mountain_region.name}山海协作实施方案",
                    kind=PolicyDocument.Kind.PLAN,
                    issuers=f"{pairing.coastal_region.name}人民政府、{pairing.mountain_region.name}人民政府",
                    issued=issued,
                    horizon_start=self.first_year,
                    horizon_end=self.last_year,
                )
            )
            for order, name in enumerate(AREAS):
                areas.append(Area(pairing=pairing, name=name, order=order))
            kinds += [EvidenceKind(pairing=pairing, name=name) for name in EVIDENCE_KINDS]
        self.insert(PolicyDocument, docs, "政策文件")
        through = PolicyDocument.pairings.through
        links = [
            through(policydocument_id=d.pk, pairing_id=p.pk)
            for d, p in zip(docs, self.pairing_list, strict=True)
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        self.documents = {p.pk: d for d, p in zip(docs, self.pairing_list, strict=True)}
        self.insert(Area, areas, "任务领域")
        self.insert(EvidenceKind, kinds, "佐证材料类型")
        self.areas: dict[int, list[Area]] = defaultdict(list)
        for area in areas:
            self.areas[area.pairing_id].append(area)

    # --- tasks -------------------------------------------------------------------------------
    def _shape(self) -> tuple[int, int, int]:
        m = self.m_tasks
        if m < 3:
            return m, 0, 0
        top = max(1, round(m / 100))
        mid = max(top, round(m * 0.09))
        return top, mid, m - top - mid

    def tasks(self) -> None:
        rng = self.rng
        top_n, mid_n, leaf_n = self._shape()
        deadline_cache: dict[str, dict] = {}

        def deadline(text: str) -> dict:
            if text not in deadline_cache:
                deadline_cache[text] = parse_deadline(text)
            return deadline_cache[text]

        levels: list[list[Task]] = [[], [], []]
        self.leaf_meta: dict[int, tuple] = {}  # id(task) → (lead dept index, co-op indexes, side)
        for pairing in self.pairing_list:
            c, m = pairing.coastal_region.name, pairing.mountain_region.name
            areas = self.areas[pairing.pk]
            doc = self.documents[pairing.pk]
            tops = []
            for t in range(top_n):
                task = Task(
                    pairing=pairing,
                    document=doc,
                    number=f"{chinese_number(t + 1)}、",
                    title=TOP_TITLES[t % len(TOP_TITLES)],
                    start_year=self.first_year,
                    end_year=self.last_year,
                )
                tops.append(task)
                levels[0].append(task)
            mids = []
            for k in range(mid_n):
                area = areas[k % len(areas)]
                task = Task(
                    pairing=pairing,
                    document=doc,
                    number=f"（{chinese_number(k // top_n + 1)}）",
                    position=0,
                    title=f"{area.name}：{rng.choice(['深化', '拓展', '推进', '提升'])}{area.name}合作",
                    area=area,
                    start_year=self.first_year,
                    end_year=self.last_year,
                )
                task._parent_index = k % top_n
                mids.append(task)
            for j in range(leaf_n):
                parent_index = j % mid_n
                area = mids[parent_index].area
                template, lead, coop = rng.choice(TITLES[area.name])
                title = template.format(c=c, m=m, ind=rng.choice(INDUSTRIES))
                roll = rng.random()
                if roll < 0.55:
                    text = rng.choice(YEARLY_DEADLINES)
                elif roll < 0.85:
                    year = rng.choice(self.years)
                    text = f"{year}年{rng.choice([3, 6, 7, 9, 10, 12])}月底前"
                else:
                    text = rng.choice(["常态化推进", "持续推进", ""])
                task = Task(
                    pairing=pairing,
                    document=doc,
                    number="",
                    position=0,
                    title=title[:200],
                    body=f"{title}。由{c}、{m}相关部门按职责分工落实，定期报送进展。",
                    area=area,
                    start_year=self.first_year,
                    end_year=self.last_year,
                    **deadline(text),
                )
                task._parent_index = parent_index
                self.leaf_meta[id(task)] = (lead, coop, rng.random())
                levels[2].append(task)
                mids[parent_index].__dict__.setdefault("_leaves", []).append(task)
            # Positions in tree order: each top, then its mids each followed by their leaves.
            position = 0
            for t, top in enumerate(tops):
                position += 1
                top.position = position
                number = 0
                for mid in (x for x in mids if x._parent_index == t):
                    position += 1
                    number += 1
                    mid.position = position
                    mid.number = f"（{chinese_number(number)}）"
                    mid._top = top
                    levels[1].append(mid)
                    for n, leaf in enumerate(mid.__dict__.get("_leaves", []), start=1):
                        position += 1
                        leaf.position = position
                        leaf.number = f"{n}."
                        leaf._mid = mid
        self.insert(Task, levels[0], "任务（一级）")
        for mid in levels[1]:
            mid.parent = mid._top
        self.insert(Task, levels[1], "任务（二级）")
        for leaf in levels[2]:
            leaf.parent = leaf._mid
        self.insert(Task, levels[2], "任务（三级）")
        self.all_tasks = levels[0] + levels[1] + levels[2]
        self.leaves = levels[2]

        task_units = []
        for leaf in self.leaves:
            lead, coop, side_roll = self.leaf_meta.pop(id(leaf))
            pairing = leaf.pairing
            lead_side = pairing.mountain_region_id if side_roll < 0.6 else pairing.coastal_region_id
            other_side = (
                pairing.coastal_region_id
                if lead_side == pairing.mountain_region_id
                else pairing.mountain_region_id
            )
            lead_unit = self.county_units[lead_side][lead]
            leaf._lead_unit = lead_unit
            task_units.append(TaskUnit(task=leaf, unit=lead_unit, role=TaskUnit.Role.LEAD, order=0))
            seen = {lead_unit.pk}
            partners = [self.county_units[other_side][lead]] + [self.county_units[lead_side][x] for x in coop]
            for order, unit in enumerate(partners[: 1 + self.rng.randrange(3)]):
                if unit.pk not in seen:
                    seen.add(unit.pk)
                    task_units.append(
                        TaskUnit(task=leaf, unit=unit, role=TaskUnit.Role.COOPERATING, order=order)
                    )
        self.insert(TaskUnit, task_units, "责任单位")

        targets = []
        for leaf in self.leaves:
            roll = self.rng.random()
            if roll > 0.25:
                continue
            if "洽谈会" in leaf.title:
                spec = ("举办对接洽谈会", ">=", Decimal("1"), "次", "每年至少举办1次对接洽谈会")
            elif "联席会议" in leaf.title:
                spec = ("党政领导联席会议", ">=", Decimal("1"), "次", "每年至少召开1次联席会议")
            elif "教育" in leaf.title:
                spec = ("教育交流活动", ">=", Decimal("1"), "次", "每年开展教育交流不少于1次")
            elif "医疗" in leaf.title:
                spec = ("医疗卫生交流活动", ">=", Decimal("1"), "次", "每年开展医疗卫生交流不少于1次")
            elif "专项资金" in leaf.title:
                amount = Decimal(self.rng.choice([500, 800, 1000, 1200])) * 10000
                spec = ("专项资金", ">=", amount, "元", f"每年安排专项资金{amount / 10000:.0f}万元")
            elif roll < 0.12:
                spec = ("产业项目到位资金", ">=", Decimal(self.rng.choice([2, 5, 10])) * 10**8, "元", "")
                spec = spec[:4] + (f"到位资金不少于{spec[2] / 10**8:.0f}亿元",)
            else:
                n = self.rng.choice([200, 600, 1000])
                spec = ("培训或转移就业人数", ">=", Decimal(n), "人次", f"每年培训或转移就业{n}人次以上")
            name, comparator, value, unit, text = spec
            targets.append(
                Target(task=leaf, name=name, comparator=comparator, value=value, unit=unit, source_text=text)
            )
        self.insert(Target, targets, "量化指标")
        self.targets_of: dict[int, list[Target]] = defaultdict(list)
        for target in targets:
            self.targets_of[target.task_id].append(target)

    # --- periods and reports -----------------------------------------------------------------
    def periods_and_reports(self) -> None:
        rng, as_of = self.rng, self.as_of
        Status = TaskPeriod.Status
        periods: list[TaskPeriod] = []
        for task in self.all_tasks:
            if task.deadline_kind == Task.DeadlineKind.ONCE and task.deadline_date:
                years = [task.deadline_date.year]
            else:
                years = list(task.years())
            for year in years:
                due = task.due_date_for(year)
                period = TaskPeriod(task=task, year=year, due_date=due)
                periods.append(period)
                is_leaf = task.parent_id is not None and hasattr(task, "_lead_unit")
                reference = due or datetime.date(year, 12, 31)
                roll = rng.random()
                if reference < as_of:
                    if roll < 0.72:
                        late = rng.random() < 0.2
                        delta = rng.randrange(1, 60) if late else -rng.randrange(0, 40)
                        period.status = Status.DONE
                        period.completed_on = self.clamp(reference + datetime.timedelta(days=delta))
                    elif roll < 0.78:
                        period.status = Status.PAUSED
                    elif roll < 0.92:
                        period.status = Status.IN_PROGRESS
                elif datetime.date(year, 1, 1) <= as_of:
                    if roll < 0.15:
                        period.status = Status.DONE
                        period.completed_on = self.clamp(
                            as_of - datetime.timedelta(days=rng.randrange(1, 60))
                        )
                        period.completed_on = max(period.completed_on, datetime.date(year, 1, 1))
                    elif roll < 0.6:
                        period.status = Status.IN_PROGRESS
                period._leaf = is_leaf
                if period.status != Status.NOT_STARTED:
                    period.note = rng.choice(["", "按计划推进。", "已完成年度工作。", "正在对接中。"])
        # Periods in their final state; reports, written and reviewed by the people of the pairing.
        reports: list[ProgressReport] = []
        changed: list[TaskPeriod] = []
        for period in periods:
            status, completed_on = period.status, period.completed_on
            if status == Status.NOT_STARTED:
                continue
            task = period.task
            pairing = task.pairing
            reviewer = self.liaison_of[pairing.mountain_region_id]
            if status in (Status.DONE, Status.IN_PROGRESS) and period._leaf:
                reports += self._reports(period, reviewer, done=status == Status.DONE)
            period.version = 2
            period._changed_by = reviewer
            day = completed_on or self.clamp(
                (period.due_date or datetime.date(period.year, 6, 30)) - datetime.timedelta(days=20)
            )
            period._changed_at = self.at(max(day, datetime.date(period.year, 1, 6)), 16)
            changed.append(period)
        self.insert(TaskPeriod, periods, "任务年度", history=False)
        # History: “+” not started, by the system when the plan was set up; “~” the status the
        # liaison officer's approval (or the unit) gave it.
        finals = [(p.status, p.completed_on, p.note, p.version) for p in periods]
        for p in periods:
            p.status, p.completed_on, p.note, p.version = Status.NOT_STARTED, None, "", 1
            p._history_date = self.at(datetime.date(p.year, 1, 5), 9)
            p._history_user = None
        self.history(TaskPeriod, periods, update=False)
        for p, (status, completed_on, note, version) in zip(periods, finals, strict=True):
            p.status, p.completed_on, p.note, p.version = status, completed_on, note, version
        for p in changed:
            p._history_date, p._history_user = p._changed_at, p._changed_by
        self.history(TaskPeriod, changed)

        self._insert_reports(reports)

        # Every year before the current one is assessed in most pairings: locked.
        locks = [
            YearLock(pairing=p, year=self.first_year, locked=True, reason="年度考核已完成")
            for i, p in enumerate(self.pairing_list)
            if i % 2 == 0 and self.first_year < self.last_year
        ]
        self.insert(YearLock, locks, "年度锁定", date=self.at(datetime.date(self.first_year + 1, 2, 28), 10))

    def _reports(self, period: TaskPeriod, reviewer: User, *, done: bool) -> list[ProgressReport]:
        """The reports of one period, in final state; each carries its path through the states."""
        rng = self.rng
        unit = period.task._lead_unit
        author = self.reporter_of.get(unit.pk) or self.liaison_of[unit.region_id]
        reference = period.completed_on or self.clamp(
            (period.due_date or datetime.date(period.year, 9, 30)) - datetime.timedelta(days=10)
        )
        reference = max(reference, datetime.date(period.year, 1, 20))
        created = reference - datetime.timedelta(days=rng.randrange(3, 15))
        submitted = reference - datetime.timedelta(days=rng.randrange(0, 3))
        reviewed = self.clamp(reference + datetime.timedelta(days=rng.randrange(0, 5)))
        Status = ProgressReport.Status
        if done:
            final = Status.APPROVED
            returned_first = rng.random() < 0.2
        else:
            final = rng.choices(
                [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED], [3, 3, 2, 2]
            )[0]
            returned_first = False
        year_name = f"{period.year}年"
        report = ProgressReport(
            period=period,
            unit=unit,
            status=final,
            text=f"{year_name}{period.task.title[:40]}：{rng.choice(['已按计划完成', '正在推进', '已完成阶段性工作'])}。",
            marks_done=done,
            completed_on=period.completed_on if done else None,
            created_by=author,
            created=self.at(created, 10, rng.randrange(60)),
            return_reason="",
        )
        path = [("+", Status.DRAFT, created, author)]
        if returned_first:
            first_review = submitted - datetime.timedelta(days=rng.randrange(1, 3))
            path += [
                ("~", Status.SUBMITTED, first_review - datetime.timedelta(days=1), author),
                ("~", Status.RETURNED, first_review, reviewer),
            ]
        if final != Status.DRAFT:
            path.append(("~", Status.SUBMITTED, submitted, author))
            report.submitted_at = self.at(submitted, 15)
        if final in (Status.APPROVED, Status.RETURNED):
            path.append(("~", final, reviewed, reviewer))
            report.reviewed_by = reviewer
            report.reviewed_at = self.at(reviewed, 17)
            if final == Status.RETURNED:
                report.return_reason = "佐证材料不全，请补充协议文本或现场照片后重新提交。"
        report.version = len(path)
        report._path = path
        return [report]

    def _insert_reports(self, reports: list[ProgressReport]) -> None:
        Status = ProgressReport.Status
        ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
        self.stats.add("进展报告", len(reports))
        # The history of each report: created as a draft, submitted, returned or approved …
        final = {
            r.pk: (r.status, r.submitted_at, r.reviewed_by, r.reviewed_at, r.return_reason) for r in reports
        }
        depth = max((len(r._path) for r in reports), default=0)
        for step in range(depth):
            batch = []
            for r in reports:
                if step >= len(r._path):
                    continue
                kind, status, day, who = r._path[step]
                r.status = status
                r.version = step + 1
                if status == Status.DRAFT:
                    r.submitted_at = r.reviewed_by = r.reviewed_at = None
                    r.return_reason = ""
                elif status == Status.SUBMITTED:
                    r.submitted_at = self.at(day, 15)
                    r.return_reason = ""
                elif status == Status.RETURNED:
                    r.reviewed_by, r.reviewed_at = who, self.at(day, 17)
                    r.return_reason = "佐证材料不全，请补充协议文本或现场照片后重新提交。"
                else:
                    r.reviewed_by, r.reviewed_at = who, self.at(day, 17)
                r._history_date = (
                    r.created if step == 0 else self.at(day, 15 if status == Status.SUBMITTED else 17, step)
                )
                r._history_user = who
                batch.append(r)
            self.history(ProgressReport, batch, update=step > 0)
        for r in reports:
            r.status, r.submitted_at, r.reviewed_by, r.reviewed_at, r.return_reason = final[r.pk]
            r.version = len(r._path)

        # … its values for the task's targets, and the actuals the approval copied into the period.
        values, actuals = [], []
        for r in reports:
            targets = self.targets_of.get(r.period.task_id)
            if not targets:
                continue
            for target in targets:
                share = Decimal(self.rng.choice([40, 70, 100, 120])) / 100
                value = (target.value * share).quantize(Decimal("1"))
                values.append(ReportValue(report=r, target=target, value=value))
                if r.status == Status.APPROVED:
                    actual = TargetActual(period=r.period, target=target, value=value, report=r)
                    actual._history_date = r.reviewed_at
                    actual._history_user = r.reviewed_by
                    actuals.append(actual)
        for v in values:
            v._history_date = v.report.created
            v._history_user = v.report.created_by
        self.insert(ReportValue, values, "报告完成值")
        self.insert(TargetActual, actuals, "指标完成值")

    # --- funds -------------------------------------------------------------------------------
    def funds(self) -> None:
        rng, as_of = self.rng, self.as_of
        rules = []
        for pairing in self.pairing_list:
            coast, mountain = pairing.coastal_region, pairing.mountain_region
            amount = Decimal(rng.choice([500, 800, 1000, 1200, 1500, 2000])) * 10000
            rules.append(
                FundRule(
                    pairing=pairing,
                    purpose="山海协作专项资金（造血式产业项目为主）",
                    payer_region=coast,
                    payer_unit=self.county_units[coast.pk][FINANCE],
                    receiver_region=mountain,
                    receiver_unit=self.county_units[mountain.pk][DRC],
                    amount=amount,
                    due_month=4,
                    due_day=30,
                    due_text="每年4月底前",
                    use_list_due_month=3,
                    use_list_due_day=31,
                    use_list_due_text="每年3月底前",
                    source_text=f"{coast.name}每年4月底前安排山海协作专项资金{amount / 10000:.0f}万元",
                    document=self.documents[pairing.pk],
                    first_year=self.first_year,
                    last_year=self.last_year,
                )
            )
        self.insert(FundRule, rules, "资金规则")
        commitments = []
        for rule in rules:
            for year in self.years:
                c = FundCommitment(
                    pairing=rule.pairing,
                    year=year,
                    rule=rule,
                    purpose=rule.purpose,
                    payer_region=rule.payer_region,
                    payer_unit=rule.payer_unit,
                    receiver_region=rule.receiver_region,
                    receiver_unit=rule.receiver_unit,
                    amount=rule.amount,
                    due=rule.due_in(year),
                    due_text=rule.due_text,
                    use_list_due=rule.use_list_due_in(year),
                    use_list_due_text=rule.use_list_due_text,
                    document=rule.document,
                )
                if c.use_list_due <= as_of and rng.random() < 0.9:
                    c.use_list_submitted = self.clamp(
                        c.use_list_due + datetime.timedelta(days=rng.randrange(-20, 15))
                    )
                c._history_date = self.at(datetime.date(year, 1, 15), 9)
                commitments.append(c)
        # Payments first (in memory): the running totals are the ledger's sums.
        payments, confirmations, projects = [], [], []
        for c in commitments:
            payer = self.reporter_of.get(c.payer_unit.pk)
            receiver = self.reporter_of.get(c.receiver_unit.pk) or self.liaison_of[c.receiver_region_id]
            if c.due - datetime.timedelta(days=60) > as_of:
                plan = []
            elif c.due < as_of:
                roll = rng.random()
                shift = rng.randrange(1, 60) if roll < 0.3 else -rng.randrange(0, 30)
                if roll < 0.85:
                    plan = [(c.due + datetime.timedelta(days=shift), c.amount)]
                    if rng.random() < 0.3:
                        first = (c.amount * Decimal("0.6")).quantize(Decimal("0.01"))
                        plan = [(c.due - datetime.timedelta(days=40), first), (plan[0][0], c.amount - first)]
                elif roll < 0.93:
                    plan = [
                        (c.due + datetime.timedelta(days=shift), (c.amount / 2).quantize(Decimal("0.01")))
                    ]
                else:
                    plan = []
            else:
                plan = [(c.due - datetime.timedelta(days=30), (c.amount / 2).quantize(Decimal("0.01")))]
            paid = Decimal("0")
            for day, amount in plan:
                day = self.clamp(day)
                d = Disbursement(
                    commitment=c,
                    kind=Disbursement.Kind.PAYMENT,
                    date=day,
                    amount=amount,
                    voucher_no=f"HB{c.year}{rng.randrange(10000, 99999)}",
                    recorded_by=payer,
                    recorded_at=self.at(day, 11),
                )
                d._history_date, d._history_user = d.recorded_at, payer
                payments.append(d)
                paid += amount
                if rng.random() < 0.85 and day + datetime.timedelta(days=3) <= as_of:
                    when = self.clamp(day + datetime.timedelta(days=rng.randrange(1, 10)))
                    a = ArrivalConfirmation(
                        commitment=c,
                        date=when,
                        amount=amount,
                        confirmed_by=receiver,
                        unit=c.receiver_unit,
                        recorded_at=self.at(when, 14),
                    )
                    a._history_date, a._history_user = a.recorded_at, receiver
                    confirmations.append(a)
                    c.confirmed_total += amount
            c.paid_total = paid
            if c.use_list_submitted:
                spent_share = Decimal(rng.choice([0, 30, 60, 90, 100])) / 100
                left = c.amount
                for k in range(rng.randrange(2, 5)):
                    planned = (c.amount / 4).quantize(Decimal("0.01")) if k < 3 else left
                    left -= planned
                    projects.append(
                        FundUseProject(
                            commitment=c,
                            name=f"{c.receiver_region.name}{rng.choice(INDUSTRIES)}产业项目（{c.year}年第{k + 1}批）",
                            kind=rng.choice(
                                [FundUseProject.Kind.HEMATOPOIETIC] * 3 + [FundUseProject.Kind.INFRASTRUCTURE]
                            ),
                            planned_amount=planned,
                            spent_amount=(planned * spent_share).quantize(Decimal("0.01")),
                            status=FundUseProject.Status.IN_PROGRESS,
                            unit=c.receiver_unit,
                        )
                    )
                    projects[-1]._history_date = self.at(c.use_list_submitted, 10)
        self.insert(FundCommitment, commitments, "资金承诺")
        self.insert(Disbursement, payments, "拨付记录")
        self.insert(ArrivalConfirmation, confirmations, "到账确认")
        self.insert(FundUseProject, projects, "资金使用项目")

    # --- parks -------------------------------------------------------------------------------
    def parks(self) -> None:
        rng = self.rng
        parks = []
        for i, pairing in enumerate(self.pairing_list):
            coast, mountain = pairing.coastal_region, pairing.mountain_region
            for k in range(2 if i % 3 == 0 else 1):
                parks.append(
                    Park(
                        name=f"{mountain.name}—{coast.name}山海协作{'产业园' if k == 0 else '飞地园区'}",
                        short_name=f"{mountain.name[:2]}-{coast.name[:2]}" + ("" if k == 0 else "飞地"),
                        kind=Park.Kind.MOUNTAIN_COAST if k == 0 else Park.Kind.ENCLAVE,
                        pairing=pairing,
                        region=mountain if k == 0 else coast,
                        core_area_km2=Decimal(rng.randrange(100, 900)) / 100,
                        committee=self.county_units[mountain.pk][PARK],
                        partner_committee=self.county_units[coast.pk][PARK],
                        coastal_indicator_share=Decimal(rng.choice([30, 40, 50])),
                        coastal_tax_share=Decimal(rng.choice([30, 40, 50])),
                        counts_fully_for_both=rng.random() < 0.5,
                        established=datetime.date(self.first_year, rng.randrange(1, 12), 1),
                        document=self.documents[pairing.pk],
                    )
                )
        self.insert(Park, parks, "园区")
        plans = []
        for park in parks:
            for year in self.years:
                for kind in (ParkInvestmentPlan.Kind.GOVERNMENT, ParkInvestmentPlan.Kind.ATTRACTED):
                    total = Decimal(rng.randrange(5000, 80000))
                    target = (total * Decimal("0.4")).quantize(Decimal("0.0001"))
                    actual = None
                    if year < self.last_year:
                        actual = (target * Decimal(rng.randrange(60, 130)) / 100).quantize(Decimal("0.0001"))
                    plans.append(
                        ParkInvestmentPlan(
                            park=park,
                            year=year,
                            kind=kind,
                            project_count=rng.randrange(2, 15),
                            planned_total=total,
                            planned_completion=target,
                            actual_completion=actual,
                            source=f"{self.documents[park.pairing_id].doc_number} 附件1",
                        )
                    )
        self.insert(ParkInvestmentPlan, plans, "园区投资计划")
        projects, investments = [], []
        stages = [s for s, _f in Project.STAGE_DATES]
        pairing_parks = defaultdict(list)
        for park in parks:
            pairing_parks[park.pairing_id].append(park)
        for pairing in self.pairing_list:
            for k in range(8):
                reached = rng.randrange(len(stages))
                day = datetime.date(self.first_year, 1, 1) + datetime.timedelta(days=rng.randrange(200))
                dates = {}
                for stage, field_name in Project.STAGE_DATES[: reached + 1]:
                    if day > self.as_of:
                        break
                    dates[field_name] = day
                    reached_stage = stage
                    day += datetime.timedelta(days=rng.randrange(60, 240))
                project = Project(
                    name=f"{rng.choice(INDUSTRIES)}项目（{pairing.mountain_region.name}第{k + 1}号）",
                    pairing=pairing,
                    park=rng.choice(pairing_parks[pairing.pk]) if rng.random() < 0.7 else None,
                    industry=rng.choice(INDUSTRIES),
                    enterprise=f"{pairing.coastal_region.name}{rng.choice(['华兴', '永盛', '海丰', '恒达'])}实业有限公司",
                    stage=reached_stage,
                    total_investment=Decimal(rng.randrange(1000, 50000)) * 10000,
                    hematopoietic=rng.random() < 0.6,
                    **dates,
                )
                projects.append(project)
        self.insert(Project, projects, "协作项目")
        for project in projects:
            if project.started_on:
                for year in range(project.started_on.year, self.last_year + 1):
                    investments.append(
                        ProjectInvestment(
                            project=project,
                            year=year,
                            amount=(project.total_investment * Decimal(rng.randrange(5, 30)) / 100).quantize(
                                Decimal("0.01")
                            ),
                        )
                    )
        self.insert(ProjectInvestment, investments, "项目到位资金")

    # --- activities --------------------------------------------------------------------------
    def activities(self) -> None:
        rng = self.rng
        kinds = [
            (Activity.Kind.MEETING, "党政领导联席会议", "", (1, 2)),
            (Activity.Kind.VISIT, "党政代表团考察交流", "", (0, 2)),
            (Activity.Kind.EVENT, "山海协作文体旅活动", "文旅", (0, 1)),
            (Activity.Kind.EXCHANGE, "教师交流与结对帮扶", "教育", (0, 2)),
            (Activity.Kind.EXCHANGE, "医院专家义诊与交流", "卫生", (0, 2)),
            (Activity.Kind.TRAINING, "农村实用人才培训班", "", (1, 3)),
            (Activity.Kind.FAIR, "产业对接洽谈会", "", (0, 1)),
        ]
        activities = []
        for pairing in self.pairing_list:
            for year in self.years:
                last = min(datetime.date(year, 12, 31), self.as_of)
                span = (last - datetime.date(year, 1, 1)).days
                if span < 0:
                    continue
                for kind, title, fld, (low, high) in kinds:
                    for _n in range(rng.randint(low, high)):
                        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(span + 1))
                        a = Activity(
                            pairing=pairing,
                            kind=kind,
                            title=f"{year}年{pairing.coastal_region.name}—{pairing.mountain_region.name}{title}",
                            date=day,
                            place=rng.choice([pairing.coastal_region.name, pairing.mountain_region.name]),
                            field=fld,
                            headcount=rng.randrange(10, 200),
                        )
                        a._history_date = self.at(day, 18)
                        activities.append(a)
        self.insert(Activity, activities, "交流活动")

    # --- reminders ---------------------------------------------------------------------------
    def reminders(self) -> None:
        """What three years of daily sweeps leave behind: ledger rows, notifications, urging notices."""
        rng, as_of = self.rng, self.as_of
        start = as_of - datetime.timedelta(days=365)
        ledger, notifications, notices = [], [], []
        Status = TaskPeriod.Status
        by_task: dict[int, list[TaskPeriod]] = defaultdict(list)
        for period in TaskPeriod.objects.filter(
            task__pairing_id__in=self.stats.pairing_ids, due_date__range=(start, as_of)
        ).only("pk", "task_id", "due_date", "status", "completed_on", "year"):
            by_task[period.task_id].append(period)
        for leaf in self.leaves:
            pairing = leaf.pairing
            people = [
                self.liaison_of[pairing.coastal_region_id],
                self.liaison_of[pairing.mountain_region_id],
                self.province_liaison,
            ]
            reporter = self.reporter_of.get(leaf._lead_unit.pk)
            if reporter:
                people.append(reporter)
            for period in by_task.get(leaf.pk, ()):
                key = period_key(period.pk)
                summary = f"{pairing.name}：{leaf.number} {leaf.title}（{period.year}年）应于 {period.due_date:%Y-%m-%d} 前完成"[
                    :300
                ]
                url = f"/tasks/{leaf.pk}/#period-{period.pk}"
                done_on = period.completed_on if period.status == Status.DONE else None
                for offset in (7, 0, -7):
                    when = period.due_date - datetime.timedelta(days=offset)
                    if when > as_of or (done_on and done_on <= when):
                        continue
                    for person in people:
                        ledger.append(
                            ReminderLedger(
                                item_key=key,
                                due=period.due_date,
                                offset=offset,
                                recipient=person,
                                pairing=pairing,
                                summary=summary,
                                url=url,
                                created=self.at(when, 8, 30),
                            )
                        )
                        if (as_of - when).days <= 30:
                            notifications.append(
                                Notification(
                                    user=person,
                                    title=summary,
                                    url=url,
                                    overdue=offset < 0,
                                    created=self.at(when, 8, 30),
                                    read_at=self.at(when, 9, 30) if rng.random() < 0.7 else None,
                                )
                            )
                if period.is_open and (as_of - period.due_date).days >= 3:
                    issued = period.due_date + datetime.timedelta(days=3)
                    notice = UrgingNotice(
                        item_key=key,
                        due=period.due_date,
                        unit=leaf._lead_unit,
                        pairing=pairing,
                        summary=summary,
                        url=url,
                        issued_on=issued,
                        sign_by=issued + datetime.timedelta(days=2),
                        reply_by=issued + datetime.timedelta(days=5),
                    )
                    roll = rng.random()
                    if roll < 0.6 and issued + datetime.timedelta(days=5) <= as_of:
                        notice.status = UrgingNotice.Status.ANSWERED
                        notice.signed_at = self.at(issued + datetime.timedelta(days=1), 10)
                        notice.replied_at = self.at(issued + datetime.timedelta(days=4), 16)
                        notice.signed_by = notice.replied_by = reporter
                        notice.reply = "已安排专人推进，预计月底前完成。"
                    elif (as_of - issued).days > 5:
                        notice.escalated_on = issued + datetime.timedelta(days=6)
                        notice.escalation_reason = "催办单逾期未签收"
                    notice._history_date = self.at(issued, 8, 30)
                    notices.append(notice)
        self.insert(ReminderLedger, ledger, "提醒记录", history=False)
        self.insert(Notification, notifications, "站内通知", history=False)
        self.insert(UrgingNotice, notices, "催办单")
        rounds = []
        for pairing in self.pairing_list:
            for year in self.years:
                for quarter, month in ((2, 6), (4, 12)):
                    opened = datetime.date(year, month - 1, 1)
                    if opened > as_of:
                        continue
                    due = datetime.date(year, month, 15)
                    rounds.append(
                        ReportingRound(
                            pairing=pairing,
                            name=f"{year}年{chinese_number(quarter)}季度进展报送",
                            year=year,
                            opened_on=opened,
                            due_date=due,
                            closed_on=due + datetime.timedelta(days=10)
                            if due + datetime.timedelta(days=10) < as_of
                            else None,
                            created_by=self.liaison_of[pairing.mountain_region_id],
                            created=self.at(opened, 9),
                        )
                    )
                    rounds[-1]._history_date = rounds[-1].created
        self.insert(ReportingRound, rounds, "报送轮次")

    # --- regional indicators -----------------------------------------------------------------
    def indicators(self) -> None:
        rng = self.rng
        definitions = {d.name: d for d in IndicatorDefinition.objects.all()}
        wanted = [
            (name, base)
            for name, base in (
                ("地区生产总值", 400),
                ("地区生产总值增速", 6),
                ("城镇化率", 60),
                ("城乡居民人均可支配收入", 40000),
            )
            if name in definitions
        ]
        rows = []
        for county in self.coast_counties + self.mountain_counties:
            scale = Decimal(rng.randrange(30, 200)) / 100
            for name, base in wanted:
                for year in self.years:
                    value = (Decimal(base) * scale).quantize(Decimal("0.01"))
                    rows.append(
                        RegionIndicator(
                            region=county,
                            indicator=definitions[name],
                            year=year,
                            target_comparator="about",
                            target_value=value,
                            actual_value=value * Decimal(rng.randrange(95, 106)) / 100
                            if year < self.last_year
                            else None,
                            source_text=f"{county.name}{year}年{name}预期目标",
                        )
                    )
        self.insert(RegionIndicator, rows, "地区发展指标")


def seed(
    *,
    pairings: int = 100,
    tasks_per_pairing: int = 500,
    years: int = 3,
    seed: int = 42,
    as_of: datetime.date | None = None,
) -> SeedStats:
    """Write one batch of the synthetic province (see the module docstring); refuses a seed already used."""
    return Seeder(
        pairings=pairings,
        tasks_per_pairing=tasks_per_pairing,
        years=years,
        seed=seed,
        as_of=as_of or timezone.localdate(),
    ).run()
