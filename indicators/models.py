"""Regional development indicators: each side's yearly economy, targets against actuals.

`IndicatorDefinition` is the list of indicators (地区生产总值, 城镇化率 …) a superuser keeps in
the admin. `RegionIndicator` is one region's figure for one indicator and one year: the expected
target (预期目标) with its comparator as the document words it ("6%左右" → about, "以上" → at
least), the actual value, and the document and sentence the figure was taken from.

Who sees a figure is decided by its region (see `RegionIndicatorQuerySet`), not by a pairing:
the same county's GDP serves every pairing that county takes part in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Pairing, PolicyDocument, ReferenceQuerySet, Region, ScopedQuerySet
from core.figures import about_met

if TYPE_CHECKING:
    from django.db.models import QuerySet


class IndicatorDefinition(models.Model):
    """An indicator the offices track (地区生产总值 …): its unit and whether it is an amount, a rate or a growth."""

    class Nature(models.TextChoices):
        AMOUNT = "amount", _("总量")
        RATE = "rate", _("比率")
        GROWTH = "growth", _("增速")

    name = models.CharField(_("指标名称"), max_length=60, unique=True)
    unit = models.CharField(_("单位"), max_length=20, help_text=_("如 亿元、元、万人、%"))
    nature = models.CharField(_("性质"), max_length=10, choices=Nature.choices, default=Nature.AMOUNT)
    growth_of = models.ForeignKey(
        "self",
        verbose_name=_("对应总量指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="growth_indicators",
        limit_choices_to={"nature": "amount"},
        help_text=_("增速指标填写其对应的总量指标，如“地区生产总值增速”对应“地区生产总值”"),
    )
    ordering = models.PositiveSmallIntegerField(_("排序"), default=100)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords(table_name="reports_historicalindicatordefinition")
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved here from the former reports app.
        db_table = "reports_indicatordefinition"
        verbose_name = _("指标定义")
        verbose_name_plural = _("指标定义")
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    def clean(self) -> None:
        if self.growth_of_id and self.nature != self.Nature.GROWTH:
            raise ValidationError({"growth_of": _("只有增速指标可以指定对应的总量指标。")})
        if self.growth_of_id and self.growth_of_id == self.pk:
            raise ValidationError({"growth_of": _("不能指定自己。")})


class Comparator(models.TextChoices):
    """How the document words a figure: "6%左右" is about, "7%以上" at least, "站上3500亿元" at least."""

    EQUAL = "eq", "="
    ABOUT = "about", _("左右 ≈")
    AT_LEAST = "gte", _("以上 ≥")
    AT_MOST = "lte", _("以下 ≤")


# Plain string keys: TextChoices members hash by their name, not by their value.
COMPARATOR_SIGNS = {"eq": "", "about": "≈", "gte": "≥", "lte": "≤"}


class RegionIndicatorQuerySet(ScopedQuerySet):
    """Figures are scoped by region, not by pairing.

    A figure is visible to a user when its region is a side of one of his pairings, contains such
    a side (晋江市's pairing shows 泉州市 and 福建省 figures) or lies within one (a township of
    尤溪县); or when it was taken from a document of one of his pairings — the sentence is in a
    document he already reads (the 闽西南 zone's targets for the parks of 专栏6).
    Liaison staff manage the figures of their pairings' sides and of regions within them.
    """

    @staticmethod
    def _side_paths(pairings: QuerySet) -> set[str]:
        return {
            path
            for pair in pairings.values_list("coastal_region__path", "mountain_region__path")
            for path in pair
        }

    def visible_to(self, user) -> QuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        paths = self._side_paths(Pairing.objects.visible_to(user))
        condition = Q(source_document__in=PolicyDocument.objects.visible_to(user).values("pk"))
        ancestors: set[str] = set()
        for path in paths:
            condition |= Q(region__path__startswith=path)
            parts = [p for p in path.split("/") if p]
            ancestors.update("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts)))
        if ancestors:
            condition |= Q(region__path__in=sorted(ancestors))
        return self.filter(condition)

    def manageable_by(self, user) -> QuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(region__in=manageable_regions(user))


def manageable_regions(user) -> QuerySet:
    """Regions whose figures `user` may enter: the sides of the pairings he is liaison of, and below."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    if not getattr(user, "is_liaison", False):
        return Region.objects.none()
    paths = RegionIndicatorQuerySet._side_paths(Pairing.objects.manageable_by(user))
    if not paths:
        return Region.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Region.objects.filter(condition)


class RegionIndicator(models.Model):
    """One region's figure for one indicator and year: expected target, actual value, and its source."""

    scope_field = ""

    region = models.ForeignKey(
        Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="indicator_figures"
    )
    indicator = models.ForeignKey(
        IndicatorDefinition, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="figures"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    target_comparator = models.CharField(
        _("目标口径"), max_length=5, choices=Comparator.choices, blank=True, default=""
    )
    target_value = models.DecimalField(_("预期目标"), max_digits=16, decimal_places=4, null=True, blank=True)
    actual_comparator = models.CharField(
        _("实际值口径"), max_length=5, choices=Comparator.choices, blank=True, default=""
    )
    actual_value = models.DecimalField(_("实际值"), max_digits=16, decimal_places=4, null=True, blank=True)
    actual_is_estimate = models.BooleanField(
        _("预计数"), default=False, help_text=_("工作报告中“预计”的全年数，待统计公报核实")
    )
    source_document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("来源文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator_figures",
    )
    source_text = models.TextField(_("原文"), blank=True, help_text=_("数字所在的原句"))

    history = HistoricalRecords(table_name="reports_historicalregionindicator")
    objects = RegionIndicatorQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved here from the former reports app.
        db_table = "reports_regionindicator"
        verbose_name = _("地区发展指标")
        verbose_name_plural = _("地区发展指标")
        ordering = ["region__path", "indicator__ordering", "indicator__name", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year"], name="region_indicator_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=False) | Q(actual_value__isnull=False),
                name="region_indicator_has_a_value",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=2100), name="region_indicator_year_plausible"
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="region_indicator_region_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.indicator.name}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.target_value is None and self.actual_value is None:
            errors["actual_value"] = _("预期目标和实际值至少填写一项。")
        if self.target_value is None and self.target_comparator:
            errors["target_value"] = _("填写了目标口径，请同时填写预期目标。")
        if self.actual_value is None and self.actual_comparator:
            errors["actual_value"] = _("填写了实际值口径，请同时填写实际值。")
        if self.year is not None and not (1949 <= self.year <= 2100):
            errors["year"] = _("年份不合理，请核对。")
        if errors:
            raise ValidationError(errors)

    # Read-only rules ---------------------------------------------------------------------------

    @staticmethod
    def _shown(comparator: str, value: Decimal | None, unit: str) -> str:
        if value is None:
            return "—"
        sign = COMPARATOR_SIGNS.get(comparator, "")
        number = format_number(value)
        return f"{sign}{number}{unit}" if unit == "%" else f"{sign}{number} {unit}".strip()

    @property
    def target_display(self) -> str:
        return self._shown(self.target_comparator, self.target_value, self.indicator.unit)

    @property
    def actual_display(self) -> str:
        return self._shown(self.actual_comparator, self.actual_value, self.indicator.unit)

    # An "about" target counts as met within the margin of ``core.figures.about_met``: half a
    # point for rates and growths ("增长6%左右" is met by 5.6 %), 2 % of the target for amounts.

    @property
    def status(self) -> str:
        """ "met", "missed" or "open" (no target, or no actual yet)."""
        if self.target_value is None or self.actual_value is None:
            return "open"
        actual, target = self.actual_value, self.target_value
        comparator = self.target_comparator or Comparator.AT_LEAST
        if comparator == Comparator.AT_MOST:
            return "met" if actual <= target else "missed"
        if comparator == Comparator.ABOUT:
            rate = self.indicator.nature != IndicatorDefinition.Nature.AMOUNT
            return "met" if about_met(actual, target, rate=rate) else "missed"
        if comparator == Comparator.EQUAL:
            return "met" if actual == target else "missed"
        return "met" if actual >= target else "missed"

    @property
    def status_display(self) -> str:
        return {"met": _("已达目标"), "missed": _("未达目标"), "open": "—"}[self.status]


def format_number(value: Decimal | None) -> str:
    """21954.0000 → 21,954; 67.1000 → 67.1 (no trailing zeros, thousands separated)."""
    if value is None:
        return "—"
    normal = value.normalize()
    if normal == normal.to_integral():
        return f"{normal:,.0f}"
    return f"{normal:,f}"
