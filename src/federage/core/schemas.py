"""Schemas shared by every API: the error shape and the command envelope."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Schema


class Messages(Schema):
    fr: str
    en: str


class FieldErrorOut(Schema):
    code: str
    message: str
    messages: Messages
    detail: str | None = None


class ErrorOut(Schema):
    code: str
    message: str
    messages: Messages
    fields: dict[str, FieldErrorOut]
    detail: str | None = None


class CommandIn(Schema):
    id: uuid.UUID
    type: str
    payload: dict[str, Any] = {}


ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    410: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def with_errors(responses: dict) -> dict:
    """A route's success schemas plus the shared error shape for every refusal status."""
    return {**ERRORS, **responses}
