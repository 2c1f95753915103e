from __future__ import annotations

from django import forms

from cooperation.models import Activity, Pairing
from core.widgets import DateInput


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "date", "place", "field", "participants", "headcount", "notes"]
        widgets = {
            "date": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class PairingForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = [
            "name",
            "kind",
            "status",
            "start_year",
            "end_year",
            "coastal_liaison",
            "mountain_liaison",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
