"""Eight threads draw on one holding at once: it never goes negative, nothing is lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from federage.contributions.tests.scene import accept, agent_of, build
from federage.core.errors import ApplicationError
from federage.ledger.models import Entry
from federage.ledger.testing import ledger_rows_purge
from federage.titles import selectors, services
from federage.titles.models import Holding, Transfer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def purge_ledger(transactional_db):
    """This test commits: empty the append-only ledger tables before Django flushes."""
    yield
    # PostgreSQL's flush is a TRUNCATE, which the immutability triggers let through.
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


def test_eight_threads_never_overdraw_one_holding(purge_ledger, make_user, make_commons):
    scene = build(make_user, make_commons, slug="course-aux-titres")
    accept(scene, proposed_price_cents=100_000)  # 100 units
    buyers = [scene.other, scene.approver1, scene.approver2, scene.steward]
    transfers = [
        services.transfer_propose(
            user=scene.contributor,
            commons_slug=scene.slug,
            buyer_agent_id=agent_of(buyers[index % 4]),
            units=Decimal("30"),
            unit_price_cents=1000,
        )
        for index in range(8)
    ]

    def job(transfer):
        def run():
            buyer = buyers[transfers.index(transfer) % 4]
            return services.transfer_accept(user=buyer, transfer_id=transfer.pk).state

        return run

    results = run_in_threads([job(transfer) for transfer in transfers])
    assert sorted(results) == ["accepted"] * 3 + ["insufficient_titles"] * 5
    assert Holding.objects.get(agent_id=agent_of(scene.contributor)).units == Decimal("10")
    assert Transfer.objects.filter(state="accepted").count() == 3
    # Exactly one tax entry per accepted transfer, none for the refused ones.
    assert Entry.objects.filter(source_type="transfer").count() == 3
    totals = selectors.totals(commons_id=scene.commons.pk)
    assert totals["held"] == totals["issued"] == totals["outstanding"] == Decimal("100")
