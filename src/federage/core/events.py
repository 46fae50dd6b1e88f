"""Appending to the event log, inside the caller's transaction so an event exists iff its write does."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import Max, QuerySet

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


# The events a command has recorded and not yet inserted (see `collected`), or None.
_pending: ContextVar[list[Event] | None] = ContextVar("federage_pending_events", default=None)


def event_record(
    *, type: str, commons_id: int | None, actor_user_id: int | None, data: dict
) -> Event:
    """Appends an event; inside `collected` (a command) it is inserted with the others at the
    end, so it has no id yet when this returns."""
    assert transaction.get_connection().in_atomic_block, "events are written inside a write"
    event = Event(
        type=type,
        commons_id=commons_id,
        actor_user_id=actor_user_id,
        data=data,
        created_at=clock.now(),
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(event)
    else:
        _insert([event])
    return event


def _insert(events: list[Event]) -> None:
    Event.objects.bulk_create(events)
    # On PostgreSQL a trigger on the insert notifies NOTIFY_CHANNEL with notify_payload()
    # (core migration 0002): delivered on commit only, to every worker's LISTEN connection.
    if _after_commit:
        # This process's own listeners, without waiting for the database's round trip.
        pokes = [(event.pk, event.commons_id) for event in events]

        def poke() -> None:
            for cursor_id, commons_id in pokes:
                for listener in list(_after_commit):
                    listener(cursor_id, commons_id)

        transaction.on_commit(poke)


@contextmanager
def collected() -> Iterator[None]:
    """The events recorded inside are inserted in one statement as the block ends, in the order
    they were recorded, inside the caller's transaction: a command's events cost one round
    trip. A block that raises inserts none (its transaction is undone with it)."""
    token = _pending.set([])
    try:
        yield
        events = _pending.get()
        if events:
            assert transaction.get_connection().in_atomic_block, "events are written inside a write"
            _insert(events)
    finally:
        _pending.reset(token)


def pending_count() -> int:
    """How many events the running command holds back (0 outside one)."""
    pending = _pending.get()
    return len(pending) if pending is not None else 0


def pending_truncate(count: int) -> None:
    """Drops the events recorded after the first `count`: a part of the command was undone."""
    pending = _pending.get()
    if pending is not None:
        del pending[count:]


@contextmanager
def savepoint() -> Iterator[None]:
    """`transaction.atomic()` for a part of a command whose refusal the command catches and
    goes on: the events that part recorded are dropped with its writes."""
    mark = pending_count()
    try:
        with transaction.atomic():
            yield
    except BaseException:
        pending_truncate(mark)
        raise


# How long an id missing among the latest events may still be a transaction in flight.
SETTLE_SECONDS = 10
# How many of the latest events are looked at for such gaps.
SETTLE_WINDOW = 500


def settled_bound() -> int:
    """The highest event id a cursor may be given: no event with a lower id can still appear.

    On PostgreSQL an id is taken at insert and transactions commit in any order: an id missing
    among the latest events may belong to a transaction still running, which would commit
    below a cursor handed out now, and a client pulling from there would never see it. So the
    bound stops before a missing id until the event after it is SETTLE_SECONDS old (the id of a
    rolled-back write never comes back). SQLite runs one writer at a time: every id a running
    write takes is above all committed ones.
    """
    if connection.vendor != "postgresql":
        return Event.objects.aggregate(last=Max("id"))["last"] or 0
    latest = list(  # newest first
        Event.objects.order_by("-id").values_list("id", "created_at")[:SETTLE_WINDOW]
    )
    if not latest:
        return 0
    return bound_below_recent_gaps(
        latest, horizon=clock.now() - dt.timedelta(seconds=SETTLE_SECONDS)
    )


def events_after(
    since: int, *, commons_ids: list[int] | None = None, up_to: int | None = None
) -> QuerySet[Event]:
    """Events with an id above `since` (and at most `up_to`), of those commons when given.

    The one read of the event log for the apps above core (live streams, sync pulls), so that
    none of them reads core's tables itself.
    """
    events = Event.objects.filter(id__gt=since)
    if up_to is not None:
        events = events.filter(id__lte=up_to)
    if commons_ids is not None:
        events = events.filter(commons_id__in=commons_ids)
    return events


def bound_below_recent_gaps(latest: list[tuple[int, dt.datetime]], *, horizon: dt.datetime) -> int:
    """`latest` (id, created_at) newest first: the newest id, or the id just under the lowest
    missing id that an event created since `horizon` sits right above."""
    bound = latest[0][0]
    for (newer, created_at), (older, _) in itertools.pairwise(latest):
        if newer != older + 1 and created_at >= horizon:
            bound = older
    return bound
