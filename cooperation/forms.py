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
    """A pairing's name, kind, status, years and notes; its liaison units only for superusers.

    Who sees and manages a pairing follows from its sides, parent and liaison units
    (`Pairing.scope_defining_fields`): the liaison staff it lets in cannot change them.
    """

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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None or not user.is_superuser:
            for name in Pairing.scope_defining_fields:
                self.fields.pop(name, None)
