from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("平台")

    def ready(self) -> None:
        from django.db import models
        from rest_framework import serializers

        from core.api.fields import StrictDecimalField
        from core.api.tokens import revoke_tokens_on_password_change

        # Every decimal a ModelSerializer reads (amounts, figures, targets) is read strictly.
        serializers.ModelSerializer.serializer_field_mapping[models.DecimalField] = StrictDecimalField

        pre_save.connect(
            revoke_tokens_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="core.revoke_tokens_on_password_change",
        )
