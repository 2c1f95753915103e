"""Text as users post it, cleaned by one rule before it is stored."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Invisible characters that are not format controls but show as nothing (Hangul fillers).
_BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f"}


def hidden_character(value: str) -> str | None:
    """The first character of `value` a reader cannot see, or None.

    Format characters (Unicode category Cf: zero-width space and joiners U+200B–U+200D, word joiner
    U+2060, BOM U+FEFF, soft hyphen U+00AD, the bidirectional controls U+200E/F, U+202A–U+202E,
    U+2066–U+2069, U+061C …) and blank-looking fillers. With them two names that read the same are different rows (“晋江市教育局” and
    “晋江市\u200b教育局”), or a name shows reversed.
    """
    for char in value:
        if char in _BLANK_LOOKING or unicodedata.category(char) == "Cf":
            return char
    return None


@deconstructible
class NameValidator:
    """Single-line text (names, titles, numbers) without hidden characters.

    core/apps.py gives it to every CharField of the project's models at start — the page forms,
    the API and the admin all run it — without entering the migrations.
    """

    message = gettext_lazy(
        "不能包含看不见的字符（零宽字符或文字方向控制符等，此处为 U+%(code)04X），请删除后重新输入。"
    )
    code = "hidden_character"

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        char = hidden_character(value)
        if char is not None:
            raise ValidationError(self.message, code=self.code, params={"code": ord(char)})

    def __eq__(self, other) -> bool:
        return isinstance(other, NameValidator)


validate_name = NameValidator()


def guard_names(models) -> None:
    """Append `validate_name` to every single-line CharField of `models` (not to their history)."""
    from django.db.models import CharField
    from simple_history.models import HistoricalChanges

    for model in models:
        if issubclass(model, HistoricalChanges) or model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            # `validators` is cached per field: adding to it changes validation, not deconstruct(),
            # so no migration follows.
            if isinstance(field, CharField) and not field.choices and validate_name not in field.validators:
                field.validators.append(validate_name)


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
