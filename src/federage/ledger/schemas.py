"""Shapes of the ledger API: amounts are integer cents, dates ISO 8601, labels in French."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from federage.core.schemas import Cents


class LineIn(Schema):
    account_number: str = Field(max_length=12)
    debit_cents: Cents | None = None
    credit_cents: Cents | None = None
    label: str = Field("", max_length=200)


class EntryPostIn(Schema):
    journal: str = Field(max_length=4)
    entry_date: dt.date
    label: str = Field(max_length=200)
    piece_ref: str = Field("", max_length=80)
    piece_date: dt.date | None = None
    lines: list[LineIn]
    # Defaults to the command id: a retried command books once.
    idempotency_key: str | None = Field(None, max_length=200)
    source_type: str = Field("manual", max_length=40)
    source_id: str = Field("", max_length=64)
    decision_id: int | None = None
    charter_version_id: int | None = None


class EntryPostCommand(EntryPostIn):
    commons_slug: str


class EntryReverseIn(Schema):
    entry_date: dt.date | None = None
    label: str = Field("", max_length=200)
    idempotency_key: str | None = Field(None, max_length=200)


class EntryReverseCommand(EntryReverseIn):
    commons_slug: str
    entry_id: int


class AccountCreateIn(Schema):
    number: str = Field(max_length=12)
    label: str = Field(max_length=160)
    type: str | None = None
    capital_kind: str | None = None


class AccountCreateCommand(AccountCreateIn):
    commons_slug: str


class PeriodOpenIn(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class PeriodOpenCommand(PeriodOpenIn):
    commons_slug: str


class PeriodCommand(Schema):
    commons_slug: str
    period_id: int


class AccountOut(Schema):
    number: str
    label: str
    type: str
    capital_kind: str


class PeriodOut(Schema):
    id: int
    start: dt.date
    end: dt.date
    status: str
    closed_at: dt.datetime | None
    opening_entry_id: int | None
    # The year is over by the server's clock: a steward may close it.
    ended: bool = False


class ResultAllocationOut(Schema):
    """A closed year's result and where its allocation stands."""

    period: PeriodOut
    result_cents: int
    status: Literal["to_allocate", "allocated", "none"]
    entry_id: int | None
    # The date its allocation entry carries (or would carry, if decided now).
    entry_date: dt.date
    # The charter lets a profit be distributed to the members.
    distribution_allowed: bool
    # A vote on its allocation is open.
    open_proposal_id: int | None = None


class JournalOut(Schema):
    code: str
    label: str


class BookOut(Schema):
    commons_slug: str
    entry_count: int
    head_hash: str
    periods: list[PeriodOut]
    journals: list[JournalOut]
    accounts: list[AccountOut]


class AuthorisationOut(Schema):
    source_type: str
    source_id: str
    decision_id: int | None
    charter_version_id: int | None


class LineOut(Schema):
    position: int
    account_number: str
    account_label: str
    debit_cents: int
    credit_cents: int
    label: str


class EntryOut(Schema):
    id: int
    sequence: int
    journal: str
    journal_label: str
    number: int
    reference: str
    entry_date: dt.date
    validation_date: dt.date
    label: str
    piece_ref: str
    piece_date: dt.date | None
    period_id: int
    total_cents: int
    reverses_id: int | None
    authorised_by: AuthorisationOut
    actor_user_id: int | None
    previous_hash: str
    hash: str
    created_at: dt.datetime
    lines: list[LineOut]


class EntryDetailOut(EntryOut):
    reversed_by: list[int]


class EntryPageOut(Schema):
    count: int
    items: list[EntryOut]


class TrialBalanceRowOut(Schema):
    number: str
    label: str
    type: str
    capital_kind: str
    opening_debit_cents: int
    opening_credit_cents: int
    debit_cents: int
    credit_cents: int
    closing_debit_cents: int
    closing_credit_cents: int
    balance_cents: int


class TrialBalanceOut(Schema):
    at: dt.date
    since: dt.date
    period: PeriodOut
    rows: list[TrialBalanceRowOut]
    totals: dict[str, int]


class ReportAccountOut(Schema):
    number: str
    label: str
    amount_cents: int


class ReportSectionOut(Schema):
    heading: str
    amount_cents: int
    accounts: list[ReportAccountOut]


class BalanceSheetOut(Schema):
    at: dt.date
    period: PeriodOut
    actif: list[ReportSectionOut]
    passif: list[ReportSectionOut]
    total_actif_cents: int
    total_passif_cents: int
    equity_cents: int
    # The fiscal year's result to `at`, the same figure as the income statement's.
    result_cents: int
    # Earlier years' results still in 120/129, not yet allocated by the members.
    prior_result_cents: int
    retained_earnings_cents: int  # report à nouveau, 110/119
    reserves_cents: int  # 106x
    off_balance: list[ReportAccountOut]


class IncomeStatementOut(Schema):
    since: dt.date
    at: dt.date
    period: PeriodOut
    produits: list[ReportSectionOut]
    charges: list[ReportSectionOut]
    total_produits_cents: int
    total_charges_cents: int
    result_cents: int


class CapitalKindOut(Schema):
    kind: str
    label: str
    assets_cents: int
    liabilities_cents: int
    equity_cents: int
    income_cents: int
    expenses_cents: int
    net_cents: int


class CapitalKindsOut(Schema):
    at: dt.date
    period: PeriodOut
    kinds: list[CapitalKindOut]


class LedgerLineOut(Schema):
    entry_id: int
    journal: str
    number: str
    entry_date: dt.date
    piece_ref: str
    label: str
    debit_cents: int
    credit_cents: int
    balance_cents: int


class GeneralLedgerOut(Schema):
    account: AccountOut
    since: dt.date
    at: dt.date
    opening_cents: int
    debit_cents: int
    credit_cents: int
    closing_cents: int
    lines: list[LedgerLineOut]


class VerifyOut(Schema):
    ok: bool
    entry_count: int
    head_hash: str
    problems: list[str]
