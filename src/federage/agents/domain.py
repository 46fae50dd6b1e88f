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
# Kinds every one of which is in the SIRENE register: such an agent is tied to its SIREN (so
# the directory can check it and nobody can pose as a known company). Associations and NGOs
# may have only an RNA number.
SIREN_REQUIRED_KINDS = ("company", "cooperative", "local_authority", "public_body")
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
    if kind in SIREN_REQUIRED_KINDS and not siren_value:
        raise ApplicationError.on_field("siren", "siren_required")
    return siren_value, siret_value


# --- The public company directory (issue 19) --------------------------------------------------

SIREN_QUERY = "siren"
SIRET_QUERY = "siret"
NAME_QUERY = "name"
NAME_QUERY_MIN_LENGTH = 3
NAME_QUERY_MAX_LENGTH = 100

DIRECTORY_ACTIVE = "active"
DIRECTORY_CLOSED = "closed"
DIRECTORY_STATES = (DIRECTORY_ACTIVE, DIRECTORY_CLOSED)

# French labels of the INSEE legal categories (catégories juridiques, level III) met most often
# among the organisations that join a commons; any other code is kept and shown as a code.
LEGAL_FORM_LABELS: dict[str, str] = {
    "1000": "Entrepreneur individuel",
    "5202": "Société en nom collectif",
    "5458": "SARL coopérative ouvrière de production (SCOP)",
    "5460": "Autre SARL coopérative",
    "5498": "SARL unipersonnelle",
    "5499": "Société à responsabilité limitée (SARL)",
    "5510": "SA nationale à conseil d'administration",
    "5558": "SA coopérative ouvrière de production (SCOP) à conseil d'administration",
    "5599": "SA à conseil d'administration",
    "5699": "SA à directoire",
    "5710": "Société par actions simplifiée (SAS)",
    "5720": "Société par actions simplifiée à associé unique (SASU)",
    "6220": "Groupement d'intérêt économique (GIE)",
    "6316": "Coopérative d'utilisation de matériel agricole en commun (CUMA)",
    "6317": "Société coopérative agricole",
    "6533": "Groupement agricole d'exploitation en commun (GAEC)",
    "6540": "Société civile immobilière (SCI)",
    "7210": "Commune et commune nouvelle",
    "7220": "Département",
    "7230": "Région",
    "7346": "Communauté de communes",
    "7348": "Communauté d'agglomération",
    "9210": "Association non déclarée",
    "9220": "Association déclarée",
    "9230": "Association déclarée, reconnue d'utilité publique",
    "9260": "Association de droit local (Bas-Rhin, Haut-Rhin et Moselle)",
    "9300": "Fondation",
}


def legal_form_label(code: str | None) -> str:
    """The French label of an INSEE legal category, '' when the code is not among the common ones."""
    return LEGAL_FORM_LABELS.get(code or "", "")


def directory_query(raw: str | None) -> tuple[str, str]:
    """What to ask the directory: (SIREN_QUERY, 9 digits), (SIRET_QUERY, 14 digits) or
    (NAME_QUERY, the text).

    Spaces, dots and dashes are ignored in numbers (the directory ignores spaces too). A number's
    check digit is verified before any request: Luhn, except La Poste's SIRETs (SIREN 356000000),
    whose digits sum to a multiple of 5 instead (python-stdnum's `fr.siret` knows that exception).
    Anything else made of digits, or a name shorter than 3 characters, is refused `siren_invalid`:
    the directory would answer 400 to the latter, and a wrong number would cost a request."""
    text = " ".join((raw or "").split())
    compact = text.replace(" ", "").replace(".", "").replace("-", "")
    if compact.isdigit():
        if len(compact) == 9 and siren_number.is_valid(compact):
            return SIREN_QUERY, compact
        if len(compact) == 14 and siret_number.is_valid(compact):
            return SIRET_QUERY, compact
        raise ApplicationError.on_field("q", "siren_invalid")
    if not NAME_QUERY_MIN_LENGTH <= len(text) <= NAME_QUERY_MAX_LENGTH:
        raise ApplicationError.on_field("q", "siren_invalid")
    return NAME_QUERY, text


def is_valid_siret(value: str) -> bool:
    return siret_number.is_valid(value)


def normalise_postcode(raw: str | None) -> str:
    value = (raw or "").strip()
    if value and not (len(value) == 5 and value.isdigit()):
        raise ApplicationError.on_field("postcode", "invalid_value")
    return value


def normalise_commune_code(raw: str | None) -> str:
    """An INSEE commune code: five characters, digits except Corsica's 2A/2B."""
    value = (raw or "").strip().upper()
    if value and not _is_commune_code(value):
        raise ApplicationError.on_field("commune_code", "invalid_value")
    return value


def _is_commune_code(value: str) -> bool:
    return (
        len(value) == 5
        and value[0].isdigit()
        and (value[1].isdigit() or value[:2] in ("2A", "2B"))
        and value[2:].isdigit()
    )


def normalise_activity_code(raw: str | None) -> str:
    """A NAF code as the directory writes it, '53.10Z' (the dot added when typed without)."""
    value = (raw or "").strip().upper()
    if len(value) == 5 and "." not in value:
        value = f"{value[:2]}.{value[2:]}"
    if value and not (
        len(value) == 6 and value[:2].isdigit() and value[2] == "." and value[3:5].isdigit()
    ):
        raise ApplicationError.on_field("activity_code", "invalid_value")
    if value and not value[5].isalpha():
        raise ApplicationError.on_field("activity_code", "invalid_value")
    return value


def normalise_legal_form(raw: str | None) -> str:
    value = (raw or "").strip()
    if value and not (len(value) == 4 and value.isdigit()):
        raise ApplicationError.on_field("legal_form", "invalid_value")
    return value


def check_directory_state(state: str | None, closed_on) -> tuple[str, object]:
    """'' (never looked up or typed by hand), active, or closed; a closing date only when closed."""
    state = state or ""
    if state and state not in DIRECTORY_STATES:
        raise ApplicationError.on_field("directory_state", "invalid_value")
    if closed_on is not None and state != DIRECTORY_CLOSED:
        raise ApplicationError.on_field("closed_on", "invalid_value")
    return state, closed_on
