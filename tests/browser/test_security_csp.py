"""The content security policy in a real Chromium: the main pages load without a single violation.

The policy (shanhai/settings.py, SECURE_CSP) allows scripts and styles only as files from this
server. Any inline <script>, on…= handler or style="…" left in a template shows up here as a
"Refused to …" console error, and fails the test with the page and the message.
"""

from __future__ import annotations

import django
import pytest

from .conftest import login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(django.VERSION < (6, 0), reason="Django 5.2 has no built-in CSP (the proxy adds it)"),
]

XSS = "<script>alert(1)</script>"


def _watch(page) -> list[str]:
    """Collects CSP violations: Chromium's console errors and the DOM's securitypolicyviolation events."""
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: (
            seen.append(f"console: {msg.text}")
            if msg.type == "error" and ("Content Security Policy" in msg.text or "Refused to" in msg.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));"
    )
    return seen


def _visit(page, url: str) -> list[str]:
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200, f"{url} → {response and response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, f"{url}: {policy!r}"
    return [f"event: {v}" for v in page.evaluate("window.__csp || []")]


@pytest.mark.slow
def test_main_pages_load_without_a_csp_violation(page, live_server, demo):
    from funds.models import FundCommitment
    from tasks.models import Task

    jy = demo["jy"]
    task = Task.objects.get(pairing=jy, title="推动教育医疗合作")
    commitment = FundCommitment.objects.get(pairing=jy, year=2025)
    seen = _watch(page)
    login(page, live_server, "yx_liaison")
    pages = [
        "/",
        f"/pairings/{jy.pk}/",
        f"/tasks/{task.pk}/",
        f"/tasks/plan/{jy.pk}/",
        "/tasks/",
        "/funds/",
        f"/funds/{commitment.pk}/",
        "/parks/",
        "/projects/",
        "/indicators/",
        "/assessment/",
        "/reminders/",
    ]
    violations = []
    for path in pages:
        before = len(seen)
        events = _visit(page, live_server.url + path)
        violations += [f"{path}: {v}" for v in seen[before:] + events]
    screenshot(page, "csp_last_page")
    assert not violations, "\n".join(violations)
    assert page.outside_requests == []


def test_api_docs_render_under_the_policy(page, live_server, demo):
    seen = _watch(page)
    login(page, live_server, "yx_liaison")
    events = _visit(page, f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    assert page.locator(".swagger-ui .opblock").count() > 50
    screenshot(page, "csp_api_docs")
    assert not seen + events, "\n".join(seen + events)
    assert page.outside_requests == []


def test_former_inline_handlers_still_work(page, live_server, demo):
    """The language <select> lost its onchange="…" and 取消 its href="javascript:history.back()":
    static/js/page.js does both."""
    jy = demo["jy"]
    seen = _watch(page)
    login(page, live_server, "yx_liaison")
    _visit(page, f"{live_server.url}/pairings/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    _visit(page, f"{live_server.url}/pairings/{jy.pk}/")
    _visit(page, f"{live_server.url}/pairings/{jy.pk}/activities/new/")
    with page.expect_navigation():
        page.click("a[data-back]")
    assert page.url.rstrip("/").endswith(f"/pairings/{jy.pk}")
    _visit(page, f"{live_server.url}/tasks/plan/{jy.pk}/")
    with page.expect_navigation():
        page.select_option("select[name=year]", "2025")
    assert "year=2025" in page.url
    assert not seen, "\n".join(seen)


def test_a_status_change_on_the_task_page_is_sent_once(page, live_server, demo):
    """The task page's own data-autosubmit (sent by fetch, static/tasks/tasks.js) is not also submitted
    by the page-wide helper that replaced the inline handlers."""
    from tasks.models import Task, TaskPeriod

    task = Task.objects.get(pairing=demo["jy"], title="推动教育医疗合作")
    task.fulfilment = Task.Fulfilment.REPORTS  # a period with a status control (not ledger-kept)
    task.save()
    period = task.periods.get(year=2026)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/status/" in r.url else None)
    seen = _watch(page)
    login(page, live_server, "yx_liaison")
    _visit(page, f"{live_server.url}/tasks/{task.pk}/")
    page.select_option(f"#period-{period.pk} select[name=status]", "in_progress")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert len(posts) == 1, posts
    assert TaskPeriod.objects.get(pk=period.pk).status == "in_progress"
    assert not seen, "\n".join(seen)


def test_script_in_user_text_never_runs(page, live_server, demo):
    """A task title, unit name, pairing name and report text holding a <script> are shown as text."""
    from cooperation.models import Unit
    from tasks import services
    from tasks.models import ProgressReport, Task

    jy = demo["jy"]
    task = Task.objects.get(pairing=jy, title="推动教育医疗合作")
    Task.objects.filter(pk=task.pk).update(title=f"推动教育医疗合作{XSS}")
    Unit.objects.filter(name="尤溪县教育局").update(short_name=f"尤溪教育{XSS}")
    type(jy).objects.filter(pk=jy.pk).update(name=f"晋江市—尤溪县山海协作{XSS}")
    report = ProgressReport.objects.get(period__task=task, status=ProgressReport.Status.RETURNED)
    services.save_report(report.period, report.created_by, report=report, text=f"两地教师交流{XSS}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _watch(page)
    login(page, live_server, "yx_liaison")
    for path in [f"/pairings/{jy.pk}/", f"/tasks/{task.pk}/", "/tasks/", "/pairings/"]:
        _visit(page, live_server.url + path)
        assert page.get_by_text(XSS, exact=False).count() > 0, f"{path}: the text itself should be shown"
    assert dialogs == []
