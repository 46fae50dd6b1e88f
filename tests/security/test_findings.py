"""What the fuzzing found, each held by a plain test: it failed before its fix."""

from __future__ import annotations

import uuid

import pytest

from federage.api import api
from federage.core import clock
from federage.core.schemas import ERRORS
from federage.ledger.models import Entry
from tests.security.world import NOW


def test_every_operation_documents_every_refusal_status():
    # The middleware refuses a control character in any path or query with a 400 before any
    # route runs, so a route that named only its 200 answered an undocumented status.
    spec = api.get_openapi_schema(path_prefix="/api/v1")
    undocumented = [
        f"{method.upper()} {path}: {sorted(set(ERRORS) - set(operation['responses']))}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if set(ERRORS) - set(operation["responses"])
    ]
    assert not undocumented, undocumented


@pytest.mark.django_db
def test_an_entry_without_lines_is_refused_not_a_server_error(make_user, make_commons, api_client):
    # On PostgreSQL the gathering query's `IN ()` was a syntax error: a 500, or in a batch that
    # command's unexpected failure.
    steward = make_user()
    commons = make_commons(steward)
    payload = {
        "commons_slug": commons.slug,
        "journal": "OD",
        "entry_date": "2026-06-15",
        "label": "Sans lignes",
        "lines": [],
    }
    with clock.frozen(NOW):
        answer = api_client(steward).command("ledger.entry_post", payload, str(uuid.uuid4()))
    assert answer.status_code == 422, answer.content
    assert answer.json()["fields"]["lines"]["code"] == "entry_too_few_lines"
    assert not Entry.objects.filter(book__commons_id=commons.pk).exists()
