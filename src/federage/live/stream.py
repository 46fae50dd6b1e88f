"""The server-sent event stream: a poke with the latest cursor, then one per committed change."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async

from federage.live import domain, fanout, selectors

# A stream ends after this long; EventSource reconnects with Last-Event-ID, nothing is lost,
# and workers do not hold a connection forever.
MAX_SECONDS = 3600.0
HEARTBEAT_SECONDS = 15.0
# Under a WSGI server each open stream holds a thread, and there is no fan-out to wait on:
# the stream polls the cursor and ends soon, and the browser's reconnection is the next poll.
WSGI_MAX_SECONDS = 20.0
WSGI_POLL_SECONDS = 1.0


async def events(
    *,
    commons_id: int | None,
    last_event_id: int | None,
    heartbeat: float = HEARTBEAT_SECONDS,
    max_seconds: float = MAX_SECONDS,
    hub: fanout.Hub = fanout.HUB,
) -> AsyncIterator[str]:
    """SSE text chunks. Subscribes before reading the latest cursor, so no commit falls between."""
    await fanout.listener_ensure(hub)
    subscription = hub.subscribe(commons_id)
    try:
        yield domain.sse_retry()
        latest = await sync_to_async(selectors.latest_cursor)(commons_id=commons_id)
        sent = last_event_id if last_event_id is not None else -1
        if latest > sent:
            # A new client learns where it stands; a returning one learns it missed something.
            yield domain.sse_poke(latest)
            sent = latest
        deadline = time.monotonic() + max_seconds
        while (remaining := deadline - time.monotonic()) > 0:
            cursor = await subscription.next_cursor(min(heartbeat, remaining))
            if cursor is None:
                yield domain.HEARTBEAT
                continue
            if commons_id is None or cursor == 0:
                # The instance stream reads the latest PUBLIC cursor, so a private commons'
                # activity never shows, not even as timing; 0 is a resynchronisation.
                cursor = await sync_to_async(selectors.latest_cursor)(commons_id=commons_id)
            if cursor > sent:
                yield domain.sse_poke(cursor)
                sent = cursor
    finally:
        hub.unsubscribe(subscription)


_open_polling_streams = 0
_count_lock = threading.Lock()


def open_polling_streams() -> int:
    """How many WSGI streams are being served now (tests wait for zero before the database goes)."""
    return _open_polling_streams


def events_polling(*, commons_id: int | None, last_event_id: int | None) -> Iterator[str]:
    """The same SSE chunks for a WSGI server, read by polling the latest cursor.

    A heartbeat goes out before each read: writing is how a WSGI server learns the browser has
    gone, and the stream ends then rather than reading on for nobody.
    """
    global _open_polling_streams
    poll, max_seconds = WSGI_POLL_SECONDS, WSGI_MAX_SECONDS
    with _count_lock:
        _open_polling_streams += 1
    try:
        yield domain.sse_retry()
        sent = last_event_id if last_event_id is not None else -1
        deadline = time.monotonic() + max_seconds
        while True:
            latest = selectors.latest_cursor(commons_id=commons_id)
            if latest > sent:
                yield domain.sse_poke(latest)
                sent = latest
            if time.monotonic() + poll > deadline:
                return
            time.sleep(poll)
            yield domain.HEARTBEAT
    finally:
        with _count_lock:
            _open_polling_streams -= 1
