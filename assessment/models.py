"""The annual assessment: the scoring scheme (sections, weights, rules) and the export jobs.

`AssessmentScheme` and its `AssessmentSection`s are data, kept in the admin: a section names a
rule (what it measures) and a weight (how many points it is worth). `assessment.scoring`
applies them; `ensure_default_scheme()` creates the documented default when none exists.

`AssessmentExport` is one request for a workbook: who asked, for which year and pairings, and the
job's progress (queued → running → done / failed, percent, message, the finished file, the running
job's heartbeat). The file is only named here once it is complete, so a half-written workbook is never
offered.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Pairing


class AssessmentScheme(models.Model):
    """A scoring scheme for the annual assessment: sections with weights, for a span of years.

    The scheme used for a year is the one whose span covers it (the latest starting), else the
    default scheme.
    """

    name = models.CharField(_("方案名称"), max_length=100, unique=True)
    is_default = models.BooleanField(_("默认方案"), default=False)
    year_from = models.PositiveSmallIntegerField(_("适用起始年份"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("适用截止年份"), null=True, blank=True)
    notes = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords(table_name="reports_historicalassessmentscheme")

    class Meta:
        # The table kept its name when the model moved here from the former reports app.
        db_table = "reports_assessmentscheme"
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="assessment_one_default_scheme"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, year: int) -> bool:
        return (self.year_from is None or self.year_from <= year) and (
            self.year_to is None or year <= self.year_to
        )

    @property
    def total_weight(self) -> Decimal:
        return sum((s.weight for s in self.sections.all()), Decimal("0"))


class AssessmentSection(models.Model):
    """One section of a scheme: a rule and its weight (points), e.g. on-time completion rate × 40."""

    class Rule(models.TextChoices):
        TASKS_ON_TIME = "tasks_on_time", _("任务按时完成率 × 分值")
        TARGETS_MET = "targets_met", _("量化指标达标率 × 分值")
        FUNDS_ON_TIME = "funds_on_time", _("资金按时到位：全部按时得满分，否则 0 分")
        ACTIVITIES_MINIMUMS = "activities_minimums", _("交流活动最低次数达标率 × 分值")
        URGING = "urging", _("催办督办：每次提请督办扣 N 分，扣完为止")
        PARKS_COMPLETION = "parks_completion", _("园区投资计划完成率 × 分值（最高满分）")

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    name = models.CharField(_("考核项目"), max_length=60)
    rule = models.CharField(_("计分规则"), max_length=24, choices=Rule.choices)
    weight = models.DecimalField(
        _("分值"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    deduction = models.DecimalField(
        _("每次扣分"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("仅“催办督办”规则使用：每次提请督办扣除的分数"),
    )

    history = HistoricalRecords(table_name="reports_historicalassessmentsection")

    class Meta:
        # The table kept its name when the model moved here from the former reports app.
        db_table = "reports_assessmentsection"
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["scheme", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight.normalize():f}）"


class AssessmentGrade(models.Model):
    """A grade band of a scheme (等次): a total at or above `threshold` gets `name` (the highest band
    reached). Names, thresholds and their number vary by province and year; a scheme without bands
    grades 好 ≥ 90 / 较好 ≥ 75 / 一般 ≥ 60 / 差 (`assessment.official.DEFAULT_GRADES`)."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="grades"
    )
    name = models.CharField(_("等次"), max_length=20)
    threshold = models.DecimalField(
        _("最低分"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("总分达到此分数即为该等次（取达到的最高等次）"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("等次")
        verbose_name_plural = _("等次")
        ordering = ["scheme", "-threshold", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="assessment_grade_unique_name"),
            models.UniqueConstraint(fields=["scheme", "threshold"], name="assessment_grade_unique_threshold"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（≥ {self.threshold.normalize():f}）"


class AssessmentAdjustment(models.Model):
    """A bonus (加分) or deduction (扣分) item of a scheme, e.g. “获省级及以上表彰” +2 per entry, at most 4.

    The assessing office enters what happened for a pairing's side and year
    (`AssessmentAdjustmentEntry`); the total is then the base score (the sections) plus each bonus
    item's entries up to its cap, minus each deduction item's entries up to its cap. A scheme
    without items scores as before.
    """

    class Kind(models.TextChoices):
        BONUS = "bonus", _("加分")
        DEDUCTION = "deduction", _("扣分")

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    name = models.CharField(_("加分 / 扣分项目"), max_length=60)
    points = models.DecimalField(
        _("每次分值"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("每记录一次加（扣）的分数，录入时默认取此值"),
    )
    cap = models.DecimalField(
        _("上限"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("本项目一年最多加（扣）的分数"),
    )
    criterion = models.CharField(_("评分标准"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("加分 / 扣分项目")
        verbose_name_plural = _("加分 / 扣分项目")
        ordering = ["scheme", "kind", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="assessment_adjustment_unique_name"),
        ]

    def __str__(self) -> str:
        sign = "+" if self.kind == self.Kind.BONUS else "−"
        item = f"{self.get_kind_display()}：{self.name}（{sign}{self.points.normalize():f}，上限 {self.cap.normalize():f}）"
        return f"{self.scheme.name} · {item}"

    @property
    def sign(self) -> int:
        return 1 if self.kind == self.Kind.BONUS else -1


class AssessmentAdjustmentEntry(models.Model):
    """One bonus or deduction the assessing office entered for a side of a pairing in a year, with
    its reason and evidence; who entered it and every later change are kept in its history."""

    class Side(models.TextChoices):
        COASTAL = "coastal", _("支援方")
        MOUNTAIN = "mountain", _("受援方")

    item = models.ForeignKey(
        AssessmentAdjustment,
        verbose_name=_("加分 / 扣分项目"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="assessment_adjustments"
    )
    side = models.CharField(_("方"), max_length=10, choices=Side.choices)
    year = models.PositiveSmallIntegerField(_("考核年度"))
    points = models.DecimalField(
        _("分数"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.CharField(_("事由"), max_length=200)
    evidence = models.TextField(_("证明材料"), blank=True, help_text=_("文件名称、文号或存放位置"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("加分 / 扣分记录")
        verbose_name_plural = _("加分 / 扣分记录")
        ordering = ["year", "pairing", "side", "item", "pk"]

    def __str__(self) -> str:
        sign = "+" if self.item.kind == AssessmentAdjustment.Kind.BONUS else "−"
        return f"{self.year} {self.pairing} {self.get_side_display()}：{self.item.name} {sign}{self.points.normalize():f}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from assessment.scoring import scheme_for

        if self.item_id and self.year:
            scheme = scheme_for(self.year)
            if self.item.scheme_id != scheme.pk:
                raise ValidationError(
                    {
                        "item": _(
                            "%(year)d 年度适用的考核方案是“%(scheme)s”，请选择该方案的加分 / 扣分项目。"
                        )
                        % {"year": self.year, "scheme": scheme.name}
                    }
                )


class AssessmentExport(models.Model):
    """One request for an assessment workbook and the progress of the job that writes it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Dispatch(models.TextChoices):
        """Where the job's message stands with the broker (the job's own state, not shown to users)."""

        SENT = "sent", _("已提交")
        BROKER_DOWN = "broker_down", _("后台服务不可用，待重新提交")
        REQUEUED = "requeued", _("已重新提交")
        HEARTBEAT_LOST = "heartbeat_lost", _("心跳中断，已重新提交")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="assessment_exports",
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    pairings = models.ManyToManyField(Pairing, verbose_name=_("结对"), related_name="+")
    all_pairings = models.BooleanField(_("全部可见结对"), default=False)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    # Relative to MEDIA_ROOT; set only after the finished file has been renamed into place.
    file_path = models.CharField(_("文件"), max_length=300, blank=True)
    file_name = models.CharField(_("下载文件名"), max_length=200, blank=True)
    created = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Touched by the running job at each step: a running export whose heartbeat stopped lost its
    # worker (and maybe its message), and `assessment.requeue_exports` queues it again.
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True, editable=False)
    dispatch = models.CharField(
        _("提交状态"), max_length=16, choices=Dispatch.choices, default=Dispatch.SENT, editable=False
    )
    # How many times a worker has started the job: a job that kills its worker every time is failed
    # after `assessment.tasks.MAX_RUNS` starts instead of coming back forever.
    attempts = models.PositiveSmallIntegerField(_("启动次数"), default=0, editable=False)

    class Meta:
        # The table kept its name when the model moved here from the former reports app.
        db_table = "reports_assessmentexport"
        verbose_name = _("考核表导出")
        verbose_name_plural = _("考核表导出")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.year} · {self.requested_by} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:export_detail", args=[self.pk])

    def is_visible_to(self, user) -> bool:
        """Only the person who asked, or a superuser, sees the job and downloads its file."""
        return user.is_authenticated and (user.is_superuser or user.pk == self.requested_by_id)
