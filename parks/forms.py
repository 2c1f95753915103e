from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formfields import StrictDecimalField
from core.widgets import DateInput, MoneyInput
from parks.models import ParkInvestmentPlan, Project


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("园区投资计划表（.xlsx）"),
        help_text=_("温政发〔2018〕26号 附件1 格式：标题行、两行表头、每行一个园区"),
    )


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "park",
            "industry",
            "enterprise",
            "stage",
            "planned_on",
            "signed_on",
            "started_on",
            "producing_on",
            "completed_on",
            "total_investment",
            "hematopoietic",
            "notes",
        ]
        widgets = {
            "planned_on": DateInput(),
            "signed_on": DateInput(),
            "started_on": DateInput(),
            "producing_on": DateInput(),
            "completed_on": DateInput(),
            "total_investment": MoneyInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"total_investment": StrictDecimalField}


class InvestmentForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = StrictDecimalField(
        label=_("到位资金（元）"), widget=MoneyInput(), max_digits=16, decimal_places=2, min_value=0
    )
    notes = forms.CharField(label=_("说明"), max_length=200, required=False)


class PlanActualForm(forms.ModelForm):
    class Meta:
        model = ParkInvestmentPlan
        fields = ["project_count", "planned_total", "planned_completion", "actual_completion"]
        widgets = {
            "planned_total": MoneyInput(unit="wan"),
            "planned_completion": MoneyInput(unit="wan"),
            "actual_completion": MoneyInput(unit="wan"),
        }
        field_classes = {
            "planned_total": StrictDecimalField,
            "planned_completion": StrictDecimalField,
            "actual_completion": StrictDecimalField,
        }


class ProjectCreateForm(ProjectForm):
    class Meta(ProjectForm.Meta):
        fields = ["name", "pairing", *ProjectForm.Meta.fields[1:]]
