"""The cooperation backbone: regions, units, people and roles, pairings, documents, activities.

Who may see what is decided in one place, `Pairing.objects.visible_to(user)`; every other
model reaches its pairing through `scope_field` and is scoped by `ScopedQuerySet`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.scoping import (  # noqa: F401 — the scope's querysets, and the names other apps import
    PairingQuerySet,
    ReferenceQuerySet,
    ScopedQuerySet,
    UnitQuerySet,
    pairing_audience,
    request_scope,
)
from core.roles import Role  # noqa: F401
from core.years import DateValidator, YearValidator

# --------------------------------------------------------------------------------------------
# Regions and units
# --------------------------------------------------------------------------------------------


class Region(models.Model):
    """An administrative division (行政区划): province, city, county or township."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡镇级")
        ZONE = "zone", _("跨区域")

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        _("行政区划代码"), max_length=12, blank=True, help_text=_("6 位行政区划代码，已知时填写")
    )
    # "/<id>/<id>/…/" from the root: "contains" is a prefix test that needs no recursion.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    history = HistoricalRecords()
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="region_code_unique_when_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        creating = self.pk is None
        if not creating:
            # Set before saving, so the history row of this change records the new path, not the old.
            self.path = self._computed_path()
            if kwargs.get("update_fields") is not None and self.path != old_path:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
        super().save(*args, **kwargs)
        if creating:
            # The path holds the id, known only once inserted: set it, on the insert's history row too.
            self.path = self._computed_path()
            Region.objects.filter(pk=self.pk).update(path=self.path)
            inserted = self.history.order_by("-history_id").first()
            if inserted is not None:
                type(inserted).objects.filter(pk=inserted.pk).update(path=self.path)
        elif old_path and old_path != self.path:
            # Moving a region moves its whole subtree (a derived column: no history row per child).
            for child in Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = self.path + child.path[len(old_path) :]
                Region.objects.filter(pk=child.pk).update(path=child.path)

    def _computed_path(self) -> str:
        return (self.parent.path if self.parent_id else "/") + f"{self.pk}/"

    def clean(self) -> None:
        if self.code and not (self.code.isdigit() and len(self.code) == 6):
            raise ValidationError({"code": _("行政区划代码应为 6 位数字。")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级不能是自己或自己的下级。")})
            ancestor = ancestor.parent

    def contains(self, other: Region) -> bool:
        return other.path.startswith(self.path)


class Unit(models.Model):
    """An organisation answerable for work (责任单位): a government, a department, a park committee…"""

    class Kind(models.TextChoices):
        PARTY = "party", _("党委")
        GOVERNMENT = "government", _("政府")
        DEPARTMENT = "department", _("部门")
        PARK = "park", _("园区管委会")
        ENTERPRISE = "enterprise", _("企业")
        ASSOCIATION = "association", _("协会商会")
        OTHER = "other", _("其他")

    # Who sees which pairings follows the unit's region: set when the unit is created, then only
    # by superusers (core.permissions.set_once_fields).
    scope_defining_fields = ("region",)

    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.DEPARTMENT)
    webhook_url = models.URLField(
        _("消息推送地址"), blank=True, help_text=_("工作群机器人等接收提醒的 Webhook 地址（可选）")
    )

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person: belongs to one unit with one role (liaison, reporter or viewer)."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON

    @property
    def is_reporter(self) -> bool:
        return self.role == Role.REPORTER


# --------------------------------------------------------------------------------------------
# Pairings, documents, activities
# --------------------------------------------------------------------------------------------


class Pairing(models.Model):
    """A pairing (结对): a supporting coastal/eastern side and a supported mountain/western side."""

    class Kind(models.TextChoices):
        MOUNTAIN_COAST = "mountain_coast", _("山海协作")
        EAST_WEST = "east_west", _("东西部协作")
        COUNTERPART = "counterpart", _("对口支援")
        INTRA_CITY = "intra_city", _("市域内对")
        TOWNSHIP = "township", _("乡镇结对")
        DEPARTMENT = "department", _("部门结对")

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        ACTIVE = "active", _("进行中")
        ENDED = "ended", _("已结束")

    scope_field = ""
    # Who sees and manages the pairing follows from these: superusers only (set_once_fields).
    scope_defining_fields = (
        "coastal_region",
        "mountain_region",
        "parent",
        "coastal_liaison",
        "mountain_liaison",
        "units",
    )

    name = models.CharField(_("名称"), max_length=150, blank=True, help_text=_("留空时由两侧名称生成"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.MOUNTAIN_COAST)
    coastal_region = models.ForeignKey(
        Region, verbose_name=_("支援方"), on_delete=models.PROTECT, related_name="pairings_as_coastal"
    )
    mountain_region = models.ForeignKey(
        Region, verbose_name=_("受援方"), on_delete=models.PROTECT, related_name="pairings_as_mountain"
    )
    coastal_liaison = models.ForeignKey(
        Unit,
        verbose_name=_("支援方联络单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mountain_liaison = models.ForeignKey(
        Unit,
        verbose_name=_("受援方联络单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("其他参与单位"),
        blank=True,
        related_name="pairings",
        help_text=_("不在两侧地区内、但参与本结对工作的单位"),
    )
    start_year = models.PositiveSmallIntegerField(_("起始年份"), validators=[YearValidator()])
    end_year = models.PositiveSmallIntegerField(
        _("截止年份"), null=True, blank=True, validators=[YearValidator()]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级结对"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords(excluded_fields=["units"])
    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("结对关系")
        verbose_name_plural = _("结对关系")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="pairing_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.default_name()

    def save(self, *args, **kwargs) -> None:
        if not self.name:
            self.name = self.default_name()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cooperation:pairing_detail", args=[self.pk])

    def default_name(self) -> str:
        return f"{self.coastal_region.name}—{self.mountain_region.name}"

    def clean(self) -> None:
        if self.end_year is not None and self.start_year is not None and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("截止年份不能早于起始年份。")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级结对不能是自己。")})

    def status_as_of(self, today=None) -> str:
        """The stored status, unless the years say otherwise: a pairing past its end year has ended
        (已结束), one before its start year is 筹备中."""
        import datetime

        year = (today or datetime.date.today()).year
        if self.end_year and self.end_year < year:
            return self.Status.ENDED
        if self.start_year and self.start_year > year:
            return self.Status.PLANNED
        return self.status

    @property
    def status_display(self) -> str:
        from django.utils import timezone

        return str(self.Status(self.status_as_of(timezone.localdate())).label)

    def default_year(self, today) -> int:
        """The year its pages open on: this year while it runs, else its last (or first) active year."""
        year = today.year
        if self.end_year and self.end_year < year:
            return self.end_year
        return max(year, self.start_year) if self.start_year and self.start_year > year else year

    def active_years(self, until: int | None = None) -> range:
        """The years the pairing runs; an open-ended one runs until `until`."""
        last = self.end_year or until or self.start_year
        return range(self.start_year, last + 1)


class PolicyDocument(models.Model):
    """A source of tasks: an implementation plan, opinion, programme or annual plan."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("实施方案")
        OPINION = "opinion", _("实施意见")
        PROGRAMME = "programme", _("规划")
        ANNUAL = "annual", _("年度计划")
        REPORT = "report", _("工作报告")
        OTHER = "other", _("其他")

    scope_field = "pairings"

    doc_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("如 晋政文〔2024〕102号"))
    title = models.CharField(_("标题"), max_length=255)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PLAN)
    issuers = models.CharField(_("发文机关"), max_length=255, blank=True, help_text=_("多个机关用“、”分隔"))
    issued = models.DateField(_("发布日期"), null=True, blank=True)
    horizon_start = models.PositiveSmallIntegerField(_("起始年份"), null=True, blank=True)
    horizon_end = models.PositiveSmallIntegerField(_("目标年份"), null=True, blank=True)
    full_text = models.TextField(_("全文"), blank=True)
    pairings = models.ManyToManyField(
        Pairing, verbose_name=_("适用结对"), related_name="documents", blank=True
    )

    history = HistoricalRecords(excluded_fields=["pairings"])
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-issued", "title"]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("cooperation:document_detail", args=[self.pk])

    @property
    def issuer_list(self) -> list[str]:
        return [part.strip() for part in self.issuers.replace("，", "、").split("、") if part.strip()]


class Activity(models.Model):
    """An exchange (交流活动): a visit, joint meeting, training, event; counted against yearly minimums."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("高层互访")
        MEETING = "meeting", _("联席会议")
        TRAINING = "training", _("培训")
        EVENT = "event", _("文体旅活动")
        EXCHANGE = "exchange", _("专业交流")
        FAIR = "fair", _("对接洽谈会")
        OTHER = "other", _("其他")

    scope_field = "pairing"

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"), validators=[DateValidator()])
    place = models.CharField(_("地点"), max_length=120, blank=True)
    field = models.CharField(_("领域"), max_length=40, blank=True, help_text=_("如 教育、卫生、文旅"))
    participants = models.TextField(_("参加人员"), blank=True)
    headcount = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    units = models.ManyToManyField(Unit, verbose_name=_("参与单位"), blank=True, related_name="activities")
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords(excluded_fields=["units"])
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("交流活动")
        verbose_name_plural = _("交流活动")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pairing", "date"], name="activity_pairing_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    def clean(self) -> None:
        if self.headcount is not None and self.headcount > 100000:
            raise ValidationError({"headcount": _("人数不合理，请核对。")})
