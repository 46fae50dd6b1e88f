"""Shapes of the sync pull and of command batches."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Field, Schema

from federage.commons.schemas import CommonsOut
from federage.contributions.schemas import ContributionOut
from federage.core.schemas import CommandIn
from federage.governance.schemas import ProposalDetailOut
from federage.titles.schemas import PortfolioRowOut

# One flush sends at most this many: a bigger outbox goes in several batches.
BATCH_MAX = 1000


class SyncOut(Schema):
    since: int
    cursor: int = Field(description="Pass it as `since` next time.")
    full: bool = Field(description="True when every commons of the member is in `changed`.")
    member_of: list[str] = Field(description="Slugs of every commons the member belongs to now.")
    changed: list[str] = Field(
        description="Slugs whose rows below replace, whole, what the client holds for them."
    )
    commons: list[CommonsOut]
    proposals: list[ProposalDetailOut] = Field(description="Open proposals, with my vote.")
    contributions: list[ContributionOut] = Field(description="My contributions.")
    holdings: list[PortfolioRowOut] = Field(description="My holdings of titles.")


class CommandBatchIn(Schema):
    # Each item is parsed loosely and its payload validated by `execute`, one by one, so that a
    # bad item is refused on its own (the OpenAPI advertises the union: see CommandIn).
    commands: list[CommandIn] = Field(max_length=BATCH_MAX)


class CommandResultOut(Schema):
    id: uuid.UUID
    status: int
    body: Any
    replayed: bool


class CommandBatchOut(Schema):
    results: list[CommandResultOut]
