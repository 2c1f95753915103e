"""Refuse an oversized request body before Django reads it (Django has no limit on file uploads)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# Room for the form fields and multipart framing around a file of the largest accepted size.
OVERHEAD = 1024 * 1024


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_BYTES
        if length > limit + OVERHEAD:
            message = _("上传内容为 %(size).1f MB，超过 %(limit)d MB 的上限，未做任何修改。") % {
                "size": length / 1048576,
                "limit": limit // 1048576,
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
