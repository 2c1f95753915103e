"""`python manage.py import_indicators FILE [--dry-run] [--user NAME]`: load a sheet of regional indicators.

A thin wrapper around `indicators.importer.import_workbook`, the same function the upload
page calls: all or nothing, every error listed as “第 N 行，列名：…”. Without --user the rows are
written as the system (“系统” in the history) and may touch any region.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cooperation.models import User
from indicators.importer import import_workbook


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入地区发展指标：全部通过才写入，逐行列出错误"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="以该用户身份导入（按其权限检查地区），默认为系统")

    def handle(self, *args, file: str, dry_run: bool = False, user: str | None = None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        acting = None
        if user:
            acting = User.objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"找不到用户：{user}")
        with path.open("rb") as handle:
            preview = import_workbook(handle, acting, dry_run=dry_run)
        if not preview.ok:
            for error in preview.errors:
                self.stderr.write(error)
            raise CommandError(f"导入失败，未做任何修改（{len(preview.errors)} 处错误）。")
        verb = "检查通过，将" if dry_run else "已"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}新增 {preview.created} 条、更新 {preview.updated} 条指标。")
        )
