"""Reminders: who is told what, when, and proof that it was told once.

The engine (reminders/engine.py) reads deadlines from every app through one registry
(core/deadlines.py) and writes, in one transaction per sweep:
- a `ReminderLedger` row per (item, due date, offset, recipient) — unique, so a second sweep,
  an overlapping beat or a re-delivered Celery task cannot remind twice;
- the in-app `Notification`s;
- `OutboxMessage`s: one digest e-mail per person per day, one webhook per unit per day.
Delivery (reminders/delivery.py) sends the outbox with retries and backoff; nothing depends on the
broker being up when a user saves his work.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Pairing, Role, ScopedQuerySet, Unit
from core.uploads import upload_to


class UrgingNoticeQuerySet(ScopedQuerySet):
    def answerable_by(self, user):
        """Notices a user may sign for and answer: his own unit's (reporters and liaison staff)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.role not in (Role.LIAISON, Role.REPORTER) or user.unit_id is None:
            return self.none()
        return self.visible_to(user).filter(unit_id=user.unit_id)


# Why a 催办 went up to 督办. Stored in the source language (Chinese) whatever the language of the
# sweep; shown in the reader's language by `escalation_reason_text` (rows of before included).
ESCALATION_UNSIGNED = gettext_noop("催办单逾期未签收")
ESCALATION_UNANSWERED = gettext_noop("催办单逾期未反馈")
ESCALATION_OVERDUE = gettext_noop("逾期已达 %(n)d 天")
_OVERDUE_STORED = re.compile(r"逾期已达 (\d+) 天")


def escalation_reason_text(stored: str) -> str:
    """A stored 督办 reason in the reader's language (text the sweep did not write is shown as is)."""
    if stored in (ESCALATION_UNSIGNED, ESCALATION_UNANSWERED):
        return gettext(stored)
    match = _OVERDUE_STORED.fullmatch(stored or "")
    if match:
        return gettext(ESCALATION_OVERDUE) % {"n": int(match.group(1))}
    return stored


def default_offsets() -> list[int]:
    return [30, 7, 1, 0]


class ReminderPolicy(models.Model):
    """When a pairing's deadlines are reminded. The row without a pairing is the default."""

    scope_field = "pairing"

    pairing = models.OneToOneField(
        Pairing,
        verbose_name=_("结对"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_policy",
    )
    days_before = models.JSONField(
        _("提前提醒天数"),
        default=default_offsets,
        help_text=_("到期前多少天提醒，0 表示到期当天，如 [30, 7, 1, 0]"),
    )
    overdue_every = models.PositiveSmallIntegerField(_("逾期后每隔几天提醒"), default=7)
    working_days = models.BooleanField(
        _("按工作日计算"), default=False, help_text=_("按法定节假日与调休计算提前天数")
    )
    catch_up_days = models.PositiveSmallIntegerField(
        _("补发天数"), default=7, help_text=_("提醒任务中断后，补发多少天内未发出的提醒")
    )
    urge_after_days = models.PositiveSmallIntegerField(
        _("逾期几天发催办单"), default=3, help_text=_("逾期达到该天数时向责任单位发出催办单")
    )
    sign_within_days = models.PositiveSmallIntegerField(_("签收期限（天）"), default=2)
    reply_within_days = models.PositiveSmallIntegerField(_("反馈期限（天）"), default=5)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("逾期几天提请领导督办"),
        default=15,
        help_text=_("逾期达到该天数，或催办单未按期签收、反馈时，提请本结对领导督办"),
    )
    prompt_workdays = models.PositiveSmallIntegerField(
        _("到期前几个工作日发提示单"),
        default=3,
        help_text=_("到期前该数目的工作日起向责任单位发出提示单（蓝色）；0 表示不发提示单"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")

    def __str__(self) -> str:
        return str(self.pairing) if self.pairing_id else str(_("默认提醒规则"))


class Preference(models.Model):
    """A person's choice: muted, or a daily or weekly digest."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("每天汇总")
        WEEKLY = "weekly", _("每周汇总（周一）")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    muted = models.BooleanField(_("不接收提醒邮件"), default=False)
    frequency = models.CharField(
        _("邮件频率"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )

    class Meta:
        verbose_name = _("提醒偏好")
        verbose_name_plural = _("提醒偏好")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class ReminderLedger(models.Model):
    """Proof that one reminder was issued: unique per item, due date, offset and recipient."""

    scope_field = "pairing"

    item_key = models.CharField(max_length=80)
    due = models.DateField(_("到期日"))
    offset = models.SmallIntegerField(_("提醒点"), help_text=_("正数：到期前天数；0：当天；负数：逾期天数"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(_("内容"), max_length=300)
    url = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "due", "offset", "recipient"],
                name="reminder_once_per_item_offset_recipient",
            )
        ]
        indexes = [models.Index(fields=["item_key", "due"], name="reminder_ledger_item")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.summary}"


class Notification(models.Model):
    """An in-app notification: the bell's unread count and the notification page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, default="reminder")
    overdue = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created", "-pk"]
        # The bell's count on every page: the unread rows of one user.
        indexes = [
            models.Index(
                fields=["user", "created"], condition=Q(read_at__isnull=True), name="notification_unread"
            )
        ]

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class DigestEntry:
    """One line of a reminder: in the bell (a Notification), an e-mail digest and a webhook message.

    Stored in `OutboxMessage.items` as its `as_json()`; every producer (the sweep, urging and
    escalation, reporting rounds) builds this one type, and delivery reads it back with `from_json`.
    """

    key: str  # the item's key, unique in a message ("tasks.period:42", "notice:7", …)
    summary: str
    url: str  # a path of this site
    due: datetime.date
    label: str  # when, in words ("还有 3 天到期", "请于 … 前签收")
    overdue: bool
    offset: int = -1  # days before the due date (negative: after)
    kind: str = "reminder"  # reminder, urging, escalation, round

    def as_json(self) -> dict:
        return {**asdict(self), "due": self.due.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> DigestEntry:
        fields = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**{**fields, "due": datetime.date.fromisoformat(data["due"])})

    def notification(self, user_id: int) -> Notification:
        return Notification(
            user_id=user_id,
            title=f"{self.summary}（{self.label}）"[:300],
            url=self.url,
            kind=self.kind,
            overdue=self.overdue,
        )


class OutboxMessage(models.Model):
    """A message waiting to go out by e-mail or webhook; retried with backoff until sent or failed."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    digest_date = models.DateField(_("汇总日期"))
    items = models.JSONField(_("内容"), default=list)  # DigestEntry.as_json() of each line
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["-digest_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "digest_date"],
                condition=Q(user__isnull=False),
                name="one_digest_per_user_day",
            ),
            models.UniqueConstraint(
                fields=["unit", "channel", "digest_date"],
                condition=Q(unit__isnull=False),
                name="one_webhook_per_unit_day",
            ),
        ]
        # The delivery job's query: what is pending and due.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.user or self.unit} {self.digest_date}"

    @property
    def entries(self) -> list[DigestEntry]:
        return [DigestEntry.from_json(item) for item in self.items]

    def add_entries(self, entries: list[DigestEntry]) -> None:
        """Append the entries whose key the message does not hold yet."""
        known = {item["key"] for item in self.items}
        self.items = self.items + [e.as_json() for e in entries if e.key not in known]


class Level(models.TextChoices):
    """The rungs of the ladder, each with its colour: 提示 (blue) → 催办 (yellow) → 督办 (red)."""

    PROMPT = "prompt", _("提示")
    URGE = "urge", _("催办")
    SUPERVISE = "supervise", _("督办")


LEVEL_ORDER = {Level.PROMPT: 0, Level.URGE: 1, Level.SUPERVISE: 2}


class UrgingNotice(models.Model):
    """A notice of the ladder (提示单 / 催办单 / 督办单) to a responsible unit about one item.

    One per (item, due date, unit); the daily sweep (reminders/engine.py) moves it up at most one rung
    a day, liaison staff issue 催办 by hand. Its trail: 交办 (issued) → 签收 (signed) → 反馈 (answered)
    → 办结 (done, with evidence) → 销号 (closed by the liaison office), each step with who and when.
    """

    scope_field = "pairing"

    class Status(models.TextChoices):
        ISSUED = "issued", _("已交办")
        SIGNED = "signed", _("已签收")
        ANSWERED = "answered", _("已反馈")
        DONE = "done", _("已办结")
        CLOSED = "closed", _("已销号")

    item_key = models.CharField(max_length=80, db_index=True)
    due = models.DateField(_("到期日"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.CASCADE, related_name="urging_notices"
    )
    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="+")
    summary = models.CharField(_("事项"), max_length=300)
    url = models.CharField(max_length=300)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.URGE)
    level_on = models.DateField(_("升至本级日期"), null=True, blank=True)
    message = models.TextField(_("催办意见"), blank=True)
    issued_on = models.DateField(_("发出日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sign_by = models.DateField(_("签收期限"))
    reply_by = models.DateField(_("反馈期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(_("反馈内容"), blank=True)
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_note = models.TextField(_("办结说明"), blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.FileField(_("办结佐证"), upload_to=upload_to("notices"), blank=True, max_length=200)
    evidence_name = models.CharField(_("佐证文件名"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_on = models.DateField(_("提请督办日期"), null=True, blank=True)
    escalation_reason = models.CharField(_("督办原因"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = UrgingNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("催办单")
        verbose_name_plural = _("催办单")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "due", "unit"], name="one_urging_notice_per_item_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.summary}"

    def get_absolute_url(self) -> str:
        return reverse("reminders:notice_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Still on the ladder: not 办结 and not 销号."""
        return self.status not in (self.Status.DONE, self.Status.CLOSED)

    @property
    def reason_display(self) -> str:
        """Why it went up to 督办, in the reader's language."""
        return escalation_reason_text(self.escalation_reason)

    @property
    def colour(self) -> str:
        return {Level.PROMPT: "blue", Level.URGE: "yellow", Level.SUPERVISE: "red"}[self.level]

    @property
    def title(self) -> str:
        return {Level.PROMPT: _("提示单"), Level.URGE: _("催办单"), Level.SUPERVISE: _("督办单")}[self.level]

    def trail(self) -> list[tuple[str, str, object, bool]]:
        """(step, when in local time, who, reached) for 交办 → 签收 → 反馈 → 办结 → 销号."""

        def when(moment) -> str:
            if moment is None:
                return ""
            if isinstance(moment, datetime.datetime):
                return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            return moment.isoformat()

        steps = [
            (_("交办"), self.issued_on, self.issued_by, True),
            (_("签收"), self.signed_at, self.signed_by, self.signed_at is not None),
            (_("反馈"), self.replied_at, self.replied_by, self.replied_at is not None),
            (_("办结"), self.done_at, self.done_by, self.done_at is not None),
            (_("销号"), self.closed_at, self.closed_by, self.closed_at is not None),
        ]
        return [(step, when(moment), who, reached) for step, moment, who, reached in steps]

    def is_late_to_sign(self, today) -> bool:
        return self.signed_at is None and today > self.sign_by

    def is_late_to_reply(self, today) -> bool:
        return self.replied_at is None and today > self.reply_by


from reminders.round_models import ReportingRound, RoundEntry  # noqa: E402,F401
