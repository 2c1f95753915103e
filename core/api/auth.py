"""The API's token login, with the same throttling as the login page; every login issues a new
token (the tokens' rules: core/api/tokens.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from core.api.parsers import JSONParser
from core.api.tokens import token_max_age


class ObtainTokenView(ObtainAuthToken):
    """POST username and password → {"token": …, "expires": …}. Every login issues a new token (the
    old one stops working). A locked user name gets 429, even with the right password."""

    # DRF's view names its own parsers: the JSON one with the nesting bound instead.
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, JSONParser)

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        # axes marks the lock on the request object it was given: DRF's request here.
        if getattr(request, "axes_locked_out", False):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            return Response(
                {
                    "detail": _("登录失败次数过多，该用户名已被暂时锁定，请 %(minutes)d 分钟后再试。")
                    % {"minutes": minutes}
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        with transaction.atomic():
            # Rotated at every login: whoever held the previous token (a script, a shared machine)
            # is signed out of the API.
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key, "expires": (token.created + token_max_age()).isoformat()})
