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


ORGANISATION_FIELDS = (
    "legal_form",
    "address",
    "postcode",
    "commune_code",
    "town",
    "activity_code",
    "directory_state",
    "closed_on",
    "looked_up_at",
)


def _organisation_only(fields: dict) -> dict:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    assert not unknown, f"unknown agent fields {sorted(unknown)}"
    return fields


def _apply_organisation_fields(agent: Agent, fields: dict) -> None:
    """Sets what was given of the directory's fields (pre-filled by a lookup, or typed by hand).

    The directory state comes from the client's lookup (GET /agents/directory): it informs, it
    authorises nothing, so a hand-typed organisation simply has none. A new lookup result
    replaces the whole state (state, closing date, time of lookup) together."""
    given = {name: value for name, value in fields.items() if value is not None}
    if not given:
        return
    if agent.kind == domain.PERSON:
        raise ApplicationError.on_field(next(iter(given)), "invalid_value")
    if "legal_form" in given:
        agent.legal_form = domain.normalise_legal_form(given["legal_form"])
    if "address" in given:
        agent.address = " ".join(given["address"].split())
    if "postcode" in given:
        agent.postcode = domain.normalise_postcode(given["postcode"])
    if "commune_code" in given:
        agent.commune_code = domain.normalise_commune_code(given["commune_code"])
    if "town" in given:
        agent.town = " ".join(given["town"].split())
    if "activity_code" in given:
        agent.activity_code = domain.normalise_activity_code(given["activity_code"])
    if "directory_state" in given or "closed_on" in given or "looked_up_at" in given:
        state, closed_on = domain.check_directory_state(
            given.get("directory_state"), given.get("closed_on")
        )
        looked_up_at = given.get("looked_up_at")
        if state and looked_up_at is None:
            raise ApplicationError.on_field("looked_up_at", "required")
        if looked_up_at is not None and (not state or looked_up_at > clock.now()):
            raise ApplicationError.on_field("looked_up_at", "invalid_value")
        agent.directory_state, agent.closed_on, agent.looked_up_at = state, closed_on, looked_up_at


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
    **organisation,
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
    _apply_organisation_fields(agent, _organisation_only(organisation))
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
    **organisation,
) -> Agent:
    agent = selectors.agent_for_user(user=user, agent_id=agent_id, for_update=True)
    if display_name is not None:
        if not display_name.strip():
            raise ApplicationError.on_field("display_name", "required")
        agent.display_name = display_name.strip()
    if siren is not None or siret is not None:
        previous_siren = agent.siren
        agent.siren, agent.siret = domain.company_identifiers(
            agent.kind,
            agent.siren if siren is None else siren,
            agent.siret if siret is None else siret,
        )
        if agent.siren != previous_siren:
            # What the directory said was about the former SIREN.
            agent.directory_state, agent.closed_on, agent.looked_up_at = "", None, None
    if description is not None:
        agent.description = description
    if website is not None:
        agent.website = _clean_website(website)
    _apply_organisation_fields(agent, _organisation_only(organisation))
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


def representations_set_for_commons(*, agent_id: int, user_ids: set[int]) -> None:
    """The users who act for a commons' agent: exactly `user_ids` (its stewards' users), so a
    commons joins, contributes and holds titles in another commons as an organisation does.
    Called by the federation app whenever the commons' stewards change (federage/reactions.py)."""
    assert transaction.get_connection().in_atomic_block
    assert Agent.objects.filter(pk=agent_id, kind="commons").exists()
    current = set(
        Representation.objects.filter(agent_id=agent_id).values_list("user_id", flat=True)
    )
    Representation.objects.filter(agent_id=agent_id, user_id__in=current - user_ids).delete()
    now = clock.now()
    Representation.objects.bulk_create(
        Representation(agent_id=agent_id, user_id=user, is_self=False, created_at=now)
        for user in sorted(user_ids - current)
    )


def agent_rename_for_commons(*, agent_id: int, display_name: str) -> None:
    Agent.objects.filter(pk=agent_id, kind="commons").update(display_name=display_name)


def agents_pseudonymise(*, user, pseudonym: str) -> list[int]:
    """Erasure (GDPR art. 17): the person agents this user is the self of lose their name,
    description and website for `pseudonym`, and their consent to be named; the ids stay, so
    books, titles and decisions that point to them keep their meaning and their hashes.
    Organisations the user acts for are not the person's data and are left as they are."""
    assert transaction.get_connection().in_atomic_block
    ids = list(
        Agent.objects.filter(
            kind="person", representations__user=user, representations__is_self=True
        ).values_list("pk", flat=True)
    )
    Agent.objects.filter(pk__in=ids).update(
        display_name=pseudonym, description="", website="", public_name_consent=False
    )
    return ids
