"""Support funds (专项资金 / 帮扶资金): what is promised for a year, paid, confirmed and used.

A `FundRule` holds a yearly promise as the source document words it (晋江市每年4月底前安排山海协作
专项资金1200万元); `services.ensure_yearly_commitment` turns it into the year's `FundCommitment`.
Payments are a ledger (`Disbursement`): rows are appended, a correction is a reversal row. The
commitment keeps `paid_total` / `confirmed_total` columns that only the services change, with
conditional UPDATEs and CHECK constraints, so no race can push a total past the promise.
Everything else (outstanding, on time or days late, use rate …) is derived here, never typed in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.models import Pairing, PolicyDocument, Region, ScopedQuerySet, Unit
from core.roles import is_liaison, is_viewer
from core.states import SOON_DAYS as STATES_SOON_DAYS
from core.states import Standing, State, judge
from core.uploads import upload_to
from core.years import DateValidator, YearValidator

ZERO = Decimal("0")
# Below this share of the received money spent by the last quarter, the use rate is flagged.
LOW_USE_RATE = Decimal("0.5")
# A due date within this many days is "soon".
SOON_DAYS = STATES_SOON_DAYS  # one rule for every surface (core.states)

# The funds pages' words for the states of core.states.
PAYMENT_STATES = {
    State.DONE: "on_time",
    State.DONE_LATE: "late",
    State.OVERDUE: "overdue",
    State.SOON: "soon",
    State.ON_TRACK: "open",
    State.CONTINUING: "open",
    State.PAUSED: "open",
    State.NA: "open",
}
USE_LIST_STATES = {
    State.DONE: "done",
    State.DONE_LATE: "late",
    State.OVERDUE: "overdue",
    State.SOON: "open",
    State.ON_TRACK: "open",
    State.CONTINUING: "open",
    State.PAUSED: "open",
    State.NA: "open",
}
# Who pays and who confirms arrival follows from these (`payable_by`, `confirmable_by`): set when
# the promise is written down, then changed by superusers only (core.permissions.set_once_fields).
MONEY_SIDES = ("pairing", "payer_region", "payer_unit", "receiver_region", "receiver_unit")


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def _due_date(year: int, month: int, day: int) -> datetime.date:
    """The rule's month/day in `year`; 29 February falls back to the 28th in common years."""
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return datetime.date(year, month, 28)


def money_sides_problems(pairing, payer_region, payer_unit, receiver_region, receiver_unit) -> dict[str, str]:
    """What is wrong with who pays and who receives (empty when nothing is).

    The two sides are two parties: each region lies within a side of the pairing, neither contains
    the other (else one office would both pay and confirm), and each unit sits in its side's region.
    """
    problems: dict[str, str] = {}
    if pairing is None or payer_region is None or receiver_region is None:
        return problems
    sides = [pairing.coastal_region.path, pairing.mountain_region.path]
    for name, region in (("payer_region", payer_region), ("receiver_region", receiver_region)):
        if not any(region.path.startswith(side) for side in sides):
            problems[name] = str(_("须为本结对一方的地区（或其下级）。"))
    if payer_region.path.startswith(receiver_region.path) or receiver_region.path.startswith(
        payer_region.path
    ):
        problems["receiver_region"] = str(
            _("接收方与拨付方不能是同一地区或互为上下级：拨付与到账确认须由两方分别完成。")
        )
    for name, unit, region in (
        ("payer_unit", payer_unit, payer_region),
        ("receiver_unit", receiver_unit, receiver_region),
    ):
        if unit is not None and not unit.region.path.startswith(region.path):
            problems[name] = str(_("单位须在“%(region)s”之内。") % {"region": region.name})
    return problems


class CommitmentQuerySet(ScopedQuerySet):
    """Commitments: liaison staff of the pairing manage them; two more rights are narrower."""

    def payable_by(self, user) -> models.QuerySet:
        """Commitments the user may record and reverse payments on: the paying side only — its
        receiving partner cannot declare the money paid. That is any non-viewer of the paying unit
        (the coastal side's finance bureau), or liaison staff whose unit sits in the paying region."""
        return self._side(user, "payer")

    def confirmable_by(self, user) -> models.QuerySet:
        """Commitments whose arrival the user may confirm: the receiving side only — its paying
        partner cannot declare the money arrived. That is the receiving unit itself, or liaison
        staff whose unit sits in the receiving region."""
        return self._side(user, "receiver")

    def _side(self, user, side: str) -> models.QuerySet:
        """Visible commitments of which the user's unit is the `side` ("payer" / "receiver").

        A liaison office above both sides (a city's office of two of its counties) is neither: the
        two steps of the money are always done by two different parties.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if is_viewer(user) or not user.unit_id:
            return self.none()
        visible = self.visible_to(user)
        condition = Q(**{f"{side}_unit_id": user.unit_id})
        if is_liaison(user):
            # The side's region is the unit's region or one of its ancestors: its id is on the path.
            path = Unit.objects.filter(pk=user.unit_id).values_list("region__path", flat=True).first() or ""
            ancestors = [int(part) for part in path.strip("/").split("/") if part]
            condition |= Q(**{f"{side}_region_id__in": ancestors})
        return visible.filter(condition)


class DisbursementQuerySet(ScopedQuerySet):
    def manageable_by(self, user) -> models.QuerySet:
        """Payments may be recorded or reversed by whoever may pay the commitment."""
        return self.filter(commitment__in=FundCommitment.objects.payable_by(user).values("pk"))


class ConfirmationQuerySet(ScopedQuerySet):
    def manageable_by(self, user) -> models.QuerySet:
        """Arrivals are confirmed by the receiving side only."""
        return self.filter(commitment__in=FundCommitment.objects.confirmable_by(user).values("pk"))


class FundRule(models.Model):
    """A yearly promise of money as the document states it, e.g. 晋江市每年4月底前安排1200万元.

    The rule is data, not code: a liaison officer corrects the amount or date here, and each
    year's commitment is created from it (idempotently) by `services.ensure_yearly_commitment`.
    """

    scope_field = "pairing"
    scope_defining_fields = MONEY_SIDES

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="fund_rules"
    )
    purpose = models.CharField(_("用途"), max_length=200)
    payer_region = models.ForeignKey(
        Region, verbose_name=_("拨付方"), on_delete=models.PROTECT, related_name="+"
    )
    payer_unit = models.ForeignKey(
        Unit, verbose_name=_("拨付单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receiver_region = models.ForeignKey(
        Region, verbose_name=_("接收方"), on_delete=models.PROTECT, related_name="+"
    )
    receiver_unit = models.ForeignKey(
        Unit, verbose_name=_("接收单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = money_field(_("每年金额（元）"), validators=[MinValueValidator(Decimal("0.01"))])
    due_month = models.PositiveSmallIntegerField(
        _("到位月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        _("到位日"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    due_text = models.CharField(_("时限原文"), max_length=60, help_text=_("如 每年4月底前"))
    use_list_due_month = models.PositiveSmallIntegerField(
        _("项目清单截止月份"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    use_list_due_day = models.PositiveSmallIntegerField(
        _("项目清单截止日"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    use_list_due_text = models.CharField(_("清单时限原文"), max_length=60, blank=True)
    source_text = models.TextField(_("文件原文"), blank=True)
    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("来源文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_year = models.PositiveSmallIntegerField(_("起始年份"), validators=[YearValidator()])
    last_year = models.PositiveSmallIntegerField(
        _("截止年份"), null=True, blank=True, validators=[YearValidator()]
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金规则")
        verbose_name_plural = _("资金规则")
        ordering = ["pairing", "first_year"]

    def __str__(self) -> str:
        return f"{self.pairing} · {self.due_text} {self.purpose}"

    def clean(self) -> None:
        if self.pairing_id and self.payer_region_id and self.receiver_region_id:
            problems = money_sides_problems(
                self.pairing, self.payer_region, self.payer_unit, self.receiver_region, self.receiver_unit
            )
            if problems:
                raise ValidationError(problems)
        if self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("截止年份不能早于起始年份。")})
        if bool(self.use_list_due_month) != bool(self.use_list_due_day):
            raise ValidationError({"use_list_due_day": _("项目清单截止月份与日期须同时填写。")})

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def due_in(self, year: int) -> datetime.date:
        return _due_date(year, self.due_month, self.due_day)

    def use_list_due_in(self, year: int) -> datetime.date | None:
        if not self.use_list_due_month:
            return None
        return _due_date(year, self.use_list_due_month, self.use_list_due_day)


@dataclass
class Step:
    """One step of a year's chain: list → payment → arrival → spending."""

    key: str
    label: str
    due: datetime.date | None
    done_on: datetime.date | None
    state: str  # done / late / overdue / open / soon / na
    days_late: int = 0
    detail: str = ""
    after_late: bool = False  # an earlier step of the chain was late

    @property
    def badge(self) -> str:
        return {"done": "done", "late": "late", "overdue": "overdue", "soon": "soon"}.get(self.state, "")


# The names of a year's chain steps, by key (see `FundCommitment.chain`).
CHAIN_STEPS = {
    "use_list": _("资金使用项目清单"),
    "payment": _("资金拨付"),
    "arrival": _("到账确认"),
    "spending": _("资金使用"),
}
_chain_labels: dict[str | None, dict[str, str]] = {}


def chain_labels() -> dict[str, str]:
    """The step names in the active language, translated once a language (a funds page writes
    fifty chains)."""
    language = get_language()
    labels = _chain_labels.get(language)
    if labels is None:
        labels = _chain_labels[language] = {key: str(name) for key, name in CHAIN_STEPS.items()}
    return labels


class FundCommitment(models.Model):
    """Money promised for one year (专项资金 / 帮扶资金), due by a date stated in a document.

    `paid_total` and `confirmed_total` are maintained by the services only (conditional UPDATEs
    guarded by CHECK constraints); every other figure is derived from the ledger rows.
    """

    scope_field = "pairing"
    scope_defining_fields = MONEY_SIDES
    # The promise itself — what is owed, for which year, by when, and when the receiving side's list
    # is due — as the document states it: set when the commitment is made (from its rule), then
    # corrected by superusers only. Either side changing them could make itself on time (the payer
    # lowering the amount to what it paid, the receiver moving its list's deadline).
    promise_fields = ("year", "purpose", "amount", "due", "due_text", "use_list_due", "use_list_due_text")

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="fund_commitments"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[YearValidator()])
    rule = models.ForeignKey(
        FundRule,
        verbose_name=_("资金规则"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    purpose = models.CharField(_("用途"), max_length=200)
    payer_region = models.ForeignKey(
        Region, verbose_name=_("拨付方"), on_delete=models.PROTECT, related_name="+"
    )
    payer_unit = models.ForeignKey(
        Unit, verbose_name=_("拨付单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receiver_region = models.ForeignKey(
        Region, verbose_name=_("接收方"), on_delete=models.PROTECT, related_name="+"
    )
    receiver_unit = models.ForeignKey(
        Unit, verbose_name=_("接收单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = money_field(_("承诺金额（元）"), validators=[MinValueValidator(Decimal("0.01"))])
    due = models.DateField(_("到位时限"), validators=[DateValidator()])
    due_text = models.CharField(_("时限原文"), max_length=60, blank=True, help_text=_("如 每年4月底前"))
    use_list_due = models.DateField(
        _("项目清单截止日期"), null=True, blank=True, validators=[DateValidator()]
    )
    use_list_due_text = models.CharField(_("清单时限原文"), max_length=60, blank=True)
    use_list_submitted = models.DateField(
        _("项目清单报送日期"), null=True, blank=True, validators=[DateValidator()]
    )
    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("来源文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("备注"), blank=True)
    # Maintained only by funds.services (conditional UPDATE + CHECK): never edited by hand.
    paid_total = models.DecimalField(
        _("已拨付"), max_digits=14, decimal_places=2, default=ZERO, editable=False
    )
    confirmed_total = models.DecimalField(
        _("已确认到账"), max_digits=14, decimal_places=2, default=ZERO, editable=False
    )

    # The running totals follow the ledger rows, which have their own history.
    history = HistoricalRecords(excluded_fields=["paid_total", "confirmed_total"])
    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金承诺")
        verbose_name_plural = _("资金承诺")
        ordering = ["-year", "pairing", "due"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "year"], condition=Q(rule__isnull=False), name="commitment_one_per_rule_year"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive"),
            # The database-level guarantee: no race can pay more than was promised …
            models.CheckConstraint(
                condition=Q(paid_total__gte=0) & Q(paid_total__lte=F("amount")),
                name="commitment_paid_within_amount",
            ),
            # … nor confirm more than was paid.
            models.CheckConstraint(
                condition=Q(confirmed_total__gte=0) & Q(confirmed_total__lte=F("paid_total")),
                name="commitment_confirmed_within_paid",
            ),
        ]
        indexes = [models.Index(fields=["pairing", "year"], name="commitment_pairing_year")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.year}年 {self.purpose}"

    def save(self, *args, **kwargs) -> None:
        """Save everything but the running totals, which only the services' conditional UPDATEs move.

        A form, the API or the admin loads the row, then saves it: written back, the `paid_total`
        read at load time would erase a payment recorded in between (the ledger would say more was
        paid than the guard knows, and the promise could be paid twice over).
        """
        if not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in ("paid_total", "confirmed_total")
            ]
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
        except IntegrityError:
            # The amount was lowered below a payment recorded after the form checked it: the CHECK
            # constraint refused the row; say so instead of failing with an error page.
            paid = type(self)._base_manager.filter(pk=self.pk).values_list("paid_total", flat=True).first()
            if paid is not None and self.amount is not None and self.amount < paid:
                raise ValidationError(
                    {"amount": _("承诺金额不能低于已拨付的 %(paid)s 元。") % {"paid": f"{paid:,.2f}"}}
                ) from None
            raise

    def get_absolute_url(self) -> str:
        return reverse("funds:commitment_detail", args=[self.pk])

    def clean(self) -> None:
        if self.pairing_id and self.payer_region_id and self.receiver_region_id:
            problems = money_sides_problems(
                self.pairing, self.payer_region, self.payer_unit, self.receiver_region, self.receiver_unit
            )
            if problems:
                raise ValidationError(problems)
        if self.amount is not None and self.pk and self.amount < self.paid_total:
            raise ValidationError(
                {"amount": _("承诺金额不能低于已拨付的 %(paid)s 元。") % {"paid": f"{self.paid_total:,.2f}"}}
            )

    # --- money -------------------------------------------------------------------------------
    @property
    def paid(self) -> Decimal:
        return self.paid_total

    @property
    def confirmed(self) -> Decimal:
        """Money 'in place' (到位): only what the receiving side has confirmed."""
        return self.confirmed_total

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid_total

    @property
    def unconfirmed(self) -> Decimal:
        return self.paid_total - self.confirmed_total

    def _rows(self, relation: str):
        """The rows of a ledger relation ("disbursements", "confirmations", "use_projects") that the
        figures read: those `attach_ledgers` gave the commitment, else the related manager's."""
        attached = self.__dict__.get("_attached_ledgers")
        return attached[relation] if attached is not None else getattr(self, relation).all()

    def _ledger(self) -> list[Disbursement]:
        # Sorted in Python so a prefetched list costs no query.
        return sorted(self._rows("disbursements"), key=lambda d: (d.date, d.pk))

    @property
    def paid_in_full_on(self) -> datetime.date | None:
        """The date the running total of payments last reached the amount, if it is reached."""
        running, reached = ZERO, None
        for row in self._ledger():
            running += row.amount
            if running >= self.amount:
                reached = reached or row.date
            else:
                reached = None  # a reversal took it back below the promise
        return reached

    @property
    def confirmed_in_full_on(self) -> datetime.date | None:
        running, reached = ZERO, None
        for row in sorted(self._rows("confirmations"), key=lambda c: (c.date, c.pk)):
            running += row.amount
            if running >= self.amount:
                reached = row.date
                break
        return reached

    def payment_standing(self, today: datetime.date | None = None) -> Standing:
        """How the payment stands on `today`, by the one rule of `core.states` (paid in full = done).

        A row of the funds page asks it six to eight times (its state, label, badge, days late and
        chain): with the payments prefetched, the answer is kept on the instance for the same day,
        due date, amount and prefetched ledger (the only inputs), so it is judged once a row.
        """
        as_of = today or timezone.localdate()
        attached = self.__dict__.get("_attached_ledgers")
        if attached is not None:
            ledger = attached["disbursements"]
        else:
            ledger = getattr(self, "_prefetched_objects_cache", {}).get("disbursements")
        key = (as_of, self.due, self.amount)
        kept = self.__dict__.get("_payment_standing_kept")
        if ledger is not None and kept is not None and kept[0] is ledger and kept[1] == key:
            return kept[2]
        full = self.paid_in_full_on
        standing = judge(due=self.due, done=full is not None, done_on=full, as_of=as_of)
        if ledger is not None:
            self._payment_standing_kept = (ledger, key, standing)
        return standing

    def days_late(self, today: datetime.date | None = None) -> int:
        """Days past the due date: until paid in full, counted up to today."""
        standing = self.payment_standing(today)
        return standing.days or 0 if standing.state in (State.DONE_LATE, State.OVERDUE) else 0

    def payment_state(self, today: datetime.date | None = None) -> str:
        """on_time / late (paid in full after the due date) / overdue / soon / open."""
        return PAYMENT_STATES[self.payment_standing(today).state]

    def payment_state_label(self, today: datetime.date | None = None) -> str:
        state = self.payment_state(today)
        days = self.days_late(today)
        return {
            "on_time": _("按时足额拨付"),
            "late": _("足额拨付，逾期 %(days)d 天") % {"days": days},
            "overdue": _("已逾期 %(days)d 天") % {"days": days},
            "soon": _("即将到期"),
            "open": _("未到期"),
        }[state]

    @property
    def state(self) -> str:
        return self.payment_state()

    @property
    def state_label(self) -> str:
        return self.payment_state_label()

    @property
    def state_badge(self) -> str:
        return {"on_time": "done", "late": "late", "overdue": "overdue", "soon": "soon"}.get(self.state, "")

    # --- the use list and spending -----------------------------------------------------------
    def use_list_standing(self, today: datetime.date | None = None) -> Standing:
        """How the fund-use list stands on `today` (submitted = done), by the one rule of `core.states`."""
        submitted = self.use_list_submitted
        return judge(
            due=self.use_list_due,
            done=submitted is not None,
            done_on=submitted,
            as_of=today or timezone.localdate(),
        )

    def use_list_state(self, today: datetime.date | None = None) -> str:
        """done (submitted on time) / late / overdue / open."""
        return USE_LIST_STATES[self.use_list_standing(today).state]

    def _projects(self) -> list[FundUseProject]:
        return [p for p in self._rows("use_projects") if p.status != FundUseProject.Status.CANCELLED]

    @property
    def planned_use(self) -> Decimal:
        return sum((p.planned_amount for p in self._projects()), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((p.spent_amount for p in self._projects()), ZERO)

    @property
    def hematopoietic_share(self) -> Decimal | None:
        """Share of the planned money that goes to 造血式产业类 projects (the plan says 'mostly')."""
        planned = self.planned_use
        if not planned:
            return None
        hemato = sum(
            (p.planned_amount for p in self._projects() if p.kind == FundUseProject.Kind.HEMATOPOIETIC), ZERO
        )
        return hemato / planned

    @property
    def use_rate(self) -> Decimal | None:
        """Spent ÷ received (confirmed arrivals); unknown until money has arrived."""
        if not self.confirmed_total:
            return None
        return self.spent / self.confirmed_total

    def use_rate_low(self, today: datetime.date | None = None) -> bool:
        """From 1 October of the year on, less than half of the received money spent is a warning."""
        today = today or timezone.localdate()
        rate = self.use_rate
        in_last_quarter = today >= datetime.date(self.year, 10, 1)
        return bool(in_last_quarter and rate is not None and rate < LOW_USE_RATE)

    # --- the chain ---------------------------------------------------------------------------
    def chain(self, today: datetime.date | None = None) -> list[Step]:
        """The year's steps in order: use list → payment → arrival → spending.

        A late or overdue step marks every step after it (`after_late`), because those steps
        could only start late: the page shows it on them.
        """
        today = today or timezone.localdate()
        labels = chain_labels()
        steps: list[Step] = []
        list_state = self.use_list_state(today)
        list_late = (
            max(0, ((self.use_list_submitted or today) - self.use_list_due).days) if self.use_list_due else 0
        )
        steps.append(
            Step(
                "use_list",
                labels["use_list"],
                self.use_list_due,
                self.use_list_submitted,
                list_state,
                list_late if list_state in {"late", "overdue"} else 0,
                self.use_list_due_text,
            )
        )
        pay_state = self.payment_state(today)
        steps.append(
            Step(
                "payment",
                labels["payment"],
                self.due,
                self.paid_in_full_on,
                {"on_time": "done", "late": "late", "overdue": "overdue"}.get(pay_state, pay_state),
                self.days_late(today) if pay_state in {"late", "overdue"} else 0,
                self.due_text,
            )
        )
        confirmed_on = self.confirmed_in_full_on
        steps.append(
            Step(
                "arrival",
                labels["arrival"],
                None,
                confirmed_on,
                "done" if confirmed_on else ("open" if not self.paid_total else "soon"),
            )
        )
        rate = self.use_rate
        spending_state = "open"
        if rate is not None and rate >= 1:
            spending_state = "done"
        elif self.use_rate_low(today):
            spending_state = "overdue"
        steps.append(
            Step(
                "spending",
                labels["spending"],
                None,
                None,
                spending_state,
                detail=f"{rate:.0%}" if rate is not None else "",
            )
        )
        late_seen = False
        for step in steps:
            step.after_late = late_seen
            if step.state in {"late", "overdue"}:
                late_seen = True
        return steps


class Disbursement(models.Model):
    """A payment (拨付) against a commitment — a ledger row: appended, never edited.

    A correction is a reversal row (negative amount) that names the payment it reverses.
    """

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("拨付")
        REVERSAL = "reversal", _("冲销")

    scope_field = "commitment__pairing"

    commitment = models.ForeignKey(
        FundCommitment, verbose_name=_("资金承诺"), on_delete=models.PROTECT, related_name="disbursements"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    date = models.DateField(_("拨付日期"), validators=[DateValidator()])
    amount = money_field(_("金额（元）"))
    voucher_no = models.CharField(_("凭证号"), max_length=60, blank=True)
    evidence = models.FileField(_("凭证文件"), upload_to=upload_to("funds"), blank=True)
    evidence_name = models.CharField(_("文件原名"), max_length=255, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的拨付"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DisbursementQuerySet.as_manager()

    class Meta:
        verbose_name = _("拨付记录")
        verbose_name_plural = _("拨付记录")
        ordering = ["commitment", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="payment") & Q(amount__gt=0) & Q(reverses__isnull=True))
                | (Q(kind="reversal") & Q(amount__lt=0) & Q(reverses__isnull=False)),
                name="disbursement_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.amount}"

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversed_by")


class ArrivalConfirmation(models.Model):
    """The receiving side's confirmation (到账确认) that money arrived: only then is it 'in place'."""

    scope_field = "commitment__pairing"

    commitment = models.ForeignKey(
        FundCommitment, verbose_name=_("资金承诺"), on_delete=models.PROTECT, related_name="confirmations"
    )
    date = models.DateField(_("到账日期"), validators=[DateValidator()])
    amount = money_field(_("到账金额（元）"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("确认单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("到账确认")
        verbose_name_plural = _("到账确认")
        ordering = ["commitment", "date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="confirmation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"


class FundUseProjectQuerySet(ScopedQuerySet):
    def manageable_by(self, user) -> models.QuerySet:
        """The list is the receiving side's (it says where the money it received goes): its
        liaison staff and its receiving unit keep it; the paying side reads it."""
        confirmable = FundCommitment.objects.confirmable_by(user)
        return self.filter(commitment__in=confirmable.values("pk"))


class FundUseProject(models.Model):
    """A line of the receiving side's fund-use list (资金使用项目清单) for a year."""

    class Kind(models.TextChoices):
        HEMATOPOIETIC = "hematopoietic", _("造血式产业类")
        RELIEF = "relief", _("兜底救助")
        INFRASTRUCTURE = "infrastructure", _("基础设施")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        IN_PROGRESS = "in_progress", _("实施中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    scope_field = "commitment__pairing"

    commitment = models.ForeignKey(
        FundCommitment, verbose_name=_("资金承诺"), on_delete=models.CASCADE, related_name="use_projects"
    )
    name = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.HEMATOPOIETIC)
    planned_amount = money_field(_("计划安排（元）"), validators=[MinValueValidator(ZERO)])
    spent_amount = money_field(_("已支出（元）"), default=ZERO, validators=[MinValueValidator(ZERO)])
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    unit = models.ForeignKey(
        Unit, verbose_name=_("实施单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()
    objects = FundUseProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金使用项目")
        verbose_name_plural = _("资金使用项目清单")
        ordering = ["commitment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0) & Q(spent_amount__gte=0),
                name="use_project_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.planned_amount is not None
            and self.spent_amount is not None
            and self.spent_amount > self.planned_amount
        ):
            raise ValidationError({"spent_amount": _("已支出不能超过计划安排金额。")})


# The columns of each ledger relation that a commitment's figures and chain read.
LEDGER_COLUMNS = {
    "disbursements": ("pk", "date", "amount"),
    "confirmations": ("pk", "date", "amount"),
    "use_projects": ("pk", "kind", "status", "planned_amount", "spent_amount"),
}


def attach_ledgers(commitments) -> list[FundCommitment]:
    """The commitments, each given the rows its figures and chain read (payments, confirmed arrivals,
    use projects) as plain rows of those columns: three queries whatever their number.

    The bulk form of prefetching the three relations for a list that only shows the figures (the
    funds page): prefetching gives each commitment three querysets of full instances, which cost
    more than the figures themselves. Pages that show the rows prefetch them instead.
    """
    commitments = list(commitments)
    by_pk = {c.pk: c for c in commitments}
    for commitment in commitments:
        commitment._attached_ledgers = {relation: [] for relation in LEDGER_COLUMNS}
    if not by_pk:
        return commitments
    models_by_relation = {
        "disbursements": Disbursement,
        "confirmations": ArrivalConfirmation,
        "use_projects": FundUseProject,
    }
    for relation, columns in LEDGER_COLUMNS.items():
        rows = (
            models_by_relation[relation]
            .objects.filter(commitment_id__in=list(by_pk))
            .order_by("pk")
            .values_list("commitment_id", *columns, named=True)
        )
        for row in rows:
            by_pk[row.commitment_id]._attached_ledgers[relation].append(row)
    return commitments
