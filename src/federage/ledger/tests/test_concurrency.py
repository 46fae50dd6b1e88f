"""Eight threads posting into one book at once lose nothing and break no chain."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from federage.core.money import Money
from federage.ledger import selectors, services
from federage.ledger.domain import LineInput
from federage.ledger.models import Entry
from federage.ledger.testing import TODAY

THREADS = 8
PER_THREAD = 12


def _run_threads(target) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def work(index: int) -> None:
        try:
            barrier.wait()
            target(index)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection: close it

    threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _post(commons_id: int, user_id: int, key: str, cents: int, journal: str):
    return services.entry_post(
        commons_id=commons_id,
        journal=journal,
        entry_date=TODAY,
        label="Redevance",
        piece_ref=key[:20],
        lines=[LineInput("411", debit=Money(cents)), LineInput("706", credit=Money(cents))],
        idempotency_key=key,
        authorised_by={"source_type": "concurrency"},
        actor_user_id=user_id,
    )


@pytest.mark.django_db(transaction=True)
def test_eight_threads_posting_at_once(purge_ledger, commons, steward):
    def work(index: int) -> None:
        for round in range(PER_THREAD):
            journal = "VE" if round % 2 else "BQ"
            _post(commons.pk, steward.pk, f"t{index}-{round}-{uuid.uuid4()}", 100 + index, journal)

    assert _run_threads(work) == []
    book = selectors.book_of(commons_id=commons.pk)
    assert book.entry_count == THREADS * PER_THREAD
    for journal in ("VE", "BQ"):
        numbers = sorted(
            Entry.objects.filter(book=book, journal=journal).values_list("number", flat=True)
        )
        assert numbers == list(range(1, THREADS * PER_THREAD // 2 + 1))
    assert selectors.book_verify(book=book) == []
    expected = sum((100 + index) * PER_THREAD for index in range(THREADS))
    assert selectors.account_balances(book=book, at=TODAY).closing()["411"] == expected


@pytest.mark.django_db(transaction=True)
def test_eight_threads_sending_the_same_key_book_once(purge_ledger, commons, steward):
    results: list[int] = []

    def work(index: int) -> None:
        results.append(_post(commons.pk, steward.pk, "same-key", 500, "VE").pk)

    assert _run_threads(work) == []
    assert len(results) == THREADS and len(set(results)) == 1
    book = selectors.book_of(commons_id=commons.pk)
    assert book.entry_count == 1 and selectors.book_verify(book=book) == []
