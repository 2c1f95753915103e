"""Form widgets every app's forms share."""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO date it expects (2025-04-30)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MoneyInput(forms.TextInput):
    """An amount typed with thousands separators (12,000,000), shown again in 万元 beside it.

    `static/js/money.js` groups the digits as the user types and writes "= 1,200 万元" next to an
    amount in 元 (`unit="yuan"`); an amount already in 万元 (`unit="wan"`) is only grouped. The
    server reads the text with `core.money.parse_money`, which accepts exactly these separators.
    A text input, not type=number: a number input cannot hold the separators.
    """

    def __init__(self, unit: str = "yuan", attrs=None):
        from django.utils.translation import gettext_lazy as _

        base = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "class": "money",
            "data-money": unit,
            # {n} is the amount in 万元, grouped; the script fills it in.
            "data-wan-format": _("= {n} 万元"),
        }
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value):
        """A stored amount as the user types it: 12000000.00 → 12,000,000 (cents kept when any)."""
        from decimal import Decimal, InvalidOperation

        if value in (None, ""):
            return None
        if isinstance(value, str):
            return value  # what the user typed, shown back as typed (with its error, if any)
        try:
            amount = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
        if not amount.is_finite():
            return str(value)
        if amount == amount.to_integral_value():
            return f"{amount:,.0f}"
        return f"{amount:,f}".rstrip("0")


def _attrs_html(attrs: dict) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them (False left out, True bare)."""
    from django.utils.html import conditional_escape

    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        elif value is not False:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class ListSelect(forms.Select):
    """A <select> of many options (a filter of 100 pairings) written in Python.

    The markup of Django's select.html and select_option.html, without rendering a template per
    option, which was a sixth of the funds page's time. tests/core/test_widgets.py holds it to
    Django's own rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                value_text = conditional_escape(str(option["value"]))
                label = conditional_escape(option["label"])
                parts.append(
                    f'\n  <option value="{value_text}"{_attrs_html(option["attrs"])}>{label}</option>\n'
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")  # the form renderer strips what the template ends with
        return mark_safe("".join(parts))


class ListInput(forms.widgets.Input):
    """An <input> written in Python: the markup of Django's input.html and attrs.html without
    rendering a template (a list's filter form has several small ones on every request).
    tests/core/test_widgets.py holds it to Django's own rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe

        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_html = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{value_html}{_attrs_html(widget['attrs'])}>"
        )


class ListTextInput(ListInput, forms.TextInput):
    pass


class ListNumberInput(ListInput, forms.NumberInput):
    pass


class ListNullBooleanSelect(ListSelect, forms.NullBooleanSelect):
    pass


class FilterNullBooleanSelect(ListNullBooleanSelect):
    """A yes/no filter of a list page: left at its first choice it filters nothing, so that choice
    reads 全部 as every other select of the filter form does (Django's says 未知, "unknown")."""

    def __init__(self, attrs=None):
        from django.conf import settings

        super().__init__(attrs)
        self.choices = [("unknown", settings.FILTERS_EMPTY_CHOICE_LABEL), *self.choices[1:]]
