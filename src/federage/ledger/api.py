"""HTTP API of the books: reports (JSON or CSV), entries, exports; writes are commands.

Who sees what: the summary statements (trial balance, balance sheet, income statement,
capital kinds, chart, periods) follow the commons' visibility (a public commons publishes
them); entries, general ledger, exports and verify are for members; writes are for stewards.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Router

from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors
from federage.ledger import domain, exports, selectors, tables
from federage.ledger.models import Entry
from federage.ledger.schemas import (
    AccountCreateIn,
    AccountOut,
    BalanceSheetOut,
    BookOut,
    CapitalKindsOut,
    EntryDetailOut,
    EntryPageOut,
    EntryPostIn,
    EntryReverseIn,
    GeneralLedgerOut,
    IncomeStatementOut,
    PeriodOpenIn,
    PeriodOut,
    ResultAllocationOut,
    TrialBalanceOut,
    VerifyOut,
)

router = Router(tags=["ledger"], auth=AUTH)
BASE = "/commons/{slug}/ledger"
Format = Literal["json", "csv"]


def _visible(request: HttpRequest, slug: str):
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    return commons, selectors.book_of(commons_id=commons.pk)


def _member(request: HttpRequest, slug: str):
    commons, book = _visible(request, slug)
    commons_selectors.require_member(user=request.auth, commons=commons)
    return commons, book


def _csv(table: tables.Table, name: str) -> HttpResponse:
    response = HttpResponse(tables.csv_text(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _dated_report(report: dict, format: Format, table, name: str) -> dict | HttpResponse:
    """A report dated `at`: as JSON, or as the CSV download `<name>-<at>.csv`."""
    if format == "csv":
        return _csv(table(report), f"{name}-{report['at']}")
    return report


def entry_out(entry: Entry, reversed_by: list[int] | None = None) -> dict:
    body = {
        "id": entry.pk,
        "sequence": entry.sequence,
        "journal": entry.journal,
        "journal_label": domain.JOURNALS.get(entry.journal, entry.journal),
        "number": entry.number,
        "reference": domain.fec_entry_number(entry.journal, entry.number),
        "entry_date": entry.entry_date,
        "validation_date": entry.validation_date,
        "label": entry.label,
        "piece_ref": entry.piece_ref,
        "piece_date": entry.piece_date,
        "period_id": entry.period_id,
        "total_cents": entry.total_cents,
        "reverses_id": entry.reverses_id,
        "authorised_by": {
            "source_type": entry.source_type,
            "source_id": entry.source_id,
            "decision_id": entry.decision_id,
            "charter_version_id": entry.charter_version_id,
        },
        "actor_user_id": entry.actor_user_id,
        "previous_hash": entry.previous_hash,
        "hash": entry.hash,
        "created_at": entry.created_at,
        "lines": [
            {
                "position": line.position,
                "account_number": line.account.number,
                "account_label": line.account.label,
                "debit_cents": line.debit_cents,
                "credit_cents": line.credit_cents,
                "label": line.label,
            }
            for line in entry.lines.all()
        ],
    }
    if reversed_by is not None:
        body["reversed_by"] = reversed_by
    return body


# Routes: writes.


@router.post(f"{BASE}/entries", response=with_errors({201: EntryDetailOut}))
def entry_post(request: HttpRequest, slug: str, data: EntryPostIn):
    return run_command(request, "ledger.entry_post", data, commons_slug=slug)


@router.post(f"{BASE}/entries/{{entry_id}}/reverse", response=with_errors({201: EntryDetailOut}))
def entry_reverse(request: HttpRequest, slug: str, entry_id: int, data: EntryReverseIn):
    return run_command(request, "ledger.entry_reverse", data, commons_slug=slug, entry_id=entry_id)


@router.post(f"{BASE}/accounts", response=with_errors({201: AccountOut}))
def account_create(request: HttpRequest, slug: str, data: AccountCreateIn):
    return run_command(request, "ledger.account_create", data, commons_slug=slug)


@router.post(f"{BASE}/periods", response=with_errors({201: PeriodOut}))
def period_open(request: HttpRequest, slug: str, data: PeriodOpenIn):
    return run_command(request, "ledger.period_open", data, commons_slug=slug)


@router.post(f"{BASE}/periods/{{period_id}}/close", response=with_errors({200: PeriodOut}))
def period_close(request: HttpRequest, slug: str, period_id: int):
    return run_command(
        request, "ledger.period_close", {"commons_slug": slug, "period_id": period_id}
    )


@router.post(f"{BASE}/periods/{{period_id}}/reopen", response=with_errors({200: PeriodOut}))
def period_reopen(request: HttpRequest, slug: str, period_id: int):
    return run_command(
        request, "ledger.period_reopen", {"commons_slug": slug, "period_id": period_id}
    )


# Routes: reads.


@router.get(BASE, response=with_errors({200: BookOut}))
def book_detail(request: HttpRequest, slug: str):
    commons, book = _visible(request, slug)
    return {
        "commons_slug": commons.slug,
        "entry_count": book.entry_count,
        "head_hash": book.head_hash,
        "periods": [selectors.period_out(period) for period in selectors.periods_of(book=book)],
        "journals": [{"code": code, "label": label} for code, label in domain.JOURNALS.items()],
        "accounts": selectors.accounts_of(book=book),
    }


@router.get(f"{BASE}/accounts", response=with_errors({200: list[AccountOut]}))
def account_list(request: HttpRequest, slug: str):
    _, book = _visible(request, slug)
    return selectors.accounts_of(book=book)


@router.get(f"{BASE}/periods", response=with_errors({200: list[PeriodOut]}))
def period_list(request: HttpRequest, slug: str):
    _, book = _visible(request, slug)
    return [selectors.period_out(period) for period in selectors.periods_of(book=book)]


@router.get(f"{BASE}/allocations", response=with_errors({200: list[ResultAllocationOut]}))
def result_allocation_list(request: HttpRequest, slug: str):
    """Each closed year's result and its allocation (affectation): to decide, done, or none."""
    _, book = _visible(request, slug)
    return selectors.result_allocations(book=book)


@router.get(f"{BASE}/trial-balance", response=with_errors({200: TrialBalanceOut}))
def trial_balance(
    request: HttpRequest,
    slug: str,
    at: dt.date | None = None,
    since: dt.date | None = None,
    format: Format = "json",
):
    """Balance générale at `at` (today by default) from `since` (start of its fiscal year)."""
    _, book = _visible(request, slug)
    report = selectors.trial_balance(book=book, at=at or clock.today(), since=since)
    return _dated_report(report, format, tables.trial_balance_table, f"balance-{slug}")


@router.get(f"{BASE}/balance-sheet", response=with_errors({200: BalanceSheetOut}))
def balance_sheet(
    request: HttpRequest, slug: str, at: dt.date | None = None, format: Format = "json"
):
    """Bilan (actif / passif, PCG headings) at `at`."""
    _, book = _visible(request, slug)
    report = selectors.balance_sheet(book=book, at=at or clock.today())
    return _dated_report(report, format, tables.balance_sheet_table, f"bilan-{slug}")


@router.get(f"{BASE}/income-statement", response=with_errors({200: IncomeStatementOut}))
def income_statement(
    request: HttpRequest,
    slug: str,
    at: dt.date | None = None,
    since: dt.date | None = None,
    format: Format = "json",
):
    """Compte de résultat from `since` (start of the fiscal year) to `at`."""
    _, book = _visible(request, slug)
    report = selectors.income_statement(book=book, at=at or clock.today(), since=since)
    return _dated_report(report, format, tables.income_statement_table, f"resultat-{slug}")


@router.get(f"{BASE}/capital-kinds", response=with_errors({200: CapitalKindsOut}))
def capital_kinds(
    request: HttpRequest, slug: str, at: dt.date | None = None, format: Format = "json"
):
    """Triple-capital view: financial, human and natural capital at `at`."""
    _, book = _visible(request, slug)
    report = selectors.capital_kinds(book=book, at=at or clock.today())
    return _dated_report(report, format, tables.capital_kinds_table, f"capitaux-{slug}")


@router.get(
    f"{BASE}/general-ledger/{{account_number}}", response=with_errors({200: GeneralLedgerOut})
)
def general_ledger(
    request: HttpRequest,
    slug: str,
    account_number: str,
    at: dt.date | None = None,
    since: dt.date | None = None,
    format: Format = "json",
):
    """Grand livre of one account with its running balance."""
    _, book = _member(request, slug)
    report = selectors.general_ledger(
        book=book, account_number=account_number, at=at or clock.today(), since=since
    )
    name = f"grand-livre-{slug}-{account_number}"
    return _dated_report(report, format, tables.general_ledger_table, name)


@router.get(f"{BASE}/entries", response=with_errors({200: EntryPageOut}))
def entry_list(
    request: HttpRequest,
    slug: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    journal: str | None = None,
    source_type: str | None = None,
    source_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
    format: Format = "json",
):
    """The journal: entries in posting order with their lines (paged; CSV is unpaged)."""
    _, book = _member(request, slug)
    entries = selectors.entries_of(
        book=book,
        since=since,
        until=until,
        journal=journal,
        source_type=source_type,
        source_id=source_id,
    )
    if format == "csv":
        return _csv(tables.journal_table(entries), f"journal-{slug}")
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    return {
        "count": entries.count(),
        "items": [entry_out(entry) for entry in entries[offset : offset + limit]],
    }


@router.get(f"{BASE}/entries/{{entry_id}}", response=with_errors({200: EntryDetailOut}))
def entry_detail(request: HttpRequest, slug: str, entry_id: int):
    """One entry with its lines, its authorising decision and source, and its reversals."""
    _, book = _member(request, slug)
    entry = selectors.entry_get(book=book, entry_id=entry_id)
    return entry_out(entry, selectors.entry_reversal_ids(entry=entry))


@router.get(f"{BASE}/exports/fec", response=with_errors({200: None}))
def export_fec(request: HttpRequest, slug: str, year: int):
    """FEC of the fiscal year closing in `year`: `<SIREN>FEC<AAAAMMJJ>.txt`, ISO-8859-15."""
    commons, _ = _member(request, slug)
    name, chunks = exports.fec_bytes(commons=commons, year=year)
    response = StreamingHttpResponse(chunks, content_type="text/plain; charset=iso-8859-15")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(f"{BASE}/exports/journal", response=with_errors({200: None}))
def export_journal(request: HttpRequest, slug: str):
    """The whole book as a plain-text journal that hledger and ledger read (UTF-8)."""
    commons, book = _member(request, slug)
    lines = exports.journal_lines(book=book, title=commons.name)
    response = StreamingHttpResponse(
        (line.encode() for line in lines), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}.journal"'
    return response


@router.get(f"{BASE}/verify", response=with_errors({200: VerifyOut}))
def verify(request: HttpRequest, slug: str):
    """Recomputes the hash chain, numbering, totals and running balances of the book."""
    _, book = _member(request, slug)
    problems = selectors.book_verify(book=book)
    return {
        "ok": not problems,
        "entry_count": book.entry_count,
        "head_hash": book.head_hash,
        "problems": problems,
    }
