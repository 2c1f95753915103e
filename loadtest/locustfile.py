"""The load scenario: liaison staff and reporters working in the tracker at the same time.

Liaison staff (jj_liaison, yx_liaison, wz_liaison) open the pairing list and a pairing page, filter
the task list, read tasks, look at the funds, approve the reports waiting for them and note progress
on a period. Reporters (yx_reporter, jj_reporter, jj_finance) open 我的任务, open their tasks and
submit progress reports with text. Every page and form is the one a browser uses; forms post the
CSRF token and the version they were shown, as the pages do.

    .venv/bin/python loadtest/run.py --users 20 --run-time 30s      # prepares everything, runs this
    locust -f loadtest/locustfile.py --host http://127.0.0.1:8000   # by hand, against a demo server

Sign-in: with SHANHAI_SESSIONS (a JSON file of session cookies per account, written by run.py)
each simulated user takes one; without it, each logs in through the login form with the demo
password (SHANHAI_PASSWORD, default `shanhai-demo`).

A failure is any answer a user would see as an error: a 5xx, an unexpected 4xx, a redirect to the
login page, a form answered with {"ok": false}. Two liaison officers approving the same report at
the same moment is normal: the loser's 409 (or "只能审核已提交的报告") counts as handled.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

PASSWORD = os.environ.get("SHANHAI_PASSWORD", "shanhai-demo")
_SESSIONS = (
    json.loads(open(os.environ["SHANHAI_SESSIONS"]).read()) if os.environ.get("SHANHAI_SESSIONS") else {}
)
_counters: dict[str, itertools.count] = {}
_lock = threading.Lock()

TASK_LINK = re.compile(r'href="/tasks/(\d+)/(?:#[^"]*)?"')
PAIRING_LINK = re.compile(r'href="/pairings/(\d+)/"')
COMMITMENT_LINK = re.compile(r'href="/funds/(\d+)/"')
REPORT_FORM = re.compile(r'action="/tasks/periods/(\d+)/reports/new/"')
APPROVE_FORM = re.compile(
    r'action="/tasks/reports/(\d+)/approve/"[^>]*>.*?name="version" value="(\d+)"', re.S
)
STATUS_FORM = re.compile(
    r'action="/tasks/periods/(\d+)/status/"[^>]*>.*?name="version" value="(\d+)".*?'
    r'<option value="(\w+)" selected',
    re.S,
)
UNIT_OPTION = re.compile(r'<select name="unit"[^>]*>(.*?)</select>', re.S)

REPORT_TEXTS = [
    "本月组织教师赴晋江跟岗学习，完成第一批 12 人次交流。",
    "已召开对接会，明确年度合作项目清单，正在推进项目签约。",
    "完成产业园区招商推介 1 次，新增意向项目 2 个。",
    "协作资金已按计划拨付，项目建设进度约 60%。",
]


def next_session(account: str) -> str | None:
    sessions = _SESSIONS.get(account, {}).get("sessions") or []
    if not sessions:
        return None
    with _lock:
        counter = _counters.setdefault(account, itertools.count())
        return sessions[next(counter) % len(sessions)]


class Person(HttpUser):
    abstract = True
    accounts: list[str] = []
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.account = random.choice(self.accounts)
        session = next_session(self.account)
        if session:
            self.client.cookies.set("sessionid", session)
        else:
            self.log_in()
        self.task_ids: list[int] = []
        # A GET sets the CSRF cookie the forms need; it is also the first page everybody opens.
        self.page("/tasks/mine/", "我的任务")

    def log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="登录页")
        self.keep_cookies()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": self.account, "password": PASSWORD},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="登录",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("login refused")
        self.keep_cookies()

    def keep_cookies(self) -> None:
        """Production cookies are Secure (TLS ends at the proxy); on loopback we speak HTTP, so keep
        sending them: the same cookies, without the flag."""
        for cookie in list(self.client.cookies):
            if cookie.secure:
                self.client.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)

    def page(self, path: str, name: str) -> str:
        """GET a page as a browser would; anything but a 200 page of the app is a failure."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return ""
            if "/accounts/login/" in response.url:
                response.failure("signed out (redirected to the login page)")
                return ""
        self.keep_cookies()
        return response.text

    def post_form(self, path: str, data: dict, name: str, expected_refusals: tuple[str, ...] = ()) -> bool:
        """POST a page form the way the page's script does (JSON answer); True when it was accepted."""
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Accept": "application/json",
            "Referer": f"{self.host}{path}",
        }
        with self.client.post(path, data=data, headers=headers, name=name, catch_response=True) as response:
            try:
                answer = response.json()
            except ValueError:
                response.failure(f"HTTP {response.status_code}, not JSON")
                return False
            if response.status_code == 200 and answer.get("ok"):
                return True
            message = answer.get("message", "")
            if response.status_code in (400, 409) and any(text in message for text in expected_refusals):
                response.success()  # lost a race another user won: the page tells him so
                return False
            response.failure(f"HTTP {response.status_code}: {message[:200]}")
            return False

    def remember_tasks(self, html: str) -> None:
        found = {int(pk) for pk in TASK_LINK.findall(html)}
        self.task_ids = sorted(set(self.task_ids) | found)[-200:]

    def open_a_task(self) -> tuple[int | None, str]:
        if not self.task_ids:
            self.remember_tasks(self.page("/tasks/", "任务列表"))
        if not self.task_ids:
            return None, ""
        pk = random.choice(self.task_ids)
        return pk, self.page(f"/tasks/{pk}/", "任务页")


class Liaison(Person):
    """联络员: reads the pairing and its work, approves reports, notes progress."""

    accounts = ["jj_liaison", "yx_liaison", "wz_liaison"]
    weight = 1

    @task(2)
    def pairing_pages(self) -> None:
        html = self.page("/pairings/", "结对列表")
        pairings = PAIRING_LINK.findall(html)
        if pairings:
            self.page(f"/pairings/{random.choice(pairings)}/", "结对页")

    @task(4)
    def task_list_with_filters(self) -> None:
        html = self.page("/tasks/", "任务列表")
        self.remember_tasks(html)
        units = UNIT_OPTION.search(html)
        unit_ids = re.findall(r'<option value="(\d+)"', units.group(1)) if units else []
        query = random.choice(
            [
                "?overdue=true",
                "?status=in_progress",
                "?year=2025",
                "?due_within=30",
                "?q=教育",
                "?q=园区&year=2025",
                f"?unit={random.choice(unit_ids)}" if unit_ids else "?status=not_started",
            ]
        )
        self.remember_tasks(self.page(f"/tasks/{query}", "任务列表（筛选）"))

    @task(4)
    def read_a_task(self) -> None:
        self.open_a_task()

    @task(2)
    def funds(self) -> None:
        html = self.page("/funds/", "资金")
        commitments = COMMITMENT_LINK.findall(html)
        if commitments:
            self.page(f"/funds/{random.choice(commitments)}/", "资金承诺页")

    @task(3)
    def approve_waiting_reports(self) -> None:
        mine = self.page("/tasks/mine/", "我的任务")
        section = re.search(r'id="to-review".*?</section>', mine, re.S)
        waiting = TASK_LINK.findall(section.group(0)) if section else []
        if not waiting:
            return
        html = self.page(f"/tasks/{random.choice(waiting)}/", "任务页")
        forms = APPROVE_FORM.findall(html)
        if forms:
            report, version = random.choice(forms)
            self.post_form(
                f"/tasks/reports/{report}/approve/",
                {"version": version},
                "审核通过报告",
                expected_refusals=("已被其他人修改", "只能审核已提交的报告"),
            )

    @task(1)
    def note_progress(self) -> None:
        _pk, html = self.open_a_task()
        forms = STATUS_FORM.findall(html)
        if forms:
            period, version, status = random.choice(forms)
            self.post_form(
                f"/tasks/periods/{period}/status/",
                {"version": version, "status": status, "note": "联络员跟进：已与责任单位电话沟通进度。"},
                "记录进展说明",
                expected_refusals=("已被其他人修改",),
            )


class Reporter(Person):
    """填报员: his tasks, and progress reports on them."""

    accounts = ["yx_reporter", "jj_reporter", "jj_finance"]
    weight = 2

    def on_start(self) -> None:
        super().on_start()
        self.reportable: list[int] = []

    @task(3)
    def my_tasks(self) -> None:
        self.remember_tasks(self.page("/tasks/mine/", "我的任务"))

    @task(4)
    def open_a_task_and_note_where_to_report(self) -> None:
        pk, html = self.open_a_task()
        if pk and REPORT_FORM.search(html):
            self.reportable = sorted(set(self.reportable) | {pk})

    @task(2)
    def submit_a_report(self) -> None:
        if not self.reportable:
            # Find one: his unit's tasks are those whose page offers the report form.
            for _ in range(5):
                pk, html = self.open_a_task()
                if pk and REPORT_FORM.search(html):
                    self.reportable.append(pk)
                    break
            else:
                return
        else:
            html = self.page(f"/tasks/{random.choice(self.reportable)}/", "任务页")
        periods = REPORT_FORM.findall(html)
        if not periods:
            return
        period = random.choice(periods)
        prefix = f"p{period}"
        self.post_form(
            f"/tasks/periods/{period}/reports/new/",
            {"prefix": prefix, f"{prefix}-text": random.choice(REPORT_TEXTS), "action": "submit"},
            "提交进展报告",
        )
