"""The urging ladder 提示 (blue) → 催办 (yellow) → 督办 (red) over days with a fixed clock: one rung a
day at most, thresholds per pairing; 催办 by hand; the trail 交办 → 签收 → 反馈 → 办结 → 销号."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation.models import Unit
from core import deadlines
from reminders import engine, services
from reminders.models import Notification, OutboxMessage, ReminderPolicy, UrgingNotice
from tasks.demo import PDF

pytestmark = pytest.mark.django_db
D = datetime.date
RANK = {None: -1, "prompt": 0, "urge": 1, "supervise": 2}


@pytest.fixture
def items(demo, monkeypatch):
    """Two deadlines of Jinjiang–Youxi for 尤溪县教育局: one due 2025-04-30, one long overdue."""
    unit = Unit.objects.get(name="尤溪县教育局")
    state = {"done": set()}

    def provider(start, end, as_of):
        for key, due in (("test.item:1", D(2025, 4, 30)), ("test.item:2", D(2025, 3, 1))):
            if key not in state["done"] and start <= due <= end:
                yield deadlines.DeadlineItem(
                    key, due, demo["jy"].pk, (unit.pk,), f"尤溪县：{key} 应于 {due} 前完成", "/pairings/"
                )

    monkeypatch.setattr(deadlines, "providers", lambda: [provider])
    state["unit"] = unit
    return state


def level(key: str) -> str | None:
    notice = UrgingNotice.objects.filter(item_key=key).first()
    return notice.level if notice else None


def test_the_sweep_moves_an_item_one_rung_a_day_over_thirty_days(items):
    """Every day from 04-20 to 05-19 (a missed day is not needed: the ladder never jumps)."""
    days = [D(2025, 4, 20) + datetime.timedelta(days=n) for n in range(30)]
    seen: dict[str, list] = {"test.item:1": [], "test.item:2": []}
    for day in days:
        before = {key: level(key) for key in seen}
        engine.sweep(day)
        for key in seen:
            after = level(key)
            if before[key] is None:  # an item enters at 提示 or 催办, never at 督办
                assert after in (None, "prompt", "urge"), (day, key, after)
            else:  # and moves at most one rung a day, never down
                assert 0 <= RANK[after] - RANK[before[key]] <= 1, (day, key, before[key], after)
            seen[key].append(after)
    first = dict(zip(days, seen["test.item:1"], strict=True))
    # 3 working days before 04-30 is Sunday 04-27 (a make-up working day in 2025): 提示, blue.
    assert first[D(2025, 4, 26)] is None and first[D(2025, 4, 27)] == "prompt"
    # Overdue 1–2 days: the 提示 stands; 3 days overdue (urge_after_days): 催办, yellow.
    assert first[D(2025, 5, 2)] == "prompt" and first[D(2025, 5, 3)] == "urge"
    # Sign-by 05-05 passes unsigned: 督办, red, on 05-06 — never the day the 催办 went out.
    assert first[D(2025, 5, 5)] == "urge" and first[D(2025, 5, 6)] == "supervise"
    # The long-overdue item enters at 催办 on the first day, and waits out its sign-by date.
    second = dict(zip(days, seen["test.item:2"], strict=True))
    assert second[D(2025, 4, 20)] == "urge" and second[D(2025, 4, 22)] == "urge"
    assert second[D(2025, 4, 23)] == "supervise"
    notice = UrgingNotice.objects.get(item_key="test.item:1")
    assert [h.level for h in notice.history.order_by("history_date")] == ["prompt", "urge", "supervise"]


def test_a_first_sweep_over_many_overdue_items_escalates_nothing(items):
    engine.sweep(D(2025, 5, 20))  # both items overdue, one by 80 days, the escalation threshold long past
    assert set(UrgingNotice.objects.values_list("level", flat=True)) == {"urge"}
    assert not Notification.objects.filter(kind="escalation").exists()
    engine.sweep(D(2025, 5, 20))
    assert set(UrgingNotice.objects.values_list("level", flat=True)) == {"urge"}


def test_thresholds_are_set_per_pairing(items, demo):
    ReminderPolicy.objects.create(
        pairing=demo["jy"], prompt_workdays=0, urge_after_days=7, sign_within_days=10, escalate_after_days=20
    )
    engine.sweep(D(2025, 4, 29))
    assert level("test.item:1") is None  # no 提示 for this pairing
    engine.sweep(D(2025, 5, 6))
    assert level("test.item:1") is None  # 6 days overdue: not yet
    engine.sweep(D(2025, 5, 7))
    assert level("test.item:1") == "urge"
    services.sign_notice(UrgingNotice.objects.get(item_key="test.item:1"), demo_user("yx_reporter"))
    engine.sweep(D(2025, 5, 12))  # signed, reply-by (05-12) not passed, 12 days overdue: stays yellow
    assert level("test.item:1") == "urge"
    engine.sweep(D(2025, 5, 13))
    notice = UrgingNotice.objects.get(item_key="test.item:1")
    assert notice.level == "supervise" and notice.escalation_reason == "催办单逾期未反馈"


def demo_user(name):
    from cooperation.models import User

    return User.objects.get(username=name)


def test_urging_and_escalation_reach_the_unit_in_app_digest_and_webhook(items):
    unit = items["unit"]
    unit.webhook_url = "https://oapi.dingtalk.com/robot/send?access_token=t"
    unit.save()
    engine.sweep(D(2025, 4, 25))  # item 2: 催办
    assert Notification.objects.filter(user__username="yx_reporter", kind="urging").count() == 1
    hook = OutboxMessage.objects.get(channel="webhook", unit=unit, digest_date=D(2025, 4, 25))
    assert any(entry.kind == "urging" for entry in hook.entries)
    engine.sweep(D(2025, 4, 28))  # unsigned: 督办, to the unit as well as the leaders
    assert Notification.objects.filter(user__username="yx_reporter", kind="escalation").count() == 1
    assert Notification.objects.filter(user__username="leader", kind="escalation").count() == 1
    hook = OutboxMessage.objects.get(channel="webhook", unit=unit, digest_date=D(2025, 4, 28))
    assert any(entry.kind == "escalation" for entry in hook.entries)


# --- 催办 by hand ----------------------------------------------------------------------------


def hand(user, unit, **changes):
    from cooperation.models import Pairing

    data = dict(
        pairing=Pairing.objects.get(name="晋江市—尤溪县山海协作"),
        unit=unit,
        item_key="test.item:1",
        due=D(2025, 4, 30),
        summary="尤溪县：教育交流 应于 2025-04-30 前完成",
        url="/pairings/",
        message="请于本周内报送跟岗学习人数和照片。",
        reply_by=D(2025, 5, 9),
        day=D(2025, 5, 2),
    )
    data.update(changes)
    return services.urge(user, **data)


def test_liaison_urges_by_hand_with_words_and_a_reply_by_date(items, users):
    notice = hand(users["yx_liaison"], items["unit"])
    assert (notice.level, notice.issued_by, notice.reply_by, notice.sign_by) == (
        "urge",
        users["yx_liaison"],
        D(2025, 5, 9),
        D(2025, 5, 4),
    )
    assert notice.history.get().history_user == users["yx_liaison"]
    told = Notification.objects.get(user__username="yx_reporter", kind="urging")
    assert "请于本周内报送跟岗学习人数和照片" in told.title
    with pytest.raises(ValidationError, match="已有催办单"):
        hand(users["jj_liaison"], items["unit"])  # urged already: follow it on its own notice
    # The sweep does not move it up the same day, nor issue a second notice.
    engine.sweep(D(2025, 5, 2))
    assert UrgingNotice.objects.filter(item_key="test.item:1").get().level == "urge"


def test_a_hand_urge_raises_an_open_prompt(items, users):
    engine.sweep(D(2025, 4, 28))
    assert level("test.item:1") == "prompt"
    notice = hand(users["yx_liaison"], items["unit"], day=D(2025, 4, 29), reply_by=D(2025, 5, 6))
    assert UrgingNotice.objects.filter(item_key="test.item:1").count() == 1 and notice.level == "urge"


@pytest.mark.parametrize("persona", ["yx_reporter", "leader", "wz_liaison"])
def test_only_the_pairings_liaison_staff_urge(items, users, persona):
    with pytest.raises(PermissionDenied):
        hand(users[persona], items["unit"])
    assert not UrgingNotice.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"message": "快"}, "至少 5 个字"),
        ({"reply_by": D(2025, 5, 1)}, "不能早于今天"),
        ({"reply_by": D(2025, 12, 1)}, "最多为 90 天后"),
    ],
)
def test_a_hand_urge_needs_words_and_a_sensible_date(items, users, changes, message):
    with pytest.raises(ValidationError, match=message):
        hand(users["yx_liaison"], items["unit"], **changes)
    assert not UrgingNotice.objects.exists()


# --- the trail -------------------------------------------------------------------------------


def evidence(name="办结材料.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_trail_in_order_each_step_by_its_side(items, users):
    notice = hand(users["yx_liaison"], items["unit"])
    reporter, liaison = users["yx_reporter"], users["yx_liaison"]
    # 办结 before 反馈, 销号 before 办结: refused, nothing changes.
    with pytest.raises(ValidationError, match="已交办"):
        services.complete_notice(notice, reporter, "已完成交流活动。", evidence())
    with pytest.raises(ValidationError, match="已交办"):
        services.close_notice(notice, liaison)
    services.sign_notice(notice, reporter)
    services.answer_notice(notice, reporter, "已联系晋江一中，5月20日前完成。")
    # The other side may not take the unit's steps, nor the unit the office's.
    with pytest.raises(PermissionDenied):
        services.complete_notice(notice, users["jj_reporter"], "已完成交流活动。", evidence())
    with pytest.raises(ValidationError, match="佐证"):
        services.complete_notice(notice, reporter, "已完成交流活动。", None)
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        services.complete_notice(notice, reporter, "已完成交流活动。", evidence("a.exe", b"MZ..."))
    services.complete_notice(notice, reporter, "已完成交流活动，12人参加。", evidence())
    with pytest.raises(PermissionDenied):
        services.close_notice(notice, reporter)
    with pytest.raises(PermissionDenied):
        services.close_notice(notice, users["wz_liaison"])
    office_told = Notification.objects.filter(user=liaison, title__contains="已办结催办事项")
    assert office_told.count() == 1
    services.close_notice(notice, liaison)
    notice.refresh_from_db()
    trail = notice.trail()
    assert [step for step, _when, _who, reached in trail if reached] == [
        "交办",
        "签收",
        "反馈",
        "办结",
        "销号",
    ]
    assert [who for _s, _w, who, _r in trail] == [liaison, reporter, reporter, reporter, liaison]
    assert [h.history_user for h in notice.history.order_by("history_date")] == [
        liaison,
        reporter,
        reporter,
        reporter,
        liaison,
    ]
    # Closed: no more answers, no second 销号.
    with pytest.raises(ValidationError, match="已销号"):
        services.answer_notice(notice, reporter, "补充说明一下情况。")
    with pytest.raises(ValidationError, match="已销号"):
        services.close_notice(notice, liaison)


def test_a_done_or_closed_notice_is_not_escalated(items, users):
    notice = hand(users["yx_liaison"], items["unit"])
    services.answer_notice(notice, users["yx_reporter"], "已安排，月底前完成。")
    services.complete_notice(notice, users["yx_reporter"], "已完成交流活动。", evidence())
    engine.sweep(D(2025, 6, 30))
    assert UrgingNotice.objects.get(item_key="test.item:1").level == "urge"


def test_evidence_is_downloaded_only_by_those_who_see_the_notice(items, users, client_for):
    notice = hand(users["yx_liaison"], items["unit"])
    services.answer_notice(notice, users["yx_reporter"], "已安排，月底前完成。")
    services.complete_notice(notice, users["yx_reporter"], "已完成交流活动。", evidence())
    url = f"/reminders/notices/{notice.pk}/evidence/"
    ok = client_for("yx_liaison").get(url)
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF
    assert "attachment" in ok["Content-Disposition"]
    assert client_for("wz_liaison").get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_the_demos_first_sweep_urges_and_escalates_nothing_at_once(demo):
    """`make run`: the first sweep over the demo's overdue items (as of 2026-12-05) issues 催办 only;
    the next morning nothing moves; 督办 comes only after the sign-by date, for the unsigned."""
    engine.sweep(D(2026, 12, 5))
    levels = list(UrgingNotice.objects.values_list("level", flat=True))
    assert levels and set(levels) <= {"prompt", "urge"}
    assert not Notification.objects.filter(kind="escalation").exists()
    engine.sweep(D(2026, 12, 6))
    assert list(UrgingNotice.objects.values_list("level", flat=True)) == levels
    engine.sweep(D(2026, 12, 8))  # sign-by 12-07 passed, nobody signed
    assert set(
        UrgingNotice.objects.filter(level="supervise").values_list("escalation_reason", flat=True)
    ) == {"催办单逾期未签收"}
