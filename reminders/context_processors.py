from __future__ import annotations

from reminders.models import Notification


def bell(request):
    """The unread count of the bell in the top bar: one indexed query per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
