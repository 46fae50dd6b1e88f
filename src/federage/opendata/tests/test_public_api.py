"""The public read API: every endpoint, nothing private, names screened, bad input refused."""

from __future__ import annotations

import io
import json
import zipfile

import pypdf
import pytest
from django.test import Client

from federage.api import api
from federage.core import clock
from federage.core.money import Money
from federage.federation import services as federation_services
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput
from federage.legal import services as legal_services
from federage.opendata import middleware
from federage.opendata.tests.conftest import CONSENTING_NAME, SECRET_NAME

pytestmark = pytest.mark.django_db

# Endpoints that never end (the SSE stream) are tested in live/.
STREAMING = {"/api/v1/live/stream"}


def public_paths() -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        path
        for path, methods in paths.items()
        if "get" in methods
        and (path.startswith("/api/v1/public/") or path.startswith("/api/v1/live/"))
        and path not in STREAMING
    )


def body_of(response) -> str:
    """The answer as text a name can be searched in (JSON without \\u escapes: "Zoé", not
    "Zo\\u00e9")."""
    if response.streaming:
        data = b"".join(response.streaming_content)
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "\n".join(archive.read(name).decode() for name in archive.namelist())
        return data.decode()
    if response.get("Content-Type", "").startswith("application/pdf"):
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def test_every_public_endpoint_answers_without_private_data(world):
    client = Client()
    paths = public_paths()
    # The walk covers the whole public surface, including routes other apps mount there.
    assert "/api/v1/public/commons/{slug}" in paths
    assert "/api/v1/public/datapackage.zip" in paths
    assert len(paths) >= 18
    # A certificate of the titles of the person who does not consent to be named.
    code = legal_services.certificate_issue(
        user=world.secret_user, commons_slug=world.public.slug
    ).code
    # A federation the public commons asks to join: federation routes take its slug.
    federation_services.federation_create(
        user=world.public.created_by,
        slug="reseau-ouvert",
        name="Réseau ouvert",
        commons_slug=world.public.slug,
    )
    seen = []
    for path in paths:
        slug = "reseau-ouvert" if "/federations/" in path else world.public.slug
        url = path.replace("{slug}", slug).replace("{code}", code)
        for query in ({}, {"commons": world.public.slug}):
            response = client.get(url, query)
            assert response.status_code == 200, (url, query, response.content[:300])
            text = body_of(response)
            seen.append(text)
            for secret in world.forbidden:
                assert secret not in text, (url, secret)
        if "{slug}" in path:
            for hidden in (world.private.slug, world.draft.slug, "nulle-part"):
                response = client.get(path.replace("{slug}", hidden))
                assert response.status_code == 404, (path, hidden)
                assert response.json()["code"] == "not_found"
    everything = "\n".join(seen)
    # The public commons' own data is there: the walk did read something.
    assert "Machine à coudre" in everything and "atelier-ouvert" in everything
    # The non-consenting person is pseudonymised; the consenting one is named.
    assert "Membre " in everything
    assert CONSENTING_NAME in everything
    assert SECRET_NAME not in everything


def test_commons_query_filters_on_private_slugs_are_404(world):
    client = Client()
    for hidden in (world.private.slug, world.draft.slug, "inconnu"):
        assert client.get("/api/v1/public/datapackage.zip", {"commons": hidden}).status_code == 404
        assert client.get("/api/v1/live/changes", {"commons": hidden}).status_code == 404
        assert client.get("/api/v1/live/stream", {"commons": hidden}).status_code == 404


def test_search_and_filters(world):
    client = Client()
    page = client.get("/api/v1/public/commons", {"q": "atelier"}).json()
    assert [item["slug"] for item in page["items"]] == ["atelier-ouvert"]
    assert client.get("/api/v1/public/commons", {"category": "TEXTILE"}).json()["count"] == 1
    assert client.get("/api/v1/public/commons", {"category": "soil"}).json()["count"] == 0
    assert client.get("/api/v1/public/commons", {"location": "lyon"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/public/commons", {"limit": "beaucoup"}, "limit"),
        ("/api/v1/public/commons", {"limit": "0"}, "limit"),
        ("/api/v1/public/commons", {"offset": "-1"}, "offset"),
        ("/api/v1/public/commons", {"category": "x" * 81}, "category"),
        ("/api/v1/public/commons", {"q": "<script>"}, "q"),
        ("/api/v1/public/commons/{slug}/entries", {"since": "2026-13-45"}, "since"),
        ("/api/v1/public/commons/{slug}/entries", {"journal": "AP; DROP"}, "journal"),
        ("/api/v1/public/commons/{slug}/balance-sheet", {"at": "hier"}, "at"),
    ],
)
def test_malformed_filter_is_400_naming_the_field(world, path, query, field):
    response = Client().get(path.replace("{slug}", world.public.slug), query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["fields"]


def test_oversized_pages_are_capped(world):
    client = Client()
    assert client.get("/api/v1/public/commons", {"limit": "100000"}).json()["limit"] == 200
    entries = client.get(
        f"/api/v1/public/commons/{world.public.slug}/entries", {"limit": "999999"}
    ).json()
    assert entries["limit"] == 200
    assert entries["count"] >= 2
    changes = client.get("/api/v1/live/changes", {"limit": 10**6}).json()
    assert len(changes["items"]) <= 500


def test_members_pseudonymised_unless_consent(world):
    members = Client().get(f"/api/v1/public/commons/{world.public.slug}/members").json()
    names = {member["name"]: member for member in members}
    assert CONSENTING_NAME in names and not names[CONSENTING_NAME]["is_pseudonym"]
    pseudonyms = [member for member in members if member["is_pseudonym"]]
    assert pseudonyms and all(member["name"].startswith("Membre ") for member in pseudonyms)
    # Stable: the same person has the same pseudonym in every answer.
    again = Client().get(f"/api/v1/public/commons/{world.public.slug}/members").json()
    assert [member["ref"] for member in again] == [member["ref"] for member in members]
    contributions = Client().get(f"/api/v1/public/commons/{world.public.slug}/contributions").json()
    refs = {member["ref"] for member in members}
    assert {item["contributor"]["ref"] for item in contributions} <= refs


def test_charter_hiding_persons_hides_even_consenting_ones(world, monkeypatch):
    from federage.governance import selectors as governance_selectors

    real = governance_selectors.charter_parameters

    def hidden(*, commons_id):
        return {**real(commons_id=commons_id), "public_data.persons": "hidden"}

    monkeypatch.setattr(governance_selectors, "charter_parameters", hidden)
    members = Client().get(f"/api/v1/public/commons/{world.public.slug}/members").json()
    assert CONSENTING_NAME not in str(members)
    assert all(member["is_pseudonym"] for member in members if member["kind"] == "person")


def test_etag_and_cache_control(world):
    client = Client()
    url = f"/api/v1/public/commons/{world.public.slug}/balance-sheet"
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public, max-age=")
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_rate_limit_per_address(world, monkeypatch):
    monkeypatch.setattr(middleware.LIMITER, "limit", 3)
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [client.get("/api/v1/public/commons").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/public/commons")
    assert refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) >= 1
    # Another address is not affected.
    assert Client(REMOTE_ADDR="203.0.113.10").get("/api/v1/public/commons").status_code == 200


def test_dashboard_figures(world):
    board = Client().get(f"/api/v1/public/commons/{world.public.slug}/dashboard").json()
    kinds = {item["kind"]: item["amount_cents"] for item in board["contributions_by_kind"]}
    assert kinds == {"cash": 987_654, "in_kind": 0, "labour": 12_300}
    assert board["capital"][-1]["amount_cents"] == 999_954
    assert sum(item["total_cents"] for item in board["produced"]) == 999_954
    names = {node["name"] for node in board["sankey"]["nodes"]}
    assert {"contributors:cash", "contributors:labour", world.public.slug} <= names
    assert all(link["value"] > 0 for link in board["sankey"]["links"])
    assert board["nav"], "issuances leave NAV points"
    instance = Client().get("/api/v1/public/dashboard").json()
    assert instance["commons_count"] == 1  # the private and draft ones are not counted
    assert instance["capital"][-1]["amount_cents"] == 999_954


def test_feed_is_atom(world):
    response = Client().get(f"/api/v1/public/commons/{world.public.slug}/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed')
    assert "Machine à coudre" in text and "Décision n° 1" in text


def test_cached_reports_follow_new_events(world, make_commons, make_user):
    client = Client()
    url = f"/api/v1/public/commons/{world.public.slug}/balance-sheet"
    before = client.get(url).json()["total_actif_cents"]
    assert client.get(url).json()["total_actif_cents"] == before  # served from the cache
    ledger_services.entry_post(
        commons_id=world.public.pk,
        journal="OD",
        entry_date=clock.today(),
        label="Don reçu",
        piece_ref="",
        piece_date=None,
        lines=[LineInput("512", debit=Money(5_000)), LineInput("758", credit=Money(5_000))],
        idempotency_key="test:don",
        authorised_by={"source_type": "manual"},
        actor_user_id=None,
    )
    assert client.get(url).json()["total_actif_cents"] == before + 5_000
    # The instance dashboard follows the set of public commons.
    assert client.get("/api/v1/public/dashboard").json()["commons_count"] == 1
    make_commons(make_user(), slug="nouveau-public", visibility="public")
    assert client.get("/api/v1/public/dashboard").json()["commons_count"] == 2


def test_latest_transactions_across_public_commons(world):
    items = Client().get("/api/v1/public/transactions", {"limit": "5000"}).json()
    assert items and {item["commons_slug"] for item in items} == {world.public.slug}
    assert [item["id"] for item in items] == sorted((item["id"] for item in items), reverse=True)
