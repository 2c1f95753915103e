"""Co-built parks (共建产业园 / 飞地园区 …), their yearly investment plans, and cooperation projects.

Plan figures are in 万元 exactly as the source table states them (Decimal, never float);
project money is in yuan. Every model keeps its history.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Pairing, PolicyDocument, Region, ScopedQuerySet, Unit

ZERO = Decimal("0")
PERCENT = [MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))]


def wan_field(verbose_name, **kwargs) -> models.DecimalField:
    """An amount in 万元 as entered in a plan table (up to 4 decimals: 元 precision)."""
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=4, validators=[MinValueValidator(ZERO)], **kwargs
    )


def normalise_name(name: str) -> str:
    """'永嘉 -瓯海' and '永嘉—瓯海' are the same park: no spaces, one kind of dash."""
    return re.sub(r"[\s\u3000]+", "", re.sub(r"[-－–—﹣‐]+", "-", name or ""))


class Park(models.Model):
    """A co-built park of a pairing: where it is, who runs it, how the partners share its figures."""

    class Kind(models.TextChoices):
        CO_BUILT = "co_built", _("共建产业园")
        ENCLAVE = "enclave", _("飞地园区")
        ECO_TOURISM = "eco_tourism", _("生态旅游文化产业园")
        MOUNTAIN_COAST = "mountain_coast", _("山海协作产业园")
        OTHER = "other", _("其他")

    scope_field = "pairing"

    name = models.CharField(_("名称"), max_length=150)
    short_name = models.CharField(
        _("简称"), max_length=60, blank=True, help_text=_("计划表中的园区名称，如 永嘉-瓯海；导入时据此匹配")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.CO_BUILT)
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="parks"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="parks"
    )
    core_area_km2 = models.DecimalField(
        _("核心区面积（km²）"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    committee = models.ForeignKey(
        Unit, verbose_name=_("管委会"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner_committee = models.ForeignKey(
        Unit,
        verbose_name=_("合作方园区管委会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    company_name = models.CharField(_("开发公司"), max_length=150, blank=True)
    company_capital = models.DecimalField(
        _("开发公司注册资本（元）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    coastal_indicator_share = models.DecimalField(
        _("支援方指标分享比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    coastal_tax_share = models.DecimalField(
        _("支援方税收分享比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    share_agreement = models.TextField(
        _("分享约定"), blank=True, help_text=_("工业增加值、固定资产投资、招商引资等指标与税收的分享约定")
    )
    counts_fully_for_both = models.BooleanField(
        _("双方各按100%计入"),
        default=False,
        help_text=_("考核时共建双方可将源自园区的指标各按100%纳入统计（闽西南协同发展区发展规划）"),
    )
    established = models.DateField(_("设立日期"), null=True, blank=True)
    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("来源文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["pairing", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "name"], name="park_name_unique_in_pairing")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parks:park_detail", args=[self.pk])

    @property
    def mountain_indicator_share(self) -> Decimal | None:
        return None if self.coastal_indicator_share is None else Decimal("100") - self.coastal_indicator_share

    @property
    def mountain_tax_share(self) -> Decimal | None:
        return None if self.coastal_tax_share is None else Decimal("100") - self.coastal_tax_share

    def plan_years(self) -> list[dict]:
        """Plans by year, each with its government and attracted lines and the year's totals
        (from prefetched `plans`: no query per year)."""
        years: dict[int, dict] = {}
        # Government lines first, as in the source tables.
        kinds = list(ParkInvestmentPlan.Kind.values)
        for plan in sorted(self.plans.all(), key=lambda p: (p.year, kinds.index(p.kind))):
            row = years.setdefault(
                plan.year, {"year": plan.year, "lines": {}, "planned": ZERO, "target": ZERO}
            )
            row["lines"][plan.kind] = plan
            row["planned"] += plan.planned_total
            row["target"] += plan.planned_completion
        return list(years.values())


class ParkInvestmentPlan(models.Model):
    """One line of a park's yearly plan (政府性 or 招商): projects, planned total, planned and actual completion."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府性投资")
        ATTRACTED = "attracted", _("招商投资")

    scope_field = "park__pairing"

    park = models.ForeignKey(Park, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    project_count = models.PositiveIntegerField(_("项目数"))
    planned_total = wan_field(_("计划总投资（万元）"))
    planned_completion = wan_field(_("计划完成数（万元）"))
    actual_completion = wan_field(_("实际完成数（万元）"), null=True, blank=True)
    source = models.CharField(
        _("来源"), max_length=200, blank=True, help_text=_("如 温政发〔2018〕26号 附件1")
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区投资计划")
        verbose_name_plural = _("园区投资计划")
        ordering = ["park", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["park", "year", "kind"], name="park_plan_one_per_year_kind"),
            models.CheckConstraint(
                condition=Q(planned_total__gte=0)
                & Q(planned_completion__gte=0)
                & (Q(actual_completion__isnull=True) | Q(actual_completion__gte=0)),
                name="park_plan_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year} {self.get_kind_display()}"

    @property
    def completion_rate(self) -> Decimal | None:
        """Actual ÷ planned completion, when both are known."""
        if self.actual_completion is None or not self.planned_completion:
            return None
        return self.actual_completion / self.planned_completion


class Project(models.Model):
    """A cooperation project (协作项目), moved through the stages 策划 → 签约 → 开工 → 投产 → 竣工."""

    class Stage(models.TextChoices):
        PLANNING = "planning", _("策划")
        SIGNED = "signed", _("签约")
        STARTED = "started", _("开工")
        PRODUCING = "producing", _("投产")
        COMPLETED = "completed", _("竣工")

    # The date field of each stage, in order.
    STAGE_DATES = [
        (Stage.PLANNING, "planned_on"),
        (Stage.SIGNED, "signed_on"),
        (Stage.STARTED, "started_on"),
        (Stage.PRODUCING, "producing_on"),
        (Stage.COMPLETED, "completed_on"),
    ]

    scope_field = "pairing"

    name = models.CharField(_("项目名称"), max_length=200)
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="projects"
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("所在园区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    industry = models.CharField(_("产业"), max_length=60, blank=True, help_text=_("如 纺织鞋服、生态旅游"))
    enterprise = models.CharField(_("投资企业"), max_length=150, blank=True)
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, default=Stage.PLANNING)
    planned_on = models.DateField(_("策划日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    total_investment = models.DecimalField(
        _("总投资（元）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    hematopoietic = models.BooleanField(_("造血式项目"), default=False)
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("协作项目")
        verbose_name_plural = _("协作项目")
        ordering = ["pairing", "name"]
        indexes = [models.Index(fields=["pairing", "stage"], name="project_pairing_stage")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parks:project_detail", args=[self.pk])

    def clean(self) -> None:
        if self.park_id and self.pairing_id and self.park.pairing_id != self.pairing_id:
            raise ValidationError({"park": _("所选园区不属于该结对。")})
        order = [stage for stage, _field in self.STAGE_DATES]
        reached = order.index(self.stage) if self.stage in order else 0
        errors = {}
        previous: tuple[str, datetime.date] | None = None
        for index, (stage, field) in enumerate(self.STAGE_DATES):
            value = getattr(self, field)
            if index > reached and value:
                errors[field] = _("项目尚未到达“%(stage)s”阶段，不能填写此日期。") % {"stage": stage.label}
            if value and previous and value < previous[1]:
                errors[field] = _("日期不能早于“%(stage)s”日期。") % {"stage": previous[0]}
            if value:
                previous = (str(stage.label), value)
        if errors:
            raise ValidationError(errors)

    @property
    def stage_dates(self) -> list[tuple[str, datetime.date | None, bool]]:
        """(stage label, date reached, reached?) in order, for the page."""
        order = [stage for stage, _field in self.STAGE_DATES]
        reached = order.index(self.stage) if self.stage in order else 0
        return [
            (str(stage.label), getattr(self, field), index <= reached)
            for index, (stage, field) in enumerate(self.STAGE_DATES)
        ]

    @property
    def invested_total(self) -> Decimal:
        """Investment in place so far (sum of the yearly 到位资金 rows, prefetched)."""
        return sum((row.amount for row in self.investments.all()), ZERO)


class ProjectInvestment(models.Model):
    """Investment in place (到位资金) of a project in one year, in yuan."""

    scope_field = "project__pairing"

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="investments"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        _("到位资金（元）"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目到位资金")
        verbose_name_plural = _("项目到位资金")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="project_investment_one_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_investment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"
