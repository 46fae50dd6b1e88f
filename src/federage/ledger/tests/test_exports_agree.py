"""The exported journal agrees with our trial balance in hledger and ledger, year by year."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest

from federage.core import clock
from federage.ledger import exports, selectors, services

HLEDGER = shutil.which("hledger")
LEDGER = shutil.which("ledger")
pytestmark = pytest.mark.skipif(
    HLEDGER is None or LEDGER is None, reason="hledger and ledger are not installed"
)


def _cents(text: str) -> int:
    return int(Decimal(text.replace("EUR", "").strip() or "0") * 100)


def _run(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 - fixed tools
    assert result.returncode == 0, result.stderr
    return result.stdout


def hledger(path, *query: str) -> dict[str, int]:
    output = _run(HLEDGER, "-f", str(path), "bal", "-O", "csv", "-N", *query)
    balances = {}
    for account, amount in list(csv.reader(io.StringIO(output)))[1:]:
        if _cents(amount):
            balances[account.split(" ", 1)[0]] = _cents(amount)
    return balances


def ledger(path, *query: str) -> dict[str, int]:
    output = _run(
        LEDGER,
        "-f",
        str(path),
        "bal",
        "--flat",
        "--no-total",
        "--balance-format",
        "%(account)\t%(quantity(scrub(display_total)))\n",
        *query,
    )
    balances = {}
    for row in output.splitlines():
        account, amount = row.rsplit("\t", 1)
        if _cents(amount):
            balances[account.split(" ", 1)[0]] = _cents(amount)
    return balances


def ours(book, at: dt.date) -> dict[str, int]:
    trial = selectors.trial_balance(book=book, at=at)
    return {row["number"]: row["balance_cents"] for row in trial["rows"] if row["balance_cents"]}


def last_date(book) -> dt.date:
    return max(entry.entry_date for entry in selectors.entries_of(book=book))


@pytest.fixture
def three_years(commons, post):
    """2025 ends with a loss (129), carried forward to 119 in 2026; 2026 ends with a profit
    (120); both are closed, 2027 is open."""
    services.period_open(
        commons_id=commons.pk, start=dt.date(2025, 1, 1), end=None, actor_user_id=None
    )
    periods = {
        p.start.year: p for p in selectors.periods_of(book=selectors.book_of(commons_id=commons.pk))
    }
    post(
        ("4562", 300_000, None),
        ("1013", None, 300_000),
        journal="AP",
        entry_date=dt.date(2025, 1, 5),
    )
    post(
        ("512", 300_000, None),
        ("4562", None, 300_000),
        journal="BQ",
        entry_date=dt.date(2025, 1, 20),
    )
    post(
        ("512", 100_000, None), ("164", None, 100_000), journal="FI", entry_date=dt.date(2025, 2, 1)
    )
    post(("606", 80_000, None), ("401", None, 80_000), journal="AC", entry_date=dt.date(2025, 5, 3))
    post(
        ("411", 30_000, None), ("706", None, 30_000), journal="VE", entry_date=dt.date(2025, 12, 31)
    )
    services.period_close(commons_id=commons.pk, period_id=periods[2025].pk, actor_user_id=None)
    post(("512", 75_000, None), ("741", None, 75_000), journal="FI", entry_date=dt.date(2026, 3, 1))
    post(("401", 80_000, None), ("512", None, 80_000), journal="BQ", entry_date=dt.date(2026, 3, 2))
    post(("613", 12_000, None), ("512", None, 12_000), journal="AC", entry_date=dt.date(2026, 4, 1))
    post(("661", 1_500, None), ("512", None, 1_500), journal="BQ", entry_date=dt.date(2026, 6, 1))
    # The members carry 2025's loss forward (119), so that 2026 can close with 129 empty.
    services.result_allocate(
        commons_id=commons.pk,
        period_id=periods[2025].pk,
        reserves_cents=0,
        carry_forward_cents=50_000,
        distribution_cents=0,
        actor_user_id=None,
        authorisation={"source_type": "test"},
    )
    with clock.frozen(dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)):
        services.period_close(commons_id=commons.pk, period_id=periods[2026].pk, actor_user_id=None)
        post(
            ("512", 30_000, None),
            ("411", None, 30_000),
            journal="BQ",
            entry_date=dt.date(2027, 1, 15),
        )
        post(
            ("606", 5_000, None),
            ("512", None, 5_000),
            journal="AC",
            entry_date=dt.date(2027, 1, 20),
        )
    return selectors.book_of(commons_id=commons.pk)


def test_whole_file_gives_the_trial_balance_at_its_last_date(three_years, commons, tmp_path):
    path = exports.journal_write(commons=commons, out=tmp_path / "book.journal")
    _run(HLEDGER, "-f", str(path), "check", "accounts", "ordereddates")
    expected = ours(three_years, last_date(three_years))
    # 2025's loss went to report à nouveau; 2026's profit stays in 120 until allocated.
    assert expected["119"] == 50_000 and "129" not in expected and expected["120"] == -61_500
    assert hledger(path) == expected
    assert ledger(path) == expected


def test_each_year_with_its_closing_set_aside(three_years, commons, tmp_path):
    path = exports.journal_write(commons=commons, out=tmp_path / "book.journal")
    for year in (2025, 2026):
        expected = ours(three_years, dt.date(year, 12, 31))
        assert hledger(path, "-p", str(year), "not:tag:closing") == expected, year
        assert ledger(path, "-p", str(year), "not", "%closing") == expected, year
    # The open year has no closing: a plain period report gives its trial balance.
    assert hledger(path, "-p", "2027") == ours(three_years, dt.date(2027, 12, 31))
    assert ledger(path, "-p", "2027") == ours(three_years, dt.date(2027, 12, 31))
    # A closed year's closing brings every account to zero, as its à-nouveaux reopen them.
    assert hledger(path, "-e", "2026-01-01") == {}
    assert hledger(path, "-e", "2027-01-01") == {}
    assert hledger(path, "-p", "2026", "tag:closing=2026") == {
        number: -amount for number, amount in ours(three_years, dt.date(2026, 12, 31)).items()
    }


def test_closing_transactions_are_derived_not_stored(three_years, commons, tmp_path):
    closings = exports.journal_closings(book=three_years)
    assert [(c.date, c.code) for c in closings] == [
        (dt.date(2025, 12, 31), "CLOTURE-2025-R"),
        (dt.date(2025, 12, 31), "CLOTURE-2025-S"),
        (dt.date(2026, 12, 31), "CLOTURE-2026-R"),
        (dt.date(2026, 12, 31), "CLOTURE-2026-S"),
    ]
    retain_2025 = dict(closings[0].lines)
    assert retain_2025 == {"606": -80_000, "706": 30_000, "129": 50_000}
    retain_2026 = dict(closings[2].lines)
    assert retain_2026["120"] == -61_500
    for closing in closings:
        assert sum(amount for _, amount in closing.lines) == 0
    # The closing of 2025 is the exact inverse of the à-nouveaux of 1 January 2026.
    opening = {
        line.account_number: line.debit_cents - line.credit_cents
        for line in selectors.opening_entry_lines(
            book=three_years, period=selectors.period_of_year(book=three_years, year=2025)
        )
    }
    assert dict(closings[1].lines) == {number: -amount for number, amount in opening.items()}
    # Nothing of them is booked: the book and each year's FEC hold entries and à-nouveaux only.
    entries = selectors.entries_of(book=three_years)
    assert not any("CLOTURE" in entry.label + entry.piece_ref for entry in entries)
    for year in (2025, 2026, 2027):
        period = selectors.period_of_year(book=three_years, year=year)
        fec = "".join(text for text, _ in exports.fec_chunks(book=three_years, period=period))
        assert "Clôture" not in fec and "CLOTURE" not in fec
        assert all(row.split("\t")[3][:4] == str(year) for row in fec.splitlines())
        assert (year != 2025) == ("\nAN\t" in "\n" + fec)
