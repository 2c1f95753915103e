"""`python manage.py load_demo`: load the demo data and accounts; safe to run again."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.discovery import app_modules
from core.quiet import quietly


class Command(BaseCommand):
    help = "载入演示数据与演示账号（可重复执行，不会产生重复数据）"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不打印账号列表")

    def handle(self, *args, quiet: bool = False, **options):
        context: dict = {}
        # Each project app may ship `<app>/demo.py` with load(context); they run in dependency order
        # (core/discovery.py), each seeing what the previous ones returned.
        # The demo replays past events (reports submitted, returned, approved): nobody is notified.
        with transaction.atomic(), quietly():
            for module in app_modules("demo", "load"):
                result = module.load(context)
                context.update(result or {})
                label = module.__name__.split(".")[0]
                self.stdout.write(f"  ✓ {apps.get_app_config(label).verbose_name}")
        if quiet:
            return
        password = context.get("password", "")
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入。演示账号（密码均为 {password}）："))
        for username, role, unit in context.get("accounts", []):
            self.stdout.write(f"  {username:<12} {role:<8} {unit}")
