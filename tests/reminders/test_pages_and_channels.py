"""The bell, the notification page, preferences, the reminder log and policy, and the webhook channel."""

from __future__ import annotations

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from cooperation.models import Pairing, Role, Unit, User, pairing_audience
from core import deadlines
from reminders import delivery, engine
from reminders.models import Notification, OutboxMessage, Preference, ReminderPolicy

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def item(demo, monkeypatch):
    unit = Unit.objects.get(name="尤溪县教育局")

    def provider(start, end, as_of):
        due = D(2025, 4, 30)
        if start <= due <= end:
            yield deadlines.DeadlineItem(
                "test.item:2",
                due,
                demo["jy"].pk,
                (unit.pk,),
                "尤溪县：交流活动 应于 2025-04-30 前完成",
                "/pairings/",
            )

    monkeypatch.setattr(deadlines, "providers", lambda: [provider])
    return unit


def test_pairing_audience_agrees_with_the_scope_for_every_user(users):
    pairings = list(Pairing.objects.values_list("pk", flat=True))
    audience = pairing_audience(pairings, [Role.LIAISON, Role.REPORTER, Role.VIEWER])
    for user in User.objects.filter(is_superuser=False, unit__isnull=False):
        visible = set(Pairing.objects.visible_to(user).values_list("pk", flat=True))
        computed = {pk for pk, people in audience.items() if user.pk in people}
        assert computed == visible, user.username


def test_the_bell_counts_unread_notifications_and_the_page_marks_them_read(item, client_for):
    engine.sweep(D(2025, 4, 23))
    client = client_for("yx_reporter")
    page = client.get("/pairings/").content.decode()
    assert 'id="unread-count">1<' in page
    notification = Notification.objects.get(user__username="yx_reporter")
    listing = client.get("/reminders/").content.decode()
    assert "尤溪县：交流活动 应于 2025-04-30 前完成（7 天后到期）" in listing
    assert client.post(f"/reminders/{notification.pk}/read/").status_code == 302
    assert 'id="unread-count"' not in client.get("/pairings/").content.decode()


def test_nobody_reads_or_marks_anothers_notification(item, client_for):
    engine.sweep(D(2025, 4, 23))
    notification = Notification.objects.get(user__username="yx_reporter")
    assert client_for("jj_liaison").post(f"/reminders/{notification.pk}/read/").status_code == 404
    assert "交流活动" not in client_for("leader").get("/reminders/").content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_user_mutes_reminders_or_chooses_weekly(client_for, users):
    client = client_for("yx_reporter")
    assert client.post("/reminders/preferences/", {"muted": "on", "frequency": "weekly"}).status_code == 302
    preference = Preference.objects.get(user=users["yx_reporter"])
    assert preference.muted and preference.frequency == "weekly"


LADDER = {
    "prompt_workdays": 3,
    "urge_after_days": 3,
    "sign_within_days": 2,
    "reply_within_days": 5,
    "escalate_after_days": 15,
}


def test_liaison_edits_the_pairing_policy_with_a_clear_error(client_for, demo):
    url = f"/pairings/{demo['jy'].pk}/reminder-policy/"
    client = client_for("yx_liaison")
    bad = client.post(url, {"days_before": "30,七", "overdue_every": 7, "catch_up_days": 7, **LADDER})
    assert bad.status_code == 200 and "请填写用逗号分隔的整数" in bad.content.decode()
    upside_down = {**LADDER, "urge_after_days": 10, "escalate_after_days": 5}
    bad = client.post(url, {"days_before": "7,0", "overdue_every": 7, "catch_up_days": 7, **upside_down})
    assert bad.status_code == 200 and "督办的逾期天数应大于催办的逾期天数" in bad.content.decode()
    assert not ReminderPolicy.objects.exists()
    ladder = {**LADDER, "prompt_workdays": 5, "escalate_after_days": 10}
    assert (
        client.post(
            url, {"days_before": "15，5,0", "overdue_every": 3, "catch_up_days": 7, **ladder}
        ).status_code
        == 302
    )
    policy = ReminderPolicy.objects.get(pairing=demo["jy"])
    assert (policy.days_before, policy.prompt_workdays, policy.escalate_after_days) == ([15, 5, 0], 5, 10)
    assert client_for("yx_reporter").get(url).status_code == 403
    assert client_for("wz_liaison").get(url).status_code == 404


def test_reminder_log_shows_what_was_sent_and_what_failed_to_liaison_staff_only(
    item, client_for, monkeypatch
):
    engine.sweep(D(2025, 4, 23))
    monkeypatch.setattr(delivery, "send_digest_email", lambda m: (_ for _ in ()).throw(OSError("smtp down")))
    delivery.deliver(now=timezone.make_aware(datetime.datetime(2025, 4, 23, 9)))
    page = client_for("yx_liaison").get("/reminders/log/").content.decode()
    assert "尤溪县：交流活动 应于 2025-04-30 前完成" in page and "smtp down" in page
    other = client_for("wz_liaison").get("/reminders/log/").content.decode()
    assert "交流活动" not in other
    assert client_for("yx_reporter").get("/reminders/log/").status_code == 403


class _Sink(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_is_posted_to_the_units_url_and_retried_when_it_fails(item):
    server = HTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        item.webhook_url = f"http://127.0.0.1:{server.server_port}/robot"
        item.save()
        _Sink.received, _Sink.status = [], 500
        engine.sweep(D(2025, 4, 23))
        now = timezone.make_aware(datetime.datetime(2025, 4, 23, 9))
        assert delivery.deliver(now=now)["retry"] == 1
        webhook = OutboxMessage.objects.get(channel="webhook")
        assert webhook.status == "pending" and "500" in webhook.last_error
        _Sink.status = 200
        assert delivery.deliver(now=now + datetime.timedelta(minutes=2))["sent"] == 1
        payload = _Sink.received[-1]
        assert payload["unit"] == "尤溪县教育局"
        assert payload["items"][0]["summary"] == "尤溪县：交流活动 应于 2025-04-30 前完成"
        assert "（7 天后到期）" in payload["text"]["content"]
        assert delivery.deliver(now=now + datetime.timedelta(minutes=30))["sent"] == 0
    finally:
        server.shutdown()
