"""Rows inserted in bulk without the ORM's per-value SQL compilation.

``QuerySet.bulk_create`` compiles every value of every row through the field's SQL machinery
(placeholders, ``get_db_prep_save``, casts): for the 50,000 rows and history rows of a 5,000-row
responsibility table that cost more than everything else the import does. ``insert(model, objs)``
writes the same rows with one ``INSERT … VALUES (…), (…)`` per chunk of the database's parameter
limit (PostgreSQL: one statement; rows without ``RETURNING`` on SQLite: one ``executemany``),
through Django's cursor (so query counters and the debug toolbar see it), converting only the values that need it (dates, times, decimals, JSON), and sets
the new ids on the instances (``RETURNING``, PostgreSQL and SQLite ≥ 3.35).

For plain models only: no ``pre_save`` hooks (``auto_now``), no database defaults, no signals —
the caller writes history rows itself (``core.history.insert_history``).
"""

from __future__ import annotations

from django.db import connection

# Field types whose Python value is the database value on SQLite and PostgreSQL alike.
AS_IS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def _getter(field):
    attname = field.attname
    if field.get_internal_type() in AS_IS:
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


def insert(model, objs: list, *, returning: bool = True) -> list:
    """Insert unsaved `objs` of `model`; with `returning`, each gets its id. Returns `objs`."""
    if not objs:
        return objs
    returning = returning and connection.features.can_return_rows_from_bulk_insert
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and pk.db_returning)]
    for obj in objs:
        # A related object inserted since this one was made: take its id (as bulk_create does).
        obj._prepare_related_fields_for_save(operation_name="insert")
    getters = [_getter(f) for f in fields]
    rows = [[get(obj) for get in getters] for obj in objs]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    tail = f" RETURNING {quote(pk.column)}" if returning else ""
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = len(rows)
    if connection.features.max_query_params:
        per_statement = max(1, connection.features.max_query_params // len(fields))
    with connection.cursor() as cursor:
        if not returning and connection.vendor == "sqlite":
            # SQLite runs one prepared statement over every row in its own loop (in-process, no
            # round trips, no parameter limit): one statement however many rows.
            cursor.executemany(head + one, rows)
            rows = []
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, [v for row in chunk for v in row])
            if returning:
                for obj, (new_id,) in zip(
                    objs[start : start + per_statement], cursor.fetchall(), strict=True
                ):
                    setattr(obj, pk.attname, new_id)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs
