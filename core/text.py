"""Text as users post it, cleaned by one rule before it is stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_text(value: str | None, field: str, label: str, *, max_length: int | None = None) -> str:
    """User text as it may be stored, or a ValidationError on `field` naming `label`.

    Pages post some texts straight to these services (a return reason, a progress note, a lock
    reason): a NUL byte (which PostgreSQL refuses with a 500) or a text over the column's length
    is refused here with a message, on SQLite and PostgreSQL alike.
    """
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("%(label)s不能包含空字符（\\x00）。") % {"label": label}})
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            {
                field: _("%(label)s最多 %(max)d 个字（现有 %(n)d 个）。")
                % {"label": label, "max": max_length, "n": len(text)}
            }
        )
    return text
