"""Reporting rounds (报送轮次): liaison staff ask the responsible units for their progress by a date.

A round covers a set of tasks, or a set of units, or — both empty — every task of the pairing with
a period in the round's year. Its checklist (`ReportingRound.checklist()`) is derived, never typed:
from the progress reports of the covered periods written since the round opened, and from the
units' explicit "no progress this round" declarations (`RoundEntry`). State changes live in
`reminders/rounds.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Pairing, ScopedQuerySet, Unit


class RoundStatus(models.TextChoices):
    """A unit's state in a round, in the order a liaison officer chases them."""

    MISSING = "missing", _("未报")
    RETURNED = "returned", _("已退回")
    NO_PROGRESS = "no_progress", _("无进展")
    REPORTED = "reported", _("已报")


# The CSS badge of each state (static/css/app.css).
BADGES = {
    RoundStatus.MISSING: "badge-overdue",
    RoundStatus.RETURNED: "badge-soon",
    RoundStatus.NO_PROGRESS: "badge-paused",
    RoundStatus.REPORTED: "badge-done",
}
# Units still owing a report: the ones "提醒未报单位" reminds.
LATE = (RoundStatus.MISSING, RoundStatus.RETURNED)


class ReportingRound(models.Model):
    """A reporting round (报送轮次), e.g. "2025年一季度进展报送", due on a date, opened and closed by
    the pairing's liaison staff."""

    scope_field = "pairing"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="reporting_rounds"
    )
    name = models.CharField(_("名称"), max_length=120, help_text=_("如“2025年一季度进展报送”"))
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("报送哪一年度的任务进展"))
    opened_on = models.DateField(_("开始日期"))
    due_date = models.DateField(_("截止日期"))
    tasks = models.ManyToManyField(
        "tasks.Task",
        verbose_name=_("覆盖任务"),
        blank=True,
        related_name="reporting_rounds",
        help_text=_("留空且未选单位时，覆盖本结对该年度的全部任务"),
    )
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("覆盖单位"),
        blank=True,
        related_name="reporting_rounds",
        help_text=_("只检查这些单位负责的任务；留空表示全部责任单位"),
    )
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送轮次")
        verbose_name_plural = _("报送轮次")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["pairing", "opened_on"], name="round_pairing_opened")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rounds:round_detail", args=[self.pk])

    @property
    def item_key(self) -> str:
        """The key of this round's reminders in the `ReminderLedger`."""
        return f"rounds.round:{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def checklist(self) -> Checklist:
        """Each responsible unit of the covered periods with its derived state, in six or seven queries.

        Per covered period, a unit has 已报 when one of its reports written since the round opened
        (and, once the round is closed, not after the due date) is submitted or approved; 已退回
        when its report was returned and not submitted again; otherwise nothing (a draft is
        nothing). The unit then reads:
        - 已报 when every covered period is reported;
        - 已退回 when any of its reports was returned;
        - 无进展 when it declared "no progress this round";
        - 未报 otherwise.
        """
        from tasks.models import ProgressReport, TaskPeriod, TaskUnit

        periods = TaskPeriod.objects.filter(task__pairing_id=self.pairing_id, year=self.year)
        through_tasks = self.tasks.through.objects.filter(reportinground_id=self.pk)
        chosen_task_ids = list(through_tasks.values_list("task_id", flat=True))  # query 1
        through_units = self.units.through.objects.filter(reportinground_id=self.pk)
        chosen_unit_ids = set(through_units.values_list("unit_id", flat=True))  # query 2
        if chosen_task_ids:
            periods = periods.filter(task_id__in=chosen_task_ids)
        periods = {p.task_id: p for p in periods.select_related("task")}  # query 3
        responsibilities = TaskUnit.objects.filter(task_id__in=list(periods)).select_related("unit__region")
        if chosen_unit_ids:
            responsibilities = responsibilities.filter(unit_id__in=chosen_unit_ids)
        rows: dict[int, UnitRow] = {}
        for tu in responsibilities.order_by("task__position", "task_id", "role", "order"):  # query 4
            row = rows.setdefault(tu.unit_id, UnitRow(unit=tu.unit))
            row.cells.append(Cell(period=periods[tu.task_id], role=tu.get_role_display()))
        reports = ProgressReport.objects.filter(
            period_id__in=[p.pk for p in periods.values()],
            unit_id__in=list(rows),
            created__date__gte=self.opened_on,
        )
        if self.closed_on:
            reports = reports.filter(created__date__lte=self.due_date)
        found: dict[tuple[int, int], set[str]] = {}
        for period_id, unit_id, status in reports.values_list("period_id", "unit_id", "status"):  # query 5
            found.setdefault((period_id, unit_id), set()).add(status)
        entries = {  # query 6
            e.unit_id: e for e in RoundEntry.objects.filter(round_id=self.pk).select_related("declared_by")
        }
        for unit_id, row in rows.items():
            for cell in row.cells:
                statuses = found.get((cell.period.pk, unit_id), set())
                if statuses & {ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED}:
                    cell.status = RoundStatus.REPORTED
                elif ProgressReport.Status.RETURNED in statuses:
                    cell.status = RoundStatus.RETURNED
            row.entry = entries.get(unit_id)
            row.status = row.derive()
        ordered = sorted(rows.values(), key=lambda r: (r.unit.region.path, r.unit.name))
        # Units chosen for the round that answer for none of its tasks: shown, so nobody wonders.
        idle = chosen_unit_ids - set(rows)
        idle_units = list(Unit.objects.filter(pk__in=idle)) if idle else []  # query 7, when any
        return Checklist(rows=ordered, units_without_tasks=idle_units)


@dataclass
class Cell:
    """One covered period a unit answers for, and what it reported on it."""

    period: object
    role: str
    status: str = RoundStatus.MISSING

    @property
    def label(self) -> str:
        return RoundStatus(self.status).label

    @property
    def badge(self) -> str:
        return BADGES[self.status]


@dataclass
class UnitRow:
    """A line of the checklist: a unit, its covered periods, its state."""

    unit: Unit
    cells: list[Cell] = field(default_factory=list)
    entry: RoundEntry | None = None
    status: str = RoundStatus.MISSING

    def derive(self) -> str:
        if self.cells and all(c.status == RoundStatus.REPORTED for c in self.cells):
            return RoundStatus.REPORTED
        if any(c.status == RoundStatus.RETURNED for c in self.cells):
            return RoundStatus.RETURNED
        if self.entry is not None:
            return RoundStatus.NO_PROGRESS
        return RoundStatus.MISSING

    @property
    def reported_count(self) -> int:
        return sum(1 for c in self.cells if c.status == RoundStatus.REPORTED)

    @property
    def label(self) -> str:
        return RoundStatus(self.status).label

    @property
    def badge(self) -> str:
        return BADGES[self.status]

    @property
    def is_late(self) -> bool:
        return self.status in LATE


@dataclass
class Checklist:
    """The derived checklist of a round: its unit rows and the counts shown at the top."""

    rows: list[UnitRow]
    units_without_tasks: list[Unit] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in RoundStatus}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def count_items(self) -> list[tuple[str, str, str, int]]:
        """(status, label, badge, count) in display order, for the summary at the top."""
        counts = self.counts()
        order = [RoundStatus.REPORTED, RoundStatus.MISSING, RoundStatus.RETURNED, RoundStatus.NO_PROGRESS]
        return [(s.value, s.label, BADGES[s], counts[s.value]) for s in order]

    def late(self) -> list[UnitRow]:
        return [row for row in self.rows if row.is_late]

    def row_for(self, unit_id: int | None) -> UnitRow | None:
        return next((row for row in self.rows if row.unit.pk == unit_id), None)


class RoundEntry(models.Model):
    """A unit's explicit declaration that it has no progress to report in a round (本轮无进展)."""

    scope_field = "round__pairing"

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("报送轮次"), on_delete=models.CASCADE, related_name="entries"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("声明人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("声明时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("无进展声明")
        verbose_name_plural = _("无进展声明")
        ordering = ["round", "unit"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="one_round_entry_per_unit")]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"
