"""The API's JSON parser: DRF's, with a bound on how deeply a body may nest."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No endpoint takes more than a few levels (a report's values, a plan tree's node with children is
# imported from files, not posted): 32 leaves room and keeps every later step's recursion shallow.
MAX_DEPTH = 32


def depth(value) -> int:
    """How deeply lists and objects nest in a parsed body (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    """A body nested deeper than MAX_DEPTH is a 400 with a message, never a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(_("请求内容嵌套过深（最多 %(max)d 层），未做任何修改。") % {"max": MAX_DEPTH})
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The decoder gave up on a body nested thousands of levels deep.
            raise too_deep from None
        if depth(data) > MAX_DEPTH:
            raise too_deep
        return data
