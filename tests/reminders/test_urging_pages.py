"""Urging pages: 催办 by hand from a task period, the overdue list and a reporting round's late units;
the notice page's trail steps; colours on the lists and the task page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reminders.models import Notification, UrgingNotice
from tasks.demo import PDF
from tasks.models import YearLock, period_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(edu):
    """推动教育医疗合作's period of this year: open, due this year, 尤溪县教育局 and 晋江市教育局 lead."""
    return edu.periods.get(year=timezone.localdate().year)


def urge_url(period) -> str:
    return f"/reminders/urge/{period_key(period.pk)}/"


def test_the_task_page_offers_liaison_staff_a_urge_button_per_open_period(edu, period, client_for):
    client = client_for("yx_liaison")
    page = client.get(edu.get_absolute_url()).content.decode()
    assert urge_url(period) in page
    # Every button offered leads to a form; periods years ahead or of a locked year are not offered.
    offered = re.findall(r'href="(/reminders/urge/[^"]+)"', page)
    assert offered and all(client.get(url).status_code == 200 for url in offered)
    assert urge_url(edu.periods.get(year=2030)) not in page
    YearLock.objects.update_or_create(pairing=edu.pairing, year=period.year, defaults={"locked": True})
    assert urge_url(period) not in client.get(edu.get_absolute_url()).content.decode()
    assert urge_url(period) not in client_for("yx_reporter").get(edu.get_absolute_url()).content.decode()


def test_liaison_urges_a_period_by_hand_and_the_task_page_shows_the_colour(edu, period, client_for, users):
    from cooperation.models import Unit

    client = client_for("yx_liaison")
    form = client.get(urge_url(period)).content.decode()
    assert "尤溪县教育局" in form and "晋江市教育局" in form
    unit = Unit.objects.get(name="尤溪县教育局")
    reply_by = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        urge_url(period),
        {"unit": unit.pk, "message": "请报送本年度跟岗学习人数与照片。", "reply_by": reply_by.isoformat()},
    )
    notice = UrgingNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert (notice.level, notice.unit, notice.issued_by, notice.reply_by) == (
        "urge",
        unit,
        users["yx_liaison"],
        reply_by,
    )
    assert Notification.objects.filter(user__username="yx_reporter", kind="urging").exists()
    task_page = client.get(edu.get_absolute_url()).content.decode()
    assert 'class="level level-urge"' in task_page
    again = client.post(
        urge_url(period),
        {"unit": unit.pk, "message": "请报送本年度跟岗学习人数与照片。", "reply_by": reply_by.isoformat()},
    )
    assert again.status_code == 200 and "已有催办单" in again.content.decode()
    assert UrgingNotice.objects.count() == 1


@pytest.mark.parametrize("persona, status", [("yx_reporter", 403), ("leader", 403), ("wz_liaison", 404)])
def test_others_cannot_urge(period, client_for, persona, status):
    client = client_for(persona)
    assert client.get(urge_url(period)).status_code == status
    assert client.post(urge_url(period), {"message": "请尽快办理此事项。"}).status_code == status
    assert not UrgingNotice.objects.exists()


def test_an_unknown_or_done_item_is_not_found(client_for):
    assert client_for("yx_liaison").get("/reminders/urge/tasks.period:999999/").status_code == 404
    assert client_for("yx_liaison").get("/reminders/urge/rounds.round:999999/").status_code == 404


def test_the_overdue_list_shows_items_with_their_colour_and_a_urge_link_for_liaison_staff(client_for):
    page = client_for("yx_liaison").get("/reminders/overdue/").content.decode()
    assert 'id="overdue"' in page and "已逾期" in page and "/reminders/urge/" in page
    reporter = client_for("yx_reporter").get("/reminders/overdue/").content.decode()
    assert "已逾期" in reporter and "/reminders/urge/" not in reporter
    # Wenzhou's liaison sees none of Jinjiang–Youxi's items.
    assert "晋江市—尤溪县" not in client_for("wz_liaison").get("/reminders/overdue/").content.decode()


def test_a_rounds_late_unit_is_urged_from_the_round(client_for, demo):
    from reminders.round_models import ReportingRound

    round_ = ReportingRound.objects.get(pairing=demo["jy"], name="2025年四季度进展报送")
    client = client_for("yx_liaison")
    page = client.get(round_.get_absolute_url()).content.decode()
    late = round_.checklist().late()
    assert late and f"/reminders/urge/{round_.item_key}/?unit={late[0].unit.pk}" in page
    reply_by = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        f"/reminders/urge/{round_.item_key}/",
        {"unit": late[0].unit.pk, "message": "请于三日内报送四季度进展。", "reply_by": reply_by.isoformat()},
    )
    assert response.status_code == 302
    notice = UrgingNotice.objects.get()
    assert notice.unit == late[0].unit and notice.item_key == round_.item_key
    assert 'class="level level-urge"' in client.get(round_.get_absolute_url()).content.decode()
    # A unit that is not late in the round is not offered, and a post naming it is refused.
    from cooperation.models import Unit

    other = Unit.objects.exclude(pk__in=[row.unit.pk for row in late]).get(name="晋江市财政局")
    refused = client.post(
        f"/reminders/urge/{round_.item_key}/",
        {"unit": other.pk, "message": "请于三日内报送四季度进展。", "reply_by": reply_by.isoformat()},
    )
    assert refused.status_code == 200 and UrgingNotice.objects.count() == 1


def test_the_notice_page_walks_the_trail(period, client_for, users):
    from cooperation.models import Unit
    from reminders import services

    notice = services.urge(
        users["yx_liaison"],
        pairing=period.task.pairing,
        unit=Unit.objects.get(name="尤溪县教育局"),
        item_key=period_key(period.pk),
        due=period.due_date,
        summary="推动教育医疗合作",
        url=period.task.get_absolute_url(),
        message="请报送本年度跟岗学习人数。",
        reply_by=timezone.localdate() + datetime.timedelta(days=5),
    )
    url = notice.get_absolute_url()
    reporter = client_for("yx_reporter")
    early = reporter.post(url, {"action": "done", "done_note": "已完成交流活动。"})
    assert early.status_code == 200 and "不能进行此操作" in early.content.decode()
    assert reporter.post(url, {"action": "sign"}).status_code == 302
    assert reporter.post(url, {"action": "reply", "reply": "已安排，月底完成。"}).status_code == 302
    bad = reporter.post(
        url,
        {
            "action": "done",
            "done_note": "已完成交流活动。",
            "evidence": SimpleUploadedFile("x.pdf", b"not a pdf"),
        },
    )
    assert bad.status_code == 200 and 'id="done-form"' in bad.content.decode()
    assert (
        reporter.post(
            url,
            {
                "action": "done",
                "done_note": "已完成交流活动。",
                "evidence": SimpleUploadedFile("总结.pdf", PDF),
            },
        ).status_code
        == 302
    )
    assert client_for("yx_reporter").post(url, {"action": "close"}).status_code == 403
    assert client_for("yx_liaison").post(url, {"action": "close"}).status_code == 302
    page = client_for("leader").get(url).content.decode()
    assert page.count('class="reached"') == 5 and "总结.pdf" in page and "已销号" in page
    assert "notices/20" not in page  # the file's storage name is not shown, in the history either
    assert client_for("yx_liaison").post(url, {"action": "bogus"}).status_code == 400


def test_the_pairing_page_counts_the_notices_not_yet_done_or_closed(edu, period, client_for, users):
    """The reminders section's 未办结的催办单: issued, signed and answered notices count, done and
    closed ones do not — the same whether read with the page's query of the pairing or alone."""
    from django.test import RequestFactory

    from cooperation.models import Pairing, Unit
    from reminders.panels import pairing_panels

    unit = Unit.objects.get(name="尤溪县教育局")
    today = timezone.localdate()
    for days, status in enumerate(("issued", "signed", "answered", "done", "closed", "issued")):
        UrgingNotice.objects.create(
            item_key=period_key(period.pk),
            due=today - datetime.timedelta(days=days),  # one notice per unit, item and due day
            unit=unit,
            pairing=edu.pairing,
            summary="推动教育医疗合作",
            url=edu.get_absolute_url(),
            issued_on=today,
            sign_by=today,
            reply_by=today,
            status=status,
        )
    page = client_for("yx_liaison").get(edu.pairing.get_absolute_url()).content.decode()
    assert "未办结的催办单：4 份" in page
    # Without the page's annotation the panel counts them itself, alike.
    request = RequestFactory().get("/")
    request.user = users["yx_liaison"]
    (panel,) = pairing_panels(request, Pairing.objects.get(pk=edu.pairing.pk))
    assert panel.context["open_notices"] == 4
