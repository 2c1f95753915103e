"""What the scope tests iterate over, found from the project itself so that a new endpoint, form or
field joins them without a line here: the API's viewsets, the pages' filter lists and forms, the
personas."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# The demo's personas (README): one of every role and side.
PERSONAS = ["jj_liaison", "yx_liaison", "wz_liaison", "yx_reporter", "jj_reporter", "jj_finance", "leader"]


@dataclass(frozen=True)
class View:
    route: str  # the URL pattern, for messages
    callback: object  # the resolved view function


def views(patterns=None, prefix: str = "") -> Iterator[View]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield View(prefix + str(entry.pattern), entry.callback)


def api_viewsets() -> dict[str, type]:
    """Every viewset of /api/v1/ with a model (basename → class), from the routers' URLs."""
    found = {}
    for view in views():
        cls = getattr(view.callback, "cls", None)
        if (
            view.route.startswith("api/v1/")
            and cls is not None
            and getattr(cls, "queryset", None) is not None
        ):
            found.setdefault(view.route.split("/")[2].lstrip("^"), cls)
    return found


def filter_pages() -> dict[str, type]:
    """Every HTML list with a filter form (URL → view class), from the pages' URLs."""
    from django_filters.views import FilterView

    found = {}
    for view in views():
        cls = getattr(view.callback, "view_class", None)
        if cls is not None and issubclass(cls, FilterView) and "<" not in view.route:
            found["/" + view.route] = cls
    return found


def model_forms() -> dict[str, type]:
    """Every page's form class that writes a model (URL pattern → view class)."""
    from django import forms

    found = {}
    for view in views():
        cls = getattr(view.callback, "view_class", None)
        form_class = getattr(cls, "form_class", None)
        if form_class is not None and issubclass(form_class, forms.ModelForm):
            found["/" + view.route] = cls
    return found
