"""python manage.py profile_pages — where a page's server time goes: SQL, Python, templates.

    profile_pages [--user NAME] [--repeat 20] [--profile] [--depth 14] [URL ...]

A developer's tool (needs pyinstrument from the dev extras for --profile). Each URL is requested
`--repeat` times through Django's test client as the user (default: the scale data set's province
liaison, `s42_province_liaison`, the user of `manage.py bench`) and printed with its median server
time split in three stages:

- SQL: time inside the database driver (every statement, also those run while a template renders);
- templates: the top-level template render, without the SQL it ran;
- Python: the rest (middleware, view, forms, serialisers).

and the median CPU time of the request (on a busy machine wall time includes waiting for a core).

With --profile, one more request runs under pyinstrument and its call tree (the frames over 2 %
of the time) is printed: the "top lines" the performance docs quote. Run it with the production
settings the benchmark uses (DEBUG=0 …) against a data set made by `seed_scale`; without URLs it
profiles the pages of `manage.py bench`.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.template.backends.django import Template as BackendTemplate
from django.test import Client
from django.urls import reverse


class Stages:
    """Wall time spent in SQL and in the top-level template render of one request."""

    def __init__(self) -> None:
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.templates = 0.0
        self.queries = 0
        self.rendering = 0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            self.queries += 1
            if self.rendering:
                self.sql_in_templates += spent


def default_urls() -> list[str]:
    from cooperation.models import Pairing, User

    liaison = User.objects.filter(username__endswith="_province_liaison").order_by("pk").first()
    pairing = Pairing.objects.visible_to(liaison).order_by("pk").first() if liaison else None
    urls = [
        reverse("tasks:task_list"),
        "/api/v1/tasks/",
        reverse("tasks:my_tasks"),
        reverse("dashboards:dashboard"),
        reverse("funds:fund_list"),
    ]
    if pairing:
        urls.append(reverse("cooperation:pairing_detail", args=[pairing.pk]))
    return urls


class Command(BaseCommand):
    help = "开发工具：按 SQL、Python、模板三部分统计页面的服务器时间（可选 pyinstrument 调用树）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("urls", nargs="*")
        parser.add_argument("--user", help="以此用户身份请求（默认：规模测试数据的省联络员）")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--profile", action="store_true", help="再用 pyinstrument 记录一次请求的调用树")
        parser.add_argument("--depth", type=int, default=14, help="调用树显示的层数")

    def handle(self, *args, **options) -> None:
        from cooperation.models import User

        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
        else:
            user = User.objects.filter(username__endswith="_province_liaison").order_by("pk").first()
        if user is None:
            raise CommandError("找不到用户：请用 --user 指定，或先运行 seed_scale。")
        client = Client()
        client.force_login(user)
        for url in options["urls"] or default_urls():
            self.page(client, url, options)

    def page(self, client: Client, url: str, options: dict) -> None:
        stages = Stages()
        original = BackendTemplate.render

        def timed_render(template, *args, **kwargs):
            stages.rendering += 1
            started = time.perf_counter()
            try:
                return original(template, *args, **kwargs)
            finally:
                stages.rendering -= 1
                if not stages.rendering:
                    stages.templates += time.perf_counter() - started

        client.get(url)  # warm-up
        rows = []
        BackendTemplate.render = timed_render
        try:
            with connection.execute_wrapper(stages.execute):
                for _ in range(options["repeat"]):
                    stages.__init__()
                    started, cpu = time.perf_counter(), time.thread_time()
                    response = client.get(url)
                    total = time.perf_counter() - started
                    templates = stages.templates - stages.sql_in_templates
                    rows.append(
                        (
                            total,
                            stages.sql,
                            templates,
                            total - stages.sql - templates,
                            stages.queries,
                            time.thread_time() - cpu,
                        )
                    )
        finally:
            BackendTemplate.render = original

        def median(i: int) -> float:
            return statistics.median(r[i] for r in rows) * 1000

        self.stdout.write(
            f"{url} [{response.status_code}, {len(response.content):,} bytes, {rows[-1][4]} queries]: "
            f"median {median(0):.1f} ms = SQL {median(1):.1f} + templates {median(2):.1f} "
            f"+ Python {median(3):.1f} (CPU {median(5):.1f} ms)"
        )
        if options["profile"]:
            try:
                from pyinstrument import Profiler
            except ImportError as exc:  # pragma: no cover - a developer's tool
                raise CommandError("需要 pyinstrument：pip install -e '.[dev]'") from exc
            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(5):
                    client.get(url)
            self.stdout.write(
                profiler.output_text(
                    unicode=True, color=False, show_all=False, timeline=False, time="percent_of_total"
                )
            )
