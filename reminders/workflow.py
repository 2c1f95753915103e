"""Notifications of the day's workflow, at once (in the bell), in the digest e-mail and to the unit's
robot webhook where it has one:

- a report submitted → the liaison staff of its pairing (not the one who submitted it);
- a report returned or approved → its author;
- an urging notice signed for, answered or done (办结) → the pairing's liaison staff (the office
  that urges); closed (销号) → the unit;
- a 催办 sent by hand → the unit (the sweep's 提示 / 催办 / 督办 reach it through
  `reminders.engine.urge_and_escalate`).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.models import Role, User, pairing_audience
from core.deadlines import DeadlineItem
from core.quiet import is_quiet
from reminders import engine, fanout
from reminders.models import DigestEntry


def notify(
    user_ids: set[int],
    summary: str,
    url: str,
    label: str,
    key: str,
    unit_ids=(),
    pairing_id=0,
    kind: str = "workflow",
) -> int:
    """One notification per user, the same entry in each one's digest, one webhook message per unit
    (none while records of the past are loaded: `core.quiet`) — through `fanout.deliver`."""
    if is_quiet():
        return 0
    user_ids = set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
    if not user_ids and not unit_ids:
        return 0
    today = timezone.localdate()
    entry = DigestEntry(
        key=key, summary=summary, url=url, due=today, label=label, overdue=False, offset=0, kind=kind
    )
    per_unit = {}
    if unit_ids:
        item = DeadlineItem(key, today, pairing_id, tuple(unit_ids), summary, url, kind=kind)
        per_unit = engine.webhook_entries([engine.Planned(item, 0, 0)], label=label)
    fanout.deliver(today, {user_id: {key: entry} for user_id in user_ids}, per_unit)
    return len(user_ids)


def liaison_staff(pairing_id: int) -> set[int]:
    return pairing_audience({pairing_id}, [Role.LIAISON]).get(pairing_id, set())


def report_event(sender, report, event: str, actor=None, **kwargs) -> None:
    task = report.period.task
    name = f"{task.number} {task.title}".strip()
    summary = _("%(unit)s 的进展报告：%(task)s（%(year)s年）") % {
        "unit": report.unit.name,
        "task": name,
        "year": report.period.year,
    }
    url = report.get_absolute_url()
    key = f"report:{report.pk}:{event}:{report.version}"
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    if event == "submitted":
        staff = liaison_staff(task.pairing_id) - {actor_id}
        units = set(User.objects.filter(pk__in=staff).exclude(unit=None).values_list("unit_id", flat=True))
        notify(staff, summary, url, _("已提交，待审核"), key, units, task.pairing_id)
    elif event in ("approved", "returned") and report.created_by_id and report.created_by_id != actor_id:
        label = (
            _("已审核通过")
            if event == "approved"
            else _("已退回：%(reason)s") % {"reason": report.return_reason}
        )
        notify({report.created_by_id}, summary, url, label[:200], key, (report.unit_id,), task.pairing_id)


def notice_event(notice, event: str, actor=None) -> None:
    """签收 / 反馈 / 办结 of a notice → the pairing's liaison staff; 销号 → the unit's people."""
    labels = {
        "signed": _("%(unit)s 已签收催办单"),
        "answered": _("%(unit)s 已反馈催办单"),
        "done": _("%(unit)s 已办结催办事项，待销号"),
        "closed": _("催办单已销号：%(unit)s"),
    }
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    if event == "closed":
        people = engine.unit_people([notice.unit_id])[notice.unit_id]
        notify(
            people - {actor_id},
            notice.summary,
            notice.get_absolute_url(),
            labels[event] % {"unit": notice.unit.name},
            f"notice:{notice.pk}:{event}",
            (notice.unit_id,),
            notice.pairing_id,
        )
        return
    office = liaison_staff(notice.pairing_id)
    if notice.issued_by_id:
        office.add(notice.issued_by_id)
    notify(
        office - {actor_id},
        notice.summary,
        notice.get_absolute_url(),
        labels[event] % {"unit": notice.unit.name},
        f"notice:{notice.pk}:{event}",
    )


def notice_issued(notice) -> None:
    """A 催办 sent by hand → the unit's people at once, in their digest, and to its robot webhook."""
    entry = engine.notice_entry(notice, notice.unit.name)
    label = entry.label
    if notice.message:
        label = f"{label}；{notice.message}"
    notify(
        engine.unit_people([notice.unit_id])[notice.unit_id],
        entry.summary,
        entry.url,
        label[:200],
        f"notice:{notice.pk}:urge:{notice.level_on}",
        (notice.unit_id,),
        notice.pairing_id,
        kind="urging",
    )
