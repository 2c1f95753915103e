"""The address a request comes from, for the login lock-out.

Without a proxy it is REMOTE_ADDR. Behind the reverse proxy of a deployment (operations.md),
REMOTE_ADDR is the proxy's own address, the same for everybody: with PROXY_COUNT=n the client is
the n-th address from the right of X-Forwarded-For — the one the outermost trusted proxy appended.
What the client itself wrote there (the left-most entries) is never believed.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # not through the proxies: the direct peer
    return forwarded[-count]
