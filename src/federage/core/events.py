"""Appending to the event log, inside the caller's transaction so an event exists iff its write does."""

from __future__ import annotations

from django.db import transaction

from federage.core import clock
from federage.core.models import Event


def event_record(
    *, type: str, commons_id: int | None, actor_user_id: int | None, data: dict
) -> Event:
    assert transaction.get_connection().in_atomic_block, "events are written inside a write"
    return Event.objects.create(
        type=type,
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data=data,
        created_at=clock.now(),
    )
