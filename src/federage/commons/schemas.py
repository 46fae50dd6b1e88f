"""API shapes of commons, memberships and invitations."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class CommonsRef(Schema):
    slug: str
    name: str


class CommonsOut(Schema):
    slug: str
    name: str
    purpose: str
    category: str
    location: str
    visibility: str
    parent_slug: str | None
    member_count: int
    my_roles: list[str]


class CommonsDetailOut(CommonsOut):
    children: list[CommonsRef]
    ancestors: list[CommonsRef]
    created_at: dt.datetime


class CommonsCreateIn(Schema):
    slug: str = Field(max_length=50)
    name: str = Field(max_length=160)
    purpose: str = Field("", max_length=4000)
    category: str = Field("", max_length=80)
    location: str = Field("", max_length=160)
    visibility: str = "draft"
    parent_slug: str | None = None
    agent_id: int | None = None


class CommonsUpdateIn(Schema):
    name: str | None = Field(None, max_length=160)
    purpose: str | None = Field(None, max_length=4000)
    category: str | None = Field(None, max_length=80)
    location: str | None = Field(None, max_length=160)
    visibility: str | None = None
    parent_slug: str | None = None


class CommonsUpdateCommand(CommonsUpdateIn):
    slug: str


class MemberAgentOut(Schema):
    id: int
    kind: str
    display_name: str


class MembershipOut(Schema):
    id: int
    commons_slug: str
    agent: MemberAgentOut
    roles: list[str]
    joined_at: dt.datetime
    left_at: dt.datetime | None = None


class InvitationIn(Schema):
    email: str = Field(default="", max_length=254)
    roles: list[str]
    # Anyone holding the link may accept (the steward shares it); else only the invited address.
    anyone_with_link: bool = False


class InvitationCommand(InvitationIn):
    commons_slug: str


class InvitationOut(Schema):
    id: int
    email: str
    roles: list[str]
    anyone_with_link: bool
    status: str
    created_at: dt.datetime
    expires_at: dt.datetime
    link: str | None = None


class InvitationPublicOut(Schema):
    commons: CommonsRef
    email: str
    roles: list[str]
    anyone_with_link: bool
    expires_at: dt.datetime
    status: str


class InvitationRevokeCommand(Schema):
    commons_slug: str
    invitation_id: int


class InvitationAcceptIn(Schema):
    agent_id: int | None = None


class InvitationAcceptCommand(InvitationAcceptIn):
    token: str


class RolesIn(Schema):
    roles: list[str]


class SetRolesCommand(RolesIn):
    commons_slug: str
    membership_id: int


class LeaveIn(Schema):
    agent_id: int | None = None


class LeaveCommand(LeaveIn):
    commons_slug: str


class PublicCommonsOut(Schema):
    slug: str
    name: str
    purpose: str
    category: str
    location: str
    parent: CommonsRef | None
    children: list[CommonsRef]
    member_count: int
