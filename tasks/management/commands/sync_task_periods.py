"""`python manage.py sync_task_periods [--pairing ID]`: create missing yearly periods (e.g. after a
pairing's end year moved) and move open due dates to each task's deadline rule. Recorded as “系统”."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from tasks import services
from tasks.models import Task


class Command(BaseCommand):
    help = "为任务补建年度记录，并按完成时限更新未完成年度的截止日期（历史记录显示为“系统”）"

    def add_arguments(self, parser):
        parser.add_argument("--pairing", type=int, help="只处理该结对（ID）的任务")

    def handle(self, *args, pairing: int | None = None, **options):
        tasks = Task.objects.select_related("pairing").prefetch_related("periods").order_by("pk")
        if pairing:
            tasks = tasks.filter(pairing_id=pairing)
        created = 0
        with transaction.atomic():
            for task in tasks:
                created += len(services.sync_periods(task, user=None))
        self.stdout.write(self.style.SUCCESS(f"已处理 {tasks.count()} 项任务，新建年度记录 {created} 条。"))
