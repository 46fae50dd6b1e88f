"""API shapes of the taxonomy, territories, discovery and the funder's view of a commons."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class TermOut(Schema):
    id: int
    code: str
    parent: str | None
    fr: str
    en: str
    origin: str
    added_in: int
    retired_in: int | None


class TaxonomyOut(Schema):
    version: int
    terms: list[TermOut]


class TermIn(Schema):
    code: str = Field(max_length=60)
    label_fr: str = Field(max_length=120)
    label_en: str = Field(max_length=120)
    parent: str | None = Field(None, max_length=60)


class TermRetireCommand(Schema):
    code: str = Field(max_length=60)


class TerritoryOut(Schema):
    kind: str
    code: str
    name: str
    type: str | None = None
    parent: str | None = None
    departement: str | None = None
    departement_name: str | None = None
    region: str | None = None
    region_name: str | None = None
    postcodes: list[str] = []
    old_codes: list[str] = []


class LocationOut(Schema):
    commune_code: str
    commune_name: str
    departement_code: str
    departement_name: str
    region_code: str
    region_name: str
    cog_year: int


class ClassificationOut(Schema):
    commons_slug: str
    terms: list[str]
    location: LocationOut | None


class ClassificationIn(Schema):
    terms: list[str] = Field(default_factory=list, max_length=12)
    # A COG commune code; "" removes the location, absent (null) leaves it as it is.
    commune_code: str | None = Field(None, max_length=10)


class ClassificationCommand(ClassificationIn):
    commons_slug: str


class ResourceClassificationIn(Schema):
    terms: list[str] = Field(default_factory=list, max_length=12)


class ResourceClassificationCommand(ResourceClassificationIn):
    resource_id: int


class ResourceClassificationOut(Schema):
    resource_id: int
    terms: list[str]


class DiscoverRowOut(Schema):
    slug: str
    name: str
    purpose: str
    member_count: int
    titles_value_cents: int
    terms: list[str]
    location: LocationOut | None
    indicator: str | None
    verified_total: str | None
    received_cents: int
    impact_per_euro: str | None
    progress_bp: int | None
    participation_bp: int | None
    score: str | None


class DiscoverOut(Schema):
    sort: str
    formula: str
    count: int
    results: list[DiscoverRowOut]


class MapAreaOut(Schema):
    code: str
    name: str
    count: int
    verified_total: str | None


class MapOut(Schema):
    indicator: str | None
    unit: str | None
    departements: list[MapAreaOut]
    regions: list[MapAreaOut]


class BooksOut(Schema):
    at: str
    total_assets_cents: int
    equity_cents: int
    liabilities_cents: int
    result_cents: int
    income_cents: int
    expenses_cents: int
    received_cents: int


class TitlesValueOut(Schema):
    unit_value_cents: int | None
    units_outstanding: str
    value_cents: int


class ObjectiveStatusOut(Schema):
    objective_id: int
    title: str
    indicator_code: str
    unit: str
    baseline: str
    target: str
    verified_total: str
    progress_bp: int
    status: str
    measurements: dict[str, int]


class GovernanceHealthOut(Schema):
    participation_bp: int | None
    proposals_counted: int
    open_proposals: int
    decisions_last_12_months: int


class FunderViewOut(Schema):
    slug: str
    name: str
    visibility: str
    member_count: int
    terms: list[str]
    location: LocationOut | None
    books: BooksOut
    titles: TitlesValueOut
    objectives: list[ObjectiveStatusOut]
    governance: GovernanceHealthOut
