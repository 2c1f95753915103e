"""Forms of the scheme page (考核方案, for superusers): the scheme's years and name, its sections'
points, its bonus and deduction items with their caps, its grade bands — validated together and
saved all or nothing (`assessment.services.save_scheme`)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import AssessmentAdjustment, AssessmentGrade, AssessmentScheme, AssessmentSection


class SchemeForm(forms.ModelForm):
    class Meta:
        model = AssessmentScheme
        fields = ["name", "year_from", "year_to", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if self.instance.is_default and (start or end):
            raise forms.ValidationError(_("默认方案用于没有专门方案的年度，不能设置适用年份。"))
        if start and end and start > end:
            raise forms.ValidationError(_("适用起始年份不能晚于截止年份。"))
        return data


class SectionForm(forms.ModelForm):
    class Meta:
        model = AssessmentSection
        fields = ["name", "weight", "deduction"]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight <= 0:
            raise forms.ValidationError(_("分值必须大于 0。"))
        return weight


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = AssessmentAdjustment
        fields = ["kind", "name", "points", "cap", "criterion"]

    def clean(self):
        data = super().clean()
        points, cap = data.get("points"), data.get("cap")
        if points is not None and cap is not None and cap < points:
            raise forms.ValidationError(_("上限不能小于每次分值。"))
        return data


class GradeForm(forms.ModelForm):
    class Meta:
        model = AssessmentGrade
        fields = ["name", "threshold"]


class UniqueFormSet(forms.BaseInlineFormSet):
    """An inline formset whose rows must differ in `unique_field` (a name, a threshold), said in Chinese."""

    unique_field = "name"
    duplicate_message = gettext_lazy("名称不能重复：%(value)s")

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            value = form.cleaned_data.get(self.unique_field)
            if value is None:
                continue
            if value in seen:
                shown = f"{value.normalize():f}" if isinstance(value, Decimal) else value
                raise forms.ValidationError(self.duplicate_message % {"value": shown})
            seen.add(value)


class AdjustmentItemsFormSet(UniqueFormSet):
    """The bonus and deduction items: one with entries is kept (its entries would lose their item)."""

    def clean(self):
        super().clean()
        for form in self.forms:
            item = form.instance
            if item.pk and self._should_delete_form(form) and item.entries.exists():
                raise forms.ValidationError(
                    _("“%(name)s”已有加分 / 扣分记录，不能删除；可改名或把上限改为 0。") % {"name": item.name}
                )


class GradeFormSet(UniqueFormSet):
    unique_field = "threshold"
    duplicate_message = gettext_lazy("等次的最低分不能重复：%(value)s")


SectionFormSet = forms.inlineformset_factory(
    AssessmentScheme, AssessmentSection, form=SectionForm, formset=UniqueFormSet, extra=0, can_delete=False
)
AdjustmentFormSet = forms.inlineformset_factory(
    AssessmentScheme,
    AssessmentAdjustment,
    form=AdjustmentForm,
    formset=AdjustmentItemsFormSet,
    extra=1,
    can_delete=True,
)
GradeFormSet = forms.inlineformset_factory(
    AssessmentScheme, AssessmentGrade, form=GradeForm, formset=GradeFormSet, extra=1, can_delete=True
)


class CopySchemeForm(forms.Form):
    """A new year's version of a scheme, copied from it."""

    year = forms.IntegerField(label=gettext_lazy("适用年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=gettext_lazy("新方案名称"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is not None:
            taken = AssessmentScheme.objects.filter(is_default=False, year_from=year, year_to=year).first()
            if taken is not None:
                raise forms.ValidationError(
                    _("%(year)d 年度已有专门方案“%(name)s”，请直接修改该方案。")
                    % {"year": year, "name": taken.name}
                )
            name = data.get("name") or _("%(year)d年度山海协作考核方案") % {"year": year}
            if AssessmentScheme.objects.filter(name=name).exists():
                raise forms.ValidationError(_("已有同名方案：%(name)s") % {"name": name})
            data["name"] = name
        return data
