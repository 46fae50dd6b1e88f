"""Issue 12's ceiling on posting: an entry of n lines runs at most 6 statements, whatever n."""

import datetime as dt

import pytest

from federage.core import clock
from federage.core.money import Money
from federage.ledger import services
from federage.ledger.domain import LineInput
from federage.testing import StatementCounter

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
POSTING_CEILING = 6


def _lines(n: int) -> list[LineInput]:
    debits = [LineInput("512", debit=Money(100 + i)) for i in range(n - 1)]
    return [*debits, LineInput("706", credit=Money(sum(100 + i for i in range(n - 1))))]


def _post(commons, key: str, n: int):
    return services.entry_post(
        commons_id=commons.pk,
        journal="OD",
        entry_date=clock.today(),
        label=f"Écriture de {n} lignes",
        piece_ref=key,
        lines=_lines(n),
        idempotency_key=key,
        authorised_by={"source_type": "test"},
        actor_user_id=None,
    )


@pytest.mark.parametrize("n", [2, 50])
def test_posting_an_entry_runs_at_most_six_statements(make_user, make_commons, n):
    with clock.frozen(T0):
        commons = make_commons(make_user())
        services.book_open(commons_id=commons.pk)
        _post(commons, "warm-up", 2)  # the journal and the day already have rows
        with StatementCounter() as counted:
            entry = _post(commons, f"entry-{n}", n)
        assert entry.lines.count() == n
        assert counted.count <= POSTING_CEILING, counted.listing()


@pytest.mark.parametrize("n", [2, 50])
def test_posting_runs_as_many_statements_whatever_its_lines(make_user, make_commons, n):
    """The ceiling holds whatever n: the lock shares the read (see `_lock_and_gather`)."""
    with clock.frozen(T0):
        commons = make_commons(make_user())
        services.book_open(commons_id=commons.pk)
        _post(commons, "warm-up", 2)
        with StatementCounter() as counted:
            _post(commons, f"entry-{n}", n)
        assert counted.count <= POSTING_CEILING, counted.listing()


def test_a_retried_posting_reads_and_writes_nothing_more(make_user, make_commons):
    with clock.frozen(T0):
        commons = make_commons(make_user())
        services.book_open(commons_id=commons.pk)
        first = _post(commons, "same", 3)
        with StatementCounter() as counted:
            again = _post(commons, "same", 3)
        assert again.pk == first.pk
        assert counted.count <= 2, counted.listing()  # the locked read, the stored entry
