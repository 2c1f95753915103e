"""Sections other apps add to the pairing page, without editing its template.

An app contributes by defining `<app>/panels.py` with

    def pairing_panels(request, pairing) -> list[Panel]

Each Panel names a template (rendered with the page's context plus its own) and an order:
lower comes first. Panels must run a fixed number of queries, whatever the pairing's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

PROJECT_APPS = ["cooperation", "tasks", "funds", "parks", "reports", "reminders"]


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    title: str = ""


def _providers():
    for app in PROJECT_APPS:
        name = f"{app}.panels"
        if app != "cooperation" and find_spec(name) is not None:
            module = import_module(name)
            if hasattr(module, "pairing_panels"):
                yield module.pairing_panels


def pairing_panels(request, pairing) -> list[Panel]:
    panels: list[Panel] = []
    for provider in _providers():
        panels.extend(provider(request, pairing) or [])
    return sorted(panels, key=lambda p: p.order)
