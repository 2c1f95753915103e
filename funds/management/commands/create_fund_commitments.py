"""`python manage.py create_fund_commitments [--year YYYY]`: the year's commitments from the rules.

Idempotent: run it from cron or by hand as often as you like; a commitment that exists is kept.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from funds.services import ensure_commitments_for_year


class Command(BaseCommand):
    help = "按资金规则生成某年度的资金承诺（可重复执行，不会重复生成）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度，默认今年")

    def handle(self, *args, year: int | None = None, **options):
        year = year or timezone.localdate().year
        created = ensure_commitments_for_year(year)
        for commitment in created:
            self.stdout.write(
                f"  + {commitment}（{commitment.amount:,.2f} 元，{commitment.due:%Y-%m-%d} 前）"
            )
        self.stdout.write(self.style.SUCCESS(f"{year} 年：新生成 {len(created)} 条资金承诺。"))
