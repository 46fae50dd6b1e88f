"""API shapes of agents."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class AgentOut(Schema):
    id: int
    kind: str
    display_name: str
    siren: str
    siret: str
    description: str
    website: str


class AgentCreateIn(Schema):
    kind: str
    display_name: str = Field(max_length=160)
    siren: str | None = None
    siret: str | None = None
    description: str = Field("", max_length=4000)
    website: str | None = Field(None, max_length=200)


class AgentUpdateIn(Schema):
    display_name: str | None = Field(None, max_length=160)
    siren: str | None = None
    siret: str | None = None
    description: str | None = Field(None, max_length=4000)
    website: str | None = Field(None, max_length=200)


class AgentUpdateCommand(AgentUpdateIn):
    agent_id: int
