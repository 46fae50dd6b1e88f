"""HTTP API of funding: offers, financings, tranches, repayments, tags, the funder's dashboard
(JSON, CSV and PDF), and the public financings of public commons."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from federage.core.http import AUTH, request_language, run_command
from federage.core.schemas import with_errors
from federage.funding import selectors
from federage.funding.schemas import (
    DisburseIn,
    FinancingDashboardOut,
    FinancingOut,
    OfferIn,
    RepayIn,
    TagIn,
    TagOut,
)

router = Router(tags=["funding"], auth=AUTH)
# Read-only open data of public commons, mounted under /public (no authentication).
public_router = Router(tags=["open data"], auth=None)


@router.post("/offers", response=with_errors({201: FinancingOut}))
def financing_offer(request: HttpRequest, data: OfferIn):
    """A funder offers a grant, a loan or an equity subscription to a commons (command
    financing.offer)."""
    return run_command(request, "financing.offer", data)


@router.get("/mine", response=with_errors({200: list[FinancingOut]}))
def my_financings(request: HttpRequest):
    """The financings offered by the agents the user acts for (the funder's portfolio)."""
    return selectors.my_financings(user=request.auth)


@router.get("/commons/{slug}", response=with_errors({200: list[FinancingOut]}))
def financings_of_commons(request: HttpRequest, slug: str):
    """Every financing offered to the commons (its members)."""
    return selectors.financings_of_commons(user=request.auth, slug=slug)


@router.get("/financings/{financing_id}", response=with_errors({200: FinancingOut}))
def financing_detail(request: HttpRequest, financing_id: int):
    return selectors.financing_detail(user=request.auth, financing_id=financing_id)


@router.get(
    "/financings/{financing_id}/dashboard", response=with_errors({200: FinancingDashboardOut})
)
def dashboard(request: HttpRequest, financing_id: int, format: Literal["json", "csv"] = "json"):
    """The funder's follow-up: disbursed, tagged spending, milestones, repayments (or CSV)."""
    if format == "csv":
        text = selectors.dashboard_csv(user=request.auth, financing_id=financing_id)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="financement-{financing_id}.csv"'
        return response
    return selectors.dashboard(user=request.auth, financing_id=financing_id)


@router.get("/financings/{financing_id}/dashboard.pdf", response=with_errors({200: None}))
def dashboard_pdf(request: HttpRequest, financing_id: int, lang: Literal["fr", "en"] | None = None):
    """The funder's follow-up as PDF: summary, tranches and milestones, tagged spending,
    instalments; French unless `lang=en` (or an English Accept-Language)."""
    language = lang or request_language(request)
    document = selectors.dashboard_pdf(user=request.auth, financing_id=financing_id, lang=language)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="financement-{financing_id}-{language}.pdf"'
    )
    return response


@router.post("/financings/{financing_id}/vote", response=with_errors({200: FinancingOut}))
def financing_put_to_vote(request: HttpRequest, financing_id: int):
    """A member opens the commons' accept_financing vote on an outside funder's offer."""
    return run_command(request, "financing.put_to_vote", {"financing_id": financing_id})


@router.post("/financings/{financing_id}/withdraw", response=with_errors({200: FinancingOut}))
def financing_withdraw(request: HttpRequest, financing_id: int):
    return run_command(request, "financing.withdraw", {"financing_id": financing_id})


@router.post(
    "/financings/{financing_id}/tranches/{number}/disburse",
    response=with_errors({201: FinancingOut}),
)
def tranche_disburse(request: HttpRequest, financing_id: int, number: int, data: DisburseIn):
    return run_command(request, "tranche.disburse", data, financing_id=financing_id, number=number)


@router.post("/financings/{financing_id}/repayments", response=with_errors({201: FinancingOut}))
def loan_repay(request: HttpRequest, financing_id: int, data: RepayIn):
    return run_command(request, "loan.repay", data, financing_id=financing_id)


@router.post("/financings/{financing_id}/tags", response=with_errors({201: TagOut}))
def earmark_tag(request: HttpRequest, financing_id: int, data: TagIn):
    return run_command(request, "earmark.tag", data, financing_id=financing_id)


# --- Open data ------------------------------------------------------------------------------


@public_router.get("/commons/{slug}/financings", response=with_errors({200: list[FinancingOut]}))
def public_financings(request: HttpRequest, slug: str):
    """Accepted financings of a public commons: amounts, earmarks, milestones, disbursed, repaid."""
    return selectors.public_financings(slug=slug)
