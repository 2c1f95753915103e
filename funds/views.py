"""Pages of funds: a pairing's commitments by year, one commitment with its ledger, the use list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from cooperation.choices import ScopedChoicesMixin
from cooperation.models import Unit
from core.excel import Column
from core.history import history_rows
from core.listexport import XlsxExportMixin
from core.permissions import ScopedPageMixin, can_manage, denied_message
from core.uploads import protected_download
from funds import services
from funds.filtersets import FundCommitmentFilterSet, FundUseProjectFilterSet
from funds.forms import (
    ArrivalForm,
    DisbursementForm,
    FundCommitmentForm,
    FundUseProjectForm,
    ReversalForm,
    SubmitListForm,
)
from funds.models import (
    ArrivalConfirmation,
    Disbursement,
    FundCommitment,
    FundUseProject,
    attach_ledgers,
)


def ledger_prefetches() -> tuple:
    """The three ledger relations the derived figures read, prefetched in order."""
    return (
        Prefetch("disbursements", queryset=Disbursement.objects.order_by("date", "pk")),
        Prefetch("confirmations", queryset=ArrivalConfirmation.objects.order_by("date", "pk")),
        "use_projects",
    )


def commitments_with_ledger(queryset):
    """Everything the derived figures read, in a fixed number of queries whatever the size."""
    return queryset.select_related(
        "pairing", "payer_region", "payer_unit", "receiver_region", "receiver_unit"
    ).prefetch_related(*ledger_prefetches())


def commitments_for_list(queryset):
    """What a row of the funds list reads besides the ledgers (`attach_ledgers`): the commitment and
    the names of its pairing and regions."""
    own = [field.attname for field in FundCommitment._meta.concrete_fields]
    return queryset.select_related("pairing", "payer_region", "receiver_region").only(
        *own, "pairing__name", "payer_region__name", "receiver_region__name"
    )


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class FundListView(XlsxExportMixin, ScopedChoicesMixin, ScopedPageMixin, FilterView):
    """Funds by pairing and year: promised, paid, outstanding, due, on time or late (and as .xlsx)."""

    model = FundCommitment
    filterset_class = FundCommitmentFilterSet
    paginate_by = 50
    template_name = "funds/fund_list.html"
    export_title = _lazy("资金承诺与拨付")
    export_columns = [
        Column(_lazy("结对"), 24, wrap=True),
        Column(_lazy("年度"), 8, "int"),
        Column(_lazy("用途"), 30, wrap=True),
        Column(_lazy("拨付方"), 14),
        Column(_lazy("接收方"), 14),
        Column(_lazy("承诺（元）"), 16, "yuan"),
        Column(_lazy("已拨付（元）"), 16, "yuan"),
        Column(_lazy("未拨付（元）"), 16, "yuan"),
        Column(_lazy("到位时限"), 12, "date"),
        Column(_lazy("按时情况"), 16),
        Column(_lazy("已确认到账（元）"), 16, "yuan"),
    ]

    def export_row(self, c) -> list:
        return [
            c.pairing.name,
            c.year,
            c.purpose,
            c.payer_region.name,
            c.receiver_region.name,
            c.amount,
            c.paid,
            c.outstanding,
            c.due,
            c.state_label,
            c.confirmed,
        ]

    def get_queryset(self):
        return commitments_for_list(super().get_queryset()).order_by("pairing__name", "-year", "due")

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = attach_ledgers(page.object_list)
        return paginator, page, page.object_list, is_paginated

    def export_queryset(self):
        return self.object_list.prefetch_related(*ledger_prefetches())

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class CommitmentDetailView(ScopedPageMixin, DetailView):
    model = FundCommitment
    template_name = "funds/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return commitments_with_ledger(super().get_queryset()).prefetch_related(
            Prefetch(
                "disbursements",
                queryset=Disbursement.objects.select_related("recorded_by", "reversed_by").order_by(
                    "date", "pk"
                ),
                to_attr="ledger",
            ),
            Prefetch(
                "use_projects", queryset=FundUseProject.objects.select_related("unit"), to_attr="use_list"
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        c, user = self.object, self.request.user
        may_pay = FundCommitment.objects.payable_by(user).filter(pk=c.pk).exists()
        may_confirm = FundCommitment.objects.confirmable_by(user).filter(pk=c.pk).exists()
        context.update(
            today=timezone.localdate(),
            steps=c.chain(),
            may_pay=may_pay,
            may_confirm=may_confirm,
            may_edit_list=may_confirm,
            can_manage=can_manage(user, c),
            payment_form=DisbursementForm(initial={"date": timezone.localdate()}) if may_pay else None,
            arrival_form=ArrivalForm(initial={"date": timezone.localdate(), "amount": c.unconfirmed})
            if may_confirm and c.unconfirmed
            else None,
            history=history_rows(c, limit=20),
        )
        return context


class CommitmentActionView(LoginRequiredMixin, View):
    """Base of the POST actions on a commitment: the object must be visible (else 404)."""

    form_class = None
    template_name = "funds/action_form.html"
    title = ""

    def commitment(self) -> FundCommitment:
        return get_object_or_404(FundCommitment.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def allowed(self, commitment) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.commitment()
        if not self.allowed(self.object):
            raise PermissionDenied(self.refusal())
        return super().dispatch(request, *args, **kwargs)

    def refusal(self) -> str:
        return denied_message()

    def render_form(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "commitment": self.object, "title": self.title},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form_class(initial={"date": timezone.localdate()}))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.act(form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect(self.object.get_absolute_url())
        return self.render_form(form, status=400)


class DisbursementCreateView(CommitmentActionView):
    form_class = DisbursementForm

    @property
    def title(self):
        return _("登记拨付")

    def allowed(self, commitment) -> bool:
        return FundCommitment.objects.payable_by(self.request.user).filter(pk=commitment.pk).exists()

    def refusal(self) -> str:
        return _("只有拨付方（支援方联络员或拨付单位）可以登记拨付。")

    def act(self, data) -> None:
        row = services.record_disbursement(self.object, user=self.request.user, **data)
        messages.success(self.request, _("已登记拨付 ¥%(amount)s。") % {"amount": f"{row.amount:,.2f}"})


class ArrivalConfirmView(CommitmentActionView):
    form_class = ArrivalForm

    @property
    def title(self):
        return _("确认到账")

    def allowed(self, commitment) -> bool:
        return FundCommitment.objects.confirmable_by(self.request.user).filter(pk=commitment.pk).exists()

    def refusal(self) -> str:
        return _("只有接收方（受援方联络员或接收单位）可以确认到账。")

    def act(self, data) -> None:
        services.confirm_arrival(self.object, user=self.request.user, **data)
        messages.success(self.request, _("已确认到账。"))


class SubmitListView(CommitmentActionView):
    form_class = SubmitListForm

    @property
    def title(self):
        return _("报送资金使用项目清单")

    def allowed(self, commitment) -> bool:
        return FundCommitment.objects.confirmable_by(self.request.user).filter(pk=commitment.pk).exists()

    def refusal(self) -> str:
        return _("资金使用项目清单由接收方（受援方联络员或接收单位）报送。")

    def act(self, data) -> None:
        services.submit_use_list(self.object, user=self.request.user, date=data["date"])
        messages.success(self.request, _("资金使用项目清单已报送。"))


class ReverseDisbursementView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.payment = get_object_or_404(
            Disbursement.objects.visible_to(request.user).select_related("commitment"), pk=kwargs["pk"]
        )
        if not can_manage(request.user, self.payment):
            raise PermissionDenied(_("只有拨付方（支援方联络员或拨付单位）可以冲销拨付。"))
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        return render(
            self.request,
            "funds/action_form.html",
            {
                "form": form,
                "commitment": self.payment.commitment,
                "payment": self.payment,
                "title": _("冲销拨付"),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(ReversalForm())

    def post(self, request, *args, **kwargs):
        form = ReversalForm(request.POST)
        if form.is_valid():
            try:
                services.reverse_disbursement(self.payment, user=request.user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("已冲销该笔拨付。"))
                return redirect(self.payment.commitment.get_absolute_url())
        return self.render_form(form, status=400)


def evidence_download(request, pk: int):
    if not request.user.is_authenticated:
        return redirect("login")
    row = get_object_or_404(Disbursement.objects.visible_to(request.user), pk=pk)
    if not row.evidence:
        raise Http404
    return protected_download(row.evidence, row.evidence_name)


class FundUseProjectListView(XlsxExportMixin, ScopedChoicesMixin, ScopedPageMixin, FilterView):
    model = FundUseProject
    filterset_class = FundUseProjectFilterSet
    paginate_by = 50
    template_name = "funds/use_project_list.html"
    export_title = _lazy("资金使用项目清单")
    export_columns = [
        Column(_lazy("结对"), 24, wrap=True),
        Column(_lazy("年度"), 8, "int"),
        Column(_lazy("项目名称"), 36, wrap=True),
        Column(_lazy("类别"), 12),
        Column(_lazy("计划安排（元）"), 16, "yuan"),
        Column(_lazy("已支出（元）"), 16, "yuan"),
        Column(_lazy("状态"), 10),
        Column(_lazy("实施单位"), 20, wrap=True),
    ]

    def export_row(self, p) -> list:
        return [
            p.commitment.pairing.name,
            p.commitment.year,
            p.name,
            p.get_kind_display(),
            p.planned_amount,
            p.spent_amount,
            p.get_status_display(),
            p.unit.name if p.unit else "",
        ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("commitment__pairing", "unit")
            .order_by("commitment__pairing__name", "-commitment__year", "pk")
        )


class UseProjectFormMixin:
    model = FundUseProject
    form_class = FundUseProjectForm
    template_name = "funds/action_form.html"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        commitment = self.get_commitment()
        # Implementing units of the receiving region only: no other region's units in the choice.
        form.fields["unit"].queryset = Unit.objects.filter(
            region__path__startswith=commitment.receiver_region.path
        )
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(commitment=self.get_commitment(), title=_("资金使用项目"), **kwargs)

    def get_success_url(self):
        return reverse("funds:commitment_detail", args=[self.get_commitment().pk]) + "#use-list"


class UseProjectCreateView(LoginRequiredMixin, UseProjectFormMixin, CreateView):
    def get_commitment(self) -> FundCommitment:
        return self.commitment

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.commitment = get_object_or_404(FundCommitment.objects.visible_to(request.user), pk=kwargs["pk"])
        if not FundCommitment.objects.confirmable_by(request.user).filter(pk=self.commitment.pk).exists():
            raise PermissionDenied(_("资金使用项目清单由接收方（受援方联络员或接收单位）维护。"))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        form.instance.commitment = self.commitment
        messages.success(self.request, _("已添加资金使用项目。"))
        return super().form_valid(form)


class UseProjectUpdateView(ScopedPageMixin, UseProjectFormMixin, UpdateView):
    manage = True

    def get_commitment(self) -> FundCommitment:
        return self.object.commitment

    def form_valid(self, form):
        messages.success(self.request, _("资金使用项目已保存。"))
        return super().form_valid(form)


class CommitmentUpdateView(ScopedPageMixin, UpdateView):
    """Liaison staff keep a commitment's notes; its terms (amount, deadlines) are the document's and
    are corrected by superusers only (`FundCommitment.promise_fields`), shown here read-only."""

    model = FundCommitment
    form_class = FundCommitmentForm
    manage = True
    template_name = "funds/action_form.html"
    context_object_name = "commitment"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("修改资金承诺"), **kwargs)

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except ValidationError as exc:
            # A payment recorded while this form was being saved: the amount is now below it.
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("资金承诺已保存。"))
        return response
