"""API shapes of impact: indicators, objectives with verified progress, measurements, evidence,
emission factors and footprints. Values travel as strings ("12.500") so no float rounds them."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field, StrictInt

# A value from outside: a JSON string or integer, at most three decimals (checked by the service).
Value = str | StrictInt


class IndicatorOut(Schema):
    code: str
    label_fr: str
    label_en: str
    unit: str
    direction: str
    references: dict[str, str]
    term: str | None
    origin: str


class EmissionFactorOut(Schema):
    code: str
    label_fr: str
    label_en: str
    activity_unit: str
    kg_co2e_per_unit: str
    uncertainty_pct: int | None
    source: str
    source_version: str
    archived: bool


class ObjectiveOut(Schema):
    id: int
    commons_slug: str
    title: str
    indicator_code: str
    indicator_label_fr: str
    indicator_label_en: str
    unit: str
    direction: str
    baseline: str
    target: str
    starts_on: dt.date
    target_date: dt.date
    method: str
    method_reference: str
    status: str
    proposal_id: int | None
    decision_id: int | None
    verified_total: str
    latest_verified: str | None
    progress_bp: int
    terms: list[str]
    resource_ids: list[int]


class ObjectiveProposedOut(ObjectiveOut):
    # The adopt_objective vote opened by this command (a change's vote for objective.change).
    pending_proposal_id: int | None = None


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class EmissionLineOut(Schema):
    category: str
    factor_code: str
    activity: str
    factor_value: str
    emission_kg: str


class MeasurementOut(Schema):
    id: int
    objective_id: int
    value: str
    unit: str
    period_start: dt.date
    period_end: dt.date
    method: str
    status: str
    declared_by_id: int | None
    declared_by_name: str
    declared_at: dt.datetime
    reviewed_by_name: str | None
    reviewed_at: dt.datetime | None
    review_comment: str
    supersedes_id: int | None
    evidence: list[EvidenceOut]
    lines: list[EmissionLineOut]


class MeasurementReviewedOut(MeasurementOut):
    # The draft labour contribution recorded for the verifier's hours, if asked.
    labour_contribution_id: int | None = None


class ResourceRefOut(Schema):
    id: int
    name: str


class ObjectiveDetailOut(ObjectiveOut):
    measurements: list[MeasurementOut]
    resources: list[ResourceRefOut]


# --- Inputs and commands ---------------------------------------------------------------------


class IndicatorIn(Schema):
    code: str = Field(max_length=60)
    label_fr: str = Field(max_length=160)
    label_en: str = Field(max_length=160)
    unit: str = Field(max_length=10)
    direction: str = Field(max_length=8)
    references: dict[str, str] = Field(default_factory=dict)


class EmissionFactorIn(Schema):
    code: str = Field(max_length=60)
    label_fr: str = Field(max_length=200)
    label_en: str = Field(max_length=200)
    activity_unit: str = Field(max_length=20)
    kg_co2e_per_unit: Value
    source: str = Field(max_length=200)
    source_version: str = Field("", max_length=40)
    uncertainty_pct: StrictInt | None = None


class ObjectiveIn(Schema):
    title: str = Field(max_length=160)
    indicator_code: str = Field(max_length=60)
    baseline: Value = "0"
    target: Value
    starts_on: dt.date
    target_date: dt.date
    method: str = Field("", max_length=5000)
    method_reference: str = Field("", max_length=200)
    resource_ids: list[int] = Field(default_factory=list, max_length=50)
    terms: list[str] = Field(default_factory=list, max_length=12)
    agent_id: int | None = None


class ObjectiveCommand(ObjectiveIn):
    commons_slug: str


class ObjectiveChangeIn(Schema):
    title: str | None = Field(None, max_length=160)
    baseline: Value | None = None
    target: Value | None = None
    starts_on: dt.date | None = None
    target_date: dt.date | None = None
    method: str | None = Field(None, max_length=5000)
    method_reference: str | None = Field(None, max_length=200)
    resource_ids: list[int] | None = Field(None, max_length=50)
    terms: list[str] | None = Field(None, max_length=12)
    agent_id: int | None = None


class ObjectiveChangeCommand(ObjectiveChangeIn):
    objective_id: int


class MeasurementIn(Schema):
    value: Value
    unit: str = Field(max_length=10)
    period_start: dt.date
    period_end: dt.date
    method: str = Field("", max_length=5000)
    supersedes_id: int | None = None
    agent_id: int | None = None


class MeasurementCommand(MeasurementIn):
    objective_id: int


class ReviewIn(Schema):
    comment: str = Field("", max_length=5000)


class VerifyIn(ReviewIn):
    # The verifier's work, recorded as a draft labour contribution (both or neither).
    hours: Value | None = None
    hourly_rate_cents: StrictInt | None = None


class VerifyCommand(VerifyIn):
    measurement_id: int


class DisputeCommand(ReviewIn):
    measurement_id: int


class FootprintLineIn(Schema):
    category: str = Field(max_length=1)
    factor_code: str = Field(max_length=60)
    activity: Value


class FootprintIn(Schema):
    period_start: dt.date
    period_end: dt.date
    method: str = Field("", max_length=5000)
    lines: list[FootprintLineIn] = Field(max_length=200)
    supersedes_id: int | None = None
    agent_id: int | None = None


class FootprintCommand(FootprintIn):
    objective_id: int
