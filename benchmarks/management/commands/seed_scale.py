"""python manage.py seed_scale [--pairings 100] [--tasks-per-pairing 500] [--years 3] [--seed 42]."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import seeding
from benchmarks.seeding import BatchExists


class Command(BaseCommand):
    help = "生成规模测试数据（合成的一个省：结对、任务树、任务年度、报告、资金、园区、活动、提醒、用户），批量写入并保留历史记录。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pairings", type=int, default=100, help="结对数，默认 100")
        parser.add_argument("--tasks-per-pairing", type=int, default=500, help="每个结对的任务数，默认 500")
        parser.add_argument("--years", type=int, default=3, help="年数（截至今年），默认 3")
        parser.add_argument("--seed", type=int, default=42, help="随机种子：同一种子与日期生成相同的数据")
        parser.add_argument("--as-of", help="以哪一天为“今天”（YYYY-MM-DD），默认今天")

    def handle(self, *args, pairings, tasks_per_pairing, years, seed: int, as_of, **options) -> None:
        if not (1 <= pairings <= 2000 and 1 <= tasks_per_pairing <= 5000 and 1 <= years <= 10):
            raise CommandError(
                _("参数超出范围：--pairings 1–2000，--tasks-per-pairing 1–5000，--years 1–10。")
            )
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%(date)s") % {"date": as_of}) from None
        try:
            stats = seeding.seed(
                pairings=pairings, tasks_per_pairing=tasks_per_pairing, years=years, seed=seed, as_of=day
            )
        except BatchExists as exists:
            raise CommandError(
                _(
                    "种子 %(seed)s 的规模测试数据已存在（“%(batch)s”），未写入任何数据。"
                    "换一个 --seed 可再生成一批互不相干的数据；要重新生成同一批，请使用新的数据库。"
                )
                % {"seed": seed, "batch": exists}
            ) from None
        total = sum(stats.rows.values())
        if options["verbosity"] >= 2:
            self.stdout.write("CPU 秒：" + "，".join(f"{k} {v}" for k, v in stats.steps.items()))
        if options["verbosity"] >= 1:
            for label, n in stats.rows.items():
                if n:
                    self.stdout.write(f"  {label}：{n:,}")
            self.stdout.write(
                _(
                    "已生成“%(province)s”：%(pairings)s 个结对 × %(tasks)s 个任务 × %(years)s 年，"
                    "共 %(rows)s 行（另有历史记录 %(history)s 行），用时 %(seconds).1f 秒。"
                    "登录：%(liaison)s（全省联络员）、%(reporter)s（填报员），密码 shanhai-demo。"
                )
                % {
                    "province": stats.province,
                    "pairings": pairings,
                    "tasks": tasks_per_pairing,
                    "years": years,
                    "rows": f"{total:,}",
                    "history": f"{stats.history_rows:,}",
                    "seconds": stats.seconds,
                    "liaison": stats.liaison,
                    "reporter": stats.reporter,
                }
            )
