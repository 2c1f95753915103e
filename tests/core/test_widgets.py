"""ListSelect writes the markup Django's own Select renders from its templates."""

from __future__ import annotations

import pytest
from django import forms

from cooperation.models import Pairing
from core.widgets import ListSelect

CHOICES = [
    ("", "---------"),
    (1, "晋江市—尤溪县山海协作"),
    ("a&b", 'Tom & "Jerry" <i>'),
    ("Group <1>", [(2, "二"), (3, "三")]),
    (2025, 2025),
]


@pytest.mark.parametrize("value", [None, "", 1, "a&b", 3, [1, 3], "missing"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x", "class": "wide"}, {"required": True, "disabled": False, "data-q": 'x"y'}]
)
@pytest.mark.parametrize("multiple", [False, True])
def test_list_select_matches_djangos_select(value, attrs, multiple):
    django_widget = (forms.SelectMultiple if multiple else forms.Select)(choices=CHOICES)
    ours = type("Ours", (ListSelect, forms.SelectMultiple) if multiple else (ListSelect,), {})(
        choices=CHOICES
    )
    assert ours.render("pick", value, attrs) == django_widget.render("pick", value, attrs)


@pytest.mark.django_db
def test_list_select_matches_djangos_select_for_model_choices(demo):
    """As the funds page's pairing filter: a ModelChoiceField over the pairings, one chosen."""
    chosen = Pairing.objects.order_by("pk").first()

    def rendered(widget):
        form = type(
            "F", (forms.Form,), {"pairing": forms.ModelChoiceField(Pairing.objects.all(), widget=widget)}
        )
        return str(form(data={"pairing": chosen.pk})["pairing"])

    ours = rendered(ListSelect)
    assert f'<option value="{chosen.pk}" selected>' in ours
    assert ours == rendered(forms.Select)
