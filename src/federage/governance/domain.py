"""Pure governance rules: charter parameters, the tally of every voting method, the decision chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from federage.core import rates
from federage.core.errors import ApplicationError, FieldError
from federage.core.hashing import GENESIS_HASH, canonical_json
from federage.core.money import Money

# --- Charter parameters -------------------------------------------------------------------
#
# A charter is a flat mapping of dotted parameter names to scalars (int, str, bool), checked
# against the catalogue below. Flat names make diffs, amendments ("set these names to these
# values") and labels trivial. Rates are integer basis points (1 bp = 0.01 %, 10 000 = 100 %);
# amounts are integer cents of euros. Levies per resource use dynamic names
# `levy.<resource>.rate_bp` / `levy.<resource>.per_unit_cents`, where <resource> is the key the
# resources app gives a resource; `levy.default.*` applies to resources without their own line.

VOTERS = ("approvers", "members", "title_holders")
METHODS = ("majority", "qualified", "unanimity", "consent")
WEIGHTINGS = ("per_member", "titles")
ENTRY_RULES = ("open", "approval")
PERSON_VISIBILITY = ("with_consent", "hidden")
LEVY_DESTINATIONS = ("result", "reserves")
# 1068 Autres réserves, 1063 Réserves statutaires ou contractuelles (PCG 106x).
LEVY_RESERVE_ACCOUNTS = ("1068", "1063")
# How a commons carries titles it holds in other commons (issue 18, federation.domain):
# at cost less impairment, or at the host's NAV with the gap above cost in equity (1052).
PARTICIPATION_VALUATIONS = ("cost_impairment", "fair_value")

CHOICE_LABELS: dict[str, tuple[str, str]] = {
    "approvers": ("les validateurs", "approvers"),
    "members": ("tous les membres", "all members"),
    "title_holders": ("les détenteurs de titres", "title holders"),
    "majority": ("majorité des suffrages exprimés", "majority of votes cast"),
    "qualified": ("majorité qualifiée", "qualified majority"),
    "unanimity": ("unanimité des suffrages exprimés", "unanimity of votes cast"),
    "consent": ("consentement (adopté sauf objection)", "consent (passed unless an objection)"),
    "per_member": ("un membre, une voix", "one member, one vote"),
    "titles": ("pondéré par les titres détenus", "weighted by titles held"),
    "open": ("libre", "open"),
    "approval": ("sur décision des membres", "by approval"),
    "with_consent": ("nommées si elles y consentent", "named if they consent"),
    "hidden": ("jamais nommées", "never named"),
    "result": ("au résultat (produit 706)", "to the result (income 706)"),
    "reserves": ("aux réserves (compte 106x)", "to reserves (account 106x)"),
    "1068": ("1068 Autres réserves", "1068 Other reserves"),
    "1063": ("1063 Réserves statutaires", "1063 Statutory reserves"),
    "cost_impairment": (
        "au coût, dépréciés si la valeur de la part baisse",
        "at cost, impaired when the unit value falls",
    ),
    "fair_value": (
        "à la valeur de la part (écart de réévaluation en capitaux propres)",
        "at the unit value (revaluation gap in equity)",
    ),
}


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    type: str  # "int" | "choice" | "bool"
    default: Any
    label_fr: str
    label_en: str
    unit: str = ""  # "bp", "cents", "hours", "days" or ""
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


def _policy_specs(prefix: str, what_fr: str, what_en: str, defaults: dict) -> list[ParameterSpec]:
    return [
        ParameterSpec(
            f"{prefix}.voters",
            "choice",
            defaults["voters"],
            f"{what_fr} : qui vote",
            f"{what_en}: who votes",
            choices=VOTERS,
        ),
        ParameterSpec(
            f"{prefix}.method",
            "choice",
            defaults["method"],
            f"{what_fr} : mode de décision",
            f"{what_en}: decision method",
            choices=METHODS,
        ),
        ParameterSpec(
            f"{prefix}.threshold_bp",
            "int",
            defaults["threshold_bp"],
            f"{what_fr} : seuil de la majorité qualifiée",
            f"{what_en}: qualified majority threshold",
            "bp",
            5000,
            10000,
        ),
        ParameterSpec(
            f"{prefix}.weighting",
            "choice",
            defaults["weighting"],
            f"{what_fr} : poids des voix",
            f"{what_en}: weight of votes",
            choices=WEIGHTINGS,
        ),
        ParameterSpec(
            f"{prefix}.quorum_bp",
            "int",
            defaults["quorum_bp"],
            f"{what_fr} : quorum (participation minimale)",
            f"{what_en}: quorum (minimum turnout)",
            "bp",
            0,
            10000,
        ),
        ParameterSpec(
            f"{prefix}.duration_hours",
            "int",
            defaults["duration_hours"],
            f"{what_fr} : durée du vote",
            f"{what_en}: voting period",
            "hours",
            1,
            24 * 90,
        ),
    ]


PARAMETERS: tuple[ParameterSpec, ...] = (
    *_policy_specs(
        "contributions",
        "Validation des apports",
        "Validating contributions",
        {
            "voters": "approvers",
            "method": "majority",
            "threshold_bp": 6667,
            "weighting": "per_member",
            "quorum_bp": 3000,
            "duration_hours": 168,
        },
    ),
    *_policy_specs(
        "decisions",
        "Autres décisions",
        "Other decisions",
        {
            "voters": "members",
            "method": "majority",
            "threshold_bp": 6667,
            "weighting": "per_member",
            "quorum_bp": 5000,
            "duration_hours": 168,
        },
    ),
    ParameterSpec(
        "initial_unit_value_cents",
        "int",
        1000,
        "Valeur initiale d'une part",
        "Initial unit value of a title",
        "cents",
        1,
        100_000_000,
    ),
    ParameterSpec(
        "transfer_tax_bp",
        "int",
        100,
        "Taxe sur les cessions de titres",
        "Tax on title transfers",
        "bp",
        0,
        5000,
    ),
    ParameterSpec(
        "levy.default.rate_bp",
        "int",
        0,
        "Redevance d'usage commercial (part du prix de vente)",
        "Commercial usage levy (share of the sale amount)",
        "bp",
        0,
        10000,
    ),
    ParameterSpec(
        "levy.default.per_unit_cents",
        "int",
        0,
        "Redevance d'usage par unité utilisée",
        "Usage levy per unit used",
        "cents",
        0,
        100_000_000,
    ),
    # Where a usage levy goes (issue 15): "result" books it as income (706), which raises the
    # year's result; "reserves" credits a reserve account (106x) straight away, which raises the
    # net assets, and the value of a title, by exactly the levy, outside the year's result.
    ParameterSpec(
        "levies.destination",
        "choice",
        "result",
        "Destination des redevances d'usage",
        "Where usage levies go",
        choices=LEVY_DESTINATIONS,
    ),
    ParameterSpec(
        "levies.reserve_account",
        "choice",
        "1068",
        "Compte de réserve des redevances (si elles vont aux réserves)",
        "Reserve account of levies (when they go to reserves)",
        choices=LEVY_RESERVE_ACCOUNTS,
    ),
    ParameterSpec(
        "titles.transfer_members_only",
        "bool",
        True,
        "Cessions de titres réservées aux membres",
        "Title transfers to members only",
    ),
    ParameterSpec(
        "contributions.evidence_required",
        "bool",
        False,
        "Justificatif obligatoire pour chaque apport",
        "Evidence required for every contribution",
    ),
    ParameterSpec(
        "result.distribution_allowed",
        "bool",
        False,
        "Distribution du résultat aux membres",
        "Result distributed to members",
    ),
    ParameterSpec(
        "entry.rule", "choice", "approval", "Entrée des membres", "Joining", choices=ENTRY_RULES
    ),
    ParameterSpec(
        "exit.redemption_allowed",
        "bool",
        True,
        "Rachat des titres au départ",
        "Titles redeemed on leaving",
    ),
    ParameterSpec(
        "exit.notice_days", "int", 30, "Préavis de départ", "Notice period", "days", 0, 730
    ),
    ParameterSpec(
        "exit.haircut_bp",
        "int",
        0,
        "Décote sur la valeur des titres rachetés",
        "Haircut on the value of redeemed titles",
        "bp",
        0,
        10000,
    ),
    ParameterSpec(
        "decisions.young_commons_members",
        "int",
        2,
        "Autres décisions : seuil des jeunes communs (en dessous, tous les membres votent, "
        "l'auteur compris)",
        "Other decisions: young commons threshold (below it, every member votes, the author "
        "included)",
        "",
        0,
        100,
    ),
    ParameterSpec(
        "public_data.persons",
        "choice",
        "with_consent",
        "Personnes physiques dans les données publiques",
        "Natural persons in public data",
        choices=PERSON_VISIBILITY,
    ),
    ParameterSpec(
        "participations.valuation",
        "choice",
        "cost_impairment",
        "Évaluation des titres détenus dans d'autres communs",
        "Valuation of titles held in other commons",
        choices=PARTICIPATION_VALUATIONS,
    ),
)

SPECS: dict[str, ParameterSpec] = {spec.name: spec for spec in PARAMETERS}
RESOURCE_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
_LEVY_NAME = re.compile(r"^levy\.([^.]+)\.(rate_bp|per_unit_cents)$")
# A charter with thousands of per-resource lines is a mistake or an attack, not a rule set.
LEVY_LINES_MAX = 500


def levy_line_key(name: str) -> str | None:
    """The resource key a levy line names (`levy.<key>.rate_bp` -> key), else None."""
    match = _LEVY_NAME.match(name)
    return match.group(1) if match else None


def spec_for(name: str) -> ParameterSpec | None:
    """The spec of a parameter name, including the per-resource levy names."""
    if name in SPECS:
        return SPECS[name]
    match = _LEVY_NAME.match(name)
    if match is None or not RESOURCE_KEY.match(match.group(1)):
        return None
    base = SPECS[f"levy.default.{match.group(2)}"]
    resource = match.group(1)
    return ParameterSpec(
        name,
        base.type,
        None,
        f"{base.label_fr} ({resource})",
        f"{base.label_en} ({resource})",
        base.unit,
        base.minimum,
        base.maximum,
    )


def default_parameters() -> dict[str, Any]:
    return {spec.name: spec.default for spec in PARAMETERS}


def _check_value(spec: ParameterSpec, value: Any) -> str | None:
    """The error code for a bad value, or None."""
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return "invalid_value"
        if (spec.minimum is not None and value < spec.minimum) or (
            spec.maximum is not None and value > spec.maximum
        ):
            return "out_of_range"
    elif spec.type == "bool":
        if not isinstance(value, bool):
            return "invalid_value"
    elif value not in spec.choices:
        return "invalid_value"
    return None


def validate_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A complete, valid charter or an ApplicationError naming every bad parameter."""
    errors: dict[str, FieldError] = {}
    for name, value in parameters.items():
        spec = spec_for(name)
        if spec is None:
            errors[f"parameters.{name}"] = FieldError("unknown_parameter")
            continue
        code = _check_value(spec, value)
        if code:
            errors[f"parameters.{name}"] = FieldError(code, _range_text(spec))
    for spec in PARAMETERS:
        if spec.name not in parameters:
            errors[f"parameters.{spec.name}"] = FieldError("required")
    if len(parameters) - len(PARAMETERS) > 2 * LEVY_LINES_MAX:
        errors["parameters"] = FieldError("out_of_range", f"at most {LEVY_LINES_MAX} levy lines")
    if errors:
        first = next(iter(errors.values())).code
        raise ApplicationError(first if len(errors) == 1 else "validation_error", fields=errors)
    return dict(sorted(parameters.items()))


def _range_text(spec: ParameterSpec) -> str | None:
    if spec.type == "int":
        return f"{spec.minimum}..{spec.maximum} {spec.unit}".strip()
    if spec.type == "choice":
        return " | ".join(spec.choices)
    return None


def apply_changes(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The charter after an amendment; a None value removes a per-resource levy line."""
    if not changes:
        raise ApplicationError.on_field("payload.changes", "required")
    # A charter written before a parameter existed reads it at its default, and keeps it so.
    current = {**default_parameters(), **current}
    result = dict(current)
    for name, value in changes.items():
        if value is None:
            if name in SPECS:
                raise ApplicationError.on_field(f"parameters.{name}", "required")
            result.pop(name, None)
        else:
            result[name] = value
    validated = validate_parameters(result)
    if validated == dict(sorted(current.items())):
        raise ApplicationError.on_field("payload.changes", "no_change")
    return validated


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What changed between two charters, one line per parameter, in name order."""
    names = sorted(set(before) | set(after))
    return [
        {"name": name, "before": before.get(name), "after": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
    ]


def format_value_fr(spec: ParameterSpec, value: Any) -> str:
    """A parameter value as a French reader expects it: '1,5 %', '10,00 €', '7 jours'."""
    if value is None:
        return "—"
    if spec.type == "bool":
        return "oui" if value else "non"
    if spec.type == "choice":
        return CHOICE_LABELS.get(value, (value, value))[0]
    if spec.unit == "bp":
        percent = Decimal(value).scaleb(-2).normalize()
        text = f"{percent:f}".replace(".", ",")
        return f"{text}\u00a0%"
    if spec.unit == "cents":
        return Money(value).format_fr()
    if spec.unit == "hours":
        if value % 24 == 0:
            days = value // 24
            return f"{days} jour{'s' if days > 1 else ''}"
        return f"{value} heure{'s' if value > 1 else ''}"
    if spec.unit == "days":
        return f"{value} jour{'s' if value > 1 else ''}"
    return str(value)


def summary_fr(parameters: Mapping[str, Any]) -> list[str]:
    """The charter in plain French sentences, for the charter page."""

    def text(name: str) -> str:
        spec = spec_for(name)
        assert spec is not None
        # A resource's levy line may set one part only; the other is then zero.
        default = 0 if name.startswith("levy.") else None
        return format_value_fr(spec, parameters.get(name, default))

    lines = []
    for section, what in (
        ("contributions", "Les apports sont validés"),
        ("decisions", "Les autres décisions sont prises"),
    ):
        method = text(f"{section}.method")
        chosen = parameters[f"{section}.method"]
        if chosen == "qualified":
            method += f" de {text(f'{section}.threshold_bp')} des suffrages exprimés"
        article = {"consent": "par ", "unanimity": "à l'"}.get(chosen, "à la ")
        lines.append(
            f"{what} par {text(f'{section}.voters')}, {article}{method}, "
            f"{text(f'{section}.weighting')}, avec un quorum de {text(f'{section}.quorum_bp')} ; "
            f"le vote dure {text(f'{section}.duration_hours')}."
        )
    young = young_commons_threshold(parameters)
    if young > 1:
        lines.append(
            "L'auteur d'une proposition ne vote jamais sur celle-ci, sauf tant que le commun "
            f"compte moins de {young} membres\u00a0: tous les membres, l'auteur compris, votent "
            "alors les décisions sur le commun tout entier, une voix chacun."
        )
    else:
        lines.append("L'auteur d'une proposition ne vote jamais sur celle-ci.")
    lines.append(f"Une part vaut {text('initial_unit_value_cents')} avant toute émission.")
    lines.append(f"Chaque cession de titres paie une taxe de {text('transfer_tax_bp')} du prix.")
    lines.append(
        f"Un usage commercial d'une ressource paie {text('levy.default.rate_bp')} du prix de "
        f"vente et {text('levy.default.per_unit_cents')} par unité utilisée."
    )
    if parameters.get("levies.destination", "result") == "reserves":
        account = parameters.get("levies.reserve_account", "1068")
        lines.append(
            f"Les redevances d'usage vont directement aux réserves (compte {account}) : elles "
            "augmentent la valeur des titres sans passer par le résultat."
        )
    if parameters.get("participations.valuation", "cost_impairment") == "fair_value":
        lines.append(
            "Les titres détenus dans d'autres communs sont évalués à la valeur par titre du "
            "commun émetteur ; une hausse va en écart de réévaluation (compte 1052), jamais "
            "au résultat, une baisse sous le coût est dépréciée."
        )
    else:
        lines.append(
            "Les titres détenus dans d'autres communs restent à leur coût d'acquisition, "
            "dépréciés quand la valeur par titre du commun émetteur passe en dessous."
        )
    resources = sorted(
        {name.split(".")[1] for name in parameters if _LEVY_NAME.match(name)} - {"default"}
    )
    for resource in resources:
        lines.append(
            f"Pour la ressource « {resource} » : {text(f'levy.{resource}.rate_bp')} du prix de "
            f"vente et {text(f'levy.{resource}.per_unit_cents')} par unité."
        )
    if parameters.get("titles.transfer_members_only", True):
        lines.append("Les titres ne peuvent être cédés qu'à des membres du commun.")
    else:
        lines.append("Les titres peuvent être cédés à toute personne ou structure.")
    if parameters.get("contributions.evidence_required", False):
        lines.append("Chaque apport doit être accompagné d'un justificatif.")
    if parameters.get("result.distribution_allowed", False):
        lines.append(
            "Le résultat d'un exercice est affecté par décision des membres : réserves, report "
            "à nouveau ou distribution aux membres."
        )
    else:
        lines.append(
            "Le résultat d'un exercice est affecté par décision des membres, en réserves ou en "
            "report à nouveau : il n'est jamais distribué."
        )
    lines.append(f"L'entrée des membres est {text('entry.rule')}.")
    if parameters["exit.redemption_allowed"]:
        lines.append(
            f"Au départ, les titres sont rachetés après un préavis de {text('exit.notice_days')}, "
            f"avec une décote de {text('exit.haircut_bp')}."
        )
    else:
        lines.append("Au départ, les titres ne sont pas rachetés : ils restent cessibles.")
    lines.append(
        f"Dans les données publiques, les personnes physiques sont {text('public_data.persons')}."
    )
    return lines


# --- Economic rules read from a charter ---------------------------------------------------


def initial_unit_value(parameters: Mapping[str, Any]) -> Money:
    return Money(parameters["initial_unit_value_cents"])


# The arithmetic of rates is core's (core.rates), shared with titles, which books these amounts.
_share = rates.share


def transfer_tax(parameters: Mapping[str, Any], price: Money) -> Money:
    """The tax due on a title transfer at this price: rate × price, half to even to the cent
    (core.rates.transfer_tax, the rule titles books)."""
    return rates.transfer_tax(price, parameters["transfer_tax_bp"])


def usage_levy(
    parameters: Mapping[str, Any], resource: str, sale_amount: Money, quantity: Decimal | int
) -> Money:
    """Levy due on a use of a resource: its own line if the charter has one, else the default.

    Each part (share of the sale, amount per unit) is rounded half to even to the cent.
    """
    own = (
        f"levy.{resource}.rate_bp" in parameters or f"levy.{resource}.per_unit_cents" in parameters
    )
    key = resource if own else "default"
    rate = parameters.get(f"levy.{key}.rate_bp", 0)
    per_unit = parameters.get(f"levy.{key}.per_unit_cents", 0)
    per_unit_part = Money.from_decimal(Money(per_unit).to_decimal() * Decimal(quantity))
    return _share(sale_amount, rate) + per_unit_part


def exit_haircut(parameters: Mapping[str, Any], value: Money) -> Money:
    """What a leaving member gets for titles worth `value`, after the charter's haircut: rounded
    DOWN to the cent (core.rates.after_haircut, the rule titles books for redemptions)."""
    return rates.after_haircut(value, parameters["exit.haircut_bp"])


# --- Names outside the commons ---------------------------------------------------------------


def name_is_public(*, kind: str, consented: bool, persons_policy: str) -> bool:
    """Whether an agent's name may be shown to someone who is not a member of the commons.

    Organisations and commons: always. A natural person: only if they consented
    (`public_name_consent`) AND the charter's `public_data.persons` is "with_consent"; "hidden",
    a missing charter or an unknown value name nobody (the stricter reading).
    Members of the commons see every name; governance.selectors.PersonNames applies both.
    """
    if kind != "person":
        return True
    return bool(consented) and persons_policy == "with_consent"


# --- Proposals and policies ----------------------------------------------------------------

KINDS = (
    "validate_contribution",
    "amend_charter",
    "admit_member",
    "grant_role",
    "accept_financing",
    "approve_exchange",
    "free_motion",
    "allocate_result",
    "adopt_objective",
    "join_federation",
)
# Kinds a member may open from the API; the others are opened by their app's services.
# allocate_result's payload is checked by the ledger (see services.register_payload_check).
MEMBER_KINDS = ("amend_charter", "admit_member", "grant_role", "free_motion", "allocate_result")
STATUSES = ("draft", "open", "passed", "rejected", "expired", "withdrawn")
CLOSED_STATUSES = ("passed", "rejected", "expired", "withdrawn")
CHOICES = ("for", "against", "abstain", "object")


@dataclass(frozen=True)
class Policy:
    voters: str
    method: str
    threshold_bp: int
    weighting: str
    quorum_bp: int
    duration_hours: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "voters": self.voters,
            "method": self.method,
            "threshold_bp": self.threshold_bp,
            "weighting": self.weighting,
            "quorum_bp": self.quorum_bp,
            "duration_hours": self.duration_hours,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


def policy_section(kind: str) -> str:
    return "contributions" if kind == "validate_contribution" else "decisions"


def policy_for(parameters: Mapping[str, Any], kind: str) -> Policy:
    section = policy_section(kind)
    return Policy.from_dict(
        {name: parameters[f"{section}.{name}"] for name in Policy.__dataclass_fields__}
    )


# --- Who votes: the usual rule, and the young commons' ------------------------------------
#
# Usually the author of a proposal (their agents, and the co-authors another app names) never
# votes on it, and the charter's policy says who does. A brand-new commons has one member:
# excluding the author would leave nobody to decide its first amendment, and the vote could only
# expire. So, while a commons has fewer active members than `decisions.young_commons_members`
# (2 by default: the founder alone; 3 lets two founders both vote; 0 or 1 turns the rule off;
# with two members under the usual rule each decides the other's proposals), a proposal about the
# commons as a whole (the kinds members open: amend the charter, admit, grant a role, a motion,
# allocate the result) is decided by EVERY active member, the author included, one member one
# vote, under the charter's method, threshold, quorum and duration. The rule is checked when
# the vote opens, and the policy snapshot stored on the proposal (hashed into its decision)
# records it: `electorate_rule: "young_commons"`, the threshold and the members counted.
# Contributions, financings and exchanges keep the usual rule: nobody votes on their own item.

STANDARD_RULE = "standard"
YOUNG_COMMONS_RULE = "young_commons"
YOUNG_COMMONS_PARAMETER = "decisions.young_commons_members"
YOUNG_COMMONS_KINDS = MEMBER_KINDS


def young_commons_threshold(parameters: Mapping[str, Any]) -> int:
    """The charter's threshold; a charter written before the parameter existed has its default."""
    return int(parameters.get(YOUNG_COMMONS_PARAMETER, SPECS[YOUNG_COMMONS_PARAMETER].default))


def electorate_rule(parameters: Mapping[str, Any], kind: str, active_members: int) -> str:
    """`young_commons` when the rule above applies to this kind now, else `standard`."""
    if kind in YOUNG_COMMONS_KINDS and active_members < young_commons_threshold(parameters):
        return YOUNG_COMMONS_RULE
    return STANDARD_RULE


def policy_snapshot(parameters: Mapping[str, Any], kind: str, active_members: int) -> dict:
    """The policy a vote opens under, as stored on the proposal: the charter's, or, in a young
    commons, every member one vote each, with the rule, its threshold and the count recorded."""
    policy = policy_for(parameters, kind)
    if electorate_rule(parameters, kind, active_members) == STANDARD_RULE:
        return policy.as_dict()
    young = Policy.from_dict({**policy.as_dict(), "voters": "members", "weighting": "per_member"})
    return {
        **young.as_dict(),
        "electorate_rule": YOUNG_COMMONS_RULE,
        "young_commons_members": young_commons_threshold(parameters),
        "members_at_opening": active_members,
    }


def author_votes(policy: Mapping[str, Any] | None) -> bool:
    """Whether the author of a proposal opened under this policy snapshot may vote on it."""
    return bool(policy) and policy.get("electorate_rule") == YOUNG_COMMONS_RULE


# --- Tally ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The state of a vote: `status` is "open" until the result is settled."""

    status: str  # open | passed | rejected | expired
    final: bool
    early: bool
    weight_for: int
    weight_against: int
    weight_abstain: int
    weight_object: int
    eligible_weight: int
    participation_weight: int
    quorum_weight: int  # participation needed for the quorum
    quorum_reached: bool
    leaning: str  # passed | rejected | expired: the result if the vote ended now
    counts: dict[str, int] = field(default_factory=dict)  # ballots per choice, unweighted

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "final": self.final,
            "early": self.early,
            "weight_for": self.weight_for,
            "weight_against": self.weight_against,
            "weight_abstain": self.weight_abstain,
            "weight_object": self.weight_object,
            "eligible_weight": self.eligible_weight,
            "participation_weight": self.participation_weight,
            "quorum_weight": self.quorum_weight,
            "quorum_reached": self.quorum_reached,
            "leaning": self.leaning,
            "counts": dict(self.counts),
        }


def _quorum_reached(participation: int, eligible: int, quorum_bp: int) -> bool:
    # An empty electorate decides nothing: the vote expires, even under consent.
    # Integer arithmetic: participation / eligible >= quorum_bp / 10000, exactly.
    return eligible > 0 and participation * 10000 >= quorum_bp * eligible


def quorum_weight(eligible: int, quorum_bp: int) -> int:
    """Smallest participation that reaches the quorum (ceiling division)."""
    return -(-quorum_bp * eligible // 10000)


def _approves(policy: Policy, w_for: int, w_against: int, w_object: int) -> bool:
    """Whether the cast ballots carry the proposal, quorum aside.

    Abstentions never count. An objection counts as a vote against except under consent, where
    it is the only thing that stops a proposal (a plain "against" there is a recorded
    disagreement that does not block).
    """
    opposed = w_against + w_object
    if policy.method == "majority":
        return w_for > opposed
    if policy.method == "qualified":
        return w_for > 0 and w_for * 10000 >= policy.threshold_bp * (w_for + opposed)
    if policy.method == "unanimity":
        return w_for > 0 and opposed == 0
    if policy.method == "consent":
        return w_object == 0
    raise ValueError(f"unknown method {policy.method!r}")


def _result(policy: Policy, eligible: int, w: Mapping[str, int]) -> str:
    participation = sum(w.values())
    if not _quorum_reached(participation, eligible, policy.quorum_bp):
        return "expired"
    if _approves(policy, w["for"], w["against"], w["object"]):
        return "passed"
    return "rejected"


def effective_weights(policy: Policy, eligible_weights: Mapping[int, int]) -> dict[int, int]:
    """Each eligible voter's weight under the policy: 1 each, or the titles they hold."""
    if policy.weighting == "per_member":
        return {voter: 1 for voter, weight in eligible_weights.items() if weight > 0}
    return {voter: weight for voter, weight in eligible_weights.items() if weight > 0}


def tally(
    policy: Policy,
    ballots: Mapping[int, str],
    eligible_weights: Mapping[int, int],
    now: dt.datetime,
    deadline: dt.datetime,
) -> Outcome:
    """The result of a vote from the effective ballots (voter → choice) and the electorate.

    At or after the deadline the result is final: `expired` if the quorum is not reached, else
    `passed` or `rejected` by the method. Before it, the vote closes early when no way the
    voters who have not voted yet could vote (or not vote) changes the result; ballots already
    cast count as they stand (closing ends the chance to change them). Ballots of voters
    outside the electorate are ignored.
    """
    weights = effective_weights(policy, eligible_weights)
    eligible = sum(weights.values())
    w = dict.fromkeys(CHOICES, 0)
    counts = dict.fromkeys(CHOICES, 0)
    for voter, choice in ballots.items():
        if voter in weights:
            w[choice] += weights[voter]
            counts[choice] += 1
    participation = sum(w.values())
    remaining = eligible - participation
    leaning = _result(policy, eligible, w)
    status = "open"
    early = False
    if now >= deadline:
        status = leaning
    else:
        reachable = _reachable(policy, eligible, w, remaining)
        if len(reachable) == 1:
            status = next(iter(reachable))
            early = True
    return Outcome(
        status=status,
        final=status != "open",
        early=early,
        weight_for=w["for"],
        weight_against=w["against"],
        weight_abstain=w["abstain"],
        weight_object=w["object"],
        eligible_weight=eligible,
        participation_weight=participation,
        quorum_weight=quorum_weight(eligible, policy.quorum_bp),
        quorum_reached=_quorum_reached(participation, eligible, policy.quorum_bp),
        leaning=leaning,
        counts=counts,
    )


def _reachable(policy: Policy, eligible: int, w: Mapping[str, int], remaining: int) -> set[str]:
    """Results some completion of the missing ballots can still give.

    Three completions are enough: nobody else votes (the least turnout), everybody else votes
    for (the most favourable), everybody else votes against or objects (the least favourable).
    Every rule is monotone in those directions, which the property test checks against a
    brute force over all completions.
    """
    reachable = {_result(policy, eligible, w)}
    if remaining:
        all_for = {**w, "for": w["for"] + remaining}
        reachable.add(_result(policy, eligible, all_for))
        worst = "object" if policy.method == "consent" else "against"
        all_against = {**w, worst: w[worst] + remaining}
        reachable.add(_result(policy, eligible, all_against))
    return reachable


# --- Decision log --------------------------------------------------------------------------

# The canonical JSON and the genesis hash are core's, shared with the books (core.hashing).


def decision_hash(previous_hash: str, content: Mapping[str, Any]) -> str:
    """sha256 over the previous hash and the canonical JSON of the decision's content."""
    return hashlib.sha256(f"{previous_hash}\n{canonical_json(content)}".encode()).hexdigest()


def ballots_digest(ballots: Iterable[tuple[int, str, int]]) -> str:
    """A fingerprint of the effective ballots (voter, choice, weight) a decision was taken on."""
    rows = sorted([voter, choice, weight] for voter, choice, weight in ballots)
    return hashlib.sha256(canonical_json(rows).encode()).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    sequence: int
    previous_hash: str
    hash: str
    content: Mapping[str, Any]


def chain_problems(links: Iterable[ChainLink], head: tuple[int, str] | None) -> list[str]:
    """Every break in a decision chain: gaps, wrong links, altered content, a cut tail."""
    problems: list[str] = []
    previous = GENESIS_HASH
    expected = 1
    for link in links:
        if link.sequence != expected:
            problems.append(f"decision #{link.sequence}: expected sequence {expected}")
        if link.previous_hash != previous:
            problems.append(f"decision #{link.sequence}: previous hash does not match")
        if decision_hash(link.previous_hash, link.content) != link.hash:
            problems.append(f"decision #{link.sequence}: content does not match its hash")
        previous = link.hash
        expected = link.sequence + 1
    if head is not None and head != (expected - 1, previous):
        problems.append(
            f"log head says {head[0]} decisions ending {head[1][:12]}, "
            f"found {expected - 1} ending {previous[:12]}"
        )
    return problems
