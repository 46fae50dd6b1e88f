"""Schemas shared by every API: the error shape and the command envelope."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from ninja import Schema
from pydantic import AfterValidator, Field, Strict, TypeAdapter, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from federage.core.money import MAX_CENTS, MAX_UNITS


def _cents_in_bounds(value: int) -> int:
    if not -MAX_CENTS <= value <= MAX_CENTS:
        raise PydanticCustomError(
            "amount_too_large",
            "at most {maximum} cents either side of zero",
            {"maximum": MAX_CENTS},
        )
    return value


def _units_in_bounds(value: Decimal) -> Decimal:
    if abs(value) > MAX_UNITS:
        raise PydanticCustomError(
            "units_too_large", "at most {maximum} units", {"maximum": MAX_UNITS}
        )
    return value


# An amount in cents from outside: a JSON integer (never a boolean, a float or a string) within
# ±MAX_CENTS (`amount_too_large` beyond). Every input schema that takes cents uses it.
Cents = Annotated[
    int,
    Strict(),
    AfterValidator(_cents_in_bounds),
    WithJsonSchema({"type": "integer", "minimum": -MAX_CENTS, "maximum": MAX_CENTS}),
]

# A number of titles from outside: at most 4 places and MAX_UNITS (`units_too_large` beyond).
Units = Annotated[Decimal, Field(decimal_places=4), AfterValidator(_units_in_bounds)]


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
    """The command envelope. The server parses it loosely (`payload` as a dict) and `execute`
    validates the payload against the type's schema, so that an unknown type or a bad payload
    is that command's own refusal (`unknown_command`, field errors), never a 422 of the whole
    request or batch; the OpenAPI advertises instead the union of every registered command,
    discriminated on `type`, from which the SPA's command types are generated."""

    id: uuid.UUID
    type: str
    payload: dict[str, Any] = {}

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        return handler(TypeAdapter(command_union()).core_schema)


def command_union() -> Any:
    """`{id, type: "<type>", payload: <its schema>}` for each registered command, as one union
    discriminated on `type`; built when asked, since the registry is filled (by the table of
    `federage.commands`, which `federage.api` imports) after this module loads."""
    from federage.core.commands import REGISTRY

    variants = [
        create_model(
            "".join(part.title() for part in re.split(r"[._]", type)) + "CommandIn",
            __base__=Schema,
            id=(uuid.UUID, ...),
            type=(Literal[type], ...),  # type: ignore[valid-type]
            payload=(spec.payload_schema, ...),
        )
        for type, spec in sorted(REGISTRY.items())
    ]
    return Annotated[Union[tuple(variants)], Field(discriminator="type")]  # noqa: UP007


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
