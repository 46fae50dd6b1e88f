"""Public read API under /api/v1/public/: no login; drafts and private commons are 404.

Filters arrive as text and are parsed here so a malformed one is a 400 naming the field
(the API's typed parameters would answer 422); page sizes above the maximum are capped.
Rate limit, ETag and Cache-Control: see middleware.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.feedgenerator import Atom1Feed
from ninja import Router

from federage.core import clock
from federage.core.errors import FieldError
from federage.core.schemas import with_errors
from federage.core.text import printable
from federage.ledger.schemas import BalanceSheetOut, IncomeStatementOut
from federage.live import selectors as live_selectors
from federage.opendata import cache, datapackage, dictionary, domain, selectors
from federage.opendata.schemas import (
    CommonsPageOut,
    DashboardOut,
    DictionaryOut,
    InstanceDashboardOut,
    OpenEntryPageOut,
    OpenMemberOut,
    OpenNavPointOut,
    OpenPricePointOut,
    PublicCapTableOut,
    PublicCharterOut,
    PublicContributionOut,
    PublicDecisionOut,
    PublicNeedOut,
    PublicTransactionOut,
)

router = Router(tags=["public"], auth=None)
BASE = "/commons/{slug}"
ENTRIES_MAX = 200


def _cached(name: str, commons_id: int | None, schema, compute: Callable[[], dict]):
    """A report as JSON, computed once per state of the commons (see cache.py)."""
    key: tuple = (name, commons_id, live_selectors.latest_cursor(commons_id=commons_id))
    if commons_id is None:
        # A commons turning private records its event in a commons no longer public.
        key += (tuple(sorted(live_selectors.public_commons_ids())),)
    key += (clock.today(),)

    def render() -> tuple[bytes, str]:
        data = schema.model_validate(compute()).model_dump(mode="json")
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        return body, domain.etag_of(body)

    body, etag = cache.get_or_compute(key, render)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    return response


@router.get("/commons", response=with_errors({200: CommonsPageOut}))
def commons_list(
    request: HttpRequest,
    q: str = "",
    category: str = "",
    location: str = "",
    limit: str = "",
    offset: str = "",
):
    """Public commons, by name; `q` searches name, purpose, slug, place and category,
    `category` matches exactly (case-insensitive), `location` is a substring. `limit` ≤ 200."""
    filters = domain.parse_filters(
        q=q, category=category, location=location, limit=limit, offset=offset
    )
    return selectors.commons_search(filters)


@router.get("/categories", response=list[str])
def categories(request: HttpRequest):
    """The categories used by public commons, for the explorer's filter."""
    return selectors.categories()


@router.get(f"{BASE}/charter", response=with_errors({200: PublicCharterOut}))
def charter(request: HttpRequest, slug: str):
    """The rules in force: parameters with their labels, and a summary in French."""
    return selectors.charter_public(selectors.commons_public(slug=slug))


@router.get(f"{BASE}/members", response=with_errors({200: list[OpenMemberOut]}))
def members(request: HttpRequest, slug: str):
    """Members with their roles: organisations by name, natural persons pseudonymised unless
    they consented and the charter allows it."""
    return selectors.members_public(selectors.commons_public(slug=slug))


@router.get(f"{BASE}/entries", response=with_errors({200: OpenEntryPageOut}))
def entries(
    request: HttpRequest,
    slug: str,
    since: str = "",
    until: str = "",
    journal: str = "",
    limit: str = "",
    offset: str = "",
):
    """The journal, in posting order, with lines (`limit` ≤ 200; dates YYYY-MM-DD)."""
    commons = selectors.commons_public(slug=slug)
    if journal and (len(journal) > 4 or not journal.isalnum()):
        raise domain.bad_request({"journal": FieldError("invalid_value", "a journal code")})
    return selectors.entries_public(
        commons,
        since=domain.parse_date("since", since),
        until=domain.parse_date("until", until),
        journal=journal.upper(),
        limit=domain.parse_limit(limit, default=50, maximum=ENTRIES_MAX),
        offset=domain.parse_offset(offset),
    )


@router.get("/transactions", response=with_errors({200: list[PublicTransactionOut]}))
def transactions(request: HttpRequest, limit: str = ""):
    """The latest journal entries of every public commons, newest first (`limit` ≤ 200)."""
    return selectors.transactions_latest(limit=domain.parse_limit(limit, default=50))


@router.get(f"{BASE}/balance-sheet", response=with_errors({200: BalanceSheetOut}))
def balance_sheet(request: HttpRequest, slug: str, at: str = ""):
    """Bilan (actif / passif by PCG heading) at `at` (today by default)."""
    commons = selectors.commons_public(slug=slug)
    day = domain.parse_date("at", at)
    if day is None:
        return _cached(
            "balance-sheet",
            commons.pk,
            BalanceSheetOut,
            lambda: selectors.balance_sheet_public(commons, None),
        )
    return selectors.balance_sheet_public(commons, day)


@router.get(f"{BASE}/income-statement", response=with_errors({200: IncomeStatementOut}))
def income_statement(request: HttpRequest, slug: str, at: str = "", since: str = ""):
    """Compte de résultat from `since` (start of the fiscal year) to `at`."""
    commons = selectors.commons_public(slug=slug)
    day, start = domain.parse_date("at", at), domain.parse_date("since", since)
    if day is None and start is None:
        return _cached(
            "income-statement",
            commons.pk,
            IncomeStatementOut,
            lambda: selectors.income_statement_public(commons, None, None),
        )
    return selectors.income_statement_public(commons, day, start)


@router.get(f"{BASE}/decisions", response=with_errors({200: list[PublicDecisionOut]}))
def decisions(request: HttpRequest, slug: str):
    """The decision log, oldest first, with each decision's hash chained to the previous."""
    return selectors.decisions_public(selectors.commons_public(slug=slug))


@router.get(f"{BASE}/contributions", response=with_errors({200: list[PublicContributionOut]}))
def contributions(request: HttpRequest, slug: str):
    """Accepted contributions with their price, decision and booking entry."""
    return selectors.contributions_public(selectors.commons_public(slug=slug))


@router.get(f"{BASE}/needs", response=with_errors({200: list[PublicNeedOut]}))
def needs(request: HttpRequest, slug: str):
    """Open wanted contributions ("apports recherchés"): target, validated and pending amounts."""
    return selectors.needs_public(selectors.commons_public(slug=slug))


@router.get(f"{BASE}/cap-table", response=with_errors({200: PublicCapTableOut}))
def cap_table(request: HttpRequest, slug: str):
    """Titles held now, share of the capital and value at the current unit value."""
    return selectors.cap_table_public(selectors.commons_public(slug=slug))


@router.get(f"{BASE}/nav-history", response=with_errors({200: list[OpenNavPointOut]}))
def nav_history(request: HttpRequest, slug: str, limit: str = ""):
    """Unit value after each movement, oldest first (the last `limit` ≤ 1000 points)."""
    commons = selectors.commons_public(slug=slug)
    return selectors.nav_history_public(
        commons, limit=domain.parse_limit(limit, default=1000, maximum=1000)
    )


@router.get(f"{BASE}/price-history", response=with_errors({200: list[OpenPricePointOut]}))
def price_history(request: HttpRequest, slug: str, limit: str = ""):
    """Agreed prices of title transfers beside the unit value then (who traded stays out)."""
    commons = selectors.commons_public(slug=slug)
    return selectors.price_history_public(
        commons, limit=domain.parse_limit(limit, default=1000, maximum=1000)
    )


@router.get(f"{BASE}/dashboard", response=with_errors({200: DashboardOut}))
def dashboard(request: HttpRequest, slug: str):
    """Value produced, exchanged and preserved by month, capital and NAV over time,
    contributions by kind, assets by capital kind, and a Sankey of value flows (euro cents)."""
    commons = selectors.commons_public(slug=slug)
    return _cached("dashboard", commons.pk, DashboardOut, lambda: selectors.dashboard(commons))


@router.get("/dashboard", response=with_errors({200: InstanceDashboardOut}))
def dashboard_instance(request: HttpRequest):
    """The same figures for every public commons of the instance."""
    # Keyed by the latest public cursor: a commons turning public or private records an event.
    return _cached("dashboard", None, InstanceDashboardOut, selectors.dashboard_instance)


@router.get(f"{BASE}/feed.atom", response=with_errors({200: None}))
def feed(request: HttpRequest, slug: str):
    """Atom feed of the commons' latest transactions and decisions."""
    commons = selectors.commons_public(slug=slug)
    site = settings.SITE_URL
    atom = Atom1Feed(
        title=printable(f"{commons.name} — écritures et décisions"),
        link=f"{site}/communs/{commons.slug}",
        description=printable(commons.purpose or commons.name),
        language="fr",
        feed_url=f"{site}/api/v1/public/commons/{commons.slug}/feed.atom",
        feed_guid=f"{site}/communs/{commons.slug}",
        feed_copyright="ODbL-1.0",
    )
    for item in selectors.feed_items(commons):
        atom.add_item(
            # Rows written before control characters were refused may hold some: XML cannot.
            title=printable(item["title"]),
            link=f"{site}{item['path']}",
            description=printable(item["summary"]),
            unique_id=f"{site}/communs/{commons.slug}#{item['id']}",
            pubdate=item["date"],
            updateddate=item["date"],
            categories=[item["kind"]],
        )
    return HttpResponse(
        atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


@router.get("/datapackage.zip", response=with_errors({200: None}))
def datapackage_zip(request: HttpRequest, commons: str = ""):
    """The Frictionless Data Package (ODbL-1.0) of one public commons, or of all, as a zip."""
    chunks = datapackage.zip_stream(slug=commons[:50] or None)
    name = f"federage-{commons[:50]}" if commons else "federage"
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


@router.get("/data-dictionary", response=DictionaryOut)
def data_dictionary(request: HttpRequest):
    """Every table of the data package: fields, types, units, keys; and the licence."""
    return dictionary.dictionary(domain.LICENSE)
