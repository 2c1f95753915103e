"""What the benchmark measures inside one database (called by `bench --measure` in a subprocess).

Pages and endpoints through Django's test client (server time: the whole request through the
middleware, views, queries and templates, without network); the reminder scan in-process; the
assessment export and the responsibility-table import in child processes, so that their peak
memory is their own (`os.wait4` gives the child's `ru_maxrss`).
"""

from __future__ import annotations

import datetime
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class QueryCounter:
    """Counts the SQL statements run on the default connection (whatever DEBUG says)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryCounter:
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)

    def __len__(self) -> int:
        return self.count


def time_page(client: Client, url: str, repeat: int) -> dict:
    """Median and p95 server time (ms) of `repeat` requests, their CPU time, and the query count of one.

    Server time is wall-clock time around the test client's request; on a machine shared with other
    work it includes waiting for a core, so the CPU time of this thread is reported beside it
    (on SQLite it includes the database's work, on PostgreSQL not).
    """
    response = client.get(url)  # warm-up: templates, caches, the session
    status = response.status_code
    with QueryCounter() as queries:
        client.get(url)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        status = response.status_code
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def batch_people() -> dict:
    """The batch's province liaison (sees every pairing), a county reporter, and a pairing."""
    from cooperation.models import Pairing, User

    liaison = User.objects.filter(username__endswith="_province_liaison").order_by("pk").first()
    if liaison is None:
        raise RuntimeError("没有规模测试数据：请先运行 seed_scale。")
    prefix = liaison.username.split("_province_liaison")[0]
    reporter = (
        User.objects.filter(username__startswith=f"{prefix}_u", username__endswith="_reporter")
        .order_by("pk")
        .first()
    )
    pairing = Pairing.objects.visible_to(liaison).order_by("pk").first()
    county = User.objects.filter(username=f"{prefix}_c{pairing.mountain_region_id}_liaison").first()
    return {"liaison": liaison, "county": county, "reporter": reporter, "pairing": pairing, "prefix": prefix}


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def pages(repeat: int) -> dict:
    """The pages liaison staff live in: as the province office's liaison (whose scope grows with the
    data: every pairing), a county liaison (one pairing, in a growing database) and a reporter."""
    people = batch_people()
    liaison, reporter, pairing = people["liaison"], people["reporter"], people["pairing"]
    as_liaison = Client()
    as_liaison.force_login(liaison)
    as_reporter = Client()
    as_reporter.force_login(reporter)
    as_county = Client()
    as_county.force_login(people["county"])
    plan = [
        ("task_list", "任务列表（省联络员）", as_liaison, url_or_none("tasks:task_list"), True),
        ("task_list_county", "任务列表（县联络员）", as_county, url_or_none("tasks:task_list"), True),
        ("task_api", "任务 API", as_liaison, "/api/v1/tasks/", True),
        ("my_tasks", "我的任务（联络员）", as_liaison, url_or_none("tasks:my_tasks"), True),
        ("my_tasks_reporter", "我的任务（填报员）", as_reporter, url_or_none("tasks:my_tasks"), True),
        ("pairing", "结对页", as_liaison, url_or_none("cooperation:pairing_detail", pairing.pk), False),
        ("dashboard", "报表首页", as_liaison, url_or_none("dashboards:dashboard"), True),
        ("funds", "资金页", as_liaison, url_or_none("funds:fund_list"), True),
    ]
    # As a served process is (shanhai/wsgi.py): the loaded app frozen out of the collector's way.
    from core.runtime import tune_gc

    for _key, _label, client, url, _list in plan:
        if url is not None:
            client.get(url)  # load what the pages load before freezing it
    tune_gc()
    results = {}
    for key, label, client, url, is_list in plan:
        if url is None:
            results[key] = {"label": label, "missing": True, "list": is_list}
            continue
        results[key] = {"label": label, "list": is_list, **time_page(client, url, repeat)}
    return results


def reminder_scan() -> dict:
    """The daily sweep as a dry run (plans and checks the ledger, writes nothing), and the plan of
    every deadline in the database (what a sweep after a long outage would look at)."""
    from core.deadlines import collect
    from reminders import engine
    from tasks.models import TaskPeriod

    day = timezone.localdate()
    with QueryCounter() as queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        result = engine.sweep(day, dry_run=True)
        seconds, cpu = time.perf_counter() - started, time.thread_time() - started_cpu
    # Periods without a due date sort first on SQLite and last on PostgreSQL: leave them out, or the
    # window is [today, last] on one and [first, today] on the other.
    dated = TaskPeriod.objects.filter(due_date__isnull=False)
    first = dated.order_by("due_date").values_list("due_date", flat=True).first() or day
    last = max(dated.order_by("-due_date").values_list("due_date", flat=True).first() or day, day)
    with QueryCounter() as all_queries:
        started = time.perf_counter()
        items = list(collect(first, last, day))
        planned = engine._plan_items(items, day)
        all_seconds = time.perf_counter() - started
    return {
        "sweep_seconds": round(seconds, 2),
        "sweep_cpu_seconds": round(cpu, 2),
        "sweep_queries": len(queries),
        "sweep_reminders": result.recorded,
        "all_deadlines_seconds": round(all_seconds, 2),
        "all_deadlines_queries": len(all_queries),
        "deadlines": len(items),
        "planned": len(planned),
    }


# A tiny launcher between us and the measured command: a forked child is charged the pages it
# shares with its parent, so launching the export from the (by then large) measuring process would
# report the measuring process's size. The launcher is a bare interpreter of ~10 MB.
LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.STDOUT)
_pid, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - started, "code": os.waitstatus_to_exitcode(status),
                  "peak_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def _child(args: list[str]) -> dict:
    """Run a command in a child process: seconds, CPU seconds, peak RSS (MB) of that process alone."""
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, log.name, *args], cwd=ROOT, capture_output=True, text=True
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        output = Path(log.name).read_text(errors="replace")[-2000:]
    return {
        "seconds": figures["seconds"],
        "cpu_seconds": figures["cpu"],
        "peak_mb": figures["peak_kb"] // 1024,  # ru_maxrss is in KiB on Linux
        "code": figures["code"],
        "output": output,
    }


def sheet_rows(path: Path) -> dict[str, int]:
    """Rows below the title and header of each sheet, counted in the XML (openpyxl would take minutes)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    names = workbook.sheetnames
    workbook.close()
    counts = {}
    with zipfile.ZipFile(path) as archive:
        for index, name in enumerate(names, start=1):
            n, tail = 0, b""
            with archive.open(f"xl/worksheets/sheet{index}.xml") as xml:
                while chunk := xml.read(1 << 20):
                    n += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
                    tail = chunk[-8:]
            counts[name] = max(0, n - 2)
    return counts


# The export in a child process: Django set up (not timed), then `export_assessment` timed from its
# call to its return (the command's work: reading, computing, writing and closing the workbook) —
# the same span as the bare writer's, which is timed from opening the workbook to closing it.
EXPORTER = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanhai.settings")
import django
django.setup()
from django.core.management import call_command
started, started_cpu = time.perf_counter(), time.process_time()
call_command("export_assessment", "--year", sys.argv[1], "-o", sys.argv[2])
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds}))
"""


STARTUP = EXPORTER.split("from django.core.management")[0]


# The export and the bare writer are timed in turn, export then writer, this many times each, and
# compared pair by pair: on a shared machine one run of either can be 10–40 % slower than the next —
# more than the margin the goal is about — while two runs next to each other share the machine's
# state. The goal's figure is the median of the pairs' ratios (`export_ratio`).
EXPORT_ROUNDS = 5


def export(year: int, rounds: int = EXPORT_ROUNDS) -> dict:
    """All pairings' assessment workbook via `export_assessment`, in a child process: the command's
    own seconds (`export_seconds`) and the whole process's (`seconds`, peak RSS), against XlsxWriter
    alone writing the same cells (`bare_writer_seconds`); each the median of `rounds` runs in turn,
    and the median of the runs' ratios pair by pair (`export_ratio`)."""
    from cooperation.models import Pairing

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = folder / "assessment.xlsx"
        # Django's own start-up alone, started as the export's child is, to tell the export's
        # memory from the interpreter's and Django's.
        baseline = _child([sys.executable, "-c", STARTUP])
        # The export's cells, logged once by a tapped run (not timed) for the bare writer to replay.
        log = folder / "cells.pickle"
        recorded = _child(
            [sys.executable, "-c", RECORDER, str(log), str(year), str(folder / "recorded.xlsx")]
        )
        runs, bare_runs = [], []
        for _round in range(rounds):
            run = _child([sys.executable, "-c", EXPORTER, str(year), str(path)])
            if run["code"] != 0:
                return {"error": run["output"]}
            run["timed"] = json.loads(run["output"].strip().splitlines()[-1])
            runs.append(run)
            if recorded["code"] == 0:
                bare_runs.append(replay(log, folder / "bare.xlsx"))
        rows = sheet_rows(path)
        size = path.stat().st_size
    median = statistics.median
    result = {
        "year": year,
        "pairings": Pairing.objects.count(),
        # The export's own work (the command, from its call to the workbook closed and in place),
        # timed inside the child like `bare_writer_seconds`: the ratio of the two is the goal's.
        "export_seconds": round(median(r["timed"]["seconds"] for r in runs), 2),
        "export_cpu_seconds": round(median(r["timed"]["cpu_seconds"] for r in runs), 2),
        "export_runs": [round(r["timed"]["seconds"], 2) for r in runs],
        # The whole child process (interpreter start, Django's setup and the export), as before.
        "seconds": round(median(r["seconds"] for r in runs), 1),
        "cpu_seconds": round(median(r["cpu_seconds"] for r in runs), 1),
        "peak_rss_mb": max(r["peak_mb"] for r in runs),
        "django_baseline_rss_mb": baseline["peak_mb"],
        "rows": sum(rows.values()),
        "rows_by_sheet": rows,
        "file_kb": size // 1024,
    }
    if recorded["code"] != 0:
        return {**result, "bare_writer_error": recorded["output"]}
    if any("error" in b for b in bare_runs):
        return {**result, "bare_writer_error": next(b["error"] for b in bare_runs if "error" in b)}
    # Each export run ÷ the writer's run right after it; their median is the goal's figure.
    ratios = [r["timed"]["seconds"] / b["seconds"] for r, b in zip(runs, bare_runs, strict=True)]
    return {
        **result,
        "bare_writer_seconds": round(median(b["seconds"] for b in bare_runs), 2),
        "bare_writer_runs": [round(b["seconds"], 2) for b in bare_runs],
        "export_ratio_runs": [round(ratio, 2) for ratio in ratios],
        "export_ratio": round(median(ratios), 2),
        # The replaying process as a whole (reading the log included), wall and CPU.
        "bare_writer_process_seconds": round(median(b["process_seconds"] for b in bare_runs), 1),
        "bare_writer_process_cpu_seconds": round(median(b["process_cpu_seconds"] for b in bare_runs), 1),
        "bare_writer_peak_rss_mb": max(b["peak_mb"] for b in bare_runs),
        "bare_writer_cells": bare_runs[0]["cells"],
        "bare_writer_formats": bare_runs[0]["formats"],
    }


# The export once more with XlsxWriter tapped (benchmarks/barewriter.py): its cells, in order.
RECORDER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanhai.settings")
import django
django.setup()
from benchmarks.barewriter import record
record(sys.argv[1])
from django.core.management import call_command
call_command("export_assessment", "--year", sys.argv[2], "-o", sys.argv[3], verbosity=0)
"""


def replay(log: Path, out: Path) -> dict:
    """XlsxWriter alone writing the logged cells and formats, in a bare interpreter: the same cells,
    values and formats, written by the library without Django or a query (`benchmarks/barewriter.py`)."""
    run = _child([sys.executable, "-m", "benchmarks.barewriter", str(log), str(out)])
    if run["code"] != 0:
        return {"error": run["output"]}
    figures = json.loads(run["output"].strip().splitlines()[-1])
    return {
        "seconds": figures["seconds"],
        "process_seconds": run["seconds"],
        "process_cpu_seconds": run["cpu_seconds"],
        "peak_mb": run["peak_mb"],
        "cells": figures["cells"],
        "formats": figures["formats"],
    }


def responsibility_table(path: Path, rows: int = 5000) -> None:
    """A 附件2-style responsibility table: 序号 / 重点任务 / 具体事项 / 责任单位 / 完成时限."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("附件2")
    sheet.append(["序号", "重点任务", "具体事项", "责任单位", "完成时限"])
    deadlines = ["每年4月底前", "2026年6月底前", "每年年底前", "持续推进", "2026年三季度前"]
    units = ["县发展和改革局", "县教育局、县卫生健康局", "县商务局", "县农业农村局、县财政局"]
    for n in range(1, rows + 1):
        group = (n - 1) // 50 + 1
        sheet.append(
            [
                n,
                f"重点任务{group}：深化产业协作",
                f"第{n}项具体事项：推进协作项目落地并报送进展",
                units[n % len(units)],
                deadlines[n % len(deadlines)],
            ]
        )
    workbook.save(path)


def import_table(pairing_id: int, rows: int = 5000) -> dict:
    """The responsibility-table import (read, check, write; rolled back) of `rows` rows, and the
    query count of a table a tenth the size (at least 10 rows): the same when nothing runs per row."""
    if "import_tasks" not in get_commands():
        return {"missing": True, "rows": rows}
    small_rows = max(10, rows // 10)
    figures = _import_once(pairing_id, rows)
    small = _import_once(pairing_id, small_rows)
    return {
        **figures,
        "small_rows": small_rows,
        "small_seconds": small["seconds"],
        "small_queries": small["queries"],
        "error": figures["error"] or small["error"],
    }


def _import_once(pairing_id: int, rows: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "责任分工表.xlsx"
        responsibility_table(path, rows)
        started = time.perf_counter()
        try:
            with QueryCounter() as queries:
                call_command(
                    "import_tasks", str(path), "--pairing", str(pairing_id), "--dry-run", verbosity=0
                )
            error = ""
        except Exception as exc:  # noqa: BLE001 — reported in the results, the benchmark goes on
            error = f"{type(exc).__name__}: {exc}"[:300]
        seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": round(seconds, 2), "queries": len(queries), "error": error}


def counts() -> dict:
    from cooperation.models import Pairing, User
    from funds.models import FundCommitment
    from tasks.models import ProgressReport, Task, TaskPeriod

    return {
        "pairings": Pairing.objects.count(),
        "tasks": Task.objects.count(),
        "periods": TaskPeriod.objects.count(),
        "reports": ProgressReport.objects.count(),
        "commitments": FundCommitment.objects.count(),
        "users": User.objects.count(),
    }


def session_cookie() -> str:
    """A signed-in session of a county liaison (the common user: one pairing's tasks), for the load generator."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    liaison = batch_people()["county"]
    store = SessionStore()
    store[SESSION_KEY] = str(liaison.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = liaison.get_session_auth_hash()
    store.set_expiry(24 * 3600)
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def measure(*, repeat: int, export_year: int | None, import_rows: int) -> dict:
    """Everything measured inside the current database."""
    people = batch_people()
    result = {
        "vendor": connection.vendor,
        "counts": counts(),
        "pages": pages(repeat),
        "reminders": reminder_scan(),
        "export": export(export_year or timezone.localdate().year - 1),
        "session_cookie": session_cookie(),
        "measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
    }
    if import_rows:
        result["import"] = import_table(people["pairing"].pk, import_rows)
    return result
