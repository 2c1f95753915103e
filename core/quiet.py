"""Loading records of the past (the demo, a bulk import) tells nobody: a context in which the
workflow's notifications are not sent. Apps that notify ask `is_quiet()`."""

from __future__ import annotations

import contextlib
import contextvars

_quiet = contextvars.ContextVar("shanhai_quiet", default=False)


@contextlib.contextmanager
def quietly():
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    return _quiet.get()
