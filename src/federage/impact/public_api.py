"""HTTP API of territories, the taxonomy and discovery: open data under /public, and the members'
routes (classification, the funder's view, the vocabulary's changes) under /impact."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.commons import selectors as commons_selectors
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors
from federage.impact import discovery, taxonomy, territories
from federage.impact.territory_schemas import (
    ClassificationIn,
    ClassificationOut,
    DiscoverOut,
    FunderViewOut,
    MapOut,
    ResourceClassificationIn,
    ResourceClassificationOut,
    TaxonomyOut,
    TermIn,
    TermOut,
    TerritoryOut,
)

# Open data: no authentication; public commons only.
public_router = Router(tags=["open data"], auth=None)
# Members' routes, mounted at /impact beside impact-core's router.
territory_router = Router(tags=["impact"], auth=AUTH)


@public_router.get("/territories", response=with_errors({200: list[TerritoryOut]}))
def territories_search(request: HttpRequest, q: str = "", limit: int = 20):
    """Régions, départements and communes of the COG 2026 by code, postcode or name (the start
    of it, without regard to accents)."""
    return territories.search(q[:100], limit=limit)


@public_router.get("/taxonomy", response=with_errors({200: TaxonomyOut}))
def taxonomy_terms(request: HttpRequest):
    """Every term of the vocabulary, retired ones included (with the version that retired them)."""
    return {"version": taxonomy.vocabulary_version(), "terms": taxonomy.terms_all()}


@public_router.get("/discover", response=with_errors({200: DiscoverOut}))
def discover(
    request: HttpRequest,
    q: str = "",
    indicator: str = "",
    theme: str = "",
    commune: str = "",
    departement: str = "",
    region: str = "",
    min_members: int = 0,
    min_value_cents: int = 0,
    sort: str = "name",
    limit: int = 50,
):
    """Public commons by text, indicator, theme, territory and size, sorted by a documented
    ranking: `impact_per_euro`, `progress`, `participation`, `members` or `name`."""
    return discovery.discover(
        q=q,
        indicator=indicator[:60],
        theme=theme[:60],
        commune=commune[:10],
        departement=departement[:3],
        region=region[:3],
        min_members=min_members,
        min_value_cents=min_value_cents,
        sort=sort[:20],
        limit=limit,
    )


@public_router.get("/discover/map", response=with_errors({200: MapOut}))
def discover_map(request: HttpRequest, q: str = "", indicator: str = "", theme: str = ""):
    """Counts of matching public commons and their verified totals per département and région."""
    return discovery.discover_map(q=q, indicator=indicator[:60], theme=theme[:60])


@public_router.get("/commons/{slug}/funder-view", response=with_errors({200: FunderViewOut}))
def public_funder_view(request: HttpRequest, slug: str):
    """A public commons as a funder reads it; no person is named."""
    return discovery.funder_view(commons=commons_selectors.commons_get_public(slug=slug))


@public_router.get("/commons/{slug}/classification", response=with_errors({200: ClassificationOut}))
def public_classification(request: HttpRequest, slug: str):
    return taxonomy.classification_of(commons=commons_selectors.commons_get_public(slug=slug))


@territory_router.get("/commons/{slug}/funder-view", response=with_errors({200: FunderViewOut}))
def funder_view(request: HttpRequest, slug: str):
    """The funder's view of a commons the reader may see (members of a private commons too)."""
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    return discovery.funder_view(commons=commons)


@territory_router.get(
    "/commons/{slug}/classification", response=with_errors({200: ClassificationOut})
)
def classification(request: HttpRequest, slug: str):
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    return taxonomy.classification_of(commons=commons)


@territory_router.post(
    "/commons/{slug}/classification", response=with_errors({200: ClassificationOut})
)
def commons_classify(request: HttpRequest, slug: str, data: ClassificationIn):
    """A steward sets the commons' terms and commune (command `commons.classify`)."""
    return run_command(request, "commons.classify", data, commons_slug=slug)


@territory_router.post(
    "/resources/{resource_id}/classification",
    response=with_errors({200: ResourceClassificationOut}),
)
def resource_classify(request: HttpRequest, resource_id: int, data: ResourceClassificationIn):
    """A steward of the resource's commons sets its terms (command `resource.classify`)."""
    return run_command(request, "resource.classify", data, resource_id=resource_id)


@territory_router.post("/taxonomy/terms", response=with_errors({201: TermOut}))
def term_add(request: HttpRequest, data: TermIn):
    """The instance's staff adds a term (command `term.add`)."""
    return run_command(request, "term.add", data)


@territory_router.post("/taxonomy/terms/{code}/retire", response=with_errors({200: TermOut}))
def term_retire(request: HttpRequest, code: str):
    """The instance's staff retires a term and those below it (command `term.retire`)."""
    return run_command(request, "term.retire", {"code": code})
