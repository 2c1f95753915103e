"""Read the user's pairings once per read-only request."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from cooperation.scoping import request_scope
from core import freshness


class ReadScopeMiddleware:
    """On read-only requests, the user's pairings are read once and reused by every scoped query,
    and each version token of the cached figures once (`core.freshness.same_tokens`).

    See `cooperation.scoping.request_scope`. The user stays lazy: a request that never looks at it
    (the health check, a static file) reads no session and no user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and hasattr(request, "user"):
            lazy = request.user

            def load():
                lazy.pk  # noqa: B018 — evaluates the authentication middleware's lazy user
                user = lazy._wrapped
                request_scope(user)
                return user

            request.user = SimpleLazyObject(load)
            with freshness.same_tokens():
                return self.get_response(request)
        return self.get_response(request)
