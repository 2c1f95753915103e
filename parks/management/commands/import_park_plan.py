"""`python manage.py import_park_plan FILE [--dry-run]`: a thin wrapper around parks.importers."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from parks.importers import ImportRefused, import_plans
from parks.models import Park


class Command(BaseCommand):
    help = "导入园区投资计划表（温政发〔2018〕26号 附件1 格式）；有任何错误则不写入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, file: str, dry_run: bool = False, **options):
        try:
            with open(file, "rb") as handle:
                result = import_plans(handle, parks=Park.objects.all(), user=None, dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{file}") from None
        except ImportRefused as exc:
            raise CommandError("\n".join(exc.errors)) from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"共 {len(result.errors)} 处错误，未写入任何数据。")
        parks = "、".join(p.name for p in result.parks)
        if dry_run:
            self.stdout.write(f"检查通过（未写入）：{len(result.lines)} 条计划，园区：{parks}")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入：新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条；园区：{parks}"
            )
        )
