"""Pure rules about agents: kinds and French company identifiers (SIREN, SIRET)."""

from __future__ import annotations

from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from federage.core.errors import ApplicationError

PERSON = "person"
ORGANISATION_KINDS = (
    "association",
    "company",
    "cooperative",
    "local_authority",
    "public_body",
    "ngo",
    "commons",
)
AGENT_KINDS = (PERSON, *ORGANISATION_KINDS)
COMMONS = "commons"


def check_creatable(kind: str) -> None:
    """What a user may create beside their own person: an organisation they act for. A person
    agent is only ever the user's own (made at sign-up), and a commons' agent is made with the
    commons, so nobody can pose as another person or as a commons."""
    if kind not in AGENT_KINDS:
        raise ApplicationError.on_field("kind", "invalid_value")
    if kind == PERSON:
        raise ApplicationError.on_field("kind", "agent_person_is_own")
    if kind == COMMONS:
        raise ApplicationError.on_field("kind", "agent_commons_reserved")


def normalise_siren(raw: str | None) -> str:
    """'' when absent; the nine digits when valid (spaces allowed); refuses a bad checksum."""
    if not raw:
        return ""
    compact = siren_number.compact(raw)
    if not siren_number.is_valid(compact):
        raise ApplicationError.on_field("siren", "invalid_siren")
    return compact


def normalise_siret(raw: str | None) -> str:
    if not raw:
        return ""
    compact = siret_number.compact(raw)
    if not siret_number.is_valid(compact):
        raise ApplicationError.on_field("siret", "invalid_siret")
    return compact


def company_identifiers(kind: str, siren: str | None, siret: str | None) -> tuple[str, str]:
    """Checks and aligns SIREN and SIRET: the SIRET's first nine digits are the SIREN."""
    siren_value = normalise_siren(siren)
    siret_value = normalise_siret(siret)
    if kind == PERSON and (siren_value or siret_value):
        raise ApplicationError.on_field("siren", "person_has_no_siren")
    if siret_value and siren_value and not siret_value.startswith(siren_value):
        raise ApplicationError.on_field("siret", "siret_siren_mismatch")
    if siret_value and not siren_value:
        siren_value = siret_value[:9]
    return siren_value, siret_value
