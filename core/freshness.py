"""Cached figures that are never older than the last write: a version token per family of figures.

A page that aggregates tens of thousands of rows (the dashboards) keeps its result in the cache
under the *current token* of the data it reads. Every write those figures depend on changes the
token (`changed()`, called by post_save / post_delete receivers and by the few writes in bulk), so
the next request misses the cache and computes the figures again: a cached figure is never older
than the last save. The token lives in the database (`core.models.DataVersion`), not in the cache,
so it is shared by every web process and by management commands and Celery workers, whatever the
cache backend (a per-process memory cache, or Redis), and survives a Redis restart.

- A write inside a transaction changes the token when the transaction commits (`on_commit`: one
  short UPDATE, no row lock held during the transaction). Until then, reads on the same connection
  inside that transaction compute the figures live, so a request (or a test) reads its own writes.
- A rolled-back transaction changes nothing.
- The cache is a help, never a dependency: if it fails (Redis down), the figures are computed live.
- Entries also expire after `TIMEOUT` seconds, a safety net for a write that skipped `save()` and
  forgot to call `changed()` (queryset `update()`, `bulk_create`, raw SQL — call `changed()` there).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

logger = logging.getLogger(__name__)

FIGURES = "figures"
# The pairings each unit sees (cooperation/scoping.py).
SCOPE = "scope"
FAMILIES = (FIGURES, SCOPE)
TIMEOUT = 600
T = TypeVar("T")

# The tokens already read during a read-only request (`same_tokens`): the task list read the scope
# token once for each of its three option lists and once for the user's pairings.
_request_tokens: ContextVar[dict[str, str] | None] = ContextVar("freshness_request_tokens", default=None)


@contextmanager
def same_tokens() -> Iterator[None]:
    """Within this block each token is read from the database once (cooperation/middleware.py wraps
    every GET and HEAD request in it): the request works from the data's version as it found it,
    as if it had run a moment earlier. A token changed within the block (`changed()` outside a
    transaction) is read again; inside a transaction that changed it, figures are computed live
    as always."""
    reset = _request_tokens.set({})
    try:
        yield
    finally:
        _request_tokens.reset(reset)


def _bump(name: str) -> None:
    from core.models import DataVersion

    token = secrets.token_hex(16)
    memo = _request_tokens.get()
    if memo is not None:
        memo.pop(name, None)
    if not DataVersion.objects.filter(name=name).update(token=token):
        try:
            with transaction.atomic():
                DataVersion.objects.create(name=name, token=token)
        except IntegrityError:  # created by a concurrent write meanwhile: change it again
            DataVersion.objects.filter(name=name).update(token=token)


def changed(name: str = FIGURES) -> None:
    """Figures of family `name` are out of date from now on (at commit, inside a transaction)."""
    if not connection.in_atomic_block:
        _bump(name)
        return
    # Reads on this connection bypass the cache until this transaction ends (see `token`).
    dirty = connection.__dict__.setdefault("_freshness_dirty", {})
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    if dirty.get(name) is outermost and outermost is not None:
        return  # already registered for this transaction
    dirty[name] = outermost
    transaction.on_commit(lambda: _bump(name), robust=True)


def token(name: str = FIGURES) -> str | None:
    """The current token of family `name`, or None when figures must be computed live (this
    connection's open transaction has changed them)."""
    if connection.in_atomic_block:
        dirty = connection.__dict__.get("_freshness_dirty", {})
        if connection.atomic_blocks and dirty.get(name) is connection.atomic_blocks[0]:
            return None
    memo = _request_tokens.get()
    if memo is not None:
        if name in memo:
            return memo[name]
        if not memo:
            # The request's first token: every family's in the same statement (a page that reads
            # the scope's token reads the figures' too, or soon will).
            memo.update(_read_tokens(FAMILIES))
            if name in memo:
                return memo[name]
    current = _read_token(name)
    if current is None:
        # The first read of a new database: a random token of its own (a database restored from a
        # copy, or another one of the same ids, never reuses another's cached figures).
        _bump(name)
        current = _read_token(name)
    if memo is not None and current is not None:
        memo[name] = current
    return current


def _read_token(name: str) -> str | None:
    """The stored token of `name`: one SQL statement, without building a queryset (a list page
    reads three or four tokens, and the ORM's compiling cost more than the database's answer)."""
    return _read_tokens((name,)).get(name)


def _read_tokens(names: tuple[str, ...]) -> dict[str, str]:
    """The stored tokens of `names` (those that exist) in one SQL statement."""
    from core.models import DataVersion

    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('name')}, {quote('token')} FROM {quote(DataVersion._meta.db_table)} "
        f"WHERE {quote('name')} IN ({', '.join(['%s'] * len(names))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(names))
        return dict(cursor.fetchall())


def cached(key: str, compute: Callable[[], T], name: str = FIGURES) -> T:
    """`compute()`'s result, kept under `key` for the current token of `name` (computed live when
    the setting FIGURES_CACHE is off: the test suite, where every test rolls back its writes)."""
    if not settings.FIGURES_CACHE:
        return compute()
    current = token(name)
    if current is None:
        return compute()
    full = f"{name}:{current}:{hashlib.sha1(key.encode()).hexdigest()}"
    try:
        value = cache.get(full)
    except Exception:  # the cache is down: compute live
        logger.warning("cache unavailable, figures computed live", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full, value, TIMEOUT)
        except Exception:
            logger.warning("cache unavailable, figures not kept", exc_info=True)
    return value
