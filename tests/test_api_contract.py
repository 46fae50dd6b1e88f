"""The API's contract: every protected route refuses anonymous calls, and the SPA's client is current."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from federage.api import api

FRONTEND_SPEC = Path(__file__).resolve().parent.parent / "frontend/src/lib/api/openapi.json"


def server_spec() -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1")


def protected_operations():
    for path, operations in server_spec()["paths"].items():
        for method, operation in operations.items():
            if operation.get("security"):
                yield method, re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize(("method", "path"), list(protected_operations()))
def test_every_protected_route_refuses_anonymous_calls(db, method, path):
    response = getattr(Client(), method)(path, data={}, content_type="application/json")
    # Reads open to anyone on public commons answer 404 for what does not exist or is hidden;
    # everything else refuses an anonymous caller outright. Neither gives data away.
    assert response.status_code in (401, 404), (method, path, response.content[:200])
    expected = "not_authenticated" if response.status_code == 401 else "not_found"
    assert response.json()["code"] == expected


def test_the_spa_client_is_generated_from_the_current_api():
    committed = json.loads(FRONTEND_SPEC.read_text())
    assert committed == json.loads(json.dumps(server_spec(), sort_keys=True)), (
        "The API changed: run `make openapi` and commit the regenerated client."
    )
