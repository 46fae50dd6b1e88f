"""SQLite keeps every acknowledged commit through a power loss: WAL with synchronous FULL."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from federage.settings import _sqlite_synchronous


@pytest.mark.django_db
def test_sqlite_runs_in_wal_with_synchronous_full():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's durability setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL


def test_only_known_levels_are_accepted():
    assert _sqlite_synchronous(" normal ") == "NORMAL"
    with pytest.raises(ImproperlyConfigured):
        _sqlite_synchronous("OFF; DROP TABLE x")
