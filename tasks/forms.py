"""Forms of the task pages. Field-level rules: only liaison staff see the task form at all."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.concurrency import VersionedFormMixin
from cooperation.forms import DateInput
from cooperation.models import Unit

from .models import Area, EvidenceKind, Task, TaskUnit


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
        ]
        widgets = {"deadline_date": DateInput(), "body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, pairing=None, **kwargs):
        super().__init__(*args, **kwargs)
        pairing = pairing or self.instance.pairing
        self.instance.pairing = pairing
        self.fields["parent"].queryset = Task.objects.filter(pairing=pairing).exclude(pk=self.instance.pk)
        self.fields["area"].queryset = Area.objects.filter(pairing=pairing)
        self.fields["document"].queryset = pairing.documents.all()
        self.fields["required_evidence"].queryset = EvidenceKind.objects.filter(pairing=pairing)
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
            self.fields[f"value_{target.pk}"] = forms.DecimalField(
                label=f"{target.name}（{target.get_comparator_display()} {target.value_display}）",
                required=False,
                min_value=0,
                max_digits=18,
                decimal_places=2,
                initial=current.get(target.pk),
            )
        if report is not None:
            self.fields["text"].initial = report.text
            self.fields["marks_done"].initial = report.marks_done
            self.fields["completed_on"].initial = report.completed_on
            self.fields["version"].initial = report.version

    def values(self) -> dict:
        return {t.pk: self.cleaned_data.get(f"value_{t.pk}") for t in self.targets}
