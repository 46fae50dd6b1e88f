"""Entries post to accounts of three digits or more (FEC CompteNum), in code and in the database."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.ledger import domain, selectors, services
from federage.ledger.models import Account, Entry, Line

_rule = importlib.import_module("federage.ledger.migrations.0003_postable_accounts")


def _alter_triggers(cursor, action: str) -> None:
    # PostgreSQL alters no table while deferred foreign-key checks wait: run them first.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"ALTER TABLE ledger_account {action} TRIGGER ledger_account_postable")
    cursor.execute(f"ALTER TABLE ledger_line {action} TRIGGER ledger_line_postable")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def before_the_rule(monkeypatch):
    """As books opened before the rule were: two-digit accounts could be created and posted to."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in _rule.SQLITE_REVERSE:
                cursor.execute(statement)
        else:
            _alter_triggers(cursor, "DISABLE")
    with monkeypatch.context() as patch:
        patch.setattr(domain, "check_postable", lambda lines: None)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    for statement in _rule.SQLITE:
                        cursor.execute(statement)
                else:
                    _alter_triggers(cursor, "ENABLE")


def legacy_account(commons, number: str, label: str, type: str) -> Account:
    return Account.objects.create(
        book=selectors.book_of(commons_id=commons.pk),
        number=number,
        label=label,
        type=type,
        capital_kind="financial",
        created_at=clock.now(),
    )


def counts() -> tuple[int, int]:
    return Entry.objects.count(), Line.objects.count()


def test_chart_posts_grants_to_741_and_materials_to_311(commons, post):
    book = selectors.book_of(commons_id=commons.pk)
    numbers = {account.number for account in selectors.accounts_of(book=book)}
    assert {"741", "311"} <= numbers and not {"74", "31"} & numbers
    assert selectors.account_get(book=book, number="741").type == domain.INCOME
    post(("512", 750_000, None), ("741", None, 750_000), journal="FI")
    assert domain.is_postable("741") and not domain.is_postable("74")


def test_posting_to_a_heading_is_refused_and_nothing_is_written(commons, post, monkeypatch):
    with before_the_rule(monkeypatch):
        legacy_account(commons, "74", "Subventions d'exploitation", domain.INCOME)
    before = counts()
    with pytest.raises(ApplicationError) as refusal:
        post(("512", 1_000, None), ("74", None, 1_000), journal="FI")
    assert refusal.value.code == "account_number_too_short"
    assert "lines.1.account_number" in refusal.value.fields
    assert counts() == before
    # An unknown short number is refused for what it is, before the book is even read.
    with pytest.raises(ApplicationError) as refusal:
        post(("512", 1_000, None), ("75", None, 1_000))
    assert refusal.value.code == "account_number_too_short"
    assert counts() == before


def test_the_database_refuses_short_accounts_and_lines_on_them(commons, post, monkeypatch):
    with before_the_rule(monkeypatch):
        legacy = legacy_account(commons, "74", "Subventions d'exploitation", domain.INCOME)
    with pytest.raises(DatabaseError), transaction.atomic():
        legacy_account(commons, "75", "Autres produits", domain.INCOME)
    entry = post(("512", 1_000, None), ("741", None, 1_000), journal="FI")
    with pytest.raises(DatabaseError), transaction.atomic():
        Line.objects.create(
            entry=entry,
            book=entry.book,
            position=3,
            account=legacy,
            entry_date=entry.entry_date,
            credit_cents=1,
        )
    assert Line.objects.filter(account=legacy).count() == 0


def test_old_two_digit_accounts_can_still_be_carried_and_corrected(commons, post, monkeypatch):
    """A book from before the rule: its 31 balance is carried by the à-nouveaux, and reversing
    the entry that booked it frees it to go to 311."""
    old_year = services.period_open(
        commons_id=commons.pk, start=dt.date(2025, 1, 1), end=None, actor_user_id=None
    )
    with before_the_rule(monkeypatch):
        legacy_account(commons, "31", "Matières premières", domain.ASSET)
        booked = post(
            ("31", 40_000, None),
            ("1014", None, 40_000),
            journal="AP",
            entry_date=dt.date(2025, 3, 1),
        )
    services.period_close(commons_id=commons.pk, period_id=old_year.pk, actor_user_id=None)
    book = selectors.book_of(commons_id=commons.pk)
    opening = selectors.entries_of(book=book, journal="AN")
    assert any(line.account.number == "31" for entry in opening for line in entry.lines.all())
    with pytest.raises(ApplicationError) as refusal:
        post(("311", 40_000, None), ("31", None, 40_000), journal="OD")
    assert refusal.value.code == "account_number_too_short"
    services.entry_reverse(
        commons_id=commons.pk, entry_id=booked.pk, idempotency_key="undo-31", actor_user_id=None
    )
    post(("311", 40_000, None), ("1014", None, 40_000), journal="AP")
    assert selectors.book_verify(book=book) == []
    rows = {
        row["number"]: row for row in selectors.trial_balance(book=book, at=clock.today())["rows"]
    }
    assert rows["31"]["balance_cents"] == 0 and rows["311"]["balance_cents"] == 40_000
