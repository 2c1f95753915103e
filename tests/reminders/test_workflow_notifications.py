"""Workflow notifications: who hears what, at once, when a report moves or a notice is answered."""

from __future__ import annotations

from cooperation.models import Unit
from reminders import services as notice_services
from reminders.models import Notification, OutboxMessage, UrgingNotice
from tasks import services
from tasks.models import ProgressReport


def titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_submitting_tells_the_liaison_staff_and_review_tells_the_author(demo, users, edu):
    period = edu.periods.get(year=2026)
    before = {name: len(titles(users[name])) for name in ("yx_liaison", "jj_liaison", "yx_reporter")}
    report = services.save_report(period, users["yx_reporter"], text="尤溪一中教师赴晋江跟岗学习（12人）")
    services.submit_report(report, users["yx_reporter"])
    for liaison in ("yx_liaison", "jj_liaison"):
        new = titles(users[liaison])[: len(titles(users[liaison])) - before[liaison]]
        assert any("尤溪县教育局 的进展报告" in t and "待审核" in t for t in new), liaison
    assert len(titles(users["yx_reporter"])) == before["yx_reporter"]  # not told of his own act
    services.return_report(report, users["yx_liaison"], reason="请补充人数和照片")
    assert "已退回：请补充人数和照片" in titles(users["yx_reporter"])[0]
    services.submit_report(report, users["yx_reporter"])
    services.approve_report(report, users["jj_liaison"])
    assert "已审核通过" in titles(users["yx_reporter"])[0]
    # …and in the author's e-mail digest of the day.
    digest = OutboxMessage.objects.filter(user=users["yx_reporter"], channel="email").latest("pk")
    assert any(e.kind == "workflow" and "已审核通过" in e.label for e in digest.entries)


def test_the_units_robot_hears_that_its_report_was_returned(demo, users, edu):
    unit = Unit.objects.get(name="尤溪县教育局")
    unit.webhook_url = "https://oapi.dingtalk.com/robot/send?access=demo"
    unit.save()
    report = services.save_report(
        edu.periods.get(year=2026), users["yx_reporter"], text="教师交流一次（12人）"
    )
    services.submit_report(report, users["yx_reporter"])
    services.return_report(report, users["yx_liaison"], reason="请补充照片")
    message = OutboxMessage.objects.filter(unit=unit, channel="webhook").latest("pk")
    assert any("已退回：请补充照片" in e.label for e in message.entries)


def test_signing_and_answering_a_notice_tells_the_urging_office(demo, users, edu):
    from reminders import engine

    period = edu.periods.get(year=2025)
    engine.sweep(period.due_date.replace(year=2026, month=1, day=5))
    notice = UrgingNotice.objects.filter(
        item_key=f"tasks.period:{period.pk}", unit__name="尤溪县教育局"
    ).get()
    notice_services.sign_notice(notice, users["yx_reporter"])
    assert any("尤溪县教育局 已签收催办单" in t for t in titles(users["yx_liaison"])[:3])
    notice_services.answer_notice(notice, users["yx_reporter"], "已安排12月中旬开展教师交流")
    assert "尤溪县教育局 已反馈催办单" in titles(users["yx_liaison"])[0]
    assert not ProgressReport.objects.filter(period=period, status="approved").exists()


def test_only_the_fanout_creates_notifications_and_digest_messages():
    """One builder: the sweep, the ladder, the rounds and the workflow all tell people through
    `reminders.fanout.deliver` (the bell, the digest e-mail and the unit's webhook alike)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    makers = re.compile(r"Notification\.objects\.(bulk_)?create|\.notification\(|(?<!class )OutboxMessage\(")
    found = {
        str(path.relative_to(root))
        for app in ("reminders", "tasks", "funds", "core", "cooperation", "dashboards", "parks", "indicators")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and makers.search(path.read_text(encoding="utf-8"))
    }
    assert found == {"reminders/fanout.py"}
