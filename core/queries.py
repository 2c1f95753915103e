"""Long lists of ids or keys bound as ONE query parameter.

``field__in=[…]`` binds one parameter per value: the statement grows with the list, and a database
with a parameter limit (SQLite: 32,766 by default since 3.32, 999 before; Debian's build 250,000)
refuses a longer one, or the caller sends it in chunks — one query per chunk, a count that grows
with the data. ``in_one_param(values)`` is a subquery that unpacks a single parameter: a JSON array
on SQLite (``json_each``), an array on PostgreSQL (``unnest``). A look-up by any number of keys is
then one query with one parameter::

    ReminderLedger.objects.filter(item_key__in=in_one_param(keys))
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def in_one_param(values: Iterable, *, integers: bool = False):
    """The right-hand side of ``__in`` for `values` (strings, or ints with `integers`) in one parameter.

    Other databases get the plain list (one parameter per value), as before.
    """
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{'bigint' if integers else 'text'}[])", [values])
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values, ensure_ascii=False)])
    return values
