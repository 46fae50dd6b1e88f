"""The SEP contract as pure text: sections from plain facts, its canonical form, hash and avenant.

A contract version is generated from `facts`, a JSON-able mapping the services gather (the
commons, the charter in force, its members, their validated contributions and titles):

    {"commons": {"name", "slug", "purpose", "location", "founded_on"},
     "charter": {"number", "parameters"},
     "parties": [{"agent_id", "name", "kind", "siren", "roles", "joined_on"}],
     "contributions": [{"agent_id", "name", "kind", "title", "value_cents", "decided_on"}],
     "titles": {"class_name", "holdings": [{"agent_id", "name", "units"}]}}

`contract_sections(facts, lang)` gives the sections ({key, title, paragraphs}) in French (the
binding text) or English (a rendering). The canonical text of a version is its French sections
written by `canonical_text`; its SHA-256 is what members accept. The avenant between two versions
is `changes(before, after)`: each section whose paragraphs differ, with both.

Titles are non-negotiable partnership rights (parts d'intérêt): an SEP may neither offer its
rights to the public nor issue negotiable securities (art. 1841, applied by art. 1871).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from federage.core.money import Money
from federage.governance import domain as governance_domain

# Bumped whenever the wording below changes: a stored version keeps the template it was written
# with, and a new version is written under the new one.
TEMPLATE_VERSION = "sep-fr-2026.1"
LANGUAGES = ("fr", "en")
# The licence the open-data package publishes the books under (opendata.domain.LICENSE, which this
# layer may not import; a test holds the two equal).
OPEN_DATA_LICENCE = ("ODbL-1.0", "Open Data Commons Open Database License v1.0")

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
KIND_LABELS = {
    "person": ("personne physique", "natural person"),
    "association": ("association", "association"),
    "company": ("société", "company"),
    "cooperative": ("coopérative", "cooperative"),
    "public_body": ("personne publique", "public body"),
    "commons": ("commun", "commons"),
}
CONTRIBUTION_KINDS = {
    "cash": ("en numéraire", "in cash"),
    "in_kind": ("en nature", "in kind"),
    "labour": ("en industrie (travail)", "in labour (industry)"),
}
ROLE_LABELS = {
    "steward": ("gérant (intendant)", "manager (steward)"),
    "contributor": ("contributeur", "contributor"),
    "approver": ("validateur", "approver"),
    "funder": ("financeur", "funder"),
    "verifier": ("vérificateur", "verifier"),
    "observer": ("observateur", "observer"),
}
SECTION_TITLES = {
    "parties": ("Parties", "Parties"),
    "form": ("Forme, dénomination et objet", "Form, name and purpose"),
    "duration": ("Durée", "Duration"),
    "contributions": ("Apports", "Contributions"),
    "titles": ("Parts d'intérêt : émission et valeur", "Partnership rights: issue and value"),
    "results": ("Résultats, réserves et pertes", "Results, reserves and losses"),
    "decisions": ("Décisions collectives", "Collective decisions"),
    "entry_exit": ("Entrée et sortie des associés", "Partners joining and leaving"),
    "transfers": ("Cession des parts et taxe de cession", "Transfer of rights and transfer tax"),
    "levies": ("Redevances d'usage", "Usage levies"),
    "management": ("Gérance", "Management"),
    "books": ("Comptes et données ouvertes", "Books and open data"),
    "versions": ("Versions, avenants et acceptation", "Versions, amendments and acceptance"),
    "disputes": ("Règlement des litiges", "Dispute resolution"),
}
SECTION_ORDER = tuple(SECTION_TITLES)
CONTRACT_TITLE = ("Contrat de société en participation", "Contract of société en participation")


# --- Formatting ------------------------------------------------------------------------------


def date_text(iso: str, lang: str) -> str:
    """'2 mars 2026' / '2 March 2026' from an ISO date."""
    day = dt.date.fromisoformat(iso)
    if lang == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {MONTHS_FR[day.month - 1]} {day.year}"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def money_text(cents: int, lang: str) -> str:
    money = Money(cents)
    if lang == "fr":
        return money.format_fr()
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€{euros:,}.{rest:02d}"


def units_text(units: str | Decimal, lang: str) -> str:
    """Units without trailing zeros: '12,5' / '12.5'."""
    value = Decimal(units).normalize()
    text = f"{value:f}"
    return text.replace(".", ",") if lang == "fr" else text


def siren_text(siren: str) -> str:
    return f"{siren[:3]} {siren[3:6]} {siren[6:]}" if len(siren) == 9 else siren


def _value_en(spec: governance_domain.ParameterSpec, value: Any) -> str:
    if value is None:
        return "—"
    if spec.type == "bool":
        return "yes" if value else "no"
    if spec.type == "choice":
        return governance_domain.CHOICE_LABELS.get(value, (value, value))[1]
    if spec.unit == "bp":
        return f"{Decimal(value).scaleb(-2).normalize():f} %"
    if spec.unit == "cents":
        return money_text(value, "en")
    if spec.unit == "hours":
        if value % 24 == 0:
            days = value // 24
            return f"{days} day{'s' if days > 1 else ''}"
        return f"{value} hour{'s' if value > 1 else ''}"
    if spec.unit == "days":
        return f"{value} day{'s' if value > 1 else ''}"
    return str(value)


def _rule(parameters: Mapping[str, Any], name: str, lang: str) -> str:
    """A parameter's value in words; a resource's levy line may set one part only (zero)."""
    spec = governance_domain.spec_for(name)
    assert spec is not None, name
    default = 0 if name.startswith("levy.") else spec.default
    value = parameters.get(name, default)
    if lang == "fr":
        return governance_domain.format_value_fr(spec, value)
    return _value_en(spec, value)


# --- The charter in words, per section -------------------------------------------------------

# Which section of the contract each sentence of governance.domain.summary_fr belongs to, by its
# first words; a sentence no prefix claims (a rule added to the charter later) goes to the
# decisions section, so every rule of the charter appears in the contract.
SUMMARY_SECTIONS = (
    ("Les apports sont validés", "contributions"),
    ("Chaque apport doit", "contributions"),
    ("Une part vaut", "titles"),
    ("Chaque cession", "transfers"),
    ("Les titres ne peuvent", "transfers"),
    ("Les titres peuvent", "transfers"),
    ("Un usage commercial", "levies"),
    ("Pour la ressource", "levies"),
    ("Les redevances", "levies"),
    ("Le résultat", "results"),
    ("L'entrée", "entry_exit"),
    ("Au départ", "entry_exit"),
    ("Dans les données publiques", "books"),
    ("Les titres détenus", "books"),
)


def charter_words_fr(parameters: Mapping[str, Any]) -> dict[str, list[str]]:
    """governance.domain.summary_fr's sentences, grouped by the contract's sections."""
    grouped: dict[str, list[str]] = {}
    for line in governance_domain.summary_fr(parameters):
        key = next(
            (section for prefix, section in SUMMARY_SECTIONS if line.startswith(prefix)),
            "decisions",
        )
        grouped.setdefault(key, []).append(line)
    return grouped


def _policy_en(parameters: Mapping[str, Any], section: str, what: str) -> str:
    def rule(name: str) -> str:
        return _rule(parameters, f"{section}.{name}", "en")

    method = rule("method")
    if parameters.get(f"{section}.method") == "qualified":
        method += f" of {rule('threshold_bp')} of votes cast"
    return (
        f"{what} by {rule('voters')}, by {method}, {rule('weighting')}, with a quorum of "
        f"{rule('quorum_bp')}; the vote lasts {rule('duration_hours')}."
    )


# Parameters the English sentences below speak of; any other goes to "other rules".
_EN_COVERED_PREFIXES = ("contributions.", "decisions.", "levy.", "levies.")
_EN_COVERED = {
    "initial_unit_value_cents",
    "transfer_tax_bp",
    "titles.transfer_members_only",
    "result.distribution_allowed",
    "entry.rule",
    "exit.redemption_allowed",
    "exit.notice_days",
    "exit.haircut_bp",
    "public_data.persons",
    "participations.valuation",
}


def charter_words_en(parameters: Mapping[str, Any]) -> dict[str, list[str]]:
    """The same rules in English, grouped the same way."""
    p = parameters

    def rule(name: str) -> str:
        return _rule(p, name, "en")

    words: dict[str, list[str]] = {
        "contributions": [_policy_en(p, "contributions", "Contributions are validated")],
        "decisions": [_policy_en(p, "decisions", "Other decisions are taken")],
        "titles": [f"A title is worth {rule('initial_unit_value_cents')} before any issue."],
        "transfers": [
            f"Every transfer of titles pays a tax of {rule('transfer_tax_bp')} of the price."
        ],
        "levies": [
            f"A commercial use of a resource pays {rule('levy.default.rate_bp')} of the sale "
            f"amount and {rule('levy.default.per_unit_cents')} per unit used."
        ],
        "entry_exit": [f"Joining is {rule('entry.rule')}."],
        "books": [
            f"In public data, natural persons are {rule('public_data.persons')}.",
            "Titles held in other commons are carried at the issuing commons' value per title, "
            "a rise going to a revaluation surplus (account 1052), never to the result, and a "
            "fall below cost being impaired."
            if p.get("participations.valuation", "cost_impairment") == "fair_value"
            else "Titles held in other commons stay at their cost, impaired when the issuing "
            "commons' value per title falls below it.",
        ],
    }
    young = governance_domain.young_commons_threshold(p)
    if young > 1:
        words["decisions"].append(
            "The author of a proposal never votes on it, except while the commons has fewer "
            f"than {young} members: every member, the author included, then decides matters of "
            "the whole commons, one vote each."
        )
    else:
        words["decisions"].append("The author of a proposal never votes on it.")
    if p.get("contributions.evidence_required", False):
        words["contributions"].append("Every contribution must come with evidence.")
    if p.get("levies.destination", "result") == "reserves":
        words["levies"].append(
            "Usage levies go straight to reserves (account "
            f"{p.get('levies.reserve_account', '1068')}): they raise the value of titles "
            "without passing through the result."
        )
    resources = sorted({name.split(".")[1] for name in p if name.startswith("levy.")} - {"default"})
    for resource in resources:
        words["levies"].append(
            f"For the resource “{resource}”: {rule(f'levy.{resource}.rate_bp')} of the sale "
            f"amount and {rule(f'levy.{resource}.per_unit_cents')} per unit."
        )
    if p.get("titles.transfer_members_only", True):
        words["transfers"].append("Titles may be transferred to members of the commons only.")
    else:
        words["transfers"].append("Titles may be transferred to any person or organisation.")
    if p.get("result.distribution_allowed", False):
        words["results"] = [
            "A year's result is allocated by the members' decision: reserves, carried forward "
            "or distributed to members."
        ]
    else:
        words["results"] = [
            "A year's result is allocated by the members' decision, to reserves or carried "
            "forward: it is never distributed."
        ]
    if p.get("exit.redemption_allowed", True):
        words["entry_exit"].append(
            f"On leaving, titles are bought back after a notice of {rule('exit.notice_days')}, "
            f"with a haircut of {rule('exit.haircut_bp')}."
        )
    else:
        words["entry_exit"].append(
            "On leaving, titles are not bought back: they remain transferable."
        )
    others = [
        name
        for name in sorted(p)
        if name not in _EN_COVERED and not name.startswith(_EN_COVERED_PREFIXES)
    ]
    for name in others:
        spec = governance_domain.spec_for(name)
        if spec is not None:
            words["decisions"].append(f"{spec.label_en}: {_rule(p, name, 'en')}.")
    return words


# --- The contract ------------------------------------------------------------------------------


def _party_names(facts: Mapping[str, Any], hidden: Mapping[int, str]) -> dict[int, str]:
    return {
        party["agent_id"]: hidden.get(party["agent_id"], party["name"])
        for party in facts["parties"]
    }


def transfer_rule(parameters: Mapping[str, Any], lang: str) -> list[str]:
    """The approval rule of transfers, the one titles.services.transfer_propose/accept apply:
    the seller proposes in the register, the buyer accepts, nobody else approves; with
    `titles.transfer_members_only` (default) the buyer must already be a partner, admitted by
    the entry rule, which stands for the approval of art. 1861."""
    members_only = parameters.get("titles.transfer_members_only", True)
    if lang == "fr":
        common = (
            "Une cession est proposée par le cédant dans le registre des parts, au prix qu'il "
            "fixe, et devient effective lorsque le cessionnaire l'accepte ; elle n'est opposable "
            "aux associés et aux tiers qu'une fois inscrite au registre (art. 1865)."
        )
        if members_only:
            return [
                "Par dérogation à l'article 1861 du Code civil, les parts d'intérêt se cèdent "
                "librement entre associés, sans autre agrément. Elles ne peuvent être cédées à "
                "une personne qui n'est pas associée : le cessionnaire doit d'abord être admis "
                "comme associé selon la règle d'entrée du présent contrat, cette admission "
                "valant agrément.",
                common,
            ]
        return [
            "Par dérogation à l'article 1861 du Code civil, les parts d'intérêt se cèdent "
            "librement à toute personne ou structure, associée ou non, sans agrément des autres "
            "associés ; le cessionnaire non associé devient associé par l'inscription de la "
            "cession.",
            common,
        ]
    common = (
        "A transfer is proposed by the seller in the register of rights, at the price they set, "
        "and takes effect when the buyer accepts it; it binds the partners and third parties "
        "once entered in the register (art. 1865)."
    )
    if members_only:
        return [
            "By derogation from article 1861 of the Civil Code, partnership rights are freely "
            "transferred between partners, with no other approval. They may not be transferred "
            "to anyone who is not a partner: the buyer must first be admitted as a partner under "
            "this contract's entry rule, the admission standing for approval.",
            common,
        ]
    return [
        "By derogation from article 1861 of the Civil Code, partnership rights are freely "
        "transferred to any person or organisation, partner or not, with no approval of the "
        "other partners; a buyer who is not a partner becomes one when the transfer is entered.",
        common,
    ]


def contract_sections(
    facts: Mapping[str, Any], lang: str = "fr", hidden: Mapping[int, str] | None = None
) -> list[dict[str, Any]]:
    """The contract's sections in `lang`; `hidden` replaces the names of those agents (a reader
    who may not see them, per the charter's public_data.persons rule)."""
    assert lang in LANGUAGES, lang
    fr = lang == "fr"
    hidden = hidden or {}
    parameters = facts["charter"]["parameters"]
    words = charter_words_fr(parameters) if fr else charter_words_en(parameters)
    names = _party_names(facts, hidden)
    commons = facts["commons"]
    sections: dict[str, list[str]] = {}

    def pick(fr_text: str, en_text: str) -> str:
        return fr_text if fr else en_text

    # Parties.
    parties = [
        pick(
            "Le présent contrat lie les associés suivants, membres du commun :",
            "This contract binds the following partners, members of the commons:",
        )
    ]
    for party in facts["parties"]:
        kind = KIND_LABELS.get(party["kind"], (party["kind"], party["kind"]))[0 if fr else 1]
        line = f"{names[party['agent_id']]}, {kind}"
        if party.get("siren") and party["agent_id"] not in hidden:
            line += f", SIREN {siren_text(party['siren'])}"
        roles = ", ".join(
            ROLE_LABELS.get(role, (role, role))[0 if fr else 1] for role in party["roles"]
        )
        since = date_text(party["joined_on"], lang)
        line += pick(f" ; associé depuis le {since}", f"; partner since {since}")
        if roles:
            line += pick(f" ; rôles : {roles}", f"; roles: {roles}")
        parties.append(line + ".")
    sections["parties"] = parties

    # Form and purpose.
    name = commons["name"]
    form = [
        pick(
            f"Les associés constituent entre eux une société en participation, régie par les "
            f"articles 1871 à 1873 du Code civil et par le présent contrat, dénommée « {name} ». "
            "Elle n'est pas immatriculée et n'a pas la personnalité morale ; elle est occulte : "
            "chaque associé contracte avec les tiers en son nom personnel et est seul engagé "
            "envers eux (art. 1872-1).",
            f"The partners form between them a société en participation (undisclosed "
            f"partnership), governed by articles 1871 to 1873 of the French Civil Code and by "
            f"this contract, named “{name}”. It is not registered and has no legal personality; "
            "it is undisclosed: each partner deals with third parties in their own name and alone "
            "is bound towards them (art. 1872-1).",
        )
    ]
    if commons.get("purpose"):
        form.append(pick(f"Objet : {commons['purpose']}", f"Purpose: {commons['purpose']}"))
    if commons.get("location"):
        form.append(pick(f"Lieu : {commons['location']}.", f"Place: {commons['location']}."))
    sections["form"] = form

    # Duration.
    start = date_text(commons["founded_on"], lang)
    sections["duration"] = [
        pick(
            f"La société prend effet le {start} pour une durée indéterminée. Elle prend fin par "
            "une notification adressée par un associé à tous les autres, de bonne foi et non à "
            "contretemps (art. 1872-2), ou par décision collective ; les biens indivis ne sont "
            "partagés qu'à sa dissolution.",
            f"The partnership takes effect on {start} for an unlimited duration. It ends by a "
            "notice from a partner to all the others, given in good faith and not at an untimely "
            "moment (art. 1872-2), or by a collective decision; undivided goods are only "
            "partitioned at its dissolution.",
        )
    ]

    # Contributions.
    contributions = [
        pick(
            "Chaque associé met ses apports à la disposition de la société ; il reste "
            "propriétaire à l'égard des tiers de ce qu'il met à disposition, sauf convention "
            "d'indivision (art. 1872). Les apports sont en numéraire, en nature ou en industrie "
            "(travail) ; chacun est évalué et validé par les associés selon la règle suivante :",
            "Each partner makes their contributions available to the partnership; towards third "
            "parties they remain owner of what they make available, unless agreed undivided "
            "(art. 1872). Contributions are in cash, in kind or in labour (industry); each is "
            "valued and validated by the partners under the following rule:",
        ),
        *words.get("contributions", []),
    ]
    by_agent: dict[int, list[Mapping[str, Any]]] = {}
    for item in facts["contributions"]:
        by_agent.setdefault(item["agent_id"], []).append(item)
    if not facts["contributions"]:
        contributions.append(
            pick(
                "À la date de la présente version, aucun apport n'a encore été validé.",
                "At the date of this version, no contribution has been validated yet.",
            )
        )
    else:
        contributions.append(
            pick(
                "Apports validés à la date de la présente version, par associé :",
                "Contributions validated at the date of this version, per partner:",
            )
        )
    total = 0
    for agent_id, items in by_agent.items():
        per_kind: dict[str, int] = {}
        for item in items:
            per_kind[item["kind"]] = per_kind.get(item["kind"], 0) + item["value_cents"]
        subtotal = sum(per_kind.values())
        total += subtotal
        kinds = pick(" ; ", "; ").join(
            f"{CONTRIBUTION_KINDS[kind][0 if fr else 1]} {money_text(per_kind[kind], lang)}"
            for kind in ("cash", "in_kind", "labour")
            if kind in per_kind
        )
        who = hidden.get(agent_id, items[0]["name"])
        contributions.append(
            f"{who} : {kinds} ; total {money_text(subtotal, lang)}."
            if fr
            else f"{who}: {kinds}; total {money_text(subtotal, lang)}."
        )
        for item in items:
            kind = CONTRIBUTION_KINDS[item["kind"]][0 if fr else 1]
            when = date_text(item["decided_on"], lang)
            contributions.append(
                pick(
                    f"— « {item['title']} », apport {kind}, valeur validée "
                    f"{money_text(item['value_cents'], lang)}, le {when}.",
                    f"— “{item['title']}”, contribution {kind}, validated value "
                    f"{money_text(item['value_cents'], lang)}, on {when}.",
                )
            )
    if facts["contributions"]:
        contributions.append(
            pick(
                f"Total des apports validés : {money_text(total, lang)}.",
                f"Total of validated contributions: {money_text(total, lang)}.",
            )
        )
    contributions.append(
        pick(
            "Les apports validés après la présente version figurent au registre des apports et "
            "dans la version suivante du contrat.",
            "Contributions validated after this version appear in the register of contributions "
            "and in the next version of the contract.",
        )
    )
    sections["contributions"] = contributions

    # Titles.
    class_name = facts["titles"]["class_name"]
    titles = [
        pick(
            f"Chaque apport validé est rémunéré par des parts d'intérêt de la classe "
            f"« {class_name} ». Ce sont des droits d'associé non négociables (art. 1841, rendu "
            "applicable par l'art. 1871) : elles ne sont représentées par aucun titre négociable, "
            "ne font l'objet d'aucune offre au public et n'existent que par leur inscription au "
            "registre des parts tenu dans l'application.",
            f"Each validated contribution is paid in partnership rights (parts d'intérêt) of the "
            f"class “{class_name}”. They are non-negotiable partnership rights (art. 1841, applied "
            "by art. 1871): no negotiable security represents them, they are never offered to "
            "the public, and they exist only through their entry in the register of rights kept "
            "in the application.",
        ),
        pick(
            "Les parts sont émises au prix de leur valeur liquidative : actif net des comptes de "
            "la société divisé par le nombre de parts en circulation, juste avant l'écriture de "
            "l'apport ; le nombre de parts émises est arrondi vers le bas au dix-millième, le "
            "reste demeurant acquis à la société, de sorte qu'aucun associé n'est dilué.",
            "Rights are issued at their net asset value: the partnership's net assets in its books "
            "divided by the rights outstanding, just before the contribution is booked; the number "
            "issued is rounded down to the ten-thousandth, the remainder staying with the "
            "partnership, so that no partner is diluted.",
        ),
        *words.get("titles", []),
    ]
    held = [
        (hidden.get(row["agent_id"], row["name"]), row["units"])
        for row in facts["titles"]["holdings"]
        if Decimal(row["units"]) > 0
    ]
    if held:
        titles.append(
            pick(
                "Parts détenues à la date de la présente version :",
                "Rights held at the date of this version:",
            )
        )
        for who, units in held:
            titles.append(
                pick(
                    f"{who} : {units_text(units, 'fr')} parts.",
                    f"{who}: {units_text(units, 'en')} rights.",
                )
            )
    sections["titles"] = titles

    # Results.
    sections["results"] = [
        *words.get("results", []),
        pick(
            "Les parts donnent droit au résultat et à l'actif en proportion de leur nombre. Chaque "
            "associé contribue aux pertes (art. 1832) ; aucune clause ne peut attribuer à un "
            "associé la totalité du profit ni l'exonérer de toute perte (art. 1844-1).",
            "Rights entitle their holders to results and assets in proportion to their number. "
            "Every partner bears losses (art. 1832); no clause may give a partner the whole "
            "profit or exempt them from all losses (art. 1844-1).",
        ),
        pick(
            "La société dépose sa déclaration de résultats ; la part de résultat de chaque "
            "associé est imposée à son nom selon son régime (CGI art. 8 et 206-4), sauf option de "
            "la société pour l'impôt sur les sociétés.",
            "The partnership files its tax return; each partner's share of the result is taxed in "
            "their name under their own regime (French tax code art. 8 and 206-4), unless the "
            "partnership opts for corporate tax.",
        ),
    ]

    # Decisions.
    sections["decisions"] = [
        pick(
            "Tout associé prend part aux décisions collectives (art. 1844). Elles sont prises "
            "selon la charte du commun en vigueur :",
            "Every partner takes part in collective decisions (art. 1844). They are taken under "
            "the commons' charter in force:",
        ),
        *words.get("decisions", []),
        pick(
            "Les décisions, leurs votes et les versions de la charte sont enregistrés dans le "
            "registre des décisions, chaîné par empreintes. La charte se modifie par décision "
            "collective selon la règle des autres décisions ; aucune modification ne peut "
            "augmenter les engagements d'un associé sans son consentement (art. 1836).",
            "Decisions, their votes and the charter's versions are recorded in the decision log, "
            "chained by hashes. The charter is amended by a collective decision under the rule of "
            "other decisions; no amendment may increase a partner's commitments without their "
            "consent (art. 1836).",
        ),
    ]

    # Entry and exit.
    sections["entry_exit"] = [
        *words.get("entry_exit", []),
        pick(
            "Un associé peut se retirer par une notification dans l'application ; ses parts lui "
            "sont alors rachetées à leur valeur selon la règle ci-dessus, ou restent cessibles "
            "(art. 1869). Le retrait ne le libère pas des engagements nés avant lui.",
            "A partner may withdraw by a notice in the application; their rights are then bought "
            "back at their value under the rule above, or remain transferable (art. 1869). "
            "Withdrawing does not release them from commitments made before.",
        ),
    ]

    # Transfers.
    sections["transfers"] = [
        *transfer_rule(parameters, lang),
        *words.get("transfers", []),
        pick(
            "La taxe de cession est due à la société par le cessionnaire ; elle est calculée sur "
            "le prix convenu et arrondie au centime (au pair le plus proche).",
            "The transfer tax is owed to the partnership by the buyer; it is computed on the "
            "agreed price and rounded to the cent (half to even).",
        ),
    ]

    # Levies.
    sections["levies"] = [
        pick(
            "L'usage commercial des ressources mises en commun donne lieu aux redevances "
            "suivantes, dues à la société :",
            "Commercial use of the pooled resources gives rise to the following levies, owed to "
            "the partnership:",
        ),
        *words.get("levies", []),
    ]

    # Management.
    stewards = [
        names[party["agent_id"]] for party in facts["parties"] if "steward" in party["roles"]
    ]
    sections["management"] = [
        pick(
            "La gérance est assurée par les associés ayant le rôle d'intendant : "
            f"{', '.join(stewards) or 'aucun'}.",
            "The partnership is managed by the partners holding the steward role: "
            f"{', '.join(stewards) or 'none'}.",
        ),
        pick(
            "Les gérants tiennent les comptes et le registre des parts, exécutent les décisions "
            "collectives et accomplissent les actes courants conformes à l'objet, en leur nom "
            "personnel à l'égard des tiers ; ils rendent compte aux associés par les comptes "
            "publiés dans l'application. Ils sont désignés et révoqués par décision collective "
            "(attribution des rôles).",
            "Managers keep the books and the register of rights, carry out collective decisions "
            "and perform the ordinary acts within the purpose, in their own name towards third "
            "parties; they account to the partners through the books published in the "
            "application. They are appointed and removed by collective decision (roles).",
        ),
    ]

    # Books and open data.
    licence, licence_title = OPEN_DATA_LICENCE
    sections["books"] = [
        pick(
            "Les comptes sont tenus en partie double selon le plan comptable général, chaque "
            "écriture étant chaînée à la précédente par une empreinte SHA-256. Les comptes, le "
            f"registre des parts et les décisions sont publiés en données ouvertes sous licence "
            f"{licence} ({licence_title}).",
            "The books are kept in double entry under the French chart of accounts, each entry "
            "chained to the previous one by a SHA-256 hash. The books, the register of rights "
            f"and the decisions are published as open data under the {licence} licence "
            f"({licence_title}).",
        ),
        *words.get("books", []),
    ]

    # Versions and acceptance.
    sections["versions"] = [
        pick(
            "Le présent contrat est régénéré à chaque modification de la charte ou des associés ; "
            "chaque version est conservée avec l'empreinte SHA-256 de son texte, et l'avenant "
            "qu'elle constitue énumère les clauses modifiées depuis la version précédente.",
            "This contract is generated again whenever the charter or the partners change; every "
            "version is kept with the SHA-256 hash of its text, and the amendment it makes lists "
            "the clauses changed since the previous version.",
        ),
        pick(
            "Chaque associé accepte une version dans l'application ; l'acceptation enregistre "
            "l'associé, la personne qui agit pour lui, la date et l'empreinte du texte accepté "
            "(art. 1366 et 1367). Un associé qui n'a pas accepté la version en vigueur est "
            "signalé comme tel ; les modifications de la charte adoptées par décision collective "
            "s'imposent néanmoins à lui.",
            "Each partner accepts a version in the application; the acceptance records the "
            "partner, the person acting for them, the date and the hash of the accepted text "
            "(art. 1366 and 1367). A partner who has not accepted the version in force is shown "
            "as such; charter amendments adopted by collective decision bind them nonetheless.",
        ),
        pick(
            "Le texte français fait foi ; la version anglaise est une traduction.",
            "The French text is binding; this English version is a translation.",
        ),
    ]

    # Disputes.
    sections["disputes"] = [
        pick(
            "Le contrat est régi par le droit français. Tout différend entre associés est d'abord "
            "soumis aux associés par une proposition au vote, puis à une médiation ; à défaut "
            "d'accord dans les trois mois, il est porté devant le tribunal judiciaire "
            "territorialement compétent.",
            "The contract is governed by French law. Any dispute between partners is first put to "
            "the partners as a proposal to vote on, then to mediation; failing agreement within "
            "three months, it is brought before the competent tribunal judiciaire.",
        )
    ]
    return [
        {
            "key": key,
            "title": SECTION_TITLES[key][0 if fr else 1],
            "paragraphs": sections[key],
        }
        for key in SECTION_ORDER
    ]


def contract_title(facts: Mapping[str, Any], lang: str) -> str:
    name = facts["commons"]["name"]
    if lang == "fr":
        return f"{CONTRACT_TITLE[0]} « {name} »"
    return f"{CONTRACT_TITLE[1]} “{name}”"


def canonical_text(title: str, sections: Sequence[Mapping[str, Any]]) -> str:
    """The text a version's hash covers: the title, then each section as its numbered title and
    its paragraphs, separated by blank lines, with a final newline (UTF-8 when hashed)."""
    blocks = [title]
    for number, section in enumerate(sections, start=1):
        blocks.append(f"{number}. {section['title']}")
        blocks.extend(section["paragraphs"])
    return "\n\n".join(blocks) + "\n"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changes(
    before: Sequence[Mapping[str, Any]] | None, after: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The avenant: every section whose paragraphs differ, in the order of `after` (a section
    gone from `after` last), with the paragraphs before and after. From nothing (version 1),
    every section is new."""
    old = {section["key"]: section for section in before or []}
    new_keys = {section["key"] for section in after}
    rows = []
    for section in after:
        previous = old.get(section["key"])
        before_paragraphs = list(previous["paragraphs"]) if previous else []
        if before_paragraphs != list(section["paragraphs"]):
            rows.append(
                {
                    "section": section["key"],
                    "title": section["title"],
                    "before": before_paragraphs,
                    "after": list(section["paragraphs"]),
                }
            )
    for key, section in old.items():
        if key not in new_keys:
            rows.append(
                {
                    "section": key,
                    "title": section["title"],
                    "before": list(section["paragraphs"]),
                    "after": [],
                }
            )
    return rows


def members_signature(facts: Mapping[str, Any]) -> list[int]:
    """The partners' agent ids, sorted: with the charter number, what a new version follows."""
    return sorted(party["agent_id"] for party in facts["parties"])


# --- Certificates ------------------------------------------------------------------------------


def certificate_lines(facts: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """The certificate's facts as (label, value) rows, in French or English."""
    fr = lang == "fr"
    as_of = dt.datetime.fromisoformat(facts["as_of"])
    when = date_text(as_of.date().isoformat(), lang) + f" {as_of:%H:%M} UTC"
    # Shown rounded to the cent (half to even); the exact value stays in the facts.
    per_title = Decimal(facts["value_per_title_cents"]).quantize(Decimal(1), ROUND_HALF_EVEN)
    per_title_text = money_text(int(per_title), lang)
    rows = [
        ("Commun" if fr else "Commons", facts["commons_name"]),
        ("Titulaire" if fr else "Holder", facts["holder_name"]),
        ("Classe de parts" if fr else "Class of rights", facts["class_name"]),
        ("Nombre de parts" if fr else "Rights held", units_text(facts["units"], lang)),
        ("Valeur d'une part" if fr else "Value per right", per_title_text),
        (
            "Valeur des parts" if fr else "Value of the rights",
            money_text(facts["value_cents"], lang),
        ),
        ("Date de l'attestation" if fr else "Date of the attestation", when),
    ]
    return rows
