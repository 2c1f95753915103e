"""API tokens: a token lives as long as a session (a working day, API_TOKEN_MAX_AGE), a new login
replaces it (core/api/auth.py), and a change of password removes it (`revoke_tokens_on_password_change`,
connected in core/apps.py), as it ends the user's sessions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_max_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.API_TOKEN_MAX_AGE)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, except that a token older than API_TOKEN_MAX_AGE is refused
    (and removed): a token copied from a script or a shared machine stops working by itself."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - token_max_age():
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新登录获取新的令牌。"))
        return user, token


def revoke_tokens_on_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save of the user model: a new password removes the user's API token.

    Django ends his sessions by itself (the session hash follows the password); the token would
    otherwise live on. Saves that name their fields without the password (the login's last_login)
    cost no query.
    """
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user_id=instance.pk).delete()
