from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection

from cooperation.models import Unit
from reminders.models import Notification


def bell(request):
    """The unread count of the bell in the top bar: one indexed query per page.

    The same query reads the user's unit, which the top bar shows beside his name (`user.unit`):
    the page does not load it on its own. Written out as SQL: the ORM's annotated subquery took a
    millisecond to build on every page, longer than the query runs.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unit_field = get_user_model()._meta.get_field("unit")
    if not user.unit_id or unit_field.is_cached(user):
        return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
    unit = next(iter(Unit.objects.raw(_unit_and_unread_sql(), [user.pk, user.unit_id])), None)
    if unit is None:  # pragma: no cover - the unit was deleted during the request
        return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
    unit_field.set_cached_value(user, unit)
    return {"unread_notifications": unit.unread_count}


def _unit_and_unread_sql() -> str:
    """The user's unit with his unread notifications counted (the partial index `notification_unread`)."""
    qn = connection.ops.quote_name
    notification, unit = Notification._meta, Unit._meta
    user_id, read_at = (notification.get_field(name).column for name in ("user", "read_at"))
    return (
        f"SELECT u.*, (SELECT COUNT(*) FROM {qn(notification.db_table)} n"
        f" WHERE n.{qn(user_id)} = %s AND n.{qn(read_at)} IS NULL) AS unread_count"
        f" FROM {qn(unit.db_table)} u WHERE u.{qn(unit.pk.column)} = %s"
    )
