"""Test helpers: lifting the append-only triggers for a moment, to rewrite or tamper (tests only)."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator

from django.db import connection

_triggers = importlib.import_module("federage.governance.migrations.0003_append_only_triggers")


@contextlib.contextmanager
def append_only_lifted() -> Iterator[None]:
    """Drops the governance triggers, runs the block, puts them back."""
    vendor = connection.vendor
    reverse = {"sqlite": _triggers.SQLITE_REVERSE, "postgresql": _triggers.POSTGRESQL_REVERSE}
    forward = {"sqlite": _triggers.SQLITE, "postgresql": _triggers.POSTGRESQL}
    with connection.cursor() as cursor:
        for statement in reverse[vendor]:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in forward[vendor]:
                cursor.execute(statement)
