"""Ids taken before their row is inserted, for a row that others point to before it is written."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def next_id_sql(model: type[Model]) -> str:
    """An SQL expression that takes the next id of `model`'s table, to select with a lock.

    PostgreSQL draws it from the column's sequence (never handed out twice, even if this
    transaction rolls back). SQLite runs one writer at a time (BEGIN IMMEDIATE): the next id
    is above every id the table holds or ever held (its AUTOINCREMENT counter), and nobody
    else can take it before this transaction ends. The row is inserted later in the same
    transaction; foreign keys to it are checked at commit (Django creates them deferred).
    """
    table = model._meta.db_table
    column = model._meta.pk.column
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return f"nextval(pg_get_serial_sequence('{quote(table)}', '{column}'))"
    return (
        f"(SELECT MAX(COALESCE((SELECT MAX({quote(column)}) FROM {quote(table)}), 0), "  # noqa: S608
        f"COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0)) + 1)"
    )
