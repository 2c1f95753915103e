"""Reporting rounds (报送轮次): the derived checklist, who may do what, reminding the late units."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cooperation.models import Unit
from reminders import delivery, rounds
from reminders.models import Notification, OutboxMessage, ReminderLedger
from reminders.round_models import ReportingRound, RoundEntry
from tasks import services as task_services
from tasks.models import ProgressReport, Task, TaskPeriod

pytestmark = pytest.mark.django_db

EDUCATION = "推动教育医疗合作"
FUNDS = "落实帮扶资金：晋江市安排山海协作专项资金1200万元"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def q1(demo, users, today):
    """“2025年一季度进展报送” of Jinjiang–Youxi over two tasks, opened today by 尤溪 liaison staff."""
    tasks = Task.objects.filter(pairing=demo["jy"], title__in=[EDUCATION, FUNDS])
    return rounds.open_round(
        demo["jy"],
        users["yx_liaison"],
        name="2025年一季度进展报送",
        year=2025,
        opened_on=today,
        due_date=today + datetime.timedelta(days=10),
        tasks=tasks,
    )


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def period(title: str, year: int = 2025) -> TaskPeriod:
    return TaskPeriod.objects.get(task__title=title, task__pairing__name="晋江市—尤溪县山海协作", year=year)


def statuses(round_: ReportingRound) -> dict[str, str]:
    return {row.unit.name: str(row.status) for row in round_.checklist().rows}


# --------------------------------------------------------------------------------------------
# The checklist is derived from the real reports
# --------------------------------------------------------------------------------------------


def test_checklist_reads_each_responsible_unit_from_its_reports(q1):
    # The demo holds, for 2025: 尤溪县教育局's report returned, 晋江市教育局's a draft,
    # 晋江市财政局's submitted (on the 1200万元 task).
    assert statuses(q1) == {
        "晋江市教育局": "missing",
        "晋江市卫生健康局": "missing",
        "晋江市农业农村局": "missing",
        "晋江市财政局": "reported",
        "尤溪县教育局": "returned",
        "尤溪县卫生健康局": "missing",
    }
    counts = q1.checklist().counts()
    assert counts == {"missing": 4, "returned": 1, "no_progress": 0, "reported": 1}


def test_resubmitted_approved_and_declared_units_change_state(q1, users):
    returned = ProgressReport.objects.get(
        unit__name="尤溪县教育局", period=period(EDUCATION), status="returned"
    )
    task_services.save_report(
        returned.period,
        users["yx_reporter"],
        report=returned,
        text="2025年一季度尤溪一中与晋江一中开展同课异构交流2次。",
    )
    task_services.submit_report(returned, users["yx_reporter"])
    draft = ProgressReport.objects.get(unit__name="晋江市教育局", period=period(EDUCATION))
    task_services.submit_report(draft, users["jj_reporter"])
    task_services.approve_report(draft, users["yx_liaison"])
    rounds.declare_no_progress(q1, unit("尤溪县卫生健康局"), users["yx_liaison"], note="本季度无交流安排")
    got = statuses(q1)
    assert got["尤溪县教育局"] == "reported"
    assert got["晋江市教育局"] == "reported"
    assert got["尤溪县卫生健康局"] == "no_progress"
    assert got["晋江市卫生健康局"] == "missing"


def test_a_unit_with_two_tasks_is_reported_only_when_both_are(demo, users, today):
    # 晋江市农业农村局 answers for 推动产业园区合作共建 (配合) and 推进现代农业合作 (牵头).
    tasks = Task.objects.filter(pairing=demo["jy"], title__in=["推动产业园区合作共建", "推进现代农业合作"])
    round_ = rounds.open_round(
        demo["jy"], users["jj_liaison"], name="2025年二季度进展报送", year=2025, due_date=today, tasks=tasks
    )
    report = task_services.save_report(
        period("推进现代农业合作"), users["jj_liaison"], text="晋江、尤溪两地签订农产品产销对接协议。"
    )
    task_services.submit_report(report, users["jj_liaison"])
    row = round_.checklist().row_for(unit("晋江市农业农村局").pk)
    assert (str(row.status), row.reported_count, len(row.cells)) == ("missing", 1, 2)


def test_reports_written_before_the_round_opened_do_not_count(q1, today):
    ProgressReport.objects.filter(unit__name="晋江市财政局").update(
        created=timezone.now() - datetime.timedelta(days=3)
    )
    assert statuses(q1)["晋江市财政局"] == "missing"


def test_a_closed_round_ignores_reports_written_after_its_due_date(q1, users, today):
    rounds.close_round(q1, users["yx_liaison"])
    assert statuses(q1)["晋江市财政局"] == "reported"
    ProgressReport.objects.filter(unit__name="晋江市财政局").update(
        created=timezone.now() + datetime.timedelta(days=11)
    )
    assert statuses(q1)["晋江市财政局"] == "missing"


def test_a_round_without_tasks_or_units_covers_every_task_of_the_year(demo, users, today):
    round_ = rounds.open_round(
        demo["jy"], users["jj_liaison"], name="2025年度进展报送", year=2025, due_date=today
    )
    names = {row.unit.name for row in round_.checklist().rows}
    assert {"晋江市商务局", "尤溪县交通运输局", "三明市尤溪生态环境局", "晋江市财政局"} <= names
    # A task of another pairing never appears.
    assert not names & {"温州市招商局（经合办）"}


def test_a_round_over_units_lists_only_those_units(demo, users, today):
    round_ = rounds.open_round(
        demo["jy"],
        users["jj_liaison"],
        name="2025年教育卫生专项报送",
        year=2025,
        due_date=today,
        units=[unit("尤溪县教育局"), unit("晋江市教育局")],
    )
    checklist = round_.checklist()
    assert {row.unit.name for row in checklist.rows} == {"尤溪县教育局", "晋江市教育局"}


# --------------------------------------------------------------------------------------------
# Pages and permissions
# --------------------------------------------------------------------------------------------


def test_liaison_opens_a_round_from_the_form_and_sees_the_checklist(demo, client_for):
    education = Task.objects.get(pairing=demo["jy"], title=EDUCATION)
    funds = Task.objects.get(pairing=demo["jy"], title=FUNDS)
    client = client_for("yx_liaison")
    form_url = f"/pairings/{demo['jy'].pk}/rounds/new/"
    assert EDUCATION in client.get(form_url).content.decode()
    response = client.post(
        form_url,
        {
            "name": "2025年一季度进展报送",
            "year": 2025,
            "opened_on": timezone.localdate().isoformat(),
            "due_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "tasks": [education.pk, funds.pk],
        },
    )
    round_ = ReportingRound.objects.get(name="2025年一季度进展报送")
    assert response.status_code == 302 and response["Location"] == f"/rounds/{round_.pk}/"
    assert round_.created_by.username == "yx_liaison" and round_.history.count() == 1
    page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert 'data-unit="尤溪县教育局" data-status="returned"' in page
    assert 'data-count="missing">未报 4<' in page
    listing = client.get(f"/pairings/{demo['jy'].pk}/rounds/").content.decode()
    assert "2025年一季度进展报送" in listing


def test_bad_dates_get_a_chinese_message_and_create_nothing(demo, client_for):
    response = client_for("yx_liaison").post(
        f"/pairings/{demo['jy'].pk}/rounds/new/",
        {"name": "2025年一季度进展报送", "year": 2025, "opened_on": "2025-04-10", "due_date": "2025-04-01"},
    )
    assert response.status_code == 200 and "截止日期不能早于开始日期。" in response.content.decode()
    assert not ReportingRound.objects.filter(name="2025年一季度进展报送").exists()


def test_reporter_cannot_open_a_round_or_remind(demo, q1, client_for):
    client = client_for("yx_reporter")
    url = f"/pairings/{demo['jy'].pk}/rounds/new/"
    assert client.get(url).status_code == 403
    refused = client.post(
        url, {"name": "x", "year": 2025, "opened_on": "2025-04-01", "due_date": "2025-04-10"}
    )
    assert refused.status_code == 403 and "只有本结对的联络员" in refused.content.decode()
    assert client.post(f"/rounds/{q1.pk}/remind/").status_code == 403
    assert client.post(f"/rounds/{q1.pk}/close/").status_code == 403
    assert client.get(f"/rounds/{q1.pk}/edit/").status_code == 403
    assert not ReportingRound.objects.filter(name="x").exists() and not Notification.objects.exists()
    q1.refresh_from_db()
    assert q1.closed_on is None


def test_reporter_declares_no_progress_for_his_own_unit_only(q1, client_for, users):
    client = client_for("yx_reporter")
    page = client.get(f"/rounds/{q1.pk}/").content.decode()
    assert page.count('class="declare-form"') == 1  # his own row only
    own = client.post(
        f"/rounds/{q1.pk}/declare/", {"unit": unit("尤溪县教育局").pk, "note": "本季度无新进展"}
    )
    assert own.status_code == 302
    entry = RoundEntry.objects.get(round=q1)
    assert (entry.unit.name, entry.declared_by, entry.note) == (
        "尤溪县教育局",
        users["yx_reporter"],
        "本季度无新进展",
    )
    other = client.post(f"/rounds/{q1.pk}/declare/", {"unit": unit("尤溪县卫生健康局").pk})
    assert other.status_code == 403 and "只有该单位的填报员" in other.content.decode()
    assert RoundEntry.objects.count() == 1
    # A returned report still wins over the declaration: the unit owes a corrected report.
    assert statuses(q1)["尤溪县教育局"] == "returned"
    client.post(f"/rounds/{q1.pk}/declare/", {"unit": unit("尤溪县教育局").pk, "action": "withdraw"})
    assert not RoundEntry.objects.exists() and entry.history.count() == 2


def test_viewer_reads_the_checklist_and_changes_nothing(q1, client_for):
    client = client_for("leader")
    page = client.get(f"/rounds/{q1.pk}/")
    assert page.status_code == 200 and "2025年一季度进展报送" in page.content.decode()
    assert "提醒未报单位" not in page.content.decode()
    assert client.post(f"/rounds/{q1.pk}/declare/", {"unit": unit("尤溪县教育局").pk}).status_code == 403
    assert client.post(f"/rounds/{q1.pk}/remind/").status_code == 403
    assert not RoundEntry.objects.exists() and not Notification.objects.exists()


def test_another_pairing_sees_nothing_of_the_round(demo, q1, client_for):
    client = client_for("wz_liaison")
    for url in (
        f"/rounds/{q1.pk}/",
        f"/rounds/{q1.pk}/edit/",
        f"/pairings/{demo['jy'].pk}/rounds/",
        f"/pairings/{demo['jy'].pk}/rounds/new/",
    ):
        assert client.get(url).status_code == 404, url
    for action in ("remind", "close", "declare"):
        assert client.post(f"/rounds/{q1.pk}/{action}/").status_code == 404, action
    own = client.get(f"/pairings/{demo['wz'].pk}/rounds/").content.decode()
    assert "2025年一季度进展报送" not in own
    assert client_for("outsider").get(f"/rounds/{q1.pk}/").status_code == 404
    assert not Notification.objects.exists()


# --------------------------------------------------------------------------------------------
# Reminding the late units
# --------------------------------------------------------------------------------------------


def test_remind_notifies_exactly_the_late_units_once_per_day(q1, client_for, users, today):
    client = client_for("yx_liaison")
    response = client.post(f"/rounds/{q1.pk}/remind/", follow=True)
    page = response.content.decode()
    assert "已提醒 3 个未报单位" in page
    assert "2 个单位没有可接收提醒的账号" in page  # the two 卫生健康局 have no account in the demo
    told = set(Notification.objects.values_list("user__username", flat=True))
    # 晋江市农业农村局 (未报), 尤溪县教育局 (已退回), 晋江市教育局 (未报); not 晋江市财政局 (已报).
    assert told == {"jj_liaison", "yx_reporter", "jj_reporter"}
    title = Notification.objects.get(user=users["yx_reporter"]).title
    assert "2025年一季度进展报送" in title and "尤溪县教育局 已退回" in title and "（10 天后到期）" in title
    assert ReminderLedger.objects.filter(item_key=f"rounds.round:{q1.pk}").count() == 3
    emails = OutboxMessage.objects.filter(channel="email", digest_date=today)
    assert {m.user.username for m in emails} == {"jj_liaison", "yx_reporter", "jj_reporter"}

    again = client.post(f"/rounds/{q1.pk}/remind/", follow=True).content.decode()
    assert "3 个单位今天已提醒过，未重复发送" in again and "已提醒 3" not in again
    assert Notification.objects.count() == 3

    tomorrow = rounds.remind_late_units(q1, users["yx_liaison"], day=today + datetime.timedelta(days=1))
    assert len(tomorrow.reminded) == 3 and Notification.objects.count() == 6


def test_the_reminder_email_reaches_the_unit_with_the_round_link(q1, users, today):
    rounds.remind_late_units(q1, users["yx_liaison"], day=today)
    delivery.deliver(now=timezone.now())
    to_reporter = [m for m in mail.outbox if m.to == ["yx_reporter@shanhai.example"]]
    assert len(to_reporter) == 1
    assert "2025年一季度进展报送" in to_reporter[0].body and f"/rounds/{q1.pk}/" in to_reporter[0].body
    assert not [m for m in mail.outbox if "jj_finance" in m.to[0]]


def test_muted_users_get_the_notification_but_no_email(q1, users, today):
    from reminders.models import Preference

    Preference.objects.create(user=users["yx_reporter"], muted=True)
    rounds.remind_late_units(q1, users["yx_liaison"], day=today)
    assert Notification.objects.filter(user=users["yx_reporter"]).exists()
    assert not OutboxMessage.objects.filter(user=users["yx_reporter"]).exists()


def test_a_declared_or_reported_unit_is_not_reminded(q1, users, today):
    rounds.declare_no_progress(q1, unit("晋江市农业农村局"), users["jj_liaison"])
    result = rounds.remind_late_units(q1, users["yx_liaison"], day=today)
    assert {u.name for u in result.reminded} == {"尤溪县教育局", "晋江市教育局"}
    assert not Notification.objects.filter(user=users["jj_liaison"]).exists()


def test_a_closed_round_reminds_nobody(q1, users, client_for):
    rounds.close_round(q1, users["yx_liaison"])
    page = client_for("yx_liaison").post(f"/rounds/{q1.pk}/remind/", follow=True).content.decode()
    assert "本轮报送已于" in page and "结束" in page
    assert not Notification.objects.exists()


# --------------------------------------------------------------------------------------------
# Constant queries
# --------------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_checklist_page_runs_a_constant_number_of_queries(demo, q1, users, client_for, today):
    client = client_for("yx_liaison")
    small = _queries(client, f"/rounds/{q1.pk}/")
    everything = rounds.open_round(
        demo["jy"], users["jj_liaison"], name="2025年度进展报送", year=2025, due_date=today
    )
    for title in ["推进现代服务业发展", "共同优化通道建设", "推动人才交流合作"]:
        # Filed by the liaison in the name of the task's lead unit (never a unit with no part in it).
        report = task_services.save_report(
            period(title),
            users["jj_liaison"],
            text="晋江尤溪两地召开对接会。",
            unit=period(title).task.units.first(),
        )
        task_services.submit_report(report, users["jj_liaison"])
    rounds.declare_no_progress(everything, unit("尤溪县商务局"), users["yx_liaison"])
    big_checklist = everything.checklist()
    assert len(big_checklist.rows) > 3 * len(q1.checklist().rows)
    assert _queries(client, f"/rounds/{everything.pk}/") == small
    # A reporter's page too (his own row has the declaration form).
    assert _queries(client_for("yx_reporter"), f"/rounds/{everything.pk}/") == _queries(
        client_for("yx_reporter"), f"/rounds/{q1.pk}/"
    )
