"""On the demo data, the exports agree with other tools: hledger, ledger, the FEC checks and an
outside FEC reader."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections import defaultdict

import pytest

from federage.commons.models import Commons
from federage.core import clock
from federage.demo import loader
from federage.governance.models import DecisionEffect
from federage.ledger import exports, selectors
from federage.ledger.tests.test_exports_agree import hledger, ledger, ours


def fec_reader(path) -> dict[str, int]:
    """Balances per account in cents as PyPI's fec-parser (written by others) reads the file."""
    from fec_parser.parser import FECParser

    parser = FECParser.from_bytesio(io.BytesIO(path.read_bytes()), str(path))
    sums: dict[str, int] = defaultdict(int)
    for line in parser.get_ecritures():
        sums[line.compte_num] += int((line.debit - line.credit) * 100)
    assert parser.errors == []
    return {number: cents for number, cents in sums.items() if cents}


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("hledger") is None or shutil.which("ledger") is None,
        reason="hledger and ledger are not installed",
    ),
]


@pytest.mark.parametrize(
    "moment",
    [dt.datetime(2026, 12, 1, 21, 0, tzinfo=dt.UTC), dt.datetime(2027, 1, 2, 8, 0, tzinfo=dt.UTC)],
    ids=["december", "new-year"],
)
def test_demo_journals_and_fec_files_agree(moment, tmp_path):
    with clock.frozen(moment):
        loader.demo_load()
        # Every demo decision did what it decided (none waits for the books to allow it).
        assert not DecisionEffect.objects.exists(), list(DecisionEffect.objects.values())
        books = 0
        for commons in Commons.objects.order_by("slug"):
            book = selectors.book_of(commons_id=commons.pk)
            entries = selectors.entries_of(book=book)
            if not entries.exists():
                continue
            books += 1
            path = exports.journal_write(commons=commons, out=tmp_path / f"{commons.slug}.journal")
            last = max(entry.entry_date for entry in entries)
            assert hledger(path) == ours(book, last), commons.slug
            assert ledger(path) == ours(book, last), commons.slug
            for period in selectors.periods_of(book=book):
                if period.start > last:
                    continue
                year = str(period.end.year)
                at = min(period.end, last)
                assert hledger(path, "-p", year, "not:tag:closing") == ours(book, at), year
                assert ledger(path, "-p", year, "not", "%closing") == ours(book, at), year
                fec = tmp_path / f"{commons.slug}-{year}.txt"
                exports.fec_stream(book=book, period=period, path=fec)
                assert exports.fec_check(path=fec, period=period) == [], (commons.slug, year)
                assert fec_reader(fec) == ours(book, at), (commons.slug, year)
        assert books >= 2
