"""Posting, refusals, reversals, periods and immutability of the books."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.models import Event
from federage.core.money import Money
from federage.ledger import domain, selectors, services
from federage.ledger.domain import LineInput
from federage.ledger.models import AccountDay, Book, Entry, ImmutableError, Line, Period
from federage.ledger.testing import TODAY, lines_of

# Early in the next year: 2026 has ended and may be closed.
NEXT_YEAR = dt.datetime(2027, 1, 20, 10, 0, tzinfo=dt.UTC)


def _counts() -> tuple[int, ...]:
    return (
        Entry.objects.count(),
        Line.objects.count(),
        AccountDay.objects.count(),
        Event.objects.filter(type__startswith="ledger.entry").count(),
        sum(Book.objects.values_list("entry_count", flat=True)),
    )


def test_book_opens_with_the_commons(commons):
    book = selectors.book_of(commons_id=commons.pk)
    numbers = {account.number for account in selectors.accounts_of(book=book)}
    assert {"1013", "1014", "1015", "4562", "512", "706", "708", "741", "261", "120"} <= numbers
    # Every account of the chart can take postings: three digits at least (FEC CompteNum).
    assert min(len(number) for number in numbers) >= 3
    [period] = selectors.periods_of(book=book)
    assert (period.start, period.end, period.status) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        "open",
    )
    assert services.book_open(commons_id=commons.pk).pk == book.pk  # idempotent
    labour = selectors.account_get(book=book, number="1015")
    assert (labour.type, labour.capital_kind) == ("equity", "human")


def test_post_books_a_balanced_entry(commons, post):
    entry = post(("4562", 50_000, None), ("1013", None, 50_000), journal="AP")
    assert (entry.journal, entry.number, entry.sequence, entry.total_cents) == ("AP", 1, 1, 50_000)
    assert entry.validation_date == TODAY
    assert entry.previous_hash == domain.GENESIS_HASH and len(entry.hash) == 64
    second = post(("512", 50_000, None), ("4562", None, 50_000), journal="BQ")
    third = post(("4562", 100, None), ("1013", None, 100), journal="AP")
    assert (second.number, third.number, third.sequence) == (1, 2, 3)
    assert second.previous_hash == entry.hash and third.previous_hash == second.hash
    book = Book.objects.get(commons_id=commons.pk)
    assert (book.entry_count, book.head_hash) == (3, third.hash)
    balances = selectors.account_balances(book=book, at=TODAY).closing()
    assert balances["512"] == 50_000 and balances["4562"] == 100 and balances["1013"] == -50_100
    assert Event.objects.filter(type="ledger.entry_posted", commons_id=commons.pk).count() == 3
    assert selectors.book_verify(book=book) == []


def test_same_key_same_content_returns_the_stored_entry(post):
    first = post(("512", 1000, None), ("706", None, 1000), key="k-1")
    before = _counts()
    again = post(("512", 1000, None), ("706", None, 1000), key="k-1")
    assert again.pk == first.pk and _counts() == before


@pytest.mark.parametrize(
    ("specs", "kwargs", "code"),
    [
        ((("512", 1000, None), ("706", None, 999)), {}, "unbalanced_entry"),
        ((("512", 0, None), ("706", None, 0)), {}, "amount_not_positive"),
        ((("512", -5, None), ("706", None, -5)), {}, "amount_not_positive"),
        ((("512", 5, 5), ("706", 5, 5)), {}, "amount_not_positive"),
        ((("512", 1000, None),), {}, "entry_too_few_lines"),
        ((("999", 1000, None), ("706", None, 1000)), {}, "unknown_account"),
        ((("512", 1000, None), ("706", None, 1000)), {"journal": "ZZ"}, "unknown_journal"),
        ((("512", 1000, None), ("706", None, 1000)), {"journal": "AN"}, "journal_reserved"),
        (
            (("512", 1000, None), ("706", None, 1000)),
            {"entry_date": dt.date(2030, 1, 1)},
            "no_period",
        ),
        ((("512", 1000, None), ("706", None, 1000)), {"label": "  "}, "required"),
    ],
)
def test_refusals_write_nothing(post, specs, kwargs, code):
    post(("512", 1, None), ("706", None, 1))
    before = _counts()
    with pytest.raises(ApplicationError) as refusal:
        post(*specs, **kwargs)
    assert refusal.value.code == code
    assert _counts() == before


def test_reused_key_with_other_content_is_refused(post):
    post(("512", 1000, None), ("706", None, 1000), key="k-2")
    before = _counts()
    with pytest.raises(ApplicationError) as refusal:
        post(("512", 1001, None), ("706", None, 1001), key="k-2")
    assert refusal.value.code == "idempotency_key_reused"
    assert _counts() == before


def test_float_amounts_are_refused():
    with pytest.raises(TypeError):
        LineInput("512", Money(10.5))  # type: ignore[arg-type]


def test_reverse_posts_a_linked_mirror(commons, post, steward):
    original = post(("606", 2500, None), ("512", None, 2500), journal="AC")
    reversal = services.entry_reverse(
        commons_id=commons.pk,
        entry_id=original.pk,
        idempotency_key="rev-1",
        actor_user_id=steward.pk,
    )
    assert reversal.reverses_id == original.pk and reversal.journal == "AC"
    assert reversal.number == 2
    stored = [
        (line.account.number, line.debit_cents, line.credit_cents) for line in reversal.lines.all()
    ]
    assert sorted(stored) == [("512", 2500, 0), ("606", 0, 2500)]
    book = selectors.book_of(commons_id=commons.pk)
    closing = selectors.account_balances(book=book, at=TODAY).closing()
    assert closing["606"] == 0 and closing["512"] == 0
    again = services.entry_reverse(
        commons_id=commons.pk,
        entry_id=original.pk,
        idempotency_key="rev-1",
        actor_user_id=steward.pk,
    )
    assert again.pk == reversal.pk
    with pytest.raises(ApplicationError) as refusal:
        services.entry_reverse(
            commons_id=commons.pk,
            entry_id=original.pk,
            idempotency_key="rev-2",
            actor_user_id=steward.pk,
        )
    assert refusal.value.code == "already_reversed"


def _year_2025(commons) -> Period:
    return services.period_open(
        commons_id=commons.pk,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        actor_user_id=None,
    )


def test_closing_carries_balances_forward_and_locks_the_year(commons, post):
    old = _year_2025(commons)
    day = dt.date(2025, 3, 1)
    post(("512", 100_000, None), ("1013", None, 100_000), entry_date=day, journal="AP")
    post(("606", 30_000, None), ("512", None, 30_000), entry_date=day, journal="AC")
    post(("512", 45_000, None), ("706", None, 45_000), entry_date=day, journal="VE")
    book = selectors.book_of(commons_id=commons.pk)
    before_close = selectors.balance_sheet(book=book, at=TODAY)
    closed = services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    assert closed.status == "closed" and closed.carried_forward_by is not None
    opening = closed.carried_forward_by
    assert opening.journal == "AN" and opening.entry_date == dt.date(2026, 1, 1)
    carried = {
        line.account.number: line.debit_cents - line.credit_cents for line in opening.lines.all()
    }
    assert carried == {"512": 115_000, "1013": -100_000, "120": -15_000}
    # Reports do not change: the AN restates what they already derive.
    assert selectors.balance_sheet(book=book, at=TODAY) == before_close
    sheet = selectors.balance_sheet(book=book, at=TODAY)
    assert sheet["total_actif_cents"] == sheet["total_passif_cents"] == 115_000
    assert sheet["result_cents"] == 0  # nothing earned yet in 2026
    income_2025 = selectors.income_statement(book=book, at=dt.date(2025, 12, 31))
    assert income_2025["result_cents"] == 15_000
    with pytest.raises(ApplicationError) as refusal:
        post(("512", 1, None), ("706", None, 1), entry_date=day)
    assert refusal.value.code == "period_closed"
    assert selectors.book_verify(book=book) == []

    reopened = services.period_reopen(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    assert reopened.status == "open" and reopened.carried_forward_by is None
    reversal = Entry.objects.get(reverses=opening)
    assert reversal.journal == "AN" and reversal.entry_date == opening.entry_date
    post(("512", 1000, None), ("706", None, 1000), entry_date=day)
    again = services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    lines = {
        line.account.number: line.debit_cents - line.credit_cents
        for line in again.carried_forward_by.lines.all()
    }
    assert lines == {"512": 116_000, "1013": -100_000, "120": -16_000}
    assert selectors.book_verify(book=book) == []


def test_period_rules(commons, post):
    book = selectors.book_of(commons_id=commons.pk)
    current = selectors.period_at(book=book, at=TODAY)
    old = _year_2025(commons)
    with pytest.raises(ApplicationError) as refusal:
        services.period_close(commons_id=commons.pk, period_id=current.pk, actor_user_id=None)
    assert refusal.value.code == "period_not_ended"
    with clock.frozen(NEXT_YEAR), pytest.raises(ApplicationError) as refusal:
        services.period_close(commons_id=commons.pk, period_id=current.pk, actor_user_id=None)
    assert refusal.value.code == "previous_period_open"
    with pytest.raises(ApplicationError) as refusal:
        _year_2025(commons)
    assert refusal.value.code == "period_overlap"
    with pytest.raises(ApplicationError) as refusal:
        services.period_reopen(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    assert refusal.value.code == "period_not_closed"
    # A year with a loss: the loss lands in 129.
    post(("606", 700, None), ("512", None, 700), entry_date=dt.date(2025, 5, 5))
    closed = services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    carried = {
        line.account.number: line.debit_cents - line.credit_cents
        for line in closed.carried_forward_by.lines.all()
    }
    assert carried == {"512": -700, "129": 700}
    with clock.frozen(NEXT_YEAR):
        # 2025's loss still in 129: 2026 would carry two years' results.
        with pytest.raises(ApplicationError) as refusal:
            services.period_close(commons_id=commons.pk, period_id=current.pk, actor_user_id=None)
        assert refusal.value.code == "result_not_allocated"
    services.result_allocate(
        commons_id=commons.pk,
        period_id=old.pk,
        reserves_cents=0,
        carry_forward_cents=700,
        distribution_cents=0,
        actor_user_id=None,
        authorisation={"source_type": "test"},
    )
    with clock.frozen(NEXT_YEAR):
        services.period_close(commons_id=commons.pk, period_id=current.pk, actor_user_id=None)
    assert Period.objects.filter(book=book, start=dt.date(2027, 1, 1), status="open").exists()
    with pytest.raises(ApplicationError) as refusal:
        services.period_reopen(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    assert refusal.value.code == "later_period_closed"
    assert selectors.book_verify(book=book) == []


def test_sub_accounts(commons, post):
    account = services.account_create(
        commons_id=commons.pk, number="5121", label="Banque – compte projets", actor_user_id=None
    )
    assert (account.type, account.capital_kind) == ("asset", "financial")
    field = services.account_create(
        commons_id=commons.pk, number="2111", label="Parcelle pilote", actor_user_id=None
    )
    assert field.capital_kind == "natural"
    post(("5121", 300, None), ("741", None, 300))
    salaries = services.account_create(
        commons_id=commons.pk,
        number="641",
        label="Rémunérations",
        type="expense",
        actor_user_id=None,
    )
    assert (salaries.type, salaries.capital_kind) == ("expense", "financial")
    for number, code in (
        ("5121", "account_exists"),
        ("0512", "invalid_account_number"),
        ("999", "invalid_account_number"),
        ("51a", "invalid_account_number"),
        ("7", "account_number_too_short"),
        ("74", "account_number_too_short"),
    ):
        with pytest.raises(ApplicationError) as refusal:
            services.account_create(
                commons_id=commons.pk, number=number, label="x", actor_user_id=None
            )
        assert refusal.value.code == code


def test_entries_and_lines_are_immutable_in_code(post):
    entry = post(("512", 1000, None), ("706", None, 1000))
    entry.label = "changed"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    line = entry.lines.first()
    with pytest.raises(ImmutableError):
        line.save()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_line SET debit_cents = debit_cents + 1 WHERE debit_cents > 0",
        "UPDATE ledger_entry SET label = 'falsified'",
        "DELETE FROM ledger_line",
        "DELETE FROM ledger_entry",
    ],
)
def test_database_refuses_changes_through_raw_sql(post, statement):
    post(("512", 1000, None), ("706", None, 1000))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert Line.objects.filter(debit_cents=1000).count() == 1


def _drop_triggers(cursor) -> None:
    if connection.vendor == "sqlite":
        for table in ("ledger_entry", "ledger_line"):
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER {table}_no_{op}")
    else:
        cursor.execute("DROP TRIGGER ledger_line_immutable ON ledger_line")
        cursor.execute("DROP TRIGGER ledger_entry_immutable ON ledger_entry")


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE ledger_line SET debit_cents = debit_cents + 100 WHERE debit_cents = 1000",
            "altered",
        ),
        ("UPDATE ledger_entry SET label = 'falsified' WHERE journal = 'VE'", "altered"),
        (
            "UPDATE ledger_line SET account_id = (SELECT id FROM ledger_account WHERE number = '530') WHERE debit_cents = 1000",
            "altered",
        ),
        ("DELETE FROM ledger_line WHERE credit_cents = 2000", "fewer than two lines"),
        ("UPDATE ledger_accountday SET debit_cents = debit_cents + 1", "running balance"),
    ],
)
def test_verify_detects_tampering_behind_the_triggers(commons, post, statement, expected):
    post(("512", 1000, None), ("706", None, 1000), journal="VE")
    post(("606", 2000, None), ("512", None, 2000), journal="AC")
    book = selectors.book_of(commons_id=commons.pk)
    assert selectors.book_verify(book=book) == []
    with connection.cursor() as cursor:
        _drop_triggers(cursor)
        cursor.execute(statement)
    problems = selectors.book_verify(book=book)
    assert problems and any(expected in problem for problem in problems), problems


def test_verify_detects_a_deleted_entry(commons, post):
    for _ in range(3):
        post(("512", 1000, None), ("706", None, 1000), journal="VE")
    book = selectors.book_of(commons_id=commons.pk)
    with connection.cursor() as cursor:
        _drop_triggers(cursor)
        cursor.execute(
            "DELETE FROM ledger_line WHERE entry_id = (SELECT id FROM ledger_entry WHERE number = 2)"
        )
        cursor.execute("DELETE FROM ledger_entry WHERE number = 2")
    problems = selectors.book_verify(book=book)
    assert any("sequence gap" in p for p in problems) and any(
        "previous hash" in p for p in problems
    )


def test_lines_sum_check_in_domain():
    with pytest.raises(ApplicationError):
        domain.check_lines(lines_of(("512", 1, None), ("706", None, 2)))
    assert domain.check_lines(lines_of(("512", 1, None), ("706", None, 1))) == 1
