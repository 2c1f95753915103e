"""Filter forms on pages offer only the user's own pairings and parks as choices."""

from __future__ import annotations

from cooperation.models import Pairing


class ScopedChoicesMixin:
    """For a FilterView: narrow the choice fields of the filter form to the user's scope, so no
    other pairing's name is ever listed (a hand-made id of another pairing then matches nothing)."""

    def scoped_choices(self) -> dict:
        return {"pairing": Pairing.objects.visible_to(self.request.user)}

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        for name, queryset in self.scoped_choices().items():
            if name in filterset.form.fields:
                filterset.form.fields[name].queryset = queryset
        return filterset
