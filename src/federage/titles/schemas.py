"""API shapes of titles: cap table, NAV and price history, transfers, redemptions, portfolio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema

from federage.core.schemas import Cents, Units


class CapTableRowOut(Schema):
    agent_id: int
    agent_name: str
    agent_kind: str
    units: Decimal
    percent: Decimal
    value_cents: int


class CapTableOut(Schema):
    class_name: str
    scale: int
    at: dt.datetime | None
    outstanding: Decimal
    net_assets_cents: int
    unit_value_cents: Decimal
    is_initial_value: bool
    holders: list[CapTableRowOut]


class NavPointOut(Schema):
    at: dt.datetime
    net_assets_cents: int
    outstanding: Decimal
    unit_value_cents: Decimal
    cause: str
    cause_id: int | None


class TransferOut(Schema):
    id: int
    commons_slug: str
    seller_agent_id: int
    seller_name: str
    buyer_agent_id: int
    buyer_name: str
    units: Decimal
    unit_price_cents: int
    price_cents: int
    tax_cents: int
    tax_rate_bp: int
    unit_value_cents: Decimal | None
    state: str
    entry_id: int | None
    proposed_at: dt.datetime
    closed_at: dt.datetime | None


class PricePointOut(Schema):
    transfer_id: int
    at: dt.datetime
    units: Decimal
    unit_price_cents: int
    unit_value_cents: Decimal | None


class TermsHoldingOut(Schema):
    agent_id: int
    units: Decimal
    value_cents: int


class TransferTermsOut(Schema):
    """Before a transfer: a title's value now, the seller's holdings, the tax and who pays it."""

    unit_value_cents: Decimal
    is_initial_value: bool
    tax_rate_bp: int
    tax_payer: str  # "buyer"
    holdings: list[TermsHoldingOut]
    units: Decimal | None
    value_cents: int | None
    price_cents: int | None
    tax_cents: int | None


class TransferIn(Schema):
    buyer_agent_id: int
    units: Units
    unit_price_cents: Cents
    seller_agent_id: int | None = None


class TransferCommand(TransferIn):
    commons_slug: str


class TransferActionCommand(Schema):
    transfer_id: int


class RedemptionIn(Schema):
    units: Units | None = None
    agent_id: int | None = None


class RedemptionCommand(RedemptionIn):
    commons_slug: str


class RedemptionExecuteCommand(Schema):
    redemption_id: int


class RedemptionOut(Schema):
    id: int
    agent_id: int
    units: Decimal
    haircut_bp: int
    value_cents: int | None
    unit_value_cents: Decimal | None
    state: str
    requested_at: dt.datetime
    due_at: dt.datetime
    executed_at: dt.datetime | None
    withdrawn_at: dt.datetime | None = None
    entry_id: int | None


class PortfolioRowOut(Schema):
    commons_slug: str
    commons_name: str
    agent_id: int
    units: Decimal
    # Units under a redemption request: held, but not transferable until executed or withdrawn.
    reserved_units: Decimal = Decimal("0")
    percent: Decimal
    unit_value_cents: Decimal
    value_cents: int
    invested_cents: int
    gain_cents: int
