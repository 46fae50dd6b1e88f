"""Fixtures of the ledger tests: a commons with its book, a posting helper, a fixed clock."""

from __future__ import annotations

import uuid

import pytest

from federage.core import clock
from federage.ledger import services
from federage.ledger.testing import NOW, TODAY, ledger_rows_purge, lines_of


@pytest.fixture(autouse=True)
def _fixed_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def purge_ledger(transactional_db):
    """For tests that commit: empties the append-only tables before Django flushes."""
    yield
    ledger_rows_purge()


@pytest.fixture
def steward(make_user):
    return make_user(name="Gestionnaire")


@pytest.fixture
def commons(make_commons, steward):
    return make_commons(steward)


@pytest.fixture
def post(commons, steward):
    def post(*specs, journal="OD", entry_date=None, key=None, label="Écriture", commons_id=None):
        return services.entry_post(
            commons_id=commons_id or commons.pk,
            journal=journal,
            entry_date=entry_date or TODAY,
            label=label,
            piece_ref="PIECE-1",
            lines=lines_of(*specs),
            idempotency_key=key or uuid.uuid4().hex,
            authorised_by={"source_type": "test", "source_id": "1"},
            actor_user_id=steward.pk,
        )

    return post
