"""HTTP API of agents; writes are commands (replayable under their Idempotency-Key)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.agents import directory, selectors
from federage.agents.schemas import AgentCreateIn, AgentOut, AgentUpdateIn, DirectoryAnswerOut
from federage.core.http import AUTH, run_command
from federage.core.schemas import ErrorOut, with_errors

router = Router(tags=["agents"], auth=AUTH)


@router.get("", response=list[AgentOut])
def agents_mine(request: HttpRequest):
    return selectors.agents_of_user(user=request.auth)


@router.post("", response=with_errors({201: AgentOut}))
def agent_create(request: HttpRequest, data: AgentCreateIn):
    return run_command(request, "agent.create", data)


@router.get(
    "/directory",
    response=with_errors({200: DirectoryAnswerOut, 502: ErrorOut, 503: ErrorOut, 504: ErrorOut}),
)
def agent_directory_lookup(request: HttpRequest, q: str = ""):
    """Looks up a SIREN, a SIRET or a name in the public company directory (Recherche
    d'entreprises) to pre-fill an organisation; writes nothing. Refusals: siren_invalid (no
    request made), directory_not_found, directory_rate_limited (with `retry_after` seconds),
    directory_timeout, directory_unreachable, directory_malformed."""
    return directory.directory_search(q)


@router.get("/{agent_id}", response=with_errors({200: AgentOut}))
def agent_detail(request: HttpRequest, agent_id: int):
    return selectors.agent_for_user(user=request.auth, agent_id=agent_id)


@router.patch("/{agent_id}", response=with_errors({200: AgentOut}))
def agent_update(request: HttpRequest, agent_id: int, data: AgentUpdateIn):
    return run_command(
        request, "agent.update", {"agent_id": agent_id, **data.dict(exclude_unset=True)}
    )
