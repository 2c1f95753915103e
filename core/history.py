"""History: the one way a change names who made it, and history shown on pages (who, when, and each
field's old → new value).

Records come from django-simple-history; the diff between consecutive records is computed in
Python from one query, so a page with a long history still runs a fixed number of queries.
Rows written by jobs and commands have no user and are shown as “系统”.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


def as_actor(obj, user) -> None:
    """The history rows of `obj`'s next save name `user`; None (a command or job) is shown as “系统”.

    Every service that saves an audited model on someone's behalf calls this first; during a
    request the history middleware would name the request's user, but services also run from
    commands, Celery jobs and tests, where only this names the actor.
    """
    obj._history_user = user if user is not None and user.is_authenticated else None


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: object
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


# Bookkeeping fields never shown as a change (the row's version counter).
INTERNAL_FIELDS = {"id", "version"}


def _display(model_field: models.Field, value) -> str:
    """A value as people read it: choices by their label, times in local time to the minute, yes/no."""
    import datetime

    from django.utils import timezone
    from django.utils.translation import gettext as _

    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def history_rows(obj, limit: int = 50) -> list[HistoryRow]:
    """The newest `limit` changes of `obj`, newest first, each with its field changes."""
    from django.utils.translation import gettext as _

    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    tracked = [f for f in obj._meta.fields if f.name not in INTERNAL_FIELDS]
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            for f in tracked:
                attname = f.attname
                old, new = getattr(previous, attname, None), getattr(record, attname, None)
                if old != new:
                    if f.is_relation:
                        # Show ids of relations resolved to names only where cheap: the label suffices.
                        old, new = getattr(previous, f.name, None), getattr(record, f.name, None)
                    changes.append(Change(str(f.verbose_name), _display(f, old), _display(f, new)))
        user = record.history_user
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=str(user) if user else _("系统"),
                action=record.get_history_type_display(),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return rows


def insert_history(model, objs: list, history_type: str = "+") -> None:
    """Write the history rows of `objs` (saved, with ids) as django-simple-history's
    ``bulk_history_create`` would — who (``as_actor``), when, every tracked field — in one INSERT
    per chunk of the database's parameter limit (PostgreSQL: one), through Django's cursor
    (``core.bulk.insert``). For writers in bulk: ``bulk_create`` sends no signals.
    """
    from django.utils import timezone

    from core.bulk import insert

    if not objs:
        return
    historical = model.history.model
    now = timezone.now()
    rows = []
    for obj in objs:
        row = historical(
            history_date=now,
            history_change_reason=getattr(obj, "_change_reason", None),
            history_type=history_type,
            history_user_id=getattr(getattr(obj, "_history_user", None), "pk", None),
            **{field.attname: getattr(obj, field.attname) for field in historical.tracked_fields},
        )
        rows.append(row)
    insert(historical, rows, returning=False)
