"""`python manage.py load_demo`: load the demo data and accounts; safe to run again."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from fixtures.demo_cooperation import DEMO_PASSWORD


class Command(BaseCommand):
    help = "载入演示数据与演示账号（可重复执行，不会产生重复数据）"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不打印账号列表")

    def handle(self, *args, quiet: bool = False, **options):
        context: dict = {}
        # Each project app may ship fixtures/demo_<app>.py with load(...); they run in INSTALLED_APPS order,
        # each seeing what the previous ones returned.
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"fixtures.demo_{config.label}"
                if find_spec(module_name) is None:
                    continue
                module = import_module(module_name)
                result = module.load(context)
                context.update(result or {})
                self.stdout.write(f"  ✓ {config.verbose_name}")
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入。演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, role, unit in context.get("accounts", []):
            self.stdout.write(f"  {username:<12} {role:<8} {unit}")
