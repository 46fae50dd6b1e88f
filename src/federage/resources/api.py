"""HTTP API of resources: the register, uses, dues and payments, statistics, open data."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors
from federage.resources import selectors
from federage.resources.schemas import (
    DueOut,
    LinkContributionIn,
    PaymentIn,
    PublicLeviesOut,
    PublicResourceOut,
    ResourceDetailOut,
    ResourceIn,
    ResourceOut,
    ResourceStatsOut,
    UsageIn,
    UsageOut,
)

router = Router(tags=["resources"], auth=AUTH)
# Read-only open data of public commons, mounted under /public (no authentication).
public_router = Router(tags=["open data"], auth=None)


def _visible(request: HttpRequest, slug: str):
    return commons_selectors.commons_get_visible(user=request.auth, slug=slug)


def _member(request: HttpRequest, slug: str):
    commons = _visible(request, slug)
    commons_selectors.require_member(user=request.auth, commons=commons)
    return commons


# Fixed paths first: "usages", "dues" and "stats" are not resource ids.


@router.get("/{slug}/usages", response=with_errors({200: list[UsageOut]}))
def usages(request: HttpRequest, slug: str, resource_id: int | None = None):
    """Uses of the commons' resources: members see all, others their own agents' uses."""
    commons = _visible(request, slug)
    roles = commons_selectors.roles_of_user(user=request.auth, commons=commons)
    agent_ids = None if roles else agent_selectors.agent_ids_of_user(user=request.auth)
    return selectors.usages_of(
        commons=commons, reader=request.auth, resource_id=resource_id, agent_ids=agent_ids
    )


@router.get("/{slug}/dues", response=with_errors({200: list[DueOut]}))
def dues(request: HttpRequest, slug: str, status: str = ""):
    """Levies and transfer taxes owed: stewards see all (overdue with `status=overdue`), others
    the dues of the agents they act for."""
    return selectors.dues_of(commons=_visible(request, slug), reader=request.auth, status=status)


@router.post("/{slug}/dues/{due_id}/payments", response=with_errors({201: DueOut}))
def due_pay(request: HttpRequest, slug: str, due_id: int, data: PaymentIn):
    return run_command(request, "due.pay", data, commons_slug=slug, due_id=due_id)


@router.get("/{slug}/stats", response=with_errors({200: ResourceStatsOut}))
def stats(request: HttpRequest, slug: str):
    return selectors.stats(commons=_member(request, slug))


@router.get("/{slug}", response=with_errors({200: list[ResourceOut]}))
def resources(request: HttpRequest, slug: str, status: str = ""):
    return selectors.resources_of(commons=_visible(request, slug), status=status)


@router.post("/{slug}", response=with_errors({201: ResourceOut}))
def resource_register(request: HttpRequest, slug: str, data: ResourceIn):
    return run_command(request, "resource.register", data, commons_slug=slug)


@router.get("/{slug}/{resource_id}", response=with_errors({200: ResourceDetailOut}))
def resource_detail(request: HttpRequest, slug: str, resource_id: int):
    return selectors.resource_detail(
        commons=_visible(request, slug), resource_id=resource_id, reader=request.auth
    )


@router.post("/{slug}/{resource_id}/retire", response=with_errors({200: ResourceOut}))
def resource_retire(request: HttpRequest, slug: str, resource_id: int):
    return run_command(
        request, "resource.retire", {"commons_slug": slug, "resource_id": resource_id}
    )


@router.post("/{slug}/{resource_id}/contributions", response=with_errors({200: ResourceOut}))
def resource_link_contribution(
    request: HttpRequest, slug: str, resource_id: int, data: LinkContributionIn
):
    return run_command(
        request, "resource.link_contribution", data, commons_slug=slug, resource_id=resource_id
    )


@router.post("/{slug}/{resource_id}/usages", response=with_errors({201: UsageOut}))
def usage_declare(request: HttpRequest, slug: str, resource_id: int, data: UsageIn):
    return run_command(request, "usage.declare", data, commons_slug=slug, resource_id=resource_id)


# --- Open data ------------------------------------------------------------------------------


@public_router.get(
    "/commons/{slug}/resources", response=with_errors({200: list[PublicResourceOut]})
)
def public_resources(request: HttpRequest, slug: str):
    """A public commons' resources with usage aggregates (no user named, no single use)."""
    commons = commons_selectors.commons_get_public(slug=slug)
    return selectors.public_resources(commons=commons)


@public_router.get("/commons/{slug}/levies", response=with_errors({200: PublicLeviesOut}))
def public_levies(request: HttpRequest, slug: str):
    """A public commons' usage levies: charged, collected and outstanding, per month."""
    commons = commons_selectors.commons_get_public(slug=slug)
    return selectors.public_levies(commons=commons)
