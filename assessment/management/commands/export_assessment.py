"""python manage.py export_assessment --year 2025 [--pairing ID …] -o FILE.xlsx (no pairing: all)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.services import build
from cooperation.models import Pairing


class Command(BaseCommand):
    help = "生成年度考核表（.xlsx）：指定年度与结对（不指定则全部结对）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="考核年度，如 2025")
        parser.add_argument(
            "--pairing", type=int, action="append", default=[], help="结对 ID，可重复；不指定则导出全部结对"
        )
        parser.add_argument("-o", "--output", required=True, help="输出文件，如 考核表.xlsx")

    def handle(self, *args, year: int, pairing: list[int], output: str, **options) -> None:
        if not (2000 <= year <= 2100):
            raise CommandError(_("年度不合理：%(year)s") % {"year": year})
        if not output.lower().endswith(".xlsx"):
            raise CommandError(_("输出文件须以 .xlsx 结尾。"))
        if pairing:
            pairings = list(Pairing.objects.filter(pk__in=pairing))
            missing = sorted(set(pairing) - {p.pk for p in pairings})
            if missing:
                raise CommandError(_("结对不存在：%(ids)s") % {"ids": ", ".join(map(str, missing))})
        else:
            pairings = list(Pairing.objects.all())
        if not pairings:
            raise CommandError(_("没有可导出的结对。"))
        started = time.monotonic()
        path = build(year, pairings, dest=output, creator=_("系统"))
        seconds = time.monotonic() - started
        self.stdout.write(
            _("已生成 %(path)s：%(year)s 年度，%(n)d 个结对，用时 %(s).1f 秒。")
            % {"path": path, "year": year, "n": len(pairings), "s": seconds}
        )
