"""API shapes of resources: the register, uses, dues and their payments, statistics."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictInt

from federage.core.schemas import Cents

# A quantity from outside: a JSON string or number with at most three decimals (checked by the
# service: `quantity_out_of_range`); sent as a string so that no float rounds it on the way.
Quantity = str | StrictInt


class LevyTermsOut(Schema):
    rate_bp: int
    per_unit_cents: int
    line: Literal["resource", "default"]


class ResourceOut(Schema):
    id: int
    commons_slug: str
    key: str
    name: str
    kind: str
    capital_kind: str
    unit: str
    location: str
    description: str
    status: str
    account_code: str
    depreciation_years: int | None
    in_service_on: dt.date
    value_cents: int
    accumulated_depreciation_cents: int
    net_value_cents: int
    levy: LevyTermsOut
    usage_count: int
    levies_cents: int
    quantity_used: str
    sales_cents: int
    created_at: dt.datetime
    retired_at: dt.datetime | None


class ResourceContributionOut(Schema):
    contribution_id: int
    title: str
    kind: str
    value_cents: int
    contributor_name: str
    accepted_at: dt.datetime | None


class UsageOut(Schema):
    id: int
    resource_id: int
    resource_name: str
    agent_id: int
    agent_name: str
    quantity: str
    unit: str
    period_start: dt.date
    period_end: dt.date
    commercial: bool
    sale_amount_cents: int
    levy_cents: int
    levy_rate_bp: int
    levy_per_unit_cents: int
    levy_line: str
    levy_destination: str
    charter_version: int | None
    due_id: int | None
    recurring: bool
    entry_id: int | None
    created_at: dt.datetime


class MonthOut(Schema):
    month: str
    quantity: str
    sales_cents: int
    levy_cents: int
    uses: int


class ResourceUserOut(Schema):
    agent_id: int
    agent_name: str
    quantity: str
    uses: int


class DepreciationOut(Schema):
    year: int
    amount_cents: int
    entry_id: int


class ResourceDetailOut(ResourceOut):
    contributions: list[ResourceContributionOut]
    usages: list[UsageOut]
    by_month: list[MonthOut]
    users: list[ResourceUserOut]
    depreciations: list[DepreciationOut]


class PaymentOut(Schema):
    id: int
    amount_cents: int
    paid_on: dt.date
    entry_id: int


class DueOut(Schema):
    id: int
    commons_slug: str
    kind: Literal["levy", "transfer_tax"]
    agent_id: int
    agent_name: str
    label: str
    amount_cents: int
    paid_cents: int
    outstanding_cents: int
    due_on: dt.date
    status: Literal["due", "overdue", "paid"]
    usage_id: int | None
    transfer_id: int | None
    entry_id: int
    payments: list[PaymentOut]


class ResourceStatRowOut(Schema):
    resource_id: int
    name: str
    unit: str
    quantity: str
    sales_cents: int
    levy_cents: int
    uses: int


class DueTotalsOut(Schema):
    due_cents: int
    collected_cents: int
    outstanding_cents: int
    overdue_cents: int


class ResourceStatsOut(Schema):
    by_resource: list[ResourceStatRowOut]
    by_month: list[MonthOut]
    levies: DueTotalsOut
    transfer_taxes: DueTotalsOut


class PublicResourceOut(Schema):
    id: int
    key: str
    name: str
    kind: str
    capital_kind: str
    unit: str
    location: str
    status: str
    account_code: str
    value_cents: int
    accumulated_depreciation_cents: int
    net_value_cents: int
    levy: LevyTermsOut
    usage_count: int
    levies_cents: int
    quantity_used: str
    sales_cents: int
    distinct_users: int
    commercial_uses: int
    by_month: list[MonthOut]


class LevyMonthOut(Schema):
    month: str
    due_cents: int
    collected_cents: int
    outstanding_cents: int


class PublicLeviesOut(Schema):
    due_cents: int
    collected_cents: int
    outstanding_cents: int
    by_month: list[LevyMonthOut]


# --- Inputs and commands ---------------------------------------------------------------------


class ResourceIn(Schema):
    key: str = Field(max_length=50)
    name: str = Field(max_length=160)
    kind: str = Field(max_length=16)
    unit: str = Field(max_length=10)
    capital_kind: str | None = Field(None, max_length=14)
    location: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    account_code: str | None = Field(None, max_length=12)
    depreciation_years: int | None = Field(None, strict=True)
    in_service_on: dt.date | None = None
    contribution_ids: list[int] = Field(default_factory=list, max_length=100)


class ResourceCommand(ResourceIn):
    commons_slug: str


class ResourceActionCommand(Schema):
    commons_slug: str
    resource_id: int


class LinkContributionIn(Schema):
    contribution_id: int


class LinkContributionCommand(LinkContributionIn):
    commons_slug: str
    resource_id: int


class UsageIn(Schema):
    quantity: Quantity
    period_start: dt.date
    period_end: dt.date | None = None
    commercial: bool = False
    sale_amount_cents: Cents | None = None
    unit: str | None = Field(None, max_length=10)
    agent_id: int | None = None
    recurring: bool = False


class UsageCommand(UsageIn):
    commons_slug: str
    resource_id: int


class PaymentIn(Schema):
    amount_cents: Cents
    paid_on: dt.date


class DuePayCommand(PaymentIn):
    commons_slug: str
    due_id: int
