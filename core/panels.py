"""Sections other apps add to the pairing page (and to a task's page), without editing its template.

An app contributes by defining `<app>/panels.py` with

    def pairing_panels(request, pairing) -> list[Panel]

Each Panel names a template (rendered with the page's context plus its own) and an order:
lower comes first. Panels must run a fixed number of queries, whatever the pairing's size.

A panel that needs only a count or a sum can ask for it in the page's own query of the pairing
instead of running one: `pairing_annotations(request) -> dict` in the same module names
expressions (subqueries correlated on the pairing's `pk`, scoped to the user as the panel's own
query would be) that the pairing page adds to its query; the panel then reads them from the
pairing, and runs its query only when the pairing comes without them (`annotated(pairing, name)`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.discovery import app_modules


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    title: str = ""


def pairing_panels(request, pairing) -> list[Panel]:
    panels: list[Panel] = []
    for module in app_modules("panels", "pairing_panels"):
        panels.extend(module.pairing_panels(request, pairing) or [])
    return sorted(panels, key=lambda p: p.order)


def pairing_annotations(request) -> dict:
    """The expressions every app's `pairing_annotations(request)` asks of the pairing's query."""
    annotations: dict = {}
    for module in app_modules("panels", "pairing_annotations"):
        annotations.update(module.pairing_annotations(request))
    return annotations


_MISSING = object()


def annotated(pairing, name: str, compute):
    """The pairing's annotation `name` when its query carried it, else `compute()` (a query)."""
    value = getattr(pairing, name, _MISSING)
    return compute() if value is _MISSING else value


def task_panels(request, task, periods) -> list[Panel]:
    """Sections other apps add to a task's page (`task_panels(request, task, periods)` in
    `<app>/panels.py`), like the pairing page's; `periods` are the task's periods shown there."""
    panels: list[Panel] = []
    for module in app_modules("panels", "task_panels"):
        panels.extend(module.task_panels(request, task, periods) or [])
    return sorted(panels, key=lambda p: p.order)
