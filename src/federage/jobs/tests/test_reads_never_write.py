"""Every GET route of the API, called on a database with due votes, writes nothing.

Votes past their deadline are the worker's to close: a read shows them as closing
(`closing_due`), never accepts a contribution, posts an entry or logs a decision itself.
"""

from __future__ import annotations

import hashlib
import re

from django.apps import apps

from federage.api import api
from federage.contributions.tests.scene import agent_of
from federage.core import clock
from federage.governance.models import Proposal
from federage.ledger.models import Entry
from federage.testing import ApiClient

# Streams hold the request open (server-sent events): not a read that returns.
STREAMING = {"/live/stream"}


def get_routes() -> list[str]:
    routes = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            if any("GET" in operation.methods for operation in view.operations):
                routes.append(f"{prefix.rstrip('/')}{path}")
    return sorted(set(routes) - STREAMING)


def database_digest() -> dict[str, str]:
    """One digest per table: every row of every model, in primary-key order."""
    digests = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model._base_manager.order_by("pk").values_list()
        digests[model._meta.db_table] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def filled(route: str, values: dict[str, object]) -> str:
    return re.sub(r"\{(?:\w+:)?(\w+)\}", lambda match: str(values.get(match[1], 1)), route)


def test_the_route_walk_finds_every_read():
    routes = get_routes()
    assert "/proposals/{proposal_id}" in routes and "/sync" in routes
    assert "/commons/{slug}/decisions" in routes and "/public/commons/{slug}/decisions" in routes
    assert len(routes) > 60


def test_no_get_route_writes_on_a_database_with_due_votes(due):
    scene = due.scene
    entry = Entry.objects.filter(book__commons=scene.commons).order_by("pk").first()
    values = {
        "slug": scene.slug,
        "proposal_id": due.contribution.proposal_id,
        "contribution_id": due.contribution.pk,
        "agent_id": agent_of(scene.steward),
        "token": due.invitation_token,
        "account_number": "512",
        "entry_id": entry.pk if entry else 1,
        "evidence_id": 1,
    }
    readers = {
        "anonymous": ApiClient(),
        "steward": ApiClient(scene.steward),
        "approver": ApiClient(scene.approver1),
        "contributor": ApiClient(scene.contributor),
    }
    routes = get_routes()
    with clock.frozen(due.after):
        before = database_digest()
        statuses = {}
        for name, reader in readers.items():
            for route in routes:
                paths = [filled(route, values)]
                if "{proposal_id}" in route:
                    paths.append(filled(route, {**values, "proposal_id": due.motion.pk}))
                for path in paths:
                    response = reader.get(path)
                    assert response.status_code < 500, (name, path, response.status_code)
                    statuses[(name, path)] = response.status_code
        after = database_digest()
        changed = sorted(table for table in before if before[table] != after[table])
        assert changed == []
        # The reads did run: members saw the commons' pages, and the due votes as closing.
        assert statuses[("steward", f"/commons/{scene.slug}/ledger")] == 200
        shown = readers["steward"].get(f"/proposals/{due.motion.pk}").json()
        assert (shown["status"], shown["closing_due"]) == ("open", True)
        listed = readers["anonymous"].get(f"/commons/{scene.slug}/proposals").json()
        assert {item["id"]: item["closing_due"] for item in listed if item["status"] == "open"} == {
            due.contribution.proposal_id: True,
            due.motion.pk: True,
        }
    assert Proposal.objects.filter(status="open").count() == 2
