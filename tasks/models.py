"""Tasks of a pairing: the task tree, responsible units, deadlines, yearly periods, targets, reports.

A task (重点任务 / 事项) comes from a policy document and sits in a tree (一、→（一）→ 1. →（1）).
Units answer for it as lead (牵头) or co-operating (配合) units. Work is tracked per *period*: a
yearly task has one period per year, a one-off task a single period; each period has its own due
date, status and progress reports, so 2024 being done never marks 2025 done. "逾期" (overdue) is
derived from the due date and the status and is never stored.

Reading rules live here; everything that changes state is in `tasks/services.py`.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Pairing, PolicyDocument, ScopedQuerySet, Unit
from core.concurrency import VersionedModel
from core.figures import about_met
from core.roles import is_reporter
from core.states import Standing, State, judge
from core.uploads import upload_to
from core.years import DateValidator, YearValidator

# --------------------------------------------------------------------------------------------
# Per-pairing lists: areas and kinds of evidence
# --------------------------------------------------------------------------------------------


class Area(models.Model):
    """A task area of a pairing (产业协作, 创新平台, 基础设施 …): a free list per pairing."""

    scope_field = "pairing"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="task_areas"
    )
    name = models.CharField(_("名称"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务领域")
        verbose_name_plural = _("任务领域")
        ordering = ["pairing", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "name"], name="area_name_unique_in_pairing")
        ]

    def __str__(self) -> str:
        return self.name


class EvidenceKind(models.Model):
    """A kind of evidence a task may require (协议文本, 拨付凭证, 现场照片, 会议纪要 …), per pairing."""

    scope_field = "pairing"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="evidence_kinds"
    )
    name = models.CharField(_("名称"), max_length=40)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证材料类型")
        verbose_name_plural = _("佐证材料类型")
        ordering = ["pairing", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "name"], name="evidencekind_name_unique_in_pairing")
        ]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------------------------
# Tasks
# --------------------------------------------------------------------------------------------


class TaskQuerySet(ScopedQuerySet):
    def for_unit(self, unit_id: int) -> TaskQuerySet:
        """Tasks a unit is responsible for (lead or co-operating)."""
        return self.filter(Exists(TaskUnit.objects.filter(task_id=OuterRef("pk"), unit_id=unit_id)))


class Task(VersionedModel):
    """A task or item (重点任务 / 事项) of a pairing's plan, in a tree of any depth.

    Its deadline is either one-off (a date) or yearly (a month and day, e.g. "每年4月底前" =
    every 30 April), always kept with the document's own words beside the normalised value.
    """

    class DeadlineKind(models.TextChoices):
        NONE = "none", _("无时限")
        ONCE = "once", _("一次性")
        YEARLY = "yearly", _("每年")

    class Fulfilment(models.TextChoices):
        """The record that proves a period done (see `tasks/fulfilment.py`); REPORTS: approved reports."""

        REPORTS = "", _("进展报告（经联络员审核）")
        FUND_PAID = "fund_paid", _("资金足额拨付（资金台账）")
        FUND_CONFIRMED = "fund_confirmed", _("资金到账确认（资金台账）")
        FUND_USE_LIST = "fund_use_list", _("资金使用项目清单报送（资金台账）")
        ACTIVITIES = "activities", _("交流活动达到最低次数（交流活动记录）")

    scope_field = "pairing"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="tasks"
    )
    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("来源文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    number = models.CharField(
        _("序号"), max_length=20, blank=True, help_text=_("按文件原样填写，如 二、（一） 1. （1）")
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("领域"), null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("责任单位"), through="TaskUnit", related_name="tasks", blank=True
    )
    start_year = models.PositiveSmallIntegerField(_("起始年份"), validators=[YearValidator()])
    end_year = models.PositiveSmallIntegerField(
        _("截止年份"), null=True, blank=True, validators=[YearValidator()]
    )
    deadline_kind = models.CharField(
        _("时限类型"), max_length=8, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_date = models.DateField(_("完成时限"), null=True, blank=True, validators=[DateValidator()])
    deadline_month = models.PositiveSmallIntegerField(_("每年截止月"), null=True, blank=True)
    deadline_day = models.PositiveSmallIntegerField(_("每年截止日"), null=True, blank=True)
    deadline_text = models.CharField(
        _("时限原文"), max_length=100, blank=True, help_text=_("文件中的原话，如“每年4月底前”")
    )
    required_evidence = models.ManyToManyField(
        EvidenceKind, verbose_name=_("必需佐证材料"), blank=True, related_name="tasks"
    )
    fulfilment = models.CharField(
        _("完成认定依据"),
        max_length=16,
        choices=Fulfilment.choices,
        default=Fulfilment.REPORTS,
        blank=True,
        help_text=_("由台账认定的任务，其年度状态、完成日期和完成值随台账自动更新，不能手工修改。"),
    )
    # The fund rule whose yearly commitments prove the periods of a FUND_* task (named by string:
    # the funds app sits above tasks and keeps the rule; tasks never imports it).
    fund_rule = models.ForeignKey(
        "funds.FundRule",
        verbose_name=_("对应资金规则"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fulfilled_tasks",
    )

    history = HistoricalRecords(excluded_fields=["units", "required_evidence"])
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        # By the pairing's id, not its name: the lists' order is then the index's, and a page of 30
        # of a province's 50,000 tasks is read from it instead of sorting them all (62 → 1 ms).
        ordering = ["pairing_id", "position", "pk"]
        indexes = [models.Index(fields=["pairing", "position"], name="task_pairing_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="task_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("tasks:task_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.end_year is not None and self.start_year is not None and self.end_year < self.start_year:
            errors["end_year"] = _("截止年份不能早于起始年份。")
        if self.deadline_kind == self.DeadlineKind.ONCE and not self.deadline_date:
            errors["deadline_date"] = _("一次性任务需要填写完成时限。")
        if self.deadline_kind == self.DeadlineKind.YEARLY:
            if not self.deadline_month or not self.deadline_day:
                errors["deadline_month"] = _("每年任务需要填写截止月和日。")
            else:
                try:
                    datetime.date(2024, self.deadline_month, self.deadline_day)  # 2024: leap year
                except ValueError:
                    errors["deadline_day"] = _("截止日期“%(m)s月%(d)s日”不存在。") % {
                        "m": self.deadline_month,
                        "d": self.deadline_day,
                    }
        if self.parent_id:
            if self.parent.pairing_id != self.pairing_id:
                errors["parent"] = _("上级任务必须属于同一结对。")
            ancestor = self.parent
            while ancestor is not None:
                if self.pk is not None and ancestor.pk == self.pk:
                    errors["parent"] = _("上级任务不能是自己或自己的下级。")
                    break
                ancestor = ancestor.parent
        if self.area_id and self.area.pairing_id != self.pairing_id:
            errors["area"] = _("领域必须属于同一结对。")
        if self.fulfilment.startswith("fund_") and not self.fund_rule_id:
            errors["fund_rule"] = _("由资金台账认定的任务需要选择对应的资金规则。")
        if self.fund_rule_id and self.fund_rule.pairing_id != self.pairing_id:
            errors["fund_rule"] = _("资金规则必须属于同一结对。")
        if errors:
            raise ValidationError(errors)

    def years(self) -> range:
        """The years this task runs: its own span, within the pairing's active years. Open-ended work
        (no end year on the task nor on the pairing) runs until this year; each new year's period is
        made when the year opens (`funds.yearly.open_year`, daily)."""
        until = self.end_year or max(self.start_year, timezone.localdate().year)
        pairing_years = self.pairing.active_years(until=until)
        first = max(self.start_year, pairing_years.start)
        last = min(self.end_year or pairing_years.stop - 1, pairing_years.stop - 1)
        return range(first, last + 1)

    def due_date_for(self, year: int) -> datetime.date | None:
        """The due date of the period of `year` under the task's deadline rule."""
        if self.deadline_kind == self.DeadlineKind.YEARLY:
            day = self.deadline_day
            if self.deadline_month == 2 and day == 29 and not _is_leap(year):
                day = 28
            return datetime.date(year, self.deadline_month, day)
        if self.deadline_kind == self.DeadlineKind.ONCE:
            return self.deadline_date
        return None

    @property
    def deadline_display(self) -> str:
        if self.deadline_kind == self.DeadlineKind.YEARLY:
            normalised = _("每年%(m)s月%(d)s日") % {"m": self.deadline_month, "d": self.deadline_day}
        elif self.deadline_kind == self.DeadlineKind.ONCE and self.deadline_date:
            normalised = self.deadline_date.isoformat()
        else:
            return self.deadline_text or "—"
        return f"{normalised}（{self.deadline_text}）" if self.deadline_text else str(normalised)

    @property
    def is_ledger_kept(self) -> bool:
        """Its periods follow a ledger (funds, activities) and cannot be set by hand."""
        return bool(self.fulfilment)

    def ancestors(self) -> list[Task]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class TaskUnit(models.Model):
    """A unit responsible for a task, as lead (牵头) or co-operating (配合) unit."""

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头单位")
        COOPERATING = "cooperating", _("配合单位")

    scope_field = "task__pairing"

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="task_units"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="task_units"
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.LEAD)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["task", "role", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="taskunit_unique")]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"


# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


# The item key of a period in the reminder registry, ledger and urging notices ("tasks.period:42").
PERIOD_KEY_PREFIX = "tasks.period:"


def period_key(period_id: int) -> str:
    return f"{PERIOD_KEY_PREFIX}{period_id}"


# The open-period rule, defined once: a period is open while its work is neither done nor paused.
# Overdue, due soon, reminders, the dashboards and the workbook all count open periods only.
CLOSED_STATUSES = ("done", "paused")


def open_period_q(prefix: str = "") -> Q:
    """The open-period rule as a condition; `prefix` reaches the period from another model ("period__")."""
    return ~Q(**{f"{prefix}status__in": CLOSED_STATUSES})


def open_as_of_q(as_of: datetime.date, prefix: str = "") -> Q:
    """Open on `as_of` (core.states.judge as a condition): not paused, and not done by that day —
    work completed later was still open then."""
    done_by_then = Q(**{f"{prefix}status": "done"}) & (
        Q(**{f"{prefix}completed_on__isnull": True}) | Q(**{f"{prefix}completed_on__lte": as_of})
    )
    return ~Q(**{f"{prefix}status": "paused"}) & ~done_by_then


def overdue_q(as_of: datetime.date, prefix: str = "") -> Q:
    """Overdue on `as_of` (core.states.State.OVERDUE as a condition): due before that day and open on it.

    From today on, "open then" is "open now", save for work recorded as done on a later day (an
    exchange entered ahead proves a yearly minimum with its own, future date: not done yet); the
    open part is written so that the partial index of open periods (`taskperiod_open_due`) serves it.
    """
    if as_of >= timezone.localdate():
        done_later = Q(**{f"{prefix}status": "done", f"{prefix}completed_on__gt": as_of})
        return Q(**{f"{prefix}due_date__lt": as_of}) & (open_period_q(prefix) | done_later)
    return Q(**{f"{prefix}due_date__lt": as_of}) & open_as_of_q(as_of, prefix)


class PeriodQuerySet(ScopedQuerySet):
    def manageable_by(self, user) -> PeriodQuerySet:
        """Liaison staff: every period of their pairings; a reporter: periods of his unit's tasks."""
        if user.is_authenticated and not user.is_superuser and is_reporter(user):
            if not user.unit_id:
                return self.none()
            responsible = TaskUnit.objects.filter(task_id=OuterRef("task_id"), unit_id=user.unit_id)
            return self.visible_to(user).filter(Exists(responsible))
        return super().manageable_by(user)

    def overdue(self, today: datetime.date | None = None) -> PeriodQuerySet:
        """Overdue on `today` by the one rule (core.states): due before it, not done by it, not paused."""
        today = today or timezone.localdate()
        return self.filter(overdue_q(today))

    def open(self) -> PeriodQuerySet:
        return self.filter(open_period_q())

    def unlocked(self) -> PeriodQuerySet:
        """Periods of years not locked: a locked year's outcome is recorded, nothing in it is still to do."""
        locks = YearLock.objects.filter(
            pairing_id=OuterRef("task__pairing_id"), year=OuterRef("year"), locked=True
        )
        return self.exclude(Exists(locks))

    def due_within(self, days: int, today: datetime.date | None = None) -> PeriodQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))


class TaskPeriod(VersionedModel):
    """The work of one task in one year (or the single period of a one-off task).

    Its status is typed (未开始 / 推进中 / 已完成 / 暂缓); "逾期" is derived: the due date has passed
    and the work is neither done nor paused.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        PAUSED = "paused", _("暂缓")

    scope_field = "task__pairing"

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(_("年度"))
    # Indexed: the reminder sweep scans open periods by due date.
    due_date = models.DateField(_("截止日期"), null=True, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("进展说明"), blank=True)

    history = HistoricalRecords()
    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务年度")
        verbose_name_plural = _("任务年度")
        ordering = ["task", "year"]
        constraints = [models.UniqueConstraint(fields=["task", "year"], name="taskperiod_one_per_year")]
        indexes = [
            models.Index(fields=["status", "due_date"], name="taskperiod_status_due"),
            # Open work by due date: 我的任务's overdue and due-soon lists (ORDER BY due_date LIMIT 100)
            # read it in order and stop; the done and paused periods of past years are not in it.
            models.Index(
                fields=["due_date"],
                condition=open_period_q(),
                name="taskperiod_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("tasks:task_detail", args=[self.task_id]) + f"#period-{self.pk}"

    def standing(self, as_of: datetime.date | None = None) -> Standing:
        """How this period stands on `as_of` (today by default): the one rule of `core.states`."""
        return self.standing_of(self.due_date, self.status, self.completed_on, as_of or timezone.localdate())

    @classmethod
    def standing_of(
        cls,
        due_date: datetime.date | None,
        status: str,
        completed_on: datetime.date | None,
        as_of: datetime.date,
    ) -> Standing:
        """`standing(as_of)` of a period with these values, without building one (counts over
        hundreds of rows read as values)."""
        return judge(
            due=due_date,
            done=status == cls.Status.DONE,
            done_on=completed_on,
            as_of=as_of,
            paused=status == cls.Status.PAUSED,
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.standing(today).is_overdue

    @property
    def is_open(self) -> bool:
        """Neither done nor paused (see `open_period_q`)."""
        return self.status not in CLOSED_STATUSES

    def days_left(self, today: datetime.date | None = None) -> int | None:
        if self.due_date is None:
            return None
        return (self.due_date - (today or timezone.localdate())).days

    @property
    def display_status(self) -> str:
        """The status a user reads: 逾期 wins over the typed status while it applies."""
        if self.is_overdue():
            return str(_("逾期"))
        try:
            # The label of the choice, as get_status_display() gives it, without hashing the
            # field's whole list of choices on every call (a list page shows one per row).
            return str(self.Status(self.status).label)
        except ValueError:
            return self.get_status_display()

    @property
    def badge(self) -> str:
        standing = self.standing()
        if standing.state in (State.ON_TRACK, State.CONTINUING):
            return "planned" if self.status == self.Status.IN_PROGRESS else ""
        if standing.state == State.DONE_LATE:
            return "done"
        return standing.badge


class YearLock(models.Model):
    """A pairing's year closed after assessment: its periods and reports refuse changes.

    Unlocking sets `locked` to False with a reason; the history keeps both steps.
    """

    scope_field = "pairing"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="year_locks"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    locked = models.BooleanField(_("已锁定"), default=True)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    # What the year's periods were when it was locked ({"done": 12, "overdue": 2, …} and the overdue
    # periods' ids): the outcome is recorded, and the reminder sweep stops chasing the year.
    outcome = models.JSONField(_("锁定时的结果"), default=dict, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度锁定")
        verbose_name_plural = _("年度锁定")
        ordering = ["pairing", "year"]
        constraints = [models.UniqueConstraint(fields=["pairing", "year"], name="yearlock_unique")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.year}"


def is_year_locked(pairing_id: int, year: int) -> bool:
    return YearLock.objects.filter(pairing_id=pairing_id, year=year, locked=True).exists()


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------

UNIT_CHOICES = [
    ("元", "元"),
    ("万元", "万元"),
    ("亿元", "亿元"),
    ("个", "个"),
    ("次", "次"),
    ("人次", "人次"),
    ("%", "%"),
    ("家", "家"),
    ("项", "项"),
    ("名", "名"),
    ("所", "所"),
    ("km²", "km²"),
]
COUNT_UNITS = {"次", "个", "项", "家", "名", "所"}


class Target(models.Model):
    """A quantified target (量化指标) of a task: "不少于 40 亿元", "每年至少1次", "65%".

    `year` empty means every year of the task. Actuals come from approved reports only.
    """

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "=", "="
        ABOUT = "≈", _("≈（左右）")

    scope_field = "task__pairing"

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("指标名称"), max_length=120)
    comparator = models.CharField(
        _("比较"), max_length=2, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10)
    year = models.PositiveSmallIntegerField(
        _("年度"), null=True, blank=True, help_text=_("留空表示每年"), validators=[YearValidator()]
    )
    source_text = models.CharField(_("指标原文"), max_length=200, blank=True)
    # A yearly minimum counted from the pairing's activities (每年至少1次): the kinds of activity that
    # count (comma-separated `Activity.Kind` values) and, optionally, the field they must be in
    # ("教育"); "分别" in a plan makes one target per field. Empty: the target is reported.
    activity_kinds = models.CharField(_("计入的活动类型"), max_length=60, blank=True)
    activity_field = models.CharField(
        _("计入的活动领域"), max_length=40, blank=True, help_text=_("如 教育、医疗；留空表示不限领域")
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("量化指标")
        verbose_name_plural = _("量化指标")
        ordering = ["task", "year", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.get_comparator_display()} {self.value_display}"

    @property
    def value_display(self) -> str:
        value = self.value.normalize() if self.value == self.value.to_integral() else self.value
        return f"{value:f}{self.unit}" if isinstance(value, Decimal) else f"{value}{self.unit}"

    @property
    def is_minimum_count(self) -> bool:
        """ "每年至少1次": shown as done / not done rather than as a percentage."""
        return self.comparator == self.Comparator.AT_LEAST and self.unit in COUNT_UNITS and self.value <= 5

    def applies_to(self, year: int) -> bool:
        return self.year is None or self.year == year

    @property
    def counted_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in self.activity_kinds.split(",") if k)

    def counts(self, kind: str, field: str, title: str = "") -> bool:
        """Whether an activity of `kind` in `field` (or so titled) counts towards this minimum."""
        if kind not in self.counted_kinds:
            return False
        if not self.activity_field:
            return True
        words = [w for w in re.split(r"[、,，/ ]+", self.activity_field) if w]
        return any(w in f"{field}{title}" for w in words)

    def is_met(self, actual: Decimal | None) -> bool:
        if actual is None:
            return False
        if self.comparator == self.Comparator.AT_LEAST:
            return actual >= self.value
        if self.comparator == self.Comparator.AT_MOST:
            return actual <= self.value
        if self.comparator == self.Comparator.ABOUT:
            return about_met(actual, self.value, rate=self.unit in ("%", "个百分点", "百分点"))
        return actual == self.value

    def completion_rate(self, actual: Decimal | None) -> Decimal | None:
        """Percent of an "at least" target reached (e.g. 32亿 of 40亿 → 80.0); None where meaningless."""
        if actual is None or self.comparator != self.Comparator.AT_LEAST or not self.value:
            return None
        return (actual / self.value * 100).quantize(Decimal("0.1"))


class TargetActual(models.Model):
    """The actual value of a target in a period, taken from the latest approved report."""

    scope_field = "period__task__pairing"

    period = models.ForeignKey(
        TaskPeriod, verbose_name=_("任务年度"), on_delete=models.CASCADE, related_name="actuals"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("量化指标"), on_delete=models.CASCADE, related_name="actuals"
    )
    value = models.DecimalField(_("完成值"), max_digits=18, decimal_places=2)
    report = models.ForeignKey(
        "ProgressReport", verbose_name=_("来源报告"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标完成值")
        verbose_name_plural = _("指标完成值")
        constraints = [models.UniqueConstraint(fields=["period", "target"], name="targetactual_unique")]

    def __str__(self) -> str:
        return f"{self.target.name} {self.period.year}: {self.value}"


# --------------------------------------------------------------------------------------------
# Progress reports and evidence
# --------------------------------------------------------------------------------------------


class ReportQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """A draft is its unit's own until submitted: other units, liaison staff included, see it once
        it is submitted (superusers see everything)."""
        qs = super().visible_to(user)
        if not user.is_authenticated or user.is_superuser:
            return qs
        drafts = Q(status=ProgressReport.Status.DRAFT)
        if user.unit_id:
            drafts &= ~Q(unit_id=user.unit_id)
        return qs.exclude(drafts)

    def manageable_by(self, user) -> ReportQuerySet:
        """Liaison staff: every report of their pairings; a reporter: his unit's reports on its tasks."""
        if user.is_authenticated and not user.is_superuser and is_reporter(user):
            if not user.unit_id:
                return self.none()
            responsible = TaskUnit.objects.filter(task_id=OuterRef("period__task_id"), unit_id=user.unit_id)
            return self.visible_to(user).filter(Exists(responsible), unit_id=user.unit_id)
        return super().manageable_by(user)


class ProgressReport(VersionedModel):
    """What a responsible unit reports on a task period: text, actual values, evidence.

    draft → submitted → approved, or → returned (with a reason) → submitted again. Only approved
    reports count: approval sets the period's actuals and, when the report marks the work done,
    its status 已完成.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    scope_field = "period__task__pairing"

    period = models.ForeignKey(
        TaskPeriod, verbose_name=_("任务年度"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField(_("进展情况"))
    marks_done = models.BooleanField(_("本年度工作已完成"), default=False)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        "cooperation.User", verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "cooperation.User",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["status", "unit"], name="report_status_unit"),
            # The latest approved report of a period (the assessment's 任务完成情况, one subquery per
            # row): without it SQLite walked every approved report of the province for each row.
            models.Index(fields=["period", "status", "-reviewed_at"], name="report_period_status_reviewed"),
            # 我的任务's lists (drafts, returned, to review: the newest 100 of a status) read in the
            # index's order instead of sorting every report of the status (a province: 14 → 1 ms).
            models.Index(fields=["status", "-created", "-id"], name="report_status_created"),
        ]

    def __str__(self) -> str:
        return _("%(task)s %(year)s 年进展报告（%(unit)s）") % {
            "task": self.period.task,
            "year": self.period.year,
            "unit": self.unit,
        }

    def get_absolute_url(self) -> str:
        return reverse("tasks:task_detail", args=[self.period.task_id]) + f"#report-{self.pk}"

    @property
    def is_editable(self) -> bool:
        """A unit edits its report while it is a draft or has been returned."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def missing_evidence(self, required=None, present=None) -> list[EvidenceKind]:
        """Required kinds of evidence of the task not yet attached to this report."""
        required = list(self.period.task.required_evidence.all()) if required is None else required
        present = {e.kind_id for e in self.evidence.all()} if present is None else present
        return [kind for kind in required if kind.pk not in present]


class ReportValue(models.Model):
    """An actual value a report gives for one target (cumulative for the year so far)."""

    scope_field = "report__period__task__pairing"

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), on_delete=models.CASCADE, related_name="values"
    )
    target = models.ForeignKey(Target, verbose_name=_("量化指标"), on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("完成值"), max_digits=18, decimal_places=2)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报告完成值")
        verbose_name_plural = _("报告完成值")
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="reportvalue_unique")]

    def __str__(self) -> str:
        return f"{self.target.name}: {self.value}"


class Evidence(models.Model):
    """An evidence file of a report (pdf, jpg, png, docx, xlsx), served only through a checked view."""

    scope_field = "report__period__task__pairing"

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.ForeignKey(
        EvidenceKind,
        verbose_name=_("材料类型"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to=upload_to("evidence"))
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        "cooperation.User", verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("tasks:evidence_download", args=[self.pk])
