"""Shapes of the public read API, the dashboards and the data dictionary (amounts in euro cents)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema

from federage.governance.schemas import ParameterValueOut


class PublicCommonsRow(Schema):
    slug: str
    name: str
    purpose: str
    category: str
    location: str
    parent_slug: str | None
    member_count: int
    created_at: dt.datetime


class CommonsPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PublicCommonsRow]


class PublicAgentOut(Schema):
    ref: str  # stable within the commons; the same person has another ref in another commons
    kind: str
    name: str  # the name, or a pseudonym "Membre 7f3a2c"
    is_pseudonym: bool


class OpenMemberOut(PublicAgentOut):
    roles: list[str]
    joined_at: dt.date


class PublicCharterOut(Schema):
    number: int
    created_at: dt.datetime
    parameters: dict[str, Any]
    rules: list[ParameterValueOut]
    summary_fr: list[str]


class PublicEffectOut(Schema):
    status: str
    reason: str
    reason_messages: dict[str, str]
    applied_at: dt.datetime | None


class PublicDecisionOut(Schema):
    id: int
    sequence: int
    proposal_id: int
    kind: str
    title: str
    outcome: str
    charter_version: int
    decided_at: dt.datetime
    tally: dict[str, Any]
    # Set when the effect was refused at closing: "pending" with the reason, or "applied" since.
    effect: PublicEffectOut | None = None
    previous_hash: str
    hash: str


class PublicLineOut(Schema):
    position: int
    account_number: str
    account_label: str
    debit_cents: int
    credit_cents: int
    label: str


class PublicEntryOut(Schema):
    id: int
    sequence: int
    journal: str
    journal_label: str
    reference: str
    entry_date: dt.date
    validation_date: dt.date
    label: str
    piece_ref: str
    total_cents: int
    reverses_id: int | None
    decision_id: int | None
    source_type: str
    hash: str
    lines: list[PublicLineOut]


class PublicTransactionOut(PublicEntryOut):
    commons_slug: str


class OpenEntryPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PublicEntryOut]


class PublicContributionOut(Schema):
    id: int
    kind: str
    title: str
    state: str
    price_cents: int
    decided_at: dt.datetime | None
    contributor: PublicAgentOut
    decision_id: int | None
    entry_id: int | None


class PublicNeedOut(Schema):
    """An open wanted contribution: what the commons looks for, its target and progress."""

    id: int
    kind: str
    title: str
    description: str
    target_cents: int
    wanted_by: dt.date | None
    validated_cents: int
    pending_cents: int
    created_at: dt.datetime


class PublicHolderOut(Schema):
    holder: PublicAgentOut
    units: str  # decimal, 4 places, as text: exact
    percent: str
    value_cents: int


class PublicCapTableOut(Schema):
    class_name: str
    scale: int
    outstanding: str
    net_assets_cents: int
    unit_value_cents: int
    is_initial_value: bool
    holders: list[PublicHolderOut]


class OpenNavPointOut(Schema):
    at: dt.datetime
    unit_value_cents: str  # decimal cents, 6 places
    net_assets_cents: int
    outstanding: str
    cause: str


class OpenPricePointOut(Schema):
    at: dt.datetime | None
    units: str
    unit_price_cents: int
    price_cents: int
    tax_cents: int
    unit_value_cents: str | None


class ProducedMonthOut(Schema):
    month: str  # YYYY-MM
    cash: int
    in_kind: int
    labour: int
    total_cents: int


class PreservedMonthOut(Schema):
    month: str
    levies: int
    taxes: int
    total_cents: int


class ExchangedMonthOut(Schema):
    month: str
    count: int
    amount_cents: int


class AmountMonthOut(Schema):
    month: str
    amount_cents: int


class NavMonthOut(Schema):
    month: str
    unit_value_cents: int
    outstanding: str


class KindAmountOut(Schema):
    kind: str
    amount_cents: int


class CapitalKindAmountOut(Schema):
    capital_kind: str
    amount_cents: int


class SankeyNodeOut(Schema):
    name: str
    label: str
    group: str  # contributors, funders, income, commons, resource, expenses


class SankeyLinkOut(Schema):
    source: str
    target: str
    value: int


class SankeyOut(Schema):
    unit: str
    nodes: list[SankeyNodeOut]
    links: list[SankeyLinkOut]


class DashboardResultOut(Schema):
    """The fiscal year's result to date, as the balance sheet and income statement give it."""

    period_start: dt.date
    period_end: dt.date
    result_cents: int
    prior_result_cents: int  # earlier years' results not yet allocated (120/129)


class DashboardOut(Schema):
    commons_slug: str
    at: dt.date
    unit: str
    result: DashboardResultOut | None  # None while no fiscal year covers today
    produced: list[ProducedMonthOut]
    exchanged: list[ExchangedMonthOut]
    preserved: list[PreservedMonthOut]
    capital: list[AmountMonthOut]
    nav: list[NavMonthOut]
    contributions_by_kind: list[KindAmountOut]
    assets_by_capital_kind: list[CapitalKindAmountOut]
    sankey: SankeyOut


class InstanceDashboardOut(Schema):
    commons_count: int
    at: dt.date
    unit: str
    produced: list[ProducedMonthOut]
    exchanged: list[ExchangedMonthOut]
    preserved: list[PreservedMonthOut]
    capital: list[AmountMonthOut]
    contributions_by_kind: list[KindAmountOut]
    assets_by_capital_kind: list[CapitalKindAmountOut]
    sankey: SankeyOut


class DictionaryText(Schema):
    """A text of the dictionary in French and in English."""

    fr: str
    en: str


class DictionaryValueOut(Schema):
    """A code an enumerated field takes, as written in the CSV files, and what it means."""

    code: str
    label: DictionaryText


class DictionaryFieldOut(Schema):
    name: str
    type: str
    description: DictionaryText
    unit: str | None
    required: bool
    values: list[DictionaryValueOut]


class DictionaryResourceOut(Schema):
    name: str
    title: DictionaryText
    description: DictionaryText
    path: str
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]
    fields: list[DictionaryFieldOut]


class LicenseOut(Schema):
    name: str
    title: str
    path: str


class DictionaryOut(Schema):
    licenses: list[LicenseOut]
    currency: str
    amounts: DictionaryText
    resources: list[DictionaryResourceOut]
