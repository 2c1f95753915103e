"""Forms of the funds pages. Money changes go through funds.services, never through a ModelForm save."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.formfields import StrictDecimalField
from core.uploads import EVIDENCE_EXTENSIONS
from core.widgets import DateInput, MoneyInput
from funds.models import FundCommitment, FundUseProject


class DisbursementForm(forms.Form):
    date = forms.DateField(label=_("拨付日期"), widget=DateInput())
    amount = StrictDecimalField(
        label=_("金额（元）"),
        widget=MoneyInput(),
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": _("请输入有效的金额。")},
    )
    voucher_no = forms.CharField(label=_("凭证号"), max_length=60, required=False)
    evidence = forms.FileField(
        label=_("凭证文件"),
        required=False,
        # Lazy: formatted when the page renders, in the reader's language.
        help_text=format_lazy(
            _("可选，支持 {types}"), types=", ".join(e.lstrip(".") for e in EVIDENCE_EXTENSIONS)
        ),
    )
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class ReversalForm(forms.Form):
    note = forms.CharField(label=_("冲销原因"), max_length=255)


class ArrivalForm(forms.Form):
    date = forms.DateField(label=_("到账日期"), widget=DateInput())
    amount = StrictDecimalField(
        label=_("到账金额（元）"),
        widget=MoneyInput(),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class SubmitListForm(forms.Form):
    date = forms.DateField(label=_("报送日期"), widget=DateInput())


class FundUseProjectForm(forms.ModelForm):
    class Meta:
        model = FundUseProject
        fields = ["name", "kind", "planned_amount", "spent_amount", "status", "unit", "notes"]
        field_classes = {"planned_amount": StrictDecimalField, "spent_amount": StrictDecimalField}
        widgets = {
            "planned_amount": MoneyInput(),
            "spent_amount": MoneyInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class FundCommitmentForm(forms.ModelForm):
    """A year's commitment: its terms for superusers, its notes for liaison staff; totals never.

    The terms (`FundCommitment.promise_fields`) are shown to everyone else read-only (a disabled
    field ignores what is posted), with the reason beside them.
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms_note = ""
        if user is None or not user.is_superuser:
            self.terms_note = _("承诺条款以文件为准，只有系统管理员可以修改。")
            for name in FundCommitment.promise_fields:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].required = False  # shown, not asked for

    class Meta:
        model = FundCommitment
        fields = ["purpose", "amount", "due", "due_text", "use_list_due", "use_list_due_text", "notes"]
        field_classes = {"amount": StrictDecimalField}
        widgets = {
            "amount": MoneyInput(),
            "due": DateInput(),
            "use_list_due": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
