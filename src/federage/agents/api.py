"""HTTP API of agents; writes are commands (replayable under their Idempotency-Key)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from federage.agents import selectors
from federage.agents.schemas import AgentCreateIn, AgentOut, AgentUpdateIn
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors

router = Router(tags=["agents"], auth=AUTH)


@router.get("", response=list[AgentOut])
def agents_mine(request: HttpRequest):
    return selectors.agents_of_user(user=request.auth)


@router.post("", response=with_errors({201: AgentOut}))
def agent_create(request: HttpRequest, data: AgentCreateIn):
    return run_command(request, "agent.create", data)


@router.get("/{agent_id}", response=with_errors({200: AgentOut}))
def agent_detail(request: HttpRequest, agent_id: int):
    return selectors.agent_for_user(user=request.auth, agent_id=agent_id)


@router.patch("/{agent_id}", response=with_errors({200: AgentOut}))
def agent_update(request: HttpRequest, agent_id: int, data: AgentUpdateIn):
    return run_command(
        request, "agent.update", {"agent_id": agent_id, **data.dict(exclude_unset=True)}
    )
