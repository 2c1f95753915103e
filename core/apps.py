from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("平台")

    def ready(self) -> None:
        # Names, titles and other single-line texts refuse hidden characters (core/text.py).
        from django.apps import apps
        from django.db import models
        from rest_framework import serializers

        from core.api.fields import StrictDecimalField
        from core.api.tokens import revoke_tokens_on_password_change
        from core.discovery import PROJECT_APPS
        from core.text import guard_names

        guard_names(model for model in apps.get_models() if model._meta.app_label in {"core", *PROJECT_APPS})

        # Every decimal a ModelSerializer reads (amounts, figures, targets) is read strictly.
        serializers.ModelSerializer.serializer_field_mapping[models.DecimalField] = StrictDecimalField

        pre_save.connect(
            revoke_tokens_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="core.revoke_tokens_on_password_change",
        )
