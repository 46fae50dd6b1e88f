"""The command envelope: every write runs once under its client UUID and its outcome is stored.

A command is `{id, type, payload}`. The server validates the payload against the type's schema,
runs the handler in one transaction with the idempotency record, and stores the result, or the
refusal, under the id. The same id with the same content replays the stored outcome; with other
content it is refused (`idempotency_key_reused`), the TigerBeetle/Formance rule.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydantic
from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from federage.core import clock
from federage.core.errors import ApplicationError, FieldError
from federage.core.models import AppliedCommand
from federage.core.text import forbidden_paths
from federage.core.transactions import command_block, retrying_conflicts


@dataclass(frozen=True)
class CommandSpec:
    type: str
    payload_schema: type[pydantic.BaseModel]
    handler: Callable[[Any, Any], Any]
    success_status: int


@dataclass(frozen=True)
class CommandOutcome:
    status_code: int
    body: Any
    replayed: bool


REGISTRY: dict[str, CommandSpec] = {}

logger = logging.getLogger(__name__)


def command(type: str, payload_schema: type[pydantic.BaseModel], *, success_status: int = 200):
    """Registers `handler(user, payload) -> JSON-able result` as the command `type`."""

    def register(handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        assert type not in REGISTRY, f"command {type!r} registered twice"
        REGISTRY[type] = CommandSpec(type, payload_schema, handler, success_status)
        return handler

    return register


def request_hash(user_id: int, type: str, payload: Any) -> str:
    canonical = json.dumps(
        {"user": user_id, "type": type, "payload": payload},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_command_id(raw: str | uuid.UUID | None) -> uuid.UUID:
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError):
        raise ApplicationError.on_field("id", "invalid_command_id") from None


# Pydantic's error types that have a code of their own; the custom ones of core.schemas
# (`amount_too_large`, `units_too_large`) are codes already.
_FIELD_CODES = {
    "missing": "required",
    "string_too_long": "too_long",
    "int_type": "not_an_integer",
    "amount_too_large": "amount_too_large",
    "units_too_large": "units_too_large",
}


def field_code(item: dict) -> str:
    """The field error code of one pydantic error (`invalid_value` unless it has its own)."""
    return _FIELD_CODES.get(item.get("type", ""), "invalid_value")


def validation_error_from(error: pydantic.ValidationError) -> ApplicationError:
    fields: dict[str, FieldError] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "payload"
        fields.setdefault(name, FieldError(field_code(item), item.get("msg")))
    return ApplicationError("validation_error", fields=fields)


def _replay(stored: AppliedCommand, digest: str) -> CommandOutcome:
    if stored.request_hash != digest:
        raise ApplicationError.on_field("id", "idempotency_key_reused")
    return CommandOutcome(stored.status_code, stored.response, replayed=True)


_LOOK_IT_UP = object()


def execute(
    *,
    user: Any,
    command_id: uuid.UUID,
    type: str,
    payload: Any,
    language: str = "fr",
    stored: Any = _LOOK_IT_UP,
    store: Callable[[AppliedCommand], None] | None = None,
) -> CommandOutcome:
    """Runs a command once; a refusal is stored too, so a replay gets the same answer.

    `stored` is the AppliedCommand under this id when the caller already looked (None: none);
    `store` takes the outcome's record instead of inserting it (a batch inserts them together).
    A command that is its own transaction runs again when the database makes it a deadlock's
    victim (`transactions.retrying_conflicts`); in a batch, the batch does.
    """
    return retrying_conflicts(
        lambda: _execute_once(
            user=user,
            command_id=command_id,
            type=type,
            payload=payload,
            language=language,
            stored=stored,
            store=store,
        )
    )


def _execute_once(
    *,
    user: Any,
    command_id: uuid.UUID,
    type: str,
    payload: Any,
    language: str,
    stored: Any,
    store: Callable[[AppliedCommand], None] | None,
) -> CommandOutcome:
    spec = REGISTRY.get(type)
    if spec is None:
        raise ApplicationError.on_field("type", "unknown_command")
    assert user is not None and user.is_authenticated, "commands are authenticated"
    # A REST route hands over the instance of the command's schema it already parsed: it is run
    # as is (no second validation); its dump, as `.dict()` gave before, is what is checked and
    # hashed, so a replay under the same Idempotency-Key still matches.
    parsed = payload if isinstance(payload, spec.payload_schema) else None
    if parsed is not None:
        payload = parsed.model_dump()
    _check_text(payload)
    digest = request_hash(user.pk, type, payload)
    look_it_up = stored is _LOOK_IT_UP
    if not look_it_up and stored is not None:
        return _replay(stored, digest)

    def record(status_code: int, body: Any) -> None:
        applied = AppliedCommand(
            id=command_id,
            type=type,
            request_hash=digest,
            user=user,
            status_code=status_code,
            response=body,
            created_at=clock.now(),
        )
        if store is not None:
            store(applied)
        else:
            applied.save(force_insert=True)

    def refuse(refusal: ApplicationError) -> tuple[int, Any]:
        # The handler's writes are undone with the block; the refusal alone is stored.
        status_code, body = refusal.http_status, refusal.as_dict(language)
        with transaction.atomic():
            record(status_code, body)
        return status_code, body

    try:
        try:
            with command_block():
                # Looked up in the command's own transaction: a command alone is one
                # transaction, its idempotency record included.
                stored = (
                    AppliedCommand.objects.filter(pk=command_id).first() if look_it_up else None
                )
                if stored is None:
                    status_code, body = _run(spec, user, parsed if parsed is not None else payload)
                    record(status_code, body)
        except ApplicationError as refusal:
            status_code, body = refuse(refusal)
    except IntegrityError:
        # A concurrent twin committed first (primary key): answer as a replay of it.
        stored = AppliedCommand.objects.filter(pk=command_id).first()
        if stored is not None:
            return _replay(stored, digest)
        # A constraint of the handler's own writes, not a twin: a failure like those below.
        logger.exception("command %s (%s) failed on a constraint", command_id, type)
        status_code, body = refuse(ApplicationError("command_failed"))
    except TRANSIENT:
        raise
    except Exception:
        # A bug or a value no check foresaw (an overflow, a database refusal): the command's
        # writes are undone with its block, and it is refused on its own, so that it neither
        # answers 500 nor blocks a device's outbox (the other commands of a batch go on).
        logger.exception("command %s (%s) failed", command_id, type)
        status_code, body = refuse(ApplicationError("command_failed"))
    if stored is not None:
        return _replay(stored, digest)
    return CommandOutcome(status_code, body, replayed=False)


# Failures that a retry may cure (a lock, a lost connection): they propagate, and the client
# retries the command, or its batch, later.
TRANSIENT = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class BatchItem:
    id: uuid.UUID
    type: str
    payload: Any


def execute_batch(*, user: Any, items: list[BatchItem], language: str = "fr") -> list[dict]:
    """Runs commands in order, each atomic on its own, and commits them together.

    Each command is a savepoint: its refusal undoes only its own writes and is stored like any
    outcome, so it stops nothing after it; so is an unexpected failure of one command (refused
    `command_failed`, see `execute`), so that no command can block a device's outbox. One commit for the batch spares a flush after a day
    offline one disk sync per command; a crash before it loses the whole batch, which the client
    still holds and resends (every command is idempotent).
    """
    if len(items) == 1:
        # One command (what an online device sends): its own transaction, with no savepoint.
        return _batch(user, items, language, stored=None)
    try:
        return retrying_conflicts(lambda: _batch_together(user, items, language))
    except IntegrityError:
        # Another request stored one of these ids while this batch ran (two tabs flushing one
        # outbox): run them again one by one, where such a twin is answered as a replay.
        with transaction.atomic():
            return _batch(user, items, language, stored=None)


def _batch_together(user: Any, items: list[BatchItem], language: str) -> list[dict]:
    with transaction.atomic():
        stored = AppliedCommand.objects.in_bulk([item.id for item in items])
        return _batch(user, items, language, stored)


def _batch(
    user: Any, items: list[BatchItem], language: str, stored: dict[Any, AppliedCommand] | None
) -> list[dict]:
    """With `stored` (what was looked up for the batch), the outcomes' records are inserted
    together at the end; without, each command looks its id up and inserts its own record."""
    outcomes: dict[uuid.UUID, AppliedCommand] = {}
    results = []
    for item in items:
        known: dict[str, Any] = {}
        if stored is not None:
            known = {
                "stored": stored.get(item.id) or outcomes.get(item.id),
                "store": lambda applied: outcomes.setdefault(applied.id, applied),
            }
        try:
            outcome = execute(
                user=user,
                command_id=item.id,
                type=item.type,
                payload=item.payload,
                language=language,
                **known,
            )
            status, body, replayed = outcome.status_code, outcome.body, outcome.replayed
        except ApplicationError as refusal:
            # Unknown type or a reused id: refused before running, so nothing is stored.
            status, body, replayed = refusal.http_status, refusal.as_dict(language), False
        results.append({"id": item.id, "status": status, "body": body, "replayed": replayed})
    AppliedCommand.objects.bulk_create(outcomes.values())
    return results


def _check_text(payload: Any) -> None:
    """Refuses, before anything is hashed or stored, a payload with a control character (NUL
    included) or a lone surrogate in any string: see core/text.py."""
    fields = {
        ".".join(str(part) for part in path) or "payload": FieldError("invalid_characters")
        for path in forbidden_paths(payload)
    }
    if fields:
        raise ApplicationError("invalid_characters", fields=fields)


def _run(spec: CommandSpec, user: Any, payload: Any) -> tuple[int, Any]:
    """The handler's outcome; a refusal (ApplicationError) propagates to undo its writes.

    `payload` is raw JSON (validated here) or an instance of the type's schema (used as is)."""
    if isinstance(payload, spec.payload_schema):
        data = payload
    else:
        try:
            data = spec.payload_schema.model_validate(payload if payload is not None else {})
        except pydantic.ValidationError as error:
            raise validation_error_from(error) from None
    result = spec.handler(user, data)
    if isinstance(result, pydantic.BaseModel):
        result = result.model_dump(mode="json")
    return spec.success_status, result
