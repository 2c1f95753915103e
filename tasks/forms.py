"""Forms of the task pages. Field-level rules: only liaison staff see the task form at all."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.models import Unit
from core.concurrency import VersionedFormMixin
from core.formfields import StrictDecimalField
from core.widgets import DateInput, MoneyInput
from tasks.models import Area, EvidenceKind, Task, TaskUnit


class TaskForm(VersionedFormMixin, forms.ModelForm):
    """A task's place in the tree, text, area, units, years and deadline (liaison staff only)."""

    lead_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.select_related("region"), label=_("牵头单位"), required=False
    )
    cooperating_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.select_related("region"), label=_("配合单位"), required=False
    )

    class Meta:
        model = Task
        fields = [
            "parent",
            "number",
            "title",
            "body",
            "area",
            "document",
            "start_year",
            "end_year",
            "deadline_text",
            "deadline_kind",
            "deadline_date",
            "deadline_month",
            "deadline_day",
            "required_evidence",
            "fulfilment",
            "fund_rule",
        ]
        widgets = {"deadline_date": DateInput(), "body": forms.Textarea(attrs={"rows": 4})}

    def _in_current_order(self, units, role: str) -> list:
        """The chosen units, those the task already has first in their current order.

        A multiple choice comes back in the units' own order, not the task's: saving the form
        unchanged must not reorder the lead units (nor write their history again).
        """
        current = {}
        if self.instance.pk:
            current = {tu.unit_id: tu.order for tu in self.instance.task_units.all() if tu.role == role}
        chosen = list(units or [])
        return sorted(
            chosen, key=lambda unit: (unit.pk not in current, current.get(unit.pk, 0), chosen.index(unit))
        )

    def clean_lead_units(self):
        return self._in_current_order(self.cleaned_data.get("lead_units"), TaskUnit.Role.LEAD)

    def clean_cooperating_units(self):
        return self._in_current_order(self.cleaned_data.get("cooperating_units"), TaskUnit.Role.COOPERATING)

    def clean(self):
        cleaned = super().clean()
        deadline_fields = {"deadline_kind", "deadline_date", "deadline_month", "deadline_day"}
        # The typed source text is normalised on save when the date fields were left alone; a day
        # that does not exist ("每年2月31日前") is an error here rather than a silent guess.
        if "deadline_text" in self.changed_data and not deadline_fields & set(self.changed_data):
            from tasks.services import deadline_problem

            problem = deadline_problem(cleaned.get("deadline_text") or "")
            if problem:
                self.add_error("deadline_text", problem + str(_("请改正原文，或在下方直接填写截止日期。")))
        return cleaned

    def __init__(self, *args, pairing=None, **kwargs):
        super().__init__(*args, **kwargs)
        pairing = pairing or self.instance.pairing
        self.instance.pairing = pairing
        self.fields["parent"].queryset = Task.objects.filter(pairing=pairing).exclude(pk=self.instance.pk)
        self.fields["area"].queryset = Area.objects.filter(pairing=pairing)
        self.fields["document"].queryset = pairing.documents.all()
        self.fields["required_evidence"].queryset = EvidenceKind.objects.filter(pairing=pairing)
        self.fields["fund_rule"].queryset = pairing.fund_rules.all()
        self.fields["deadline_text"].help_text = _(
            "填写文件原话即可，保存时按规则换算；也可在下方直接改正换算结果。"
        )
        if self.instance.pk:
            rows = list(self.instance.task_units.all())
            self.fields["lead_units"].initial = [r.unit_id for r in rows if r.role == TaskUnit.Role.LEAD]
            self.fields["cooperating_units"].initial = [
                r.unit_id for r in rows if r.role != TaskUnit.Role.LEAD
            ]


class ReportForm(forms.Form):
    """A progress report: text, done flag, one value per target of the year, and an evidence file."""

    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    marks_done = forms.BooleanField(label=_("本年度工作已完成"), required=False)
    completed_on = forms.DateField(label=_("完成日期"), required=False, widget=DateInput())
    evidence = forms.FileField(label=_("佐证材料"), required=False, help_text=_("pdf、jpg、png、docx、xlsx"))
    evidence_kind = forms.ModelChoiceField(
        queryset=EvidenceKind.objects.none(), label=_("材料类型"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, period=None, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.fields["evidence_kind"].queryset = EvidenceKind.objects.filter(pairing_id=period.task.pairing_id)
        self.targets = [t for t in period.task.targets.all() if t.applies_to(period.year)]
        current = {v.target_id: v.value for v in report.values.all()} if report else {}
        for target in self.targets:
            self.fields[f"value_{target.pk}"] = StrictDecimalField(
                label=f"{target.name}（{target.get_comparator_display()} {target.value_display}）",
                required=False,
                min_value=0,
                max_digits=18,
                decimal_places=2,
                initial=current.get(target.pk),
                # An amount in 元 is typed with separators and shown in 万元 beside it.
                **({"widget": MoneyInput()} if target.unit == "元" else {}),
            )
        if report is not None:
            self.fields["text"].initial = report.text
            self.fields["marks_done"].initial = report.marks_done
            self.fields["completed_on"].initial = report.completed_on
            self.fields["version"].initial = report.version

    def values(self) -> dict:
        return {t.pk: self.cleaned_data.get(f"value_{t.pk}") for t in self.targets}
