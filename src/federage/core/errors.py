"""Stable refusal codes with their French and English messages, and the one error the API renders."""

from __future__ import annotations

from dataclasses import dataclass, field

# code: (HTTP status, French, English). Codes are a public contract: never rename one.
CATALOGUE: dict[str, tuple[int, str, str]] = {
    "validation_error": (422, "Certaines informations sont invalides.", "Some fields are invalid."),
    "required": (422, "Ce champ est obligatoire.", "This field is required."),
    "invalid_value": (422, "Valeur invalide.", "Invalid value."),
    "too_long": (422, "Texte trop long.", "Text too long."),
    "not_authenticated": (401, "Connectez-vous pour continuer.", "Please log in to continue."),
    "permission_denied": (
        403,
        "Vous n'avez pas le droit de faire cela.",
        "You are not allowed to do this.",
    ),
    "csrf_failed": (
        403,
        "Session expirée ou requête d'une autre origine : rechargez la page.",
        "Session expired or cross-origin request: reload the page.",
    ),
    "method_not_allowed": (405, "Méthode non permise.", "Method not allowed."),
    "server_error": (500, "Erreur du serveur, réessayez plus tard.", "Server error, try later."),
    "not_found": (404, "Introuvable.", "Not found."),
    "email_taken": (
        409,
        "Un compte existe déjà avec cette adresse.",
        "An account already uses this email.",
    ),
    "invalid_email": (422, "Adresse électronique invalide.", "Invalid email address."),
    "weak_password": (422, "Mot de passe trop faible.", "Password too weak."),
    "invalid_credentials": (401, "Adresse ou mot de passe incorrect.", "Wrong email or password."),
    "too_many_attempts": (
        429,
        "Trop de tentatives. Réessayez dans quelques minutes.",
        "Too many attempts. Try again in a few minutes.",
    ),
    "invalid_token": (
        400,
        "Ce lien est invalide ou a expiré.",
        "This link is invalid or has expired.",
    ),
    "invalid_siren": (422, "Numéro SIREN invalide.", "Invalid SIREN number."),
    "invalid_siret": (422, "Numéro SIRET invalide.", "Invalid SIRET number."),
    "siret_siren_mismatch": (
        422,
        "Le SIRET ne commence pas par le SIREN.",
        "The SIRET does not start with the SIREN.",
    ),
    "siren_taken": (
        409,
        "Une structure avec ce SIREN existe déjà.",
        "An organisation with this SIREN already exists.",
    ),
    "person_has_no_siren": (
        422,
        "Une personne physique n'a pas de SIREN.",
        "A natural person has no SIREN.",
    ),
    "invalid_website": (422, "Adresse de site invalide.", "Invalid website address."),
    "slug_taken": (409, "Ce nom court est déjà pris.", "This short name is taken."),
    "invalid_slug": (
        422,
        "Nom court : lettres minuscules, chiffres et tirets (3 à 50).",
        "Short name: lowercase letters, digits and hyphens (3 to 50).",
    ),
    "invalid_parent": (
        422,
        "Ce commun ne peut pas être le parent choisi.",
        "This commons cannot be the chosen parent.",
    ),
    "invalid_role": (422, "Rôle inconnu.", "Unknown role."),
    "roles_required": (422, "Choisissez au moins un rôle.", "Choose at least one role."),
    "invitation_expired": (410, "Cette invitation a expiré.", "This invitation has expired."),
    "invitation_not_pending": (
        409,
        "Cette invitation n'est plus valable.",
        "This invitation is no longer valid.",
    ),
    "already_member": (409, "Cette structure est déjà membre.", "This agent is already a member."),
    "already_invited": (
        409,
        "Une invitation est déjà en attente pour cette adresse.",
        "An invitation is already pending for this email.",
    ),
    "last_steward": (
        409,
        "Le dernier gestionnaire ne peut pas partir ni perdre ce rôle.",
        "The last steward cannot leave or lose that role.",
    ),
    "not_a_member": (409, "Cette structure n'est pas membre.", "This agent is not a member."),
    "idempotency_key_reused": (
        422,
        "Cette commande a déjà été envoyée avec un autre contenu.",
        "This command id was already used with other content.",
    ),
    "unknown_command": (422, "Commande inconnue.", "Unknown command."),
    "invalid_command_id": (
        422,
        "Identifiant de commande invalide (UUID attendu).",
        "Invalid command id (a UUID is expected).",
    ),
}


@dataclass
class FieldError:
    code: str
    detail: str | None = None


@dataclass
class ApplicationError(Exception):
    """A refusal the user can understand: stable code, optional field errors, nothing written."""

    code: str
    fields: dict[str, FieldError] = field(default_factory=dict)
    detail: str | None = None
    status: int | None = None
    extra: dict | None = None

    def __post_init__(self) -> None:
        assert self.code in CATALOGUE, f"unknown error code {self.code!r}"
        for field_error in self.fields.values():
            assert field_error.code in CATALOGUE, f"unknown field code {field_error.code!r}"
        super().__init__(self.code)

    @classmethod
    def on_field(cls, name: str, code: str, detail: str | None = None) -> ApplicationError:
        """A refusal caused by one field: the field's code is also the error's code."""
        return cls(code=code, fields={name: FieldError(code, detail)})

    @property
    def http_status(self) -> int:
        return self.status or CATALOGUE[self.code][0]

    def as_dict(self, language: str = "fr") -> dict:
        return error_body(self.code, self.fields, language, self.detail, self.extra)


def messages_for(code: str) -> dict[str, str]:
    _, french, english = CATALOGUE[code]
    return {"fr": french, "en": english}


def error_body(
    code: str,
    fields: dict[str, FieldError] | None = None,
    language: str = "fr",
    detail: str | None = None,
    extra: dict | None = None,
) -> dict:
    """The one error shape of the API: code, message in the asked language, both messages, fields."""
    language = "en" if language == "en" else "fr"
    messages = messages_for(code)
    body: dict = {
        "code": code,
        "message": messages[language],
        "messages": messages,
        "fields": {
            name: {
                "code": error.code,
                "message": messages_for(error.code)[language],
                "messages": messages_for(error.code),
                **({"detail": error.detail} if error.detail else {}),
            }
            for name, error in (fields or {}).items()
        },
    }
    if detail:
        body["detail"] = detail
    if extra:
        body.update(extra)
    return body
