"""Pages of the dashboards: the overview of every pairing the user sees, and a pairing's one-page leader view.

Both read only `Pairing.objects.visible_to(user)`: a pairing outside it, named in the URL or in
`?pairing=`, is a 404 like any other row of another pairing. Every figure comes from
`dashboards/figures.py` in a fixed number of queries.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.models import Pairing
from dashboards.figures import (
    build_leader_view,
    cached_dashboard,
    cached_figures_html,
    cached_year_range,
    light_labels,
    status_keys,
    with_descendants,
)


class DashboardFilterForm(forms.Form):
    """The year (default: this year in the site's time zone, Asia/Shanghai) and, optionally, one pairing."""

    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int, required=False)
    pairing = forms.TypedChoiceField(label=gettext_lazy("结对"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, pairings: list[Pairing], years: list[int], with_pairing: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        if with_pairing:
            self.fields["pairing"].choices = [("", _("全部可见结对")), *[(p.pk, p.name) for p in pairings]]
        else:
            del self.fields["pairing"]


def visible_pairings(user) -> list[Pairing]:
    """The pairings the user sees, in the order of the pairing list (one query)."""
    return list(Pairing.objects.visible_to(user).order_by("kind", "name", "pk"))


def check_pairing_param(request, pairings: list[Pairing]) -> None:
    """`?pairing=` naming a pairing the user does not see is a 404, never an empty page."""
    raw = request.GET.get("pairing", "").strip()
    if raw.isdigit() and int(raw) not in {p.pk for p in pairings}:
        raise Http404(_("结对不存在或您无权查看。"))


def chosen(
    form: DashboardFilterForm, today: datetime.date, default: int | None = None
) -> tuple[int, int | None]:
    """The valid part of the choice; a wrong value falls back to its default (a pairing's current or
    last active year, else this year) and the form shows why."""
    year, pairing = default or today.year, None
    if form.is_bound:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        year = data.get("year") or year
        pairing = data.get("pairing")
    return year, pairing


@login_required
def dashboard(request):
    """Overview: tasks by status and area, overdue by unit, money by year, parks, exchanges — every visible pairing."""
    today = timezone.localdate()
    pairings = visible_pairings(request.user)
    check_pairing_param(request, pairings)
    form = DashboardFilterForm(
        request.GET or None,
        pairings=pairings,
        years=cached_year_range(pairings, today),
        initial={"year": today.year},
    )
    year, pairing_id = chosen(form, today)
    selection = with_descendants(pairings, pairing_id) if pairing_id else pairings
    board = cached_dashboard(selection, year, today)
    # Over every pairing the minimums are summed by requirement; item by item once one is chosen.
    show_minimum_rows = pairing_id is not None or len(pairings) == 1

    def figures_html() -> str:
        # The tiles, charts and tables depend on the figures alone: rendered once per version of
        # the data (the same key as the figures), not on every request (~120 KB for a province).
        return render_to_string(
            "dashboards/_overview_figures.html",
            {
                "board": board,
                "charts": board.charts(),
                "status_keys": status_keys(),
                "show_minimum_rows": show_minimum_rows,
            },
        )

    context = {
        "form": form,
        "board": board,
        "selected": next((p for p in pairings if p.pk == pairing_id), None),
        "has_pairings": bool(pairings),
        "figures_html": (
            mark_safe(cached_figures_html(selection, year, today, show_minimum_rows, figures_html))
            if pairings
            else ""
        ),
    }
    return render(request, "dashboards/dashboard.html", context, status=400 if form.errors else 200)


PRINT_ATTENTION_ROWS = 12


@login_required
def pairing_dashboard(request, pk: int):
    """The leader's one page of a pairing (and its sub-pairings): traffic lights, money, parks, the charts."""
    today = timezone.localdate()
    visible = visible_pairings(request.user)
    pairing = next((p for p in visible if p.pk == pk), None)
    if pairing is None:
        raise Http404(_("结对不存在或您无权查看。"))
    selection = with_descendants(visible, pk)
    form = DashboardFilterForm(
        request.GET or None,
        pairings=selection,
        years=cached_year_range(selection, today),
        with_pairing=False,
        initial={"year": pairing.default_year(today)},
    )
    year, _pairing = chosen(form, today, default=pairing.default_year(today))
    board = cached_dashboard(selection, year, today)
    context = {
        "pairing": pairing,
        "form": form,
        "board": board,
        "leader": build_leader_view(selection, year, today),
        "charts": board.charts(),
        "status_keys": status_keys(),
        "light_labels": light_labels(),
        "show_minimum_rows": True,
        "several": len(selection) > 1,
        "children": [p.name for p in selection if p.pk != pairing.pk],
        # Rows of "需要关注的任务" printed: the page is one A4 sheet; the rest is counted under the table.
        "print_rows": PRINT_ATTENTION_ROWS,
        "minus_print_rows": -PRINT_ATTENTION_ROWS,
    }
    return render(request, "dashboards/dashboard_pairing.html", context, status=400 if form.errors else 200)
