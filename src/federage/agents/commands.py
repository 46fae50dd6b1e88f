"""Command handlers of agents: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.agents import services
from federage.agents.schemas import AgentCreateIn, AgentOut, AgentUpdateCommand
from federage.core.commands import command


@command("agent.create", AgentCreateIn, success_status=201)
def agent_create_command(user, data: AgentCreateIn):
    return AgentOut.from_orm(services.agent_create(user=user, **data.dict()))


@command("agent.update", AgentUpdateCommand)
def agent_update_command(user, data: AgentUpdateCommand):
    return AgentOut.from_orm(services.agent_update(user=user, **data.dict(exclude_unset=True)))
