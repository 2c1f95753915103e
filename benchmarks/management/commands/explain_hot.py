"""python manage.py explain_hot — EXPLAIN (ANALYZE) of the hot queries on the seeded data (PostgreSQL).

Runs the queries of the pages and jobs the benchmark times, as the batch's province liaison, and
prints each plan: which index it uses and how long it took. Run it on the full data set, e.g.
`DATABASE_URL=postgres://…/shanhai_bench_full python manage.py explain_hot`.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test import Client
from django.utils import timezone

from benchmarks.measure import batch_people


class Command(BaseCommand):
    help = "在规模测试数据上显示热点查询的 EXPLAIN (ANALYZE) 计划（PostgreSQL）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pages", action="store_true", help="另外列出各页面最慢的两条查询的计划")

    def handle(self, *args, pages: bool, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("EXPLAIN (ANALYZE) 只在 PostgreSQL 上运行。")
        from reminders.models import ReminderLedger
        from tasks.models import ProgressReport, TaskPeriod

        people = batch_people()
        liaison = people["liaison"]
        today = timezone.localdate()
        period = TaskPeriod.objects.filter(status="done").order_by("pk").first()
        keys = list(
            ReminderLedger.objects.order_by("item_key").values_list("item_key", flat=True).distinct()[:500]
        )
        from funds.models import Disbursement, FundCommitment

        approved = ProgressReport.objects.filter(period=OuterRef("pk"), status="approved").order_by(
            "-reviewed_at", "-pk"
        )
        commitments = list(FundCommitment.objects.order_by("pk").values_list("pk", flat=True)[:50])
        queries = {
            "我的任务：逾期（partial index taskperiod_open_due）": TaskPeriod.objects.visible_to(liaison)
            .overdue(today)
            .select_related("task__pairing")
            .order_by("due_date")[:100],
            "我的任务：30 天内到期": TaskPeriod.objects.visible_to(liaison)
            .due_within(30, today)
            .select_related("task__pairing")
            .order_by("due_date")[:100],
            "我的任务：已退回的报告（report_status_unit）": ProgressReport.objects.manageable_by(liaison)
            .filter(status="returned")
            .select_related("period__task", "unit", "reviewed_by")[:100],
            "提醒扫描：到期窗口内的任务年度": TaskPeriod.objects.filter(
                due_date__range=(today - datetime.timedelta(days=366), today + datetime.timedelta(days=120))
            ).exclude(status="paused"),
            "提醒记录：按事项查已发提醒（reminder_ledger_item）": ReminderLedger.objects.filter(
                item_key__in=keys
            ).values_list("item_key", "due", "offset", "recipient_id"),
            "拨付记录：按资金承诺（资金页的预取）": Disbursement.objects.filter(
                commitment_id__in=commitments
            ).order_by("date", "pk"),
            "考核表：最近通过的报告（report_period_status_reviewed）": TaskPeriod.objects.filter(
                due_date__year=today.year - 1
            )
            .annotate(last_report_at=Subquery(approved.values("reviewed_at")[:1]))
            .values_list("pk", "last_report_at")[:2000],
            "历史记录：一个任务年度的变更（任务页）": TaskPeriod.history.filter(id=period.pk).order_by(
                "-history_date", "-history_id"
            )[:21],
        }
        for title, queryset in queries.items():
            self.explain(title, str(queryset.query), None, queryset)
        if pages:
            self.pages(liaison, people)

    def explain(self, title: str, sql: str, params, queryset=None) -> None:
        with connection.cursor() as cursor:
            if queryset is not None:
                sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        self.stdout.write(f"\n## {title}\n")
        for line in plan:
            self.stdout.write("    " + line)

    def pages(self, liaison, people) -> None:
        client = Client()
        client.force_login(liaison)
        for url in ("/tasks/", "/api/v1/tasks/", "/tasks/mine/", "/funds/"):
            client.get(url)
            log = []

            def record(execute, sql, params, many, context, log=log):
                return log.append((sql, params)) or execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                client.get(url)
            timed = []
            for sql, params in log:
                if sql.lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                        timed.append((cursor.fetchone()[0][0]["Execution Time"], sql, params))
            for ms, sql, params in sorted(timed, key=lambda row: -row[0])[:2]:
                self.explain(f"{url}：{ms:.1f} ms — {sql[:120]}…", sql, params)
