"""Each persona's day in Chromium, at 1366×768 (a desk) and 390×844 (a phone), with screenshots in
test-artifacts/ (daily_*.png):

- reporter: 工作台 → writes this year's report → it is returned → edits it → submits it again;
- liaison: 工作台 → the review queue → approves several at once → 催办 by hand → the ladder over
  the following days (the sweep run for fixed dates) → the notices page in colours;
- leader: 工作台, and the English top bar on one row at 1366 px.

On every page: no request leaves the server, no JavaScript error, every select has a label, and
nothing is wider than the window.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
ONE_ROW = 60  # px: the top bar's height when everything fits on one row (52 px at least)

# Every <select> has a name a screen reader says: a <label for>, a wrapping <label> or aria-label
# (for a searchable select, its search box takes the same name).
UNLABELLED_SELECTS = """() => Array.from(document.querySelectorAll('select')).filter(s => {
  if (s.getAttribute('aria-label') || s.closest('label')) return false;
  return !(s.id && document.querySelector('label[for="' + s.id + '"]'));
}).map(s => s.name || s.id)"""

# What sticks out to the right of the window (a phone's page must not scroll sideways).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    if (!r.width || r.right <= width + 1) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden'].includes(style.overflowX) && p !== document.body) return false;
    }
    return true;
  }).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 30))
}"""


def open_page(browser, live_server, viewport, username, language="zh-CN"):
    context = browser.new_context(locale=language, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.outside_requests = []
    page.errors = []
    page.on(
        "request",
        lambda r: (
            page.outside_requests.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    login(page, live_server, username)
    return page


def posted(response) -> bool:
    """The answer to a form the page sends by fetch (the task page's forms)."""
    return response.request.method == "POST" and "/reports/" in response.url


def check(page, name: str, *, phone: bool = False) -> None:
    """The page as a person sees it: saved, labelled, within the window, nothing from outside."""
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    assert page.evaluate(UNLABELLED_SELECTS) == [], name
    if phone:
        assert page.evaluate(OVERFLOW) == [], name
    assert page.outside_requests == [], name
    assert page.errors == [], name


@pytest.fixture
def demo_data(db):
    call_command("load_demo", "--quiet")


def test_the_reporters_day(browser, live_server, demo_data):
    from cooperation.models import User
    from tasks import services
    from tasks.demo import PNG
    from tasks.models import ProgressReport

    # On the phone: the landing page and a task page with its long history folded.
    phone = open_page(browser, live_server, PHONE, "yx_reporter")
    assert phone.url.endswith("/workbench/")
    check(phone, "daily_reporter_workbench_390", phone=True)
    phone.locator("#wb-due-soon a").first.click()
    check(phone, "daily_reporter_task_390", phone=True)
    assert phone.locator("details.period[open]").count() == 1  # this year's card open, the others one line
    assert phone.locator("#history > table.history tbody tr").count() == 5  # the newest rows ...
    assert (
        "更早的" in phone.locator("#history details.history-older > summary").inner_text()
    )  # ... the rest folded
    phone.context.close()

    page = open_page(browser, live_server, DESK, "yx_reporter")
    assert page.url.endswith("/workbench/")
    check(page, "daily_reporter_workbench_1366")
    page.locator("#wb-due-soon a").first.click()
    page.wait_for_load_state("networkidle")
    card = page.locator("details.period[open]")
    card.locator("details.newreport > summary").click()
    text = "2026年11月组织教师跟岗学习一次。"
    form = card.locator("details.newreport form")
    form.locator("textarea").first.fill(text)
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "跟岗学习现场照片.png", "mimeType": "image/png", "buffer": PNG}]
    )
    form.locator("select[name$=evidence_kind]").select_option(label="现场照片")
    with page.expect_response(posted):
        form.locator("button[value=submit]").click()
    page.locator("details.period[open] .report .report-status", has_text="已提交").wait_for()
    report = ProgressReport.objects.get(text=text)
    assert report.status == ProgressReport.Status.SUBMITTED
    check(page, "daily_reporter_submitted_1366")

    # The liaison returns it; the reporter sees it on his 工作台 and corrects the same report.
    services.return_report(report, User.objects.get(username="yx_liaison"), reason="请补充时间、人数。")
    page.goto(f"{live_server.url}/workbench/")
    returned = page.locator("#wb-returned tr", has_text="请补充时间、人数。")
    assert returned.count() == 1
    check(page, "daily_reporter_returned_1366")
    returned.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    edit = page.locator(f"#edit-report-{report.pk}")
    assert edit.get_attribute("open") is not None and "请补充时间、人数。" in edit.inner_text()
    check(page, "daily_reporter_edit_1366")
    edit.locator("textarea").first.fill(text + "11月18日—22日，8名教师。")
    with page.expect_response(posted):
        edit.locator("button[value=submit]").click()
    # The page shows the report submitted again, without the edit form, where the person looks.
    page.locator(f"#report-{report.pk} .report-status", has_text="已提交").wait_for()
    assert page.locator(f"#edit-report-{report.pk}").count() == 0
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED and "8名教师" in report.text
    assert ProgressReport.objects.filter(period=report.period, unit=report.unit).count() == 1
    texts = [h.text for h in report.history.all()]
    assert text in texts and report.text in texts  # both versions in the history
    check(page, "daily_reporter_resubmitted_1366")
    page.context.close()


def test_the_liaisons_day(browser, live_server, demo_data):
    from reminders import engine
    from reminders.models import Level, UrgingNotice
    from tasks.models import ProgressReport

    today = timezone.localdate()
    phone = open_page(browser, live_server, PHONE, "yx_liaison")
    check(phone, "daily_liaison_workbench_390", phone=True)
    phone.context.close()

    page = open_page(browser, live_server, DESK, "yx_liaison")
    assert page.url.endswith("/workbench/")
    check(page, "daily_liaison_workbench_1366")
    lamp = page.locator("#wb-units tr[data-light=red] .lamp").first
    assert lamp.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(229, 62, 62)"  # a red lamp

    # The review queue: approve every report he did not write himself, at once.
    page.goto(f"{live_server.url}/tasks/mine/#to-review")
    boxes = page.locator("#bulk-review input[name=report]")
    assert page.locator(".mainnav a.active").all_inner_texts() == ["我的任务"]  # one current menu entry
    chosen = [int(boxes.nth(i).get_attribute("value")) for i in range(boxes.count())]
    assert chosen, "the demo has submitted reports to review"
    check(page, "daily_liaison_review_queue_1366")
    page.locator("#bulk-review [data-check-all]").check()
    page.locator("#bulk-review button[value=approve]").click()
    page.wait_for_load_state("networkidle")
    assert set(ProgressReport.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {"approved"}
    check(page, "daily_liaison_bulk_approved_1366")

    # 催办 by hand from the list of overdue items.
    page.goto(f"{live_server.url}/reminders/overdue/")
    check(page, "daily_liaison_overdue_1366")
    page.locator("#overdue a.button", has_text="催办").first.click()
    page.wait_for_load_state("networkidle")
    if page.locator("select[name=unit] option").count() > 1:
        page.select_option("select[name=unit]", index=1)
    page.fill("textarea[name=message]", "请于三日内报送办理进展，并附佐证材料。")
    page.fill("input[name=reply_by]", (today + datetime.timedelta(days=3)).isoformat())
    check(page, "daily_liaison_urge_form_1366")
    page.locator("#urge button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    by_hand = UrgingNotice.objects.get(issued_by__username="yx_liaison")
    assert by_hand.level == Level.URGE and by_hand.message.startswith("请于三日内")

    # The ladder, one rung a day at most: the first sweep issues 提示 / 催办 only, never 督办.
    engine.sweep(today)
    assert not UrgingNotice.objects.filter(level=Level.SUPERVISE).exists()
    levels_then = dict(UrgingNotice.objects.values_list("pk", "level"))
    for days in range(1, 8):
        engine.sweep(today + datetime.timedelta(days=days))
        now = dict(UrgingNotice.objects.values_list("pk", "level"))
        order = [Level.PROMPT, Level.URGE, Level.SUPERVISE]
        assert all(order.index(now[pk]) - order.index(level) <= 1 for pk, level in levels_then.items())
        levels_then = now
    by_hand.refresh_from_db()
    assert by_hand.level == Level.SUPERVISE and by_hand.escalation_reason  # unsigned: went up to 督办
    page.goto(f"{live_server.url}/reminders/notices/")
    assert page.locator("#notices tr[data-level=supervise]").count() >= 1
    check(page, "daily_liaison_notices_1366")
    page.context.close()


def test_the_leaders_day_and_the_english_top_bar(browser, live_server, demo_data):
    phone = open_page(browser, live_server, PHONE, "leader")
    check(phone, "daily_leader_workbench_390", phone=True)
    phone.context.close()

    page = open_page(browser, live_server, DESK, "leader")
    assert "/dashboard/" in page.url  # the leader's 工作台 is his pairing's one-pager
    check(page, "daily_leader_workbench_1366")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    check(page, "daily_leader_workbench_en_1366")
    assert page.locator("header.topbar").bounding_box()["height"] <= ONE_ROW, "the English top bar wraps"
    page.context.close()

    liaison = open_page(browser, live_server, DESK, "yx_liaison", language="en-US")
    with liaison.expect_navigation():
        liaison.select_option("select[name=language]", "en")
    liaison.wait_for_load_state("networkidle")
    check(liaison, "daily_liaison_workbench_en_1366")
    assert liaison.locator("header.topbar").bounding_box()["height"] <= ONE_ROW, "the English top bar wraps"
    liaison.context.close()


def test_amounts_are_grouped_as_typed_and_long_selects_are_searchable(browser, live_server, demo_data):
    from decimal import Decimal

    from funds.models import Disbursement, FundCommitment

    commitment = FundCommitment.objects.filter(pairing__name="晋江市—尤溪县山海协作", paid_total=0).first()
    page = open_page(browser, live_server, DESK, "jj_liaison")
    page.goto(f"{live_server.url}/funds/{commitment.pk}/pay/")
    amount = page.locator("input[name=amount]")
    amount.press_sequentially("12000000")
    assert amount.input_value() == "12,000,000"
    assert page.locator("output.money-wan").inner_text() == "= 1,200 万元"
    amount.press("Home")
    amount.press("Delete")  # the 1 goes; the separators follow the digits
    assert (
        amount.input_value() == "2,000,000" and page.locator("output.money-wan").inner_text() == "= 200 万元"
    )
    amount.fill("")
    amount.press_sequentially("1200000.5")
    page.fill("input[name=date]", "2026-01-05")
    check(page, "daily_money_input_1366")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Disbursement.objects.get(commitment=commitment).amount == Decimal("1200000.50")

    # The unit filter of the task list is long: it is searched by typing, and keeps its label.
    page.goto(f"{live_server.url}/tasks/")
    units = page.locator("select[name=unit]")
    assert units.evaluate("s => s.options.length") > 12
    page.locator(".ts-wrapper .ts-control").first.click()
    control = page.locator(".ts-wrapper input[role=combobox]").first
    assert control.get_attribute("aria-label") == "责任单位"  # the filter's label, for screen readers
    control.press_sequentially("财政")
    page.wait_for_function(
        "() => { const o = document.querySelectorAll('.ts-dropdown .option'); return o.length && o.length < 20; }"
    )
    options = page.locator(".ts-dropdown .option:visible")
    assert options.count() >= 1 and all("财政" in text for text in options.all_inner_texts())
    check(page, "daily_searchable_select_1366")
    options.first.click()
    assert "财政" in units.evaluate("s => s.options[s.selectedIndex].text")
    page.context.close()
