"""The demo's cooperation: an exchange passed on both sides and executed, carbon credits lent."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.demo import loader
from federage.federation import selectors
from federage.federation.models import Borrowing, Exchange
from federage.ledger import selectors as ledger_selectors

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
    # The workshop hours the fund received are used at once: a hire (613), no 486 left behind,
    # in the fund's own books now or at year end.
    fund = commons_selectors.commons_by_ids(commons_ids=[exchange.commons_b_id])[
        exchange.commons_b_id
    ]
    book = ledger_selectors.book_of(commons_id=fund.pk)
    for day in (MID_YEAR.date(), dt.date(2026, 12, 31)):
        closing = ledger_selectors.account_balances(book=book, at=day).closing()
        assert closing.get("486", 0) == 0
    entry = next(e for e in ledger_selectors.entries_of(book=book) if e.pk == exchange.entry_b_id)
    assert {(line.account.number, line.debit_cents) for line in entry.lines.all()} >= {
        ("613", 200_000)
    }
    assert rows.get("486", 0) == 0
