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
from federage.titles.models import Holding, Redemption, Transfer

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


def test_eight_threads_of_redemptions_and_transfers_never_over_reserve(
    purge_ledger, make_user, make_commons
):
    """Four redemption requests and four transfer acceptances of 30 units each race for one
    holding of 100: exactly three win, and the units reserved are those requested."""
    scene = build(make_user, make_commons, slug="rachats-et-cessions")
    accept(scene, proposed_price_cents=100_000)  # 100 units
    buyers = [scene.other, scene.approver1, scene.approver2, scene.steward]
    transfers = [
        services.transfer_propose(
            user=scene.contributor,
            commons_slug=scene.slug,
            buyer_agent_id=agent_of(buyer),
            units=Decimal("30"),
            unit_price_cents=1000,
        )
        for buyer in buyers
    ]

    def accept_job(transfer, buyer):
        return lambda: services.transfer_accept(user=buyer, transfer_id=transfer.pk).state

    def request_job():
        return services.redemption_request(
            user=scene.contributor, commons_slug=scene.slug, units=Decimal("30")
        ).state

    jobs = [accept_job(transfer, buyer) for transfer, buyer in zip(transfers, buyers, strict=True)]
    jobs += [request_job] * 4
    results = run_in_threads(jobs)
    won = [result for result in results if result in ("accepted", "requested")]
    lost = [result for result in results if result not in ("accepted", "requested")]
    assert len(won) == 3, results
    assert set(lost) <= {"insufficient_titles", "titles_reserved"}, results
    holding = Holding.objects.get(agent_id=agent_of(scene.contributor))
    accepted = Transfer.objects.filter(state="accepted").count()
    requested = Redemption.objects.filter(state="requested").count()
    assert accepted + requested == 3
    assert holding.units == Decimal("100") - 30 * accepted
    assert holding.reserved_units == 30 * requested
    assert holding.reserved_units <= holding.units
    assert selectors.titles_verify(commons_id=scene.commons.pk) == []
