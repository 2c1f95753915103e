"""API errors in the user's language; model validation and protected deletes never become a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _parse_error(exc: ParseError) -> ParseError:
    """DRF's parsers answer a broken body in English ("JSON parse error - Expecting …"): say it in
    the request's language, with the place of the fault when the JSON decoder names it."""
    text = str(exc.detail)
    if text.startswith("JSON parse error"):
        # The parser raises inside its `except ValueError`, so the decoder's error is the context.
        cause = exc.__context__
        line, column = getattr(cause, "lineno", None), getattr(cause, "colno", None)
        if line is not None and column is not None:
            return ParseError(
                _("请求内容不是有效的 JSON（第 %(line)d 行第 %(column)d 列附近有误），未做任何修改。")
                % {"line": line, "column": column}
            )
        return ParseError(_("请求内容不是有效的 JSON，未做任何修改。"))
    if text.startswith("Multipart form parse error"):
        return ParseError(_("上传的表单数据已损坏，无法读取，未做任何修改。"))
    return exc


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError):
        return Response({"detail": _("仍有其他数据引用此记录，不能删除。")}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ParseError):
        exc = _parse_error(exc)
    return drf_exception_handler(exc, context)
