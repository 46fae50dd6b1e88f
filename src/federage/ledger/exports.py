"""Exports of the books (FEC, hledger journal) and the registry behind `federage export <format>`.

Other apps add their formats from their `AppConfig.ready()`:

    from federage.ledger.exports import exporter_register
    exporter_register("ocf", help="…", add_arguments=lambda parser: …, run=lambda options, out: …)

`run(options, stdout)` gets the parsed options as a dict and returns nothing; it raises
`ApplicationError` for refusals (the command prints the message and exits non-zero).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.db import connection
from django.db.models import Max, Q

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.ledger import domain, selectors
from federage.ledger.models import Account, Book, Entry, Line, Period


@dataclass(frozen=True)
class Exporter:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[dict, TextIO], None]


EXPORTERS: dict[str, Exporter] = {}


def exporter_register(
    name: str,
    *,
    help: str,
    add_arguments: Callable[[argparse.ArgumentParser], None],
    run: Callable[[dict, TextIO], None],
) -> None:
    assert name not in EXPORTERS, f"exporter {name!r} registered twice"
    EXPORTERS[name] = Exporter(name, help, add_arguments, run)


# Who the FEC is filed for.


def commons_by_slug(slug: str):
    """Any commons by slug, whatever its visibility: for operators at the console."""
    commons = commons_selectors.commons_all_with_member_counts().filter(slug=slug).first()
    if commons is None:
        raise ApplicationError.on_field("commons", "not_found")
    return commons


def siren_for(commons) -> str:
    """The commons' own SIREN, else its manager's: the first steward organisation with one.

    A société en participation has no legal personality and often no SIREN; its books are then
    filed under the SIREN of the organisation that manages it (gérant).
    """
    agent = agent_selectors.agents_by_ids(agent_ids=[commons.agent_id]).get(commons.agent_id)
    if agent is not None and agent.siren:
        return agent.siren
    for membership in commons_selectors.active_members(commons=commons):
        if "steward" in commons_selectors.membership_roles(membership) and membership.agent.siren:
            return membership.agent.siren
    raise ApplicationError("no_siren")


# FEC.


def fec_chunks(*, book: Book, period: Period, chunk: int = 10_000) -> Iterator[tuple[str, int]]:
    """The FEC lines of a year in validation order, as (text, line count) chunks.

    Streamed through a server-side cursor (PostgreSQL) or fetchmany (SQLite): memory stays flat
    whatever the size of the year. Dates are formatted by the database; what is shared by the
    lines of one entry is formatted once per entry.
    """
    if connection.vendor == "postgresql":
        yield from _fec_chunks_copy(book=book, period=period)
        return
    entry, line = (connection.ops.quote_name(model._meta.db_table) for model in (Entry, Line))
    day = "strftime('%%Y%%m%%d', {})".format
    sql = (
        f"SELECT l.entry_id, e.journal, e.number, {day('e.entry_date')}, l.account_id, "  # noqa: S608
        f"e.piece_ref, {day('e.piece_date')}, e.label, l.label, l.debit_cents, l.credit_cents, "
        f"{day('e.validation_date')} FROM {line} l JOIN {entry} e ON e.id = l.entry_id "
        "WHERE e.book_id = %s AND e.period_id = %s ORDER BY e.sequence, l.position"
    )
    text = domain.fec_text
    accounts = {
        account.pk: f"{account.number}\t{text(account.label)}"
        for account in Account.objects.filter(book=book)
    }
    journal_labels = domain.JOURNALS
    last_entry = None
    head = piece = entry_label = tail = ""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [book.pk, period.pk])
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                return
            out = []
            for (
                entry_id,
                journal,
                number,
                entry_date,
                account_id,
                piece_ref,
                piece_date,
                label,
                line_label,
                debit,
                credit,
                validation_date,
            ) in rows:
                if entry_id != last_entry:
                    last_entry = entry_id
                    reference = f"{journal}{number:06d}"
                    head = f"{journal}\t{journal_labels.get(journal, journal)}\t{reference}\t{entry_date}\t"
                    piece = f"\t\t\t{text(piece_ref) or reference}\t{piece_date or entry_date}\t"
                    entry_label = text(label)
                    tail = f"\t\t\t{validation_date}\t\t\r\n"
                out.append(
                    f"{head}{accounts[account_id]}{piece}"
                    f"{text(line_label) if line_label else entry_label}\t"
                    f"{debit // 100},{debit % 100:02d}\t{credit // 100},{credit % 100:02d}{tail}"
                )
            yield "".join(out), len(out)


_TYPOGRAPHY = re.compile("[" + "".join(domain.FEC_TYPOGRAPHY) + "]")


def _typewritten(text: str) -> str:
    # A regular expression finds the rare characters far faster than str.translate scans.
    return _TYPOGRAPHY.sub(lambda match: domain.FEC_TYPOGRAPHY[match.group()], text)


def _fec_chunks_copy(*, book: Book, period: Period) -> Iterator[tuple[str, int]]:
    """PostgreSQL formats the lines itself, a thousand entries per row of a server-side cursor.

    Fetching one row per FEC line costs more in the driver than the formatting itself; the
    database's string_agg hands over blocks of ready-made lines instead.
    """
    entry, line, account = (
        connection.ops.quote_name(model._meta.db_table) for model in (Entry, Line, Account)
    )
    journal_label = " ".join(
        f"WHEN '{code}' THEN '{label.replace(chr(39), chr(39) * 2)}'"
        for code, label in domain.JOURNALS.items()
    )
    reference = (
        "e.journal || CASE WHEN e.number < 1000000 THEN lpad(e.number::text, 6, '0') "
        "ELSE e.number::text END"
    )

    def amount(column: str) -> str:
        return f"({column} / 100)::text || ',' || lpad(({column} % 100)::text, 2, '0')"

    tab = "E'\\t'"
    fields = (
        "e.journal",
        f"CASE e.journal {journal_label} ELSE e.journal END",
        reference,
        "to_char(e.entry_date, 'YYYYMMDD')",
        "a.number",
        "a.label",
        "''",
        "''",
        f"COALESCE(NULLIF(e.piece_ref, ''), {reference})",
        "to_char(COALESCE(e.piece_date, e.entry_date), 'YYYYMMDD')",
        "COALESCE(NULLIF(l.label, ''), e.label)",
        amount("l.debit_cents"),
        amount("l.credit_cents"),
        "''",
        "''",
        "to_char(e.validation_date, 'YYYYMMDD')",
        "''",
        "''",
    )
    formatted = f"concat({f', {tab}, '.join(fields)})"
    # Only integers from the database are interpolated; the rest is fixed text.
    sql = (
        f"SELECT string_agg({formatted}, E'\\r\\n' ORDER BY e.sequence, l.position), count(*) "  # noqa: S608
        f"FROM {line} l JOIN {entry} e ON e.id = l.entry_id "
        f"JOIN {account} a ON a.id = l.account_id "
        f"WHERE e.book_id = {int(book.pk)} AND e.period_id = {int(period.pk)} "
        "GROUP BY (e.sequence - 1) / 1000 ORDER BY (e.sequence - 1) / 1000"
    )
    with connection.cursor() as settings:
        # A year of lines sorts in memory rather than on disk; JIT does not pay off here.
        settings.execute("SET work_mem = '128MB'; SET jit = off")
    try:
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql)
            while True:
                rows = cursor.fetchmany(20)
                if not rows:
                    return
                for text, count in rows:
                    yield _typewritten(text) + "\r\n", count
    finally:
        with connection.cursor() as settings:
            settings.execute("RESET work_mem; RESET jit")


def fec_write(*, commons, year: int, out_dir: str | os.PathLike) -> Path:
    """Writes `<SIREN>FEC<closing date>.txt` for the fiscal year closing in `year`."""
    siren = siren_for(commons)
    book = selectors.book_of(commons_id=commons.pk)
    period = selectors.period_of_year(book=book, year=year)
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / domain.fec_filename(siren, period.end)
    fec_stream(book=book, period=period, path=path)
    return path


def fec_check(*, path: str | os.PathLike, period: Period) -> list[str]:
    """The anomalies the DGFiP's tester would report on a FEC file (`domain.fec_anomalies`)."""
    with open(path, encoding=domain.FEC_ENCODING, newline="") as lines:
        return domain.fec_anomalies(lines, start=period.start, end=period.end)


def fec_stream(*, book: Book, period: Period, path: Path) -> int:
    """Writes the FEC file; returns the number of lines (header excluded)."""
    count = 0
    with open(path, "w", encoding=domain.FEC_ENCODING, errors="replace", newline="") as out:
        out.write(domain.FEC_SEPARATOR.join(domain.FEC_COLUMNS) + "\r\n")
        for text, lines in fec_chunks(book=book, period=period):
            out.write(text)
            count += lines
    return count


def fec_bytes(*, commons, year: int) -> tuple[str, Iterator[bytes]]:
    """(file name, byte chunks) for an HTTP download of the FEC."""
    siren = siren_for(commons)
    book = selectors.book_of(commons_id=commons.pk)
    period = selectors.period_of_year(book=book, year=year)

    def chunks() -> Iterator[bytes]:
        yield (domain.FEC_SEPARATOR.join(domain.FEC_COLUMNS) + "\r\n").encode(domain.FEC_ENCODING)
        for text, _ in fec_chunks(book=book, period=period):
            yield text.encode(domain.FEC_ENCODING, errors="replace")

    return domain.fec_filename(siren, period.end), chunks()


# Plain-text journal for hledger and ledger.


# hledger's account types (A, L, E, R, X); off-balance accounts have none.
_HLEDGER_TYPES = {
    domain.ASSET: "A",
    domain.LIABILITY: "L",
    domain.EQUITY: "E",
    domain.INCOME: "R",
    domain.EXPENSE: "X",
}


# The tag of the derived closing transactions (`; closing: 2025`), which hledger and ledger both
# read, so that one query sets them aside: `not:tag:closing` (hledger), `not %closing` (ledger).
CLOSING_TAG = "closing"


@dataclass(frozen=True)
class Closing:
    """A closing transaction of the journal: derived from the entries, never stored in the book
    (nor in the FEC, which holds a year's own entries and its à-nouveaux)."""

    date: dt.date
    code: str
    label: str
    tag: str
    lines: tuple[tuple[str, int], ...]  # (account number, signed cents: debit − credit)


def journal_closings(*, book: Book) -> list[Closing]:
    """The closing transactions of every year the book goes on after, hledger's way.

    As `hledger close --retain` then `--migrate` would write them, on the year's last day: the
    year's income and expenses go to 120 or 129, then every balance-sheet account is brought to
    zero by the exact inverse of the à-nouveaux (journal AN) that reopen it the next day. Over
    the whole file, each closing cancels its à-nouveaux and each year's result stays in 120/129,
    which is how the trial balance reads earlier years. A year not closed in the book has no
    à-nouveaux, so only its result is moved once a later year has entries.
    """
    last = Entry.objects.filter(book=book).aggregate(last=Max("entry_date"))["last"]
    if last is None:
        return []
    closings = []
    for period in Period.objects.filter(book=book, end__lt=last).order_by("start"):
        balances = selectors.account_balances(book=book, at=period.end)
        year = f"{period.end:%Y}"
        span = f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
        retain = domain.retain_lines(balances.closing(), balances.accounts())
        if retain:
            closings.append(
                Closing(
                    period.end,
                    f"CLOTURE-{year}-R",
                    f"Clôture de l'exercice {span} : résultat de l'exercice (retain earnings)",
                    year,
                    tuple(retain),
                )
            )
        opening: dict[str, int] = defaultdict(int)
        for number, debit, credit in Line.objects.filter(
            book=book,
            entry__journal=domain.OPENING_JOURNAL,
            entry_date=period.end + dt.timedelta(days=1),
        ).values_list("account__number", "debit_cents", "credit_cents"):
            opening[number] += debit - credit
        closing = tuple((number, -amount) for number, amount in sorted(opening.items()) if amount)
        if closing:
            closings.append(
                Closing(
                    period.end,
                    f"CLOTURE-{year}-S",
                    f"Clôture de l'exercice {span} : soldes de clôture (closing balances)",
                    year,
                    closing,
                )
            )
    return closings


def journal_lines(
    *, book: Book, since: dt.date | None = None, until: dt.date | None = None, title: str = ""
) -> Iterator[str]:
    """A journal `hledger check` accepts, whose balances are those of our trial balance.

    Entries are written as booked, à-nouveaux (journal AN) included, and each year the book
    goes on after ends with its derived closing transactions (`journal_closings`), tagged
    `closing: YYYY`. So `hledger bal` (or `ledger bal`) over the whole file gives the trial
    balance at its last date, and `hledger bal -p YYYY not:tag:closing` (`ledger bal -p YYYY
    not %closing`) that of the year YYYY; the last, still open year needs no query.
    """
    yield f"; Federage — {title or f'livre {book.pk}'} — exporté le {clock.now():%Y-%m-%d %H:%M} UTC\n"
    yield "; Montants en euros ; les à-nouveaux (journal AN) ouvrent chaque exercice.\n"
    yield (
        "; Chaque exercice suivi d'un autre se termine par ses opérations de clôture, calculées\n"
        "; (absentes du livre et du FEC) comme `hledger close --retain` puis `--migrate` :\n"
        "; le résultat passe en 120 ou 129, puis les comptes de bilan sont soldés, et les\n"
        f"; à-nouveaux les rouvrent le lendemain. Elles portent l'étiquette `{CLOSING_TAG}: AAAA`.\n"
        ";   hledger bal                              balance à la dernière date (ledger bal)\n"
        f";   hledger bal -p AAAA not:tag:{CLOSING_TAG}      balance de l'exercice AAAA\n"
        f";   ledger bal -p AAAA not %{CLOSING_TAG}          (la même avec ledger)\n\n"
    )
    yield "commodity 1000.00 EUR\n\n"
    names = {}
    by_number = {}
    for account in Account.objects.filter(book=book).order_by("number"):
        names[account.pk] = domain.journal_account_name(account.number, account.label)
        by_number[account.number] = names[account.pk]
        kind = _HLEDGER_TYPES.get(account.type)
        tags = (
            f"type: {kind}, capital: {account.capital_kind}"
            if kind
            else f"capital: {account.capital_kind}"
        )
        yield f"account {names[account.pk]}  ; {tags}\n"
    yield "\n"
    entries = Entry.objects.filter(book=book)
    if since:
        entries = entries.filter(entry_date__gte=since)
    if until:
        entries = entries.filter(entry_date__lte=until)
    # hledger wants dates in order within a file for `check ordereddates`; sort by date.
    entries = entries.order_by("entry_date", "sequence")
    text = domain.journal_text
    closings = [
        closing
        for closing in journal_closings(book=book)
        if (since is None or closing.date >= since) and (until is None or closing.date <= until)
    ]

    def closed_before(day: dt.date | None) -> Iterator[str]:
        # A year's closing goes after its last day's entries, before the next day's à-nouveaux.
        while closings and (day is None or closings[0].date < day):
            closing = closings.pop(0)
            yield (
                f"{closing.date:%Y-%m-%d} * ({closing.code}) {text(closing.label)}"
                f"  ; {CLOSING_TAG}: {closing.tag}\n"
            )
            for number, signed in closing.lines:
                name = by_number.get(number) or domain.journal_account_name(number, "")
                yield f"    {name}    {domain.journal_amount(signed)}\n"
            yield "\n"

    after: tuple[dt.date, int] | None = None
    while True:
        page = entries
        if after is not None:
            # Keyset paging: OFFSET would re-sort the whole book for every page.
            page = page.filter(
                Q(entry_date__gt=after[0]) | Q(entry_date=after[0], sequence__gt=after[1])
            )
        chunk = list(
            page.values(
                "id",
                "sequence",
                "journal",
                "number",
                "entry_date",
                "label",
                "piece_ref",
                "validation_date",
            )[:2000]
        )
        if not chunk:
            yield from closed_before(None)
            return
        after = (chunk[-1]["entry_date"], chunk[-1]["sequence"])
        lines: dict[int, list[tuple]] = {}
        for entry_id, account_id, debit, credit, label in (
            Line.objects.filter(entry_id__in=[entry["id"] for entry in chunk])
            .order_by("entry_id", "position")
            .values_list("entry_id", "account_id", "debit_cents", "credit_cents", "label")
        ):
            lines.setdefault(entry_id, []).append((account_id, debit - credit, label))
        for entry in chunk:
            yield from closed_before(entry["entry_date"])
            code = domain.fec_entry_number(entry["journal"], entry["number"])
            header = f"{entry['entry_date']:%Y-%m-%d} * ({code}) {text(entry['label'])}"
            comment = f"  ; pièce: {text(entry['piece_ref'])}, validée: {entry['validation_date']}"
            yield header + comment + "\n"
            for account_id, signed, label in lines.get(entry["id"], []):
                note = f"  ; {text(label)}" if label else ""
                yield f"    {names[account_id]}    {domain.journal_amount(signed)}{note}\n"
            yield "\n"


def journal_write(*, commons, out: str | os.PathLike) -> Path:
    book = selectors.book_of(commons_id=commons.pk)
    path = Path(out)
    if path.parent:
        path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        buffer: list[str] = []
        for line in journal_lines(book=book, title=commons.name):
            buffer.append(line)
            if len(buffer) >= 20_000:
                handle.write("".join(buffer))
                buffer.clear()
        handle.write("".join(buffer))
    return path


# The two formats of this app in `federage export`.


def _fec_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--commons", required=True, help="slug of the commons")
    parser.add_argument("--year", required=True, type=int, help="year the fiscal year closes")
    parser.add_argument("--out", required=True, help="directory to write <SIREN>FEC<date>.txt in")


def _fec_run(options: dict, stdout: TextIO) -> None:
    commons = commons_by_slug(options["commons"])
    path = fec_write(commons=commons, year=options["year"], out_dir=options["out"])
    stdout.write(f"{path}\n")
    book = selectors.book_of(commons_id=commons.pk)
    anomalies = fec_check(
        path=path, period=selectors.period_of_year(book=book, year=options["year"])
    )
    for anomaly in anomalies:
        stdout.write(f"{anomaly}\n")
    if anomalies:
        raise ApplicationError("fec_invalid")


def _journal_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--commons", required=True, help="slug of the commons")
    parser.add_argument("--out", required=True, help="file to write (hledger/ledger journal)")


def _journal_run(options: dict, stdout: TextIO) -> None:
    path = journal_write(commons=commons_by_slug(options["commons"]), out=options["out"])
    stdout.write(f"{path}\n")


exporter_register(
    "fec",
    help="Fichier des écritures comptables (art. A47 A-1 LPF) of one fiscal year",
    add_arguments=_fec_arguments,
    run=_fec_run,
)
exporter_register(
    "journal",
    help="plain-text journal that hledger and ledger read",
    add_arguments=_journal_arguments,
    run=_journal_run,
)
