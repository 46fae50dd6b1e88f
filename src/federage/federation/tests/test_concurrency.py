"""Two exchanges giving the same stock, their last votes cast at once: one executes, the other
is refused `insufficient_holding`; the stock never goes below zero (both databases)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from federage.core.errors import ApplicationError
from federage.federation import services
from federage.federation.models import Exchange
from federage.federation.tests.scene import make_pair, propose, stock, vote_through
from federage.governance import services as governance_services
from federage.ledger import selectors as ledger_selectors
from federage.ledger.testing import ledger_rows_purge

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def purge_ledger(transactional_db):
    yield
    if connection.vendor == "sqlite":
        ledger_rows_purge()


def run_in_threads(jobs):
    barrier = threading.Barrier(len(jobs))

    def wrapped(job):
        try:
            barrier.wait()
            return job()
        except ApplicationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(wrapped, jobs))


def test_two_exchanges_of_the_same_stock_at_once(purge_ledger, make_user, make_commons):
    pair = make_pair(make_user, make_commons)
    stock(pair.a, 100_000)
    exchanges = []
    for _ in range(2):
        exchange = propose(pair)
        vote_through(pair.a, exchange.proposal_a_id)
        exchange = services.exchange_submit(user=pair.b.steward, exchange_id=exchange.pk)
        vote_through(pair.b, exchange.proposal_b_id, leave_last=True)
        exchanges.append(exchange)

    def last_vote(exchange):
        return lambda: governance_services.ballot_cast(
            user=pair.b.other, proposal_id=exchange.proposal_b_id, choice="for"
        )

    run_in_threads([last_vote(exchange) for exchange in exchanges])
    assert Exchange.objects.filter(state="executed").count() == 1
    book = ledger_selectors.book_of(commons_id=pair.a.commons.pk)
    from federage.core import clock

    closing = ledger_selectors.account_balances(book=book, at=clock.today()).closing()
    assert closing["311"] == 40_000
