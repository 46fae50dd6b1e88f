"""API shapes of contributions, their evidence and history, and needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from federage.core.schemas import Cents


class ContributionIn(Schema):
    kind: str
    title: str = Field(max_length=200)
    description: str = Field("", max_length=20_000)
    quantity: Decimal | None = Field(None, max_digits=14, decimal_places=4)
    unit: str = Field("", max_length=20)
    unit_price_cents: Cents | None = None
    proposed_price_cents: Cents
    price_explanation: str = Field("", max_length=4000)
    delivery_date: dt.date | None = None
    resource_account: str = Field("", max_length=12)
    resource_label: str = Field("", max_length=200)
    co_author_agent_ids: list[int] = Field(default_factory=list, max_length=50)
    need_id: int | None = None
    agent_id: int | None = None


class ContributionCreateCommand(ContributionIn):
    commons_slug: str


class ContributionUpdateIn(Schema):
    comment: str = Field(max_length=4000)
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    quantity: Decimal | None = Field(None, max_digits=14, decimal_places=4)
    unit: str | None = Field(None, max_length=20)
    unit_price_cents: Cents | None = None
    proposed_price_cents: Cents | None = None
    price_explanation: str | None = Field(None, max_length=4000)
    delivery_date: dt.date | None = None
    resource_account: str | None = Field(None, max_length=12)
    resource_label: str | None = Field(None, max_length=200)


class ContributionUpdateCommand(ContributionUpdateIn):
    contribution_id: int


class RevisionCommentIn(Schema):
    comment: str = Field("", max_length=4000)


class ContributionActionCommand(RevisionCommentIn):
    contribution_id: int


class CounterIn(RevisionCommentIn):
    price_cents: Cents
    # The member agent (an organisation the user represents) the counter-offer is made for.
    agent_id: int | None = None


class CounterCommand(CounterIn):
    contribution_id: int


class ContributorRef(Schema):
    id: int
    display_name: str
    kind: str


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class RevisionOut(Schema):
    number: int
    action: str
    state_before: str
    state_after: str
    changes: dict[str, Any]
    comment: str
    user_name: str | None
    created_at: dt.datetime


class ContributionOut(Schema):
    id: int
    commons_slug: str
    contributor: ContributorRef
    kind: str
    title: str
    description: str
    quantity: Decimal | None
    unit: str
    unit_price_cents: int | None
    proposed_price_cents: int
    price_explanation: str
    delivery_date: dt.date | None
    resource_account: str
    resource_label: str
    need_id: int | None
    state: str
    counter_price_cents: int | None
    proposal_id: int | None
    decision_id: int | None
    charter_version_id: int | None
    entry_id: int | None
    payment_entry_id: int | None
    issuance_id: int | None
    accepted_price_cents: int | None
    co_authors: list[ContributorRef]
    evidence: list[EvidenceOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class ContributionDetailOut(ContributionOut):
    revisions: list[RevisionOut]


class NeedIn(Schema):
    kind: str
    title: str = Field(max_length=200)
    description: str = Field("", max_length=20_000)
    target_cents: Cents
    wanted_by: dt.date | None = None


class NeedCreateCommand(NeedIn):
    commons_slug: str


class NeedCloseCommand(Schema):
    need_id: int


class NeedOut(Schema):
    id: int
    commons_slug: str
    kind: str
    title: str
    description: str
    target_cents: int
    wanted_by: dt.date | None
    is_open: bool
    validated_cents: int = 0
    pending_cents: int = 0
    created_at: dt.datetime
