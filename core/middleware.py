"""Request-level rules: an oversized body refused before it is read (Django has no limit on file
uploads), writes to a URL without its trailing slash, and private answers kept out of caches."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.middleware import common as django_common
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


class CommonMiddleware(django_common.CommonMiddleware):
    """Django's CommonMiddleware, except that a write to a URL without its trailing slash is a 404.

    Django redirects GET and HEAD to the URL with the slash (kept), but for POST, PUT, PATCH and
    DELETE it raises a RuntimeError under DEBUG (a 500) and otherwise answers a 301 that browsers
    and clients follow with a GET, silently dropping the body. A write finds no page instead.
    """

    def should_redirect_with_slash(self, request) -> bool:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return False
        return super().should_redirect_with_slash(request)


# Private answers: what a signed-in user reads (and every API answer, the token login's included)
# must not be kept by a shared proxy or the browser's disk cache on an office's shared machine.
NO_STORE = "private, no-store"


class PrivateAnswersMiddleware:
    """`Cache-Control: private, no-store` on the pages of a signed-in user and on every API answer.

    After the authentication middleware; DRF puts the token's user on the request too. Static files
    never get here (whitenoise answers them first) and keep their long cache lifetime.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = NO_STORE
        return response
