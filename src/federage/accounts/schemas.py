"""API shapes of accounts."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from federage.agents.schemas import AgentOut


class SignUpIn(Schema):
    email: str
    password: str
    display_name: str
    language: str = "fr"


class LogInIn(Schema):
    email: str
    password: str


class TokenIn(Schema):
    token: str


class EmailIn(Schema):
    email: str


class PasswordResetConfirmIn(Schema):
    token: str
    password: str


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    email_verified: bool
    language: str
    agents: list[AgentOut]


class CsrfOut(Schema):
    csrf_token: str


class ApiTokenIn(Schema):
    name: str


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str
