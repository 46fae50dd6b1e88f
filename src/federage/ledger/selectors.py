"""Reads on the books: balances from daily running totals, French reports, journal and verify.

How balances are computed (the one rule every report follows):
  - a balance-sheet account's balance at date D is the sum of all its lines up to D;
  - an income or expense account's balance is the sum of its lines in the fiscal year of D;
  - each earlier year's result lands in 120 (profit) or 129 (loss) as an opening balance.
Opening entries (journal AN) restate exactly those balances, so reports do not count them;
this keeps reports right even before the previous year is closed. `book_verify` checks
that every stored AN equals this rule's closing balances.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Case, F, Prefetch, Q, Sum, Value, When
from django.db.models.functions import TruncMonth

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.ledger import domain
from federage.ledger.domain import AccountInfo, LineInput
from federage.ledger.models import Account, AccountDay, Book, Entry, Line, Period


def book_of(*, commons_id: int) -> Book:
    book = Book.objects.filter(commons_id=commons_id).first()
    if book is None:
        raise ApplicationError("not_found")
    return book


def accounts_of(*, book: Book) -> list[Account]:
    return list(Account.objects.filter(book=book).order_by("number"))


def periods_of(*, book: Book) -> list[Period]:
    return list(Period.objects.filter(book=book).order_by("start"))


def period_at(*, book: Book, at: dt.date) -> Period:
    period = Period.objects.filter(book=book, start__lte=at, end__gte=at).first()
    if period is None:
        raise ApplicationError.on_field("at", "no_period")
    return period


def period_of_year(*, book: Book, year: int) -> Period:
    """The fiscal year that closes in `year` (a calendar year for most commons)."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:  # no date has it, so no query can ask for it
        raise ApplicationError.on_field("year", "invalid_value")
    period = Period.objects.filter(book=book, end__year=year).order_by("end").first()
    if period is None:
        raise ApplicationError.on_field("year", "no_period")
    return period


@dataclass
class BalanceRow:
    account: AccountInfo
    opening: int = 0  # signed: debit − credit, before `since`
    debit: int = 0  # movements from `since` to `at`
    credit: int = 0

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit

    @property
    def is_empty(self) -> bool:
        return not (self.opening or self.debit or self.credit)


@dataclass
class Balances:
    at: dt.date
    since: dt.date
    period: Period
    rows: dict[str, BalanceRow] = field(default_factory=dict)

    def closing(self) -> dict[str, int]:
        return {number: row.closing for number, row in self.rows.items()}

    def accounts(self) -> dict[str, AccountInfo]:
        return {number: row.account for number, row in self.rows.items()}


def _info(account: Account) -> AccountInfo:
    return AccountInfo(account.number, account.label, account.type, account.capital_kind)


def account_balances(*, book: Book, at: dt.date, since: dt.date | None = None) -> Balances:
    """Every account's opening, movements and closing over [since, at] in the year of `at`.

    Reads the daily running totals (a few rows per account and day), never the lines.
    """
    period = period_at(book=book, at=at)
    since = since or period.start
    if not period.start <= since <= at:
        raise ApplicationError.on_field("since", "invalid_value")
    amount = BigIntegerField()
    rows = (
        AccountDay.objects.filter(book=book, day__lte=at)
        .order_by()
        .values("account_id", "period_id")
        .annotate(
            before=Sum(
                Case(
                    When(day__lt=since, then=F("debit_cents") - F("credit_cents")),
                    default=Value(0),
                    output_field=amount,
                )
            ),
            debit=Sum(
                Case(When(day__gte=since, then=F("debit_cents")), default=Value(0)),
                output_field=amount,
            ),
            credit=Sum(
                Case(When(day__gte=since, then=F("credit_cents")), default=Value(0)),
                output_field=amount,
            ),
        )
    )
    accounts = {account.pk: account for account in Account.objects.filter(book=book)}
    balances = Balances(
        at=at,
        since=since,
        period=period,
        rows={account.number: BalanceRow(_info(account)) for account in accounts.values()},
    )
    results_by_period: dict[int, int] = defaultdict(int)
    for row in rows:
        account = accounts[row["account_id"]]
        signed = int(row["before"] or 0)
        debit, credit = int(row["debit"] or 0), int(row["credit"] or 0)
        if account.type in domain.RESULT_TYPES and row["period_id"] != period.pk:
            # An earlier year's income or expense: it only counts through that year's result.
            results_by_period[row["period_id"]] -= signed + debit - credit
            continue
        target = balances.rows[account.number]
        target.opening += signed
        target.debit += debit
        target.credit += credit
    for result in results_by_period.values():
        number = domain.PROFIT_ACCOUNT if result >= 0 else domain.LOSS_ACCOUNT
        if number in balances.rows:
            balances.rows[number].opening -= result
    return balances


NET_ASSET_TYPES = domain.NET_ASSET_TYPES


def net_assets_recorded(*, book: Book, before_entry_id: int | None = None) -> int:
    """Assets minus liabilities, in cents, over every entry recorded so far, whatever its date.

    The titles' unit value rests on this (DESIGN §3, "Titles never dilute"): an issuance is
    priced at the net assets of every entry recorded before it. An entry booked later but
    dated earlier (a late invoice) changes the value of later movements only, never the price
    an earlier issuance was given. `before_entry_id` gives the figure as it stood just before
    that entry was recorded (the order of the book's hash chain), for `verify`.
    Opening entries (AN) restate earlier balances, so they never count.
    """
    if before_entry_id is None:
        return net_assets_of(commons_id=book.commons_id)
    sequence = Entry.objects.filter(book=book, pk=before_entry_id).values("sequence")
    lines = Line.objects.filter(
        book=book, account__type__in=NET_ASSET_TYPES, entry__sequence__lt=sequence
    ).exclude(entry__journal=domain.OPENING_JOURNAL)
    totals = lines.aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    return int(totals["debit"] or 0) - int(totals["credit"] or 0)


def net_assets_of(*, commons_id: int) -> int:
    """`net_assets_recorded` of the commons' book now, in one statement; 0 without a book."""
    totals = AccountDay.objects.filter(
        book__commons_id=commons_id, account__type__in=NET_ASSET_TYPES
    ).aggregate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    return int(totals["debit"] or 0) - int(totals["credit"] or 0)


def opening_entry_lines(*, book: Book, period: Period) -> list[LineInput]:
    """The à-nouveaux that carry `period`'s closing balances into the next year."""
    balances = account_balances(book=book, at=period.end)
    closing = balances.closing()
    accounts = balances.accounts()
    result = domain.period_result(closing, accounts)
    carried = {n: b for n, b in closing.items() if accounts[n].type not in domain.RESULT_TYPES}
    return domain.opening_lines(carried, accounts, [result])


def _split(signed: int) -> tuple[int, int]:
    return (signed, 0) if signed > 0 else (0, -signed)


def trial_balance(*, book: Book, at: dt.date, since: dt.date | None = None) -> dict:
    """Balance générale: per account, opening, movements and closing, debit and credit apart."""
    balances = account_balances(book=book, at=at, since=since)
    rows = []
    totals = defaultdict(int)
    for number in sorted(balances.rows):
        row = balances.rows[number]
        if row.is_empty:
            continue
        opening_debit, opening_credit = _split(row.opening)
        closing_debit, closing_credit = _split(row.closing)
        item = {
            "number": number,
            "label": row.account.label,
            "type": row.account.type,
            "capital_kind": row.account.capital_kind,
            "opening_debit_cents": opening_debit,
            "opening_credit_cents": opening_credit,
            "debit_cents": row.debit,
            "credit_cents": row.credit,
            "closing_debit_cents": closing_debit,
            "closing_credit_cents": closing_credit,
            "balance_cents": row.closing,
        }
        for key, value in item.items():
            if key.endswith("_cents"):
                totals[key] += value
        rows.append(item)
    assert totals["closing_debit_cents"] == totals["closing_credit_cents"], "book out of balance"
    return {
        "at": at,
        "since": balances.since,
        "period": period_out(balances.period),
        "rows": rows,
        "totals": {key: totals[key] for key in sorted(totals) if key != "balance_cents"},
    }


def period_out(period: Period) -> dict:
    return {
        "id": period.pk,
        "start": period.start,
        "end": period.end,
        "status": period.status,
        "closed_at": period.closed_at,
        "opening_entry_id": period.carried_forward_by_id,
        # Whether the year is over (by the server's clock): only then may it be closed.
        "ended": period.end < clock.today(),
    }


def results_of(balances: Balances) -> domain.Results:
    """The one reading of results that every report, page and dashboard shows.

    The result is that of the span of `balances` (the year to date unless a later `since` was
    asked); earlier years' results still in 120/129, report à nouveau and reserves are read at
    its end, apart from it.
    """
    movements = {number: row.debit - row.credit for number, row in balances.rows.items()}
    return domain.results(movements, balances.closing(), balances.accounts())


def year_results(*, book: Book, at: dt.date) -> dict:
    """The fiscal year's result to `at`, and earlier results awaiting allocation then."""
    balances = account_balances(book=book, at=at)
    found = results_of(balances)
    return {
        "at": at,
        "period": period_out(balances.period),
        "result_cents": found.current_cents,
        "prior_result_cents": found.prior_unallocated_cents,
        "retained_earnings_cents": found.retained_earnings_cents,
        "reserves_cents": found.reserves_cents,
    }


def balance_sheet(*, book: Book, at: dt.date) -> dict:
    """Bilan at `at`: actif and passif by PCG heading; the year's result on its own line, apart
    from earlier results still awaiting allocation, report à nouveau and reserves."""
    balances = account_balances(book=book, at=at)
    closing = balances.closing()
    accounts = balances.accounts()
    found = results_of(balances)
    sides: dict[str, dict[str, list[dict]]] = {
        "actif": defaultdict(list),
        "passif": defaultdict(list),
    }
    off_balance = []
    for number in sorted(closing):
        info, balance = accounts[number], closing[number]
        if info.type in domain.RESULT_TYPES or not balance:
            continue
        if info.type == domain.OFF_BALANCE:
            off_balance.append({"number": number, "label": info.label, "amount_cents": balance})
            continue
        side, heading = domain.balance_sheet_item(number, info.type, balance)
        amount = balance if side == "actif" else -balance
        sides[side][heading].append({"number": number, "label": info.label, "amount_cents": amount})
    sides["passif"][domain.CURRENT_RESULT_HEADING].append(
        {"number": "", "label": domain.CURRENT_RESULT_LABEL, "amount_cents": found.current_cents}
    )

    def sections(side: str, order: tuple[str, ...]) -> list[dict]:
        return [
            {
                "heading": heading,
                "amount_cents": sum(item["amount_cents"] for item in sides[side][heading]),
                "accounts": sides[side][heading],
            }
            for heading in order
            if sides[side].get(heading)
        ]

    actif = sections("actif", domain.ACTIF_ORDER)
    passif = sections("passif", domain.PASSIF_ORDER)
    total_actif = sum(section["amount_cents"] for section in actif)
    total_passif = sum(section["amount_cents"] for section in passif)
    if not off_balance:
        assert total_actif == total_passif, "balance sheet out of balance"
    equity = sum(s["amount_cents"] for s in passif if s["heading"] in domain.EQUITY_HEADINGS)
    return {
        "at": at,
        "period": period_out(balances.period),
        "actif": actif,
        "passif": passif,
        "total_actif_cents": total_actif,
        "total_passif_cents": total_passif,
        "equity_cents": equity,
        "result_cents": found.current_cents,
        "prior_result_cents": found.prior_unallocated_cents,
        "retained_earnings_cents": found.retained_earnings_cents,
        "reserves_cents": found.reserves_cents,
        "off_balance": off_balance,
    }


def income_statement(*, book: Book, at: dt.date, since: dt.date | None = None) -> dict:
    """Compte de résultat over [since, at] (the year to date by default)."""
    balances = account_balances(book=book, at=at, since=since)
    sections: dict[str, dict[str, list[dict]]] = {
        "produits": defaultdict(list),
        "charges": defaultdict(list),
    }
    for number in sorted(balances.rows):
        row = balances.rows[number]
        info = row.account
        if info.type not in domain.RESULT_TYPES or not (row.debit or row.credit):
            continue
        movement = row.credit - row.debit if info.type == domain.INCOME else row.debit - row.credit
        side = "produits" if info.type == domain.INCOME else "charges"
        sections[side][domain.income_heading(number, info.type)].append(
            {"number": number, "label": info.label, "amount_cents": movement}
        )

    def out(side: str) -> list[dict]:
        return [
            {
                "heading": heading,
                "amount_cents": sum(item["amount_cents"] for item in items),
                "accounts": items,
            }
            for heading, items in sections[side].items()
        ]

    produits, charges = out("produits"), out("charges")
    total_produits = sum(item["amount_cents"] for item in produits)
    total_charges = sum(item["amount_cents"] for item in charges)
    result = results_of(balances).current_cents
    assert result == total_produits - total_charges, "income statement disagrees with its result"
    return {
        "since": balances.since,
        "at": at,
        "period": period_out(balances.period),
        "produits": produits,
        "charges": charges,
        "total_produits_cents": total_produits,
        "total_charges_cents": total_charges,
        "result_cents": result,
    }


def capital_kinds(*, book: Book, at: dt.date) -> dict:
    """Triple-capital view (financial / human / natural): what each capital holds and owes."""
    balances = account_balances(book=book, at=at)
    kinds = {
        kind: {
            "kind": kind,
            "label": domain.CAPITAL_KIND_LABELS[kind],
            "assets_cents": 0,
            "liabilities_cents": 0,
            "equity_cents": 0,
            "income_cents": 0,
            "expenses_cents": 0,
        }
        for kind in domain.CAPITAL_KINDS
    }
    for row in balances.rows.values():
        info, closing = row.account, row.closing
        item = kinds[info.capital_kind]
        if info.type == domain.ASSET:
            item["assets_cents"] += closing
        elif info.type == domain.LIABILITY:
            item["liabilities_cents"] -= closing
        elif info.type == domain.EQUITY:
            item["equity_cents"] -= closing
        elif info.type == domain.INCOME:
            item["income_cents"] -= closing
        elif info.type == domain.EXPENSE:
            item["expenses_cents"] += closing
    for item in kinds.values():
        item["net_cents"] = item["assets_cents"] - item["liabilities_cents"]
    return {"at": at, "period": period_out(balances.period), "kinds": list(kinds.values())}


def account_get(*, book: Book, number: str) -> Account:
    account = Account.objects.filter(book=book, number=number).first()
    if account is None:
        raise ApplicationError.on_field("account", "unknown_account")
    return account


def general_ledger(
    *, book: Book, account_number: str, at: dt.date, since: dt.date | None = None
) -> dict:
    """Grand livre of one account over [since, at], with its running balance after each line."""
    account = account_get(book=book, number=account_number)
    balances = account_balances(book=book, at=at, since=since)
    row = balances.rows[account.number]
    running = row.opening
    lines = []
    query = (
        Line.objects.filter(account=account, entry_date__gte=balances.since, entry_date__lte=at)
        .exclude(entry__journal=domain.OPENING_JOURNAL)
        .select_related("entry")
        .order_by("entry_date", "entry__sequence", "position")
    )
    for line in query:
        running += line.debit_cents - line.credit_cents
        entry = line.entry
        lines.append(
            {
                "entry_id": entry.pk,
                "journal": entry.journal,
                "number": domain.fec_entry_number(entry.journal, entry.number),
                "entry_date": entry.entry_date,
                "piece_ref": entry.piece_ref,
                "label": line.label or entry.label,
                "debit_cents": line.debit_cents,
                "credit_cents": line.credit_cents,
                "balance_cents": running,
            }
        )
    assert running == row.closing, "general ledger disagrees with running balances"
    return {
        "account": {
            "number": account.number,
            "label": account.label,
            "type": account.type,
            "capital_kind": account.capital_kind,
        },
        "since": balances.since,
        "at": at,
        "opening_cents": row.opening,
        "debit_cents": row.debit,
        "credit_cents": row.credit,
        "closing_cents": row.closing,
        "lines": lines,
    }


def entries_of(
    *,
    book: Book,
    since: dt.date | None = None,
    until: dt.date | None = None,
    journal: str | None = None,
    source_type: str | None = None,
    source_id: str | None = None,
):
    """Entries in posting order, with their lines and accounts (a queryset: slice it)."""
    entries = Entry.objects.filter(book=book)
    if since:
        entries = entries.filter(entry_date__gte=since)
    if until:
        entries = entries.filter(entry_date__lte=until)
    if journal:
        entries = entries.filter(journal=journal)
    if source_type:
        entries = entries.filter(source_type=source_type)
    if source_id:
        entries = entries.filter(source_id=source_id)
    return entries.order_by("sequence").prefetch_related(
        Prefetch("lines", queryset=Line.objects.select_related("account").order_by("position"))
    )


def entry_get(*, book: Book, entry_id: int) -> Entry:
    entry = entries_of(book=book).filter(pk=entry_id).first()
    if entry is None:
        raise ApplicationError("not_found")
    return entry


def entry_reversal_ids(*, entry: Entry) -> list[int]:
    return list(Entry.objects.filter(reverses=entry).values_list("pk", flat=True))


# Verification: recompute every hash, number, total and running balance from the rows.


def _entry_chunks(book: Book, size: int = 2000) -> Iterator[list[dict]]:
    cursor = 0
    while True:
        entries = list(
            Entry.objects.filter(book=book, sequence__gt=cursor)
            .order_by("sequence")
            .values(
                "id",
                "commons_id",
                "sequence",
                "journal",
                "number",
                "entry_date",
                "validation_date",
                "label",
                "piece_ref",
                "piece_date",
                "period_id",
                "total_cents",
                "source_type",
                "source_id",
                "decision_id",
                "charter_version_id",
                "reverses__sequence",
                "previous_hash",
                "hash",
            )[:size]
        )
        if not entries:
            return
        lines: dict[int, list[tuple]] = defaultdict(list)
        rows = (
            Line.objects.filter(entry_id__in=[entry["id"] for entry in entries])
            .order_by("entry_id", "position")
            .values_list(
                "entry_id",
                "account__number",
                "debit_cents",
                "credit_cents",
                "label",
                "entry_date",
                "account_id",
                "book_id",
            )
        )
        for row in rows:
            lines[row[0]].append(row[1:])
        for entry in entries:
            entry["lines"] = lines.get(entry["id"], [])
        yield entries
        cursor = entries[-1]["sequence"]


def book_verify(*, book: Book) -> list[str]:
    """Everything wrong with a book, as sentences; an empty list means the book is sound."""
    problems: list[str] = []
    book.refresh_from_db()
    periods = {period.pk: period for period in Period.objects.filter(book=book)}
    previous_hash = domain.GENESIS_HASH
    expected_sequence = 1
    last_numbers: dict[str, int] = defaultdict(int)
    days: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    book_debit = book_credit = 0
    for chunk in _entry_chunks(book):
        for entry in chunk:
            name = f"entry {domain.fec_entry_number(entry['journal'], entry['number'])}"
            name += f" (#{entry['sequence']})"
            if entry["sequence"] != expected_sequence:
                problems.append(f"{name}: sequence gap, expected #{expected_sequence}")
            expected_sequence = entry["sequence"] + 1
            if entry["number"] != last_numbers[entry["journal"]] + 1:
                problems.append(
                    f"{name}: journal numbering gap after {last_numbers[entry['journal']]}"
                )
            last_numbers[entry["journal"]] = entry["number"]
            if entry["previous_hash"] != previous_hash:
                problems.append(f"{name}: previous hash does not match the chain")
            lines = entry["lines"]
            content = domain.EntryContent(
                commons_id=entry["commons_id"],
                sequence=entry["sequence"],
                journal=entry["journal"],
                number=entry["number"],
                entry_date=entry["entry_date"],
                validation_date=entry["validation_date"],
                label=entry["label"],
                piece_ref=entry["piece_ref"],
                piece_date=entry["piece_date"],
                total_cents=entry["total_cents"],
                lines=tuple((line[0], line[1], line[2], line[3]) for line in lines),
                authorisation={
                    "source_type": entry["source_type"],
                    "source_id": entry["source_id"],
                    "decision_id": entry["decision_id"],
                    "charter_version_id": entry["charter_version_id"],
                },
                reverses_sequence=entry["reverses__sequence"],
            )
            if domain.entry_hash(content, entry["previous_hash"]) != entry["hash"]:
                problems.append(f"{name}: content does not match its hash (altered)")
            previous_hash = entry["hash"]
            if entry["commons_id"] != book.commons_id:
                problems.append(f"{name}: belongs to another commons")
            period = periods.get(entry["period_id"])
            if period is None or not period.start <= entry["entry_date"] <= period.end:
                problems.append(f"{name}: date outside its period")
            if len(lines) < 2:
                problems.append(f"{name}: fewer than two lines")
            debit = sum(line[1] for line in lines)
            credit = sum(line[2] for line in lines)
            book_debit += debit
            book_credit += credit
            if debit != credit:
                problems.append(f"{name}: debits {debit} != credits {credit}")
            if debit != entry["total_cents"]:
                problems.append(f"{name}: lines total {debit} != stored total")
            for line in lines:
                if (line[1] > 0) == (line[2] > 0) or line[1] < 0 or line[2] < 0:
                    problems.append(f"{name}: line on {line[0]} has not exactly one side")
                if line[4] != entry["entry_date"] or line[6] != book.pk:
                    problems.append(f"{name}: line on {line[0]} disagrees with its entry")
                if entry["journal"] != domain.OPENING_JOURNAL:
                    pair = days[(line[5], entry["entry_date"])]
                    pair[0] += line[1]
                    pair[1] += line[2]
    if book_debit != book_credit:
        problems.append(f"book: total debits {book_debit} != total credits {book_credit}")
    if book.entry_count != expected_sequence - 1:
        problems.append(f"book: counts {book.entry_count} entries, found {expected_sequence - 1}")
    if book.head_hash != previous_hash:
        problems.append("book: head hash does not match the last entry")
    stored = {
        (row["account_id"], row["day"]): [row["debit_cents"], row["credit_cents"]]
        for row in AccountDay.objects.filter(book=book).values(
            "account_id", "day", "debit_cents", "credit_cents"
        )
    }
    for key in sorted(set(stored) | set(days), key=lambda item: (item[1], item[0])):
        expected = days.get(key, [0, 0])
        if stored.get(key, [0, 0]) != expected:
            problems.append(
                f"running balance of account id {key[0]} on {key[1]}: "
                f"stored {stored.get(key)} != lines {expected}"
            )
    for period in periods.values():
        if period.status == Period.CLOSED and period.carried_forward_by_id:
            problems.extend(_check_opening(book, period))
    return problems


def _check_opening(book: Book, period: Period) -> list[str]:
    expected = {
        line.account_number: line.debit_cents - line.credit_cents
        for line in opening_entry_lines(book=book, period=period)
    }
    stored: dict[str, int] = defaultdict(int)
    for number, debit, credit in Line.objects.filter(
        entry_id=period.carried_forward_by_id
    ).values_list("account__number", "debit_cents", "credit_cents"):
        stored[number] += debit - credit
    if {k: v for k, v in stored.items() if v} != expected:
        return [f"period {period.start}–{period.end}: opening entry differs from closing balances"]
    return []


def books_all() -> list[Book]:
    return list(Book.objects.order_by("commons_id"))


def book_totals(*, book: Book) -> dict:
    totals = Line.objects.filter(book=book).aggregate(
        debit=Sum("debit_cents"), credit=Sum("credit_cents")
    )
    return {"debit_cents": totals["debit"] or 0, "credit_cents": totals["credit"] or 0}


def period_has_entries(*, period: Period) -> bool:
    return Entry.objects.filter(period=period).exists()


def monthly_movements(*, book: Book, prefixes: tuple[str, ...]) -> list[tuple[str, str, int, int]]:
    """(YYYY-MM, account number, debit, credit) per month for accounts under these prefixes.

    Reads the daily running totals, never the lines: dashboards stay fast on big books.
    """
    matching = Q()
    for prefix in prefixes:
        matching |= Q(account__number__startswith=prefix)
    rows = (
        AccountDay.objects.filter(matching, book=book)
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("month", "account__number")
        .annotate(debit=Sum("debit_cents"), credit=Sum("credit_cents"))
    )
    return sorted(
        (
            f"{row['month']:%Y-%m}",
            row["account__number"],
            int(row["debit"] or 0),
            int(row["credit"] or 0),
        )
        for row in rows
    )


def entries_latest(*, commons_ids, limit: int):
    """The latest entries across these commons' books, newest first, with lines and accounts."""
    return (
        Entry.objects.filter(commons_id__in=list(commons_ids))
        .order_by("-id")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.select_related("account").order_by("position"))
        )[:limit]
    )


# --- Closing a year and allocating its result --------------------------------------------


def period_totals(*, period: Period) -> tuple[int, int]:
    """Debits and credits of every line booked in the year (opening entry included)."""
    totals = Line.objects.filter(entry__period=period).aggregate(
        debit=Sum("debit_cents"), credit=Sum("credit_cents")
    )
    return int(totals["debit"] or 0), int(totals["credit"] or 0)


def prior_results_at(*, book: Book, at: dt.date) -> dict[str, int]:
    """What 120 and 129 hold at `at` (signed, debit − credit): results awaiting allocation."""
    closing = account_balances(book=book, at=at).closing()
    return {
        number: closing.get(number, 0) for number in (domain.PROFIT_ACCOUNT, domain.LOSS_ACCOUNT)
    }


def allocation_key(period_id: int) -> str:
    return f"period:{period_id}:allocate"


def allocation_entry(*, book: Book, period: Period) -> Entry | None:
    """The entry that allocated `period`'s result, if it was allocated."""
    return Entry.objects.filter(book=book, idempotency_key=allocation_key(period.pk)).first()


def period_result(*, book: Book, period: Period) -> int:
    """The year's own result: positive for a profit, negative for a loss."""
    return results_of(account_balances(book=book, at=period.end)).current_cents


def allocation_date(*, book: Book, period: Period) -> dt.date:
    """When a year's allocation is booked: today, within the year that follows it.

    Not before that year opens, and not after it ends, so that the following year closes with
    120/129 empty even when the members decided late.
    """
    start = period.end + dt.timedelta(days=1)
    following = Period.objects.filter(book=book, start=start).first()
    end = following.end if following is not None else start
    return min(max(start, clock.today()), end)


@dataclass(frozen=True)
class AllocationPlan:
    period: Period
    result_cents: int
    entry_date: dt.date
    allocation: domain.Allocation
    lines: list[LineInput]


def allocation_plan(
    *, book: Book, period_id: int, allocation: domain.Allocation, distribution_allowed: bool
) -> AllocationPlan:
    """Checks an allocation of a closed year's result against the books as they are now.

    Refusals: `not_found`, `no_result_to_allocate` (year not closed, zero result, or 120/129
    already emptied), `result_already_allocated`, `allocation_mismatch`,
    `distribution_not_allowed`, `reserves_insufficient` (a loss charged to more reserves than
    1068 holds). Nothing is written.
    """
    period = Period.objects.filter(book=book, pk=period_id).first()
    if period is None:
        raise ApplicationError.on_field("period_id", "not_found")
    if period.status != Period.CLOSED:
        raise ApplicationError.on_field("period_id", "no_result_to_allocate")
    if allocation_entry(book=book, period=period) is not None:
        raise ApplicationError.on_field("period_id", "result_already_allocated")
    result = period_result(book=book, period=period)
    lines = domain.allocation_lines(result, allocation, distribution_allowed=distribution_allowed)
    entry_date = allocation_date(book=book, period=period)
    closing = account_balances(book=book, at=entry_date).closing()
    held = (
        -closing.get(domain.PROFIT_ACCOUNT, 0)
        if result > 0
        else closing.get(domain.LOSS_ACCOUNT, 0)
    )
    if held <= 0:
        raise ApplicationError.on_field("period_id", "no_result_to_allocate")
    if held < abs(result):
        # Moved out of 120/129 by hand since the closing.
        raise ApplicationError.on_field("period_id", "result_already_allocated")
    if result < 0 and allocation.reserves_cents > -closing.get(domain.RESERVES_ACCOUNT, 0):
        raise ApplicationError.on_field("reserves_cents", "reserves_insufficient")
    return AllocationPlan(period, result, entry_date, allocation, lines)


def result_allocations(*, book: Book) -> list[dict]:
    """Every closed year with its result and where its allocation stands:
    `to_allocate`, `allocated` (with its entry) or `none` (a zero result); whether the charter
    lets a profit be distributed, and the open vote on its allocation, if any."""
    parameters = governance_selectors.charter_parameters(commons_id=book.commons_id)
    distribution_allowed = bool(parameters.get("result.distribution_allowed", False))
    voting = {
        proposal.payload.get("period_id"): proposal.pk
        for proposal in governance_selectors.proposals_of(
            commons_id=book.commons_id, status="open"
        ).filter(kind="allocate_result")
    }
    rows = []
    for period in Period.objects.filter(book=book, status=Period.CLOSED).order_by("start"):
        result = period_result(book=book, period=period)
        entry = allocation_entry(book=book, period=period)
        status = "allocated" if entry is not None else ("to_allocate" if result else "none")
        rows.append(
            {
                "period": period_out(period),
                "result_cents": result,
                "status": status,
                "entry_id": entry.pk if entry else None,
                "entry_date": allocation_date(book=book, period=period),
                "distribution_allowed": distribution_allowed,
                "open_proposal_id": voting.get(period.pk) if status == "to_allocate" else None,
            }
        )
    return rows


def lines_info(*, line_ids) -> dict[int, dict]:
    """Ledger lines by id with their book's commons, account and entry (for analytic tags kept
    by other apps, e.g. funding's earmarks): id → {commons_id, entry_id, entry_date, account_number,
    account_type, debit_cents, credit_cents, label, entry_label}."""
    rows = Line.objects.filter(pk__in=list(line_ids)).values(
        "pk",
        "book__commons_id",
        "entry_id",
        "entry_date",
        "account__number",
        "account__type",
        "debit_cents",
        "credit_cents",
        "label",
        "entry__label",
    )
    return {
        row["pk"]: {
            "id": row["pk"],
            "commons_id": row["book__commons_id"],
            "entry_id": row["entry_id"],
            "entry_date": row["entry_date"],
            "account_number": row["account__number"],
            "account_type": row["account__type"],
            "debit_cents": row["debit_cents"],
            "credit_cents": row["credit_cents"],
            "label": row["label"] or row["entry__label"],
        }
        for row in rows
    }
