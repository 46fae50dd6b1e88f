"""Writes on the books: open a book, add accounts, post and reverse entries, open and close years.

`entry_post` is the one door into the books for every app (contributions, titles, funding…):

    from federage.core.money import Money
    from federage.ledger.domain import LineInput
    from federage.ledger.services import entry_post

    entry = entry_post(
        commons_id=commons.pk,
        journal="AP",                      # a code of domain.JOURNALS ("AI" for labour)
        entry_date=clock.today(),
        label="Apport en numéraire de Camille",
        piece_ref="APPORT-42",             # the document an accountant would ask for
        lines=[
            LineInput("4562", debit=Money(50_000)),
            LineInput("1013", credit=Money(50_000)),
        ],
        idempotency_key=f"contribution:{contribution.pk}:accepted",
        authorised_by={
            "source_type": "contribution", "source_id": str(contribution.pk),
            "decision_id": decision.pk, "charter_version_id": charter.pk,
        },
        actor_user_id=user.pk,
    )

It runs inside the caller's transaction when there is one (call it from your own
`@write` service (core.transactions) so the entry and your rows commit or fail together).
Refusals are `ApplicationError`s with codes `unbalanced_entry`, `amount_not_positive`,
`entry_too_few_lines`, `unknown_account`, `unknown_journal`, `journal_reserved`, `no_period`,
`period_closed`, `idempotency_key_reused`; nothing is written when one is raised.
The same key with the same content returns the stored entry (safe to retry).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.money import check_cents
from federage.core.transactions import write
from federage.governance import selectors as governance_selectors
from federage.ledger import domain, selectors
from federage.ledger.domain import Authorisation, LineInput
from federage.ledger.models import Account, AccountDay, Book, Entry, Line, Period


def _lock_book(commons_id: int) -> Book:
    # The row lock serialises postings of one book (PostgreSQL); SQLite's BEGIN IMMEDIATE
    # already serialises every writer. Both keep numbering and the hash chain gap-free.
    book = Book.objects.select_for_update().filter(commons_id=commons_id).first()
    if book is None:
        raise ApplicationError("not_found")
    return book


def _calendar_year(day: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


@write
def book_open(*, commons_id: int) -> Book:
    """Opens the book of a commons (idempotent): the chart of accounts and the current year."""
    book = Book.objects.filter(commons_id=commons_id).first()
    if book is not None:
        return book
    now = clock.now()
    book = Book.objects.create(commons_id=commons_id, head_hash=domain.GENESIS_HASH, created_at=now)
    Account.objects.bulk_create(
        Account(
            book=book,
            number=spec.number,
            label=spec.label,
            type=spec.type,
            capital_kind=spec.capital_kind,
            created_at=now,
        )
        for spec in domain.CHART
    )
    start, end = _calendar_year(clock.today())
    Period.objects.create(book=book, start=start, end=end)
    event_record(
        type="ledger.book_opened",
        commons_id=commons_id,
        actor_user_id=None,
        data={"book_id": book.pk, "period": [start.isoformat(), end.isoformat()]},
    )
    return book


@write
def account_create(
    *,
    commons_id: int,
    number: str,
    label: str,
    actor_user_id: int | None,
    type: str | None = None,
    capital_kind: str | None = None,
) -> Account:
    """Adds an account: a sub-account (5121 under 512) inherits type and capital kind from its
    parent; a number outside the chart (641) needs an explicit type."""
    book = _lock_book(commons_id)
    number = domain.check_account_number(number)
    label = " ".join((label or "").split())
    if not label:
        raise ApplicationError.on_field("label", "required")
    accounts = {account.number: account for account in Account.objects.filter(book=book)}
    if number in accounts:
        raise ApplicationError.on_field("number", "account_exists")
    parents = [accounts.get(number[:size]) for size in range(len(number) - 1, 1, -1)]
    parent = next((account for account in parents if account is not None), None)
    if parent is None and type is None:
        # A number outside the seeded chart (e.g. 641) needs its type said explicitly.
        raise ApplicationError.on_field("number", "invalid_account_number")
    type = type or parent.type
    capital_kind = capital_kind or (parent.capital_kind if parent else domain.FINANCIAL)
    if type not in domain.ACCOUNT_TYPES:
        raise ApplicationError.on_field("type", "invalid_value")
    if capital_kind not in domain.CAPITAL_KINDS:
        raise ApplicationError.on_field("capital_kind", "invalid_value")
    account = Account.objects.create(
        book=book,
        number=number,
        label=label[:160],
        type=type,
        capital_kind=capital_kind,
        created_at=clock.now(),
    )
    event_record(
        type="ledger.account_created",
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data={"number": number},
    )
    return account


# How far ahead of today a posting may open years by itself: the next year, for a deadline,
# a schedule or a notice that falls after 31 December. Anything later is a typing error.
YEARS_OPENED_AHEAD = 1


def account_ensure(
    *,
    commons_id: int,
    number: str,
    label: str,
    type: str | None = None,
    capital_kind: str | None = None,
    actor_user_id: int | None = None,
) -> None:
    """Opens the account when the book lacks it (an app posting to 1688, 6811, 28154… the first
    time); an account already there is left as it is."""
    book = selectors.book_of(commons_id=commons_id)
    if not Account.objects.filter(book=book, number=number).exists():
        account_create(
            commons_id=commons_id,
            number=number,
            label=label,
            type=type,
            capital_kind=capital_kind,
            actor_user_id=actor_user_id,
        )


def _period_for(book: Book, day: dt.date) -> Period:
    """The year holding `day`, opening the years after the last one when a posting needs them.

    A book never freezes on 1 January: the first posting, decision or job dated in a year not
    yet opened opens it (and any skipped year before it), on the locked book. A date before the
    first year, or more than YEARS_OPENED_AHEAD years after today, stays `no_period`.
    """
    period = Period.objects.filter(book=book, start__lte=day, end__gte=day).first()
    if period is not None:
        return period
    last = Period.objects.filter(book=book).order_by("-end").first()
    if last is None or day <= last.end or day.year > clock.today().year + YEARS_OPENED_AHEAD:
        raise ApplicationError.on_field("entry_date", "no_period")
    while last.end < day:
        last = _period_create(book, *_next_year(last), actor_user_id=None, automatic=True)
    return last


def _period_create(
    book: Book, start: dt.date, end: dt.date, *, actor_user_id: int | None, automatic: bool
) -> Period:
    """Opens a year and records it; `automatic` when a posting or a closing needed it."""
    period = Period.objects.create(book=book, start=start, end=end)
    event_record(
        type="ledger.period_opened",
        commons_id=book.commons_id,
        actor_user_id=actor_user_id,
        data={
            "period_id": period.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "automatic": automatic,
        },
    )
    return period


@dataclass(frozen=True)
class _Known:
    """What a posting reads from its locked book before it writes (see `_gather`)."""

    stored_id: int | None
    stored_digest: str | None
    period_id: int | None
    period_status: str | None
    last_number: int | None
    accounts: dict[str, int]  # account number -> id, for the numbers asked that exist
    account_types: dict[str, str] = field(default_factory=dict)  # account number -> type


def _gather_sql() -> str:
    """The statement of `_gather`, written once: the ORM would compile five subqueries at
    every posting. Table names come from the models; every value is a parameter."""
    entry, period, account = (
        connection.ops.quote_name(model._meta.db_table) for model in (Entry, Period, Account)
    )
    end = connection.ops.quote_name("end")
    stored = f"FROM {entry} e WHERE e.book_id = %s AND e.idempotency_key = %s LIMIT 1"
    year = f"FROM {period} p WHERE p.book_id = %s AND p.start <= %s AND p.{end} >= %s"
    return (
        f"SELECT a.number, a.id, a.type, (SELECT e.id {stored}), "  # noqa: S608
        f"(SELECT e.request_digest {stored}), "
        f"(SELECT p.id {year} ORDER BY p.id LIMIT 1), "
        f"(SELECT p.status {year} ORDER BY p.id LIMIT 1), "
        # ORDER BY … LIMIT 1 walks the (book, journal, number) unique index backwards.
        f"(SELECT e.number FROM {entry} e WHERE e.book_id = %s AND e.journal = %s "
        f"ORDER BY e.number DESC LIMIT 1) "
        f"FROM {account} a WHERE a.book_id = %s AND a.number IN "
    )


def _lock_and_gather(
    commons_id: int, journal: str, key: str, day: dt.date, numbers: set[str]
) -> tuple[Book, _Known]:
    """Locks the book and reads what `_gather` reads, in one statement.

    The book's own row (count, head) is its latest version: on PostgreSQL a row lock that
    waited re-reads the row it locked. Everything else may come from the snapshot taken before
    the wait, so it is only trusted where it cannot have gone stale, and re-checked where it can:
    `_insert_entry_if_current` refuses to insert under a number, a key or a year that moved.
    """
    book_t, entry, period, account = (
        connection.ops.quote_name(model._meta.db_table) for model in (Book, Entry, Period, Account)
    )
    end = connection.ops.quote_name("end")
    stored = f"FROM {entry} e WHERE e.book_id = b.id AND e.idempotency_key = %s LIMIT 1"
    year = f"FROM {period} p WHERE p.book_id = b.id AND p.start <= %s AND p.{end} >= %s"
    numbers = sorted(numbers)
    lock = " FOR UPDATE OF b" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT b.id, b.entry_count, b.head_hash, b.created_at, a.number, a.id, a.type, "  # noqa: S608
        f"(SELECT e.id {stored}), (SELECT e.request_digest {stored}), "
        f"(SELECT p.id {year} ORDER BY p.id LIMIT 1), "
        f"(SELECT p.status {year} ORDER BY p.id LIMIT 1), "
        f"(SELECT e.number FROM {entry} e WHERE e.book_id = b.id AND e.journal = %s "
        f"ORDER BY e.number DESC LIMIT 1) "
        f"FROM {book_t} b LEFT JOIN {account} a ON a.book_id = b.id AND a.number IN ("
        + ", ".join(["%s"] * len(numbers))
        + f") WHERE b.commons_id = %s{lock}"
    )
    day_value = connection.ops.adapt_datefield_value(day)
    params = [key, key, day_value, day_value, day_value, day_value, journal, *numbers, commons_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        raise ApplicationError("not_found")
    first = rows[0]
    book = Book(
        pk=first[0],
        commons_id=commons_id,
        entry_count=first[1],
        head_hash=first[2],
        created_at=first[3],
    )
    accounts = {row[4]: row[5] for row in rows if row[4] is not None}
    if not accounts:
        return book, _gather(book, journal, key, day, set(numbers))
    types = {row[4]: row[6] for row in rows if row[4] is not None}
    return book, _Known(*first[7:], accounts=accounts, account_types=types)


def _insert_entry_if_current(entry: Entry, period_id: int) -> bool:
    """Inserts `entry` unless, read now, its number is taken, its key is used or its year is
    no longer open; False when it did not insert (a read from before the lock went stale)."""
    fields = [field for field in Entry._meta.concrete_fields if not field.primary_key]
    table, period = (connection.ops.quote_name(model._meta.db_table) for model in (Entry, Period))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    if connection.vendor == "postgresql":
        # INSERT … SELECT types its values from the SELECT: a NULL would be text.
        values = ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in fields)
    else:
        values = ", ".join(["%s"] * len(fields))
    params = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
    params += [
        entry.book_id,
        entry.journal,
        entry.number,
        entry.idempotency_key,
        period_id,
        Period.OPEN,
    ]
    # The table names come from the models; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {values} WHERE NOT EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {table} e WHERE e.book_id = %s AND "
        f"((e.journal = %s AND e.number >= %s) OR e.idempotency_key = %s)) "
        f"AND EXISTS (SELECT 1 FROM {period} p WHERE p.id = %s AND p.status = %s) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    entry.pk = row[0]
    entry._state.adding = False
    entry._state.db = connection.alias
    return True


def _gather(book: Book, journal: str, key: str, day: dt.date, numbers: set[str]) -> _Known:
    """Everything a posting checks, read in one statement once the book is locked.

    One row per account asked that exists, each carrying the same scalar subqueries: the
    entry already stored under the idempotency key, the year holding `day` and the journal's
    last number. When none of the accounts exists there is no row: the same reads then run
    one by one, so every refusal keeps its order (idempotency, period, accounts).
    """
    day_value = connection.ops.adapt_datefield_value(day)
    numbers = sorted(numbers)
    sql = _gather_sql() + "(" + ", ".join(["%s"] * len(numbers)) + ")"
    params = [book.pk, key, book.pk, key, book.pk, day_value, day_value]
    params += [book.pk, day_value, day_value, book.pk, journal, book.pk, *numbers]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows:
        first = rows[0]
        return _Known(
            *first[3:],
            accounts={row[0]: row[1] for row in rows},
            account_types={row[0]: row[2] for row in rows},
        )
    entry = (
        Entry.objects.filter(book=book, idempotency_key=key)
        .values_list("pk", "request_digest")
        .first()
    )
    found = (
        Period.objects.filter(book=book, start__lte=day, end__gte=day)
        .order_by("pk")
        .values_list("pk", "status")
        .first()
    )
    return _Known(
        stored_id=entry[0] if entry else None,
        stored_digest=entry[1] if entry else None,
        period_id=found[0] if found else None,
        period_status=found[1] if found else None,
        last_number=None,  # unused: an unknown account refuses the entry
        accounts={},
    )


def _post(
    *,
    book: Book,
    journal: str,
    entry_date: dt.date,
    label: str,
    piece_ref: str,
    piece_date: dt.date | None,
    lines: Sequence[LineInput],
    idempotency_key: str,
    authorisation: Authorisation,
    actor_user_id: int | None,
    reverses: Entry | None = None,
    allow_reserved: bool = False,
    known: _Known | None = None,
) -> Entry:
    """Posts on a locked book. Every check runs before the first write.

    `known`: what `_lock_and_gather` read with the lock, perhaps from before the lock was
    granted; a refusal or a stale read then reads again, now that the book is locked.
    """
    if journal not in domain.JOURNALS:
        raise ApplicationError.on_field("journal", "unknown_journal")
    if journal in domain.RESERVED_JOURNALS and not allow_reserved:
        raise ApplicationError.on_field("journal", "journal_reserved")
    if not isinstance(entry_date, dt.date) or isinstance(entry_date, dt.datetime):
        raise ApplicationError.on_field("entry_date", "invalid_value")
    label = " ".join((label or "").split())
    if not label:
        raise ApplicationError.on_field("label", "required")
    if len(label) > 200:
        raise ApplicationError.on_field("label", "too_long")
    piece_ref = (piece_ref or "").strip()
    if len(piece_ref) > 80:
        raise ApplicationError.on_field("piece_ref", "too_long")
    idempotency_key = (idempotency_key or "").strip()
    if not idempotency_key or len(idempotency_key) > 200:
        raise ApplicationError.on_field("idempotency_key", "required")
    # Whitespace is normalised so that no tab or line break reaches an export (FEC columns).
    lines = [
        LineInput(
            line.account_number.strip(),
            line.debit,
            line.credit,
            " ".join((line.label or "").split())[:200],
        )
        for line in lines
    ]
    total = domain.check_lines(lines)
    if journal != domain.OPENING_JOURNAL and reverses is None:
        domain.check_postable(lines)
    digest = domain.request_digest(
        journal=journal,
        entry_date=entry_date,
        label=label,
        piece_ref=piece_ref,
        piece_date=piece_date,
        lines=lines,
        authorisation=authorisation,
    )
    numbers = {li.account_number for li in lines}
    fresh = known is None
    if known is None:
        known = _gather(book, journal, idempotency_key, entry_date, numbers)
    while True:
        # A stored entry is never stale (entries are never deleted); a refusal may be.
        try:
            if known.stored_id is not None:
                if known.stored_digest != digest:
                    raise ApplicationError.on_field("idempotency_key", "idempotency_key_reused")
                return Entry.objects.get(pk=known.stored_id)
            period_id, period_status = known.period_id, known.period_status
            if period_id is None:
                period = _period_for(book, entry_date)
                period_id, period_status = period.pk, period.status
            if period_status != Period.OPEN:
                raise ApplicationError.on_field("entry_date", "period_closed")
            accounts = known.accounts
            for index, line in enumerate(lines):
                if line.account_number not in accounts:
                    raise ApplicationError.on_field(
                        f"lines.{index}.account_number", "unknown_account"
                    )
        except ApplicationError:
            if fresh:
                raise
            known, fresh = _gather(book, journal, idempotency_key, entry_date, numbers), True
            continue
        entry = _entry_for(
            book=book,
            journal=journal,
            number=(known.last_number or 0) + 1,
            entry_date=entry_date,
            label=label,
            piece_ref=piece_ref,
            piece_date=piece_date,
            period_id=period_id,
            total=total,
            lines=lines,
            idempotency_key=idempotency_key,
            digest=digest,
            authorisation=authorisation,
            actor_user_id=actor_user_id,
            reverses=reverses,
        )
        if _insert_entry_if_current(entry, period_id):
            break
        assert not fresh, "a posting read under the lock went stale"
        known, fresh = _gather(book, journal, idempotency_key, entry_date, numbers), True
    _write_lines(book, entry, period_id, lines, accounts, total, authorisation, actor_user_id)
    # What this entry changed the net assets by: a caller pricing titles after it needs no read.
    entry.net_assets_change_cents = (
        0
        if journal == domain.OPENING_JOURNAL
        else domain.net_assets_change(lines, known.account_types)
    )
    return entry


def _entry_for(
    *,
    book: Book,
    journal: str,
    number: int,
    entry_date: dt.date,
    label: str,
    piece_ref: str,
    piece_date: dt.date | None,
    period_id: int,
    total: int,
    lines: Sequence[LineInput],
    idempotency_key: str,
    digest: str,
    authorisation: Authorisation,
    actor_user_id: int | None,
    reverses: Entry | None,
) -> Entry:
    """The entry to insert, numbered and chained after the book's head (not saved)."""
    sequence = book.entry_count + 1
    validation_date = clock.today()
    content = domain.EntryContent(
        commons_id=book.commons_id,
        sequence=sequence,
        journal=journal,
        number=number,
        entry_date=entry_date,
        validation_date=validation_date,
        label=label,
        piece_ref=piece_ref,
        piece_date=piece_date,
        total_cents=total,
        lines=tuple(
            (line.account_number, line.debit_cents, line.credit_cents, line.label) for line in lines
        ),
        authorisation=authorisation.as_dict(),
        reverses_sequence=reverses.sequence if reverses else None,
    )
    entry_hash = domain.entry_hash(content, book.head_hash)
    return Entry(
        book=book,
        commons_id=book.commons_id,
        sequence=sequence,
        journal=journal,
        number=number,
        entry_date=entry_date,
        validation_date=validation_date,
        label=label,
        piece_ref=piece_ref,
        piece_date=piece_date,
        period_id=period_id,
        total_cents=total,
        reverses=reverses,
        idempotency_key=idempotency_key,
        request_digest=digest,
        source_type=authorisation.source_type,
        source_id=authorisation.source_id,
        decision_id=authorisation.decision_id,
        charter_version_id=authorisation.charter_version_id,
        actor_user_id=actor_user_id,
        previous_hash=book.head_hash,
        hash=entry_hash,
        created_at=clock.now(),
    )


def _write_lines(
    book: Book,
    entry: Entry,
    period_id: int,
    lines: Sequence[LineInput],
    accounts: Mapping[str, int],
    total: int,
    authorisation: Authorisation,
    actor_user_id: int | None,
) -> None:
    """After the entry: its lines, the running balances, the book's head and the event."""
    journal, entry_date, sequence = entry.journal, entry.entry_date, entry.sequence
    rows = Line.objects.bulk_create(
        Line(
            entry=entry,
            book=book,
            position=position,
            account_id=accounts[line.account_number],
            entry_date=entry_date,
            debit_cents=line.debit_cents,
            credit_cents=line.credit_cents,
            label=line.label,
        )
        for position, line in enumerate(lines, start=1)
    )
    assert sum(row.debit_cents for row in rows) == sum(row.credit_cents for row in rows) == total
    if journal != domain.OPENING_JOURNAL:
        _add_to_running_balances(book, period_id, entry_date, lines, accounts)
    updated = Book.objects.filter(pk=book.pk, entry_count=book.entry_count).update(
        entry_count=sequence, head_hash=entry.hash
    )
    assert updated == 1, "the book moved under its lock"
    book.entry_count, book.head_hash = sequence, entry.hash
    event_record(
        type="ledger.entry_posted",
        commons_id=book.commons_id,
        actor_user_id=actor_user_id,
        data={
            "entry_id": entry.pk,
            "journal": journal,
            "number": entry.number,
            "total_cents": total,
            "source_type": authorisation.source_type,
            "source_id": authorisation.source_id,
        },
    )
    return entry


def _add_to_running_balances(
    book: Book,
    period_id: int,
    day: dt.date,
    lines: Sequence[LineInput],
    accounts: Mapping[str, int],
) -> None:
    # One upsert for the whole entry; lines on the same account are summed first because
    # PostgreSQL refuses to touch one row twice in a single INSERT … ON CONFLICT.
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        pair = sums[accounts[line.account_number]]
        pair[0] += line.debit_cents
        pair[1] += line.credit_cents
    table = connection.ops.quote_name(AccountDay._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(sums))
    params: list = []
    for account_id, (debit, credit) in sums.items():
        params += [book.pk, account_id, period_id, day, debit, credit]
    # The table name comes from the model; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (book_id, account_id, period_id, day, debit_cents, credit_cents) "  # noqa: S608
        f"VALUES {values} ON CONFLICT (account_id, day) DO UPDATE SET "
        f"debit_cents = {table}.debit_cents + excluded.debit_cents, "
        f"credit_cents = {table}.credit_cents + excluded.credit_cents "
        "RETURNING debit_cents, credit_cents"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # A day's sums stay within MAX_CENTS (on SQLite an overflow would turn them to floats).
        for debit, credit in cursor.fetchall():
            check_cents(max(debit, credit), "lines")


@write
def entry_post(
    *,
    commons_id: int,
    journal: str,
    entry_date: dt.date,
    label: str,
    piece_ref: str,
    lines: Sequence[LineInput],
    idempotency_key: str,
    authorised_by: Mapping | Authorisation,
    actor_user_id: int | None,
    piece_date: dt.date | None = None,
) -> Entry:
    """Books one balanced entry in the commons' book, once per idempotency key (see module doc).

    `lines`: at least two `LineInput(account_number, debit=Money|None, credit=Money|None, label)`,
    each with exactly one positive side, debits equal to credits, on accounts of the book.
    `authorised_by`: `{source_type, source_id?, decision_id?, charter_version_id?}`: what allowed
    the entry and what it comes from (shown beside the entry, covered by its hash).
    The entry date must fall in an open period; the validation date is today (server clock).
    """
    authorisation = (
        authorised_by
        if isinstance(authorised_by, Authorisation)
        else Authorisation.from_mapping(authorised_by)
    )
    if len(lines) < 2:  # refused before the gathering query, whose `IN (…)` needs a number
        raise ApplicationError.on_field("lines", "entry_too_few_lines")
    numbers = {(line.account_number or "").strip() for line in lines}
    book, known = _lock_and_gather(commons_id, journal, idempotency_key, entry_date, numbers)
    return _post(
        book=book,
        known=known,
        journal=journal,
        entry_date=entry_date,
        label=label,
        piece_ref=piece_ref,
        piece_date=piece_date,
        lines=lines,
        idempotency_key=idempotency_key,
        authorisation=authorisation,
        actor_user_id=actor_user_id,
    )


def _stored_lines(entry: Entry) -> list[tuple[str, int, int, str]]:
    return [
        (line.account.number, line.debit_cents, line.credit_cents, line.label)
        for line in entry.lines.select_related("account").order_by("position")
    ]


@write
def entry_reverse(
    *,
    commons_id: int,
    entry_id: int,
    idempotency_key: str,
    actor_user_id: int | None,
    entry_date: dt.date | None = None,
    label: str = "",
    authorised_by: Mapping | Authorisation | None = None,
) -> Entry:
    """Cancels an entry by a mirror entry in the same journal, linked to it (never an edit)."""
    book = _lock_book(commons_id)
    original = Entry.objects.filter(book=book, pk=entry_id).first()
    if original is None:
        raise ApplicationError("not_found")
    if original.journal in domain.RESERVED_JOURNALS:
        raise ApplicationError.on_field("journal", "journal_reserved")
    already = Entry.objects.filter(reverses=original).exclude(idempotency_key=idempotency_key)
    if already.exists():
        raise ApplicationError("already_reversed")
    if authorised_by is None:
        authorisation = Authorisation("reversal", str(original.pk))
    elif isinstance(authorised_by, Authorisation):
        authorisation = authorised_by
    else:
        authorisation = Authorisation.from_mapping(authorised_by)
    return _post(
        book=book,
        journal=original.journal,
        entry_date=entry_date or clock.today(),
        label=label
        or f"Extourne de {domain.fec_entry_number(original.journal, original.number)}"
        f" – {original.label}"[:200],
        piece_ref=original.piece_ref,
        piece_date=original.piece_date,
        lines=domain.reversed_lines(_stored_lines(original)),
        idempotency_key=idempotency_key,
        authorisation=authorisation,
        actor_user_id=actor_user_id,
        reverses=original,
    )


def _next_year(period: Period) -> tuple[dt.date, dt.date]:
    start = period.end + dt.timedelta(days=1)
    try:
        end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + 1, day=28)
    return start, end


@write
def period_open(
    *,
    commons_id: int,
    actor_user_id: int | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Period:
    """Opens a fiscal year; by default the calendar year of `start` (or the one after the last)."""
    book = _lock_book(commons_id)
    if start is None:
        last = Period.objects.filter(book=book).order_by("-end").first()
        start = (last.end + dt.timedelta(days=1)) if last else clock.today()
        start = start if last else _calendar_year(start)[0]
    if end is None:
        end = dt.date(start.year, 12, 31) if start.month == 1 and start.day == 1 else None
        if end is None:
            raise ApplicationError.on_field("end", "required")
    if end < start or (end - start).days > 731:
        raise ApplicationError.on_field("end", "invalid_value")
    if Period.objects.filter(book=book, start__lte=end, end__gte=start).exists():
        raise ApplicationError.on_field("start", "period_overlap")
    return _period_create(book, start, end, actor_user_id=actor_user_id, automatic=False)


def _get_period(book: Book, period_id: int) -> Period:
    period = Period.objects.select_for_update().filter(book=book, pk=period_id).first()
    if period is None:
        raise ApplicationError("not_found")
    return period


@write
def period_close(*, commons_id: int, period_id: int, actor_user_id: int | None) -> Period:
    """Closes a year: nothing posts into it any more, and its balances open the next year.

    Refused, with nothing written: `period_closed` (already closed), `period_not_ended` (its
    last day is today or later), `previous_period_open`, `period_unbalanced` (its lines'
    debits and credits differ), `effects_pending` (a decision of the commons still waits for
    its effect), `result_not_allocated` (120/129 still hold the previous year's result).
    The opening entry (journal AN, dated the first day of the next year, which is opened if
    needed) carries every balance-sheet account and puts the year's result in 120 or 129.
    """
    book = _lock_book(commons_id)
    period = _get_period(book, period_id)
    if period.status == Period.CLOSED:
        raise ApplicationError("period_closed")
    if period.end >= clock.today():
        raise ApplicationError("period_not_ended", detail=period.end.isoformat())
    if Period.objects.filter(book=book, end__lt=period.start, status=Period.OPEN).exists():
        raise ApplicationError("previous_period_open")
    debit, credit = selectors.period_totals(period=period)
    if debit != credit:
        raise ApplicationError("period_unbalanced", detail=f"{debit} != {credit}")
    # An allocation of this year's result that waits for this very closing does not block it.
    pending = [
        effect
        for effect in governance_selectors.decision_effects_pending(commons_id=commons_id)
        if not (
            effect.proposal_kind == ALLOCATE_RESULT
            and effect.decision.proposal.payload.get("period_id") == period.pk
        )
    ]
    if pending:
        numbers = ", ".join(f"n° {effect.decision.sequence}" for effect in pending)
        raise ApplicationError("effects_pending", detail=numbers)
    # 120/129 hold the previous year's result until the members allocate it; closing now
    # would carry two years' results in them.
    held = selectors.prior_results_at(book=book, at=period.end)
    if any(held.values()):
        raise ApplicationError("result_not_allocated")
    start, end = _next_year(period)
    following = Period.objects.filter(book=book, start=start).first()
    if following is None:
        if Period.objects.filter(book=book, start__lte=end, end__gte=start).exists():
            raise ApplicationError("period_overlap")
        following = _period_create(book, start, end, actor_user_id=actor_user_id, automatic=True)
    lines = selectors.opening_entry_lines(book=book, period=period)
    opening = None
    if lines:
        opening = _post(
            book=book,
            journal=domain.OPENING_JOURNAL,
            entry_date=following.start,
            label=f"À-nouveaux de l'exercice {period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}",
            piece_ref=f"AN-{period.end:%Y%m%d}-{book.entry_count + 1}",
            piece_date=period.end,
            lines=lines,
            idempotency_key=f"period:{period.pk}:close:{book.entry_count + 1}",
            authorisation=Authorisation("period_close", str(period.pk)),
            actor_user_id=actor_user_id,
            allow_reserved=True,
        )
    Period.objects.filter(pk=period.pk).update(
        status=Period.CLOSED, closed_at=clock.now(), carried_forward_by=opening
    )
    period.refresh_from_db()
    event_record(
        type="ledger.period_closed",
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data={"period_id": period.pk, "opening_entry_id": opening.pk if opening else None},
    )
    return period


@write
def period_reopen(*, commons_id: int, period_id: int, actor_user_id: int | None) -> Period:
    """Reopens the last closed year by reversing its opening entry (never by deleting it)."""
    book = _lock_book(commons_id)
    period = _get_period(book, period_id)
    if period.status != Period.CLOSED:
        raise ApplicationError("period_not_closed")
    if Period.objects.filter(book=book, start__gt=period.end, status=Period.CLOSED).exists():
        raise ApplicationError("later_period_closed")
    reversal = None
    opening = period.carried_forward_by
    if opening is not None:
        reversal = _post(
            book=book,
            journal=domain.OPENING_JOURNAL,
            entry_date=opening.entry_date,
            label=f"Extourne des à-nouveaux {domain.fec_entry_number('AN', opening.number)}"
            " (réouverture de l'exercice)",
            piece_ref=opening.piece_ref,
            piece_date=opening.piece_date,
            lines=domain.reversed_lines(_stored_lines(opening)),
            idempotency_key=f"period:{period.pk}:reopen:{book.entry_count + 1}",
            authorisation=Authorisation("period_reopen", str(period.pk)),
            actor_user_id=actor_user_id,
            reverses=opening,
            allow_reserved=True,
        )
    Period.objects.filter(pk=period.pk).update(
        status=Period.OPEN, closed_at=None, carried_forward_by=None
    )
    period.refresh_from_db()
    event_record(
        type="ledger.period_reopened",
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data={"period_id": period.pk, "reversal_entry_id": reversal.pk if reversal else None},
    )
    return period


# --- Allocation of a closed year's result (affectation du résultat) -----------------------

ALLOCATE_RESULT = "allocate_result"


def _distribution_allowed(commons_id: int) -> bool:
    parameters = governance_selectors.charter_parameters(commons_id=commons_id)
    return bool(parameters.get("result.distribution_allowed", False))


def _ensure_accounts(book: Book, numbers: set[str]) -> None:
    """Adds chart accounts a book opened before them lacks (1068, 457), from the chart."""
    present = set(
        Account.objects.filter(book=book, number__in=numbers).values_list("number", flat=True)
    )
    specs = {spec.number: spec for spec in domain.CHART}
    now = clock.now()
    for number in sorted(numbers - present):
        spec = specs.get(number)
        if spec is None:
            continue  # _post refuses it as unknown_account
        Account.objects.create(
            book=book,
            number=spec.number,
            label=spec.label,
            type=spec.type,
            capital_kind=spec.capital_kind,
            created_at=now,
        )


@write
def result_allocate(
    *,
    commons_id: int,
    period_id: int,
    reserves_cents: int,
    carry_forward_cents: int,
    distribution_cents: int,
    actor_user_id: int | None,
    authorisation: Mapping | Authorisation,
) -> Entry:
    """Allocates a closed year's result as the members decided: one OD entry, once per year.

    A profit leaves 120 for reserves (1068), report à nouveau (110) and, where the charter's
    `result.distribution_allowed` says so, a distribution (457); a loss leaves 129 for report
    à nouveau (119) or is charged against reserves (1068). The three amounts are non-negative
    cents adding up exactly to the result. The entry is dated today, within the year after the
    closed one (see selectors.allocation_date), under the key `period:{id}:allocate`.
    `authorisation`: the decision that allowed it, e.g. `{"source_type": "proposal",
    "source_id": "12", "decision_id": 34, "charter_version_id": 2}`. Run again for the same
    decision, it returns the entry it booked.
    Refusals: see selectors.allocation_plan; nothing is written.
    """
    authorisation = (
        authorisation
        if isinstance(authorisation, Authorisation)
        else Authorisation.from_mapping(authorisation)
    )
    allocation = domain.Allocation.from_mapping(
        {
            "reserves_cents": reserves_cents,
            "carry_forward_cents": carry_forward_cents,
            "distribution_cents": distribution_cents,
        }
    )
    book = _lock_book(commons_id)
    period = Period.objects.filter(book=book, pk=period_id).first()
    if period is not None:
        done = selectors.allocation_entry(book=book, period=period)
        if (
            done is not None
            and authorisation.decision_id is not None
            and done.decision_id == authorisation.decision_id
        ):
            return done  # the same decision applied again: already booked
    plan = selectors.allocation_plan(
        book=book,
        period_id=period_id,
        allocation=allocation,
        distribution_allowed=_distribution_allowed(commons_id),
    )
    _ensure_accounts(book, {line.account_number for line in plan.lines})
    year = f"{plan.period.start:%d/%m/%Y} – {plan.period.end:%d/%m/%Y}"
    kind = "bénéfice" if plan.result_cents > 0 else "perte"
    entry = _post(
        book=book,
        journal="OD",
        entry_date=plan.entry_date,
        label=f"Affectation du résultat ({kind}) de l'exercice {year}",
        piece_ref=f"AFFECTATION-{plan.period.end:%Y}",
        piece_date=None,
        lines=plan.lines,
        idempotency_key=selectors.allocation_key(plan.period.pk),
        authorisation=authorisation,
        actor_user_id=actor_user_id,
    )
    event_record(
        type="ledger.result_allocated",
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data={
            "period_id": plan.period.pk,
            "entry_id": entry.pk,
            "result_cents": plan.result_cents,
            **allocation.as_dict(),
        },
    )
    return entry


def _payload_error(error: ApplicationError) -> ApplicationError:
    """The same refusal, its fields named as in a proposal's payload."""
    if not error.fields:
        return error
    return ApplicationError(
        error.code,
        fields={f"payload.{name}": field for name, field in error.fields.items()},
        detail=error.detail,
    )


def result_allocation_payload_check(commons_id: int, payload: Mapping) -> dict:
    """Governance's check of an allocate_result proposal when it opens: the books must allow it
    now (the handler checks again when it applies). The stored payload adds what a reader of
    the proposal needs: the year and its result."""
    period_id = payload.get("period_id")
    if isinstance(period_id, bool) or not isinstance(period_id, int):
        raise ApplicationError.on_field("payload.period_id", "required")
    try:
        allocation = domain.Allocation.from_mapping(payload)
        book = selectors.book_of(commons_id=commons_id)
        plan = selectors.allocation_plan(
            book=book,
            period_id=period_id,
            allocation=allocation,
            distribution_allowed=_distribution_allowed(commons_id),
        )
    except ApplicationError as error:
        raise _payload_error(error) from None
    voting = governance_selectors.proposals_of(commons_id=commons_id, status="open").filter(
        kind=ALLOCATE_RESULT
    )
    if any(proposal.payload.get("period_id") == period_id for proposal in voting):
        # Two votes on one result: the second to pass could never apply.
        raise ApplicationError.on_field("payload.period_id", "allocation_already_proposed")
    return {
        "period_id": plan.period.pk,
        "period_start": plan.period.start.isoformat(),
        "period_end": plan.period.end.isoformat(),
        "result_cents": plan.result_cents,
        **allocation.as_dict(),
    }


def result_allocation_on_passed(context) -> dict:
    """The outcome handler of a passed allocate_result decision (in federage/reactions.py)."""
    proposal = context.proposal
    payload = proposal.payload
    entry = result_allocate(
        commons_id=proposal.commons_id,
        period_id=payload["period_id"],
        reserves_cents=payload.get("reserves_cents", 0),
        carry_forward_cents=payload.get("carry_forward_cents", 0),
        distribution_cents=payload.get("distribution_cents", 0),
        actor_user_id=proposal.author_id,
        authorisation=Authorisation(
            "proposal", str(proposal.pk), context.decision_id, context.charter_version_id
        ),
    )
    return {
        "entry_id": entry.pk,
        "entry": domain.fec_entry_number(entry.journal, entry.number),
        "period_id": payload["period_id"],
    }
