"""The machinery of the permission matrix: URL discovery, roles, the demo objects, snapshots.

The table itself lives in `permission_matrix.py`; `test_permission_matrix.py` runs it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# Columns of every expectation string, in this order.
ROLES = ("anonymous", "leader", "yx_reporter", "jj_reporter", "yx_liaison", "wz_liaison", "admin")
ROLE_HELP = (
    "anonymous: not signed in; leader: viewer (领导) of pairing P (晋江—尤溪); yx_reporter: reporter of "
    "unit A (尤溪县教育局); jj_reporter: reporter of unit B (晋江市教育局); yx_liaison: liaison of P; "
    "wz_liaison: liaison of pairing Q (温州); admin: superuser"
)


# --------------------------------------------------------------------------------------------
# URL discovery
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" or the bare name of the DRF routers and project-level URLs
    pattern: str  # the full route, for messages


def routes(patterns=None, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    """Every named URL of the project, walking includes (app URLs, /api/v1/ routers, admin)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            if entry.name is None:
                # An unnamed URL cannot have an entry in the table: name it (a test fails on it).
                unnamed = f"<unnamed {pattern}>"
                yield Route(f"{namespace}:{unnamed}" if namespace else unnamed, pattern)
                continue
            yield Route(f"{namespace}:{entry.name}" if namespace else entry.name, pattern)


# --------------------------------------------------------------------------------------------
# Expectations
# --------------------------------------------------------------------------------------------


def expect(spec: str) -> dict[str, tuple[int, bool]]:
    """ "302 200 200- …" → {role: (status, refused)}, columns in the order of ROLES.

    A trailing "-" marks an answer that is a refusal although its status is not (a form shown
    again with an error); every 4xx, and 302 for anonymous (to the login page), is one anyway.
    """
    codes = spec.split()
    if len(codes) != len(ROLES):
        raise ValueError(f"{spec!r}: one status per role ({', '.join(ROLES)})")
    result = {}
    for role, code in zip(ROLES, codes, strict=True):
        status = int(code.rstrip("-"))
        result[role] = (status, code.endswith("-") or is_refusal(role, status))
    return result


@dataclass(frozen=True)
class Act:
    """One action on a URL: the request to send and the status each role must get.

    `data(o)` builds the body from the demo objects (valid data: a refusal must be a refusal of a
    request that would have changed something). `changes`: a success must change the database
    (a write that changes nothing on success would make "nothing changed on refusal" meaningless);
    False for reads and for actions that are no-ops by design, with the reason in a comment.
    """

    method: str
    expect: str
    data: Callable | None = None
    kwargs: Callable | None = None  # overrides the entry's kwargs (e.g. another report's state)
    query: dict | None = None
    json: bool = False  # API bodies go as JSON; pages post forms
    changes: bool | None = None  # default: True for writes, False for GET

    @property
    def statuses(self) -> dict[str, tuple[int, bool]]:
        return expect(self.expect)

    @property
    def must_change(self) -> bool:
        return self.changes if self.changes is not None else self.method != "GET"


@dataclass(frozen=True)
class Entry:
    """A URL name: how to build its kwargs from the demo objects, the row it acts on, its actions."""

    actions: dict[str, Act]
    kwargs: Callable | None = None
    target: str | None = None  # an attribute of Objects whose row must not change on a refusal
    note: str = ""


def is_refusal(role: str, status: int) -> bool:
    if role == "anonymous" and status in (301, 302):
        return True  # to the login page
    return status in (400, 401, 403, 404, 405, 409, 413)


# --------------------------------------------------------------------------------------------
# Demo objects (pairing P = 晋江市—尤溪县山海协作, pairing Q = 温州市山海协作工程升级版)
# --------------------------------------------------------------------------------------------


class Objects:
    """The demo rows the matrix acts on, looked up (or created) only when an entry needs them.

    Everything is created inside the test's transaction, so it is gone after each test.
    """

    @cached_property
    def jy(self):
        from cooperation.models import Pairing

        return Pairing.objects.get(name="晋江市—尤溪县山海协作")

    @cached_property
    def wz(self):
        from cooperation.models import Pairing

        return Pairing.objects.get(name="温州市山海协作工程升级版")

    def user(self, username: str):
        from cooperation.models import User

        return User.objects.get(username=username)

    def unit(self, name: str):
        from cooperation.models import Unit

        return Unit.objects.get(name=name)

    @cached_property
    def unit_a(self):
        return self.unit("尤溪县教育局")

    @cached_property
    def activity(self):
        return self.jy.activities.order_by("pk").first()

    @cached_property
    def document(self):
        from cooperation.models import PolicyDocument

        return PolicyDocument.objects.get(doc_number="晋政文〔2024〕102号")

    @cached_property
    def region(self):
        return self.jy.mountain_region  # 尤溪县

    @cached_property
    def task(self):
        """二、（四）2. 推动教育医疗合作: 尤溪县教育局 (unit A) and 晋江市教育局 (unit B) lead it."""
        from tasks.models import Task

        return Task.objects.get(pairing=self.jy, title="推动教育医疗合作")

    @cached_property
    def spare_task(self):
        """A task of P with no reports and no locked year (so it may be deleted)."""
        from tasks import services
        from tasks.models import Task, TaskUnit

        task = Task.objects.create(
            pairing=self.jy,
            number="9.",
            title="推动职业教育合作",
            start_year=2026,
            end_year=2026,
            position=999,
        )
        TaskUnit.objects.create(task=task, unit=self.unit_a, role=TaskUnit.Role.LEAD)
        services.sync_periods(task)
        return task

    @cached_property
    def period(self):
        """The task's 2026 period: open, the year is not locked, its status set by people — the report
        workflow's example (the demo proves this task by activities, and a ledger-kept period refuses
        status changes: tests/tasks/test_fulfilment.py)."""
        from tasks.models import Task

        if self.task.fulfilment:
            self.task.fulfilment = Task.Fulfilment.REPORTS
            self.task.save()
        return self.task.periods.get(year=2026)

    @cached_property
    def report_returned(self):
        """yx_reporter's 2025 report, returned to him: his to edit and submit again."""
        from tasks.models import ProgressReport

        return ProgressReport.objects.get(
            period__task=self.task, unit=self.unit_a, status=ProgressReport.Status.RETURNED
        )

    @cached_property
    def report_draft(self):
        """A draft of yx_reporter (unit A) on the 2026 period."""
        from tasks import services

        return services.save_report(self.period, self.user("yx_reporter"), text="2026年教育交流进展（草稿）")

    @cached_property
    def report_submitted(self):
        """jj_finance's submitted 2025 report on 落实帮扶资金 (waits for a liaison's review)."""
        from tasks.models import ProgressReport

        return ProgressReport.objects.get(
            period__task__pairing=self.jy, status=ProgressReport.Status.SUBMITTED, period__year=2025
        )

    @cached_property
    def evidence(self):
        from tasks.models import Evidence

        return Evidence.objects.filter(report__period__task=self.task).order_by("pk").first()

    @cached_property
    def commitment(self):
        """The 2026 commitment of P: ¥12,000,000, nothing paid yet."""
        from funds.models import FundCommitment

        return FundCommitment.objects.get(pairing=self.jy, year=2026)

    @cached_property
    def payment(self):
        """A payment on the 2026 commitment, not yet confirmed (so it may be reversed)."""
        from funds import services

        row = services.record_disbursement(
            self.commitment,
            user=self.user("jj_finance"),  # the paying unit: 尤溪 receives, it cannot pay
            date=date(2026, 4, 20),
            amount=Decimal("1000000"),
            voucher_no="PZ-2026-001",
            evidence=None,
            note="",
        )
        return row

    @cached_property
    def payment_with_evidence(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from funds import services
        from tasks.demo import PDF

        return services.record_disbursement(
            self.commitment,
            user=self.user("jj_finance"),  # the paying unit: 尤溪 receives, it cannot pay
            date=date(2026, 4, 21),
            amount=Decimal("500000"),
            voucher_no="PZ-2026-002",
            evidence=SimpleUploadedFile("拨付凭证.pdf", PDF, content_type="application/pdf"),
            note="",
        )

    @cached_property
    def arrival(self):
        from funds.models import ArrivalConfirmation

        return ArrivalConfirmation.objects.filter(commitment__pairing=self.jy).order_by("pk").first()

    @cached_property
    def use_project(self):
        from funds.models import FundUseProject

        return FundUseProject.objects.filter(commitment=self.commitment).order_by("pk").first()

    @cached_property
    def park(self):
        from parks.models import Park

        return Park.objects.get(pairing=self.jy)

    @cached_property
    def plan_line(self):
        from parks.models import ParkInvestmentPlan

        return ParkInvestmentPlan.objects.create(
            park=self.park,
            year=2026,
            kind=ParkInvestmentPlan.Kind.choices[0][0],
            project_count=3,
            planned_total=Decimal("12000"),
            planned_completion=Decimal("4000"),
        )

    @cached_property
    def project(self):
        from parks.models import Project

        return Project.objects.get(pairing=self.jy, name="尤溪纺织产业数字化车间项目")

    @cached_property
    def indicator_definition(self):
        from indicators.models import IndicatorDefinition

        return IndicatorDefinition.objects.order_by("ordering", "pk").first()

    @cached_property
    def figure(self):
        """晋江市's 2025 target of an indicator (a side of P)."""
        from indicators.models import RegionIndicator

        return RegionIndicator.objects.filter(region__name="晋江市", year=2025).order_by("pk").first()

    @cached_property
    def notification(self):
        """A notification of yx_reporter's (only he may open or mark it)."""
        from reminders.models import Notification

        return Notification.objects.create(
            user=self.user("yx_reporter"),
            title="推动教育医疗合作 2026年度 即将到期",
            url=self.task.get_absolute_url(),
        )

    @cached_property
    def notice(self):
        """An urging notice (催办单) to unit A on the task's 2026 period."""
        from reminders.models import UrgingNotice

        return UrgingNotice.objects.create(
            item_key=f"tasks.period:{self.period.pk}",
            due=date(2026, 11, 1),
            unit=self.unit_a,
            pairing=self.jy,
            summary="推动教育医疗合作 2026年度",
            url=self.task.get_absolute_url(),
            issued_on=date(2026, 11, 4),
            sign_by=date(2026, 11, 6),
            reply_by=date(2026, 11, 9),
        )

    @cached_property
    def notice_with_evidence(self):
        """Unit A's notice on the task's 2026 period, answered and done with a PDF as evidence."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from reminders import services
        from tasks.demo import PDF

        reporter = self.user("yx_reporter")
        services.answer_notice(self.notice, reporter, "已安排交流活动，月底前完成。")
        return services.complete_notice(
            self.notice,
            reporter,
            "交流活动已完成，12人参加。",
            SimpleUploadedFile("办结材料.pdf", PDF, content_type="application/pdf"),
        )

    @cached_property
    def round(self):
        from reminders.round_models import ReportingRound

        return ReportingRound.objects.get(pairing=self.jy, name="2025年四季度进展报送")

    @cached_property
    def scheme(self):
        """The default assessment scheme (created with its documented sections when missing)."""
        from assessment.scoring import ensure_default_scheme

        return ensure_default_scheme()

    @cached_property
    def export(self):
        """A finished assessment export of yx_liaison's (only he and superusers may see it)."""
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from assessment.models import AssessmentExport

        path = default_storage.save("assessment/matrix-test.xlsx", ContentFile(b"PK\x03\x04 matrix"))
        export = AssessmentExport.objects.create(
            requested_by=self.user("yx_liaison"),
            year=2025,
            status=AssessmentExport.Status.DONE,
            percent=100,
            file_path=path,
            file_name="考核表2025.xlsx",
        )
        export.pairings.set([self.jy])
        return export

    def row(self, name: str) -> dict | None:
        obj = getattr(self, name)
        return type(obj)._base_manager.filter(pk=obj.pk).values().first()


# --------------------------------------------------------------------------------------------
# Snapshots: "nothing changed"
# --------------------------------------------------------------------------------------------

IGNORED_TABLES = {"django_session", "django_migrations", "django_content_type", "auth_permission"}
_TABLES: list[str] = []


def tables() -> list[str]:
    if not _TABLES:
        _TABLES.extend(t for t in sorted(connection.introspection.table_names()) if t not in IGNORED_TABLES)
    return _TABLES


def snapshot(objects: Objects, target: str | None) -> tuple:
    """Row counts of every table (history tables included, one query) and the target row's values."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = tuple(sorted(cursor.fetchall()))
    row = objects.row(target) if target else None
    digest = hashlib.sha256(repr(sorted((row or {}).items())).encode()).hexdigest() if row else None
    return counts, digest


def difference(before: tuple, after: tuple) -> str:
    changed = [f"{b[0]}: {b[1]} → {a[1]}" for b, a in zip(before[0], after[0], strict=False) if b != a]
    if before[1] != after[1]:
        changed.append("the target row's values")
    return "; ".join(changed) or "nothing"
