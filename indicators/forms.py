"""Forms of the indicator pages: the region × year entry grid and the Excel upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.models import PolicyDocument
from core.formfields import StrictDecimalField
from core.uploads import validate_upload
from indicators.models import Comparator, IndicatorDefinition, manageable_regions

COMPARATOR_CHOICES = [("", "—"), *Comparator.choices]


class RegionYearForm(forms.Form):
    """Which region and year to enter: only the regions the user may enter figures for."""

    region = forms.ModelChoiceField(queryset=None, label=_("地区"))
    year = forms.IntegerField(label=_("年份"), min_value=1949, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = manageable_regions(user).order_by("path")
        self.fields["year"].initial = timezone.localdate().year - 1


class GridForm(forms.Form):
    """The grid's shared fields: the document the new figures come from."""

    source_document = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("来源文件"),
        help_text=_("新填的指标默认引用此文件；已有来源的指标保持原来源"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_document"].queryset = PolicyDocument.objects.visible_to(user).order_by("-issued")


class FigureRowForm(forms.Form):
    """One indicator's line of the grid."""

    indicator = forms.ModelChoiceField(queryset=IndicatorDefinition.objects.all(), widget=forms.HiddenInput)
    target_comparator = forms.ChoiceField(choices=COMPARATOR_CHOICES, required=False, label=_("目标口径"))
    target_value = StrictDecimalField(max_digits=16, decimal_places=4, required=False, label=_("预期目标"))
    actual_comparator = forms.ChoiceField(choices=COMPARATOR_CHOICES, required=False, label=_("实际值口径"))
    actual_value = StrictDecimalField(max_digits=16, decimal_places=4, required=False, label=_("实际值"))
    actual_is_estimate = forms.BooleanField(required=False, label=_("预计数"))
    source_text = forms.CharField(required=False, label=_("原文"), max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("target_comparator") and data.get("target_value") is None:
            raise ValidationError(_("填写了目标口径，请同时填写预期目标。"))
        if data.get("actual_comparator") and data.get("actual_value") is None:
            raise ValidationError(_("填写了实际值口径，请同时填写实际值。"))
        return data


FigureRowFormSet = forms.formset_factory(FigureRowForm, extra=0)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_upload(uploaded, extensions=(".xlsx",))
        return uploaded
