"""python manage.py bench — the scale benchmark: seeds two data sets, measures, prints a table.

    bench [--pairings 100] [--tasks-per-pairing 500] [--years 3] [--small-pairings 3]
          [--repeat 20] [--skip-throughput] [--fresh] [-o FILE]

The two data sets (small: --small-pairings, full: --pairings; same tasks per pairing) live in
databases of their own beside the configured one, so the benchmark never writes into real data:
SQLite files under <tmp>/shanhai-bench/, or PostgreSQL databases `<name>_bench_small` and
`<name>_bench_full` when DATABASE_URL is set. They are seeded once (`seed_scale`) and reused while
the parameters and the day are the same (`--fresh` seeds again).

Each data set is measured in a child process (`bench --measure`), run as production runs
(DEBUG=0, collected static files), so the figures are the server's, not the debug toolbar's.
Throughput: gunicorn on loopback with 1 and 2 workers, locust with 20 users for the task list and
for `/healthz` (a minimal Django view: one `SELECT 1`), printed as a ratio.
Results go to benchmarks/results/<date>.json under the database vendor's key.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"

# The goals of issue 21's table (reported next to the figures; the benchmark is not a timed test).
# Server time medians (and p95) of the full data set's pages, in ms; the pairing page's queries.
GOALS_MS = {
    "task_list": (20, None),
    "task_api": (25, 40),
    "my_tasks": (50, None),
    "dashboard": (50, None),
    "funds": (30, None),
    "pairing": (30, None),
}
PAIRING_MAX_QUERIES = 15
THROUGHPUT_RATIO = 0.07  # task list ÷ /healthz requests a second, gunicorn 2 workers, same run
THROUGHPUT_P95_MS = 250
IMPORT_SECONDS = 10
IMPORT_MAX_QUERIES = 200
EXPORT_BARE_FACTOR = (
    1.3  # the export command's own seconds ÷ XlsxWriter's alone on the same cells and formats
)
EXPORT_PEAK_MB = 400
# "Not growing with rows": the full set's peak within this factor of the small set's.
EXPORT_GROWTH = 1.25
SWEEP_SECONDS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✓" if ok else "✗")


class Command(BaseCommand):
    help = "性能基准：生成小、全两个数据集，测量页面、导出、提醒扫描、导入与吞吐量，打印表格并写入 benchmarks/results/。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pairings", type=int, default=100)
        parser.add_argument("--tasks-per-pairing", type=int, default=500)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--small-pairings", type=int, default=3)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--repeat", type=int, default=20, help="每个页面计时的请求次数")
        parser.add_argument(
            "--skip-throughput", action="store_true", help="不做 gunicorn + locust 吞吐量测试"
        )
        parser.add_argument("--throughput-seconds", type=int, default=15)
        parser.add_argument("--users", type=int, default=20, help="并发用户数")
        parser.add_argument("--fresh", action="store_true", help="重新生成两个数据集")
        parser.add_argument("-o", "--output", help="结果文件，默认 benchmarks/results/<日期>.json")
        parser.add_argument("--workdir", help="数据集与中间文件目录，默认 <临时目录>/shanhai-bench")
        parser.add_argument("--import-rows", type=int, default=5000, help="导入测试的行数，默认 5000")
        parser.add_argument(
            "--debug", action="store_true", help="以 DEBUG=1 测量（不收集静态文件；CI 的冒烟测试用）"
        )
        # Internal: measure the current database and write the figures to this file.
        parser.add_argument("--measure", help="（内部）测量当前数据库，结果写入此文件")
        parser.add_argument("--with-import", action="store_true", help="（内部）同时测量 5000 行导入")
        parser.add_argument("--cookie-only", action="store_true", help="（内部）只生成登录会话")
        parser.add_argument(
            "--only-throughput", action="store_true", help="只做吞吐量测试，并入当天结果文件中已有的测量"
        )

    # ------------------------------------------------------------------------------------------
    def handle(self, *args, **options) -> None:
        if options["measure"] and options["cookie_only"]:
            from benchmarks.measure import session_cookie

            Path(options["measure"]).write_text(json.dumps({"session_cookie": session_cookie()}))
            return
        if options["measure"]:
            from benchmarks.measure import measure

            figures = measure(
                repeat=options["repeat"],
                export_year=None,
                import_rows=options["import_rows"] if options["with_import"] else 0,
            )
            Path(options["measure"]).write_text(json.dumps(figures, ensure_ascii=False, indent=1))
            return
        self.options = options
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise CommandError(f"不支持的数据库：{self.vendor}")
        self.as_of = datetime.date.today()
        self.workdir = Path(options["workdir"] or Path(tempfile.gettempdir()) / "shanhai-bench")
        self.workdir.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        if options["only_throughput"]:
            self.only_throughput()
            return
        sizes = {"small": options["small_pairings"], "full": options["pairings"]}
        result: dict = {
            "meta": {
                "date": self.as_of.isoformat(),
                "vendor": self.vendor,
                "cpus": os.cpu_count(),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "sizes": {
                    k: {"pairings": v, "tasks_per_pairing": options["tasks_per_pairing"]}
                    for k, v in sizes.items()
                },
                "years": options["years"],
                "seed": options["seed"],
                "repeat": options["repeat"],
                "debug": options["debug"],
            },
            "seed": {},
            "pages": {},
            "export": {},
            "reminders": {},
            "import": {},
            "throughput": {},
        }
        envs = {}
        for name, pairings in sizes.items():
            self.stdout.write(f"[{name}] 数据集：{pairings} 个结对 × {options['tasks_per_pairing']} 个任务 …")
            env = self.dataset_env(name, pairings)
            envs[name] = env
            result["seed"][name] = self.ensure_seeded(name, env, pairings)
            self.stdout.write(f"[{name}] 测量 …")
            figures = self.measure(env, with_import=name == "full")
            result["meta"].setdefault("counts", {})[name] = figures["counts"]
            result["pages"][name] = figures["pages"]
            result["export"][name] = figures["export"]
            result["reminders"][name] = figures["reminders"]
            if name == "full":
                skipped = {"skipped": True, "rows": 0}
                result["import"] = figures.get(
                    "import", skipped if not options["import_rows"] else {"missing": True}
                )
                self.cookie = figures["session_cookie"]
        if options["skip_throughput"]:
            result["throughput"] = {"skipped": True}
        else:
            result["throughput"] = self.throughput(envs["full"])
        result["meta"]["seconds"] = round(time.monotonic() - started, 1)
        result["targets"] = self.targets(result)
        self.print_table(result)
        self.write(result)

    # --- data sets ----------------------------------------------------------------------------
    def dataset_env(self, name: str, pairings: int) -> dict:
        o = self.options
        # BENCHMARKS=1: the measured processes run this app's seed_scale (it has no pages of its own).
        env = {**os.environ, "LOG_LEVEL": "WARNING", "BENCHMARKS": "1"}
        if o["debug"]:
            env["DEBUG"] = "1"
        else:
            # Production settings for the measured processes (no debug cursor, manifest static files).
            env.update(
                DEBUG="0",
                SECRET_KEY=secrets.token_urlsafe(64),
                ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
                SECURE_SSL_REDIRECT="0",
                STATIC_ROOT=str(self.workdir / "static"),
            )
        key = f"p{pairings}-t{o['tasks_per_pairing']}-y{o['years']}-s{o['seed']}"
        if self.vendor == "sqlite":
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(self.workdir / f"{name}-{key}.sqlite3")
            self.dbname = env["SQLITE_PATH"]
        else:
            db = settings.DATABASES["default"]
            dbname = f"{db['NAME']}_bench_{name}"
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            env["DATABASE_URL"] = (
                f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{dbname}"
            )
        env["_BENCH_MARKER"] = str(self.workdir / f"{self.vendor}-{name}.json")
        env["_BENCH_KEY"] = f"{key}-{self.as_of.isoformat()}"
        return env

    def _exists(self, env: dict) -> bool:
        if self.vendor == "sqlite":
            return Path(env["SQLITE_PATH"]).exists()
        dbname = env["DATABASE_URL"].rsplit("/", 1)[1]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            return cursor.fetchone() is not None

    def _recreate(self, env: dict) -> None:
        if self.vendor == "sqlite":
            Path(env["SQLITE_PATH"]).unlink(missing_ok=True)
            return
        dbname = env["DATABASE_URL"].rsplit("/", 1)[1]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            cursor.execute(f'CREATE DATABASE "{dbname}"')

    def ensure_seeded(self, name: str, env: dict, pairings: int) -> dict:
        o = self.options
        marker = Path(env["_BENCH_MARKER"])
        if not o["fresh"] and marker.exists() and self._exists(env):
            saved = json.loads(marker.read_text())
            if saved.get("key") == env["_BENCH_KEY"]:
                # New migrations (indexes) still apply to a kept data set.
                self.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
                self.stdout.write(f"[{name}] 沿用已生成的数据集（{saved['seconds']} 秒生成）")
                return {**saved, "reused": True}
        self._recreate(env)
        self.migrate_empty(env)
        started = time.monotonic()
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "seed_scale",
                "--pairings",
                str(pairings),
                "--tasks-per-pairing",
                str(o["tasks_per_pairing"]),
                "--years",
                str(o["years"]),
                "--seed",
                str(o["seed"]),
                "--as-of",
                self.as_of.isoformat(),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output = process.stdout.read().decode("utf-8", "replace")
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise CommandError(f"seed_scale 失败：\n{output[-3000:]}")
        seeded = {
            "key": env["_BENCH_KEY"],
            "seconds": round(time.monotonic() - started, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "summary": output.strip().splitlines()[-1],
        }
        marker.write_text(json.dumps(seeded, ensure_ascii=False))
        self.stdout.write(f"[{name}] {seeded['summary']}")
        return {**seeded, "reused": False}

    def migrate_empty(self, env: dict) -> None:
        """Migrate a new database; on SQLite, copy one migrated file for both data sets."""
        if self.vendor != "sqlite":
            self.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
            return
        state = "".join(f"{p}:{p.stat().st_size};" for p in sorted(ROOT.glob("*/migrations/0*.py")))
        template = self.workdir / f"migrated-{hashlib.sha1(state.encode()).hexdigest()[:12]}.sqlite3"
        if not template.exists():
            self.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                {**env, "SQLITE_PATH": str(template)},
            )
        shutil.copyfile(template, env["SQLITE_PATH"])

    def run(self, args: list[str], env: dict) -> str:
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            raise CommandError(f"{' '.join(args[1:3])} 失败：\n{(done.stdout + done.stderr)[-3000:]}")
        return done.stdout

    def collectstatic(self, env: dict) -> None:
        """Collected static files for DEBUG=0, collected again when a project's static file changed."""
        manifest = self.workdir / "static" / "staticfiles.json"
        sources = [ROOT / "static", *ROOT.glob("*/static")]
        newest = max((f.stat().st_mtime for d in sources for f in d.rglob("*") if f.is_file()), default=0)
        if not manifest.exists() or manifest.stat().st_mtime < newest:
            self.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    def measure(self, env: dict, *, with_import: bool) -> dict:
        if not self.options["debug"]:
            self.collectstatic(env)
        out = self.workdir / f"measure-{self.vendor}.json"
        args = [
            sys.executable,
            "manage.py",
            "bench",
            "--measure",
            str(out),
            "--repeat",
            str(self.options["repeat"]),
            "--import-rows",
            str(self.options["import_rows"]),
        ]
        self.run(args + (["--with-import"] if with_import else []), env)
        return json.loads(out.read_text())

    # --- throughput ---------------------------------------------------------------------------
    def only_throughput(self) -> None:
        env = self.dataset_env("full", self.options["pairings"])
        self.ensure_seeded("full", env, self.options["pairings"])
        if not self.options["debug"]:
            self.collectstatic(env)
        out = self.workdir / f"cookie-{self.vendor}.json"
        self.run([sys.executable, "manage.py", "bench", "--measure", str(out), "--cookie-only"], env)
        self.cookie = json.loads(out.read_text())["session_cookie"]
        figures = self.throughput(env)
        path = self.result_path()
        existing = json.loads(path.read_text()) if path.exists() else {}
        entry = existing.setdefault(self.vendor, {"meta": {"date": self.as_of.isoformat()}})
        entry["throughput"] = figures
        if "pages" in entry:
            entry["targets"] = self.targets(entry)
        path.write_text(json.dumps(existing, ensure_ascii=False, indent=1) + "\n")
        for workers in (1, 2):
            row = figures[f"workers_{workers}"]
            a, b = row["task_list"], row["minimal"]
            self.stdout.write(
                f"吞吐量（gunicorn {workers} worker，{figures['users']} 并发）：任务列表 {a['rps']} 次/秒 p95 {a['p95_ms']} ms；"
                f"/healthz {b['rps']} 次/秒 p95 {b['p95_ms']} ms；比值 {row.get('ratio')}"
            )
        self.stdout.write(f"已写入 {path}（键 “{self.vendor}” 的 throughput）")

    def result_path(self) -> Path:
        if self.options["output"]:
            return Path(self.options["output"])
        return RESULTS / f"{self.as_of.isoformat()}.json"

    def throughput(self, env: dict) -> dict:
        results = {"users": self.options["users"], "seconds": self.options["throughput_seconds"]}
        for workers in (1, 2):
            port = free_port()
            log = (self.workdir / f"gunicorn-{workers}.log").open("wb")
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "shanhai.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                self.wait_for(f"http://127.0.0.1:{port}/healthz")
                row = {}
                for key, path in (("task_list", "/tasks/"), ("minimal", "/healthz")):
                    self.stdout.write(f"吞吐量：{workers} 个 worker，{path} …")
                    row[key] = self.locust(port, path)
                    # Let the server finish the requests still queued before the next run starts.
                    self.wait_for(f"http://127.0.0.1:{port}/healthz", quick=True)
                row["minimal_view"] = "/healthz (SELECT 1)"
                row["user"] = "county liaison (one pairing)"
                if row["minimal"].get("rps"):
                    row["ratio"] = round(row["task_list"]["rps"] / row["minimal"]["rps"], 2)
                results[f"workers_{workers}"] = row
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
                log.close()
        return results

    def wait_for(self, url: str, timeout: float = 120, quick: bool = False) -> None:
        """Until `url` answers 200 (with `quick`: within half a second, i.e. the server is idle)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                asked = time.monotonic()
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200 and (not quick or time.monotonic() - asked < 0.5):
                        return
            except OSError:
                time.sleep(0.3)
        raise CommandError(f"gunicorn 未能启动：{url}")

    def locust(self, port: int, path: str) -> dict:
        prefix = self.workdir / f"locust-{port}-{path.strip('/') or 'root'}"
        env = {**os.environ, "BENCH_PATH": path, "BENCH_COOKIE": self.cookie}
        users = str(self.options["users"])
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                users,
                "-r",
                users,
                "-t",
                f"{self.options['throughput_seconds']}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=self.options["throughput_seconds"] + 60,
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
        return {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "median_ms": float(row["50%"]) if row["50%"] != "N/A" else None,
            "p95_ms": float(row["95%"]) if row["95%"] != "N/A" else None,
        }

    # --- targets and output -------------------------------------------------------------------
    def targets(self, r: dict) -> list[dict]:
        """Every goal of the issue's table with its figure (ok: True ✓, False ✗, None not measured),
        then every query count of the small and full data sets side by side (equal: ✓)."""
        checks: list[dict] = []

        def check(what: str, target: str, value, ok: bool | None) -> None:
            checks.append({"what": what, "target": target, "value": value, "ok": ok})

        small, full = r["pages"]["small"], r["pages"]["full"]
        for key, (median, p95) in GOALS_MS.items():
            page = full.get(key) or {"label": key, "missing": True}
            if page.get("missing"):
                check(page["label"], "页面存在", "missing", None)
                continue
            check(
                f"{page['label']} 中位数",
                f"≤ {median} ms",
                f"{page['median_ms']} ms",
                page["median_ms"] <= median,
            )
            if p95 is not None:
                check(f"{page['label']} p95", f"≤ {p95} ms", f"{page['p95_ms']} ms", page["p95_ms"] <= p95)
        pairing = full.get("pairing") or {}
        if not pairing.get("missing"):
            check(
                f"{pairing.get('label', 'pairing')} 查询数",
                f"≤ {PAIRING_MAX_QUERIES}",
                pairing.get("queries"),
                pairing.get("queries", PAIRING_MAX_QUERIES + 1) <= PAIRING_MAX_QUERIES,
            )

        row = r["throughput"].get("workers_2")
        if row and "ratio" in row:
            check(
                "任务列表吞吐量 / /healthz（2 个 worker）",
                f"≥ {THROUGHPUT_RATIO}",
                row["ratio"],
                row["ratio"] >= THROUGHPUT_RATIO,
            )
            p95 = row["task_list"].get("p95_ms")
            check(
                "任务列表 p95（2 个 worker，并发）",
                f"≤ {THROUGHPUT_P95_MS} ms",
                f"{p95} ms",
                p95 is not None and p95 <= THROUGHPUT_P95_MS,
            )
        else:
            check(
                "任务列表吞吐量 / /healthz（2 个 worker）",
                f"≥ {THROUGHPUT_RATIO}，p95 ≤ {THROUGHPUT_P95_MS} ms",
                "未测（--skip-throughput）",
                None,
            )

        i = r["import"]
        if i.get("skipped") or i.get("missing"):
            check("责任分解表导入", f"≤ {IMPORT_SECONDS} s，≤ {IMPORT_MAX_QUERIES} 次查询", "未测", None)
        else:
            ok = not i.get("error")
            check(
                f"导入 {i['rows']} 行 用时",
                f"≤ {IMPORT_SECONDS} s",
                f"{i['seconds']} s",
                ok and i["seconds"] <= IMPORT_SECONDS,
            )
            check(
                f"导入 {i['rows']} 行 查询数",
                f"≤ {IMPORT_MAX_QUERIES}",
                i["queries"],
                ok and i["queries"] <= IMPORT_MAX_QUERIES,
            )

        export, export_small = r["export"]["full"], r["export"]["small"]
        if "error" in export or "error" in export_small:
            check("考核表导出", "成功", "error", False)
        else:
            bare = export.get("bare_writer_seconds")
            if bare:
                # Like for like: the export command's own seconds (timed inside its process, without
                # the interpreter's start and Django's setup) against the bare writer's, timed from
                # opening the workbook to closing it. Older results have only the process's seconds.
                seconds = export.get("export_seconds", export["seconds"])
                if "export_ratio" in export:
                    # Runs in turn, export then writer: the median of the pairs' ratios.
                    factor = export["export_ratio"]
                    shown = (
                        f"{factor}×（逐对比值 {' / '.join(map(str, export['export_ratio_runs']))}；"
                        f"中位数 {seconds} s ÷ {bare} s）"
                    )
                else:
                    factor = round(seconds / bare, 2)
                    shown = f"{seconds} s ÷ {bare} s = {factor}×"
                check(
                    "考核表导出 用时 ÷ XlsxWriter 单独写同样单元格",
                    f"≤ {EXPORT_BARE_FACTOR}×",
                    shown,
                    factor <= EXPORT_BARE_FACTOR,
                )
            else:
                check(
                    "考核表导出 ÷ XlsxWriter 单独",
                    f"≤ {EXPORT_BARE_FACTOR}×",
                    export.get("bare_writer_error", "未测")[-200:],
                    None,
                )
            check(
                "考核表导出 内存峰值",
                f"< {EXPORT_PEAK_MB} MB",
                f"{export['peak_rss_mb']} MB",
                export["peak_rss_mb"] < EXPORT_PEAK_MB,
            )
            check(
                "考核表导出 内存不随行数增长",
                f"全 ≤ {EXPORT_GROWTH}× 小",
                f"{export_small['peak_rss_mb']} → {export['peak_rss_mb']} MB（{export_small['rows']} → {export['rows']} 行）",
                export["peak_rss_mb"] <= EXPORT_GROWTH * export_small["peak_rss_mb"],
            )

        sweep, sweep_small = r["reminders"]["full"], r["reminders"]["small"]
        check(
            "提醒扫描 用时",
            f"< {SWEEP_SECONDS} s",
            f"{sweep['sweep_seconds']} s",
            sweep["sweep_seconds"] < SWEEP_SECONDS,
        )

        # Every query count the same at both sizes: pages, the sweep, the import (rows ÷ 10 vs rows).
        for key, page in full.items():
            if page.get("missing") or small.get(key, {}).get("missing"):
                continue
            check(
                f"{page['label']} 查询数 小 = 全",
                "相同",
                f"{small[key]['queries']} / {page['queries']}",
                small[key]["queries"] == page["queries"],
            )
        check(
            "提醒扫描 查询数 小 = 全",
            "相同",
            f"{sweep_small['sweep_queries']} / {sweep['sweep_queries']}",
            sweep_small["sweep_queries"] == sweep["sweep_queries"],
        )
        if "small_queries" in i:
            check(
                f"导入 查询数 {i['small_rows']} 行 = {i['rows']} 行",
                "相同",
                f"{i['small_queries']} / {i['queries']}",
                i["small_queries"] == i["queries"],
            )
        return checks

    def print_table(self, r: dict) -> None:
        w = self.stdout.write
        counts = r["meta"]["counts"]
        w("")
        w(f"数据库 {r['meta']['vendor']}，{r['meta']['cpus']} 核，负载 {r['meta']['load_average']}")
        for name in ("small", "full"):
            c, s = counts[name], r["seed"][name]
            w(
                f"  {name}: {c['pairings']} 结对 / {c['tasks']:,} 任务 / {c['periods']:,} 任务年度 / {c['reports']:,} 报告；"
                f"生成 {s['seconds']} s（CPU {s['cpu_seconds']} s{'，沿用' if s.get('reused') else ''}）"
            )
        w("")
        w(
            f"{'页面':<22}{'小：中位/p95 ms':>18}{'查询':>6}{'全：中位/p95 ms':>18}{'查询':>6}{'全：CPU ms':>10}"
        )
        for key, page in r["pages"]["full"].items():
            small = r["pages"]["small"][key]
            if page.get("missing"):
                w(f"{page['label']:<22}{'missing':>18}")
                continue
            w(
                f"{page['label']:<22}{small['median_ms']:>10} / {small['p95_ms']:<6}{small['queries']:>6}"
                f"{page['median_ms']:>10} / {page['p95_ms']:<6}{page['queries']:>6}{page.get('cpu_median_ms', '—'):>10}"
            )
        for name in ("small", "full"):
            e = r["export"][name]
            if "error" in e:
                w(f"考核表导出（{name}）：失败 {e['error'][-300:]}")
            else:
                w(
                    f"考核表导出（{name}，{e['pairings']} 个结对，{e['year']} 年）：导出 {e.get('export_seconds', '—')} s（CPU {e.get('export_cpu_seconds', '—')} s），"
                    f"进程 {e['seconds']} s（CPU {e.get('cpu_seconds', '—')} s），峰值 {e['peak_rss_mb']} MB"
                    f"（Django 启动 {e['django_baseline_rss_mb']} MB），{e['rows']:,} 行；"
                    f"XlsxWriter 单独写同样 {e.get('bare_writer_cells', '—')} 个单元格 {e.get('bare_writer_seconds', '—')} s"
                    # Each the median of alternate runs: the runs themselves, export then writer.
                    + (
                        f"（轮流各 {len(e['export_runs'])} 次取中位数：导出 {' / '.join(map(str, e['export_runs']))} s，"
                        f"XlsxWriter {' / '.join(map(str, e['bare_writer_runs']))} s）"
                        if e.get("bare_writer_runs")
                        else ""
                    )
                )
        for name in ("small", "full"):
            s = r["reminders"][name]
            w(
                f"提醒扫描（{name}）：当天 {s['sweep_seconds']} s（CPU {s.get('sweep_cpu_seconds', '—')} s）/ {s['sweep_queries']} 次查询；"
                f"全部 {s['deadlines']:,} 个期限 {s['all_deadlines_seconds']} s / {s['all_deadlines_queries']} 次查询"
            )
        i = r["import"]
        if i.get("skipped"):
            w("导入：跳过（--import-rows 0）")
        elif i.get("missing"):
            w(f"导入 {i['rows']} 行责任分工表：missing（没有 import_tasks 命令）")
        else:
            w(
                f"导入 {i['rows']} 行责任分工表（--dry-run）：{i['seconds']} s，{i['queries']} 次查询"
                f"（{i.get('small_rows', '—')} 行：{i.get('small_seconds', '—')} s，{i.get('small_queries', '—')} 次查询）{i.get('error') or ''}"
            )
        t = r["throughput"]
        if t.get("skipped"):
            w("吞吐量：跳过")
        else:
            for workers in (1, 2):
                row = t[f"workers_{workers}"]
                a, b = row["task_list"], row["minimal"]
                w(
                    f"吞吐量（gunicorn {workers} worker，{t['users']} 并发）：任务列表 {a['rps']} 次/秒 p95 {a['p95_ms']} ms；"
                    f"/healthz {b['rps']} 次/秒 p95 {b['p95_ms']} ms；比值 {row.get('ratio')}"
                )
        w("")
        w("目标：")
        for check in r["targets"]:
            w(f"  {mark(check['ok'])} {check['what']}：{check['value']}（目标 {check['target']}）")

    def write(self, r: dict) -> None:
        path = self.result_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing[self.vendor] = r
        path.write_text(json.dumps(existing, ensure_ascii=False, indent=1) + "\n")
        self.stdout.write(f"\n已写入 {path}（键 “{self.vendor}”）")
