"""The data dictionary: every public table, its fields, keys and units (pure data).

One description serves the Frictionless Table Schemas of the data package, the CSV column
order and the public dictionary page. Amounts are integers in euro cents (1 € = 100): exact,
as in the books; divide by 100 for euros.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EUR_CENT = "EUR cent"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema types: string, integer, number, date, datetime, boolean
    description: str
    required: bool = False
    unit: str = ""

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


def _money(name: str, description: str) -> Field:
    return Field(name, "integer", f"{description}, in euro cents (EUR; 100 = 1 €)", unit=EUR_CENT)


COMMONS_SLUG = Field("commons_slug", "string", "Short name of the commons", required=True)

RESOURCES: tuple[Resource, ...] = (
    Resource(
        "commons",
        "Commons",
        "Public commons: their purpose, category, location and parent commons.",
        (
            Field("slug", "string", "Short name, unique on the instance", required=True),
            Field("name", "string", "Name", required=True),
            Field("purpose", "string", "What the commons is for"),
            Field("category", "string", "Category (free text chosen by the commons)"),
            Field("location", "string", "Where it is (free text)"),
            Field("parent_slug", "string", "The commons this one is part of, if public"),
            Field("created_at", "datetime", "When it was created (UTC)", required=True),
            Field("url", "string", "Its page on the instance"),
        ),
        primary_key=("slug",),
        foreign_keys=((("parent_slug",), "", ("slug",)),),
    ),
    Resource(
        "agents",
        "Agents",
        "Members, contributors and title holders of each commons. Organisations are named; "
        "a natural person is named only if they consented and the commons' charter allows it, "
        "else shown under a pseudonym (a keyed hash, stable within one commons).",
        (
            COMMONS_SLUG,
            Field("agent_ref", "string", "Public reference, stable within the commons", True),
            Field("kind", "string", "person, association, company, cooperative, commons…", True),
            Field("name", "string", "Name, or pseudonym such as 'Membre 7f3a2c'", True),
            Field("name_is_pseudonym", "boolean", "True when name is a pseudonym", True),
            Field("roles", "string", "Roles held now, separated by ';' (empty: not a member)"),
        ),
        primary_key=("commons_slug", "agent_ref"),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
    ),
    Resource(
        "accounts",
        "Accounts",
        "Chart of accounts of each book (French PCG numbers) with its type and capital kind "
        "(financial, human, natural).",
        (
            COMMONS_SLUG,
            Field("number", "string", "Account number (PCG)", required=True),
            Field("label", "string", "Label", required=True),
            Field("type", "string", "asset, liability, equity, income, expense, off_balance", True),
            Field("capital_kind", "string", "financial, human or natural", required=True),
        ),
        primary_key=("commons_slug", "number"),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
    ),
    Resource(
        "decisions",
        "Decisions",
        "The hash-chained decision log: what was decided, when, under which charter version.",
        (
            Field("decision_id", "integer", "Identifier", required=True),
            COMMONS_SLUG,
            Field("sequence", "integer", "Position in the commons' log", required=True),
            Field("kind", "string", "Kind of proposal decided", required=True),
            Field("title", "string", "Title of the proposal"),
            Field("outcome", "string", "passed, rejected…", required=True),
            Field("charter_version", "integer", "Charter version in force"),
            Field("decided_at", "datetime", "When (UTC)", required=True),
            Field("hash", "string", "SHA-256 of the decision, chained to the previous one"),
            Field("previous_hash", "string", "Hash of the previous decision"),
        ),
        primary_key=("decision_id",),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
    ),
    Resource(
        "entries",
        "Journal entries",
        "Double-entry journal entries (écritures); immutable, hash-chained per book.",
        (
            Field("entry_id", "integer", "Identifier", required=True),
            COMMONS_SLUG,
            Field("sequence", "integer", "Order of posting in the book", required=True),
            Field("journal", "string", "Journal code (AP, AI, BQ, VE, OD, AN…)", required=True),
            Field("reference", "string", "Journal code and number, e.g. AP000012", required=True),
            Field("entry_date", "date", "Accounting date", required=True),
            Field("validation_date", "date", "Validation date", required=True),
            Field("label", "string", "Label"),
            Field("piece_ref", "string", "Reference of the supporting document"),
            _money("total_cents", "Total of the debits (= credits)"),
            Field("reverses_id", "integer", "The entry this one reverses"),
            Field("decision_id", "integer", "The decision that authorised it"),
            Field("source_type", "string", "What caused it (contribution, transfer, manual…)"),
            Field("hash", "string", "SHA-256 of the entry, chained to the previous one"),
        ),
        primary_key=("entry_id",),
        foreign_keys=(
            (("commons_slug",), "commons", ("slug",)),
            (("reverses_id",), "", ("entry_id",)),
            (("decision_id",), "decisions", ("decision_id",)),
        ),
    ),
    Resource(
        "lines",
        "Entry lines",
        "Lines of the entries: one account, a debit or a credit.",
        (
            Field("entry_id", "integer", "The entry", required=True),
            Field("position", "integer", "Order within the entry", required=True),
            COMMONS_SLUG,
            Field("account_number", "string", "Account (PCG number)", required=True),
            _money("debit_cents", "Debit"),
            _money("credit_cents", "Credit"),
            Field("label", "string", "Label of the line, if any"),
        ),
        primary_key=("entry_id", "position"),
        foreign_keys=(
            (("entry_id",), "entries", ("entry_id",)),
            (("commons_slug", "account_number"), "accounts", ("commons_slug", "number")),
        ),
    ),
    Resource(
        "contributions",
        "Accepted contributions",
        "Contributions (apports) in cash, in kind or in labour, accepted by the commons.",
        (
            Field("contribution_id", "integer", "Identifier", required=True),
            COMMONS_SLUG,
            Field("contributor_ref", "string", "Who brought it (see agents)", required=True),
            Field("kind", "string", "cash, in_kind or labour", required=True),
            Field("title", "string", "What was brought", required=True),
            Field("state", "string", "accepted, called or paid", required=True),
            _money("price_cents", "Accepted price"),
            Field("decided_at", "datetime", "When it was accepted (UTC)"),
            Field("decision_id", "integer", "The decision that accepted it"),
            Field("entry_id", "integer", "The entry that booked it"),
        ),
        primary_key=("contribution_id",),
        foreign_keys=(
            (("commons_slug", "contributor_ref"), "agents", ("commons_slug", "agent_ref")),
            (("decision_id",), "decisions", ("decision_id",)),
            (("entry_id",), "entries", ("entry_id",)),
        ),
    ),
    Resource(
        "holdings",
        "Cap table",
        "Participation titles held now, their share of the capital and value at the unit "
        "value (NAV) of the commons.",
        (
            COMMONS_SLUG,
            Field("agent_ref", "string", "Holder (see agents)", required=True),
            Field("units", "number", "Titles held (4 decimal places)", required=True),
            Field("percent", "number", "Share of the titles outstanding, in %"),
            _money("value_cents", "Value at the current unit value"),
        ),
        primary_key=("commons_slug", "agent_ref"),
        foreign_keys=((("commons_slug", "agent_ref"), "agents", ("commons_slug", "agent_ref")),),
    ),
    Resource(
        "nav_history",
        "Unit value history",
        "Unit value (NAV) of the titles after each movement: net assets / titles outstanding.",
        (
            COMMONS_SLUG,
            Field("at", "datetime", "Moment (UTC)", required=True),
            Field(
                "unit_value_cents",
                "number",
                "Unit value, in euro cents (6 decimal places)",
                unit=EUR_CENT,
            ),
            _money("net_assets_cents", "Net assets"),
            Field("outstanding", "number", "Titles outstanding"),
            Field(
                "cause",
                "string",
                "issuance, transfer, redemption, revaluation, or books (the value today)",
            ),
        ),
        foreign_keys=((("commons_slug",), "commons", ("slug",)),),
    ),
)

RESOURCES_BY_NAME = {resource.name: resource for resource in RESOURCES}


def dictionary(license: dict) -> dict:
    """The public data dictionary: what each table and field means, the units, the licence."""
    return {
        "licenses": [license],
        "currency": "EUR",
        "amounts": "Integers in euro cents (100 = 1 €), exact as in the books.",
        "resources": [
            {
                "name": resource.name,
                "title": resource.title,
                "description": resource.description,
                "path": f"data/{resource.name}.csv",
                "primary_key": list(resource.primary_key),
                "foreign_keys": resource.schema().get("foreignKeys", []),
                "fields": [
                    {
                        "name": item.name,
                        "type": item.type,
                        "description": item.description,
                        "unit": item.unit or None,
                        "required": item.required,
                    }
                    for item in resource.fields
                ],
            }
            for resource in RESOURCES
        ],
    }
