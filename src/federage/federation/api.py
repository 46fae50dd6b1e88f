"""HTTP API of federation: exchanges between commons, borrowed assets, holdings, the network."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors
from federage.federation import selectors
from federage.federation.schemas import (
    BorrowingIn,
    BorrowingOut,
    CombinedOut,
    CommonsLinksOut,
    ExchangeIn,
    ExchangeOut,
    FederationFinancingIn,
    FederationFinancingOut,
    FederationIn,
    FederationMemberIn,
    FederationMemberOut,
    NetworkOut,
)

router = Router(tags=["federation"], auth=AUTH)
# The network of public commons, read-only, mounted under /public (no authentication).
public_router = Router(tags=["open data"], auth=None)


@router.get("/commons/{slug}", response=with_errors({200: CommonsLinksOut}))
def commons_links(request: HttpRequest, slug: str):
    """A commons' holdings of other commons, its exchanges and its borrowed or lent assets."""
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    return {
        "participations": selectors.participations_of(commons_id=commons.pk),
        "exchanges": selectors.exchanges_of(commons_id=commons.pk),
        "borrowings": selectors.borrowings_of(commons_id=commons.pk),
    }


@router.post("/commons/{slug}/exchanges", response=with_errors({201: ExchangeOut}))
def exchange_propose(request: HttpRequest, slug: str, data: ExchangeIn):
    return run_command(
        request,
        "exchange.propose",
        {
            **data.dict(),
            "commons_slug": slug,
            "legs": [{**leg.dict(), "quantity": str(leg.quantity)} for leg in data.legs],
        },
    )


@router.get("/exchanges/{exchange_id}", response=with_errors({200: ExchangeOut}))
def exchange_detail(request: HttpRequest, exchange_id: int):
    return selectors.exchange_get_visible(user=request.auth, exchange_id=exchange_id)


@router.post("/exchanges/{exchange_id}/submit", response=with_errors({200: ExchangeOut}))
def exchange_submit(request: HttpRequest, exchange_id: int):
    return run_command(request, "exchange.submit", {"exchange_id": exchange_id})


@router.post("/exchanges/{exchange_id}/execute", response=with_errors({200: ExchangeOut}))
def exchange_execute(request: HttpRequest, exchange_id: int):
    return run_command(request, "exchange.execute", {"exchange_id": exchange_id})


@router.post("/commons/{slug}/borrowings", response=with_errors({201: BorrowingOut}))
def borrowing_propose(request: HttpRequest, slug: str, data: BorrowingIn):
    payload = {**data.dict(), "borrower_slug": slug, "return_on": data.return_on.isoformat()}
    payload["quantity"] = str(data.quantity)
    return run_command(request, "borrowing.propose", payload)


@router.post("/borrowings/{borrowing_id}/accept", response=with_errors({200: BorrowingOut}))
def borrowing_accept(request: HttpRequest, borrowing_id: int):
    return run_command(request, "borrowing.accept", {"borrowing_id": borrowing_id})


@public_router.get("/network", response=with_errors({200: NetworkOut}))
def network(request: HttpRequest):
    """Public commons and their links (membership, holdings, exchanges, borrowed assets), and
    the value flows between them for a Sankey diagram, in cents."""
    return selectors.network()


@router.post("/federations", response=with_errors({201: CombinedOut}))
def federation_create(request: HttpRequest, data: FederationIn):
    return run_command(request, "federation.create", data)


@router.post("/federations/{slug}/members", response=with_errors({201: FederationMemberOut}))
def federation_join(request: HttpRequest, slug: str, data: FederationMemberIn):
    return run_command(request, "federation.join", data, federation_slug=slug)


@router.post("/federations/{slug}/leave", response=with_errors({200: FederationMemberOut}))
def federation_leave(request: HttpRequest, slug: str, data: FederationMemberIn):
    return run_command(request, "federation.leave", data, federation_slug=slug)


@router.get("/federations/{slug}/statements", response=with_errors({200: CombinedOut}))
def federation_statements(request: HttpRequest, slug: str):
    """Combined (or aggregated) balance sheet and income statement, with the elimination journal:
    for the members of its member commons, or anyone when all of them are public."""
    if not selectors.federation_visible(user=request.auth, slug=slug):
        raise ApplicationError("not_found")
    return selectors.combined_statements(slug=slug)


@public_router.get("/federations/{slug}", response=with_errors({200: CombinedOut}))
def federation_public(request: HttpRequest, slug: str):
    """A federation of public commons: its combined books and elimination journal."""
    if not selectors.federation_is_public(slug=slug):
        raise ApplicationError("not_found")
    return selectors.combined_statements(slug=slug)


@router.post("/federations/{slug}/financings", response=with_errors({201: FederationFinancingOut}))
def federation_finance(request: HttpRequest, slug: str, data: FederationFinancingIn):
    """A funder finances the federation as one: the total splits over the active members by
    the key (`equal`, or `net_worth`: each member's equity at the offer's date), each share an
    ordinary financing its member accepts or refuses by its own vote. Operating grants only."""
    return run_command(request, "federation.finance", data, federation_slug=slug)


@router.get(
    "/federations/{slug}/financings", response=with_errors({200: list[FederationFinancingOut]})
)
def federation_financings(request: HttpRequest, slug: str):
    """The federation's group financings, each share with its member's financing status: for
    whoever can see the federation."""
    if not selectors.federation_visible(user=request.auth, slug=slug):
        raise ApplicationError("not_found")
    return selectors.federation_financings(slug=slug)


@public_router.get(
    "/federations/{slug}/financings", response=with_errors({200: list[FederationFinancingOut]})
)
def federation_public_financings(request: HttpRequest, slug: str):
    """A public federation's group financings: amounts per member commons, no person named
    (the funder is an organisation)."""
    if not selectors.federation_is_public(slug=slug):
        raise ApplicationError("not_found")
    return selectors.federation_financings(slug=slug)
