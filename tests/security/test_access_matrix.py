"""Every route of the API × ten actors, against ONE table of expected outcomes.

The guarded commons is private (tests/security/world.py): one member per role, a member of
another commons, a signed-up stranger, a staff account and an anonymous visitor. Each route is
called by each actor (API token, no cookie) with the world's real ids in its path and a valid
minimal body (built from the route's OpenAPI schema, or given in BODIES), each call in a
savepoint rolled back after it. The answer is classified:

- `ok`: the request reached the route's own judgement: 2xx, or a refusal on the merits
  (400, 409, 410, 422, 429: a closed vote, a missing field of the domain…);
- `401`, `403`, `404`: refused for who is asking (404 where the commons is hidden).

A route missing from ROUTES fails the test: add a line `"METHOD /api/v1/path": "rule"` to
ROUTES with one of RULES' names (or a new rule), and what it is for.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.test import Client

from federage.api import api
from federage.testing import PASSWORD
from tests.security.world import ACTORS, SLUG

pytestmark = pytest.mark.django_db

# Outcome per actor, in ACTORS' order:
# anonymous stranger observer contributor approver verifier funder steward other_member staff
RULES: dict[str, str] = {
    # Anyone, even without an account.
    "open": "ok ok ok ok ok ok ok ok ok ok",
    # Any signed-in account, about itself (its own tokens, agents, notifications, commands).
    "signed_in": "401 ok ok ok ok ok ok ok ok ok",
    # Public data of a commons that is not public: hidden from everyone, members included.
    "hidden": "404 404 404 404 404 404 404 404 404 404",
    # A member of the private commons, whatever the role; others do not learn it exists.
    "member": "401 404 ok ok ok ok ok ok 404 404",
    # The same, on routes also open to anonymous readers of public commons: 404, not 401.
    "member_or_public": "404 404 ok ok ok ok ok ok 404 404",
    # The steward only; other members are refused, outsiders do not see the commons.
    "steward": "401 404 403 403 403 403 403 ok 404 404",
    # The contribution's or proposal's author (the contributor) only.
    "author": "401 404 403 ok 403 403 403 403 404 404",
    # A draft and its evidence: nobody but its author sees them, the steward included.
    "draft_author": "401 404 404 ok 404 404 404 404 404 404",
    # A counter-offer: approvers and the steward.
    "approver_or_steward": "401 404 403 403 ok 403 403 ok 404 404",
    # The steward's own API token (by its id): another account does not see it.
    "own_token": "401 404 404 404 404 404 404 ok 404 404",
    # Rows of the private commons reached by their id, outside the commons' path: the one
    # party concerned (the buyer of a transfer, its seller, the requester of a redemption or
    # the steward); the commons' other members are refused 403, and whoever may not see the
    # commons 404, as for the commons itself (a 403 would show the id exists there).
    "buyer": "401 404 403 403 403 403 ok 403 404 404",
    "seller": "401 404 403 ok 403 403 403 403 404 404",
    "requester": "401 404 403 ok 403 403 403 403 404 404",
    "requester_or_steward": "401 404 403 ok 403 403 403 ok 404 404",
    "steward_by_id": "401 404 403 403 403 403 403 ok 404 404",
    # An agent by its id (agents belong to no commons): its representative only, 403 to others.
    "owner": "401 403 403 ok 403 403 403 403 403 403",
    # An invitation sent to an address none of these accounts has.
    "invitee": "401 403 403 403 403 403 403 403 403 403",
    # The steward's route to a row the world lacks (a due: none is owed yet): 404 to the steward.
    "steward_missing_row": "401 404 403 403 403 403 403 404 404 404",
    # A row by a secret code the world lacks, to signed-in readers only (a certificate's PDF).
    "signed_in_missing_row": "401 404 404 404 404 404 404 404 404 404",
    # Log-in with the minimal body's wrong credentials: refused alike to everyone.
    "credentials": "401 401 401 401 401 401 401 401 401 401",
    # The instance's staff only (its catalogues: indicators, emission factors).
    "staff": "401 403 403 403 403 403 403 403 403 ok",
    # The funder's representative only (a financing by its id: its withdrawal, its tranches).
    "funder": "401 404 403 403 403 403 ok 403 404 404",
    # An offer in one's own name: members are refused (a person is never a funder), outsiders
    # do not see the commons.
    "organisation_only": "401 404 403 403 403 403 403 403 404 404",
    # A member holding the verifier role, who is not the declarer (a measurement's review).
    "verifier": "401 404 403 403 403 ok 403 403 404 404",
}

# Every route of /api/v1 and its rule.
ROUTES: dict[str, str] = {
    "DELETE /api/v1/auth/tokens/{token_id}": "own_token",
    "DELETE /api/v1/commons/{slug}/invitations/{invitation_id}": "steward",
    "GET /api/v1/agents": "signed_in",
    "GET /api/v1/agents/directory": "signed_in",
    "GET /api/v1/agents/{agent_id}": "owner",
    "GET /api/v1/auth/csrf": "open",
    "GET /api/v1/auth/me": "signed_in",
    "GET /api/v1/auth/me/export": "signed_in",
    "GET /api/v1/auth/tokens": "signed_in",
    "GET /api/v1/charter-parameters": "open",
    "GET /api/v1/commands/types": "open",
    "GET /api/v1/commons": "signed_in",
    "GET /api/v1/commons/{slug}": "member",
    "GET /api/v1/commons/{slug}/charter": "member_or_public",
    "GET /api/v1/commons/{slug}/charter/versions": "member_or_public",
    "GET /api/v1/commons/{slug}/decisions": "member_or_public",
    "GET /api/v1/commons/{slug}/decisions/verify": "member_or_public",
    "GET /api/v1/commons/{slug}/electorate-preview": "member",
    "GET /api/v1/commons/{slug}/invitations": "steward",
    "GET /api/v1/commons/{slug}/ledger": "member",
    "GET /api/v1/commons/{slug}/ledger/accounts": "member",
    "GET /api/v1/commons/{slug}/ledger/allocations": "member",
    "GET /api/v1/commons/{slug}/ledger/balance-sheet": "member",
    "GET /api/v1/commons/{slug}/ledger/capital-kinds": "member",
    "GET /api/v1/commons/{slug}/ledger/entries": "member",
    "GET /api/v1/commons/{slug}/ledger/entries/{entry_id}": "member",
    "GET /api/v1/commons/{slug}/ledger/exports/fec": "member",
    "GET /api/v1/commons/{slug}/ledger/exports/journal": "member",
    "GET /api/v1/commons/{slug}/ledger/general-ledger/{account_number}": "member",
    "GET /api/v1/commons/{slug}/ledger/income-statement": "member",
    "GET /api/v1/commons/{slug}/ledger/periods": "member",
    "GET /api/v1/commons/{slug}/ledger/trial-balance": "member",
    "GET /api/v1/commons/{slug}/ledger/verify": "member",
    "GET /api/v1/commons/{slug}/members": "member",
    "GET /api/v1/commons/{slug}/proposals": "member_or_public",
    "GET /api/v1/contributions/commons/{slug}": "member",
    "GET /api/v1/contributions/commons/{slug}/needs": "member",
    "GET /api/v1/contributions/mine": "signed_in",
    "GET /api/v1/contributions/{contribution_id}": "member",
    "GET /api/v1/contributions/{contribution_id}/evidence/{evidence_id}": "draft_author",
    "GET /api/v1/health": "open",
    "GET /api/v1/invitations/{token}": "open",
    "GET /api/v1/legal/certificates/{code}.pdf": "signed_in_missing_row",
    "GET /api/v1/legal/{slug}/contract": "member_or_public",
    "GET /api/v1/legal/{slug}/contract.pdf": "member_or_public",
    "GET /api/v1/legal/{slug}/contract/versions": "member_or_public",
    "GET /api/v1/legal/{slug}/contract/versions/{number}": "member_or_public",
    "GET /api/v1/live/changes": "open",
    "GET /api/v1/live/stream": "open",  # not called here: it never ends (see live/tests)
    "GET /api/v1/notifications": "signed_in",
    "GET /api/v1/notifications/preferences": "signed_in",
    "GET /api/v1/proposals/{proposal_id}": "member_or_public",
    "GET /api/v1/proposals/{proposal_id}/ballots": "member",
    "GET /api/v1/proposals/{proposal_id}/comments": "member_or_public",
    "GET /api/v1/public/categories": "open",
    "GET /api/v1/public/certificates/{code}": "hidden",
    "GET /api/v1/public/commons": "open",
    "GET /api/v1/public/commons/{slug}": "hidden",
    "GET /api/v1/public/commons/{slug}/balance-sheet": "hidden",
    "GET /api/v1/public/commons/{slug}/cap-table": "hidden",
    "GET /api/v1/public/commons/{slug}/charter": "hidden",
    "GET /api/v1/public/commons/{slug}/contributions": "hidden",
    "GET /api/v1/public/commons/{slug}/dashboard": "hidden",
    "GET /api/v1/public/commons/{slug}/decisions": "hidden",
    "GET /api/v1/public/commons/{slug}/entries": "hidden",
    "GET /api/v1/public/commons/{slug}/feed.atom": "hidden",
    "GET /api/v1/public/commons/{slug}/income-statement": "hidden",
    "GET /api/v1/public/commons/{slug}/levies": "hidden",
    "GET /api/v1/public/commons/{slug}/members": "hidden",
    "GET /api/v1/public/commons/{slug}/nav-history": "hidden",
    "GET /api/v1/public/commons/{slug}/needs": "hidden",
    "GET /api/v1/public/commons/{slug}/price-history": "hidden",
    "GET /api/v1/public/commons/{slug}/resources": "hidden",
    "GET /api/v1/public/commons/{slug}/objectives": "hidden",
    "GET /api/v1/public/commons/{slug}/measurements": "hidden",
    "GET /api/v1/impact/indicators": "signed_in",
    "POST /api/v1/impact/indicators": "staff",
    "GET /api/v1/impact/emission-factors": "signed_in",
    "POST /api/v1/impact/emission-factors": "staff",
    "GET /api/v1/impact/commons/{slug}/objectives": "member",
    "POST /api/v1/impact/commons/{slug}/objectives": "member",
    "GET /api/v1/impact/objectives/{objective_id}": "member",
    "POST /api/v1/impact/objectives/{objective_id}/changes": "member",
    "POST /api/v1/impact/objectives/{objective_id}/measurements": "member",
    "POST /api/v1/impact/objectives/{objective_id}/footprint": "member",
    "POST /api/v1/impact/measurements/{measurement_id}/verify": "verifier",
    "POST /api/v1/impact/measurements/{measurement_id}/dispute": "verifier",
    "POST /api/v1/impact/measurements/{measurement_id}/evidence": "author",
    "GET /api/v1/impact/measurements/{measurement_id}/evidence/{file_id}": "member",
    "GET /api/v1/public/dashboard": "open",
    "GET /api/v1/public/data-dictionary": "open",
    "GET /api/v1/public/datapackage.zip": "open",
    "GET /api/v1/public/transactions": "open",
    "GET /api/v1/resources/{slug}": "member",
    "GET /api/v1/resources/{slug}/dues": "member",
    "GET /api/v1/resources/{slug}/stats": "member",
    "GET /api/v1/resources/{slug}/usages": "member",
    "GET /api/v1/resources/{slug}/{resource_id}": "member",
    "GET /api/v1/sync": "signed_in",
    "GET /api/v1/titles/portfolio": "signed_in",
    "GET /api/v1/titles/{slug}/cap-table": "member",
    "GET /api/v1/titles/{slug}/nav-history": "member",
    "GET /api/v1/titles/{slug}/price-history": "member",
    "GET /api/v1/titles/{slug}/redemptions": "member",
    "GET /api/v1/titles/{slug}/transfer-terms": "member",
    "GET /api/v1/titles/{slug}/transfers": "member",
    "PATCH /api/v1/agents/{agent_id}": "owner",
    "PATCH /api/v1/commons/{slug}": "steward",
    "PATCH /api/v1/contributions/{contribution_id}": "author",
    "POST /api/v1/agents": "signed_in",
    "POST /api/v1/auth/confirm-email": "open",
    "POST /api/v1/auth/login": "credentials",
    "POST /api/v1/auth/logout": "signed_in",
    "POST /api/v1/auth/me/erase": "signed_in",
    "POST /api/v1/auth/password-reset": "open",
    "POST /api/v1/auth/password-reset/confirm": "open",
    "POST /api/v1/auth/resend-confirmation": "signed_in",
    "POST /api/v1/auth/signup": "open",
    "POST /api/v1/auth/tokens": "signed_in",
    "POST /api/v1/commands": "signed_in",
    "POST /api/v1/commands/batch": "signed_in",
    "POST /api/v1/commons": "signed_in",
    "POST /api/v1/commons/{slug}/invitations": "steward",
    "POST /api/v1/commons/{slug}/leave": "member",
    "POST /api/v1/commons/{slug}/ledger/accounts": "steward",
    "POST /api/v1/commons/{slug}/ledger/entries": "steward",
    "POST /api/v1/commons/{slug}/ledger/entries/{entry_id}/reverse": "steward",
    "POST /api/v1/commons/{slug}/ledger/periods": "steward",
    "POST /api/v1/commons/{slug}/ledger/periods/{period_id}/close": "steward",
    "POST /api/v1/commons/{slug}/ledger/periods/{period_id}/reopen": "steward",
    "POST /api/v1/commons/{slug}/proposals": "member",
    "POST /api/v1/contributions/commons/{slug}": "member",
    "POST /api/v1/contributions/commons/{slug}/needs": "steward",
    "POST /api/v1/contributions/needs/{need_id}/close": "steward_by_id",
    "POST /api/v1/contributions/{contribution_id}/accept-counter": "author",
    "POST /api/v1/contributions/{contribution_id}/call": "steward",
    "POST /api/v1/contributions/{contribution_id}/counter": "approver_or_steward",
    "POST /api/v1/contributions/{contribution_id}/evidence": "author",
    "POST /api/v1/contributions/{contribution_id}/pay": "steward",
    "POST /api/v1/contributions/{contribution_id}/submit": "author",
    "POST /api/v1/contributions/{contribution_id}/withdraw": "author",
    "POST /api/v1/decisions/{decision_id}/retry-effect": "steward",
    "POST /api/v1/invitations/{token}/accept": "invitee",
    "POST /api/v1/legal/{slug}/certificates": "member",
    "POST /api/v1/legal/{slug}/contract/accept": "member",
    "POST /api/v1/notifications/read": "signed_in",
    "POST /api/v1/proposals/{proposal_id}/ballots": "member",
    "POST /api/v1/proposals/{proposal_id}/comments": "member",
    "POST /api/v1/proposals/{proposal_id}/publish": "author",
    "POST /api/v1/proposals/{proposal_id}/withdraw": "author",
    "POST /api/v1/resources/{slug}": "steward",
    "POST /api/v1/resources/{slug}/dues/{due_id}/payments": "steward_missing_row",
    "POST /api/v1/resources/{slug}/{resource_id}/contributions": "steward",
    "POST /api/v1/resources/{slug}/{resource_id}/retire": "steward",
    "POST /api/v1/resources/{slug}/{resource_id}/usages": "member",
    "POST /api/v1/titles/redemptions/{redemption_id}/execute": "requester_or_steward",
    "POST /api/v1/titles/redemptions/{redemption_id}/withdraw": "requester",
    "POST /api/v1/titles/transfers/{transfer_id}/accept": "buyer",
    "POST /api/v1/titles/transfers/{transfer_id}/cancel": "seller",
    "POST /api/v1/titles/transfers/{transfer_id}/refuse": "buyer",
    "POST /api/v1/titles/{slug}/redemptions": "member",
    "POST /api/v1/titles/{slug}/transfers": "member",
    "PUT /api/v1/commons/{slug}/members/{membership_id}/roles": "steward",
    "PUT /api/v1/notifications/preferences": "signed_in",
    "GET /api/v1/federation/commons/{slug}": "member",
    "GET /api/v1/federation/exchanges/{exchange_id}": "signed_in_missing_row",
    "GET /api/v1/federation/federations/{slug}/statements": "signed_in_missing_row",
    "GET /api/v1/federation/federations/{slug}/financings": "signed_in_missing_row",
    "GET /api/v1/funding/commons/{slug}": "member",
    "GET /api/v1/funding/financings/{financing_id}": "member",
    "GET /api/v1/funding/financings/{financing_id}/dashboard": "member",
    "GET /api/v1/funding/financings/{financing_id}/dashboard.pdf": "member",
    "GET /api/v1/funding/mine": "signed_in",
    "GET /api/v1/impact/commons/{slug}/classification": "member",
    "GET /api/v1/impact/commons/{slug}/funder-view": "member",
    "GET /api/v1/public/commons/{slug}/classification": "hidden",
    "GET /api/v1/public/commons/{slug}/financings": "hidden",
    "GET /api/v1/public/commons/{slug}/funder-view": "hidden",
    "GET /api/v1/public/discover": "open",
    "GET /api/v1/public/discover/map": "open",
    "GET /api/v1/public/federations/{slug}": "hidden",
    "GET /api/v1/public/federations/{slug}/financings": "hidden",
    "GET /api/v1/public/network": "open",
    "GET /api/v1/public/taxonomy": "open",
    "GET /api/v1/public/territories": "open",
    "POST /api/v1/federation/borrowings/{borrowing_id}/accept": "signed_in_missing_row",
    "POST /api/v1/federation/commons/{slug}/borrowings": "steward",
    "POST /api/v1/federation/commons/{slug}/exchanges": "steward_missing_row",
    "POST /api/v1/federation/exchanges/{exchange_id}/execute": "signed_in_missing_row",
    "POST /api/v1/federation/exchanges/{exchange_id}/submit": "signed_in_missing_row",
    "POST /api/v1/federation/federations": "signed_in_missing_row",
    "POST /api/v1/federation/federations/{slug}/leave": "signed_in_missing_row",
    "POST /api/v1/federation/federations/{slug}/members": "signed_in_missing_row",
    "POST /api/v1/federation/federations/{slug}/financings": "signed_in_missing_row",
    "POST /api/v1/funding/financings/{financing_id}/repayments": "steward_by_id",
    "POST /api/v1/funding/financings/{financing_id}/tags": "steward_by_id",
    "POST /api/v1/funding/financings/{financing_id}/tranches/{number}/disburse": "funder",
    "POST /api/v1/funding/financings/{financing_id}/vote": "member",
    "POST /api/v1/funding/financings/{financing_id}/withdraw": "funder",
    "POST /api/v1/funding/offers": "organisation_only",
    "POST /api/v1/impact/commons/{slug}/classification": "steward",
    "POST /api/v1/impact/resources/{resource_id}/classification": "steward_by_id",
    "POST /api/v1/impact/taxonomy/terms": "staff",
    "POST /api/v1/impact/taxonomy/terms/{code}/retire": "staff",
}

# Bodies and query parameters the schema alone cannot make valid enough to reach the route's
# access check (a value of the domain, a real id): functions of the world's ids.
BODIES: dict[str, Any] = {
    "POST /api/v1/auth/me/erase": lambda ids: {"password": PASSWORD},
    "POST /api/v1/commons/{slug}/proposals": lambda ids: {"kind": "free_motion", "title": "M"},
    "POST /api/v1/resources/{slug}/{resource_id}/contributions": lambda ids: {
        "contribution_id": ids["contribution_id"]
    },
    # A borrowing from itself: the steward's request reaches its refusal on the merits.
    "POST /api/v1/federation/commons/{slug}/borrowings": lambda ids: {
        "lender_slug": SLUG,
        "kind": "specific",
        "label": "Machine",
        "quantity": "1",
        "lender_book_cents": 100,
        "borrower_value_cents": 100,
        "return_on": "2027-06-15",
    },
    # An offer in the actor's own name: a person is never a funder (only organisations are).
    "POST /api/v1/funding/offers": lambda ids: {
        "commons_slug": SLUG,
        "kind": "grant_operating",
        "title": "Don",
        "amount_cents": 1_000,
    },
    "POST /api/v1/titles/{slug}/transfers": lambda ids: {
        "buyer_agent_id": ids["agents"]["funder"],
        "units": "0.01",
        "unit_price_cents": 100,
    },
}
QUERIES: dict[str, Any] = {
    "GET /api/v1/commons/{slug}/electorate-preview": lambda ids: {"kind": "free_motion"},
    "GET /api/v1/commons/{slug}/ledger/exports/fec": lambda ids: {"year": 2026},
}


def outcome(status: int) -> str:
    if status in (401, 403, 404):
        return str(status)
    if status >= 500:
        return f"{status}!"
    return "ok"


def resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def minimal(schema: dict, spec: dict, name: str = "") -> Any:
    """A small value valid against `schema`: required properties only, the first of choices."""
    schema = resolve(schema, spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if resolve(o, spec).get("type") != "null"]
            return minimal(options[0], spec, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            key: minimal(properties[key], spec, key)
            for key in schema.get("required", [])
            if key in properties
        }
    if kind == "array":
        item = minimal(schema.get("items", {}), spec, name)
        return [item] * max(schema.get("minItems", 0), 0)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "2026-06-15"
        if fmt == "date-time":
            return "2026-06-15T10:00:00Z"
        if fmt == "uuid":
            return "3f2b8f3e-8d7b-4c1e-9b7a-2f7d1c0e5a11"
        if fmt == "email" or "email" in name:
            return "someone@example.org"
        if "pattern" in schema and re.fullmatch(schema["pattern"], "1") is None:
            return "100"
        return "x" * max(schema.get("minLength", 1), 1)
    return "x"


def api_routes() -> dict[str, dict]:
    spec = api.get_openapi_schema(path_prefix="/api/v1")
    routes = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            routes[f"{method.upper()} {path}"] = {"operation": operation, "spec": spec}
    return routes


def request_for(route: str, details: dict, ids: dict) -> tuple[str, str, Any, str | None]:
    method, path = route.split(" ", 1)

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "contribution_id" and "/evidence" in path:
            return str(ids["draft_contribution_id"])
        return str(ids.get(name, 1))

    url = re.sub(r"{(\w+)}", value, path)
    query = {
        parameter["name"]: minimal(parameter["schema"], details["spec"], parameter["name"])
        for parameter in details["operation"].get("parameters", [])
        if parameter["in"] == "query" and parameter.get("required")
    }
    query.update(QUERIES[route](ids) if route in QUERIES else {})
    if query:
        url += "?" + urlencode(query)
    body, content_type = None, None
    request_body = details["operation"].get("requestBody")
    if route in BODIES:
        body, content_type = BODIES[route](ids), "application/json"
    elif request_body:
        content_type, media = next(iter(request_body["content"].items()))
        if content_type == "application/json":
            body = minimal(media["schema"], details["spec"])
    return method, url, body, content_type


def call(client: Client, method: str, url: str, body: Any, content_type: str | None, headers):
    send = getattr(client, method.lower())
    if content_type == "multipart/form-data":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.security.world import PDF

        return send(url, {"file": SimpleUploadedFile("devis.pdf", PDF)}, headers=headers)
    if body is not None:
        return send(url, json.dumps(body), content_type=content_type, headers=headers)
    return send(url, headers=headers)


def test_every_route_is_in_the_table():
    routes = set(api_routes())
    missing = sorted(routes - set(ROUTES))
    stale = sorted(set(ROUTES) - routes)
    lines = [f'    "{route}": "<one of {", ".join(RULES)}>",' for route in missing]
    assert not missing, (
        f"{len(missing)} routes have no access rule: add them to ROUTES in "
        f"tests/security/test_access_matrix.py, each with the rule its actors follow "
        f"(RULES, or a new rule there):\n" + "\n".join(lines)
    )
    assert not stale, f"ROUTES lists routes that no longer exist: {stale}"
    assert set(ROUTES.values()) <= set(RULES), set(ROUTES.values()) - set(RULES)


def test_every_actor_meets_its_rule_on_every_route(world):
    # Who may do what is decided in Python, the same on both databases: checked on SQLite, which
    # leaves CI's PostgreSQL run (the longer one) its time for what does differ.
    if connection.vendor != "sqlite":
        pytest.skip("the table is checked on SQLite")
    routes = api_routes()
    clients = Client()
    wrong, observed = [], {}
    for route in sorted(routes):
        if route == "GET /api/v1/live/stream":
            continue  # never ends: its access is tested in live/
        method, url, body, content_type = request_for(route, routes[route], world.ids)
        answers = []
        for actor in ACTORS:
            with transaction.atomic():
                response = call(clients, method, url, body, content_type, world.headers(actor))
                transaction.set_rollback(True)
            answers.append(outcome(response.status_code))
        observed[route] = " ".join(answers)
        rule = ROUTES.get(route)
        if rule is not None and observed[route] != RULES[rule]:
            cells = [
                f"{actor} {got} (expected {want})"
                for actor, got, want in zip(ACTORS, answers, RULES[rule].split(), strict=True)
                if got != want
            ]
            wrong.append(f"{route} [{rule}]: " + ", ".join(cells))
    by_pattern: dict[str, list[str]] = {}
    for route, pattern in observed.items():
        by_pattern.setdefault(pattern, []).append(route)
    if os.environ.get("MATRIX_OBSERVED"):  # a file to write what each route answered, by pattern
        Path(os.environ["MATRIX_OBSERVED"]).write_text(
            "\n".join(f"{p}\n  " + "\n  ".join(r) for p, r in sorted(by_pattern.items()))
        )
    assert not wrong, f"{len(wrong)} routes answer against their rule:\n" + "\n".join(wrong)
