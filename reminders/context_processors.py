from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from reminders.models import Notification


def bell(request):
    """The unread count of the bell in the top bar: one indexed query per page.

    The same query reads the user's unit, which the top bar shows beside his name (`user.unit`):
    the page does not load it on its own.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    User = get_user_model()
    unit_field = User._meta.get_field("unit")
    if not user.unit_id or unit_field.is_cached(user):
        return {"unread_notifications": unread.count()}
    count = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    me = (
        User.objects.filter(pk=user.pk)
        .select_related("unit")
        .annotate(unread=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)))
        .first()
    )
    if me is None:  # pragma: no cover - the user was deleted during the request
        return {"unread_notifications": unread.count()}
    unit_field.set_cached_value(user, me.unit)
    return {"unread_notifications": me.unread}
