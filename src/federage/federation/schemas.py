"""API shapes of federation: exchanges and their legs, borrowed assets, holdings, the network."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictInt

# A quantity from outside, as a string or an integer so that no float rounds it on the way.
Quantity = str | StrictInt


class LegIn(Schema):
    giver: Literal["a", "b"]
    kind: Literal["resource", "use", "service", "cash", "financial"]
    label: str = Field(max_length=200)
    quantity: Quantity = "1"
    unit: str = Field("", max_length=20)
    giver_account: str = Field("", max_length=10)
    receiver_account: str = Field("", max_length=10)
    giver_book_cents: StrictInt = 0
    value_a_cents: StrictInt
    value_b_cents: StrictInt
    # A use or service: the day its receiver has used it by (absent: at execution).
    consumed_on: dt.date | None = None


class ExchangeIn(Schema):
    other_slug: str
    terms: str = Field(max_length=10_000)
    legs: list[LegIn] = Field(max_length=50)


class ExchangeProposeCommand(ExchangeIn):
    commons_slug: str


class ExchangeIdCommand(Schema):
    exchange_id: int


class LegOut(Schema):
    giver: str
    kind: str
    label: str
    quantity: Decimal
    unit: str
    giver_account: str
    receiver_account: str
    giver_book_cents: int
    value_a_cents: int
    value_b_cents: int
    consumed_on: dt.date | None
    consumption_entry_id: int | None


class ExchangeOut(Schema):
    id: int
    commons_a: str
    commons_b: str
    terms: str
    terms_hash: str
    state: str
    created_at: dt.datetime
    executed_at: dt.datetime | None
    proposal_a_id: int | None
    proposal_b_id: int | None
    decision_a_id: int | None
    decision_b_id: int | None
    entry_a_id: int | None
    entry_b_id: int | None
    legs: list[LegOut]


class BorrowingIn(Schema):
    lender_slug: str
    kind: Literal["fungible", "specific"]
    label: str = Field(max_length=200)
    quantity: Quantity
    unit: str = Field("", max_length=20)
    lender_account: str = Field("", max_length=10)
    borrower_account: str = Field("", max_length=10)
    lender_book_cents: StrictInt
    borrower_value_cents: StrictInt
    fee_cents: StrictInt = 0
    return_on: dt.date
    indicator_code: str = Field("", max_length=40)


class BorrowingProposeCommand(BorrowingIn):
    borrower_slug: str


class BorrowingIdCommand(Schema):
    borrowing_id: int


class BorrowingOut(Schema):
    id: int
    lender: str
    borrower: str
    kind: str
    label: str
    quantity: Decimal
    unit: str
    lender_book_cents: int
    borrower_value_cents: int
    fee_cents: int
    return_on: dt.date
    indicator_code: str
    state: str
    entry_lender_id: int | None
    entry_borrower_id: int | None


class ParticipationOut(Schema):
    host_slug: str
    host_name: str
    method: str  # the charter's participations.valuation: cost_impairment or fair_value
    cost_cents: int
    impairment_cents: int
    revaluation_cents: int = 0  # above cost, under fair_value only (1052)
    carrying_cents: int
    fair_value_cents: int
    revalued_at: dt.datetime | None


class CommonsLinksOut(Schema):
    participations: list[ParticipationOut]
    exchanges: list[ExchangeOut]
    borrowings: list[BorrowingOut]


class NodeOut(Schema):
    slug: str
    name: str


class EdgeOut(Schema):
    source: str
    target: str
    kind: str  # membership, holding, exchange, borrowing or contributors
    value_cents: int | None = None
    count: int | None = None  # kind "contributors": how many agents contribute to both


class FlowOut(Schema):
    source: str
    target: str
    value_cents: int


class NetworkOut(Schema):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    flows: list[FlowOut]


class FederationIn(Schema):
    slug: str = Field(max_length=50, pattern=r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$")
    name: str = Field(max_length=160)
    commons_slug: str
    combination_agreement: bool = False
    agreement_ref: str = Field("", max_length=200)


class FederationCreateCommand(FederationIn):
    pass


class FederationMemberIn(Schema):
    commons_slug: str


class FederationMemberCommand(FederationMemberIn):
    federation_slug: str


class FederationMemberOut(Schema):
    federation_slug: str
    commons_slug: str
    state: str
    proposal_id: int | None


class EliminationLineOut(Schema):
    account: str
    debit_cents: int
    credit_cents: int


class EliminationOut(Schema):
    reason: str
    lines: list[EliminationLineOut]


class CombinedAccountOut(Schema):
    account: str
    label: str
    type: str
    sum_cents: int
    elimination_cents: int
    combined_cents: int


class CombinedTotalsOut(Schema):
    assets_cents: int
    liabilities_cents: int
    equity_cents: int
    income_cents: int
    expenses_cents: int
    result_cents: int


class CombinedMemberOut(Schema):
    slug: str
    name: str
    joined_at: dt.datetime | None
    decision_id: int | None


class CombinedIndicatorOut(Schema):
    code: str
    unit: str
    # Decimal as text (3 places), as every impact value.
    total: str


class CombinedOut(Schema):
    slug: str
    name: str
    title: str
    agreement_ref: str
    at: dt.date
    members: list[str]
    combined: bool
    member_commons: list[CombinedMemberOut]
    accounts: list[CombinedAccountOut]
    elimination_journal: list[EliminationOut]
    indicators: list[CombinedIndicatorOut]
    totals: CombinedTotalsOut


class FederationFinancingIn(Schema):
    # The organisation offering (an agent the user represents, never a person or a commons).
    agent_id: StrictInt
    title: str = Field(max_length=160)
    amount_cents: StrictInt
    # "equal" or "net_worth" (each member's equity at the offer's date); checked by the service
    # so that a wrong key is refused by its stable code.
    key: str = Field(max_length=20)
    # Only "grant_operating" for now (domain.FINANCING_KINDS).
    kind: str = Field("grant_operating", max_length=20)


class FederationFinanceCommand(FederationFinancingIn):
    federation_slug: str


class FederationFinancingShareOut(Schema):
    commons_slug: str
    commons_name: str
    financing_id: int
    amount_cents: int
    # The member's own financing: offered, voting, accepted, active, closed, withdrawn, refused.
    status: str


class FederationFinancingOut(Schema):
    id: int
    funder: str
    kind: str
    title: str
    amount_cents: int
    key: str
    created_at: dt.datetime
    shares: list[FederationFinancingShareOut]
