"""Test helpers of the ledger: a fixed date, line shorthand, and emptying the append-only tables.

SQLite's flush between transactional tests is a plain DELETE, which the immutability triggers
refuse; PostgreSQL's TRUNCATE does not fire them. Call `ledger_rows_purge()` at the teardown of
such tests (the `purge_ledger` fixture of the ledger tests does) before Django flushes.
"""

from __future__ import annotations

import datetime as dt
import importlib

from django.db import connections, transaction

from federage.core.money import Money
from federage.ledger.domain import LineInput

_triggers = importlib.import_module("federage.ledger.migrations.0002_immutability_triggers")

# Mid-year, so that the current fiscal year is 2026 and there is room on both sides.
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def lines_of(*specs) -> list[LineInput]:
    """('512', 1000, None) → a debit of 10,00 € on 512; a fourth item is the line's label."""
    return [
        LineInput(
            number,
            Money(debit) if debit is not None else None,
            Money(credit) if credit is not None else None,
            rest[0] if rest else "",
        )
        for number, debit, credit, *rest in specs
    ]


def ledger_rows_purge(using: str = "default") -> None:
    """Deletes every entry and line, lifting the triggers for that moment only (tests only).

    On PostgreSQL there is nothing to do: Django's flush TRUNCATEs, which row triggers ignore.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in _triggers.SQLITE_REVERSE:
            cursor.execute(statement)
        # Dues and their payments point to entries: they go first.
        cursor.execute("DELETE FROM ledger_duepayment")
        cursor.execute("DELETE FROM ledger_due")
        cursor.execute("DELETE FROM ledger_accountday")
        cursor.execute("DELETE FROM ledger_line")
        cursor.execute("UPDATE ledger_period SET carried_forward_by_id = NULL")
        cursor.execute("DELETE FROM ledger_entry")
        for statement in _triggers.SQLITE:
            cursor.execute(statement)
