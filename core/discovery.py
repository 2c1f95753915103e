"""The project's apps, listed once, and the one way their plugins are found.

An app plugs into the project by defining a module of a known name; nothing else names it:

- `<app>/urls.py` (pages) and `<app>/api/urls.py` (under /api/v1/), included by shanhai/urls.py;
- `<app>/panels.py` with `pairing_panels(request, pairing)`: sections of the pairing page;
- `<app>/deadlines.py` with `deadlines(start, end, as_of)`: what falls due, for the reminders;
- `<app>/demo.py` with `load(context)`: its part of the demo data, run by `load_demo`.

Modules are looked up in the order of PROJECT_APPS (the dependency order), as Django's admin finds
`admin.py`: an app without the module is skipped, an import error inside one is raised.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

# Dependency order: an app imports only the platform (core) and apps before it in this list.
PROJECT_APPS = (
    "cooperation",
    "tasks",
    "funds",
    "parks",
    "reminders",
    "indicators",
    "assessment",
    "dashboards",
)


def app_modules(submodule: str, attribute: str | None = None) -> list[ModuleType]:
    """`<app>.<submodule>` of every installed project app that has one, in PROJECT_APPS order.

    With `attribute`, only the modules that define it (a `panels.py` without `pairing_panels`
    contributes nothing).
    """
    from django.apps import apps

    found = []
    for label in PROJECT_APPS:
        if not apps.is_installed(label):
            continue
        package = apps.get_app_config(label).module
        if not _has(package, submodule):
            continue
        module = import_module(f"{label}.{submodule}")
        if attribute is None or hasattr(module, attribute):
            found.append(module)
    return found


def _has(package: ModuleType, dotted: str) -> bool:
    from django.utils.module_loading import module_has_submodule

    for part in dotted.split("."):
        if not module_has_submodule(package, part):
            return False
        package = import_module(f"{package.__name__}.{part}")
    return True
