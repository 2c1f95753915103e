"""The layers hold: the platform imports no domain app, and no two apps import each other.

Read from the source with `ast` (nothing is imported): `core` may import nothing of the project;
each app of `core.discovery.PROJECT_APPS` may import `core`, the Django-free `planparser` and the
apps listed before it, never one after it (which is how a circle would start); `planparser` imports
no app and runs without Django.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from core.discovery import PROJECT_APPS

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"core", "planparser", "shanhai", "benchmarks", "fixtures", "tests", *PROJECT_APPS}


def imports_between(root: Path, packages: set[str]) -> dict[tuple[str, str], list[str]]:
    """(importer, imported) package pairs with the places (file:line) where the import is written."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for package in sorted(packages):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in packages and top != package:
                        found[(package, top)].append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def violations(found: dict[tuple[str, str], list[str]], order: list[str]) -> list[str]:
    """Imports that break the layers: from core or planparser to the project, or from an app to one
    listed after it (or to anything that is not a layer below it)."""
    allowed = {"core": set(), "planparser": {"core"}}
    for i, app in enumerate(order):
        allowed[app] = {"core", "planparser", *order[:i]}
    wrong = []
    for (importer, imported), where in sorted(found.items()):
        if importer in allowed and imported not in allowed[importer]:
            wrong.append(f"{importer} → {imported}: {', '.join(where)}")
    return wrong


def test_the_platform_imports_no_domain_app_and_apps_import_only_layers_below():
    found = imports_between(ROOT, PROJECT)
    assert violations(found, list(PROJECT_APPS)) == []


def test_no_two_apps_import_each_other():
    found = imports_between(ROOT, PROJECT)
    circles = sorted({tuple(sorted(pair)) for pair in found if (pair[1], pair[0]) in found})
    assert circles == []


def private_imports(root: Path, packages: set[str]) -> list[str]:
    """`from other_package… import _name`: a private name taken across a package's border."""
    found = []
    for package in sorted(packages):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    top = node.module.split(".")[0]
                    if top in packages and top != package:
                        names = [
                            a.name for a in node.names if a.name.startswith("_") and a.name != "__version__"
                        ]
                        found += [f"{path.relative_to(root)}:{node.lineno} {node.module}.{n}" for n in names]
    return found


def test_no_package_imports_another_packages_private_names():
    """The plan parser (and every app) is used through its public names only."""
    assert private_imports(ROOT, PROJECT - {"tests"}) == []


def test_the_checker_sees_a_circle_and_an_upward_import(tmp_path):
    """The rules above can fail: a made-up tree with both faults is reported."""
    for package, source in {
        "core": "from alpha.models import Thing\n",
        "alpha": "import core.text\nfrom beta import views\n",
        "beta": "from alpha import models\n",
    }.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "mod.py").write_text(source)
    found = imports_between(tmp_path, {"core", "alpha", "beta"})
    wrong = violations(found, ["alpha", "beta"])
    assert [line.split(":")[0] for line in wrong] == ["alpha → beta", "core → alpha"]
    (tmp_path / "beta" / "private.py").write_text("from alpha.models import _hidden\n")
    assert private_imports(tmp_path, {"alpha", "beta"}) == ["beta/private.py:1 alpha.models._hidden"]


def test_the_plan_parser_runs_without_django():
    seed = ROOT / "fixtures" / "seeds" / "000_jinjiang_youxi_plan.txt"
    code = (
        "import sys\n"
        "from planparser import parse_plan\n"
        f"tree = parse_plan(open({str(seed)!r}, encoding='utf-8').read())\n"
        "assert 'django' not in sys.modules, 'planparser imported Django'\n"
        "print(len(tree.nodes))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0
