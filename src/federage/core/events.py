"""Appending to the event log, inside the caller's transaction so an event exists iff its write does."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from federage.core import clock
from federage.core.models import Event

# The channel live clients' LISTEN connections wait on (one per worker process, see live/).
NOTIFY_CHANNEL = "federage_events"

# Called after commit with (cursor, commons id): the live app feeds its in-process fan-out.
# A registry rather than an import, because core imports no app.
_after_commit: list[Callable[[int, int | None], None]] = []


def event_listener_add(listener: Callable[[int, int | None], None]) -> None:
    if listener not in _after_commit:
        _after_commit.append(listener)


def notify_payload(cursor: int, commons_id: int | None) -> str:
    """`<cursor>:<commons id>` — ids only: PostgreSQL refuses payloads over 8000 bytes."""
    return f"{cursor}:{commons_id if commons_id is not None else ''}"


def event_record(
    *, type: str, commons_id: int | None, actor_user_id: int | None, data: dict
) -> Event:
    assert transaction.get_connection().in_atomic_block, "events are written inside a write"
    event = Event.objects.create(
        type=type,
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data=data,
        created_at=clock.now(),
    )
    # On PostgreSQL a trigger on the insert notifies NOTIFY_CHANNEL with notify_payload()
    # (core migration 0002): delivered on commit only, to every worker's LISTEN connection.
    if _after_commit:
        # This process's own listeners, without waiting for the database's round trip.
        cursor_id = event.pk

        def poke() -> None:
            for listener in list(_after_commit):
                listener(cursor_id, commons_id)

        transaction.on_commit(poke)
    return event
