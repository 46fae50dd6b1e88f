"""The JSON API at /api/v1/: one Ninja instance, one router per app, and the command endpoint."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from federage import __version__
from federage.accounts.api import router as accounts_router
from federage.agents.api import router as agents_router
from federage.commands import all_command_types
from federage.commons.api import invitations_router, public_router
from federage.commons.api import router as commons_router
from federage.contributions.api import router as contributions_router
from federage.core.http import AUTH, JsonBody, command_response, install_error_handlers
from federage.core.schemas import ERRORS, CommandIn, with_errors
from federage.federation.api import public_router as federation_public_router
from federage.federation.api import router as federation_router
from federage.funding.api import public_router as funding_public_router
from federage.funding.api import router as funding_router
from federage.governance.api import router as governance_router
from federage.impact.api import public_router as impact_public_router
from federage.impact.api import router as impact_router
from federage.impact.public_api import public_router as territories_public_router
from federage.impact.public_api import territory_router
from federage.ledger.api import router as ledger_router
from federage.legal.api import public_router as legal_public_router
from federage.legal.api import router as legal_router
from federage.live.api import router as live_router
from federage.opendata.api import router as opendata_router
from federage.privacy.api import router as privacy_router
from federage.resources.api import public_router as resources_public_router
from federage.resources.api import router as resources_router
from federage.sync.api import CommandBatchOut, batch_apply
from federage.sync.api import router as sync_router
from federage.sync.schemas import CommandBatchIn
from federage.titles.api import router as titles_router


class FederageApi(NinjaAPI):
    """The API, whose every operation documents the shared error shape on every refusal status.

    Routes that name only their success (`response=list[…]`) can still refuse: the middleware
    answers 400 `invalid_characters` to a path or query with a control character before any
    route runs, and an authenticated route may refuse its caller. Schemathesis found those
    answers undocumented (tests/security/test_fuzz.py); they are documented here once for all.
    """

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"$ref": "#/components/schemas/ErrorOut"}
        if "ErrorOut" not in schema.get("components", {}).get("schemas", {}):
            return schema
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in ERRORS:
                    responses.setdefault(
                        status,
                        {
                            "description": HTTPStatus(status).phrase,
                            "content": {"application/json": {"schema": error}},
                        },
                    )
        return schema


api = FederageApi(
    title="Federage API",
    version=__version__,
    description=(
        "Books in euros, validated contributions and participation titles for commons. "
        "Every write is a command: send `Idempotency-Key: <uuid>` to make it replayable."
    ),
    urls_namespace="api-v1",
    auth=AUTH,
    parser=JsonBody(),
)
install_error_handlers(api)

commands_router = Router(tags=["commands"], auth=AUTH)


@commands_router.post("", response=with_errors({200: dict, 201: dict}))
def command_apply(request: HttpRequest, data: CommandIn):
    """Applies one command `{id, type, payload}`; a replay of the same id returns the same answer."""
    return command_response(request, data.id, data.type, data.payload)


@commands_router.post("/batch", response=with_errors({200: CommandBatchOut}))
def command_batch(request: HttpRequest, data: CommandBatchIn):
    """Applies each command in order, each in its own transaction; one result per command."""
    return batch_apply(request, data)


@commands_router.get("/types", response=list[str], auth=None)
def command_types(request: HttpRequest):
    return all_command_types()


@api.get("/health", auth=None, tags=["meta"])
def health(request: HttpRequest):
    """An empty endpoint: the reference the benchmarks compare real endpoints against."""
    return {"status": "ok"}


api.add_router("/auth", accounts_router)
api.add_router("/auth", privacy_router)
api.add_router("/agents", agents_router)
api.add_router("/commons", commons_router)
api.add_router("/invitations", invitations_router)
api.add_router("/commands", commands_router)
api.add_router("/public", public_router)
api.add_router("/public", opendata_router)
api.add_router("/public", resources_public_router)
api.add_router("/public", legal_public_router)
api.add_router("/public", territories_public_router)
api.add_router("/live", live_router)
api.add_router("/sync", sync_router)
api.add_router("", governance_router)
api.add_router("", ledger_router)
api.add_router("/titles", titles_router)
api.add_router("/contributions", contributions_router)
api.add_router("/resources", resources_router)
api.add_router("/legal", legal_router)
api.add_router("/impact", territory_router)
api.add_router("/impact", impact_router)
api.add_router("/public", impact_public_router)
api.add_router("/federation", federation_router)
api.add_router("/funding", funding_router)
api.add_router("/public", funding_public_router)
api.add_router("/public", federation_public_router)
