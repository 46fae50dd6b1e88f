"""API shapes of charters, proposals, ballots, decisions, comments and notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

Kind = Literal[
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
]
Choice = Literal["for", "against", "abstain", "object"]
Scalar = int | bool | str | None


class Labels(Schema):
    fr: str
    en: str


class ChoiceOut(Schema):
    value: str
    label: Labels


class ParameterOut(Schema):
    name: str
    type: Literal["int", "choice", "bool"]
    unit: str
    label: Labels
    minimum: int | None = None
    maximum: int | None = None
    choices: list[ChoiceOut]
    default: Scalar = None


class ParameterValueOut(ParameterOut):
    value: Scalar = None
    text_fr: str


class UserRef(Schema):
    id: int
    display_name: str


class AgentRef(Schema):
    id: int
    display_name: str


class ChangeOut(Schema):
    name: str
    before: Scalar = None
    after: Scalar = None


class CharterVersionOut(Schema):
    number: int
    created_at: dt.datetime
    created_by: UserRef
    decision_id: int | None
    decision_sequence: int | None
    proposal_id: int | None
    changes: list[ChangeOut]


class CharterOut(CharterVersionOut):
    commons_slug: str
    parameters: dict[str, Scalar]
    rules: list[ParameterValueOut]
    summary_fr: list[str]


class PolicyOut(Schema):
    voters: str
    method: str
    threshold_bp: int
    weighting: str
    quorum_bp: int
    duration_hours: int
    # Who voted: "standard", or "young_commons" (every member, the author included, while the
    # commons had fewer members than `young_commons_members`; `members_at_opening` counted).
    electorate_rule: str = "standard"
    young_commons_members: int | None = None
    members_at_opening: int | None = None


class PreviewVoterOut(Schema):
    id: int
    display_name: str
    kind: str
    weight: int


class ElectoratePreviewOut(Schema):
    """Who would vote on a proposal of `kind` opened now by the user, and under which rule."""

    kind: str
    rule: Literal["standard", "young_commons"]
    author_votes: bool
    members: int
    young_commons_members: int
    policy: PolicyOut
    count: int
    voters: list[PreviewVoterOut]


class TallyOut(Schema):
    status: str
    final: bool
    early: bool
    weight_for: int
    weight_against: int
    weight_abstain: int
    weight_object: int
    eligible_weight: int
    participation_weight: int
    quorum_weight: int
    quorum_reached: bool
    leaning: str
    counts: dict[str, int]


class ProposalIn(Schema):
    kind: Kind
    title: str = Field(max_length=200)
    body: str = Field("", max_length=20000)
    payload: dict[str, Any] = {}
    agent_id: int | None = None
    draft: bool = False


class ProposalOpenCommand(ProposalIn):
    commons_slug: str


class ProposalRefCommand(Schema):
    proposal_id: int


class EffectOut(Schema):
    """A decision's effect that was refused at closing: pending until a retry applies it."""

    status: Literal["pending", "applied"]
    # An error code of the catalogue; `reason_messages` says it in French and English.
    reason: str
    reason_messages: Labels
    attempts: int
    created_at: dt.datetime
    last_attempt_at: dt.datetime
    applied_at: dt.datetime | None
    # Whether the reader may retry it now (a steward of the commons, effect pending).
    can_retry: bool = False


class DecisionRefCommand(Schema):
    decision_id: int


class ProposalOut(Schema):
    id: int
    commons_slug: str
    kind: str
    title: str
    status: str
    author: UserRef
    author_agent: AgentRef
    subject_type: str
    subject_id: int | None
    created_at: dt.datetime
    opened_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    # Open past its deadline: the worker closes it within a minute ("clôture en cours").
    closing_due: bool = False
    tally: TallyOut | None
    # Set when the decision's effect was refused at closing ("adoptée — exécution en attente").
    effect: EffectOut | None = None


class VoterAgentOut(Schema):
    id: int
    display_name: str
    kind: str = "person"
    weight: int
    choice: str | None


class MyVoteOut(Schema):
    can_vote: bool
    reason: str | None
    agents: list[VoterAgentOut]


class ProposalDetailOut(ProposalOut):
    body: str
    payload: dict[str, Any]
    policy: PolicyOut | None
    charter_version: int | None
    electorate_size: int
    my_vote: MyVoteOut
    decision_id: int | None
    decision_sequence: int | None


class BallotIn(Schema):
    choice: Choice
    comment: str = Field("", max_length=4000)
    agent_id: int | None = None


class BallotCommand(BallotIn):
    proposal_id: int


class BallotOut(Schema):
    id: int
    proposal_id: int
    agent: AgentRef
    user: UserRef
    choice: str
    comment: str
    cast_at: dt.datetime
    is_effective: bool


class BallotCastOut(Schema):
    ballot: BallotOut
    proposal: ProposalOut


class DecisionOut(Schema):
    id: int
    sequence: int
    proposal_id: int
    kind: str
    title: str
    outcome: str
    charter_version: int
    decided_at: dt.datetime
    # What it authorised: hashed at closing, or, for an effect that waited, what it did once applied.
    authorised: dict[str, Any]
    effect: EffectOut | None = None
    previous_hash: str
    hash: str
    # hash = sha256(previous_hash + "\n" + JSON of content, keys sorted, no spaces, UTF-8).
    content: dict[str, Any]


class DecisionLogVerifyOut(Schema):
    ok: bool
    problems: list[str]
    length: int


class ProposalCommentIn(Schema):
    body: str = Field(max_length=10000)
    parent_id: int | None = None


class CommentCommand(ProposalCommentIn):
    proposal_id: int


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: UserRef
    body: str
    created_at: dt.datetime


class NotificationOut(Schema):
    id: int
    kind: str
    commons_slug: str | None
    proposal_id: int | None
    data: dict[str, Any]
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int


class PreferencesIn(Schema):
    email_enabled: bool


class PreferencesOut(Schema):
    email_enabled: bool
