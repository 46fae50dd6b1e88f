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


def test_the_command_envelope_is_the_union_of_the_table():
    """`/commands` and `/commands/batch` advertise `{id, type, payload}` discriminated on `type`,
    one variant per registered command with its payload schema: the SPA's types come from it."""
    from federage.commands import all_command_types

    schemas = server_spec()["components"]["schemas"]
    envelope = schemas["CommandIn"]
    assert envelope["discriminator"]["propertyName"] == "type"
    mapping = envelope["discriminator"]["mapping"]
    assert sorted(mapping) == all_command_types()
    for type, ref in mapping.items():
        variant = schemas[ref.rsplit("/", 1)[1]]
        assert variant["properties"]["type"]["const"] == type
        assert set(variant["required"]) == {"id", "type", "payload"}
    batch = schemas["CommandBatchIn"]["properties"]["commands"]["items"]
    assert batch == {"$ref": "#/components/schemas/CommandIn"}


@pytest.mark.parametrize("generated", ["schema.d.ts", "requests.d.ts"])
def test_the_generated_types_know_every_command(generated):
    from federage.commands import all_command_types

    text = (FRONTEND_SPEC.parent / generated).read_text(encoding="utf-8")
    missing = [type for type in all_command_types() if f'type: "{type}";' not in text]
    assert not missing, f"run `make openapi`: {generated} lacks {missing}"
