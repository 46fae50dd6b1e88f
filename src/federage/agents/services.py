"""Writes on agents: create, update, and the person agent every user gets at sign-up."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from federage.agents import domain, selectors
from federage.agents.models import Agent, Representation
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.transactions import write

_validate_url = URLValidator(schemes=["http", "https"])


def _clean_website(website: str | None) -> str:
    if not website:
        return ""
    try:
        _validate_url(website)
    except ValidationError:
        raise ApplicationError.on_field("website", "invalid_website") from None
    return website


def _save_with_unique_siren(agent: Agent) -> None:
    try:
        with transaction.atomic():
            agent.save()
    except IntegrityError:
        if agent.siren and Agent.objects.filter(siren=agent.siren).exclude(pk=agent.pk).exists():
            raise ApplicationError.on_field("siren", "siren_taken") from None
        raise


@write
def agent_create(
    *,
    user,
    kind: str,
    display_name: str,
    siren: str | None = None,
    siret: str | None = None,
    description: str = "",
    website: str | None = None,
    is_self: bool = False,
) -> Agent:
    """An agent the user represents: their own person at sign-up (`is_self`), else an
    organisation (domain.check_creatable)."""
    if is_self:
        assert kind == domain.PERSON, "a user's own agent is a person"
    else:
        domain.check_creatable(kind)
    if not display_name.strip():
        raise ApplicationError.on_field("display_name", "required")
    siren_value, siret_value = domain.company_identifiers(kind, siren, siret)
    now = clock.now()
    agent = Agent(
        kind=kind,
        display_name=display_name.strip(),
        siren=siren_value,
        siret=siret_value,
        description=description,
        website=_clean_website(website),
        created_at=now,
    )
    _save_with_unique_siren(agent)
    Representation.objects.create(agent=agent, user=user, is_self=is_self, created_at=now)
    event_record(
        type="agent.created", commons_id=None, actor_user_id=user.pk, data={"agent_id": agent.pk}
    )
    return agent


@write
def agent_update(
    *,
    user,
    agent_id: int,
    display_name: str | None = None,
    siren: str | None = None,
    siret: str | None = None,
    description: str | None = None,
    website: str | None = None,
) -> Agent:
    agent = selectors.agent_for_user(user=user, agent_id=agent_id, for_update=True)
    if display_name is not None:
        if not display_name.strip():
            raise ApplicationError.on_field("display_name", "required")
        agent.display_name = display_name.strip()
    if siren is not None or siret is not None:
        agent.siren, agent.siret = domain.company_identifiers(
            agent.kind,
            agent.siren if siren is None else siren,
            agent.siret if siret is None else siret,
        )
    if description is not None:
        agent.description = description
    if website is not None:
        agent.website = _clean_website(website)
    _save_with_unique_siren(agent)
    event_record(
        type="agent.updated", commons_id=None, actor_user_id=user.pk, data={"agent_id": agent.pk}
    )
    return agent


def agent_create_for_commons(*, display_name: str) -> Agent:
    """A commons is an agent too, so it can later hold titles of another commons.

    Nobody represents it personally: its stewards act for it through their membership.
    """
    assert transaction.get_connection().in_atomic_block
    return Agent.objects.create(kind="commons", display_name=display_name, created_at=clock.now())


def agent_rename_for_commons(*, agent_id: int, display_name: str) -> None:
    Agent.objects.filter(pk=agent_id, kind="commons").update(display_name=display_name)
