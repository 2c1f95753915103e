"""The browsable API is a developer's tool: offered only when DEBUG is on."""

from __future__ import annotations

from django.conf import settings
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer


class DebugOnlyBrowsableAPI(DefaultContentNegotiation):
    """JSON for everybody; the browsable API's HTML pages and forms only under DEBUG.

    Decided per request (not when the settings are read), so a deployment that turns DEBUG off
    never serves them, and `?format=api` is then a 404 like any unknown format.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        if not settings.DEBUG:
            renderers = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
        return super().select_renderer(request, renderers, format_suffix)
