"""HTTP API of titles: cap table, histories, transfers, redemptions and the portfolio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors
from federage.governance import selectors as governance_selectors
from federage.titles import selectors
from federage.titles.models import Redemption, Transfer
from federage.titles.schemas import (
    CapTableOut,
    NavPointOut,
    PortfolioRowOut,
    PricePointOut,
    RedemptionIn,
    RedemptionOut,
    TransferIn,
    TransferOut,
    TransferTermsOut,
)

router = Router(tags=["titles"], auth=AUTH)


def transfer_out(transfer: Transfer) -> dict:
    return {
        "id": transfer.pk,
        "commons_slug": transfer.commons.slug,
        "seller_agent_id": transfer.seller_id,
        "seller_name": transfer.seller.display_name,
        "buyer_agent_id": transfer.buyer_id,
        "buyer_name": transfer.buyer.display_name,
        "units": transfer.units,
        "unit_price_cents": transfer.unit_price_cents,
        "price_cents": transfer.price_cents,
        "tax_cents": transfer.tax_cents,
        "tax_rate_bp": transfer.tax_rate_bp,
        "unit_value_cents": transfer.unit_value_cents,
        "state": transfer.state,
        "entry_id": transfer.entry_id,
        "proposed_at": transfer.proposed_at,
        "closed_at": transfer.closed_at,
    }


def redemption_out(redemption: Redemption) -> dict:
    return {
        "id": redemption.pk,
        "agent_id": redemption.agent_id,
        "units": redemption.units,
        "haircut_bp": redemption.haircut_bp,
        "value_cents": redemption.value_cents,
        "unit_value_cents": redemption.unit_value_cents,
        "state": redemption.state,
        "requested_at": redemption.requested_at,
        "due_at": redemption.due_at,
        "executed_at": redemption.executed_at,
        "withdrawn_at": redemption.withdrawn_at,
        "entry_id": redemption.entry_id,
    }


# Routes.


def _visible(request: HttpRequest, slug: str):
    return commons_selectors.commons_get_visible(user=request.auth, slug=slug)


@router.get("/portfolio", response=with_errors({200: list[PortfolioRowOut]}))
def portfolio(request: HttpRequest):
    """My holdings across commons, for every agent I act for."""
    return selectors.portfolio(agent_ids=agent_selectors.agent_ids_of_user(user=request.auth))


@router.get("/{slug}/cap-table", response=with_errors({200: CapTableOut}))
def cap_table(request: HttpRequest, slug: str, at: dt.datetime | None = None):
    """The register of titles, now or as of `at` (ISO date-time)."""
    commons = _visible(request, slug)
    table = selectors.cap_table(commons_id=commons.pk, at=at)
    # The one naming rule: members see every holder; others see a natural person's name only if
    # they consented and the charter (`public_data.persons`) allows it.
    names = governance_selectors.PersonNames(commons=commons, reader=request.auth)
    if not names.member:
        agents = agent_selectors.agents_by_ids(
            agent_ids=[row["agent_id"] for row in table["holders"]]
        )
        for row in table["holders"]:
            row["agent_name"] = names.name(agents.get(row["agent_id"]))
    return table


@router.get("/{slug}/nav-history", response=with_errors({200: list[NavPointOut]}))
def nav_history(request: HttpRequest, slug: str):
    return selectors.nav_history(commons_id=_visible(request, slug).pk)


@router.get("/{slug}/price-history", response=with_errors({200: list[PricePointOut]}))
def price_history(request: HttpRequest, slug: str):
    return [
        {
            "transfer_id": transfer.pk,
            "at": transfer.closed_at,
            "units": transfer.units,
            "unit_price_cents": transfer.unit_price_cents,
            "unit_value_cents": transfer.unit_value_cents,
        }
        for transfer in selectors.price_history(commons_id=_visible(request, slug).pk)
    ]


@router.get("/{slug}/transfers", response=with_errors({200: list[TransferOut]}))
def transfers(request: HttpRequest, slug: str):
    """Transfers I am party to (stewards see all of the commons')."""
    commons = _visible(request, slug)
    roles = commons_selectors.roles_of_user(user=request.auth, commons=commons)
    agent_ids = None if "steward" in roles else agent_selectors.agent_ids_of_user(user=request.auth)
    return [
        transfer_out(item)
        for item in selectors.transfers_of(commons_id=commons.pk, agent_ids=agent_ids)
    ]


@router.get("/{slug}/transfer-terms", response=with_errors({200: TransferTermsOut}))
def transfer_terms(
    request: HttpRequest,
    slug: str,
    units: Decimal | None = None,
    unit_price_cents: int | None = None,
):
    """Before proposing a transfer: a title's value now, my holdings, the tax and who pays it."""
    commons = _visible(request, slug)
    commons_selectors.require_member(user=request.auth, commons=commons)
    return selectors.transfer_terms(
        commons_id=commons.pk,
        agent_ids=agent_selectors.agent_ids_of_user(user=request.auth),
        units=units,
        unit_price_cents=unit_price_cents,
    )


@router.post("/{slug}/transfers", response=with_errors({201: TransferOut}))
def transfer_propose(request: HttpRequest, slug: str, data: TransferIn):
    return run_command(request, "transfer.propose", data, commons_slug=slug)


@router.post("/transfers/{transfer_id}/accept", response=with_errors({200: TransferOut}))
def transfer_accept(request: HttpRequest, transfer_id: int):
    return run_command(request, "transfer.accept", {"transfer_id": transfer_id})


@router.post("/transfers/{transfer_id}/refuse", response=with_errors({200: TransferOut}))
def transfer_refuse(request: HttpRequest, transfer_id: int):
    return run_command(request, "transfer.refuse", {"transfer_id": transfer_id})


@router.post("/transfers/{transfer_id}/cancel", response=with_errors({200: TransferOut}))
def transfer_cancel(request: HttpRequest, transfer_id: int):
    return run_command(request, "transfer.cancel", {"transfer_id": transfer_id})


@router.get("/{slug}/redemptions", response=with_errors({200: list[RedemptionOut]}))
def redemptions(request: HttpRequest, slug: str):
    commons = _visible(request, slug)
    commons_selectors.require_member(user=request.auth, commons=commons)
    return [redemption_out(item) for item in selectors.redemptions_of(commons_id=commons.pk)]


@router.post("/{slug}/redemptions", response=with_errors({201: RedemptionOut}))
def redemption_request(request: HttpRequest, slug: str, data: RedemptionIn):
    return run_command(request, "redemption.request", data, commons_slug=slug)


@router.post("/redemptions/{redemption_id}/execute", response=with_errors({200: RedemptionOut}))
def redemption_execute(request: HttpRequest, redemption_id: int):
    return run_command(request, "redemption.execute", {"redemption_id": redemption_id})


@router.post("/redemptions/{redemption_id}/withdraw", response=with_errors({200: RedemptionOut}))
def redemption_withdraw(request: HttpRequest, redemption_id: int):
    """Withdraws a redemption not yet executed: its reserved units are free again."""
    return run_command(request, "redemption.withdraw", {"redemption_id": redemption_id})
