"""ListSelect writes the markup Django's own Select renders from its templates."""

from __future__ import annotations

import pytest
from django import forms

from cooperation.models import Pairing
from core.widgets import (
    FilterNullBooleanSelect,
    ListNullBooleanSelect,
    ListNumberInput,
    ListSelect,
    ListTextInput,
)

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


@pytest.mark.parametrize("value", [None, "", 0, 12, "12.5", "a&b", 'x"<y>'])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "class": "wide"}, {"required": True, "step": "any"}])
@pytest.mark.parametrize(
    "ours, django_widget",
    [(ListTextInput, forms.TextInput), (ListNumberInput, forms.NumberInput)],
)
def test_list_inputs_match_djangos(ours, django_widget, value, attrs):
    assert ours().render("n", value, attrs) == django_widget().render("n", value, attrs)


@pytest.mark.parametrize("value", [None, "", True, False, "true", "false", "unknown", "2", "3", "x"])
def test_list_null_boolean_select_matches_djangos(value):
    attrs = {"id": "id_overdue"}
    assert ListNullBooleanSelect().render("overdue", value, attrs) == forms.NullBooleanSelect().render(
        "overdue", value, attrs
    )


@pytest.mark.parametrize(
    "field, kwargs, ours, data",
    [
        (forms.DecimalField, {"min_value": 0, "max_value": 3660}, ListNumberInput, "7"),
        (forms.DecimalField, {}, ListNumberInput, "abc"),
        (forms.CharField, {}, ListTextInput, "协作 <b>"),
        (forms.NullBooleanField, {}, ListNullBooleanSelect, "true"),
    ],
)
@pytest.mark.parametrize("bound", [False, True])
def test_list_widgets_in_a_form_match_djangos(field, kwargs, ours, data, bound):
    """As the list pages' filters render them: the field's own attributes (step, min, max) and the
    bound value, through the form's BoundField."""

    def rendered(widget):
        form_class = type("F", (forms.Form,), {"x": field(required=False, widget=widget, **kwargs)})
        return str(form_class(data={"x": data} if bound else None)["x"])

    assert rendered(ours) == rendered(None)


@pytest.mark.parametrize("language, everything", [("zh-hans", "全部"), ("en", "All")])
def test_a_yes_no_filter_left_alone_reads_all_not_unknown(client_for, demo, language, everything):
    """逾期 on the task list: its first choice filters nothing and says so, as the other selects do."""
    from django.utils import translation

    with translation.override(language):
        html = FilterNullBooleanSelect().render("overdue", None, {"id": "id_overdue"})
        assert f'<option value="unknown" selected>{everything}</option>' in html
        assert ">" + str(forms.NullBooleanSelect().choices[1][1]) + "</option>" in html  # 是 / Yes kept
    page = client_for("jj_liaison").get("/tasks/", HTTP_ACCEPT_LANGUAGE=language)
    overdue = page.content.decode().split('name="overdue"')[1].split("</select>")[0]
    assert f">{everything}</option>" in overdue
    assert "未知" not in overdue and "Unknown" not in overdue
