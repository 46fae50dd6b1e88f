"""API shapes of agents."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from federage.agents.domain import legal_form_label


class AgentOut(Schema):
    id: int
    kind: str
    display_name: str
    siren: str
    siret: str
    description: str
    website: str
    legal_form: str
    legal_form_label: str
    address: str
    postcode: str
    commune_code: str
    town: str
    activity_code: str
    # '' when never looked up in the company directory, else "active" or "closed".
    directory_state: str
    closed: bool
    closed_on: dt.date | None
    looked_up_at: dt.datetime | None

    @staticmethod
    def resolve_legal_form_label(agent) -> str:
        return legal_form_label(agent.legal_form)

    @staticmethod
    def resolve_closed(agent) -> bool:
        return agent.directory_state == "closed"


class OrganisationFields(Schema):
    """What the company directory pre-fills, or the user types by hand (all optional)."""

    legal_form: str | None = Field(None, max_length=4)
    address: str | None = Field(None, max_length=300)
    postcode: str | None = Field(None, max_length=5)
    commune_code: str | None = Field(None, max_length=5)
    town: str | None = Field(None, max_length=100)
    activity_code: str | None = Field(None, max_length=6)
    directory_state: str | None = Field(None, max_length=6)
    closed_on: dt.date | None = None
    looked_up_at: dt.datetime | None = None


class AgentCreateIn(OrganisationFields):
    kind: str
    display_name: str = Field(max_length=160)
    siren: str | None = None
    siret: str | None = None
    description: str = Field("", max_length=4000)
    website: str | None = Field(None, max_length=200)


class AgentUpdateIn(OrganisationFields):
    display_name: str | None = Field(None, max_length=160)
    siren: str | None = None
    siret: str | None = None
    description: str | None = Field(None, max_length=4000)
    website: str | None = Field(None, max_length=200)


class AgentUpdateCommand(AgentUpdateIn):
    agent_id: int


class DirectoryEntryOut(Schema):
    siren: str
    siret: str
    name: str
    legal_form: str
    legal_form_label: str
    address: str
    postcode: str
    commune_code: str
    town: str
    activity_code: str
    state: str
    closed: bool
    closed_on: dt.date | None
    looked_up_at: dt.datetime


class DirectoryAnswerOut(Schema):
    query_kind: str
    query: str
    total_results: int
    from_cache: bool
    results: list[DirectoryEntryOut]

    @staticmethod
    def resolve_results(answer) -> list:
        return answer.entries
