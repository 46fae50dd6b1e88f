"""The demo's cooperation: an exchange passed on both sides and executed, carbon credits lent."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core import clock
from federage.demo import loader
from federage.federation import selectors
from federage.federation.models import Borrowing, Exchange

pytestmark = pytest.mark.django_db

MID_YEAR = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


def test_demo_exchange_and_borrowing():
    with clock.frozen(MID_YEAR):
        loader.demo_load()
    exchange = Exchange.objects.get()
    assert exchange.state == "executed"
    assert exchange.decision_a_id and exchange.decision_b_id
    assert Borrowing.objects.get().state == "active"
    with clock.frozen(MID_YEAR):
        combined = selectors.combined_statements(slug="reseau-des-communs")
    assert len(combined["members"]) == 4 and combined["title"] == "comptes agrégés"
    # The exchange and the loan are inside the group: their gains and debts are eliminated.
    rows = {row["account"]: row["combined_cents"] for row in combined["accounts"]}
    assert rows.get("757", 0) == 0 and rows.get("1678", 0) == 0 and rows.get("2748", 0) == 0
