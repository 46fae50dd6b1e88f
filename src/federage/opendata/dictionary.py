"""The data dictionary: every public table, its fields, keys and units (pure data).

One description serves the Frictionless Table Schemas of the data package, the CSV column
order and the public dictionary page. Amounts are integers in euro cents (1 € = 100): exact,
as in the books; divide by 100 for euros.

Every text a person reads here comes in French and in English, and so does the meaning of
every enumerated value (a code such as `passed`, as it appears in the CSV files). The data
package's Table Schemas carry the English descriptions: a schema has one description.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EUR_CENT = "EUR cent"


@dataclass(frozen=True)
class Value:
    """One code an enumerated field takes, and what it means in French and in English."""

    code: str
    fr: str
    en: str

    def labels(self) -> dict:
        return {"code": self.code, "label": {"fr": self.fr, "en": self.en}}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema types: string, integer, number, date, datetime, boolean
    description: str
    required: bool = False
    unit: str = ""
    fr: str = ""  # the description in French
    values: tuple[Value, ...] = ()  # the codes an enumerated field takes

    def schema(self) -> dict:
        out: dict = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            # Not a Table Schema keyword: an extra property the spec allows, for readers.
            out["unit"] = self.unit
            if self.unit == EUR_CENT:
                out["bareNumber"] = True
        if self.required:
            out["constraints"] = {"required": True}
        return out


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    # (fields, resource, referenced fields); resource "" is the table itself.
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(default=())
    title_fr: str = ""
    fr: str = ""  # the description in French

    @property
    def columns(self) -> list[str]:
        return [item.name for item in self.fields]

    def schema(self) -> dict:
        schema: dict = {"fields": [item.schema() for item in self.fields], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": list(own), "reference": {"resource": resource, "fields": list(other)}}
                for own, resource, other in self.foreign_keys
            ]
        return schema


def _money(name: str, description: str, fr: str) -> Field:
    return Field(
        name,
        "integer",
        f"{description}, in euro cents (EUR; 100 = 1 €)",
        unit=EUR_CENT,
        fr=f"{fr}, en centimes d’euro (EUR\u00a0; 100 = 1 €)",
    )


AGENT_KINDS = (
    Value("person", "personne", "person"),
    Value("association", "association", "association"),
    Value("company", "entreprise", "company"),
    Value("cooperative", "coopérative", "cooperative"),
    Value("local_authority", "collectivité territoriale", "local authority"),
    Value("public_body", "établissement public", "public body"),
    Value("ngo", "ONG", "NGO"),
    Value("commons", "commun", "commons"),
)
ROLES = (
    Value("steward", "gestionnaire", "steward"),
    Value("contributor", "contributeur", "contributor"),
    Value("approver", "validateur", "approver"),
    Value("funder", "financeur", "funder"),
    Value("verifier", "vérificateur", "verifier"),
    Value("observer", "observateur", "observer"),
)
ACCOUNT_TYPES = (
    Value("asset", "actif", "asset"),
    Value("liability", "passif (dette)", "liability"),
    Value("equity", "capitaux propres", "equity"),
    Value("income", "produit", "income"),
    Value("expense", "charge", "expense"),
    Value("off_balance", "hors bilan", "off balance sheet"),
)
CAPITAL_KINDS = (
    Value("financial", "capital financier", "financial capital"),
    Value("human", "capital humain", "human capital"),
    Value("natural", "capital naturel", "natural capital"),
)
PROPOSAL_KINDS = (
    Value("validate_contribution", "validation d’un apport", "validating a contribution"),
    Value("amend_charter", "modification de la charte", "amending the charter"),
    Value("admit_member", "admission d’un membre", "admitting a member"),
    Value("grant_role", "attribution d’un rôle", "granting a role"),
    Value("accept_financing", "acceptation d’un financement", "accepting a financing"),
    Value("approve_exchange", "approbation d’un échange", "approving an exchange"),
    Value("free_motion", "motion libre", "free motion"),
    Value("allocate_result", "affectation du résultat", "allocating the result"),
    Value("adopt_objective", "adoption d’un objectif d’impact", "adopting an impact objective"),
    Value("join_federation", "adhésion à une fédération", "joining a federation"),
)
OUTCOMES = (
    Value("passed", "adoptée", "passed"),
    Value("rejected", "rejetée", "rejected"),
    Value(
        "expired",
        "expirée (quorum non atteint à l’échéance)",
        "expired (no quorum by the deadline)",
    ),
)
SOURCE_TYPES = (
    Value("contribution", "un apport validé ou payé", "a contribution accepted or paid"),
    Value("transfer", "une cession de titres (sa taxe)", "a transfer of titles (its tax)"),
    Value("redemption", "un rachat de titres", "a redemption of titles"),
    Value("proposal", "une décision (affectation du résultat)", "a decision (result allocation)"),
    Value("resource", "une ressource", "a resource"),
    Value("usage", "un usage d’une ressource (sa redevance)", "a use of a resource (its levy)"),
    Value("due", "une redevance due", "a levy due"),
    Value("manual", "une écriture saisie à la main", "an entry made by hand"),
    Value("demo", "les données de démonstration", "the demonstration data"),
    Value(
        "financing",
        "un financement accepté (versement, échéance, reprise)",
        "an accepted financing (disbursement, instalment, reprise)",
    ),
)
FINANCING_KINDS = (
    Value("grant_operating", "subvention d’exploitation", "operating grant"),
    Value("grant_investment", "subvention d’investissement", "investment grant"),
    Value("loan", "prêt", "loan"),
    Value("equity", "souscription de titres", "equity subscription"),
)
FINANCING_STATUSES = (
    Value("accepted", "accepté par décision", "accepted by a decision"),
    Value("active", "en cours (versé en tout ou partie)", "running (paid in whole or in part)"),
    Value("closed", "soldé", "settled"),
)
TRANCHE_STATUSES = (
    Value("pending", "en attente de son jalon", "waiting for its milestone"),
    Value("released", "jalon atteint, à verser", "milestone reached, to be paid"),
    Value("disbursed", "versée", "paid"),
)
CONTRIBUTION_KINDS = (
    Value("cash", "numéraire (argent)", "cash"),
    Value("in_kind", "nature (un bien)", "in kind (goods)"),
    Value("labour", "industrie (travail, savoir-faire)", "labour (work, skills)"),
)
CONTRIBUTION_STATES = (
    Value("accepted", "validé", "accepted"),
    Value("called", "appelé (versement demandé)", "called (payment asked)"),
    Value("paid", "versé", "paid"),
)
NAV_CAUSES = (
    Value("issuance", "émission de titres", "issuance of titles"),
    Value("transfer", "cession de titres", "transfer of titles"),
    Value("redemption", "rachat de titres", "redemption of titles"),
    Value("revaluation", "réévaluation", "revaluation"),
    Value("books", "les comptes (la valeur aujourd’hui)", "the books (the value today)"),
)

RESOURCE_KINDS = (
    Value("equipment", "équipement, machine", "equipment, machine"),
    Value("land", "terre, terrain", "land"),
    Value("buildings", "bâtiment", "buildings"),
    Value("materials", "matières", "materials"),
    Value("software", "logiciel", "software"),
    Value("data", "données", "data"),
    Value("knowledge", "savoir, connaissance", "knowledge"),
    Value("carbon_credits", "crédits carbone", "carbon credits"),
    Value("other", "autre", "other"),
)
RESOURCE_CAPITAL_KINDS = (
    Value("financial", "capital financier", "financial capital"),
    Value("human_social", "capital humain et social", "human and social capital"),
    Value("natural", "capital naturel", "natural capital"),
)
RESOURCE_STATUSES = (
    Value("active", "en service", "active"),
    Value("retired", "retirée", "retired"),
)
LINK_KINDS = (
    Value(
        "membership",
        "le commun source est membre du commun cible",
        "the source commons is a member of the target",
    ),
    Value(
        "holding",
        "le commun source détient des titres du commun cible",
        "the source commons holds titles of the target",
    ),
    Value("exchange", "échange exécuté entre les deux", "exchange executed between the two"),
    Value(
        "borrowing",
        "la source a prêté un actif à la cible",
        "the source lent an asset to the target",
    ),
    Value(
        "contributors",
        "des contributeurs ont des apports validés dans les deux communs",
        "contributors have accepted contributions in both commons",
    ),
)
EXCHANGE_LEG_KINDS = (
    Value("resource", "une ressource (un bien)", "a resource (goods)"),
    Value("use", "l’usage d’une ressource", "the use of a resource"),
    Value("service", "un service", "a service"),
    Value("cash", "de l’argent", "cash"),
    Value("financial", "un actif financier (des titres)", "a financial asset (titles)"),
)
VALUATION_METHODS = (
    Value(
        "cost_impairment",
        "au coût, déprécié si la valeur de la part baisse en dessous",
        "at cost, impaired when the unit value falls below it",
    ),
    Value(
        "fair_value",
        "à la valeur de la part, l’écart au-dessus du coût en capitaux propres (1052)",
        "at the unit value, the gap above cost in equity (1052)",
    ),
)
FEDERATION_ACCOUNTS = (
    Value(
        "combined",
        "comptes combinés (accord écrit de combinaison, règlement ANC 2020-01)",
        "combined accounts (written combination agreement, ANC regulation 2020-01)",
    ),
    Value(
        "aggregated",
        "comptes agrégés (sans accord de combinaison)",
        "aggregated accounts (no combination agreement)",
    ),
)

COMMONS_SLUG = Field(
    "commons_slug", "string", "Short name of the commons", True, fr="Nom court du commun"
)

RESOURCES: tuple[Resource, ...] = (
    Resource(
        "commons",
        "Commons",
        "Public commons: their purpose, category, location and parent commons.",
        (
            Field(
                "slug",
                "string",
                "Short name, unique on the instance",
                True,
                fr="Nom court, unique sur l’instance",
            ),
            Field("name", "string", "Name", True, fr="Nom"),
            Field("purpose", "string", "What the commons is for", fr="Ce à quoi sert le commun"),
            Field(
                "category",
                "string",
                "Category (free text chosen by the commons)",
                fr="Catégorie (texte libre choisi par le commun)",
            ),
            Field(
                "location", "string", "Where it is (free text)", fr="Où il se trouve (texte libre)"
            ),
            Field(
                "parent_slug",
                "string",
                "The commons this one is part of, if public",
                fr="Le commun dont il fait partie, s’il est public",
            ),
            Field(
                "created_at",
                "datetime",
                "When it was created (UTC)",
                True,
                fr="Date de création (UTC)",
            ),
            Field("url", "string", "Its page on the instance", fr="Sa page sur l’instance"),
        ),
        primary_key=("slug",),
        foreign_keys=((("parent_slug",), "", ("slug",)),),
        title_fr="Communs",
        fr="Les communs publics\u00a0: leur objet, leur catégorie, leur lieu et leur commun parent.",
    ),
    Resource(
        "agents",
        "Agents",
        "Members, contributors and title holders of each commons. Organisations are named; "
        "a natural person is named only if they consented and the commons' charter allows it, "
        "else shown under a pseudonym (a keyed hash, stable within one commons).",
        (
            COMMONS_SLUG,
            Field(
                "agent_ref",
                "string",
                "Public reference, stable within the commons",
                True,
                fr="Référence publique, stable au sein du commun",
            ),
            Field(
                "kind",
                "string",
                "person, association, company, cooperative, commons…",
                True,
                fr="Personne ou type d’organisation",
                values=AGENT_KINDS,
            ),
            Field(
                "name",
                "string",
                "Name, or pseudonym such as 'Membre 7f3a2c'",
                True,
                fr="Nom, ou pseudonyme tel que «\u00a0Membre 7f3a2c\u00a0»",
            ),
            Field(
                "name_is_pseudonym",
                "boolean",
                "True when name is a pseudonym",
                True,
                fr="Vrai (true) quand le nom est un pseudonyme",
            ),
            Field(
                "roles",
                "string",
                "Roles held now, separated by ';' (empty: not a member)",
                fr="Rôles détenus aujourd’hui, séparés par «\u00a0;\u00a0» (vide\u00a0: pas membre)",
                values=ROLES,
            ),
        ),
        primary_key=("commons_slug", "agent_ref"),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Acteurs",
        fr="Les membres, contributeurs et détenteurs de titres de chaque commun. Les "
        "organisations sont nommées\u00a0; une personne physique ne l’est que si elle y a consenti "
        "et que la charte du commun le permet, sinon elle apparaît sous un pseudonyme (une "
        "empreinte à clé, stable au sein d’un commun).",
    ),
    Resource(
        "accounts",
        "Accounts",
        "Chart of accounts of each book (French PCG numbers) with its type and capital kind "
        "(financial, human, natural).",
        (
            COMMONS_SLUG,
            Field("number", "string", "Account number (PCG)", True, fr="Numéro de compte (PCG)"),
            Field("label", "string", "Label", True, fr="Libellé"),
            Field(
                "type",
                "string",
                "asset, liability, equity, income, expense, off_balance",
                True,
                fr="Type de compte",
                values=ACCOUNT_TYPES,
            ),
            Field(
                "capital_kind",
                "string",
                "financial, human or natural",
                True,
                fr="Nature de capital",
                values=CAPITAL_KINDS,
            ),
        ),
        primary_key=("commons_slug", "number"),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Comptes",
        fr="Le plan de comptes de chaque livre (numéros du PCG), avec le type de chaque compte "
        "et sa nature de capital (financier, humain, naturel).",
    ),
    Resource(
        "decisions",
        "Decisions",
        "The hash-chained decision log: what was decided, when, under which charter version.",
        (
            Field("decision_id", "integer", "Identifier", True, fr="Identifiant"),
            COMMONS_SLUG,
            Field(
                "sequence",
                "integer",
                "Position in the commons' log",
                True,
                fr="Rang dans le registre du commun",
            ),
            Field(
                "kind",
                "string",
                "Kind of proposal decided",
                True,
                fr="Nature de la proposition décidée",
                values=PROPOSAL_KINDS,
            ),
            Field("title", "string", "Title of the proposal", fr="Titre de la proposition"),
            Field(
                "outcome", "string", "passed, rejected…", True, fr="Issue du vote", values=OUTCOMES
            ),
            Field(
                "charter_version",
                "integer",
                "Charter version in force",
                fr="Version de la charte en vigueur",
            ),
            Field("decided_at", "datetime", "When (UTC)", True, fr="Date de la décision (UTC)"),
            Field(
                "hash",
                "string",
                "SHA-256 of the decision, chained to the previous one",
                fr="Empreinte SHA-256 de la décision, chaînée à la précédente",
            ),
            Field(
                "previous_hash",
                "string",
                "Hash of the previous decision",
                fr="Empreinte de la décision précédente",
            ),
        ),
        primary_key=("decision_id",),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Décisions",
        fr="Le registre des décisions, chaîné par empreintes\u00a0: ce qui a été décidé, quand, "
        "sous quelle version de la charte.",
    ),
    Resource(
        "entries",
        "Journal entries",
        "Double-entry journal entries (écritures); immutable, hash-chained per book.",
        (
            Field("entry_id", "integer", "Identifier", True, fr="Identifiant"),
            COMMONS_SLUG,
            Field(
                "sequence",
                "integer",
                "Order of posting in the book",
                True,
                fr="Ordre d’enregistrement dans le livre",
            ),
            Field(
                "journal",
                "string",
                "Journal code (AP, AI, BQ, VE, OD, AN…)",
                True,
                fr="Code du journal (AP, AI, BQ, VE, OD, AN…)",
            ),
            Field(
                "reference",
                "string",
                "Journal code and number, e.g. AP000012",
                True,
                fr="Code du journal et numéro, par exemple AP000012",
            ),
            Field("entry_date", "date", "Accounting date", True, fr="Date comptable"),
            Field("validation_date", "date", "Validation date", True, fr="Date de validation"),
            Field("label", "string", "Label", fr="Libellé"),
            Field(
                "piece_ref",
                "string",
                "Reference of the supporting document",
                fr="Référence de la pièce justificative",
            ),
            _money(
                "total_cents", "Total of the debits (= credits)", "Total des débits (= des crédits)"
            ),
            Field(
                "reverses_id",
                "integer",
                "The entry this one reverses",
                fr="L’écriture que celle-ci contrepasse",
            ),
            Field(
                "decision_id",
                "integer",
                "The decision that authorised it",
                fr="La décision qui l’a autorisée",
            ),
            Field(
                "source_type",
                "string",
                "What caused it (contribution, transfer, manual…)",
                fr="Ce qui l’a causée",
                values=SOURCE_TYPES,
            ),
            Field(
                "hash",
                "string",
                "SHA-256 of the entry, chained to the previous one",
                fr="Empreinte SHA-256 de l’écriture, chaînée à la précédente",
            ),
        ),
        primary_key=("entry_id",),
        foreign_keys=(
            (("commons_slug",), "commons", ("slug",)),
            (("reverses_id",), "", ("entry_id",)),
            (("decision_id",), "decisions", ("decision_id",)),
        ),
        title_fr="Écritures",
        fr="Les écritures comptables en partie double\u00a0; immuables, chaînées par empreintes dans "
        "chaque livre.",
    ),
    Resource(
        "lines",
        "Entry lines",
        "Lines of the entries: one account, a debit or a credit.",
        (
            Field("entry_id", "integer", "The entry", True, fr="L’écriture"),
            Field("position", "integer", "Order within the entry", True, fr="Rang dans l’écriture"),
            COMMONS_SLUG,
            Field(
                "account_number",
                "string",
                "Account (PCG number)",
                True,
                fr="Compte (numéro du PCG)",
            ),
            _money("debit_cents", "Debit", "Débit"),
            _money("credit_cents", "Credit", "Crédit"),
            Field(
                "label",
                "string",
                "Label of the line, if any",
                fr="Libellé de la ligne, s’il y en a un",
            ),
        ),
        primary_key=("entry_id", "position"),
        foreign_keys=(
            (("entry_id",), "entries", ("entry_id",)),
            (("commons_slug", "account_number"), "accounts", ("commons_slug", "number")),
        ),
        title_fr="Lignes d’écriture",
        fr="Les lignes des écritures\u00a0: un compte, un débit ou un crédit.",
    ),
    Resource(
        "contributions",
        "Accepted contributions",
        "Contributions (apports) in cash, in kind or in labour, accepted by the commons.",
        (
            Field("contribution_id", "integer", "Identifier", True, fr="Identifiant"),
            COMMONS_SLUG,
            Field(
                "contributor_ref",
                "string",
                "Who brought it (see agents)",
                True,
                fr="Qui l’a apporté (voir les acteurs)",
            ),
            Field(
                "kind",
                "string",
                "cash, in_kind or labour",
                True,
                fr="Nature de l’apport",
                values=CONTRIBUTION_KINDS,
            ),
            Field("title", "string", "What was brought", True, fr="Ce qui a été apporté"),
            Field(
                "state",
                "string",
                "accepted, called or paid",
                True,
                fr="État de l’apport",
                values=CONTRIBUTION_STATES,
            ),
            _money("price_cents", "Accepted price", "Prix validé"),
            Field(
                "decided_at",
                "datetime",
                "When it was accepted (UTC)",
                fr="Date de validation (UTC)",
            ),
            Field(
                "decision_id",
                "integer",
                "The decision that accepted it",
                fr="La décision qui l’a validé",
            ),
            Field(
                "entry_id",
                "integer",
                "The entry that booked it",
                fr="L’écriture qui l’a comptabilisé",
            ),
        ),
        primary_key=("contribution_id",),
        foreign_keys=(
            (("commons_slug", "contributor_ref"), "agents", ("commons_slug", "agent_ref")),
            (("decision_id",), "decisions", ("decision_id",)),
            (("entry_id",), "entries", ("entry_id",)),
        ),
        title_fr="Apports validés",
        fr="Les apports en numéraire, en nature ou en industrie que le commun a validés.",
    ),
    Resource(
        "holdings",
        "Cap table",
        "Participation titles held now, their share of the capital and value at the unit "
        "value (NAV) of the commons.",
        (
            COMMONS_SLUG,
            Field(
                "agent_ref",
                "string",
                "Holder (see agents)",
                True,
                fr="Détenteur (voir les acteurs)",
            ),
            Field(
                "units",
                "number",
                "Titles held (4 decimal places)",
                True,
                fr="Titres détenus (4 décimales)",
            ),
            Field(
                "percent",
                "number",
                "Share of the titles outstanding, in %",
                fr="Part des titres en circulation, en %",
            ),
            _money(
                "value_cents",
                "Value at the current unit value",
                "Valeur à la valeur actuelle d’un titre",
            ),
        ),
        primary_key=("commons_slug", "agent_ref"),
        foreign_keys=((("commons_slug", "agent_ref"), "agents", ("commons_slug", "agent_ref")),),
        title_fr="Registre des titres",
        fr="Les titres de participation détenus aujourd’hui, leur part du capital et leur "
        "valeur à la valeur d’un titre (VL) du commun.",
    ),
    Resource(
        "nav_history",
        "Unit value history",
        "Unit value (NAV) of the titles after each movement: net assets / titles outstanding.",
        (
            COMMONS_SLUG,
            Field("at", "datetime", "Moment (UTC)", True, fr="Moment (UTC)"),
            Field(
                "unit_value_cents",
                "number",
                "Unit value, in euro cents (6 decimal places)",
                unit=EUR_CENT,
                fr="Valeur d’un titre, en centimes d’euro (6 décimales)",
            ),
            _money("net_assets_cents", "Net assets", "Actif net"),
            Field("outstanding", "number", "Titles outstanding", fr="Titres en circulation"),
            Field(
                "cause",
                "string",
                "issuance, transfer, redemption, revaluation, or books (the value today)",
                fr="Ce qui l’a fait changer",
                values=NAV_CAUSES,
            ),
        ),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Historique de la valeur d’un titre",
        fr="La valeur d’un titre (VL) après chaque mouvement\u00a0: actif net / titres en circulation.",
    ),
    Resource(
        "resources",
        "Resources",
        "What each commons holds or organises (machines, land, software…), its value from the "
        "contributions that brought it, its depreciation, the levy its charter charges on each "
        "use, and its use so far (totals only: no single use, no user named).",
        (
            COMMONS_SLUG,
            Field("resource_id", "integer", "Resource id", True, fr="Identifiant de la ressource"),
            Field(
                "key",
                "string",
                "Key the charter's levy lines name (levy.<key>.*)",
                True,
                fr="Clé que nomment les lignes de redevance de la charte (levy.<clé>.*)",
            ),
            Field("name", "string", "Name", True, fr="Nom"),
            Field(
                "kind",
                "string",
                "equipment, land, buildings, materials, software, data, knowledge, "
                "carbon_credits or other",
                True,
                fr="Nature de la ressource",
                values=RESOURCE_KINDS,
            ),
            Field(
                "capital_kind",
                "string",
                "financial, human_social or natural",
                True,
                fr="Capital (financier, humain et social, naturel)",
                values=RESOURCE_CAPITAL_KINDS,
            ),
            Field("unit", "string", "Unit its use is measured in", True, fr="Unité d’usage"),
            Field("location", "string", "Where it is (free text)", fr="Où elle se trouve"),
            Field(
                "status",
                "string",
                "active or retired",
                True,
                fr="État",
                values=RESOURCE_STATUSES,
            ),
            Field(
                "account_code",
                "string",
                "Account of the books it is recorded on (PCG class 2 or 3)",
                fr="Compte où elle est inscrite (classe 2 ou 3 du PCG)",
            ),
            _money("value_cents", "Value brought by contributions", "Valeur apportée"),
            _money(
                "depreciation_cents",
                "Depreciation accumulated",
                "Amortissements cumulés",
            ),
            _money("net_value_cents", "Net book value", "Valeur nette comptable"),
            Field(
                "levy_rate_bp",
                "integer",
                "Levy on a commercial use, share of the sale in basis points (100 = 1 %)",
                fr="Redevance sur un usage commercial, part de la vente en points de base "
                "(100 = 1 %)",
            ),
            _money("levy_per_unit_cents", "Levy per unit used", "Redevance par unité utilisée"),
            Field(
                "uses",
                "integer",
                "Uses declared so far",
                fr="Usages déclarés à ce jour",
            ),
            Field(
                "quantity_used",
                "number",
                "Quantity used so far, in its unit (3 decimal places)",
                fr="Quantité utilisée à ce jour, dans son unité (3 décimales)",
            ),
            _money("sales_cents", "Sales declared by commercial uses", "Ventes déclarées"),
            _money("levies_cents", "Levies charged", "Redevances facturées"),
        ),
        primary_key=("resource_id",),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Ressources",
        fr="Ce que chaque commun détient ou organise (machines, terres, logiciels…), sa valeur "
        "issue des apports, ses amortissements, la redevance que sa charte prélève sur chaque "
        "usage, et son usage à ce jour (totaux seulement\u00a0: aucun usage isolé, aucun "
        "usager nommé).",
    ),
    Resource(
        "resource_usage",
        "Resource use by month",
        "Per resource and month: uses, quantity, sales and levies (aggregates only).",
        (
            COMMONS_SLUG,
            Field("resource_id", "integer", "Resource (see resources)", True, fr="Ressource"),
            Field("month", "string", "Month (YYYY-MM)", True, fr="Mois (AAAA-MM)"),
            Field("uses", "integer", "Uses", fr="Usages"),
            Field(
                "quantity",
                "number",
                "Quantity used, in the resource's unit",
                fr="Quantité utilisée, dans l’unité de la ressource",
            ),
            _money("sales_cents", "Sales declared", "Ventes déclarées"),
            _money("levy_cents", "Levies charged", "Redevances facturées"),
        ),
        primary_key=("resource_id", "month"),
        foreign_keys=((("resource_id",), "resources", ("resource_id",)),),
        title_fr="Usage des ressources par mois",
        fr="Par ressource et par mois\u00a0: usages, quantité, ventes et redevances (totaux "
        "seulement).",
    ),
    Resource(
        "levies",
        "Usage levies by month",
        "Per commons and month: usage levies charged, collected so far and still outstanding.",
        (
            COMMONS_SLUG,
            Field("month", "string", "Month charged (YYYY-MM)", True, fr="Mois (AAAA-MM)"),
            _money("due_cents", "Levies charged", "Redevances facturées"),
            _money("collected_cents", "Collected so far", "Encaissé à ce jour"),
            _money("outstanding_cents", "Still outstanding", "Reste dû"),
        ),
        primary_key=("commons_slug", "month"),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Redevances d’usage par mois",
        fr="Par commun et par mois\u00a0: redevances facturées, encaissées à ce jour et "
        "restant dues.",
    ),
    Resource(
        "taxonomy",
        "Taxonomy",
        "The controlled vocabulary commons and resources are classified with: themes of "
        "territorial resilience and their sub-terms, each with a stable code, and the version "
        "of the vocabulary that added it and, if so, retired it (terms are never deleted).",
        (
            Field("code", "string", "Stable code (a sub-term is parent.child)", True, fr="Code"),
            Field("parent", "string", "Code of the theme above it", fr="Code du thème parent"),
            Field("label_fr", "string", "French label", True, fr="Libellé français"),
            Field("label_en", "string", "English label", True, fr="Libellé anglais"),
            Field(
                "origin",
                "string",
                "federage (shipped) or instance (added by this instance)",
                True,
                fr="Origine",
                values=(
                    Value("federage", "livré avec Federage", "shipped with Federage"),
                    Value("instance", "ajouté par cette instance", "added by this instance"),
                ),
            ),
            Field(
                "added_in",
                "integer",
                "Vocabulary version that added it",
                True,
                fr="Ajouté en version",
            ),
            Field(
                "retired_in",
                "integer",
                "Vocabulary version that retired it",
                fr="Retiré en version",
            ),
        ),
        primary_key=("code",),
        title_fr="Taxonomie",
        fr="Le vocabulaire contrôlé qui classe communs et ressources : thèmes de la "
        "résilience territoriale et leurs sous-termes, chacun avec un code stable, la version "
        "du vocabulaire qui l’a ajouté et, le cas échéant, retiré (rien n’est jamais supprimé).",
    ),
    Resource(
        "commons_terms",
        "Classification of commons",
        "The taxonomy terms each commons is classified with by its stewards.",
        (
            COMMONS_SLUG,
            Field("term_code", "string", "Term (see taxonomy)", True, fr="Terme (voir taxonomie)"),
        ),
        primary_key=("commons_slug", "term_code"),
        foreign_keys=(
            (("commons_slug",), "commons", ("slug",)),
            (("term_code",), "taxonomy", ("code",)),
        ),
        title_fr="Classement des communs",
        fr="Les termes de la taxonomie avec lesquels les gestionnaires classent chaque commun.",
    ),
    Resource(
        "commons_locations",
        "Where commons act",
        "Each located commons' commune in the official geographic code (COG, INSEE) of the year "
        "given, with its département and région as they were then.",
        (
            COMMONS_SLUG,
            Field("commune_code", "string", "Commune code (COG)", True, fr="Code commune (COG)"),
            Field("commune_name", "string", "Commune", fr="Commune"),
            Field("departement_code", "string", "Département code", True, fr="Code département"),
            Field("departement_name", "string", "Département", fr="Département"),
            Field("region_code", "string", "Région code", True, fr="Code région"),
            Field("region_name", "string", "Région", fr="Région"),
            Field("cog_year", "integer", "Year of the COG", True, fr="Millésime du COG"),
        ),
        primary_key=("commons_slug",),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Où agissent les communs",
        fr="La commune de chaque commun localisé dans le code officiel géographique (COG, "
        "INSEE) du millésime indiqué, avec son département et sa région d’alors.",
    ),
    Resource(
        "indicators",
        "Impact indicators",
        "The catalogue of indicators objectives are set on: stable code, unit, direction and "
        "references to outside catalogues (IRIS+, EU taxonomy objective, SDG target).",
        (
            Field("code", "string", "Stable code", True, fr="Code"),
            Field("label_fr", "string", "French label", True, fr="Libellé français"),
            Field("label_en", "string", "English label", True, fr="Libellé anglais"),
            Field("unit", "string", "Unit (tCO2e, kWh, ha, t, m3…)", True, fr="Unité"),
            Field(
                "direction",
                "string",
                "increase or decrease: which way is progress",
                True,
                fr="Sens du progrès",
                values=(
                    Value("increase", "à la hausse", "upward"),
                    Value("decrease", "à la baisse", "downward"),
                ),
            ),
            Field(
                "references",
                "string",
                'Outside references as JSON, e.g. {"iris": "OI4862", "sdg": "13.2"}',
                fr="Références externes (JSON)",
            ),
            Field(
                "origin",
                "string",
                "federage (shipped) or instance (added by this instance)",
                True,
                fr="Origine",
                values=(
                    Value("federage", "livré avec Federage", "shipped with Federage"),
                    Value("instance", "ajouté par cette instance", "added by this instance"),
                ),
            ),
        ),
        primary_key=("code",),
        title_fr="Indicateurs d’impact",
        fr="Le catalogue des indicateurs sur lesquels portent les objectifs : code stable, "
        "unité, sens du progrès et références à des catalogues externes (IRIS+, objectif de la "
        "taxonomie européenne, cible ODD).",
    ),
    Resource(
        "objectives",
        "Impact objectives",
        "Objectives each commons adopted by a decision, with their progress counted on "
        "VERIFIED measurements only.",
        (
            COMMONS_SLUG,
            Field("objective_id", "integer", "Objective id", True, fr="Identifiant de l’objectif"),
            Field("title", "string", "Title", True, fr="Intitulé"),
            Field("indicator_code", "string", "Indicator (see indicators)", True, fr="Indicateur"),
            Field("unit", "string", "Unit of the indicator", True, fr="Unité"),
            Field("baseline", "number", "Baseline (3 decimals)", True, fr="Valeur de départ"),
            Field("target", "number", "Target (3 decimals)", True, fr="Cible"),
            Field("starts_on", "date", "Start", True, fr="Début"),
            Field("target_date", "date", "Target date", True, fr="Échéance"),
            Field("method", "string", "Method", fr="Méthode"),
            Field(
                "method_reference",
                "string",
                "Reference of the method (e.g. a Label bas-carbone method)",
                fr="Référence de la méthode (par exemple une méthode du Label bas-carbone)",
            ),
            Field(
                "status",
                "string",
                "adopted or closed",
                True,
                fr="État",
                values=(
                    Value("adopted", "adopté par décision", "adopted by a decision"),
                    Value("closed", "clos", "closed"),
                ),
            ),
            Field(
                "decision_id",
                "integer",
                "Decision that adopted it or changed it last (see decisions)",
                fr="Décision qui l’a adopté ou modifié en dernier",
            ),
            Field(
                "verified_total",
                "number",
                "Sum of its verified measurements",
                True,
                fr="Somme de ses mesures vérifiées",
            ),
            Field(
                "progress_bp",
                "integer",
                "Progress toward the target in basis points (10000 = reached)",
                True,
                fr="Avancement vers la cible en points de base (10000 = atteinte)",
            ),
        ),
        primary_key=("objective_id",),
        foreign_keys=(
            (("commons_slug",), "commons", ("slug",)),
            (("indicator_code",), "indicators", ("code",)),
        ),
        title_fr="Objectifs d’impact",
        fr="Les objectifs que chaque commun a adoptés par décision, avec leur avancement compté "
        "sur les seules mesures VÉRIFIÉES.",
    ),
    Resource(
        "measurements",
        "Verified measurements",
        "Measurements of objectives verified by a verifier other than the declarer, with the "
        "SHA-256 of their evidence files (declared or disputed ones are not published).",
        (
            COMMONS_SLUG,
            Field("measurement_id", "integer", "Measurement id", True, fr="Identifiant"),
            Field("objective_id", "integer", "Objective (see objectives)", True, fr="Objectif"),
            Field("value", "number", "Value (3 decimals)", True, fr="Valeur"),
            Field("unit", "string", "Unit", True, fr="Unité"),
            Field("period_start", "date", "Start of the period", True, fr="Début de période"),
            Field("period_end", "date", "End of the period", True, fr="Fin de période"),
            Field("method", "string", "Method", fr="Méthode"),
            Field("verified_at", "datetime", "Verified at (UTC)", True, fr="Vérifiée le"),
            Field(
                "supersedes_id",
                "integer",
                "The measurement it corrects",
                fr="La mesure qu’elle corrige",
            ),
            Field(
                "evidence_sha256",
                "string",
                "SHA-256 of its evidence files, separated by spaces",
                fr="Empreintes SHA-256 de ses pièces, séparées par des espaces",
            ),
        ),
        primary_key=("measurement_id",),
        foreign_keys=((("objective_id",), "objectives", ("objective_id",)),),
        title_fr="Mesures vérifiées",
        fr="Les mesures des objectifs vérifiées par un vérificateur autre que le déclarant, "
        "avec l’empreinte SHA-256 de leurs pièces (les mesures déclarées ou contestées ne sont "
        "pas publiées).",
    ),
    Resource(
        "financings",
        "Financings",
        "Grants and loans each commons accepted by a decision: the funder (an organisation), "
        "the amount, what it is earmarked to, and what was paid and repaid so far.",
        (
            COMMONS_SLUG,
            Field("financing_id", "integer", "Financing id", True, fr="Identifiant du financement"),
            Field("funder", "string", "Funder (an organisation)", True, fr="Financeur"),
            Field(
                "kind",
                "string",
                "grant_operating, grant_investment, loan or equity",
                True,
                fr="Nature du financement",
                values=FINANCING_KINDS,
            ),
            Field("title", "string", "Title", True, fr="Intitulé"),
            Field(
                "status",
                "string",
                "accepted, active or closed",
                True,
                fr="État",
                values=FINANCING_STATUSES,
            ),
            _money("amount_cents", "Amount", "Montant"),
            _money("disbursed_cents", "Paid to the commons so far", "Versé au commun à ce jour"),
            _money("repaid_cents", "Principal repaid so far", "Capital remboursé à ce jour"),
            _money("interest_paid_cents", "Interest paid so far", "Intérêts payés à ce jour"),
            Field(
                "rate_bp",
                "integer",
                "Loan's yearly rate in basis points (100 = 1 %)",
                fr="Taux annuel du prêt en points de base (100 = 1 %)",
            ),
            Field(
                "decision_id",
                "integer",
                "Decision that accepted it (see decisions)",
                True,
                fr="Décision qui l’a accepté",
            ),
            Field(
                "earmarked_resource_ids",
                "string",
                "Resources it is earmarked to (see resources), separated by spaces",
                fr="Ressources auxquelles il est affecté, séparées par des espaces",
            ),
            Field(
                "earmarked_objective_ids",
                "string",
                "Objectives it is earmarked to (see objectives), separated by spaces",
                fr="Objectifs auxquels il est affecté, séparés par des espaces",
            ),
        ),
        primary_key=("financing_id",),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
        title_fr="Financements",
        fr="Les subventions et prêts que chaque commun a acceptés par décision : le "
        "financeur (une organisation), le montant, son affectation, et ce qui a été versé et "
        "remboursé à ce jour.",
    ),
    Resource(
        "financing_tranches",
        "Financing tranches and milestones",
        "The tranches of each financing, each paid once its milestone (a threshold on an "
        "objective's VERIFIED total) is reached.",
        (
            COMMONS_SLUG,
            Field("financing_id", "integer", "Financing (see financings)", True, fr="Financement"),
            Field("number", "integer", "Tranche number", True, fr="Numéro de tranche"),
            _money("amount_cents", "Amount", "Montant"),
            Field(
                "objective_id",
                "integer",
                "Milestone's objective (see objectives)",
                fr="Objectif du jalon",
            ),
            Field(
                "threshold",
                "number",
                "Verified total the milestone asks for",
                fr="Total vérifié qu’exige le jalon",
            ),
            Field(
                "status",
                "string",
                "pending, released or disbursed",
                True,
                fr="État",
                values=TRANCHE_STATUSES,
            ),
            Field("disbursed_at", "datetime", "Paid at (UTC)", fr="Versée le"),
        ),
        primary_key=("financing_id", "number"),
        foreign_keys=((("financing_id",), "financings", ("financing_id",)),),
        title_fr="Tranches et jalons des financements",
        fr="Les tranches de chaque financement, chacune versée une fois son jalon (un seuil sur "
        "le total VÉRIFIÉ d’un objectif) atteint.",
    ),
    Resource(
        "network_links",
        "Links between commons",
        "The network of public commons: one row per pair and kind of link (membership, "
        "holding, exchange, borrowed asset, shared contributors). Only links whose two commons "
        "are public; shared contributors are counted, never named.",
        (
            Field("source_slug", "string", "Source commons", True, fr="Commun source"),
            Field("target_slug", "string", "Target commons", True, fr="Commun cible"),
            Field(
                "kind",
                "string",
                "membership, holding, exchange, borrowing or contributors",
                True,
                fr="Nature du lien",
                values=LINK_KINDS,
            ),
            Field(
                "count",
                "integer",
                "How many: exchanges executed, loans, or contributors shared (1 for a "
                "membership or a holding)",
                True,
                fr="Combien : échanges exécutés, prêts, ou contributeurs communs (1 pour "
                "une adhésion ou une détention)",
            ),
            _money(
                "value_cents",
                "Holding: its carrying amount in the holder’s books",
                "Détention : sa valeur dans les comptes du détenteur",
            ),
        ),
        primary_key=("source_slug", "target_slug", "kind"),
        title_fr="Liens entre communs",
        fr="Le réseau des communs publics : une ligne par paire et nature de lien "
        "(adhésion, détention de titres, échange, actif prêté, contributeurs communs). Seuls "
        "les liens dont les deux communs sont publics ; les contributeurs communs sont "
        "comptés, jamais nommés.",
    ),
    Resource(
        "exchanges",
        "Exchanges between commons",
        "Exchanges executed between two public commons, each approved by a decision on each "
        "side and booked in both books at each side’s own valuation (PCG 213-3): what each "
        "received at its own value, and its equity change (its value received less the book "
        "value of what it gave).",
        (
            Field("exchange_id", "integer", "Exchange id", True, fr="Identifiant de l’échange"),
            Field("commons_a_slug", "string", "Commons A (proposer)", True, fr="Commun A"),
            Field("commons_b_slug", "string", "Commons B", True, fr="Commun B"),
            Field("executed_at", "datetime", "Executed at (UTC)", True, fr="Exécuté le"),
            Field(
                "terms_hash",
                "string",
                "SHA-256 of the terms and legs both decisions approved",
                True,
                fr="Empreinte SHA-256 des termes et des mouvements approuvés par les deux "
                "décisions",
            ),
            Field(
                "decision_a_id",
                "integer",
                "A’s decision (see decisions)",
                True,
                fr="Décision de A",
            ),
            Field(
                "decision_b_id",
                "integer",
                "B’s decision (see decisions)",
                True,
                fr="Décision de B",
            ),
            Field("entry_a_id", "integer", "Entry in A’s books", True, fr="Écriture chez A"),
            Field("entry_b_id", "integer", "Entry in B’s books", True, fr="Écriture chez B"),
            _money(
                "received_a_cents",
                "What A received, at A’s own valuation",
                "Ce que A a reçu, à sa propre valeur",
            ),
            _money(
                "received_b_cents",
                "What B received, at B’s own valuation",
                "Ce que B a reçu, à sa propre valeur",
            ),
            _money(
                "equity_change_a_cents",
                "A’s equity change",
                "Variation des capitaux propres de A",
            ),
            _money(
                "equity_change_b_cents",
                "B’s equity change",
                "Variation des capitaux propres de B",
            ),
        ),
        primary_key=("exchange_id",),
        title_fr="Échanges entre communs",
        fr="Les échanges exécutés entre deux communs publics, approuvés chacun par une décision "
        "de chaque côté et comptabilisés dans les deux comptabilités à la valeur propre à "
        "chacun (PCG 213-3) : ce que chacun a reçu à sa propre valeur, et la variation de "
        "ses capitaux propres (sa valeur reçue moins la valeur comptable de ce qu’il a donné).",
    ),
    Resource(
        "exchange_legs",
        "What moved in each exchange",
        "Each leg of an executed exchange: who gave what to whom, the giver’s book value and "
        "the giver’s and receiver’s own valuations; the gap between them stays in each side’s "
        "own result.",
        (
            Field("exchange_id", "integer", "Exchange (see exchanges)", True, fr="Échange"),
            Field("number", "integer", "Leg number", True, fr="Numéro du mouvement"),
            Field("giver_slug", "string", "Commons that gives", True, fr="Commun qui donne"),
            Field("receiver_slug", "string", "Commons that receives", True, fr="Commun qui reçoit"),
            Field(
                "kind",
                "string",
                "resource, use, service, cash or financial",
                True,
                fr="Nature de ce qui est donné",
                values=EXCHANGE_LEG_KINDS,
            ),
            Field("label", "string", "What moves", True, fr="Ce qui est donné"),
            Field("quantity", "number", "Quantity", True, fr="Quantité"),
            Field("unit", "string", "Unit", fr="Unité"),
            _money(
                "giver_book_cents",
                "Book value in the giver’s books",
                "Valeur comptable chez le donneur",
            ),
            _money("giver_value_cents", "Giver’s own valuation", "Valeur retenue par le donneur"),
            _money(
                "receiver_value_cents",
                "Receiver’s own valuation (what it books)",
                "Valeur retenue par le receveur (celle qu’il comptabilise)",
            ),
        ),
        primary_key=("exchange_id", "number"),
        foreign_keys=((("exchange_id",), "exchanges", ("exchange_id",)),),
        title_fr="Mouvements de chaque échange",
        fr="Chaque mouvement d’un échange exécuté : qui a donné quoi à qui, la valeur "
        "comptable chez le donneur, et la valeur retenue par le donneur et par le "
        "receveur ; l’écart entre elles reste dans le résultat propre de chacun.",
    ),
    Resource(
        "participations",
        "Holdings between commons",
        "Titles of a public commons held by another public commons (account 261), as the "
        "holder’s books carry them by the method its charter chose, and at the host’s unit "
        "value (fair value).",
        (
            Field("holder_slug", "string", "Commons that holds", True, fr="Commun détenteur"),
            Field(
                "host_slug", "string", "Commons whose titles are held", True, fr="Commun émetteur"
            ),
            Field(
                "method",
                "string",
                "cost_impairment or fair_value (the holder’s charter)",
                True,
                fr="Méthode d’évaluation (la charte du détenteur)",
                values=VALUATION_METHODS,
            ),
            _money("cost_cents", "Cost", "Coût d’acquisition"),
            _money("impairment_cents", "Impairment (2961)", "Dépréciation (2961)"),
            _money(
                "revaluation_cents",
                "Gap above cost carried in equity (1052), fair value only",
                "Écart au-dessus du coût porté en capitaux propres (1052), valeur de la part "
                "seulement",
            ),
            _money("carrying_cents", "Carrying amount", "Valeur nette comptable"),
            _money(
                "fair_value_cents",
                "Host’s unit value × units held, at the last revaluation",
                "Valeur de la part × parts détenues, à la dernière réévaluation",
            ),
            Field("revalued_at", "datetime", "Last revaluation (UTC)", fr="Dernière réévaluation"),
        ),
        primary_key=("holder_slug", "host_slug"),
        title_fr="Détentions entre communs",
        fr="Les titres d’un commun public détenus par un autre commun public (compte 261), "
        "comme les porte la comptabilité du détenteur selon la méthode choisie par sa charte, "
        "et à la valeur de la part de l’émetteur (juste valeur).",
    ),
    Resource(
        "federations",
        "Federations of commons",
        "Federations whose active members are all public commons, and how their books are "
        "combined.",
        (
            Field("federation_slug", "string", "Short name", True, fr="Nom court"),
            Field("name", "string", "Name", True, fr="Nom"),
            Field(
                "accounts",
                "string",
                "combined or aggregated",
                True,
                fr="Nature des comptes",
                values=FEDERATION_ACCOUNTS,
            ),
            Field(
                "combination_agreement",
                "boolean",
                "A written combination agreement (ANC 2020-01) exists",
                True,
                fr="Un accord écrit de combinaison (ANC 2020-01) existe",
            ),
            Field("agreement_ref", "string", "Agreement reference", fr="Référence de l’accord"),
            Field("created_at", "datetime", "Created at (UTC)", True, fr="Créée le"),
        ),
        primary_key=("federation_slug",),
        title_fr="Fédérations de communs",
        fr="Les fédérations dont tous les membres actifs sont des communs publics, et la nature "
        "de leurs comptes.",
    ),
    Resource(
        "federation_members",
        "Members of federations",
        "The commons that joined each federation, each by a decision of its own.",
        (
            Field(
                "federation_slug",
                "string",
                "Federation (see federations)",
                True,
                fr="Fédération",
            ),
            Field("commons_slug", "string", "Member commons", True, fr="Commun membre"),
            Field("joined_at", "datetime", "Joined at (UTC)", fr="Entré le"),
            Field(
                "decision_id",
                "integer",
                "The member’s decision to join (see decisions)",
                fr="Décision d’adhésion du membre",
            ),
        ),
        primary_key=("federation_slug", "commons_slug"),
        foreign_keys=((("federation_slug",), "federations", ("federation_slug",)),),
        title_fr="Membres des fédérations",
        fr="Les communs entrés dans chaque fédération, chacun par une décision qui lui est propre.",
    ),
)

RESOURCES_BY_NAME = {resource.name: resource for resource in RESOURCES}


def dictionary(license: dict) -> dict:
    """The public data dictionary: what each table and field means, the units, the licence.

    Texts in both languages (`{"fr", "en"}`), as every text of the API a person reads; the
    reader's screen shows its own.
    """
    return {
        "licenses": [license],
        "currency": "EUR",
        "amounts": {
            "fr": "des entiers en centimes d’euro (100 = 1 €), exacts comme dans les comptes",
            "en": "integers in euro cents (100 = 1 €), exact as in the books",
        },
        "resources": [
            {
                "name": resource.name,
                "title": {"fr": resource.title_fr, "en": resource.title},
                "description": {"fr": resource.fr, "en": resource.description},
                "path": f"data/{resource.name}.csv",
                "primary_key": list(resource.primary_key),
                "foreign_keys": resource.schema().get("foreignKeys", []),
                "fields": [
                    {
                        "name": item.name,
                        "type": item.type,
                        "description": {"fr": item.fr, "en": item.description},
                        "unit": item.unit or None,
                        "required": item.required,
                        "values": [value.labels() for value in item.values],
                    }
                    for item in resource.fields
                ],
            }
            for resource in RESOURCES
        ],
    }
